// Package guard is the server's first line, run before any handler: the
// checks Django makes in its request handling and settings rather than in
// its views.
//
//   - Allowed hosts (Django's ALLOWED_HOSTS): a request for any other Host
//     gets 400, so that nothing downstream builds a link to a host an
//     attacker chose.
//   - A trusted proxy (Django's USE_X_FORWARDED_HOST and
//     SECURE_PROXY_SSL_HEADER): X-Forwarded-Host and X-Forwarded-Proto are
//     believed only when Config.TrustProxy says so.
//   - Secure responses: on a request that arrived over HTTPS every cookie
//     is marked Secure, and an optional Strict-Transport-Security header is
//     sent (Django's SECURE_HSTS_SECONDS).
//   - Request limits (Django's DATA_UPLOAD_MAX_MEMORY_SIZE,
//     DATA_UPLOAD_MAX_NUMBER_FIELDS, DATA_UPLOAD_MAX_NUMBER_FILES and
//     FILE_UPLOAD_MAX_MEMORY_SIZE, plus a total for uploads): a body over its
//     limit gets 413 before it is read whole, too many fields 400.
//   - Form bodies parsed once, by one owner: a multipart body is parsed here
//     into r.MultipartForm, which the CSRF check and the views then reuse,
//     and its temporary files are removed when the request ends, whatever
//     its outcome.
//   - Server timeouts (Timeouts.Server), so that a slow body or an idle
//     connection does not hold a connection for ever.
//
// Handlers learn what the guard decided through Host, IsSecure and
// HostChecked.
package guard

import (
	"context"
	"log/slog"
	"net/http"
)

// Config configures a Guard. The zero value gives the defaults: loopback
// hosts only, no proxy trusted, no HSTS, Django's limits and the default
// timeouts.
type Config struct {
	// AllowedHosts are the host names the site answers to, in Django's
	// syntax: an exact name ("staff.example.com", "127.0.0.1", "[::1]"),
	// a name starting with "." for a domain and all its subdomains
	// (".example.com"), or "*" for any. Ports are ignored. Empty means
	// DefaultAllowedHosts().
	AllowedHosts []string
	// TrustProxy believes the X-Forwarded-Host and X-Forwarded-Proto
	// headers a front-end proxy sets. Only set it when such a proxy
	// always sets or strips both: otherwise clients choose them.
	TrustProxy bool
	// HSTS sends Strict-Transport-Security on responses to HTTPS requests.
	HSTS HSTS
	// Limits bound request bodies; zero fields take Django's defaults.
	Limits Limits
	// Timeouts are the server's; zero fields take the defaults.
	Timeouts Timeouts
	// Logger receives the refused hosts; default slog.Default().
	Logger *slog.Logger
}

// DefaultAllowedHosts returns the hosts allowed when Config.AllowedHosts
// is empty: the loopback names (localhost and its subdomains, 127.0.0.1,
// [::1]), as Django allows them in debug mode.
func DefaultAllowedHosts() []string { return []string{".localhost", "127.0.0.1", "[::1]"} }

// Guard is the middleware built from a Config by New.
type Guard struct {
	cfg Config
}

// New returns a Guard for cfg, with empty fields set to their defaults.
func New(cfg Config) *Guard {
	if len(cfg.AllowedHosts) == 0 {
		cfg.AllowedHosts = DefaultAllowedHosts()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	cfg.Limits = cfg.Limits.withDefaults()
	cfg.Timeouts = cfg.Timeouts.withDefaults()
	return &Guard{cfg: cfg}
}

// Config returns the configuration in effect, defaults filled in.
func (g *Guard) Config() Config { return g.cfg }

// Handler returns next behind every check of the guard, in order: the
// proxy's headers, the allowed hosts, the body limits and form parsing,
// then the secure response headers.
func (g *Guard) Handler(next http.Handler) http.Handler {
	h := Secure(g.cfg.HSTS)(next)
	h = Forms(g.cfg.Limits)(h)
	h = Limit(g.cfg.Limits)(h)
	h = AllowedHosts(g.cfg.AllowedHosts, g.cfg.Logger)(h)
	return Proxy(g.cfg.TrustProxy)(h)
}

// Server returns an http.Server for h (a handler Handler guards) with the
// configured timeouts.
func (g *Guard) Server(h http.Handler) *http.Server { return g.cfg.Timeouts.Server(h) }

// infoKey is the context key of a request's *info.
type infoKey struct{}

// info is what the guard learnt about a request.
type info struct {
	host    string // as the browser addressed it
	secure  bool   // the browser used https
	checked bool   // host is one of the allowed hosts
}

func infoFrom(r *http.Request) *info {
	in, _ := r.Context().Value(infoKey{}).(*info)
	return in
}

func withInfo(r *http.Request, in *info) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), infoKey{}, in))
}

// Host returns the host (with its port, if any) the browser addressed:
// X-Forwarded-Host behind a trusted proxy, else r.Host. For a request that
// passed AllowedHosts it is one of the allowed hosts.
func Host(r *http.Request) string {
	if in := infoFrom(r); in != nil {
		return in.host
	}
	return r.Host
}

// IsSecure reports whether the browser used HTTPS: the connection is TLS,
// or a trusted proxy said so in X-Forwarded-Proto (Django's is_secure).
func IsSecure(r *http.Request) bool {
	if in := infoFrom(r); in != nil {
		return in.secure
	}
	return r.TLS != nil
}

// Scheme returns "https" when IsSecure, else "http".
func Scheme(r *http.Request) string {
	if IsSecure(r) {
		return "https"
	}
	return "http"
}

// HostChecked reports whether Host was checked against the allowed hosts
// (the request passed AllowedHosts), so that links may be built from it.
func HostChecked(r *http.Request) bool {
	in := infoFrom(r)
	return in != nil && in.checked
}
