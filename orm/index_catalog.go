package orm

import (
	"context"
	"fmt"
	"strings"
)

// LeadingIndexColumns returns the columns of table that lead one of its
// indexes — a primary key's and a unique constraint's included — as the
// database's catalogue has them: those an ORDER BY or a range on the
// column alone can be served by.
func (db *DB) LeadingIndexColumns(ctx context.Context, table string) (map[string]bool, error) {
	var query string
	var args []any
	switch db.dialect.Name() {
	case "sqlite":
		// pragma_index_list and pragma_index_info as table-valued
		// functions: the first column of each index (autoindexes of
		// UNIQUE and PRIMARY KEY constraints included), and the rowid
		// alias, which is the table's own order.
		query = `SELECT ii.name FROM pragma_index_list(?) il, pragma_index_info(il.name) ii WHERE ii.seqno = 0
UNION SELECT name FROM pragma_table_info(?) WHERE pk = 1 AND lower(type) = 'integer'`
		args = []any{table, table}
	case "postgres":
		query = `SELECT a.attname FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0]
WHERE n.nspname = current_schema() AND c.relname = $1`
		args = []any{table}
	case "mysql":
		query = `SELECT COLUMN_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND SEQ_IN_INDEX = 1`
		args = []any{table}
	default:
		return nil, fmt.Errorf("orm: indexes of %s: the %s dialect cannot list them", table, db.dialect.Name())
	}
	rows, err := db.QueryRaw(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("orm: indexes of %s: %w", table, err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var col string
		if err := rows.Scan(&col); err != nil {
			return nil, fmt.Errorf("orm: indexes of %s: %w", table, err)
		}
		out[col] = true
	}
	return out, rows.Err()
}

// CreateColumnIndex creates an index on the column of f, a concrete
// field of m, named as Django names a db_index one, and returns its name.
func (db *DB) CreateColumnIndex(ctx context.Context, m *Model, f *Field) (string, error) {
	if f == nil || !f.Concrete() || f.Model != m {
		return "", fmt.Errorf("orm: index on %s: not a column of the model", m.Label())
	}
	ix := index{name: db.indexName(m.Table, []string{f.Column}, ""), columns: []string{f.Column}}
	if _, err := db.Exec(ctx, db.indexSQL(m.Table, ix)); err != nil {
		return "", fmt.Errorf("orm: index %s on %s(%s): %w", ix.name, m.Table, f.Column, err)
	}
	return ix.name, nil
}

// HasSearchIndex reports whether, on PostgreSQL, the column of f has a
// GIN index on the search lookup's vector (PostgresSearchVector), which
// serves "f__search"; the other dialects have none.
func (db *DB) HasSearchIndex(ctx context.Context, m *Model, f *Field) (bool, error) {
	if db.dialect.Name() != "postgres" {
		return false, nil
	}
	defs, err := db.strings(ctx, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1", m.Table)
	if err != nil {
		return false, fmt.Errorf("orm: indexes of %s: %w", m.Table, err)
	}
	for _, d := range defs {
		// PostgreSQL writes the expression back as
		// to_tsvector('simple'::regconfig, COALESCE((name)::text, ''::text)).
		if strings.Contains(d, "USING gin") && strings.Contains(d, "to_tsvector('simple'") &&
			(strings.Contains(d, "("+f.Column+")::text") || strings.Contains(d, "("+quoteDouble(f.Column)+")::text")) {
			return true, nil
		}
	}
	return false, nil
}

// CreateSearchIndex creates, on PostgreSQL, the GIN index HasSearchIndex
// looks for, and returns its name.
func (db *DB) CreateSearchIndex(ctx context.Context, m *Model, f *Field) (string, error) {
	if db.dialect.Name() != "postgres" {
		return "", fmt.Errorf("orm: search index on %s: only PostgreSQL has one", m.Label())
	}
	if f == nil || !f.Concrete() || f.Model != m {
		return "", fmt.Errorf("orm: search index on %s: not a column of the model", m.Label())
	}
	name := db.indexName(m.Table, []string{f.Column}, "_fts")
	q := "CREATE INDEX " + quoteDouble(name) + " ON " + quoteDouble(m.Table) + " USING GIN (" + PostgresSearchVector(quoteDouble(f.Column)) + ")"
	if _, err := db.Exec(ctx, q); err != nil {
		return "", fmt.Errorf("orm: search index %s on %s(%s): %w", name, m.Table, f.Column, err)
	}
	return name, nil
}
