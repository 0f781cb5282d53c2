package orm

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync/atomic"
)

// DB is a database handle bound to a model registry and a dialect. It is
// safe for concurrent use.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	reg     *Registry
	log     *slog.Logger
}

// Options configures Open.
type Options struct {
	// Logger receives one debug record per statement when set.
	Logger *slog.Logger
}

// Open opens the database named by a URL and readies the registry. The URL's
// scheme picks the dialect:
//
//	sqlite:PATH                          (or sqlite://PATH; ":memory:" for a private in-memory database)
//	postgres://user:pass@host:5432/db    (postgresql:// too; query parameters go to the driver)
//	mysql://user:pass@host:3306/db
//
// The program must import the matching database/sql driver: modernc.org/sqlite,
// github.com/jackc/pgx/v5/stdlib or github.com/go-sql-driver/mysql.
func Open(rawURL string, reg *Registry, opts Options) (*DB, error) {
	if err := reg.Ready(); err != nil {
		return nil, err
	}
	scheme, rest, ok := strings.Cut(rawURL, ":")
	if !ok {
		return nil, fmt.Errorf("orm: open %s: want a URL such as sqlite:PATH", Redact(rawURL))
	}
	var (
		d   Dialect
		dsn string
	)
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		d = SQLite{}
		dsn = sqliteDSN(strings.TrimPrefix(rest, "//"))
	case "postgres", "postgresql":
		d = Postgres{}
		dsn = rawURL
	case "mysql", "mariadb":
		d = MySQL{}
		var err error
		if dsn, err = mysqlDSN(rawURL); err != nil {
			return nil, fmt.Errorf("orm: open %s: %w", Redact(rawURL), err)
		}
	default:
		return nil, fmt.Errorf("orm: open %s: unsupported database %q (want sqlite, postgres or mysql)", Redact(rawURL), scheme)
	}
	db, err := sql.Open(d.DriverName(), dsn)
	if err != nil {
		return nil, fmt.Errorf("orm: open %s: %w (is the %s driver imported?)", Redact(rawURL), err, d.DriverName())
	}
	if strings.Contains(dsn, "mode=memory") {
		// A memory database lives in one connection.
		db.SetMaxOpenConns(1)
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("orm: open %s: %w", Redact(rawURL), err)
	}
	if _, ok := d.(SQLite); ok {
		var folded string
		if db.QueryRow("SELECT "+CaseFoldFunction+"('A')").Scan(&folded) == nil {
			d = SQLite{CaseFold: true}
		}
	}
	return &DB{sql: db, dialect: d, reg: reg, log: opts.Logger}, nil
}

var memoryDBCounter atomic.Int64

// sqliteDSN adds the pragmas every connection needs: foreign keys, WAL and
// a busy timeout so concurrent writers wait instead of failing.
func sqliteDSN(path string) string {
	q := "_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)&_txlock=immediate"
	if path == ":memory:" || path == "" {
		return fmt.Sprintf("file:staffroom-mem-%d?mode=memory&%s", memoryDBCounter.Add(1), q)
	}
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return "file:" + path + sep + q + "&_pragma=journal_mode(WAL)"
}

// mysqlDSN turns mysql://user:pass@host:port/db?opts into the driver's
// DSN, with the settings the dialect relies on: UTC times, utf8mb4, and
// UPDATE counting matched rows rather than changed ones.
func mysqlDSN(rawURL string) (string, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "", err
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" {
		return "", fmt.Errorf("no database name in the URL")
	}
	host := u.Host
	if host == "" {
		host = "127.0.0.1:3306"
	} else if u.Port() == "" {
		host += ":3306"
	}
	var cred string
	if u.User != nil {
		cred = u.User.Username()
		if p, ok := u.User.Password(); ok {
			cred += ":" + p
		}
		cred += "@"
	}
	q := url.Values{"parseTime": {"true"}, "loc": {"UTC"}, "charset": {"utf8mb4"},
		"collation": {"utf8mb4_unicode_ci"}, "clientFoundRows": {"true"}, "time_zone": {"'+00:00'"}}
	for k, vs := range u.Query() {
		q[k] = vs
	}
	return cred + "tcp(" + host + ")/" + db + "?" + q.Encode(), nil
}

