package project_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// The security tests attack what the admin protects, through HTTP, on
// every dialect.

// TestSessionFixation plants a session key in the victim's browser before
// they log in: the login must move them to a key the attacker does not
// know, and the planted key must not be logged in.
func TestSessionFixation(t *testing.T) { eachDialect(t, sessionFixation) }

func sessionFixation(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	planted := app.Sessions.Session(ctx, "")
	planted.Set("lure", "yes")
	if err := planted.Save(ctx); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{planted.Key(), "madeupkey0123456789abcdefghijklm"} {
		victim, attacker := webtest.New(t, app.Handler), webtest.New(t, app.Handler)
		victim.SetCookie("sessionid", key)
		attacker.SetCookie("sessionid", key)
		expectRedirect(t, login(t, victim, "admin", password), "/admin/")
		if got := victim.Cookie("sessionid"); got == key || got == "" {
			t.Errorf("the login kept the planted key %q", key)
		}
		expect(t, victim.Get("/admin/"), 200)
		expectRedirect(t, attacker.Get("/admin/"), "/admin/login/?next=/admin/")
	}
}

// TestCSRFAttacks posts to the login, logout and password change views
// from another origin and without, or with a wrong, token.
func TestCSRFAttacks(t *testing.T) { eachDialect(t, cSRFAttacks) }

func cSRFAttacks(t *testing.T, app *staffroom.App) {
	c, other := webtest.New(t, app.Handler), webtest.New(t, app.Handler)
	loginPage := c.Get("/admin/login/")
	_, loginValues := loginPage.FormValues("#login-form")
	loginValues.Set("username", "admin")
	loginValues.Set("password", password)
	otherToken, _ := other.Get("/admin/login/").Find("input[name=csrfmiddlewaretoken]").Attr("value")
	cases := []struct {
		name, token, origin, reason string
		noCookie                    bool
	}{
		{"another origin", "", "https://evil.example", "Origin checking failed - https://evil.example does not match any trusted origins.", false},
		{"the same host on another scheme", "", "https://" + strings.TrimPrefix(c.URL, "http://"), "Origin checking failed", false},
		{"missing token", "-", "", "CSRF token missing.", false},
		{"wrong token", strings.Repeat("a", 64), "", "CSRF token from POST incorrect.", false},
		{"another browser's token", otherToken, "", "CSRF token from POST incorrect.", false},
		{"malformed token", "x!", "", "CSRF token from POST has incorrect length.", false},
		{"no cookie", "", "", "CSRF cookie not set.", true},
	}
	for _, tc := range cases {
		values := url.Values{}
		for k, v := range loginValues {
			values[k] = v
		}
		switch tc.token {
		case "":
		case "-":
			values.Del("csrfmiddlewaretoken")
		default:
			values.Set("csrfmiddlewaretoken", tc.token)
		}
		client := c
		if tc.noCookie {
			client = webtest.New(t, app.Handler)
		}
		req := mustRequest(t, "POST", c.URL+"/admin/login/", values)
		if tc.origin != "" {
			req.Header.Set("Origin", tc.origin)
		}
		r := client.Do(req)
		if r.StatusCode != 403 || !strings.Contains(r.Body, "CSRF verification failed. Request aborted.") || !strings.Contains(r.Body, tc.reason) {
			t.Errorf("%s: %d\n%s", tc.name, r.StatusCode, r.Body)
		}
	}
	expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
	// Logged in, the state-changing views refuse a forged post too.
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	change := c.Get("/admin/password_change/")
	for _, form := range []struct{ path, selector string }{{"/admin/logout/", "#logout-form"}, {"/admin/password_change/", "#password-change-form"}} {
		_, values := change.FormValues(form.selector)
		values.Set("old_password", password)
		values.Set("new_password1", "a hijacked passphrase")
		values.Set("new_password2", "a hijacked passphrase")
		req := mustRequest(t, "POST", c.URL+form.path, values)
		req.Header.Set("Origin", "https://evil.example")
		if r := c.Do(req); r.StatusCode != 403 {
			t.Errorf("forged POST %s: %d", form.path, r.StatusCode)
		}
	}
	expect(t, c.Get("/admin/"), 200)
	if ok, _ := app.Auth.Hashers().Check(password, getUser(t, app, "admin").Password); !ok {
		t.Error("a forged password change went through")
	}
}

