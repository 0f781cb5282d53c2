package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

func requestFrom(addr string) *http.Request {
	r := httptest.NewRequest("POST", "/login/", nil)
	r.RemoteAddr = addr
	return r
}

// try authenticates and reports "ok", "no" or "throttled".
func try(t *testing.T, a *auth.Auth, r *http.Request, user, pw string) string {
	t.Helper()
	u, _, err := a.Authenticate(context.Background(), r, auth.PasswordCredentials(user, pw))
	var te *auth.ThrottledError
	switch {
	case errors.As(err, &te):
		if !errors.Is(err, auth.ErrThrottled) || te.RetryAfter <= 0 {
			t.Errorf("throttled error %v, retry after %v", err, te.RetryAfter)
		}
		return "throttled"
	case err != nil:
		t.Fatal(err)
	case u != nil:
		return "ok"
	}
	return "no"
}

// expireCoolOffs ends every running cool-off, as time would.
func expireCoolOffs(t *testing.T, db *orm.DB) {
	t.Helper()
	past := time.Now().Add(-time.Second).UTC()
	if _, err := orm.For[auth.LoginThrottle](db).Filter(orm.Q{"locked_until__isnull": false}).Update(context.Background(),
		map[string]any{"locked_until": past}); err != nil {
		t.Fatal(err)
	}
}

// TestThrottleByUsername locks a username from every address, with
// LockUsername.
func TestThrottleByUsername(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: 3, LockUsername: true}})
		if err != nil {
			t.Fatal(err)
		}
		makeUser(t, a, db, "ann", true, false, true)
		for _, name := range []string{"ann", "ghost"} { // a known and an unknown username behave alike
			var got []string
			for i := range 4 {
				r := requestFrom("192.0.2." + string(rune('1'+i)) + ":1234") // a new address each time
				got = append(got, try(t, a, r, name, "wrong"))
			}
			got = append(got, try(t, a, requestFrom("198.51.100.9:1"), name, name+"-pw"))
			if s := strings.Join(got, " "); s != "no no no throttled throttled" {
				t.Errorf("%s: %s", name, s)
			}
		}
		// After the cool-off one more try is allowed; failing it doubles the wait.
		expireCoolOffs(t, db)
		if got := try(t, a, requestFrom("203.0.113.1:1"), "ann", "wrong"); got != "no" {
			t.Errorf("after the cool-off: %s", got)
		}
		_, _, err = a.Authenticate(context.Background(), requestFrom("203.0.113.1:1"), auth.PasswordCredentials("ann", "ann-pw"))
		var te *auth.ThrottledError
		if !errors.As(err, &te) || te.RetryAfter < 119*time.Second || te.RetryAfter > 2*time.Minute {
			t.Errorf("second cool-off: %v", err)
		} else if msg := te.Message(); msg != "Too many failed login attempts. Please try again in 2 minutes." {
			t.Errorf("message %q", msg)
		}
		// A success after the cool-off clears the count.
		expireCoolOffs(t, db)
		if got := try(t, a, requestFrom("203.0.113.1:1"), "ANN", "ann-pw"); got != "no" && db.Dialect().Name() != "mysql" {
			t.Errorf("case variant: %s", got) // counted with ann's failures, but no such user outside MySQL
		}
		expireCoolOffs(t, db)
		if got := try(t, a, requestFrom("203.0.113.1:1"), "ann", "ann-pw"); got != "ok" {
			t.Fatalf("right password after the cool-off: %s", got)
		}
		// (From another address: the success left this address's count.)
		for range 2 {
			if got := try(t, a, requestFrom("198.51.100.50:1"), "ann", "wrong"); got != "no" {
				t.Errorf("the count was not reset: %s", got)
			}
		}
	})
}

