package csrf

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// okHandler answers 200 "ok" and records the token it was given.
func okHandler(tokens *[]string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if tokens != nil {
			*tokens = append(*tokens, Token(r))
		}
		io.WriteString(w, "ok")
	})
}

func serve(t testing.TB, h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func csrfCookie(t testing.TB, w *httptest.ResponseRecorder) *http.Cookie {
	t.Helper()
	var found *http.Cookie
	for _, c := range w.Result().Cookies() {
		if c.Name == "csrftoken" {
			if found != nil {
				t.Fatalf("two csrftoken cookies set: %q", w.Header()["Set-Cookie"])
			}
			found = c
		}
	}
	return found
}

// getSecret GETs a page and returns the cookie's secret and the page's token.
func getSecret(t testing.TB, h http.Handler) (secret, token string) {
	t.Helper()
	var tokens []string
	w := serve(t, New(Config{}).Middleware(okHandler(&tokens)), httptest.NewRequest("GET", "/", nil))
	c := csrfCookie(t, w)
	if c == nil {
		t.Fatal("GET set no csrftoken cookie")
	}
	return c.Value, tokens[0]
}

func postForm(values url.Values, secret string) *http.Request {
	r := httptest.NewRequest("POST", "/", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if secret != "" {
		r.AddCookie(&http.Cookie{Name: "csrftoken", Value: secret})
	}
	return r
}

func assertRejected(t testing.TB, w *httptest.ResponseRecorder, reason string) {
	t.Helper()
	if w.Code != http.StatusForbidden {
		t.Fatalf("status %d, want 403 (body %q)", w.Code, w.Body)
	}
	body := w.Body.String()
	if !strings.Contains(body, "CSRF verification failed. Request aborted.") {
		t.Errorf("403 page lacks Django's message: %q", body)
	}
	if reason != "" && !strings.Contains(body, reason) {
		t.Errorf("403 page %q lacks reason %q", body, reason)
	}
}

func assertPassed(t testing.TB, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != http.StatusOK || w.Body.String() != "ok" {
		t.Fatalf("status %d body %q, want 200 ok", w.Code, w.Body)
	}
}

func TestGetSetsCookie(t *testing.T) {
	var tokens []string
	h := New(Config{}).Middleware(okHandler(&tokens))
	w := serve(t, h, httptest.NewRequest("GET", "/", nil))
	assertPassed(t, w)
	c := csrfCookie(t, w)
	if c == nil {
		t.Fatal("no csrftoken cookie")
	}
	if len(c.Value) != 32 || tokenFormatError(c.Value) != "" {
		t.Errorf("cookie value %q is not a 32-character secret", c.Value)
	}
	if c.MaxAge != 31449600 || c.SameSite != http.SameSiteLaxMode || c.HttpOnly || c.Path != "/" || c.Secure {
		t.Errorf("cookie %+v: want Max-Age 31449600, SameSite=Lax, not HttpOnly, path /, not Secure", c)
	}
	if len(tokens[0]) != 64 {
		t.Errorf("Token = %q, want 64 characters", tokens[0])
	}
	if got, _ := unmaskToken(tokens[0]); got != c.Value {
		t.Errorf("Token unmasks to %q, want the cookie's secret %q", got, c.Value)
	}

	// A valid cookie is kept; a malformed one is replaced.
	r := httptest.NewRequest("GET", "/", nil)
	r.AddCookie(c)
	if csrfCookie(t, serve(t, h, r)) != nil {
		t.Error("a valid cookie was set again")
	}
	r = httptest.NewRequest("GET", "/", nil)
	r.AddCookie(&http.Cookie{Name: "csrftoken", Value: "short"})
	if c := csrfCookie(t, serve(t, h, r)); c == nil || len(c.Value) != 32 {
		t.Errorf("a malformed cookie was not replaced: %v", c)
	}

	// Secure over TLS or when configured.
	r = httptest.NewRequest("GET", "https://testserver/", nil)
	if c := csrfCookie(t, serve(t, h, r)); c == nil || !c.Secure {
		t.Errorf("cookie over TLS not Secure: %v", c)
	}
	secureCfg := New(Config{CookieSecure: true}).Middleware(okHandler(nil))
	if c := csrfCookie(t, serve(t, secureCfg, httptest.NewRequest("GET", "/", nil))); c == nil || !c.Secure {
		t.Errorf("CookieSecure cookie not Secure: %v", c)
	}
}

func TestTokenWithoutMiddleware(t *testing.T) {
	r := httptest.NewRequest("GET", "/", nil)
	if got := Token(r); got != "" {
		t.Errorf("Token without the middleware = %q, want empty", got)
	}
	Rotate(r) // must not panic
}

func TestPost(t *testing.T) {
	h := New(Config{}).Middleware(okHandler(nil))
	secret, token := getSecret(t, h)
	other, _ := getSecret(t, h)
	bad := strings.Repeat("a", 31) + "!"

	form := func(tok string) url.Values { return url.Values{"csrfmiddlewaretoken": {tok}} }
	withHeader := func(r *http.Request, v string) *http.Request {
		r.Header.Set("X-CSRFToken", v)
		return r
	}
	tests := []struct {
		name   string
		req    *http.Request
		reason string // "" means the request passes
	}{
		{"no cookie", postForm(form(token), ""), "CSRF cookie not set."},
		{"no token", postForm(nil, secret), "CSRF token missing."},
		{"malformed cookie", postForm(form(token), "abc"), "CSRF cookie has incorrect length."},
		{"masked token", postForm(form(token), secret), ""},
		{"unmasked secret in form", postForm(form(secret), secret), ""},
		{"wrong token", postForm(form(maskSecret(other)), secret), "CSRF token from POST incorrect."},
		{"wrong secret", postForm(form(other), secret), "CSRF token from POST incorrect."},
		{"short token", postForm(form("abc"), secret), "CSRF token from POST has incorrect length."},
		{"bad characters", postForm(form(bad), secret), "CSRF token from POST has invalid characters."},
		{"secret in header", withHeader(postForm(nil, secret), secret), ""},
		{"masked token in header", withHeader(postForm(nil, secret), token), ""},
		{"wrong header", withHeader(postForm(nil, secret), other), "CSRF token from the &#39;X-Csrftoken&#39; HTTP header incorrect."},
		{"short header", withHeader(postForm(nil, secret), "x"), "CSRF token from the &#39;X-Csrftoken&#39; HTTP header has incorrect length."},
		{"form wins over header", withHeader(postForm(form(token), secret), other), ""},
		{"PUT uses the header only", withHeader(func() *http.Request {
			r := postForm(form(other), secret)
			r.Method = "PUT"
			return r
		}(), token), ""},
		{"DELETE without token", func() *http.Request {
			r := postForm(nil, secret)
			r.Method = "DELETE"
			return r
		}(), "CSRF token missing."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := serve(t, h, tt.req)
			if tt.reason == "" {
				assertPassed(t, w)
			} else {
				assertRejected(t, w, tt.reason)
			}
		})
	}
}

func TestSafeMethodsPass(t *testing.T) {
	h := New(Config{}).Middleware(okHandler(nil))
	for _, m := range []string{"GET", "HEAD", "OPTIONS", "TRACE"} {
		r := httptest.NewRequest(m, "/", nil)
		r.Header.Set("Origin", "https://evil.example")
		if w := serve(t, h, r); w.Code != http.StatusOK {
			t.Errorf("%s: status %d", m, w.Code)
		}
	}
}

func TestMultipartToken(t *testing.T) {
	var files int
	h := New(Config{}).Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseMultipartForm(1 << 20)
		if r.MultipartForm != nil {
			files = len(r.MultipartForm.File["upload"])
		}
		io.WriteString(w, "ok")
	}))
	secret, token := getSecret(t, h)
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrfmiddlewaretoken", token)
	fw, _ := mw.CreateFormFile("upload", "a.txt")
	io.WriteString(fw, "hello")
	mw.Close()
	r := httptest.NewRequest("POST", "/", strings.NewReader(body.String()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: "csrftoken", Value: secret})
	assertPassed(t, serve(t, h, r))
	if files != 1 {
		t.Errorf("handler saw %d uploaded files, want 1", files)
	}
}

