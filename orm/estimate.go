package orm

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// CountUpTo counts the rows of the query, but reads at most limit+1 of
// them: n is the exact count when more is false, and limit when there are
// more. Unlike Count, its cost is bounded whatever the table's size, so a
// page can say "more than 100,000" without reading ten million rows.
func (q QuerySet) CountUpTo(ctx context.Context, limit int64) (n int64, more bool, err error) {
	if limit < 0 {
		return 0, false, errors.New("orm: CountUpTo: negative limit")
	}
	if q.limit >= 0 || q.offset > 0 {
		return 0, false, errors.New("orm: CountUpTo: the query is already sliced")
	}
	if q.values == nil {
		q = q.Values("pk") // the rows are counted, not read
	}
	n, err = q.OrderBy().Limit(int(min(limit+1, int64(^uint(0)>>1)))).Count(ctx)
	if err != nil {
		return 0, false, err
	}
	if n > limit {
		return limit, true, nil
	}
	return n, false, nil
}

// Estimate returns the database's own estimate of the number of rows of
// the query, from its statistics, without counting them, and whether it
// has one: for a query without filters, the table's row count as
// PostgreSQL's pg_class.reltuples, MySQL's information_schema.TABLES or
// SQLite's sqlite_stat1 (after ANALYZE) keep it, and on SQLite without
// statistics the largest rowid, an upper bound kept in the table's index;
// for a filtered query, PostgreSQL's planner estimate (EXPLAIN), and on
// SQLite the share of a sample that passes the filters (sqliteSample).
// Other filtered queries have none. An estimate may be stale or wrong by
// a wide margin: show it as approximate.
func (q QuerySet) Estimate(ctx context.Context) (int64, bool, error) {
	if q.err != nil {
		return 0, false, q.err
	}
	filtered := q.Filtered()
	switch q.db.dialect.Name() {
	case "postgres":
		if filtered {
			return q.explainRows(ctx)
		}
		return q.db.estimateOne(ctx, "SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass($1)", q.model.Table)
	case "mysql":
		if filtered {
			return 0, false, nil
		}
		return q.db.estimateOne(ctx, "SELECT TABLE_ROWS FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?", q.model.Table)
	case "sqlite":
		if filtered {
			return q.sqliteSample(ctx)
		}
		return q.db.sqliteEstimate(ctx, q.model)
	}
	return 0, false, nil
}

// Filtered reports whether the query narrows the model's rows: a filter,
// an exclusion or DISTINCT.
func (q QuerySet) Filtered() bool {
	return len(q.steps) > 0 || q.distinct
}

// sqliteSampleRows is the size of the sample a filtered query's estimate
// is drawn from on SQLite, and sqliteSampleHits the fewest of its rows that
// must pass for the share to be believed.
const (
	sqliteSampleRows = 10_000
	sqliteSampleHits = 50
)

// sqliteSample estimates a filtered query on SQLite, which keeps no
// statistics of its own for one: the newest sqliteSampleRows rows (the
// highest keys, one range of the rowid) are tested against the filters,
// each row's text as it is read, and the share that passes is scaled to
// the table's estimate. There is none for a table with no integer key, a
// table too small to sample (ten samples or fewer: count it), or a
// sample of fewer than sqliteSampleHits passing rows, too few to scale.
// The newest rows stand for the table: a filter on something that
// changed over time is estimated as the newest rows have it.
func (q QuerySet) sqliteSample(ctx context.Context) (int64, bool, error) {
	if !q.model.PK.Kind.IsInteger() || q.limit >= 0 || q.offset > 0 {
		return 0, false, nil
	}
	top, ok, err := q.db.sqliteMaxKey(ctx, q.model)
	if err != nil || !ok {
		return 0, false, err
	}
	total, ok, err := q.db.sqliteStatRows(ctx, q.model)
	if err != nil {
		return 0, false, err
	}
	if !ok {
		total = top // as sqliteEstimate has it without statistics
	}
	if total <= 10*sqliteSampleRows {
		return 0, false, nil
	}
	pk, table := q.db.dialect.Quote(q.model.PK.Column), q.db.dialect.Quote(q.model.Table)
	from := top - sqliteSampleRows
	sampled, _, err := q.db.estimateOne(ctx, "SELECT COUNT(*) FROM "+table+" WHERE "+pk+" > ?", from)
	if err != nil || sampled == 0 {
		return 0, false, err
	}
	if q.values == nil {
		q = q.Values("pk")
	}
	passed, err := q.Filter(Q{"pk__gt": from}).OrderBy().WithoutSubstringIndex().Count(ctx)
	if err != nil || passed < sqliteSampleHits {
		return 0, false, err
	}
	return passed * total / sampled, true, nil
}

