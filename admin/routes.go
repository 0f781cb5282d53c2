package admin

import (
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// routes lists every URL of the site, in Django's shapes. Object URLs are
// parsed by parseRoute, because an object id may itself contain slashes.
func (s *Site) routes() http.Handler {
	p := s.cfg.Prefix
	mux := http.NewServeMux()
	mux.Handle(p+"login/{$}", s.handle(s.loginView))
	mux.Handle(p+"logout/{$}", s.adminView(s.logoutView))
	mux.Handle(p+"password_change/{$}", s.adminView(s.passwordChangeView))
	mux.Handle(p+"password_change/done/{$}", s.adminView(s.passwordChangeDoneView))
	mux.Handle(p+"login/verify/{$}", s.handle(s.loginVerifyView))
	mux.Handle(p+"login/enrol/{$}", s.handle(s.loginEnrolView))
	mux.Handle(p+"two_factor/{$}", s.adminView(s.twoFactorView))
	mux.Handle(p+"two_factor/setup/{$}", s.adminView(s.twoFactorSetupView))
	mux.Handle(p+"two_factor/recovery_codes/{$}", s.adminView(s.twoFactorCodesView))
	mux.Handle(p+"two_factor/disable/{$}", s.adminView(s.twoFactorDisableView))
	if !s.cfg.DisablePasswordReset {
		mux.Handle(p+"password_reset/{$}", s.handle(s.passwordResetView))
		mux.Handle(p+"password_reset/done/{$}", s.handle(s.passwordResetDoneView))
		mux.Handle(p+"reset/{uidb64}/{token}/{$}", s.handle(s.passwordResetConfirmView))
		mux.Handle(p+"reset/done/{$}", s.handle(s.passwordResetCompleteView))
	}
	for _, vw := range s.views {
		if vw.Public {
			mux.Handle(p+vw.Path+"{$}", s.handle(s.customView(vw, "")))
		}
	}
	mux.Handle(p+"{$}", s.adminView(s.indexView))
	if s.cfg.DisableFinalCatchAll {
		mux.Handle(p, s.handle(s.dispatchNoCatchAll))
	} else {
		mux.Handle(p, s.adminView(s.dispatch))
	}
	var inner http.Handler = s.timeZone(mux)
	if s.cfg.RemoteUser != nil {
		inner = s.auth.RemoteUserMiddleware(*s.cfg.RemoteUser)(inner)
	}
	app := s.deadline(securityHeaders(s.sessions.Middleware(s.csrf.Middleware(s.auth.Middleware(inner)))))

	outer := http.NewServeMux()
	outer.Handle("GET "+p+"static/", s.static)
	outer.Handle("HEAD "+p+"static/", s.static)
	outer.Handle("/", app)
	return outer
}

// routeKind names an admin view.
type routeKind int

const (
	routeNone routeKind = iota
	routeAppIndex
	routeChangelist
	routeAdd
	routeHistory
	routeDelete
	routeChange
	routeLegacyObject // <id>/ redirects to <id>/change/
)

// route is a parsed admin path below the prefix.
type route struct {
	kind  routeKind
	app   string
	model string
	id    string // still admin-quoted
}

// parseRoute parses a path relative to the site's prefix, in the order
// Django's URL patterns are tried, so that ids such as "add" or "history"
// still reach their objects.
func parseRoute(rest string) route {
	if !strings.HasSuffix(rest, "/") {
		return route{}
	}
	app, after, ok := strings.Cut(rest, "/")
	if !ok || app == "" {
		return route{}
	}
	if after == "" {
		return route{kind: routeAppIndex, app: app}
	}
	model, obj, _ := strings.Cut(after, "/")
	if model == "" {
		return route{}
	}
	r := route{app: app, model: model}
	switch {
	case obj == "":
		r.kind = routeChangelist
	case obj == "add/":
		r.kind = routeAdd
	default:
		for _, suffix := range []struct {
			s    string
			kind routeKind
		}{{"/history/", routeHistory}, {"/delete/", routeDelete}, {"/change/", routeChange}} {
			if id, found := strings.CutSuffix(obj, suffix.s); found && id != "" {
				r.kind, r.id = suffix.kind, id
				return r
			}
		}
		r.kind, r.id = routeLegacyObject, strings.TrimSuffix(obj, "/")
		if r.id == "" {
			return route{}
		}
	}
	return r
}

// dispatch serves every admin URL that is not the index, login or logout:
// the site's own pages, app indexes, model views and the final catch-all,
// which answers 404 to staff (anonymous users were already sent to the
// login page, so they cannot tell registered models from others).
func (s *Site) dispatch(w http.ResponseWriter, r *http.Request) error {
	rest := strings.TrimPrefix(r.URL.Path, s.cfg.Prefix)
	if h, ok := s.resolve(r, rest); ok {
		return h(w, r)
	}
	return s.appendSlash(w, r, rest)
}

// appendSlash redirects to the path with a slash appended when that
// path has a view, Django's APPEND_SLASH; otherwise it is not found.
func (s *Site) appendSlash(w http.ResponseWriter, r *http.Request, rest string) error {
	if !strings.HasSuffix(rest, "/") {
		if _, ok := s.resolve(r, rest+"/"); ok {
			target := r.URL.EscapedPath() + "/"
			if r.URL.RawQuery != "" {
				target += "?" + r.URL.RawQuery
			}
			http.Redirect(w, r, target, http.StatusMovedPermanently)
			return nil
		}
	}
	return errNotFound
}

// dispatchNoCatchAll is dispatch without the final catch-all
// (DisableFinalCatchAll): only the URLs that have a view are checked for
// permission; others are not found, and get their slash, whoever asks.
func (s *Site) dispatchNoCatchAll(w http.ResponseWriter, r *http.Request) error {
	rest := strings.TrimPrefix(r.URL.Path, s.cfg.Prefix)
	if _, ok := s.resolve(r, rest); ok {
		s.adminView(s.dispatch).ServeHTTP(w, r)
		return nil
	}
	return s.appendSlash(w, r, rest)
}

// resolve finds the view of a path below the site's prefix, in the order
// Django's URL patterns are tried: the site's own pages, then per model
// the admin's own pages (GetURLs) before the standard ones, so that ids
// such as "add" or "history" still reach their objects.
func (s *Site) resolve(r *http.Request, rest string) (handlerFunc, bool) {
	if vw, id, ok := matchView(s.views, rest); ok && !vw.Public {
		return s.customView(vw, id), true
	}
	if rest == "autocomplete/" {
		return s.autocompleteView, true
	}
	if rest == "palette/" {
		return s.paletteView, true
	}
	if tail, ok := strings.CutPrefix(rest, "r/"); ok && strings.HasSuffix(tail, "/") && strings.Count(tail, "/") >= 2 {
		return func(w http.ResponseWriter, r *http.Request) error { return s.viewOnSiteView(w, r, tail) }, true
	}
	rt := parseRoute(rest)
	if rt.kind == routeNone {
		return nil, false
	}
	if rt.kind == routeAppIndex {
		if !s.hasApp(rt.app) {
			return nil, false
		}
		return func(w http.ResponseWriter, r *http.Request) error { return s.appIndexView(w, r, rt.app) }, true
	}
	ma := s.adminFor(rt.app, rt.model)
	if ma == nil {
		return nil, false
	}
	modelRest := strings.TrimPrefix(rest, rt.app+"/"+rt.model+"/")
	if vw, id, ok := matchView(ma.GetURLs(), modelRest); ok {
		return s.customView(vw, id), true
	}
	id := Unquote(rt.id)
	switch rt.kind {
	case routeChangelist:
		return ma.ChangelistView, true
	case routeAdd:
		return ma.AddView, true
	case routeChange:
		return func(w http.ResponseWriter, r *http.Request) error { return ma.ChangeView(w, r, id) }, true
	case routeDelete:
		return func(w http.ResponseWriter, r *http.Request) error { return ma.DeleteView(w, r, id) }, true
	case routeHistory:
		return func(w http.ResponseWriter, r *http.Request) error { return ma.HistoryView(w, r, id) }, true
	case routeLegacyObject:
		return func(w http.ResponseWriter, r *http.Request) error {
			http.Redirect(w, r, r.URL.EscapedPath()+"change/", http.StatusFound)
			return nil
		}, true
	}
	return nil, false
}

// customView serves a View of the site's or of an admin's; id is the
// unquoted object id of a "{id}/" page.
func (s *Site) customView(vw View, id string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if id != "" {
			r.SetPathValue("object_id", id)
		}
		if vw.Cacheable {
			w.Header().Del("Cache-Control")
			w.Header().Del("Expires")
		}
		return vw.Handler(w, r)
	}
}