func TestOrigin(t *testing.T) {
	p := New(Config{TrustedOrigins: []string{"https://*.example.com", "http://partner.test:8000"}})
	h := p.Middleware(okHandler(nil))
	secret, token := getSecret(t, h)
	tests := []struct {
		origin string
		tls    bool
		ok     bool
	}{
		{"http://testserver", false, true},
		{"https://testserver", true, true},
		{"https://testserver", false, false},
		{"http://testserver", true, false},
		{"http://evil.test", false, false},
		{"null", false, false},
		{"https://example.com", false, true},
		{"https://www.example.com", false, true},
		{"https://a.b.example.com", false, true},
		{"http://www.example.com", false, false},
		{"https://www.example.com:8443", false, false},
		{"https://notexample.com", false, false},
		{"http://partner.test:8000", false, true},
		{"http://partner.test", false, false},
	}
	for _, tt := range tests {
		u := "http://testserver/"
		if tt.tls {
			u = "https://testserver/"
		}
		r := httptest.NewRequest("POST", u, strings.NewReader(url.Values{"csrfmiddlewaretoken": {token}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(&http.Cookie{Name: "csrftoken", Value: secret})
		r.Header.Set("Origin", tt.origin)
		if tt.tls {
			r.Header.Set("Referer", "https://testserver/") // must not matter when Origin is sent
		}
		w := serve(t, h, r)
		if tt.ok {
			if w.Code != http.StatusOK {
				t.Errorf("Origin %q (TLS %v): status %d %q, want 200", tt.origin, tt.tls, w.Code, w.Body)
			}
		} else {
			assertRejected(t, w, "Origin checking failed - "+tt.origin+" does not match any trusted origins.")
		}
	}
}

func TestNewPanicsOnSchemelessOrigin(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("New accepted a trusted origin without a scheme")
		}
	}()
	New(Config{TrustedOrigins: []string{"example.com"}})
}

func TestReferer(t *testing.T) {
	h := New(Config{TrustedOrigins: []string{"https://*.example.com", "https://partner.test"}}).Middleware(okHandler(nil))
	secret, token := getSecret(t, h)
	tests := []struct {
		referer string // "-" means no header
		tls     bool
		reason  string
	}{
		{"-", true, "Referer checking failed - no Referer."},
		{"-", false, ""}, // plain HTTP does not check the Referer
		{"http://evil.test/", false, ""},
		{"https://testserver/admin/", true, ""},
		{"https://TestServer/admin/", true, ""},
		{"http://testserver/admin/", true, "Referer checking failed - Referer is insecure while host is secure."},
		{"https://evil.test/", true, "Referer checking failed - https://evil.test/ does not match any trusted origins."},
		{"https://testserver.evil.test/", true, "does not match any trusted origins."},
		{"https://testserver:8443/", true, "does not match any trusted origins."},
		{"https://www.example.com/page", true, ""},
		{"https://example.com/page", true, ""},
		{"https://partner.test/", true, ""},
		{"https://sub.partner.test/", true, "does not match any trusted origins."},
		{"", true, "Referer checking failed - Referer is malformed."},
		{"/relative", true, "Referer checking failed - Referer is malformed."},
		{"https://[::1/", true, "Referer checking failed - Referer is malformed."},
	}
	for _, tt := range tests {
		u := "http://testserver/"
		if tt.tls {
			u = "https://testserver/"
		}
		r := httptest.NewRequest("POST", u, strings.NewReader(url.Values{"csrfmiddlewaretoken": {token}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.AddCookie(&http.Cookie{Name: "csrftoken", Value: secret})
		if tt.referer != "-" {
			r.Header["Referer"] = []string{tt.referer}
		}
		w := serve(t, h, r)
		if tt.reason == "" {
			if w.Code != http.StatusOK {
				t.Errorf("Referer %q (TLS %v): status %d %q, want 200", tt.referer, tt.tls, w.Code, w.Body)
			}
		} else {
			assertRejected(t, w, tt.reason)
		}
	}
}

func TestRotate(t *testing.T) {
	var rotated []string
	p := New(Config{})
	login := p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		before := Token(r)
		Rotate(r)
		rotated = append(rotated, before, Token(r))
		io.WriteString(w, "ok")
	}))
	page := p.Middleware(okHandler(nil))
	secret, oldToken := getSecret(t, page)

	w := serve(t, login, postForm(url.Values{"csrfmiddlewaretoken": {oldToken}}, secret))
	assertPassed(t, w)
	c := csrfCookie(t, w)
	if c == nil || c.Value == secret || tokenFormatError(c.Value) != "" || len(c.Value) != 32 {
		t.Fatalf("Rotate set cookie %v, want a new 32-character secret (old %q)", c, secret)
	}
	if s, _ := unmaskToken(rotated[0]); s != secret {
		t.Errorf("token before Rotate is for %q, want the old secret %q", s, secret)
	}
	if s, _ := unmaskToken(rotated[1]); s != c.Value {
		t.Errorf("token after Rotate is for %q, want the new secret %q", s, c.Value)
	}

	assertRejected(t, serve(t, page, postForm(url.Values{"csrfmiddlewaretoken": {oldToken}}, c.Value)), "CSRF token from POST incorrect.")
	assertPassed(t, serve(t, page, postForm(url.Values{"csrfmiddlewaretoken": {rotated[1]}}, c.Value)))

	// Rotating a request that had no cookie leaves a single cookie: the new one.
	var after string
	w = serve(t, p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.SetCookie(w, &http.Cookie{Name: "other", Value: "kept"})
		Rotate(r)
		after = Token(r)
	})), httptest.NewRequest("GET", "/", nil))
	c = csrfCookie(t, w)
	if s, _ := unmaskToken(after); c == nil || s != c.Value {
		t.Errorf("cookie %v does not hold the rotated secret %q", c, s)
	}
	if !strings.Contains(strings.Join(w.Header()["Set-Cookie"], "\n"), "other=kept") {
		t.Errorf("Rotate dropped another cookie: %q", w.Header()["Set-Cookie"])
	}
}

