// Package pagecheck is a switch for tests: with it on, the admin renders
// each page it writes in Go (for speed; see admin/changelist_page.go)
// through its template as well, and records the first page whose bytes
// differ. The admin's and the examples' test runs turn it on and fail
// when a difference was recorded; nothing else does.
package pagecheck

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

var (
	on       atomic.Bool
	compared atomic.Int64 // pages compared so far
	mu       sync.Mutex
	first    string // the first difference, described
)

// Run is a TestMain's: it turns the comparison on, unless the run
// measures benchmarks (which must time one rendering), runs the tests,
// and returns their exit code, 1 when a page differed.
func Run(m interface{ Run() int }) int {
	if !flag.Parsed() {
		flag.Parse()
	}
	if f := flag.Lookup("test.bench"); f == nil || f.Value.String() == "" {
		Enable()
	}
	code := m.Run()
	if f := flag.Lookup("test.v"); f != nil && f.Value.String() == "true" {
		fmt.Fprintf(os.Stderr, "pagecheck: %d pages written in Go compared with their templates\n", Compared())
	}
	if d := Mismatch(); d != "" {
		fmt.Fprintln(os.Stderr, "FAIL:", d)
		return 1
	}
	return code
}

// Enable turns the comparison on for the rest of the process.
func Enable() { on.Store(true) }

// Enabled reports whether pages written in Go are to be compared with
// their templates' output.
func Enabled() bool { return on.Load() }

// Compare returns nil when got, the page written in Go, is want, the
// template's bytes; else it records the difference (the first one of the
// process is kept) and returns it as an error.
func Compare(page string, got, want []byte) error {
	compared.Add(1)
	i := firstDiff(got, want)
	if i < 0 {
		return nil
	}
	d := fmt.Sprintf("pagecheck: %s written in Go differs from its template at byte %d:\n  go:       %q\n  template: %q",
		page, i, around(got, i), around(want, i))
	mu.Lock()
	if first == "" {
		first = d
	}
	mu.Unlock()
	return fmt.Errorf("%s", d)
}

// Compared counts the pages compared so far: a test sees by it that a
// page was written in Go.
func Compared() int64 { return compared.Load() }

// Mismatch is the first difference recorded, or "".
func Mismatch() string {
	mu.Lock()
	defer mu.Unlock()
	return first
}

// firstDiff is the index of the first byte where a and b differ, the
// shorter one's length when one is the other's prefix, or -1.
func firstDiff(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) == len(b) {
		return -1
	}
	return n
}

// around is the text of b near byte i: some context before, more after.
func around(b []byte, i int) string {
	lo, hi := max(0, i-60), min(len(b), i+100)
	var sb strings.Builder
	if lo > 0 {
		sb.WriteString("…")
	}
	sb.Write(b[lo:hi])
	if hi < len(b) {
		sb.WriteString("…")
	}
	return sb.String()
}
