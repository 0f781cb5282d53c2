package csrf

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// The contract's lists (spec §12), checked against host "testserver".
var (
	contractBadRedirects = []string{
		"http://example.com",
		"http:///example.com",
		"https://example.com",
		"ftp://example.com",
		"///example.com",
		"//example.com",
		`javascript:alert("XSS")`,
	}
	contractGoodRedirects = []string{
		"/view/?param=http://example.com",
		"view/?param=//example.com",
		"https://testserver/",
		"HTTPS://testserver/",
		"//testserver/",
		"/url%20with%20spaces/",
	}
)

func TestIsSafeRedirectContract(t *testing.T) {
	r := httptest.NewRequest("GET", "http://testserver/login/", nil)
	for _, u := range contractBadRedirects {
		if IsSafeRedirect(u, r) {
			t.Errorf("IsSafeRedirect(%q) = true, want false", u)
		}
	}
	for _, u := range contractGoodRedirects {
		if !IsSafeRedirect(u, r) {
			t.Errorf("IsSafeRedirect(%q) = false, want true", u)
		}
	}
}

func TestIsSafeRedirectHTTPS(t *testing.T) {
	r := httptest.NewRequest("GET", "https://testserver/login/", nil)
	tests := map[string]bool{
		"http://testserver/":  false,
		"//testserver/":       false, // scheme-relative counts as http
		"https://testserver/": true,
		"/admin/":             true,
	}
	for u, want := range tests {
		if got := IsSafeRedirect(u, r); got != want {
			t.Errorf("IsSafeRedirect(%q) over HTTPS = %v, want %v", u, got, want)
		}
	}
}

// More of the cases Django's tests pin: backslashes, control characters,
// user information, scheme-only URLs and broken IPv6 hosts.
func TestIsSafeRedirectTricky(t *testing.T) {
	r := httptest.NewRequest("GET", "http://testserver/login/", nil)
	bad := []string{
		"", "   ", "\n", "\x1c",
		`\\example.com`, `\\\example.com`, `/\\/example.com`, `\\//example.com`,
		`/\/example.com`, `\/example.com`, `/\example.com`,
		`http:/\//example.com`, `http:\/example.com`, `http:/\example.com`,
		"\njavascript:alert(x)", "\x08//example.com", "\x00/x", "\u200b//example.com",
		`http://otherserver\@example.com`, `http:\\testserver\@example.com`,
		`http://testserver\me:pass@example.com`, `http://testserver\@example.com`,
		`http:\\testserver\confirm\me@example.com`,
		"http:999999999", "ftp:9999999999",
		"http://[2001:cdba:0000:0000:0000:0000:3257:9652/",
		"http://2001:cdba:0000:0000:0000:0000:3257:9652]/",
		"/\t/example.com", "\t//example.com", "//example.com\\@testserver",
		"ftp://testserver/", "data:text/html,x", "//user@testserver/",
		"//testserver:8000/", "http://\u212aestserver/",
	}
	for _, u := range bad {
		if IsSafeRedirect(u, r) {
			t.Errorf("IsSafeRedirect(%q) = true, want false", u)
		}
	}
	good := []string{
		"/view/?param=https://example.com",
		"/view?param=ftp://example.com",
		"http://testserver/confirm?email=me@example.com",
		"path/http:2222222222",
		"  /trimmed/  ",
		"\x1f/admin/",
		"//TESTSERVER/",
		"http://TestServer/x",
		"?next=1",
		"#top",
	}
	for _, u := range good {
		if !IsSafeRedirect(u, r) {
			t.Errorf("IsSafeRedirect(%q) = false, want true", u)
		}
	}
}

func TestIsSafeRedirectAllowedHosts(t *testing.T) {
	r := httptest.NewRequest("GET", "http://testserver:8000/login/", nil)
	tests := map[string]bool{
		"http://testserver:8000/": true,
		"http://testserver/":      false, // the port is part of the host
		"https://other.test/":     true,
		"//other.test/x":          true,
		"https://sub.other.test/": false,
		"https://third.test/":     false,
	}
	for u, want := range tests {
		if got := IsSafeRedirect(u, r, "other.test"); got != want {
			t.Errorf("IsSafeRedirect(%q, other.test) = %v, want %v", u, got, want)
		}
	}
	if IsSafeRedirect("//anything/", nil) || !IsSafeRedirect("//a.test/", nil, "a.test") || !IsSafeRedirect("/x", nil) {
		t.Error("IsSafeRedirect with a nil request misbehaves")
	}
}

func FuzzIsSafeRedirect(f *testing.F) {
	for _, u := range append(contractBadRedirects, contractGoodRedirects...) {
		f.Add(u)
	}
	f.Add(`http:\\testserver\@example.com`)
	f.Add("\x08//example.com")
	f.Add("http://[::1]/")
	r := httptest.NewRequest("GET", "http://testserver/", nil)
	f.Fuzz(func(t *testing.T, u string) {
		if !IsSafeRedirect(u, r) {
			return
		}
		// Whatever passes may only name this host, in both readings.
		trimmed := strings.TrimFunc(u, isPythonSpace)
		for _, v := range []string{trimmed, strings.ReplaceAll(trimmed, `\`, "/")} {
			scheme, netloc, ok := splitURL(v)
			if !ok || (netloc != "" && !strings.EqualFold(netloc, "testserver")) {
				t.Fatalf("IsSafeRedirect(%q) = true, but it names host %q", u, netloc)
			}
			if scheme != "" && scheme != "http" && scheme != "https" {
				t.Fatalf("IsSafeRedirect(%q) = true with scheme %q", u, scheme)
			}
			if strings.HasPrefix(v, "///") {
				t.Fatalf("IsSafeRedirect(%q) = true for a triple slash", u)
			}
		}
	})
}
