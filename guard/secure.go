package guard

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// HSTS configures the Strict-Transport-Security header.
type HSTS struct {
	// MaxAge is how long browsers should use only HTTPS (Django's
	// SECURE_HSTS_SECONDS); zero sends no header. Start small: a browser
	// that saw it cannot reach the site over plain HTTP until it expires.
	MaxAge time.Duration
	// IncludeSubdomains extends it to every subdomain (Django's
	// SECURE_HSTS_INCLUDE_SUBDOMAINS).
	IncludeSubdomains bool
	// Preload asks to be in the browsers' preload lists (Django's
	// SECURE_HSTS_PRELOAD).
	Preload bool
}

// header returns the header's value, or "" for none.
func (h HSTS) header() string {
	if h.MaxAge <= 0 {
		return ""
	}
	v := "max-age=" + strconv.FormatInt(int64(h.MaxAge/time.Second), 10)
	if h.IncludeSubdomains {
		v += "; includeSubDomains"
	}
	if h.Preload {
		v += "; preload"
	}
	return v
}

// Secure returns middleware for requests that IsSecure: every cookie the
// response sets gets the Secure flag — the session and CSRF cookies set it
// themselves only over TLS, not behind a proxy that terminates it — and
// hsts, when configured, is sent unless the handler set its own. Other
// requests pass untouched.
func Secure(hsts HSTS) func(http.Handler) http.Handler {
	value := hsts.header()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !IsSecure(r) {
				next.ServeHTTP(w, r)
				return
			}
			if value != "" {
				w.Header().Set("Strict-Transport-Security", value)
			}
			next.ServeHTTP(&secureCookieWriter{ResponseWriter: w}, r)
		})
	}
}

// secureCookieWriter adds the Secure flag to the response's cookies just
// before its header is written.
type secureCookieWriter struct {
	http.ResponseWriter
	done bool
}

func (w *secureCookieWriter) WriteHeader(code int) {
	if code >= 200 || code == http.StatusSwitchingProtocols {
		w.secureCookies()
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *secureCookieWriter) Write(b []byte) (int, error) {
	w.secureCookies()
	return w.ResponseWriter.Write(b)
}

// Flush writes the header as it is about to be sent, then flushes.
func (w *secureCookieWriter) Flush() {
	w.secureCookies()
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap lets http.ResponseController reach the server's writer.
func (w *secureCookieWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *secureCookieWriter) secureCookies() {
	if w.done {
		return
	}
	w.done = true
	cookies := w.Header()["Set-Cookie"]
	for i, c := range cookies {
		if !hasSecureFlag(c) {
			cookies[i] = c + "; Secure"
		}
	}
}

// hasSecureFlag reports whether a Set-Cookie value has the Secure
// attribute.
func hasSecureFlag(setCookie string) bool {
	attrs := strings.Split(setCookie, ";")
	for _, a := range attrs[1:] {
		if strings.EqualFold(strings.TrimSpace(a), "secure") {
			return true
		}
	}
	return false
}
