package guard_test

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/guard"
)

func TestProxy(t *testing.T) {
	allowed := []string{"staff.example.com", "127.0.0.1"}
	tests := []struct {
		name          string
		trust         bool
		tls           bool
		fwdHost       string
		fwdProto      string
		code          int
		host, scheme  string
		secureCookies bool
	}{
		{"direct", false, false, "", "", 200, "127.0.0.1:8000", "http", false},
		{"direct over TLS", false, true, "", "", 200, "127.0.0.1:8000", "https", true},
		{"untrusted headers are ignored", false, false, "staff.example.com", "https", 200, "127.0.0.1:8000", "http", false},
		{"untrusted host stays", false, false, "evil.example", "", 200, "127.0.0.1:8000", "http", false},
		{"trusted proxy", true, false, "staff.example.com", "https", 200, "staff.example.com", "https", true},
		{"trusted, first proto counts", true, false, "staff.example.com", "https, http", 200, "staff.example.com", "https", true},
		{"trusted, plain http", true, false, "staff.example.com", "http", 200, "staff.example.com", "http", false},
		{"trusted, proto says http over TLS", true, true, "", "http", 200, "127.0.0.1:8000", "http", false},
		{"trusted, no headers", true, false, "", "", 200, "127.0.0.1:8000", "http", false},
		{"trusted, evil forwarded host", true, false, "evil.example", "https", 400, "", "", false},
		{"trusted, a list of hosts", true, false, "staff.example.com, evil.example", "", 400, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cookie string
			h := guard.New(guard.Config{AllowedHosts: allowed, TrustProxy: tt.trust, HSTS: guard.HSTS{MaxAge: time.Hour}, Logger: slog.New(slog.DiscardHandler)}).Handler(
				http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					http.SetCookie(w, &http.Cookie{Name: "sessionid", Value: "x", HttpOnly: true})
					w.Write([]byte(guard.Host(r) + " " + guard.Scheme(r) + " " + r.Host))
				}))
			r := httptest.NewRequest("GET", "/", nil)
			r.Host = "127.0.0.1:8000"
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			if tt.fwdHost != "" {
				r.Header.Set("X-Forwarded-Host", tt.fwdHost)
			}
			if tt.fwdProto != "" {
				r.Header.Set("X-Forwarded-Proto", tt.fwdProto)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != tt.code {
				t.Fatalf("status %d, want %d (%q)", w.Code, tt.code, w.Body)
			}
			if tt.code != 200 {
				return
			}
			if want := tt.host + " " + tt.scheme + " " + tt.host; w.Body.String() != want {
				t.Errorf("host, scheme, r.Host = %q, want %q", w.Body, want)
			}
			cookie = w.Header().Get("Set-Cookie")
			if secure := strings.HasSuffix(cookie, "; Secure"); secure != tt.secureCookies {
				t.Errorf("cookie %q: Secure %v, want %v", cookie, secure, tt.secureCookies)
			}
			if hsts := w.Header().Get("Strict-Transport-Security"); (hsts == "max-age=3600") != tt.secureCookies {
				t.Errorf("Strict-Transport-Security %q on a request secure=%v", hsts, tt.secureCookies)
			}
		})
	}
}

func TestSecureKeepsFlags(t *testing.T) {
	h := guard.Secure(guard.HSTS{MaxAge: 365 * 24 * time.Hour, IncludeSubdomains: true, Preload: true})(
		http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.SetCookie(w, &http.Cookie{Name: "a", Value: "1", Secure: true})
			http.SetCookie(w, &http.Cookie{Name: "b", Value: "secure"})
			http.NewResponseController(w).Flush()
		}))
	r := httptest.NewRequest("GET", "https://staff.example.com/", nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := w.Result().Header["Set-Cookie"]; len(got) != 2 || got[0] != "a=1; Secure" || got[1] != "b=secure; Secure" {
		t.Errorf("cookies %q", got)
	}
	if got := w.Header().Get("Strict-Transport-Security"); got != "max-age=31536000; includeSubDomains; preload" {
		t.Errorf("HSTS %q", got)
	}
	if !w.Flushed {
		t.Error("Flush did not reach the recorder")
	}
}

// Behind a trusted proxy the client's address is the one the proxy
// appended to X-Forwarded-For; otherwise the header is the client's word
// and is ignored.
func TestProxyClientAddress(t *testing.T) {
	for _, tt := range []struct {
		trust bool
		xff   []string
		want  string
	}{
		{false, []string{"203.0.113.9"}, "192.0.2.1:4321"},
		{true, nil, "192.0.2.1:4321"},
		{true, []string{"203.0.113.9"}, "203.0.113.9:0"},
		{true, []string{"10.9.9.9, 203.0.113.9"}, "203.0.113.9:0"},
		{true, []string{"10.9.9.9", "198.51.100.7"}, "198.51.100.7:0"},
		{true, []string{"not an address"}, "192.0.2.1:4321"},
		{true, []string{"2001:db8::1"}, "[2001:db8::1]:0"},
	} {
		var got string
		h := guard.Proxy(tt.trust)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { got = r.RemoteAddr }))
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.RemoteAddr = "192.0.2.1:4321"
		for _, v := range tt.xff {
			r.Header.Add("X-Forwarded-For", v)
		}
		h.ServeHTTP(httptest.NewRecorder(), r)
		if got != tt.want {
			t.Errorf("trust %v, X-Forwarded-For %q: RemoteAddr %q, want %q", tt.trust, tt.xff, got, tt.want)
		}
	}
}