func TestLegacyMaskedCookie(t *testing.T) {
	h := New(Config{}).Middleware(okHandler(nil))
	secret, token := getSecret(t, h)
	legacy := maskSecret(secret) // Django before 4.1 stored a masked token
	w := serve(t, h, postForm(url.Values{"csrfmiddlewaretoken": {token}}, legacy))
	assertPassed(t, w)
	if c := csrfCookie(t, w); c == nil || c.Value != secret {
		t.Errorf("legacy cookie rewritten as %v, want the secret %q", c, secret)
	}
}

func TestCustomNamesAndFailure(t *testing.T) {
	var gotReason string
	p := New(Config{
		CookieName: "xsrf", FieldName: "tok", HeaderName: "X-XSRF-Token",
		Failure: func(w http.ResponseWriter, r *http.Request, reason string) {
			gotReason = reason
			if Token(r) == "" {
				t.Error("Token unavailable in Failure")
			}
			w.WriteHeader(http.StatusTeapot)
		},
	})
	h := p.Middleware(okHandler(nil))
	w := serve(t, h, httptest.NewRequest("GET", "/", nil))
	var secret string
	for _, c := range w.Result().Cookies() {
		if c.Name == "xsrf" {
			secret = c.Value
		}
	}
	if secret == "" {
		t.Fatal("no xsrf cookie")
	}
	r := httptest.NewRequest("POST", "/", strings.NewReader("tok="+maskSecret(secret)))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.AddCookie(&http.Cookie{Name: "xsrf", Value: secret})
	assertPassed(t, serve(t, h, r))

	r = httptest.NewRequest("DELETE", "/", nil)
	r.AddCookie(&http.Cookie{Name: "xsrf", Value: secret})
	r.Header.Set("X-XSRF-Token", "nope")
	if w := serve(t, h, r); w.Code != http.StatusTeapot {
		t.Errorf("custom Failure not used: %d", w.Code)
	}
	if want := "CSRF token from the 'X-Xsrf-Token' HTTP header has incorrect length."; gotReason != want {
		t.Errorf("reason %q, want %q", gotReason, want)
	}
}

