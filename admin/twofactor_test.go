package admin_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// twoFactorSite is a site with the notes app under a two-factor policy,
// the superuser root (password "pw") and no one logged in.
func twoFactorSite(t *testing.T, dialect string, policy admin.TwoFactorPolicy) *staffroom.App {
	t.Helper()
	app := twoFactorApp(t, testdb.URL(t, dialect), policy)
	ctx := context.Background()
	if _, err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := staffroom.CreateUser(ctx, app, "root", "", "pw", true); err != nil {
		t.Fatal(err)
	}
	return app
}

// twoFactorApp opens the notes app's database under a two-factor policy.
func twoFactorApp(t *testing.T, dbURL string, policy admin.TwoFactorPolicy) *staffroom.App {
	t.Helper()
	app, err := staffroom.New(staffroom.Project{Name: "test", Apps: []orm.AppConfig{{Name: "notes", Models: []any{Shelf{}, Note{}}}},
		Admin: registerNotes}, staffroom.Config{Database: dbURL, SecretKey: "k",
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}}, TwoFactor: policy})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	return app
}

// passwordStep submits the login page (with next, when not "") and returns the
// response to the password.
func passwordStep(c *webtest.Client, username, next string) *webtest.Response {
	path := "/admin/login/"
	if next != "" {
		path += "?next=" + url.QueryEscape(next)
	}
	return c.Submit(c.Get(path), "#login-form", url.Values{"username": {username}, "password": {"pw"}}, "")
}

// code is the secret's TOTP code steps time steps from now, as the
// authenticator app would show it.
func code(secret string, steps int) string {
	return auth.TOTPCode(secret, time.Now().Add(time.Duration(steps)*auth.TOTPPeriod))
}

// expectRedirect fails unless r redirects to want.
func expectRedirect(t *testing.T, r *webtest.Response, want string) {
	t.Helper()
	if r.StatusCode != 302 || r.Location() != want {
		t.Fatalf("%s %s: %d to %q, want a redirect to %q\n%s", r.Request.Method, r.Request.URL, r.StatusCode, r.Location(), want, r.Body)
	}
}

// rotated fails unless the client's session key changed since *key, and
// remembers the new one.
func rotated(t *testing.T, c *webtest.Client, key *string, step string) {
	t.Helper()
	now := c.Cookie("sessionid")
	if now == "" || now == *key {
		t.Errorf("%s: the session key did not change", step)
	}
	*key = now
}

// enrolOnPage reads the secret off a setup page, checks the QR code is a
// PNG, and submits the form with the current code (and set).
func enrolOnPage(t *testing.T, c *webtest.Client, page *webtest.Response, steps int, set url.Values) (string, *webtest.Response) {
	t.Helper()
	src, _ := page.Find(".two-factor-qr img").Attr("src")
	b64, ok := strings.CutPrefix(src, "data:image/png;base64,")
	raw, err := base64.StdEncoding.DecodeString(b64)
	if !ok || err != nil {
		t.Fatalf("QR code src %.40q", src)
	}
	if img, err := png.Decode(bytes.NewReader(raw)); err != nil || img.Bounds().Dx() < 100 {
		t.Fatalf("QR code PNG: %v", err)
	}
	secret := strings.ReplaceAll(page.Text(".two-factor-secret"), " ", "")
	if len(secret) != 32 {
		t.Fatalf("secret %q on the page", secret)
	}
	if set == nil {
		set = url.Values{}
	}
	set.Set("code", code(secret, steps))
	return secret, c.Submit(page, "#two-factor-form", set, "")
}