// handlerFunc is an admin view: it writes a response or returns an error
// for handle to turn into one.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle maps a view's error to a response.
func (s *Site) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	})
}

// adminView lets through only the users the site lets in
// (HasPermission): everyone else is sent to the
// login page with the requested path in next (or, for logout, to the
// index), Django's admin_view.
func (s *Site) adminView(h handlerFunc) http.Handler {
	return s.handle(func(w http.ResponseWriter, r *http.Request) error {
		// A user whose session or account could not be read reads as
		// anonymous, but sending them to log in would be a lie, and what
		// they posted would be lost: answer the database's failure.
		if err := auth.LoadError(r.Context()); err != nil {
			return err
		}
		if !s.HasPermission(r) {
			if r.URL.Path == s.cfg.Prefix+"logout/" {
				http.Redirect(w, r, s.cfg.Prefix, http.StatusFound)
				return nil
			}
			http.Redirect(w, r, s.loginURL(r), http.StatusFound)
			return nil
		}
		if done, err := s.enrolFirst(w, r); done || err != nil {
			return err
		}
		return h(w, r)
	})
}

// escapeNext encodes a path for the next parameter, keeping slashes as
// Django does.
func escapeNext(path string) string {
	return strings.ReplaceAll(url.QueryEscape(path), "%2F", "/")
}

