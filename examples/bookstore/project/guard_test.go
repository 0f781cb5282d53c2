package project_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/guard"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
)

// hostRequest is a request to the test server that says it is for host,
// as a client that chooses its Host header sends it: with the Origin that
// goes with it.
func hostRequest(t *testing.T, c *webtest.Client, method, path, host string, values url.Values) *http.Request {
	t.Helper()
	req := mustRequest(t, method, c.URL+path, values)
	req.Host = host
	if method == http.MethodPost {
		req.Header.Set("Origin", "http://"+host)
	}
	return req
}

// resetAsHost asks for a password reset for admin's address on a page got
// and posted with the Host header host.
func resetAsHost(t *testing.T, c *webtest.Client, host string) *webtest.Response {
	t.Helper()
	page := c.Do(hostRequest(t, c, "GET", "/admin/password_reset/", host, nil))
	_, values := page.FormValues("#password-reset-form")
	values.Set("email", "admin@example.com")
	return c.Do(hostRequest(t, c, "POST", "/admin/password_reset/", host, values))
}

// TestResetPoisoning is issue 9's finding 1: a reset asked for with a Host
// header the site does not answer to is refused, and mails nothing; the
// links in mails come from the base URL or an allowed host.
func TestResetPoisoning(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			box := &mailbox{}
			app := newAppWith(t, d, staffroom.Config{Mail: &auth.ConsoleSender{W: box}})
			c := webtest.New(t, app.Handler)
			for _, host := range []string{"evil.example", "evil.example:8000", "127.0.0.1.evil.example"} {
				page := c.Do(hostRequest(t, c, "GET", "/admin/password_reset/", host, nil))
				if page.StatusCode != http.StatusBadRequest {
					t.Errorf("GET with Host %s: %d, want 400", host, page.StatusCode)
				}
				// Whatever the page gave, the attacker posts it.
				values := url.Values{"csrfmiddlewaretoken": {"x"}}
				if page.Find("#password-reset-form").Length() > 0 {
					_, values = page.FormValues("#password-reset-form")
				}
				values.Set("email", "admin@example.com")
				if r := c.Do(hostRequest(t, c, "POST", "/admin/password_reset/", host, values)); r.StatusCode != http.StatusBadRequest {
					t.Errorf("POST with Host %s: %d, want 400", host, r.StatusCode)
				}
			}
			if mails := box.String(); mails != "" {
				t.Fatalf("mails sent:\n%s", mails)
			}
			// An allowed host, without a base URL: the link uses it.
			expectRedirect(t, resetAsHost(t, c, "localhost:8123"), "/admin/password_reset/done/")
			if link := resetLink.FindString(box.String()); !strings.HasPrefix(link, "http://localhost:8123/admin/reset/") {
				t.Errorf("link %q, want one to the allowed host the request named", link)
			}
			// The site alone, without the guard in front, still builds no
			// link to a host it does not answer to.
			bare := webtest.New(t, app.Site)
			if r := resetAsHost(t, bare, "evil.example"); r.StatusCode != http.StatusBadRequest || strings.Contains(box.String(), "evil") {
				t.Errorf("the site alone: %d, mails:\n%s", r.StatusCode, box.String())
			}
		})
	}
}

// TestResetLinkHosts builds reset links from configured hosts and a
// trusted proxy's headers.
func TestResetLinkHosts(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			box := &mailbox{}
			app := newAppWith(t, d, staffroom.Config{Mail: &auth.ConsoleSender{W: box},
				Guard: guard.Config{AllowedHosts: []string{"staff.example.com", "127.0.0.1"}, TrustProxy: true}})
			c := webtest.New(t, app.Handler)
			expectRedirect(t, resetAsHost(t, c, "staff.example.com"), "/admin/password_reset/done/")
			if link := resetLink.FindString(box.String()); !strings.HasPrefix(link, "http://staff.example.com/admin/reset/") {
				t.Errorf("link %q, want one to staff.example.com", link)
			}
			if r := c.Do(hostRequest(t, c, "GET", "/admin/password_reset/", "localhost", nil)); r.StatusCode != http.StatusBadRequest {
				t.Errorf("localhost, not configured: %d, want 400", r.StatusCode)
			}
			// Behind the proxy: its forwarded host and scheme.
			box.buf.Reset()
			fwd := func(req *http.Request) *http.Request {
				req.Header.Set("X-Forwarded-Host", "staff.example.com")
				req.Header.Set("X-Forwarded-Proto", "https")
				if req.Method == http.MethodPost {
					req.Header.Set("Origin", "https://staff.example.com")
				}
				return req
			}
			page := c.Do(fwd(hostRequest(t, c, "GET", "/admin/password_reset/", "10.0.0.1:8000", nil)))
			_, values := page.FormValues("#password-reset-form")
			values.Set("email", "admin@example.com")
			cookies := page.Cookies()
			if len(cookies) != 1 || cookies[0].Name != "csrftoken" || !cookies[0].Secure {
				t.Fatalf("cookies behind an https proxy: %v, want a Secure csrftoken", cookies)
			}
			post := fwd(hostRequest(t, c, "POST", "/admin/password_reset/", "10.0.0.1:8000", values))
			post.AddCookie(cookies[0]) // the jar keeps Secure cookies for https
			expectRedirect(t, c.Do(post), "/admin/password_reset/done/")
			if link := resetLink.FindString(box.String()); !strings.HasPrefix(link, "https://staff.example.com/admin/reset/") {
				t.Errorf("link %q, want the proxy's https://staff.example.com", link)
			}
		})
	}
}