func TestTwoFactorSignIn(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app := twoFactorSite(t, dialect, admin.TwoFactorPolicy{})
		ctx := context.Background()
		c := webtest.New(t, app.Handler)
		expectRedirect(t, passwordStep(c, "root", ""), "/admin/")

		// A superuser without a second factor is warned on the index.
		index := c.Get("/admin/")
		if href, _ := index.Find(".two-factor-warning a").Attr("href"); href != "/admin/two_factor/" {
			t.Fatalf("index warning link %q\n%s", href, index.Find("#content-main").Text())
		}
		if c.Get("/admin/password_change/").Find(`a[href="/admin/two_factor/"]`).Length() != 1 {
			t.Error("the password change page does not link to two-factor sign-in")
		}
		status := c.Get("/admin/two_factor/")
		expectStatus(t, status, 200)
		if !strings.Contains(status.Text("#content-main"), "is off") {
			t.Errorf("status: %s", status.Text("#content-main"))
		}

		// Enrol with the secret shown, confirming with a code and the password.
		setup := c.Get("/admin/two_factor/setup/")
		expectStatus(t, setup, 200)
		_, wrong := enrolOnPage(t, c, setup, 0, url.Values{"password": {"nope"}})
		if !strings.Contains(wrong.Text(".errorlist"), "Your old password was entered incorrectly") {
			t.Fatalf("wrong password: %s", wrong.Text(".errorlist"))
		}
		key := c.Cookie("sessionid")
		secret, done := enrolOnPage(t, c, c.Get("/admin/two_factor/setup/"), -1, url.Values{"password": {"pw"}})
		expectStatus(t, done, 200)
		rotated(t, c, &key, "enrolment")
		codes := done.Find(".recovery-codes code").Map(func(_ int, s *goquery.Selection) string { return s.Text() })
		if len(codes) != 10 {
			t.Fatalf("%d recovery codes shown", len(codes))
		}
		if c.Get("/admin/").Find(".two-factor-warning").Length() != 0 {
			t.Error("the index still warns after enrolment")
		}
		logOut := func() { c.Submit(c.Get("/admin/"), "#logout-form", nil, "") }
		logOut()

		// The password alone leads to the code page, with a new session key.
		key = c.Cookie("sessionid")
		next := "/admin/notes/note/"
		expectRedirect(t, passwordStep(c, "root", next), "/admin/login/verify/?next=%2Fadmin%2Fnotes%2Fnote%2F")
		rotated(t, c, &key, "password")
		// Half-authenticated, no admin page opens.
		for _, path := range []string{"/admin/", next, "/admin/two_factor/", "/admin/password_change/", "/admin/auth/user/"} {
			if r := c.Get(path); r.StatusCode != 302 || !strings.HasPrefix(r.Location(), "/admin/login/?next=") {
				t.Errorf("pending sign-in got %s: %d %s", path, r.StatusCode, r.Location())
			}
		}
		verify := c.Get("/admin/login/verify/?next=" + url.QueryEscape(next))
		expectStatus(t, verify, 200)
		r := c.Submit(verify, "#two-factor-form", url.Values{"code": {"000000"}}, "")
		if !strings.Contains(r.Text(".errornote"), "That code is not valid") {
			t.Fatalf("wrong code: %s", r.Text(".errornote"))
		}
		codeCounts := orm.For[auth.LoginThrottle](app.DB).Filter(orm.Q{"scope": auth.ScopeSecondFactor})
		if n, _ := codeCounts.Filter(orm.Q{"failures": 1}).Count(ctx); n != 1 {
			t.Errorf("wrong code counted in %d throttle rows", n)
		}
		used := code(secret, 0)
		expectRedirect(t, c.Submit(r, "#two-factor-form", url.Values{"code": {used}}, ""), next)
		rotated(t, c, &key, "code")
		expectStatus(t, c.Get(next), 200)
		if n, _ := codeCounts.Count(ctx); n != 0 {
			t.Errorf("%d second-factor throttle rows after the right code", n)
		}

		// A code works once; the next one does.
		logOut()
		passwordStep(c, "root", "")
		r = c.Submit(c.Get("/admin/login/verify/"), "#two-factor-form", url.Values{"code": {used}}, "")
		if !strings.Contains(r.Text(".errornote"), "That code is not valid") {
			t.Fatalf("replayed code: %d %s", r.StatusCode, r.Text(".errornote"))
		}
		expectRedirect(t, c.Submit(r, "#two-factor-form", url.Values{"code": {code(secret, 1)}}, ""), "/admin/")

		// A recovery code works once.
		logOut()
		passwordStep(c, "root", "")
		expectRedirect(t, c.Submit(c.Get("/admin/login/verify/"), "#two-factor-form", url.Values{"code": {codes[0]}}, ""), "/admin/")
		logOut()
		passwordStep(c, "root", next)
		verify = c.Get("/admin/login/verify/?next=" + url.QueryEscape(next))
		r = c.Submit(verify, "#two-factor-form", url.Values{"code": {codes[0]}}, "")
		if !strings.Contains(r.Text(".errornote"), "That code is not valid") {
			t.Fatalf("reused recovery code: %d %s", r.StatusCode, r.Text(".errornote"))
		}

		// Five wrong codes in a row drop the sign-in: the password again.
		for range 3 {
			r = c.Submit(r, "#two-factor-form", url.Values{"code": {"111111"}}, "")
			expectStatus(t, r, 200)
		}
		r = c.Submit(r, "#two-factor-form", url.Values{"code": {"111111"}}, "")
		expectRedirect(t, r, "/admin/login/?next=%2Fadmin%2Fnotes%2Fnote%2F")
		if msg := c.Follow(r).Text(".messagelist"); !strings.Contains(msg, "Too many wrong codes") {
			t.Errorf("after five wrong codes: %q", msg)
		}
		expectRedirect(t, c.Get("/admin/login/verify/"), "/admin/login/")
		expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")

		// New recovery codes, then turning it off, each with the password.
		passwordStep(c, "root", "")
		expectRedirect(t, c.Submit(c.Get("/admin/login/verify/"), "#two-factor-form", url.Values{"code": {codes[1]}}, ""), "/admin/")
		key = c.Cookie("sessionid")
		fresh := c.Submit(c.Get("/admin/two_factor/recovery_codes/"), "#two-factor-confirm-form", url.Values{"password": {"pw"}}, "")
		if n := fresh.Find(".recovery-codes code").Length(); n != 10 {
			t.Fatalf("%d new recovery codes\n%s", n, fresh.Body)
		}
		rotated(t, c, &key, "new recovery codes")
		if st := c.Get("/admin/two_factor/").Text("#content-main"); !strings.Contains(st, "is on") || !strings.Contains(st, "10 unused recovery codes") {
			t.Errorf("status: %s", st)
		}
		expectRedirect(t, c.Submit(c.Get("/admin/two_factor/disable/"), "#two-factor-confirm-form", url.Values{"password": {"pw"}}, ""), "/admin/two_factor/")
		rotated(t, c, &key, "turning off")
		logOut()
		expectRedirect(t, passwordStep(c, "root", ""), "/admin/")
	})
}