func TestThrottleByAddress(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: 3}})
		if err != nil {
			t.Fatal(err)
		}
		makeUser(t, a, db, "ann", true, false, true)
		var got []string
		for _, name := range []string{"u1", "u2", "u3", "ann"} {
			got = append(got, try(t, a, requestFrom("[2001:db8:1:2::5]:443"), name, name+"-pw"))
		}
		// The same /64 network is the same client.
		got = append(got, try(t, a, requestFrom("[2001:db8:1:2::77]:443"), "ann", "ann-pw"))
		got = append(got, try(t, a, requestFrom("[2001:db8:1:3::5]:443"), "ann", "ann-pw"))
		if s := strings.Join(got, " "); s != "no no no throttled throttled ok" {
			t.Errorf("%s", s)
		}
	})
}

// TestThrottleConcurrentGuesses fires many guesses at once: no more than
// the limit may reach the password check.
func TestThrottleConcurrentGuesses(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		const limit = 5
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: limit, LockUsername: true}})
		if err != nil {
			t.Fatal(err)
		}
		makeUser(t, a, db, "ann", true, false, true)
		var mu sync.Mutex
		results := map[string]int{}
		var wg sync.WaitGroup
		for i := range 40 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				addr := "192.0.2." + string(rune('0'+i%10)) + ":1"
				_, _, err := a.Authenticate(context.Background(), requestFrom(addr), auth.PasswordCredentials("ann", "wrong"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case errors.Is(err, auth.ErrThrottled):
					results["throttled"]++
				case err != nil:
					results[err.Error()]++
				default:
					results["checked"]++
				}
			}()
		}
		wg.Wait()
		t.Logf("results %v", results)
		if results["checked"] > limit || results["checked"] == 0 || results["checked"]+results["throttled"] != 40 {
			t.Errorf("results %v: at most %d guesses may be checked", results, limit)
		}
	})
}

func TestThrottleSettings(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		off, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{Disabled: true}})
		if err != nil {
			t.Fatal(err)
		}
		for range 12 {
			if got := try(t, off, requestFrom("192.0.2.1:1"), "ann", "wrong"); got != "no" {
				t.Fatalf("disabled throttling refused: %s", got)
			}
		}
		a, _ := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		for range 10 {
			try(t, a, requestFrom("192.0.2.1:1"), "ann", "wrong")
		}
		if got := try(t, a, requestFrom("192.0.2.1:1"), "bob", "wrong"); got != "throttled" {
			t.Errorf("the 11th failure in a row by default: %s", got)
		}
		// Stale counts go; running cool-offs stay.
		old := time.Now().Add(-25 * time.Hour).UTC()
		if err := db.Insert(ctx, &auth.LoginThrottle{Key: strings.Repeat("a", 64), Failures: 2, Attempts: 2, LastFailure: old}); err != nil {
			t.Fatal(err)
		}
		n, err := a.ClearStaleThrottles(ctx)
		if err != nil || n != 1 {
			t.Errorf("ClearStaleThrottles = %d, %v", n, err)
		}
		if left, _ := orm.For[auth.LoginThrottle](db).Count(ctx); left != 2 {
			t.Errorf("%d rows left, want the username's from the address and the address's", left)
		}
		// Without the model, throttling cannot start.
		reg := orm.NewRegistry()
		for _, app := range []orm.AppConfig{contenttype.App(), auth.App(), session.App()} {
			if _, err := reg.Register(app); err != nil {
				t.Fatal(err)
			}
		}
		bare := testdb.Open(t, "sqlite", reg)
		if _, err := auth.New(auth.Config{DB: bare, SecretKey: "s"}); err == nil || !strings.Contains(err.Error(), "ThrottleApp") {
			t.Errorf("New without ThrottleApp: %v", err)
		}
	})
}

