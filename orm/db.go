package orm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// DB is a database handle bound to a model registry and a dialect. It is
// safe for concurrent use.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	reg     *Registry
	log     *slog.Logger
	fts     *ftsCache // SQLite's full-text tables, MySQL's FULLTEXT indexes
	zone    *time.Location
	paths   pathCache // field paths resolved on a model's own table
}

// Options configures Open.
type Options struct {
	// Logger receives one debug record per statement when set.
	Logger *slog.Logger
	// TimeZone is the site's time zone, Django's TIME_ZONE with USE_TZ:
	// datetime columns hold UTC instants, and lookups of their date parts
	// (__date, __year, __month, __hour, ...), Dates and DateTimes read them
	// on this zone's clocks (WithTimeZone changes it for one context).
	// Nil means UTC.
	TimeZone *time.Location
}

// Open opens the database named by a URL and readies the registry. The URL's
// scheme picks the dialect:
//
//	sqlite:PATH                          (or sqlite://PATH; ":memory:" for a private in-memory database)
//	postgres://user:pass@host:5432/db    (postgresql:// too; query parameters go to the driver)
//	mysql://user:pass@host:3306/db
//
// The program must import the matching database/sql driver: package
// orm/sqliteext (which brings the SQLite driver), github.com/jackc/pgx/v5/stdlib
// or github.com/go-sql-driver/mysql.
func Open(rawURL string, reg *Registry, opts Options) (*DB, error) {
	if err := reg.Ready(); err != nil {
		return nil, err
	}
	d, dsn, err := parseURL(rawURL)
	if err != nil {
		return nil, err
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
	out := &DB{sql: db, dialect: d, reg: reg, log: opts.Logger, zone: opts.TimeZone}
	if d.Name() == "sqlite" || d.Name() == "mysql" {
		out.fts = &ftsCache{}
		out.fts.load(out)
	}
	return out, nil
}

// CheckURL reports whether Open would understand a database URL, without
// opening anything, so a program can refuse a mistyped URL before it acts.
func CheckURL(rawURL string) error {
	_, _, err := parseURL(rawURL)
	return err
}

// parseURL picks the dialect of a database URL and makes its driver's
// data source name. Its errors name the URL with the password hidden.
func parseURL(rawURL string) (Dialect, string, error) {
	scheme, rest, ok := strings.Cut(rawURL, ":")
	if !ok {
		return nil, "", fmt.Errorf("orm: open %q: not a database URL (want %s)", Redact(rawURL), urlForms)
	}
	switch strings.ToLower(scheme) {
	case "sqlite", "sqlite3":
		return SQLite{}, sqliteDSN(strings.TrimPrefix(rest, "//")), nil
	case "postgres", "postgresql":
		u, err := parseServerURL(rawURL)
		if err != nil {
			return nil, "", err
		}
		return Postgres{}, postgresDSN(u), nil
	case "mysql", "mariadb":
		dsn, err := mysqlDSN(rawURL)
		return MySQL{}, dsn, err
	}
	return nil, "", fmt.Errorf("orm: open %q: unsupported database %q (want %s)", Redact(rawURL), scheme, urlForms)
}

// urlForms lists the URL shapes Open takes, for messages.
const urlForms = "sqlite:PATH, postgres://user:pass@host:5432/db or mysql://user:pass@host:3306/db"

// parseServerURL parses the URL of a database server. url.Parse's own
// errors quote the whole URL, password included, so only their reason is
// kept.
func parseServerURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return nil, fmt.Errorf("orm: open %q: %w", Redact(rawURL), err)
	}
	if u.Opaque != "" {
		return nil, fmt.Errorf("orm: open %q: want %s://host/db", Redact(rawURL), u.Scheme)
	}
	return u, nil
}

// postgresDSN asks PostgreSQL for a plan made for each execution's
// values (plan_cache_mode=force_custom_plan) when pgx prepares and caches
// the statements, its default mode. A prepared statement's plan may turn
// generic after five executions, made without its parameters' values:
// one search's statement then ran with a plan that reads ten million rows
// in index order to find the few a rare term matches, 50 s where a plan
// for the term took milliseconds. A URL that sets plan_cache_mode, or
// another exec mode (simple_protocol, which PgBouncer's transaction
// pooling needs and which prepares nothing), is left as it is.
func postgresDSN(u *url.URL) string {
	q := u.Query()
	mode := q.Get("default_query_exec_mode")
	if q.Has("plan_cache_mode") || mode != "" && mode != "cache_statement" {
		return u.String()
	}
	q.Set("plan_cache_mode", "force_custom_plan")
	u.RawQuery = q.Encode()
	return u.String()
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
	u, err := parseServerURL(rawURL)
	if err != nil {
		return "", err
	}
	db := strings.TrimPrefix(u.Path, "/")
	if db == "" {
		return "", fmt.Errorf("orm: open %q: no database name in the URL", Redact(rawURL))
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

// Redact hides the password of a database URL for messages, in the user
// information or a password query parameter (which PostgreSQL takes), also
// in a URL that does not parse.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return redactUnparsed(rawURL)
	}
	changed := false
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
		changed = true
	}
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
		changed = true
	}
	if !changed {
		return rawURL
	}
	return u.String()
}

// redactUnparsed hides what stands between the user name and the last
// "@" of scheme://user:password@host..., the shape a password takes even
// in a URL url.Parse refuses (an unescaped "%", "@" or "/" in it).
func redactUnparsed(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	at := strings.LastIndex(rest, "@")
	if !ok || at < 0 {
		return rawURL
	}
	user, _, hasPassword := strings.Cut(rest[:at], ":")
	if !hasPassword {
		return rawURL
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
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
		if c.Record {
			c.mu.Lock()
			c.stmts = append(c.stmts, Statement{Query: query, Args: append([]any(nil), args...)})
			c.mu.Unlock()
		}
	}
}

// Statement is a statement a QueryCounter recorded: its text and its
// arguments as given to the driver.
type Statement struct {
	Query string
	Args  []any
}

type counterKey struct{}

// QueryCounter counts the statements run with a context, for tests and
// benchmarks that check a page costs a constant number of queries. With
// Record set it also keeps them, so a benchmark can replay a page's SQL
// alone and tell the database's time from the rest.
type QueryCounter struct {
	Record bool

	n     atomic.Int64
	mu    sync.Mutex
	stmts []Statement
}

// Statements returns the statements recorded so far (with Record).
func (c *QueryCounter) Statements() []Statement {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Statement(nil), c.stmts...)
}

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
