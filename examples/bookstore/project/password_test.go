package project_test

import (
	"bytes"
	"context"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
)

// mailbox is where the console sender writes the mails of a test.
type mailbox struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (m *mailbox) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.buf.Write(p)
}

func (m *mailbox) String() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.buf.String()
}

var resetLink = regexp.MustCompile(`https?://[^\s]+/admin/reset/[^\s]+/`)

func TestPasswordChange(t *testing.T) { eachDialect(t, passwordChange) }

func passwordChange(t *testing.T, app *staffroom.App) {
	c, other := webtest.New(t, app.Handler), webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	expectRedirect(t, login(t, other, "admin", password), "/admin/")
	index := c.Get("/admin/")
	if index.Find(`#user-tools a[href="/admin/password_change/"]`).Text() != "Change password" {
		t.Errorf("no Change password link in the user tools: %s", index.Text("#user-tools"))
	}
	page := c.Get("/admin/password_change/")
	expect(t, page, 200)
	if got := page.Text("#content h1"); got != "Password change" {
		t.Errorf("title %q", got)
	}
	if n := page.Find("#password-change-form .field-new_password1 .help li").Length(); n != 4 {
		t.Errorf("%d validator help texts", n)
	}
	cases := []struct {
		name          string
		old, p1, p2   string
		field, errors string
	}{
		{"wrong old password", "nope", "a sturdy new passphrase", "a sturdy new passphrase", "old_password", "Your old password was entered incorrectly. Please enter it again."},
		{"mismatch", password, "a sturdy new passphrase", "a sturdy new passphrase!", "new_password2", "The two password fields didn’t match."},
		{"weak", password, "admin123", "admin123", "new_password2", "The password is too similar to the username. This password is too common."},
		{"missing", password, "", "", "new_password1", "This field is required."},
	}
	for _, tc := range cases {
		r := c.Submit(page, "#password-change-form", url.Values{"old_password": {tc.old}, "new_password1": {tc.p1}, "new_password2": {tc.p2}}, "")
		expect(t, r, 200)
		if got := r.Text("#password-change-form .field-" + tc.field + " .errorlist li"); got != tc.errors {
			t.Errorf("%s: errors %q, want %q", tc.name, got, tc.errors)
		}
		if v, _ := r.Find("#id_new_password1").Attr("value"); v != "" {
			t.Errorf("%s: a password was written back into the page", tc.name)
		}
	}
	r := c.Submit(page, "#password-change-form", url.Values{"old_password": {password}, "new_password1": {"a sturdy new passphrase"}, "new_password2": {"a sturdy new passphrase"}}, "")
	expectRedirect(t, r, "/admin/password_change/done/")
	done := c.Follow(r)
	if got := done.Text("#content"); !strings.Contains(got, "Your password was changed.") {
		t.Errorf("done page %q", got)
	}
	// This session stays logged in; the other one ends.
	expect(t, c.Get("/admin/"), 200)
	expectRedirect(t, other.Get("/admin/"), "/admin/login/?next=/admin/")
	fresh := webtest.New(t, app.Handler)
	expect(t, login(t, fresh, "admin", password), 200)
	expectRedirect(t, login(t, fresh, "admin", "a sturdy new passphrase"), "/admin/")
	// Anonymous visitors cannot reach it.
	expectRedirect(t, webtest.New(t, app.Handler).Get("/admin/password_change/"), "/admin/login/?next=/admin/password_change/")
}

func TestPasswordReset(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			box := &mailbox{}
			app := newAppWith(t, d, staffroom.Config{Mail: &auth.ConsoleSender{W: box}, BaseURL: "https://staff.example.com"})
			passwordReset(t, app, box)
		})
	}
}

