package admin

import (
	"context"
	"net/http"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// The admin shows, takes and filters date-times in the current time zone,
// as Django's does with USE_TZ: the site's (orm.Options.TimeZone, UTC
// without one), or the one Config.TimeZoneFor picks for a request, which
// timeZone activates on the request's context for every query and form.

// timeZone activates the zone Config.TimeZoneFor picks for each request.
func (s *Site) timeZone(next http.Handler) http.Handler {
	if s.cfg.TimeZoneFor == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if loc := s.cfg.TimeZoneFor(r); loc != nil {
			r = r.WithContext(orm.WithTimeZone(r.Context(), loc))
		}
		next.ServeHTTP(w, r)
	})
}

// zone is the time zone of a request's context.
func (s *Site) zone(ctx context.Context) *time.Location { return s.db.CurrentTimeZone(ctx) }