func TestTwoFactorRequired(t *testing.T) {
	for _, c := range []struct {
		name   string
		policy admin.TwoFactorPolicy
	}{
		{"site", admin.TwoFactorPolicy{Required: true}},
		{"group", admin.TwoFactorPolicy{Groups: []string{"Editors"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			eachDialect(t, func(t *testing.T, dialect string) {
				app := twoFactorSite(t, dialect, c.policy)
				ctx := context.Background()
				for _, name := range []string{"ann", "bob"} {
					u, err := staffroom.CreateUser(ctx, app, name, "", "pw", false)
					if err != nil {
						t.Fatal(err)
					}
					u.IsStaff = true
					if err := app.DB.Update(ctx, u, "is_staff"); err != nil {
						t.Fatal(err)
					}
				}
				editors := &auth.Group{Name: "Editors"}
				if err := app.DB.Insert(ctx, editors); err != nil {
					t.Fatal(err)
				}
				ann, _ := orm.Get[auth.User](ctx, orm.For[auth.User](app.DB), orm.Q{"username": "ann"})
				if err := app.DB.SetM2M(ctx, ann, "groups", []int64{editors.ID}); err != nil {
					t.Fatal(err)
				}

				// bob, outside the group, needs no second factor unless the site requires one.
				bob := webtest.New(t, app.Handler)
				if c.policy.Required {
					expectRedirect(t, passwordStep(bob, "bob", ""), "/admin/login/enrol/")
				} else {
					expectRedirect(t, passwordStep(bob, "bob", ""), "/admin/")
				}

				// ann must enrol before she is logged in.
				w := webtest.New(t, app.Handler)
				key := w.Cookie("sessionid")
				expectRedirect(t, passwordStep(w, "ann", "/admin/password_change/"), "/admin/login/enrol/?next=%2Fadmin%2Fpassword_change%2F")
				rotated(t, w, &key, "password")
				expectRedirect(t, w.Get("/admin/"), "/admin/login/?next=/admin/")
				expectRedirect(t, w.Get("/admin/login/verify/"), "/admin/login/")
				expectRedirect(t, passwordStep(w, "ann", "/admin/password_change/"), "/admin/login/enrol/?next=%2Fadmin%2Fpassword_change%2F")
				enrol := w.Get("/admin/login/enrol/?next=%2Fadmin%2Fpassword_change%2F")
				expectStatus(t, enrol, 200)
				_, wrong := enrolOnPage(t, w, enrol, 5, nil)
				if !strings.Contains(wrong.Text(".errornote"), "That code is not valid") {
					t.Fatalf("wrong enrolment code: %s", wrong.Text(".errornote"))
				}
				secret, done := enrolOnPage(t, w, wrong, 0, nil)
				expectStatus(t, done, 200)
				rotated(t, w, &key, "enrolment")
				if n := done.Find(".recovery-codes code").Length(); n != 10 {
					t.Fatalf("%d recovery codes", n)
				}
				if href, _ := done.Find(".two-factor-codes a.button").Attr("href"); href != "/admin/password_change/" {
					t.Errorf("continue to %q", href)
				}
				expectStatus(t, w.Get("/admin/password_change/"), 200)

				// She may not turn it off; and a later sign-in cannot enrol another device.
				r := w.Submit(w.Get("/admin/two_factor/disable/"), "#two-factor-confirm-form", url.Values{"password": {"pw"}}, "")
				expectRedirect(t, r, "/admin/two_factor/")
				if on, _ := app.Auth.HasTwoFactor(ctx, ann); !on {
					t.Fatal("ann turned off a required second factor")
				}
				w.Submit(w.Get("/admin/"), "#logout-form", nil, "")
				expectRedirect(t, passwordStep(w, "ann", ""), "/admin/login/verify/")
				expectRedirect(t, w.Get("/admin/login/enrol/"), "/admin/login/")
				if d, _ := orm.Get[auth.TOTPDevice](ctx, orm.For[auth.TOTPDevice](app.DB), orm.Q{"user": ann.ID}); d.PendingSecret != "" {
					t.Error("a pending sign-in started an enrolment in place of ann's device")
				}
				passwordStep(w, "ann", "")
				expectRedirect(t, w.Submit(w.Get("/admin/login/verify/"), "#two-factor-form", url.Values{"code": {code(secret, 1)}}, ""), "/admin/")
			})
		})
	}
}

// TestTwoFactorPolicyOnOpenSessions: a session logged in before the site
// required a second factor is sent to set one up before any other page.
func TestTwoFactorPolicyOnOpenSessions(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		dbURL := testdb.URL(t, dialect)
		before := twoFactorApp(t, dbURL, admin.TwoFactorPolicy{})
		ctx := context.Background()
		if _, err := before.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if _, err := staffroom.CreateUser(ctx, before, "root", "", "pw", true); err != nil {
			t.Fatal(err)
		}
		c := webtest.New(t, before.Handler)
		expectRedirect(t, passwordStep(c, "root", ""), "/admin/")
		after := twoFactorApp(t, dbURL, admin.TwoFactorPolicy{Required: true})
		c2 := webtest.NewClient(t, webtest.New(t, after.Handler).URL)
		c2.SetCookie("sessionid", c.Cookie("sessionid"))
		c2.SetCookie("csrftoken", c.Cookie("csrftoken"))
		for _, path := range []string{"/admin/", "/admin/notes/note/", "/admin/two_factor/"} {
			expectRedirect(t, c2.Get(path), "/admin/two_factor/setup/")
		}
		setup := c2.Get("/admin/two_factor/setup/")
		if !strings.Contains(setup.Text(".messagelist"), "requires two-factor sign-in") {
			t.Errorf("message: %q", setup.Text(".messagelist"))
		}
		_, done := enrolOnPage(t, c2, setup, 0, url.Values{"password": {"pw"}})
		expectStatus(t, done, 200)
		expectStatus(t, c2.Get("/admin/notes/note/"), 200)
	})
}