func passwordReset(t *testing.T, app *staffroom.App, box *mailbox) {
	ctx := context.Background()
	for _, u := range []struct{ name, email string }{{"off", "off@example.com"}, {"sso", "sso@example.com"}} {
		user, err := staffroom.CreateUser(ctx, app, u.name, u.email, "whatever pw", true)
		if err != nil {
			t.Fatal(err)
		}
		if u.name == "off" {
			user.IsActive = false
		} else {
			user.Password = auth.MakeUnusablePassword()
		}
		if err := app.DB.Update(ctx, user, "is_active", "password"); err != nil {
			t.Fatal(err)
		}
	}
	c := webtest.New(t, app.Handler)
	loginPage := c.Get("/admin/login/")
	link := loginPage.Find(`#login-form a[href="/admin/password_reset/"]`)
	if link.Text() != "Forgotten your password or username?" {
		t.Fatalf("no reset link on the login page")
	}
	form := c.Get("/admin/password_reset/")
	expect(t, form, 200)
	bad := c.Submit(form, "#password-reset-form", url.Values{"email": {"not an address"}}, "")
	if got := bad.Text(".field-email .errorlist"); got != "Enter a valid email address." {
		t.Errorf("bad address: %q", got)
	}
	// Unknown, inactive and password-less accounts get the same answer
	// and no mail.
	var pages []string
	for _, email := range []string{"nobody@example.com", "off@example.com", "sso@example.com", "ADMIN@example.com"} {
		r := c.Submit(form, "#password-reset-form", url.Values{"email": {email}}, "")
		expectRedirect(t, r, "/admin/password_reset/done/")
		pages = append(pages, c.Follow(r).Text("#content"))
	}
	if pages[0] != pages[3] || !strings.Contains(pages[0], "If an account uses that address") {
		t.Errorf("the answers differ or say too much: %q", pages)
	}
	mails := box.String()
	if strings.Count(mails, "Subject: ") != 1 || !strings.Contains(mails, "Subject: Password reset on staff.example.com") ||
		!strings.Contains(mails, "To: admin@example.com") || !strings.Contains(mails, "Your username is admin.") {
		t.Fatalf("mails:\n%s", mails)
	}
	target := resetLink.FindString(mails)
	if !strings.HasPrefix(target, "https://staff.example.com/admin/reset/") {
		t.Fatalf("link %q", target)
	}
	path := strings.TrimPrefix(target, "https://staff.example.com")
	token := strings.Split(path, "/")[4]
	// The token moves into the session; the page is served without it.
	r := c.Get(path)
	expect(t, r, 302)
	setURL := r.Location()
	if strings.Contains(setURL, token) || !strings.HasSuffix(setURL, "/set-password/") {
		t.Fatalf("redirect to %q", setURL)
	}
	if other := webtest.New(t, app.Handler).Get(setURL); other.Find("#set-password-form").Length() != 0 {
		t.Error("the set-password page opened in another browser, without the token")
	}
	set := c.Follow(r)
	expect(t, set, 200)
	r = c.Submit(set, "#set-password-form", url.Values{"new_password1": {"brand new passphrase"}, "new_password2": {"brand new passphrase?"}}, "")
	if got := r.Text(".field-new_password2 .errorlist"); got != "The two password fields didn’t match." {
		t.Errorf("mismatch: %q", got)
	}
	r = c.Submit(set, "#set-password-form", url.Values{"new_password1": {"brand new passphrase"}, "new_password2": {"brand new passphrase"}}, "")
	expectRedirect(t, r, "/admin/reset/done/")
	if got := c.Follow(r).Text("#content"); !strings.Contains(got, "Your password has been set.") {
		t.Errorf("complete page %q", got)
	}
	expectRedirect(t, login(t, webtest.New(t, app.Handler), "admin", "brand new passphrase"), "/admin/")
	// The link works once.
	for _, again := range []string{path, setURL} {
		r := c.Get(again)
		expect(t, r, 200)
		if got := r.Text("#content h1"); got != "Password reset unsuccessful" {
			t.Errorf("%s after use: %q", again, got)
		}
	}
	for _, forged := range []string{"/admin/reset/MQ/" + token + "/", "/admin/reset/!!/" + token + "/", "/admin/reset/" + strings.Split(path, "/")[3] + "/1-abc/"} {
		if got := c.Get(forged).Text("#content h1"); got != "Password reset unsuccessful" {
			t.Errorf("%s: %q", forged, got)
		}
	}
}
