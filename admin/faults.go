package admin

import (
	"context"
	"net/http"
	"sort"
	"strings"
)

// retryAfter is how long a client is asked to wait after a 503, in
// seconds.
const retryAfter = "30"

// unavailableText is the 503 page's message: true whatever failed, since
// every write runs in a transaction that the failure rolled back.
const unavailableText = "The database could not be reached, so nothing was saved. Please try again in a moment."

// retryForm is what a POST that met an outage carries back to the user:
// what they typed, shown, and a form that posts it again.
type retryForm struct {
	Action string
	Fields []hiddenParam // posted again, the CSRF token included
	Shown  []hiddenParam // shown as typed: no token, no passwords
	Files  bool          // uploads were sent, which cannot be kept
}

// newRetryForm rebuilds a POST from its parsed values; nil when the
// request posted nothing that could be read.
func newRetryForm(r *http.Request) *retryForm {
	if r.Method != http.MethodPost || r.PostForm == nil {
		return nil
	}
	rf := &retryForm{Action: r.URL.RequestURI(), Files: r.MultipartForm != nil && len(r.MultipartForm.File) > 0}
	keys := make([]string, 0, len(r.PostForm))
	for k := range r.PostForm {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if strings.Contains(strings.ToLower(k), "password") {
			continue // never echoed, nor kept in a page
		}
		for _, v := range r.PostForm[k] {
			rf.Fields = append(rf.Fields, hiddenParam{k, v})
			if k != "csrfmiddlewaretoken" && !strings.HasPrefix(k, "_") && v != "" {
				rf.Shown = append(rf.Shown, hiddenParam{k, v})
			}
		}
	}
	if len(rf.Fields) == 0 {
		return nil
	}
	return rf
}

// unavailable answers a request that met a database outage: 503 with
// Retry-After and a plain message — never a redirect to the login page —
// and, for a form, what was typed with a button that posts it again.
func (s *Site) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	s.log.WarnContext(r.Context(), "admin: database unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	page := errorPage{Context: s.pageContext(r, "Service unavailable (503)"), Text: unavailableText, Retry: newRetryForm(r)}
	page.Status = http.StatusServiceUnavailable
	w.Header().Set("Retry-After", retryAfter)
	s.render(w, r, http.StatusServiceUnavailable, s.tmpl.lookup("", "", "error.html"), &page)
}

// deadline runs each request under Config.RequestTimeout, so that a
// database that stops answering cannot hold it, and its connection, for
// ever.
func (s *Site) deadline(next http.Handler) http.Handler {
	if s.cfg.RequestTimeout < 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), s.cfg.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
