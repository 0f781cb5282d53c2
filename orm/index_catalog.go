package orm

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// LeadingIndexColumns returns the columns of table that lead one of its
// indexes — a primary key's and a unique constraint's included — as the
// database's catalogue has them: those an ORDER BY or a range on the
// column alone can be served by. It also holds, as "first,second", the
// first two columns of each index of several, which serve a lookup on
// the first with an ORDER BY the second.
func (db *DB) LeadingIndexColumns(ctx context.Context, table string) (map[string]bool, error) {
	var query string
	var args []any
	switch db.dialect.Name() {
	case "sqlite":
		// pragma_index_list and pragma_index_info as table-valued
		// functions: the first columns of each index (autoindexes of
		// UNIQUE and PRIMARY KEY constraints included), and the rowid
		// alias, which is the table's own order.
		query = `SELECT il.name, ii.seqno, ii.name FROM pragma_index_list(?) il, pragma_index_info(il.name) ii WHERE ii.seqno < 2
UNION ALL SELECT '', 0, name FROM pragma_table_info(?) WHERE pk = 1 AND lower(type) = 'integer'`
		args = []any{table, table}
	case "postgres":
		query = `SELECT ic.relname, k.n, a.attname FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN (VALUES (0), (1)) k(n)
JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[k.n]
WHERE n.nspname = current_schema() AND c.relname = $1`
		args = []any{table}
	case "mysql":
		query = `SELECT INDEX_NAME, SEQ_IN_INDEX - 1, COLUMN_NAME FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND SEQ_IN_INDEX <= 2`
		args = []any{table}
	default:
		return nil, fmt.Errorf("orm: indexes of %s: the %s dialect cannot list them", table, db.dialect.Name())
	}
	rows, err := db.QueryRaw(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("orm: indexes of %s: %w", table, err)
	}
	defer rows.Close()
	firsts := map[string][2]string{}
	out := map[string]bool{}
	for rows.Next() {
		var name, col string
		var seq int
		if err := rows.Scan(&name, &seq, &col); err != nil {
			return nil, fmt.Errorf("orm: indexes of %s: %w", table, err)
		}
		if seq == 0 {
			out[col] = true
		}
		if name != "" && seq < 2 {
			cols := firsts[name]
			cols[seq] = col
			firsts[name] = cols
		}
	}
	for _, cols := range firsts {
		if cols[0] != "" && cols[1] != "" {
			out[cols[0]+","+cols[1]] = true
		}
	}
	return out, rows.Err()
}

// CreateIndex creates an index on the columns of fields, concrete fields
// of m in order, named as Django names a db_index or index_together one,
// and returns its name.
func (db *DB) CreateIndex(ctx context.Context, m *Model, fields ...*Field) (string, error) {
	return db.CreateSortedIndex(ctx, m, fields, nil)
}

// CreateSortedIndex is CreateIndex with a direction per column: desc[i]
// makes the i-th column descending, for an ORDER BY of mixed directions
// that the index is to give in one pass. A descending column's name is
// hashed with a "-", so the index is named apart from the ascending one.
func (db *DB) CreateSortedIndex(ctx context.Context, m *Model, fields []*Field, desc []bool) (string, error) {
	var cols, hashed []string
	for i, f := range fields {
		if f == nil || !f.Concrete() || f.Model != m {
			return "", fmt.Errorf("orm: index on %s: not a column of the model", m.Label())
		}
		cols = append(cols, f.Column)
		if i < len(desc) && desc[i] {
			hashed = append(hashed, "-"+f.Column)
		} else {
			hashed = append(hashed, f.Column)
		}
	}
	if len(cols) == 0 {
		return "", fmt.Errorf("orm: index on %s: no column", m.Label())
	}
	if len(desc) > len(cols) {
		return "", fmt.Errorf("orm: index on %s: %d directions for %d columns", m.Label(), len(desc), len(cols))
	}
	name := db.indexName(m.Table, cols, "")
	if !slices.Equal(hashed, cols) {
		name = indexNameHashing(m.Table, cols, hashed, "", db.dialect.MaxNameLength())
	}
	ix := index{name: name, columns: cols, desc: desc}
	if _, err := db.Exec(ctx, db.indexSQL(m.Table, ix)); err != nil {
		return "", fmt.Errorf("orm: index %s on %s(%s): %w", ix.name, m.Table, strings.Join(cols, ", "), err)
	}
	return ix.name, nil
}

