// Package sqliteext brings the pure-Go SQLite driver a program uses and
// adds to it the SQL functions Staffroom's SQLite dialect uses when they
// exist: REGEXP, for the regex and iregex lookups (Go's regexp syntax), and
// staffroom_casefold, which makes the case-insensitive lookups fold every
// letter rather than only ASCII ones.
//
// Importing the package registers the database/sql driver "sqlite" that
// package orm opens sqlite: URLs with. Which engine serves it is chosen when
// the program is built: modernc.org/sqlite (SQLite translated from C to Go)
// by default, or github.com/ncruces/go-sqlite3 (SQLite compiled to
// WebAssembly and translated to Go) with the build tag "ncruces". Both give
// the same SQL: JSON functions, FTS5, and the functions above once Register
// has run. Driver names the one built in.
//
// Library packages never import a driver; a program (or a test) that uses
// SQLite imports this package and calls Register once before opening
// databases.
package sqliteext

import (
	"fmt"
	"regexp"
	"sync"

	"golang.org/x/text/cases"
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
		if err := registerFunctions(); err != nil {
			errOnce = fmt.Errorf("sqliteext: %w", err)
		}
	})
	return errOnce
}

// matches is SQLite's "value REGEXP pattern".
func matches(pattern, value string) (bool, error) {
	re, err := compiled(pattern)
	if err != nil {
		return false, err
	}
	return re.MatchString(value), nil
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

// fold folds the case of every letter of s.
func fold(s string) string {
	return cases.Fold().String(s) // a Caser is not safe to share
}