// Redact hides the password of a database URL for messages.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// Close closes the underlying pool.
func (db *DB) Close() error { return db.sql.Close() }

// SQL returns the underlying *sql.DB, for raw queries.
func (db *DB) SQL() *sql.DB { return db.sql }

// Dialect returns the database's dialect.
func (db *DB) Dialect() Dialect { return db.dialect }

// Registry returns the model registry.
func (db *DB) Registry() *Registry { return db.reg }

// executor is what *sql.DB and *sql.Tx have in common.
type executor interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

type txKey struct{}

type txState struct {
	db        *DB
	tx        *sql.Tx
	savepoint int
}

func (db *DB) conn(ctx context.Context) executor {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		return st.tx
	}
	return db.sql
}

// Atomic runs fn in a transaction carried by the context it receives: every
// query made with that context joins the transaction. fn's error (or a
// panic) rolls back; nil commits. A nested Atomic uses a savepoint, so its
// failure rolls back only its own work.
func (db *DB) Atomic(ctx context.Context, fn func(ctx context.Context) error) (err error) {
	if st, ok := ctx.Value(txKey{}).(*txState); ok && st.db == db {
		return db.savepoint(ctx, st, fn)
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("orm: begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			_ = tx.Rollback()
		}
	}()
	if err := fn(context.WithValue(ctx, txKey{}, &txState{db: db, tx: tx})); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("orm: commit: %w", err)
	}
	committed = true
	return nil
}

func (db *DB) savepoint(ctx context.Context, st *txState, fn func(ctx context.Context) error) error {
	st.savepoint++
	name := db.dialect.Quote(fmt.Sprintf("s%d", st.savepoint))
	if _, err := st.tx.ExecContext(ctx, "SAVEPOINT "+name); err != nil {
		return fmt.Errorf("orm: savepoint: %w", err)
	}
	released := false
	defer func() {
		if !released {
			_, _ = st.tx.ExecContext(ctx, "ROLLBACK TO SAVEPOINT "+name)
		}
	}()
	if err := fn(ctx); err != nil {
		return err
	}
	if _, err := st.tx.ExecContext(ctx, "RELEASE SAVEPOINT "+name); err != nil {
		return fmt.Errorf("orm: release savepoint: %w", err)
	}
	released = true
	return nil
}

// Exec runs a raw statement in the context's transaction, if any.
func (db *DB) Exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	db.trace(ctx, query, args)
	return db.conn(ctx).ExecContext(ctx, query, args...)
}

// QueryRaw runs a raw query in the context's transaction, if any.
func (db *DB) QueryRaw(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	db.trace(ctx, query, args)
	return db.conn(ctx).QueryContext(ctx, query, args...)
}

func (db *DB) trace(ctx context.Context, query string, args []any) {
	if db.log != nil {
		db.log.DebugContext(ctx, "sql", "query", query, "args", len(args))
	}
	if c, ok := ctx.Value(counterKey{}).(*QueryCounter); ok {
		c.n.Add(1)
	}
}

type counterKey struct{}

// QueryCounter counts the statements run with a context, for tests and
// benchmarks that check a page costs a constant number of queries.
type QueryCounter struct{ n atomic.Int64 }

// WithQueryCounter returns a context whose statements are counted in c.
func WithQueryCounter(ctx context.Context, c *QueryCounter) context.Context {
	return context.WithValue(ctx, counterKey{}, c)
}

// Count returns the number of statements counted so far.
func (c *QueryCounter) Count() int64 { return c.n.Load() }

// InTransaction reports whether ctx carries a transaction started by Atomic.
func InTransaction(ctx context.Context) bool {
	_, ok := ctx.Value(txKey{}).(*txState)
	return ok
}