// TestOpenRedirects logs in through the real login view with the
// contract's good and bad next values.
func TestOpenRedirects(t *testing.T) { eachDialect(t, openRedirects) }

func openRedirects(t *testing.T, app *staffroom.App) {
	srv := webtest.New(t, app.Handler)
	host := strings.TrimPrefix(srv.URL, "http://")
	bad := []string{"http://example.com", "http:///example.com", "https://example.com", "ftp://example.com",
		"///example.com", "//example.com", `javascript:alert("XSS")`, `/\example.com`, `\\example.com`, "\x01/example.com"}
	good := []string{"/view/?param=http://example.com", "view/?param=//example.com", "https://" + host + "/",
		"HTTPS://" + host + "/", "//" + host + "/", "/url%20with%20spaces/"}
	for _, next := range append(bad, good...) {
		c := webtest.NewClient(t, srv.URL)
		page := c.Get("/admin/login/?next=" + url.QueryEscape(next))
		expect(t, page, 200)
		want := next
		if next == "view/?param=//example.com" {
			want = "/admin/login/" + next // net/http resolves a relative Location, as the browser would
		}
		if contains(bad, next) {
			want = "/admin/"
			if v, _ := page.Find("#login-form input[name=next]").Attr("value"); v != "" {
				t.Errorf("bad next %q kept in the form as %q", next, v)
			}
		}
		r := c.Submit(page, "#login-form", url.Values{"username": {"admin"}, "password": {password}}, "")
		// The POSTed next wins over the query string's.
		r2 := webtest.NewClient(t, srv.URL)
		p2 := r2.Get("/admin/login/?next=/admin/bookstore/")
		r2resp := r2.Submit(p2, "#login-form", url.Values{"username": {"admin"}, "password": {password}, "next": {next}}, "")
		for _, resp := range []*webtest.Response{r, r2resp} {
			if resp.StatusCode != 302 || resp.Location() != want {
				t.Errorf("next %q: %d to %q, want %q", next, resp.StatusCode, resp.Location(), want)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestDisabledAccount refuses an inactive account's login and ends the
// sessions of an account disabled while logged in.
func TestDisabledAccount(t *testing.T) { eachDialect(t, disabledAccount) }

func disabledAccount(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	u, err := staffroom.CreateUser(ctx, app, "temp", "", "temp password", true)
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "temp", "temp password"), "/admin/")
	u.IsActive = false
	if err := app.DB.Update(ctx, u, "is_active"); err != nil {
		t.Fatal(err)
	}
	expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
	r := login(t, webtest.New(t, app.Handler), "temp", "temp password")
	expect(t, r, 200)
	if got := r.Text(".errornote"); got != staffLoginError {
		t.Errorf("inactive login: %q", got)
	}
}

// TestBruteForce guesses past the throttle: after ten failures in a row
// from one address even the right password is refused there, alike for
// known and unknown users, until the cool-off ends; a success then clears
// the account's count, not the address's. A superuser, logged in before,
// sees the lockout in the admin and lifts it; nobody else sees it.
func TestBruteForce(t *testing.T) { eachDialect(t, bruteForce) }

func bruteForce(t *testing.T, app *staffroom.App) {
	boss := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, boss, "admin", password), "/admin/")
	ctx := context.Background()
	staff, err := staffroom.CreateUser(ctx, app, "staff", "", "staff password", false)
	if err != nil {
		t.Fatal(err)
	}
	staff.IsStaff = true
	if err := app.DB.Update(ctx, staff, "is_staff"); err != nil {
		t.Fatal(err)
	}
	other := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, other, "staff", "staff password"), "/admin/")
	c := webtest.New(t, app.Handler)
	for i := range 10 {
		r := login(t, c, "admin", "guess "+itoa(int64(i)))
		if r.StatusCode != 200 || r.Text(".errornote") != staffLoginError {
			t.Fatalf("guess %d: %d %q", i, r.StatusCode, r.Text(".errornote"))
		}
	}
	const throttled = "Too many failed login attempts. Please try again in 1 minute."
	for _, user := range []string{"admin", "no-such-user"} {
		r := login(t, webtest.New(t, app.Handler), user, password)
		if r.StatusCode != 429 || r.Text(".errornote") != throttled || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s after ten failures: %d %q %q", user, r.StatusCode, r.Text(".errornote"), r.Header.Get("Retry-After"))
		}
	}
	expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
	// The superuser sees the address and the username from it locked.
	list := boss.Get("/admin/staffroom_auth/loginthrottle/")
	expect(t, list, 200)
	if got := list.Text("#result_list tbody td.field-address"); got != "127.0.0.1 127.0.0.1" {
		t.Errorf("addresses %q", got)
	}
	if n := list.Find("#result_list tbody td.field-locked img[alt=True]").Length(); n != 2 {
		t.Errorf("%d locked rows", n)
	}
	if got := boss.Get("/admin/staffroom_auth/loginthrottle/?q=ADMIN").Find("#result_list tbody tr").Length(); got != 1 {
		t.Errorf("a search by username finds %d rows", got)
	}
	expect(t, other.Get("/admin/staffroom_auth/loginthrottle/"), 403)
	if strings.Contains(other.Get("/admin/").Body, "loginthrottle") {
		t.Error("the index shows login throttling to a staff user")
	}
	// The cool-off passes.
	past := time.Now().Add(-time.Second).UTC()
	if _, err := orm.For[auth.LoginThrottle](app.DB).Filter(orm.Q{"locked_until__isnull": false}).Update(context.Background(),
		map[string]any{"locked_until": past}); err != nil {
		t.Fatal(err)
	}
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	if n := count[auth.LoginThrottle](t, app, orm.Q{"scope": auth.ScopeUsernameAddress}); n != 0 {
		t.Errorf("%d counts of the username left after a successful login", n)
	}
	if n := count[auth.LoginThrottle](t, app, orm.Q{"scope": auth.ScopeAddress, "failures": 10}); n != 1 {
		t.Errorf("the address's count did not stay")
	}
	// The superuser lifts the address's lockout by deleting its row.
	row, err := orm.Get[auth.LoginThrottle](ctx, orm.For[auth.LoginThrottle](app.DB), orm.Q{"scope": auth.ScopeAddress})
	if err != nil {
		t.Fatal(err)
	}
	confirm := boss.Get("/admin/staffroom_auth/loginthrottle/" + itoa(row.ID) + "/delete/")
	expect(t, confirm, 200)
	expectRedirect(t, boss.Submit(confirm, "#content form", nil, ""), "/admin/staffroom_auth/loginthrottle/")
	if n, _ := orm.For[auth.LoginThrottle](app.DB).Count(ctx); n != 0 {
		t.Errorf("%d throttle rows left", n)
	}
}