// fail renders the error page for err: 400, 403, 404, or a logged 500.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	if orm.IsUnavailable(err) { // nothing was kept; the request may be tried again
		s.unavailable(w, r, err)
		return
	}
	var he *httpError
	if errors.Is(err, orm.ErrNotFound) {
		he = errNotFound
	} else if !errors.As(err, &he) {
		s.log.ErrorContext(r.Context(), "admin: server error", "method", r.Method, "path", r.URL.Path, "err", err)
		he = &httpError{http.StatusInternalServerError, "server error"}
	}
	page := errorPage{Context: s.pageContext(r, "")}
	page.Status = he.status
	switch he.status {
	case http.StatusNotFound:
		page.Title, page.Text = "Page not found", "We’re sorry, but the requested page could not be found."
	case http.StatusForbidden:
		page.Title, page.Text = "403 Forbidden", "You do not have permission to access this page."
	case http.StatusBadRequest:
		page.Title, page.Text = "Bad Request (400)", he.msg
	default:
		page.Title, page.Text = "Server error (500)", "There’s been an error. It’s been reported to the site administrators and should be fixed shortly. Thanks for your patience."
	}
	s.render(w, r, he.status, s.tmpl.lookup("", "", "error.html"), &page)
}

// neverCache marks a response as not to be stored, Django's never_cache.
func neverCache(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "max-age=0, no-cache, no-store, must-revalidate, private")
	h.Set("Expires", "Thu, 01 Jan 1970 00:00:00 GMT")
}

// securityHeaders adds the headers every admin response but the static
// files carries: no framing, no sniffing, no cross-origin referrers, a
// Content-Security-Policy that allows only the site's own scripts, styles
// and images (the pages have no inline script or style), and no caching,
// so a shared or browser cache never keeps a page with someone's data.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		neverCache(w)
		h := w.Header()
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}
