package staffroom

import (
	"bytes"
	"testing"
	"time"
)

// TestProgress writes at most one line a second, always the final one; on
// a terminal it rewrites one line and ends it.
func TestProgress(t *testing.T) {
	for _, c := range []struct {
		tty  bool
		want string
	}{
		{false, "seed: 0/30 books\nseed: 20/30 books\nseed: 30/30 books\n"},
		{true, "\rseed: 0/30 books\x1b[K\rseed: 20/30 books\x1b[K\rseed: 30/30 books\x1b[K\n"},
	} {
		var buf bytes.Buffer
		clock := time.Unix(0, 0)
		p := &progress{w: &buf, tty: c.tty, interval: time.Second, now: func() time.Time { return clock }}
		count := p.counter("seed", "books")
		for done, at := range []time.Duration{0, 500 * time.Millisecond, 1100 * time.Millisecond, 1200 * time.Millisecond} {
			clock = time.Unix(0, 0).Add(at)
			count(done*10, 30)
		}
		p.end()
		if got := buf.String(); got != c.want {
			t.Errorf("tty %v: %q, want %q", c.tty, got, c.want)
		}
	}
}

// TestProgressEnd ends a terminal line that no final report ended.
func TestProgressEnd(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, tty: true, interval: time.Second, now: time.Now}
	p.report(false, "loaddata: 1/2 fixtures")
	p.end()
	p.end()
	if got, want := buf.String(), "\rloaddata: 1/2 fixtures\x1b[K\n"; got != want {
		t.Errorf("%q, want %q", got, want)
	}
}
