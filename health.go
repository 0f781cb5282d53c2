package staffroom

import (
	"context"
	"net/http"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// HealthPath is where a served program answers load balancers' health
// checks: 200 "ok" while the database answers, 503 otherwise.
const HealthPath = "/healthz"

// healthTimeout bounds a health check's query, well under the check
// intervals load balancers use.
const healthTimeout = 2 * time.Second

// healthHandler checks that the database answers a trivial query. It
// reads no session and sets no cookie, so a check costs one round trip.
func healthHandler(db *orm.DB) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), healthTimeout)
		defer cancel()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := db.SQL().PingContext(ctx); err != nil {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusServiceUnavailable)
			_, _ = w.Write([]byte("database unavailable\n"))
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
}
