// Package csrf protects unsafe HTTP requests against cross-site request
// forgery the way Django's CsrfViewMiddleware does (Django 4.1 and later), so
// that its cookie, tokens, checks and failure reasons are Django's.
//
// A cookie holds a 32-character secret. Pages embed a fresh 64-character
// masked form of it (Token) in a hidden form field; POST, PUT, PATCH, DELETE
// and every other method except GET, HEAD, OPTIONS and TRACE must then carry
// the masked token or the bare secret in the form field or the X-CSRFToken
// header, and, when they send an Origin header or arrive over HTTPS, come from
// the site itself or a trusted origin.
//
// The package also validates redirect targets taken from requests
// (IsSafeRedirect), as Django's url_has_allowed_host_and_scheme does.
package csrf

import (
	"context"
	"fmt"
	"html"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/staffroom/staffroom/guard"
)

// Reasons given to Config.Failure, worded as Django words them. The ones
// ending in "%s" are formats for the offending Origin or Referer.
const (
	ReasonBadOrigin        = "Origin checking failed - %s does not match any trusted origins."
	ReasonNoReferer        = "Referer checking failed - no Referer."
	ReasonBadReferer       = "Referer checking failed - %s does not match any trusted origins."
	ReasonMalformedReferer = "Referer checking failed - Referer is malformed."
	ReasonInsecureReferer  = "Referer checking failed - Referer is insecure while host is secure."
	ReasonNoCookie         = "CSRF cookie not set."
	ReasonNoToken          = "CSRF token missing."
)

// Fragments of the token-format reasons, as in Django: "CSRF token from POST
// has incorrect length.", "CSRF cookie has invalid characters." and so on.
const (
	reasonIncorrectLength   = "has incorrect length"
	reasonInvalidCharacters = "has invalid characters"
	reasonIncorrect         = "incorrect"
)

// cookieMaxAge is Django's CSRF_COOKIE_AGE: 52 weeks.
const cookieMaxAge = 52 * 7 * 24 * time.Hour

// maxMemory bounds the part of a multipart body's files kept in memory
// when the middleware parses the body itself, as Django's
// FILE_UPLOAD_MAX_MEMORY_SIZE does.
const maxMemory = 2621440

// Config configures a Protector. The zero value gives Django's defaults.
type Config struct {
	// CookieName is the name of the cookie holding the secret; default "csrftoken".
	CookieName string
	// FieldName is the form field carrying the token; default "csrfmiddlewaretoken".
	FieldName string
	// HeaderName is the header carrying the token when the form does not;
	// default "X-CSRFToken".
	HeaderName string
	// TrustedOrigins lists other origins allowed to send unsafe requests, as
	// Django's CSRF_TRUSTED_ORIGINS: "https://example.com", or
	// "https://*.example.com" for example.com and all its subdomains. Each
	// must start with a scheme and "://"; New panics otherwise.
	TrustedOrigins []string
	// CookieSecure sets the Secure flag on the cookie. It is also set on
	// requests that arrived over HTTPS (guard.IsSecure).
	CookieSecure bool
	// CookiePath is the cookie's path; default "/".
	CookiePath string
	// Failure writes the response to a rejected request. reason is one of
	// the Reason texts (formatted where needed). The default writes a 403
	// page saying "CSRF verification failed. Request aborted." and the reason.
	// The request still carries the middleware's state, so Token works.
	Failure func(w http.ResponseWriter, r *http.Request, reason string)
}

// Protector is the CSRF middleware built from a Config by New.
type Protector struct {
	cfg Config
	// exactOrigins holds trusted origins without a wildcard.
	exactOrigins map[string]bool
	// subdomainOrigins maps a scheme to the ".example.com" patterns of the
	// wildcard trusted origins with that scheme.
	subdomainOrigins map[string][]string
	// refererHosts holds the host part of every trusted origin, a wildcard
	// reduced to its leading dot, for matching a Referer.
	refererHosts []string
}

