// Package testdb gives tests a fresh, migrated database on every configured
// dialect: SQLite always; PostgreSQL when STAFFROOM_TEST_POSTGRES holds a
// URL (postgres://...), and MySQL or MariaDB when STAFFROOM_TEST_MYSQL does
// (mysql://...). Each test gets its own PostgreSQL schema or MySQL
// database, dropped when it ends.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/orm/sqliteext"

	_ "github.com/go-sql-driver/mysql" // the MySQL driver for tests
	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver for tests
)

// The environment variables naming the servers.
const (
	EnvPostgres = "STAFFROOM_TEST_POSTGRES"
	EnvMySQL    = "STAFFROOM_TEST_MYSQL"
)

// Dialects lists the dialect names tests run against.
func Dialects() []string {
	out := []string{"sqlite"}
	if os.Getenv(EnvPostgres) != "" {
		out = append(out, "postgres")
	}
	if os.Getenv(EnvMySQL) != "" {
		out = append(out, "mysql")
	}
	return out
}

// URL returns a database URL of the named dialect that is fresh and empty,
// removed when the test ends.
func URL(t testing.TB, dialect string) string {
	t.Helper()
	registerSQLite(t)
	switch dialect {
	case "sqlite":
		return "sqlite:" + filepath.Join(t.TempDir(), "test.sqlite3")
	case "postgres":
		return postgresURL(t)
	case "mysql":
		return mysqlURL(t)
	}
	t.Fatalf("testdb: unknown dialect %q", dialect)
	return ""
}

// Open returns a new, migrated database of the named dialect for the
// registry, closed when the test ends.
func Open(t testing.TB, dialect string, reg *orm.Registry) *orm.DB {
	t.Helper()
	registerSQLite(t)
	db, err := orm.Open(URL(t, dialect), reg, orm.Options{})
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

// registerSQLite adds the SQLite functions the dialect uses.
func registerSQLite(t testing.TB) {
	if err := sqliteext.Register(); err != nil {
		t.Fatalf("testdb: %v", err)
	}
}

func uniqueName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "staffroom_t_" + hex.EncodeToString(b)
}

// postgresURL makes a schema and returns the server URL with that schema
// as the search path.
func postgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvPostgres)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer admin.Close()
	name := uniqueName()
	if _, err := admin.Exec(`CREATE SCHEMA ` + name); err != nil {
		t.Fatalf("testdb: create schema on %s: %v", orm.Redact(base), err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("pgx", base); err == nil {
			_, _ = db.Exec(`DROP SCHEMA ` + name + ` CASCADE`)
			db.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: %s: %v", EnvPostgres, err)
	}
	q := u.Query()
	q.Set("search_path", name)
	u.RawQuery = q.Encode()
	return u.String()
}

// mysqlURL makes a database and returns the server URL naming it.
func mysqlURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv(EnvMySQL)
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testdb: %s: %v", EnvMySQL, err)
	}
	var cred string
	if u.User != nil {
		cred = u.User.Username()
		if p, ok := u.User.Password(); ok {
			cred += ":" + p
		}
		cred += "@"
	}
	admin, err := sql.Open("mysql", cred+"tcp("+u.Host+")/")
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	defer admin.Close()
	name := uniqueName()
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"); err != nil {
		t.Fatalf("testdb: create database on %s: %v", orm.Redact(base), err)
	}
	t.Cleanup(func() {
		if db, err := sql.Open("mysql", cred+"tcp("+u.Host+")/"); err == nil {
			_, _ = db.Exec("DROP DATABASE " + name)
			db.Close()
		}
	})
	u.Path = "/" + name
	return strings.TrimSuffix(u.String(), "?")
}
