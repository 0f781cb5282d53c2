package guard_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/guard"
)

// echo answers 200 with what the guard decided about the request.
func echo() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, guard.Host(r)+" "+guard.Scheme(r))
		if guard.HostChecked(r) {
			io.WriteString(w, " checked")
		}
	})
}

func TestHostAllowed(t *testing.T) {
	// Django's tests of validate_host and get_host.
	patterns := []string{"forward.com", "example.com", "internal.com", "12.34.56.78", "[2001:19f0:feee::dead:beef:cafe]", "xn--4ca9at.com", ".multitenant.com", "INSENSITIVE.com", "[::ffff:169.254.169.254]"}
	good := []string{"example.com", "example.com:80", "12.34.56.78", "12.34.56.78:443", "[2001:19f0:feee::dead:beef:cafe]",
		"[2001:19f0:feee::dead:beef:cafe]:8080", "xn--4ca9at.com", "anything.multitenant.com", "multitenant.com",
		"insensitive.com", "example.com.", "example.com.:80", "[::ffff:169.254.169.254]"}
	bad := []string{"", "example.com@evil.tld", "example.com:dr.frankenstein@evil.tld", "example.com:dr.frankenstein@evil.tld:80",
		"example.com:80/badpath", "example.com: recovermypassword.com", "other.com", "evil.example", "example.com.evil",
		"example.com, evil.example", "[::ffff:169.254.169.254]evil", "multitenant.com.evil", "12.34.56.78.9",
		"example.com\x00", "ex ample.com"}
	for _, h := range good {
		if !guard.HostAllowed(h, patterns) {
			t.Errorf("HostAllowed(%q) = false", h)
		}
	}
	for _, h := range bad {
		if guard.HostAllowed(h, patterns) {
			t.Errorf("HostAllowed(%q) = true", h)
		}
	}
	if !guard.HostAllowed("anything.example:8000", []string{"*"}) || guard.HostAllowed("bad host", []string{"*"}) {
		t.Error(`"*" must allow any well-formed host, and only those`)
	}
}

func TestAllowedHostsDefault(t *testing.T) {
	var logs bytes.Buffer
	h := guard.New(guard.Config{Logger: slog.New(slog.NewTextHandler(&logs, nil))}).Handler(echo())
	for _, host := range []string{"127.0.0.1", "127.0.0.1:8000", "localhost", "localhost:8000", "admin.localhost", "[::1]", "[::1]:8000", "LOCALHOST"} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || w.Body.String() != host+" http checked" {
			t.Errorf("Host %q: %d %q", host, w.Code, w.Body)
		}
	}
	for _, host := range []string{"evil.example", "example.com", "127.0.0.2", "localhost.evil", "", "[::2]"} {
		r := httptest.NewRequest("POST", "/admin/password_reset/", strings.NewReader("email=a%40b.c"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != http.StatusBadRequest || strings.Contains(w.Body.String(), "checked") {
			t.Errorf("Host %q: %d %q, want 400", host, w.Code, w.Body)
		}
	}
	if !strings.Contains(logs.String(), "host=evil.example") {
		t.Errorf("refused host not logged: %s", logs.String())
	}
}

func TestAllowedHostsConfigured(t *testing.T) {
	h := guard.New(guard.Config{AllowedHosts: []string{"staff.example.com", ".example.org"}, Logger: slog.New(slog.DiscardHandler)}).Handler(echo())
	for host, want := range map[string]int{"staff.example.com": 200, "staff.example.com:443": 200, "example.org": 200,
		"a.b.example.org": 200, "example.com": 400, "localhost": 400, "127.0.0.1": 400} {
		r := httptest.NewRequest("GET", "/", nil)
		r.Host = host
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("Host %q: %d, want %d", host, w.Code, want)
		}
	}
}
