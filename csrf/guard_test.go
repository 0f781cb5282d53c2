package csrf

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/guard"
)

// multipartPost is a POST of a multipart body with the token and a file
// of size bytes.
func multipartPost(token, secret string, size int) *http.Request {
	var body strings.Builder
	mw := multipart.NewWriter(&body)
	if token != "" {
		mw.WriteField("csrfmiddlewaretoken", token)
	}
	fw, _ := mw.CreateFormFile("upload", "a.bin")
	io.WriteString(fw, strings.Repeat("x", size))
	mw.Close()
	r := httptest.NewRequest("POST", "/", strings.NewReader(body.String()))
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.AddCookie(&http.Cookie{Name: "csrftoken", Value: secret})
	return r
}

// TestMultipartCleanup checks that the middleware removes the temporary
// files of a body it parsed itself, whether it refused the request or
// not, and that behind guard.Forms it reuses the guard's parse.
func TestMultipartCleanup(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	count := func() int {
		entries, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		return len(entries)
	}
	p := New(Config{})
	var seen *multipart.Form
	h := p.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen = r.MultipartForm
		if count() != 1 {
			t.Errorf("%d temporary files while handling, want 1", count())
		}
		io.WriteString(w, "ok")
	}))
	secret, token := getSecret(t, h)
	const size = 3 << 20 // beyond maxMemory
	assertRejected(t, serve(t, h, multipartPost("", secret, size)), ReasonNoToken)
	if n := count(); n != 0 {
		t.Errorf("%d temporary files left by a refused request", n)
	}
	assertPassed(t, serve(t, h, multipartPost(token, secret, size)))
	if n := count(); n != 0 {
		t.Errorf("%d temporary files left by a passed request", n)
	}

	var parsed *multipart.Form
	owned := guard.Forms(guard.Limits{})(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parsed = r.MultipartForm
		h.ServeHTTP(w, r)
	}))
	assertPassed(t, serve(t, owned, multipartPost(token, secret, size)))
	if parsed == nil || seen != parsed {
		t.Error("the middleware did not reuse guard.Forms' parse")
	}
	if n := count(); n != 0 {
		t.Errorf("%d temporary files left behind guard.Forms", n)
	}
}

// TestBehindProxy checks the origin and Referer against the host and
// scheme a trusted proxy forwarded, and ignores them from anyone else.
func TestBehindProxy(t *testing.T) {
	p := New(Config{})
	h := p.Middleware(okHandler(nil))
	secret, token := getSecret(t, h)
	post := func(origin, referer string) *http.Request {
		r := postForm(url.Values{"csrfmiddlewaretoken": {token}}, secret)
		r.Host = "10.0.0.5:8000"
		r.Header.Set("X-Forwarded-Host", "staff.example.com")
		r.Header.Set("X-Forwarded-Proto", "https")
		if origin != "" {
			r.Header.Set("Origin", origin)
		}
		if referer != "" {
			r.Header.Set("Referer", referer)
		}
		return r
	}
	trusted := guard.Proxy(true)(h)
	untrusted := guard.Proxy(false)(h)
	assertPassed(t, serve(t, trusted, post("https://staff.example.com", "")))
	assertRejected(t, serve(t, trusted, post("http://staff.example.com", "")), "Origin checking failed")
	assertRejected(t, serve(t, trusted, post("http://10.0.0.5:8000", "")), "Origin checking failed")
	// Secure without an Origin: the Referer is checked, as over TLS.
	assertRejected(t, serve(t, trusted, post("", "")), ReasonNoReferer)
	assertPassed(t, serve(t, trusted, post("", "https://staff.example.com/admin/")))
	// Untrusted, the headers are a client's claim.
	assertRejected(t, serve(t, untrusted, post("https://staff.example.com", "")), "Origin checking failed")
	assertPassed(t, serve(t, untrusted, post("http://10.0.0.5:8000", "")))

	// The cookie is Secure on a request the proxy says is HTTPS.
	r := httptest.NewRequest("GET", "/", nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	if c := csrfCookie(t, serve(t, guard.Proxy(true)(h), r)); c == nil || !c.Secure {
		t.Errorf("cookie behind an HTTPS proxy: %v, want Secure", c)
	}
	var safe []bool
	redirects := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		safe = append(safe, IsSafeRedirect("https://staff.example.com/x", r), IsSafeRedirect("http://staff.example.com/x", r))
	})
	guard.Proxy(true)(redirects).ServeHTTP(httptest.NewRecorder(), post("", ""))
	guard.Proxy(false)(redirects).ServeHTTP(httptest.NewRecorder(), post("", ""))
	if want := []bool{true, false, false, false}; !slices.Equal(safe, want) {
		t.Errorf("IsSafeRedirect to the forwarded host over https and http, trusted then not: %v, want %v", safe, want)
	}
}
