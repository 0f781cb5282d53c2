package guard

import (
	"io"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
)

// AllowedHosts returns middleware that answers 400 Bad Request to a request
// whose Host (see Host) is malformed or not one of patterns, in Django's
// ALLOWED_HOSTS syntax (see Config.AllowedHosts), and logs it as Django
// does; other requests go on marked as checked (HostChecked).
func AllowedHosts(patterns []string, log *slog.Logger) func(http.Handler) http.Handler {
	if log == nil {
		log = slog.Default()
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			host := Host(r)
			if !HostAllowed(host, patterns) {
				log.WarnContext(r.Context(), "guard: invalid Host header; you may need to add it to the allowed hosts",
					"host", host, "path", r.URL.Path)
				badRequest(w, "Bad Request (400)")
				return
			}
			in := *ensureInfo(r)
			in.checked = true
			next.ServeHTTP(w, withInfo(r, &in))
		})
	}
}

// HostAllowed reports whether host, with or without a port, is well formed
// and matches one of patterns, as Django's get_host decides it.
func HostAllowed(host string, patterns []string) bool {
	domain, ok := hostDomain(host)
	if !ok {
		return false
	}
	for _, p := range patterns {
		if p == "*" || sameDomain(domain, p) {
			return true
		}
	}
	return false
}

// hostValidation is Django's host_validation_re: a name, or an IPv6
// address in brackets, then an optional port.
var hostValidation = regexp.MustCompile(`^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]+))?$`)

// hostDomain is Django's split_domain_port without the port: the host
// lower-cased, its port and any trailing dot removed; false when the host
// is malformed.
func hostDomain(host string) (string, bool) {
	m := hostValidation.FindStringSubmatch(strings.ToLower(host))
	if m == nil {
		return "", false
	}
	domain := strings.TrimSuffix(m[1], ".")
	return domain, domain != ""
}

// sameDomain is Django's is_same_domain: domain equals pattern, or pattern
// starts with "." and domain is that domain or one of its subdomains.
func sameDomain(domain, pattern string) bool {
	if pattern == "" {
		return false
	}
	pattern = strings.ToLower(pattern)
	if pattern[0] == '.' {
		return strings.HasSuffix(domain, pattern) || domain == pattern[1:]
	}
	return domain == pattern
}

// ensureInfo returns the request's info, made from the request itself when
// no Proxy middleware ran before.
func ensureInfo(r *http.Request) *info {
	if in := infoFrom(r); in != nil {
		return in
	}
	return &info{host: r.Host, secure: r.TLS != nil}
}

// badRequest answers 400 with a short plain page, as Django does for a
// suspicious request.
func badRequest(w http.ResponseWriter, msg string) { plain(w, http.StatusBadRequest, msg) }

func plain(w http.ResponseWriter, code int, msg string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	io.WriteString(w, msg+"\n")
}