func TestDefaultFailureEscapes(t *testing.T) {
	w := httptest.NewRecorder()
	DefaultFailure(w, httptest.NewRequest("POST", "/", nil), "Origin checking failed - <script> does not match any trusted origins.")
	if w.Code != 403 || w.Header().Get("Content-Type") != "text/html; charset=utf-8" {
		t.Errorf("status %d, content type %q", w.Code, w.Header().Get("Content-Type"))
	}
	if body := w.Body.String(); strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("reason not escaped: %q", body)
	}
	if !strings.HasPrefix(w.Body.String(), "<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p><p>") {
		t.Errorf("body %q", w.Body)
	}
}

func TestMaskRoundTrip(t *testing.T) {
	for i := 0; i < 100; i++ {
		s := newSecret()
		tok := maskSecret(s)
		if len(tok) != 64 || tokenFormatError(tok) != "" {
			t.Fatalf("maskSecret(%q) = %q", s, tok)
		}
		if got, ok := unmaskToken(tok); !ok || got != s {
			t.Fatalf("unmask(mask(%q)) = %q, %v", s, got, ok)
		}
	}
	// A worked example following Django's arithmetic: index("b")+index("c")
	// = 1+2 → "d"; index("9")+index("9") = (61+61) mod 62 = 60 → "8".
	mask, secret := strings.Repeat("c", 31)+"9", strings.Repeat("b", 31)+"9"
	if got, _ := unmaskToken(mask + strings.Repeat("d", 31) + "8"); got != secret {
		t.Errorf("unmask = %q, want %q", got, secret)
	}
}

func FuzzUnmask(f *testing.F) {
	f.Add(maskSecret(newSecret()))
	f.Add(newSecret())
	f.Add("")
	f.Add(strings.Repeat("é", 32))
	f.Add(strings.Repeat("!", 64))
	f.Fuzz(func(t *testing.T, s string) {
		secret, ok := unmaskToken(s)
		if ok != (len(s) == 64 && tokenFormatError(s) == "") {
			t.Fatalf("unmaskToken(%q) ok = %v", s, ok)
		}
		if ok && tokenFormatError(secret) != "" {
			t.Fatalf("unmaskToken(%q) = %q, not a secret", s, secret)
		}
		if tokenFormatError(s) == "" && len(s) == 32 {
			if got, _ := unmaskToken(maskSecret(s)); got != s {
				t.Fatalf("round trip of %q gave %q", s, got)
			}
			if !tokenMatches(maskSecret(s), s) || !tokenMatches(s, s) {
				t.Fatalf("%q does not match itself", s)
			}
		}
	})
}
