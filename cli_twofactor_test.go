package staffroom_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// TestResetTwoFactor removes a locked-out superuser's second factor from
// the command line, which needs no secret key.
func TestResetTwoFactor(t *testing.T) {
	ctx := context.Background()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")
	r := &run{env: map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SUPERUSER_PASSWORD": "s3cret pass"}}
	if err := r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "boss"); err != nil {
		t.Fatal(err)
	}
	app, err := staffroom.New(testProject(), staffroom.Config{Database: dbURL, SecretKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	boss, err := orm.Get[auth.User](ctx, orm.For[auth.User](app.DB), orm.Q{"username": "boss"})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := app.Auth.BeginTOTP(ctx, boss)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := app.Auth.ConfirmTOTP(ctx, boss, auth.TOTPCode(secret, time.Now())); err != nil {
		t.Fatal(err)
	}

	err = r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "boss")
	if err == nil || !strings.Contains(err.Error(), "resettwofactor boss") {
		t.Errorf("createsuperuser of a taken name: %v", err)
	}
	if err := r.exec(t, ctx, "", "resettwofactor", "boss"); err != nil || r.out.String() != "Removed the second factor of user 'boss'.\n" {
		t.Fatalf("resettwofactor: %v %q", err, r.out.String())
	}
	if on, err := app.Auth.HasTwoFactor(ctx, boss); err != nil || on {
		t.Errorf("after resettwofactor: %v %v", on, err)
	}
	if n, _ := orm.For[auth.RecoveryCode](app.DB).Count(ctx); n != 0 {
		t.Errorf("%d recovery codes left", n)
	}
	if err := r.exec(t, ctx, "", "resettwofactor", "boss"); err != nil || r.out.String() != "User 'boss' had no second factor.\n" {
		t.Errorf("resettwofactor again: %v %q", err, r.out.String())
	}
	if err := r.exec(t, ctx, "", "resettwofactor", "ghost"); err == nil || !strings.Contains(err.Error(), `user "ghost" does not exist`) {
		t.Errorf("resettwofactor of nobody: %v", err)
	}
}