// TestTamperedSessions changes session cookies and rows: nothing forged
// is logged in, and nothing fails with a server error.
func TestTamperedSessions(t *testing.T) {
	for _, d := range testdb.Dialects() {
		for _, engine := range []session.Engine{session.Database, session.SignedCookies} {
			t.Run(d+"/"+string(engine), func(t *testing.T) {
				app := newAppWith(t, d, staffroom.Config{SessionEngine: engine})
				tamperedSessions(t, app, engine)
			})
		}
	}
}

func tamperedSessions(t *testing.T, app *staffroom.App, engine session.Engine) {
	ctx := context.Background()
	clerk, err := staffroom.CreateUser(ctx, app, "clerk", "", "clerk password", false)
	if err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	key := c.Cookie("sessionid")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'a' {
			b[i] = 'b'
		} else {
			b[i] = 'a'
		}
		return string(b)
	}
	forged := []string{flip(key, 0), flip(key, len(key)-1), key + "x", "", strings.Repeat("z", 32)}
	if engine == session.SignedCookies {
		forged = append(forged, promote(t, key, clerk.ID))
	}
	for _, f := range forged {
		attacker := webtest.New(t, app.Handler)
		attacker.SetCookie("sessionid", f)
		r := attacker.Get("/admin/")
		expectRedirect(t, r, "/admin/login/?next=/admin/")
	}
	if engine == session.Database {
		// A row whose data was altered without the key is empty.
		row, err := orm.Get[session.Session](ctx, orm.For[session.Session](app.DB), orm.Q{"session_key": key})
		if err != nil {
			t.Fatal(err)
		}
		row.SessionData = flip(row.SessionData, 3)
		if err := app.DB.Update(ctx, row, "session_data"); err != nil {
			t.Fatal(err)
		}
	} else {
		c.SetCookie("sessionid", flip(key, 3))
	}
	expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
}

