package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// TestTwoFactorLifecycle enrols an authenticator, signs in with its codes
// (each once) and with recovery codes (each once), and resets it.
func TestTwoFactorLifecycle(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		if err != nil {
			t.Fatal(err)
		}
		now := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
		a.SetClock(func() time.Time { return now })
		u := makeUser(t, a, db, "ann", true, false, true)
		if st, err := a.TwoFactor(ctx, u); err != nil || st != (auth.TwoFactorStatus{}) {
			t.Fatalf("before: %+v %v", st, err)
		}
		secret, err := a.BeginTOTP(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if again, _ := a.BeginTOTP(ctx, u); again != secret {
			t.Error("a second BeginTOTP changed the pending secret")
		}
		if on, _ := a.HasTwoFactor(ctx, u); on {
			t.Error("enabled before confirmation")
		}
		// The secret is sealed in the database, never stored in clear.
		d, err := orm.Get[auth.TOTPDevice](ctx, orm.For[auth.TOTPDevice](db), orm.Q{"user": u.ID})
		if err != nil || strings.Contains(d.PendingSecret, secret) || !strings.HasPrefix(d.PendingSecret, "aesgcm$") {
			t.Fatalf("stored %q (%v)", d.PendingSecret, err)
		}
		if _, err := a.ConfirmTOTP(ctx, u, "000000"); !errors.Is(err, auth.ErrWrongCode) {
			t.Fatalf("wrong confirmation code: %v", err)
		}
		codes, err := a.ConfirmTOTP(ctx, u, auth.TOTPCode(secret, now))
		if err != nil || len(codes) != auth.RecoveryCodeCount {
			t.Fatalf("confirm: %d codes, %v", len(codes), err)
		}
		st, err := a.TwoFactor(ctx, u)
		if err != nil || !st.Enabled || st.Pending || st.RecoveryCodesLeft != 10 {
			t.Fatalf("after: %+v %v", st, err)
		}
		// The confirming code cannot be used again, nor an earlier one.
		for _, c := range []struct {
			code string
			want error
		}{
			{auth.TOTPCode(secret, now), auth.ErrWrongCode},
			{auth.TOTPCode(secret, now.Add(-30*time.Second)), auth.ErrWrongCode},
			{auth.TOTPCode(secret, now.Add(30*time.Second)), nil},
			{auth.TOTPCode(secret, now.Add(30*time.Second)), auth.ErrWrongCode},
			{auth.TOTPCode(secret, now.Add(90*time.Second)), auth.ErrWrongCode}, // outside the window
			{"12345", auth.ErrWrongCode},
			{strings.ToUpper(codes[0]), nil},
			{codes[0], auth.ErrWrongCode},
			{strings.ReplaceAll(codes[1], "-", " "), nil},
		} {
			if err := a.VerifySecondFactor(ctx, u, c.code); !errors.Is(err, c.want) {
				t.Errorf("code %q: %v, want %v", c.code, err, c.want)
			}
		}
		if st, _ := a.TwoFactor(ctx, u); st.RecoveryCodesLeft != 8 {
			t.Errorf("%d recovery codes left", st.RecoveryCodesLeft)
		}
		fresh, err := a.NewRecoveryCodes(ctx, u)
		if err != nil || len(fresh) != 10 {
			t.Fatal(err)
		}
		if err := a.VerifySecondFactor(ctx, u, codes[2]); !errors.Is(err, auth.ErrWrongCode) {
			t.Errorf("an old recovery code after regeneration: %v", err)
		}
		// Another user cannot use ann's codes.
		bob := makeUser(t, a, db, "bob", true, false, true)
		if err := a.VerifySecondFactor(ctx, bob, fresh[0]); !errors.Is(err, auth.ErrWrongCode) {
			t.Errorf("bob with ann's code: %v", err)
		}
		// Under a rotated secret key the old key, as a fallback, still works.
		rotated, err := auth.New(auth.Config{DB: db, SecretKey: "new", FallbackKeys: []string{"s"}, Hashers: cheap})
		if err != nil {
			t.Fatal(err)
		}
		rotated.SetClock(func() time.Time { return now.Add(time.Minute) })
		if err := rotated.VerifySecondFactor(ctx, u, auth.TOTPCode(secret, now.Add(time.Minute))); err != nil {
			t.Errorf("TOTP under a fallback key: %v", err)
		}
		if err := rotated.VerifySecondFactor(ctx, u, fresh[0]); err != nil {
			t.Errorf("recovery code under a fallback key: %v", err)
		}
		if err := a.ResetTwoFactor(ctx, u); err != nil {
			t.Fatal(err)
		}
		if st, _ := a.TwoFactor(ctx, u); st != (auth.TwoFactorStatus{}) {
			t.Errorf("after reset: %+v", st)
		}
		if n, _ := orm.For[auth.RecoveryCode](db).Count(ctx); n != 0 {
			t.Errorf("%d recovery codes left after reset", n)
		}
	})
}

// TestTwoFactorThrottle: wrong codes are throttled per user, and a
// successful password login does not clear the count.
func TestTwoFactorThrottle(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: 3}})
		if err != nil {
			t.Fatal(err)
		}
		u := makeUser(t, a, db, "ann", true, false, true)
		secret, _ := a.BeginTOTP(ctx, u)
		if _, err := a.ConfirmTOTP(ctx, u, auth.TOTPCode(secret, time.Now())); err != nil {
			t.Fatal(err)
		}
		for i := range 3 {
			if err := a.VerifySecondFactor(ctx, u, "000000"); !errors.Is(err, auth.ErrWrongCode) {
				t.Fatalf("wrong code %d: %v", i, err)
			}
		}
		if got := try(t, a, requestFrom("192.0.2.1:1"), "ann", "ann-pw"); got != "ok" {
			t.Fatalf("password: %s", got)
		}
		err = a.VerifySecondFactor(ctx, u, auth.TOTPCode(secret, time.Now().Add(30*time.Second)))
		if !errors.Is(err, auth.ErrThrottled) {
			t.Fatalf("right code while cooling off: %v", err)
		}
		expireCoolOffs(t, db)
		if err := a.VerifySecondFactor(ctx, u, auth.TOTPCode(secret, time.Now().Add(30*time.Second))); err != nil {
			t.Fatalf("right code after the cool-off: %v", err)
		}
	})
}
