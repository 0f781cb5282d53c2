package session

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/staffroom/staffroom/orm"
)

type ctxKey struct{}

// NewContext returns a copy of ctx carrying the session s.
func NewContext(ctx context.Context, s *Data) context.Context {
	return context.WithValue(ctx, ctxKey{}, s)
}

// FromContext returns the session carried by ctx, if any.
func FromContext(ctx context.Context) (*Data, bool) {
	s, ok := ctx.Value(ctxKey{}).(*Data)
	return s, ok && s != nil
}

// From returns the request's session. Inside the middleware it is never
// nil; outside it, From returns a new empty session on each call, bound to
// no database, so what is stored in it is lost.
func From(r *http.Request) *Data {
	if s, ok := FromContext(r.Context()); ok {
		return s
	}
	return fresh()
}

// errResponseReplaced is returned to a handler writing a response that the
// middleware replaced because the session could not be saved.
var errResponseReplaced = errors.New("session: response replaced: the session could not be saved")

// Middleware gives each request a session (see From), loaded on first use,
// and before the response's headers are sent: saves it when it was modified
// and is not empty (unless the status is 5xx) and sets the cookie; deletes
// the cookie when the request had one and the session is now empty; and
// adds "Vary: Cookie" when the session was used.
//
// A session deleted by another request in the meantime gives 400 Bad
// Request instead of the handler's response, and a failed save 500. A
// request that already has a session of this store is passed on as it is.
func (st *Store) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s, ok := FromContext(r.Context()); ok && s.store == st {
			next.ServeHTTP(w, r)
			return
		}
		key, hadCookie := "", false
		if c, err := r.Cookie(st.cfg.CookieName); err == nil {
			key, hadCookie = c.Value, true
		}
		s := st.Session(r.Context(), key)
		r = r.WithContext(NewContext(r.Context(), s))
		sw := &responseWriter{ResponseWriter: w, st: st, r: r, s: s, hadCookie: hadCookie}
		next.ServeHTTP(sw, r)
		// Nothing written: net/http will send 200 with the headers as they
		// are, so the session must be settled now.
		sw.commit(http.StatusOK)
	})
}

// responseWriter settles the session at the last moment headers can still
// change: the first WriteHeader (other than 1xx), Write or Flush.
type responseWriter struct {
	http.ResponseWriter
	st        *Store
	r         *http.Request
	s         *Data
	hadCookie bool
	committed bool
	replaced  bool // the handler's response was replaced by an error
}

func (w *responseWriter) WriteHeader(code int) {
	if w.replaced {
		return
	}
	if code >= 100 && code < 200 {
		w.ResponseWriter.WriteHeader(code)
		return
	}
	if !w.committed {
		w.commit(code)
		if w.replaced {
			return
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *responseWriter) Write(b []byte) (int, error) {
	if !w.committed {
		w.commit(http.StatusOK)
	}
	if w.replaced {
		return 0, errResponseReplaced
	}
	return w.ResponseWriter.Write(b)
}

// Flush implements http.Flusher when the underlying writer does.
func (w *responseWriter) Flush() {
	if !w.committed {
		w.commit(http.StatusOK)
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok && !w.replaced {
		f.Flush()
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *responseWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// commit applies the session to the response headers, once.
func (w *responseWriter) commit(code int) {
	if w.committed {
		return
	}
	w.committed = true
	err := w.st.finish(w.r, w.Header(), w.s, w.hadCookie, code)
	switch {
	case err == nil:
		return
	case errors.Is(err, ErrInterrupted):
		w.replace(http.StatusBadRequest, "The request's session was deleted before the request completed. "+
			"The user may have logged out in a concurrent request, for example.")
	case orm.IsUnavailable(err):
		w.st.log.WarnContext(w.r.Context(), "session: save failed: database unavailable", "error", err)
		w.Header().Set("Retry-After", "30")
		w.replace(http.StatusServiceUnavailable, "The database could not be reached, so the session was not saved. Please try again in a moment.")
	default:
		w.st.log.ErrorContext(w.r.Context(), "session: save failed", "error", err)
		w.replace(http.StatusInternalServerError, "Server error")
	}
}

// replace sends an error page instead of the handler's response, whose
// headers are dropped; what the handler writes afterwards is discarded.
func (w *responseWriter) replace(code int, msg string) {
	h := w.Header()
	retry := h.Get("Retry-After")
	for k := range h {
		delete(h, k)
	}
	if retry != "" {
		h.Set("Retry-After", retry)
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	w.ResponseWriter.WriteHeader(code)
	w.ResponseWriter.Write([]byte(msg + "\n"))
	w.replaced = true
}

// finish is Django's SessionMiddleware.process_response on the headers of
// a response about to be sent with status code.
func (st *Store) finish(r *http.Request, h http.Header, s *Data, hadCookie bool, code int) error {
	s.mu.Lock()
	accessed, modified, empty, failed := s.accessed, s.modified, s.isEmpty(), s.err != nil
	s.mu.Unlock()
	if hadCookie && empty {
		st.addCookie(r, h, "", -1, time.Unix(0, 0))
		addVary(h, "Cookie")
		return nil
	}
	if accessed {
		addVary(h, "Cookie")
	}
	if !modified || empty || failed || code >= 500 {
		return nil
	}
	if err := s.Save(r.Context()); err != nil {
		return err
	}
	if s.ExpireAtBrowserClose() {
		st.addCookie(r, h, s.Key(), 0, time.Time{})
		return nil
	}
	age := s.ExpiryAge()
	maxAge := age
	if age <= 0 {
		maxAge = -1 // net/http writes Max-Age=0 for a negative MaxAge
	}
	st.addCookie(r, h, s.Key(), maxAge, time.Now().Add(time.Duration(age)*time.Second))
	return nil
}

// addCookie adds the session cookie to the response headers. A deleted
// cookie (maxAge < 0) is written as Django writes it, empty, with Max-Age=0
// and an expiry in 1970, and without HttpOnly; it keeps the Secure flag so
// that it can replace a secure cookie.
func (st *Store) addCookie(r *http.Request, h http.Header, value string, maxAge int, expires time.Time) {
	c := &http.Cookie{
		Name:     st.cfg.CookieName,
		Value:    value,
		Path:     st.cfg.CookiePath,
		Domain:   st.cfg.CookieDomain,
		MaxAge:   maxAge,
		Expires:  expires.UTC(),
		Secure:   st.cfg.CookieSecure || r.TLS != nil,
		HttpOnly: value != "",
		SameSite: http.SameSiteLaxMode,
	}
	if expires.IsZero() {
		c.Expires = time.Time{}
	}
	if v := c.String(); v != "" {
		h.Add("Set-Cookie", v)
	}
}

// addVary adds a field name to the Vary header unless it is already there
// (or the response varies on everything).
func addVary(h http.Header, name string) {
	for _, line := range h.Values("Vary") {
		for _, f := range strings.Split(line, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, name) {
				return
			}
		}
	}
	h.Add("Vary", name)
}
