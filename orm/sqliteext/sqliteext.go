// Package sqliteext adds to the pure-Go SQLite driver (modernc.org/sqlite)
// the SQL functions Staffroom's SQLite dialect uses when they exist:
// REGEXP, for the regex and iregex lookups (Go's regexp syntax), and
// staffroom_casefold, which makes the case-insensitive lookups fold every
// letter rather than only ASCII ones.
//
// Library packages never import a driver; a program (or a test) that uses
// SQLite calls Register once before opening databases.
package sqliteext

import (
	"database/sql/driver"
	"fmt"
	"regexp"
	"sync"

	"golang.org/x/text/cases"
	"modernc.org/sqlite"

	"github.com/staffroom/staffroom/orm"
)

var (
	once    sync.Once
	errOnce error
	mu      sync.Mutex
	cache   = map[string]*regexp.Regexp{}
)

// Register adds the functions to every SQLite connection opened after it.
// Calling it again does nothing.
func Register() error {
	once.Do(func() {
		if err := sqlite.RegisterDeterministicScalarFunction("regexp", 2, regexpFunc); err != nil {
			errOnce = fmt.Errorf("sqliteext: %w", err)
			return
		}
		if err := sqlite.RegisterDeterministicScalarFunction(orm.CaseFoldFunction, 1, casefold); err != nil {
			errOnce = fmt.Errorf("sqliteext: %w", err)
		}
	})
	return errOnce
}

// regexpFunc is SQLite's "X REGEXP Y", called as regexp(Y, X).
func regexpFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	pattern, ok := text(args[0])
	if !ok {
		return nil, nil
	}
	value, ok := text(args[1])
	if !ok {
		return nil, nil
	}
	re, err := compiled(pattern)
	if err != nil {
		return nil, err
	}
	if re.MatchString(value) {
		return int64(1), nil
	}
	return int64(0), nil
}

// compiled keeps compiled patterns: a query applies one pattern to many
// rows. The cache is bounded by clearing it when it grows large.
func compiled(pattern string) (*regexp.Regexp, error) {
	mu.Lock()
	defer mu.Unlock()
	if re, ok := cache[pattern]; ok {
		return re, nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("invalid regular expression %q: %w", pattern, err)
	}
	if len(cache) > 256 {
		clear(cache)
	}
	cache[pattern] = re
	return re, nil
}

func casefold(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	s, ok := text(args[0])
	if !ok {
		return args[0], nil
	}
	return cases.Fold().String(s), nil // a Caser is not safe to share
}

func text(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case nil:
		return "", false
	}
	return fmt.Sprint(v), true
}