func TestRemoteAddress(t *testing.T) {
	cases := map[string]string{
		"192.0.2.7:5555":                   "192.0.2.7",
		"[2001:db8:aa:bb:cc:dd:ee:ff]:443": "2001:db8:aa:bb::/64",
		"[::ffff:192.0.2.7]:1":             "192.0.2.7",
		"unix-socket":                      "unix-socket",
	}
	for in, want := range cases {
		if got := auth.RemoteAddress(&http.Request{RemoteAddr: in}); got != want {
			t.Errorf("RemoteAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestThrottleWithoutKeys authenticates a password alone, outside a
// request: nothing to count, nothing to fail on.
func TestThrottleWithoutKeys(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		if err != nil {
			t.Fatal(err)
		}
		u, _, err := a.Authenticate(context.Background(), nil, auth.Credentials{auth.CredentialPassword: "x"})
		if u != nil || err != nil {
			t.Errorf("Authenticate = %v, %v", u, err)
		}
	})
}

// TestThrottleSprayDespiteSuccess is issue 9's finding 5: a success on an
// account of the attacker's own must not clear their address's count, or
// one address sprays passwords across usernames for ever.
func TestThrottleSprayDespiteSuccess(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: 3}})
		if err != nil {
			t.Fatal(err)
		}
		makeUser(t, a, db, "mallory", false, false, true) // not even staff
		var got []string
		for _, name := range []string{"u1", "u2", "mallory", "u3", "u4", "mallory"} {
			pw := "wrong"
			if name == "mallory" {
				pw = "mallory-pw"
			}
			got = append(got, try(t, a, requestFrom("192.0.2.1:1"), name, pw))
		}
		if s := strings.Join(got, " "); s != "no no ok no throttled throttled" {
			t.Errorf("%s", s)
		}
		// Another address is not held back.
		if got := try(t, a, requestFrom("192.0.2.2:1"), "mallory", "mallory-pw"); got != "ok" {
			t.Errorf("from another address: %s", got)
		}
	})
}

// TestThrottleOwnerFromCleanAddress: an attacker hammering a username from
// their address cannot keep its owner out, who logs in from another; the
// attacker stays locked.
func TestThrottleOwnerFromCleanAddress(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: 3}})
		if err != nil {
			t.Fatal(err)
		}
		makeUser(t, a, db, "ann", true, false, true)
		var got []string
		for range 5 {
			got = append(got, try(t, a, requestFrom("203.0.113.66:1"), "ann", "guess"))
		}
		got = append(got, try(t, a, requestFrom("198.51.100.7:1"), "ann", "ann-pw"))
		got = append(got, try(t, a, requestFrom("203.0.113.66:1"), "ann", "ann-pw"))
		if s := strings.Join(got, " "); s != "no no no throttled throttled ok throttled" {
			t.Errorf("%s", s)
		}
		// The owner's success cleared only their own count, not the attacker's.
		rows, err := orm.All[auth.LoginThrottle](context.Background(), orm.For[auth.LoginThrottle](db).OrderBy("id"))
		if err != nil {
			t.Fatal(err)
		}
		var scopes []string
		for _, r := range rows {
			scopes = append(scopes, r.Scope+" "+r.Address)
			if r.UsernameKey != "" && r.UsernameKey != a.ThrottleUsernameKey("Ann") {
				t.Errorf("username key of %v", r)
			}
		}
		if s := strings.Join(scopes, ", "); s != "address 203.0.113.66, username+address 203.0.113.66, address 198.51.100.7" {
			t.Errorf("rows: %s", s)
		}
		// With LockUsername, the username is locked everywhere.
		strict, _ := auth.New(auth.Config{DB: db, SecretKey: "t", Hashers: cheap, Throttle: auth.ThrottleConfig{MaxFailures: 3, LockUsername: true}})
		for range 3 {
			try(t, strict, requestFrom("203.0.113.66:1"), "ann", "guess")
		}
		if got := try(t, strict, requestFrom("198.51.100.8:1"), "ann", "ann-pw"); got != "throttled" {
			t.Errorf("LockUsername from a clean address: %s", got)
		}
	})
}