// New returns a Protector for cfg, with empty fields set to their defaults.
// It panics when a trusted origin has no scheme, as Django refuses to start.
func New(cfg Config) *Protector {
	if cfg.CookieName == "" {
		cfg.CookieName = "csrftoken"
	}
	if cfg.FieldName == "" {
		cfg.FieldName = "csrfmiddlewaretoken"
	}
	if cfg.HeaderName == "" {
		cfg.HeaderName = "X-CSRFToken"
	}
	if cfg.CookiePath == "" {
		cfg.CookiePath = "/"
	}
	if cfg.Failure == nil {
		cfg.Failure = DefaultFailure
	}
	p := &Protector{cfg: cfg, exactOrigins: map[string]bool{}, subdomainOrigins: map[string][]string{}}
	for _, origin := range cfg.TrustedOrigins {
		scheme, netloc, ok := splitURL(origin)
		if !ok || scheme == "" || !strings.Contains(origin, "://") {
			panic(fmt.Sprintf("csrf: trusted origin %q must start with a scheme (usually http:// or https://)", origin))
		}
		host := strings.ToLower(strings.TrimLeft(netloc, "*"))
		p.refererHosts = append(p.refererHosts, host)
		if strings.Contains(origin, "*") {
			p.subdomainOrigins[scheme] = append(p.subdomainOrigins[scheme], host)
		} else {
			p.exactOrigins[origin] = true
		}
	}
	return p
}

// DefaultFailure is the default Config.Failure: a 403 HTML page with
// Django's "CSRF verification failed. Request aborted." and the reason.
func DefaultFailure(w http.ResponseWriter, r *http.Request, reason string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusForbidden)
	io.WriteString(w, "<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p><p>"+
		html.EscapeString(reason)+"</p>\n")
}

// Middleware returns next wrapped in CSRF protection. Every request gets a
// secret (a new cookie when it brought none or a malformed one) in its
// context for Token and Rotate; requests with unsafe methods that fail the
// checks go to Config.Failure instead of next. A request that already
// passed this Protector's middleware is passed on as it is.
func (p *Protector) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if st := stateFrom(r); st != nil && st.p == p {
			next.ServeHTTP(w, r)
			return
		}
		cookie := p.readCookie(r)
		st := &state{p: p, w: w, secret: cookie.secret}
		if cookie.secret == "" || cookie.legacy {
			if st.secret == "" {
				st.secret = newSecret()
			}
			p.setCookie(w, r, st.secret)
		}
		r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
		if r.MultipartForm == nil {
			// The body is parsed here, on this copy of the request, which
			// net/http does not clean up: remove its temporary files once
			// done. Usually guard.Forms has parsed it already and owns them.
			defer func() {
				if r.MultipartForm != nil {
					r.MultipartForm.RemoveAll()
				}
			}()
		}
		if !isSafeMethod(r.Method) {
			if reason := p.check(r, cookie); reason != "" {
				p.cfg.Failure(w, r, reason)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions || m == http.MethodTrace
}

// check runs Django's checks for an unsafe request, in Django's order, and
// returns the reason for rejecting it, or "".
func (p *Protector) check(r *http.Request, cookie cookieSecret) string {
	if origin, ok := r.Header["Origin"]; ok {
		if !p.originOK(r, origin[0]) {
			return fmt.Sprintf(ReasonBadOrigin, origin[0])
		}
	} else if guard.IsSecure(r) {
		if reason := p.checkReferer(r); reason != "" {
			return reason
		}
	}
	return p.checkToken(r, cookie)
}

// checkToken compares the request's token with the cookie's secret.
func (p *Protector) checkToken(r *http.Request, cookie cookieSecret) string {
	switch {
	case cookie.formatErr != "":
		return "CSRF cookie " + cookie.formatErr + "."
	case cookie.secret == "":
		return ReasonNoCookie
	}
	token, fromHeader := "", false
	if r.Method == http.MethodPost {
		token = p.formToken(r)
	}
	if token == "" {
		values, ok := r.Header[http.CanonicalHeaderKey(p.cfg.HeaderName)]
		if !ok {
			return ReasonNoToken
		}
		token, fromHeader = values[0], true
	}
	source := "POST"
	if fromHeader {
		// Django names the header as its HttpHeaders does: "X-Csrftoken".
		source = "the '" + http.CanonicalHeaderKey(p.cfg.HeaderName) + "' HTTP header"
	}
	if reason := tokenFormatError(token); reason != "" {
		return "CSRF token from " + source + " " + reason + "."
	}
	if !tokenMatches(token, cookie.secret) {
		return "CSRF token from " + source + " " + reasonIncorrect + "."
	}
	return ""
}

// formToken reads the token from the POST body, parsed by guard.Forms
// before, or else here, keeping a multipart body's files for the handler.
func (p *Protector) formToken(r *http.Request) string {
	if strings.HasPrefix(strings.ToLower(r.Header.Get("Content-Type")), "multipart/form-data") {
		r.ParseMultipartForm(maxMemory)
	} else {
		r.ParseForm()
	}
	// An unreadable body leaves no token here, as in Django; the header is
	// then tried.
	return r.PostForm.Get(p.cfg.FieldName)
}