// HasSearchIndex reports whether the column of f has the full-text index
// that serves "f__search": on PostgreSQL a GIN index on the search
// lookup's vector (PostgresSearchVector), on SQLite an FTS5 table kept by
// triggers, on MySQL a FULLTEXT index of that column alone.
func (db *DB) HasSearchIndex(ctx context.Context, m *Model, f *Field) (bool, error) {
	switch db.dialect.Name() {
	case "sqlite":
		return db.HasTable(ctx, ftsTableName(m.Table, f.Column))
	case "mysql":
		n, err := db.strings(ctx, "SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() "+
			"AND TABLE_NAME = ? AND INDEX_TYPE = 'FULLTEXT' GROUP BY INDEX_NAME HAVING COUNT(*) = 1 AND MIN(COLUMN_NAME) = ?", m.Table, f.Column)
		if err != nil {
			return false, fmt.Errorf("orm: indexes of %s: %w", m.Table, err)
		}
		return len(n) > 0, nil
	case "postgres":
	default:
		return false, nil
	}
	// PostgreSQL writes the expression back as
	// to_tsvector('simple'::regconfig, COALESCE((name)::text, ''::text)).
	return db.hasPostgresIndex(ctx, m.Table, func(def string) bool {
		return strings.Contains(def, "USING gin") && strings.Contains(def, "to_tsvector('simple'") &&
			(strings.Contains(def, "("+f.Column+")::text") || strings.Contains(def, "("+quoteDouble(f.Column)+")::text"))
	})
}

// hasPostgresIndex reports whether an index of table has a definition
// (pg_indexes.indexdef) that match accepts.
func (db *DB) hasPostgresIndex(ctx context.Context, table string, match func(def string) bool) (bool, error) {
	defs, err := db.strings(ctx, "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1", table)
	if err != nil {
		return false, fmt.Errorf("orm: indexes of %s: %w", table, err)
	}
	for _, d := range defs {
		if match(d) {
			return true, nil
		}
	}
	return false, nil
}

// CreateSearchIndex creates the full-text index HasSearchIndex looks for
// and returns its name: PostgreSQL's GIN index, SQLite's FTS5 table
// "<table>_<column>_fts" with the triggers that keep it in step, or
// MySQL's FULLTEXT index.
func (db *DB) CreateSearchIndex(ctx context.Context, m *Model, f *Field) (string, error) {
	if f == nil || !f.Concrete() || f.Model != m {
		return "", fmt.Errorf("orm: search index on %s: not a column of the model", m.Label())
	}
	switch db.dialect.Name() {
	case "sqlite":
		if !m.PK.Kind.IsInteger() {
			return "", fmt.Errorf("orm: search index on %s: FTS5 needs an integer primary key", m.Label())
		}
		return db.createSQLiteSearchIndex(ctx, m, f)
	case "mysql":
		name := db.indexName(m.Table, []string{f.Column}, "_fts")
		q := "CREATE FULLTEXT INDEX " + db.dialect.Quote(name) + " ON " + db.dialect.Quote(m.Table) + " (" + db.dialect.Quote(f.Column) + ")"
		if _, err := db.Exec(ctx, q); err != nil {
			return "", fmt.Errorf("orm: search index %s on %s(%s): %w", name, m.Table, f.Column, err)
		}
		if db.fts != nil {
			db.fts.add(ftsIndexKey(m.Table, f.Column))
		}
		return name, nil
	case "postgres":
	default:
		return "", fmt.Errorf("orm: search index on %s: only PostgreSQL, SQLite and MySQL have one", m.Label())
	}
	name := db.indexName(m.Table, []string{f.Column}, "_fts")
	q := "CREATE INDEX " + quoteDouble(name) + " ON " + quoteDouble(m.Table) + " USING GIN (" + PostgresSearchVector(quoteDouble(f.Column)) + ")"
	if _, err := db.Exec(ctx, q); err != nil {
		return "", fmt.Errorf("orm: search index %s on %s(%s): %w", name, m.Table, f.Column, err)
	}
	// An index on an expression has statistics only after ANALYZE:
	// without them the planner guesses that every pattern matches 0.16%
	// of the rows, and on ten million books read the date's index to the
	// end for a term no book held (45 s), or gathered 660,000 matches of a
	// common one to sort them.
	return name, db.Analyze(ctx, m)
}