// promote rewrites the payload of a signed session cookie to name another
// user, keeping the signature: what an attacker without the key can do.
func promote(t *testing.T, cookie string, userID int64) string {
	t.Helper()
	payload, rest, _ := strings.Cut(cookie, ":")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(payload, "."))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(payload, ".") {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		if raw, err = io.ReadAll(zr); err != nil {
			t.Fatal(err)
		}
	}
	var data map[string]any
	if err := json.Unmarshal(raw, &data); err != nil {
		t.Fatal(err)
	}
	data[auth.SessionUserID] = itoa(userID)
	b, _ := json.Marshal(data)
	return base64.RawURLEncoding.EncodeToString(b) + ":" + rest
}

// TestSessionAfterPasswordChange ends every session of a user whose
// password changes outside the session (a reset, the command line).
func TestSessionAfterPasswordChange(t *testing.T) { eachDialect(t, sessionAfterPasswordChange) }

func sessionAfterPasswordChange(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	laptop, phone := webtest.New(t, app.Handler), webtest.New(t, app.Handler)
	expectRedirect(t, login(t, laptop, "admin", password), "/admin/")
	expectRedirect(t, login(t, phone, "admin", password), "/admin/")
	if err := app.Auth.ChangePassword(ctx, getUser(t, app, "admin"), "a changed passphrase"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []*webtest.Client{laptop, phone} {
		expectRedirect(t, c.Get("/admin/bookstore/book/"), "/admin/login/?next=/admin/bookstore/book/")
	}
}

// TestSecurityHeaders checks every kind of admin page, errors included,
// for the headers that keep it out of frames, caches and sniffers.
func TestSecurityHeaders(t *testing.T) { eachDialect(t, securityHeaders) }

func securityHeaders(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)
	var pages []*webtest.Response
	pages = append(pages, c.Get("/admin/login/"), c.Get("/admin/password_reset/"), c.Get("/admin/reset/MQ/1-abc/"),
		c.Get("/admin/"), c.Post("/admin/login/", url.Values{"username": {"x"}}))
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	book := "/admin/bookstore/book/1/"
	for _, p := range []string{"/admin/", "/admin/bookstore/", "/admin/bookstore/book/", "/admin/bookstore/book/add/", book + "change/",
		book + "history/", book + "delete/", "/admin/auth/user/1/password/", "/admin/password_change/", "/admin/password_change/done/",
		"/admin/nosuchapp/", "/admin/auth/user/?password=x", "/admin/sessions/session/"} {
		pages = append(pages, c.Get(p))
	}
	pages = append(pages, c.Post("/admin/logout/", url.Values{}))
	for _, r := range pages {
		for k, want := range map[string]string{
			"X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin",
			"Cache-Control": "max-age=0, no-cache, no-store, must-revalidate, private",
		} {
			if got := r.Header.Get(k); got != want {
				t.Errorf("%s %s (%d): %s = %q", r.Request.Method, r.Request.URL.Path, r.StatusCode, k, got)
			}
		}
		csp := r.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe") {
			t.Errorf("%s: CSP %q", r.Request.URL.Path, csp)
		}
		if strings.Contains(r.Body, " style=") || strings.Contains(r.Body, "<script>") || strings.Contains(r.Body, " onclick=") {
			t.Errorf("%s: inline style or script, which the CSP blocks", r.Request.URL.Path)
		}
	}
}
