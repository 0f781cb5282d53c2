package guard

import (
	"net/http"
	"time"
)

// Timeouts are an http.Server's. A zero field takes its default; a
// negative one means none.
type Timeouts struct {
	// ReadHeader bounds the reading of a request's header; default 10s.
	ReadHeader time.Duration
	// Read bounds the reading of a whole request, body included, from its
	// first byte; default 60s. Raise it for large uploads over slow links.
	Read time.Duration
	// Write bounds the writing of a response, from the end of the
	// request's header; default 60s.
	Write time.Duration
	// Idle is how long a keep-alive connection waits for its next request;
	// default 120s.
	Idle time.Duration
}

// The default timeouts.
const (
	DefaultReadHeaderTimeout = 10 * time.Second
	DefaultReadTimeout       = 60 * time.Second
	DefaultWriteTimeout      = 60 * time.Second
	DefaultIdleTimeout       = 120 * time.Second
)

func (t Timeouts) withDefaults() Timeouts {
	t.ReadHeader = orDefault(t.ReadHeader, DefaultReadHeaderTimeout)
	t.Read = orDefault(t.Read, DefaultReadTimeout)
	t.Write = orDefault(t.Write, DefaultWriteTimeout)
	t.Idle = orDefault(t.Idle, DefaultIdleTimeout)
	return t
}

// orDefault returns def for zero, 0 (none, for http.Server) for a negative
// d, else d.
func orDefault(d, def time.Duration) time.Duration {
	switch {
	case d == 0:
		return def
	case d < 0:
		return 0
	}
	return d
}

// Server returns an http.Server for h with the timeouts, defaults filled
// in. Its other fields are net/http's defaults.
func (t Timeouts) Server(h http.Handler) *http.Server {
	t = t.withDefaults()
	return &http.Server{Handler: h, ReadHeaderTimeout: t.ReadHeader, ReadTimeout: t.Read,
		WriteTimeout: t.Write, IdleTimeout: t.Idle}
}
