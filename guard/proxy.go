package guard

import (
	"net"
	"net/http"
	"strings"
)

// Proxy returns middleware that records, for Host and IsSecure, how the
// browser addressed the request. With trust, a front-end proxy's
// X-Forwarded-Host replaces r.Host (Django's USE_X_FORWARDED_HOST), and its
// X-Forwarded-Proto decides whether the request is secure (Django's
// SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")), and the
// last address of its X-Forwarded-For — the client it saw, which it
// appended itself — replaces r.RemoteAddr, so that login throttling and
// the sessions' records count clients, not the proxy. Without trust the
// three headers are ignored: a client could write them.
func Proxy(trust bool) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			in := &info{host: r.Host, secure: r.TLS != nil}
			if trust {
				if h := r.Header.Get("X-Forwarded-Host"); h != "" {
					// As in Django, the whole value: a list of hosts is
					// malformed, and AllowedHosts refuses it.
					in.host = strings.TrimSpace(h)
				}
				if values, ok := r.Header["X-Forwarded-Proto"]; ok {
					first, _, _ := strings.Cut(values[0], ",")
					in.secure = strings.TrimSpace(first) == "https"
				}
				if addr := forwardedFor(r.Header.Values("X-Forwarded-For")); addr != "" {
					r.RemoteAddr = net.JoinHostPort(addr, "0")
				}
			}
			r = withInfo(r, in)
			// Everything downstream that reads r.Host (redirects, the CSRF
			// origin check) then sees the host the browser used.
			r.Host = in.host
			next.ServeHTTP(w, r)
		})
	}
}

// forwardedFor returns the last address of X-Forwarded-For headers: the
// one the trusted proxy appended. "" when there is none or it is not an
// IP address.
func forwardedFor(values []string) string {
	if len(values) == 0 {
		return ""
	}
	parts := strings.Split(values[len(values)-1], ",")
	last := strings.TrimSpace(parts[len(parts)-1])
	if ip := net.ParseIP(last); ip != nil {
		return ip.String()
	}
	return ""
}