// Analyze has the database gather the statistics of m's table that its
// planner and Estimate read (ANALYZE; ANALYZE TABLE on MySQL).
func (db *DB) Analyze(ctx context.Context, m *Model) error {
	q := "ANALYZE " + db.dialect.Quote(m.Table)
	if db.dialect.Name() == "mysql" {
		q = "ANALYZE TABLE " + db.dialect.Quote(m.Table)
	}
	if _, err := db.Exec(ctx, q); err != nil {
		return fmt.Errorf("orm: analyze %s: %w", m.Table, err)
	}
	return nil
}

// HasSubstringIndex reports whether the column of f has the index that
// serves its substring lookups (icontains and the like, the admin's
// plain search fields): on SQLite the FTS5 trigram table
// "<table>_<column>_trgm" kept by triggers, on PostgreSQL a pg_trgm GIN
// index on UPPER(column), the expression the case-insensitive lookups
// compare; MySQL has none.
func (db *DB) HasSubstringIndex(ctx context.Context, m *Model, f *Field) (bool, error) {
	switch db.dialect.Name() {
	case "sqlite":
		return db.HasTable(ctx, trigramTableName(m.Table, f.Column))
	case "postgres":
	default:
		return false, nil
	}
	// PostgreSQL writes the expression back as
	// upper((name)::text) gin_trgm_ops.
	return db.hasPostgresIndex(ctx, m.Table, func(def string) bool {
		return strings.Contains(def, "gin_trgm_ops") &&
			(strings.Contains(def, "upper(("+f.Column+")::text)") || strings.Contains(def, "upper(("+quoteDouble(f.Column)+")::text)"))
	})
}

// CreateSubstringIndex creates the index HasSubstringIndex looks for and
// returns its name. On PostgreSQL it needs the pg_trgm extension, which it
// creates when missing (a trusted extension: the database's owner may).
func (db *DB) CreateSubstringIndex(ctx context.Context, m *Model, f *Field) (string, error) {
	if f == nil || !f.Concrete() || f.Model != m || !f.Kind.IsString() {
		return "", fmt.Errorf("orm: substring index on %s: not a text column of the model", m.Label())
	}
	switch db.dialect.Name() {
	case "sqlite":
		if !m.PK.Kind.IsInteger() {
			return "", fmt.Errorf("orm: substring index on %s: FTS5 needs an integer primary key", m.Label())
		}
		return db.createSQLiteSubstringIndex(ctx, m, f)
	case "postgres":
	default:
		return "", fmt.Errorf("orm: substring index on %s: only PostgreSQL and SQLite have one", m.Label())
	}
	if _, err := db.Exec(ctx, "CREATE EXTENSION IF NOT EXISTS pg_trgm"); err != nil {
		return "", fmt.Errorf("orm: substring index on %s(%s) needs the pg_trgm extension: %w", m.Table, f.Column, err)
	}
	name := db.indexName(m.Table, []string{f.Column}, "_trgm")
	q := "CREATE INDEX " + quoteDouble(name) + " ON " + quoteDouble(m.Table) + " USING GIN (UPPER(" + quoteDouble(f.Column) + "::text) gin_trgm_ops)"
	if _, err := db.Exec(ctx, q); err != nil {
		return "", fmt.Errorf("orm: substring index %s on %s(%s): %w", name, m.Table, f.Column, err)
	}
	return name, db.Analyze(ctx, m) // statistics of the expression, as above
}
