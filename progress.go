package staffroom

import (
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"
)

// progress tells how far a long command has come, at most once per
// interval: on a terminal the line is rewritten in place, elsewhere (a log,
// a pipe) each report is a line of its own.
type progress struct {
	w        io.Writer
	tty      bool
	interval time.Duration
	now      func() time.Time
	last     time.Time // when the last line was written
	open     bool      // a terminal line waits for its newline
}

// newProgress reports on w, in place when w is a terminal.
func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	return &progress{w: w, tty: ok && term.IsTerminal(int(f.Fd())), interval: time.Second, now: time.Now}
}

// report writes a line unless the last one is younger than the interval;
// a final report is always written, and ends a terminal line.
func (p *progress) report(final bool, format string, args ...any) {
	now := p.now()
	if !final && !p.last.IsZero() && now.Sub(p.last) < p.interval {
		return
	}
	p.last = now
	line := fmt.Sprintf(format, args...)
	if !p.tty {
		fmt.Fprintln(p.w, line)
		return
	}
	fmt.Fprintf(p.w, "\r%s\x1b[K", line) // \x1b[K clears what a longer line left
	p.open = !final
	if final {
		fmt.Fprintln(p.w)
	}
}

// end finishes a terminal line that no final report ended, so an error
// message that follows starts on a line of its own.
func (p *progress) end() {
	if p.open {
		fmt.Fprintln(p.w)
		p.open = false
	}
}

// counter returns a function reporting "label: done/total unit", the
// shape of SeedOptions.Progress; the report that reaches total is final.
func (p *progress) counter(label, unit string) func(done, total int) {
	return func(done, total int) {
		p.report(done >= total, "%s: %d/%d %s", label, done, total, unit)
	}
}
