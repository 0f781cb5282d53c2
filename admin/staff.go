package admin

import (
	"net/http"

	"github.com/staffroom/staffroom/auth"
)

// StaffMemberRequired protects any handler, inside the site or not, as
// Django's staff_member_required: active staff members get through; anyone
// else is sent to the site's login page with next set to the full path
// they asked for. It brings the site's session, CSRF and authentication
// middleware, which pass a request through untouched when it already went
// through them.
func (s *Site) StaffMemberRequired(next http.Handler) http.Handler {
	check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hasPermission(auth.UserFrom(r.Context())) {
			http.Redirect(w, r, s.loginURL(r), http.StatusFound)
			return
		}
		next.ServeHTTP(w, r)
	})
	return s.sessions.Middleware(s.csrf.Middleware(s.auth.Middleware(check)))
}

// loginURL is the login page with next set to the request's full path
// (the path and query string, slashes kept).
func (s *Site) loginURL(r *http.Request) string {
	return s.cfg.Prefix + "login/?next=" + escapeNext(r.URL.RequestURI())
}