// estimateOne reads one number; no row, NULL or a negative number (a
// table PostgreSQL never analysed) is no estimate.
func (db *DB) estimateOne(ctx context.Context, query string, args ...any) (int64, bool, error) {
	var n sql.NullInt64
	db.trace(ctx, query, args)
	err := db.conn(ctx).QueryRowContext(ctx, query, args...).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("orm: estimate: %w", err)
	}
	if !n.Valid || n.Int64 < 0 {
		return 0, false, nil
	}
	return n.Int64, true, nil
}

// sqliteEstimate reads the row count ANALYZE stored for the table in
// sqlite_stat1 ("<rows> <rows per key> ..."), else the largest rowid of a
// table whose integer primary key is its rowid.
func (db *DB) sqliteEstimate(ctx context.Context, m *Model) (int64, bool, error) {
	if n, ok, err := db.sqliteStatRows(ctx, m); err != nil || ok {
		return n, ok, err
	}
	if !m.PK.Kind.IsInteger() {
		return 0, false, nil
	}
	return db.sqliteMaxKey(ctx, m)
}

// sqliteMaxKey is the largest key of a table whose integer primary key is
// its rowid, read from one end of the table's b-tree.
func (db *DB) sqliteMaxKey(ctx context.Context, m *Model) (int64, bool, error) {
	return db.estimateOne(ctx, "SELECT MAX("+db.dialect.Quote(m.PK.Column)+") FROM "+db.dialect.Quote(m.Table))
}

// sqliteStatRows is the row count ANALYZE stored for m's table, if any.
func (db *DB) sqliteStatRows(ctx context.Context, m *Model) (int64, bool, error) {
	// sqlite_stat1 exists once ANALYZE has run; asking for it first keeps
	// a failing statement out of the connection (and of a transaction).
	analysed, _, err := db.estimateOne(ctx, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_stat1'")
	if err != nil {
		return 0, false, err
	}
	if analysed > 0 {
		var stat sql.NullString
		query := "SELECT stat FROM sqlite_stat1 WHERE tbl = ? ORDER BY idx IS NOT NULL LIMIT 1"
		db.trace(ctx, query, []any{m.Table})
		err := db.conn(ctx).QueryRowContext(ctx, query, m.Table).Scan(&stat)
		switch {
		case err == nil && stat.Valid:
			if n, err := strconv.ParseInt(strings.Fields(stat.String + " x")[0], 10, 64); err == nil {
				return n, true, nil
			}
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return 0, false, fmt.Errorf("orm: estimate: %w", err)
		}
	}
	return 0, false, nil
}

// explainRows is PostgreSQL's planner estimate of the query's rows.
func (q QuerySet) explainRows(ctx context.Context) (int64, bool, error) {
	query, args, err := q.OrderBy().Values("pk").SQL()
	if err != nil {
		return 0, false, err
	}
	query = "EXPLAIN (FORMAT JSON) " + query
	var out []byte
	q.db.trace(ctx, query, args)
	if err := q.db.conn(ctx).QueryRowContext(ctx, query, args...).Scan(&out); err != nil {
		return 0, false, fmt.Errorf("orm: estimate %s: %w", q.model.Label(), err)
	}
	var plans []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		}
	}
	if err := json.Unmarshal(out, &plans); err != nil || len(plans) == 0 {
		return 0, false, nil
	}
	return int64(plans[0].Plan.Rows), true, nil
}