// countTemp counts the temporary files of multipart bodies in dir (where
// the test's databases may be too).
func countTemp(t *testing.T, dir string) int {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "multipart-") {
			n++
		}
	}
	return n
}

// postUpload posts a multipart form with a file of size bytes.
func postUpload(t *testing.T, c *webtest.Client, path string, values url.Values, size int) *webtest.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, vs := range values {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	fw, _ := mw.CreateFormFile("cover", "cover.bin")
	fw.Write(bytes.Repeat([]byte("x"), size))
	mw.Close()
	req, err := http.NewRequest(http.MethodPost, c.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Origin", c.URL)
	return c.Do(req)
}

// TestUploadTempFiles is issue 9's finding 3: multipart posts leave no
// temporary file behind, whether refused (no login, no CSRF token), invalid
// or saved; and a body over the upload limit is refused with 413.
func TestUploadTempFiles(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			app := newApp(t, d)
			const size = 3 << 20 // beyond what is kept in memory
			anon := webtest.New(t, app.Handler)
			anon.SetCookie("csrftoken", strings.Repeat("a", 32))
			for _, path := range []string{"/admin/login/", "/admin/bookstore/book/add/"} {
				// Larger than any memory the parse may use, so that a temporary
				// file is made.
				if r := postUpload(t, anon, path, url.Values{"name": {"x"}}, 33<<20); r.StatusCode != http.StatusForbidden {
					t.Errorf("anonymous upload without a token to %s: %d, want 403", path, r.StatusCode)
				}
				if n := countTemp(t, tmp); n != 0 {
					t.Errorf("%d temporary files left by a refused upload to %s", n, path)
				}
			}
			c := webtest.New(t, app.Handler)
			expectRedirect(t, login(t, c, "admin", password), "/admin/")
			for _, model := range []string{"publisher", "book"} {
				page := c.Get("/admin/bookstore/" + model + "/add/")
				action, values := page.FormValues("#" + model + "_form")
				// Invalid: the required fields are empty.
				if r := postUpload(t, c, strings.TrimPrefix(action, c.URL), url.Values{"csrfmiddlewaretoken": values["csrfmiddlewaretoken"]}, size); r.StatusCode != http.StatusOK {
					t.Errorf("invalid %s: %d, want the form again", model, r.StatusCode)
				}
				if n := countTemp(t, tmp); n != 0 {
					t.Errorf("%d temporary files left by an invalid %s", n, model)
				}
			}
			page := c.Get("/admin/bookstore/publisher/add/")
			action, values := page.FormValues("#publisher_form")
			values.Set("name", "Uploads Ltd")
			if r := postUpload(t, c, strings.TrimPrefix(action, c.URL), values, size); r.StatusCode != http.StatusFound {
				t.Errorf("saved publisher: %d, want 302\n%s", r.StatusCode, r.Body)
			}
			if n := countTemp(t, tmp); n != 0 {
				t.Errorf("%d temporary files left by a saved form", n)
			}
			if r := postUpload(t, c, strings.TrimPrefix(action, c.URL), values, 80<<20); r.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("an 80 MB upload: %d, want 413", r.StatusCode)
			}
			if n := countTemp(t, tmp); n != 0 {
				t.Errorf("%d temporary files left by a refused upload", n)
			}
		})
	}
}

// TestSecureBehindProxy logs in through a proxy that terminates HTTPS: the
// session and CSRF cookies are Secure and HSTS is sent; the same request
// from a client the site does not trust gets neither.
func TestSecureBehindProxy(t *testing.T) {
	for _, trust := range []bool{true, false} {
		app := newAppWith(t, "sqlite", staffroom.Config{Guard: guard.Config{TrustProxy: trust, HSTS: guard.HSTS{MaxAge: time.Hour}}})
		c := webtest.New(t, app.Handler)
		send := func(req *http.Request, cookies ...*http.Cookie) *webtest.Response {
			req.Header.Set("X-Forwarded-Proto", "https")
			if req.Method == http.MethodPost {
				req.Header.Set("Origin", "https://"+req.Host)
			}
			for _, ck := range cookies {
				req.AddCookie(ck)
			}
			return c.Do(req)
		}
		u, _ := url.Parse(c.URL)
		page := send(hostRequest(t, c, "GET", "/admin/login/", u.Host, nil))
		_, values := page.FormValues("#login-form")
		values.Set("username", "admin")
		values.Set("password", password)
		r := send(hostRequest(t, c, "POST", "/admin/login/?next=/admin/", u.Host, values), page.Cookies()...)
		if !trust {
			// The Origin says https, the site sees http.
			expect(t, r, http.StatusForbidden)
			if page.Header.Get("Strict-Transport-Security") != "" || page.Cookies()[0].Secure {
				t.Errorf("untrusted: HSTS %q, cookie %v", page.Header.Get("Strict-Transport-Security"), page.Cookies())
			}
			continue
		}
		expectRedirect(t, r, "/admin/")
		for _, ck := range r.Cookies() {
			if !ck.Secure {
				t.Errorf("cookie %s not Secure behind an https proxy", ck.Name)
			}
		}
		if len(r.Cookies()) != 2 || r.Header.Get("Strict-Transport-Security") != "max-age=3600" {
			t.Errorf("cookies %v, HSTS %q", r.Cookies(), r.Header.Get("Strict-Transport-Security"))
		}
	}
}
