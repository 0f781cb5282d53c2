package orm

import "context"

// indexRow is one key column of an index, as the PostgreSQL and MySQL
// catalogue queries read them, in index and column order.
type indexRow struct {
	name, column, where string
	unique, desc        bool
}

// collectIndexes groups rows by index, in their order.
func collectIndexes(rows []indexRow) []IndexInfo {
	var out []IndexInfo
	for _, r := range rows {
		if len(out) == 0 || out[len(out)-1].Name != r.name {
			out = append(out, IndexInfo{Name: r.name, Unique: r.unique, Where: r.where})
		}
		ix := &out[len(out)-1]
		ix.Columns, ix.Desc = append(ix.Columns, r.column), append(ix.Desc, r.desc)
	}
	return out
}

// queryIndexRows runs a catalogue query whose rows are indexRows' fields:
// name, unique, where, column, desc.
func queryIndexRows(ctx context.Context, db *DB, query, table string) ([]IndexInfo, error) {
	rows, err := db.QueryRaw(ctx, query, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []indexRow
	for rows.Next() {
		var r indexRow
		if err := rows.Scan(&r.name, &r.unique, &r.where, &r.column, &r.desc); err != nil {
			return nil, err
		}
		all = append(all, r)
	}
	return collectIndexes(all), rows.Err()
}

// postgresIndexes reads a table's indexes but its primary key's from
// pg_index; an expression's column is "", a partial index's condition is
// PostgreSQL's text of it.
func postgresIndexes(ctx context.Context, db *DB, table string) ([]IndexInfo, error) {
	return queryIndexRows(ctx, db, `SELECT ic.relname, i.indisunique, COALESCE(pg_get_expr(i.indpred, i.indrelid), ''),
	COALESCE(a.attname, ''), (i.indoption[k.n - 1] & 1) = 1
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace ns ON ns.oid = c.relnamespace
JOIN pg_class ic ON ic.oid = i.indexrelid
CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k(n)
LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[k.n - 1] AND a.attnum > 0
WHERE ns.nspname = current_schema() AND c.relname = $1 AND NOT i.indisprimary
ORDER BY ic.relname, k.n`, table)
}

// mysqlIndexes reads a table's indexes but its primary key's from
// information_schema.statistics; MySQL has no partial indexes.
func mysqlIndexes(ctx context.Context, db *DB, table string) ([]IndexInfo, error) {
	return queryIndexRows(ctx, db, `SELECT index_name, non_unique = 0, '', COALESCE(column_name, ''), COALESCE(collation, 'A') = 'D'
FROM information_schema.statistics
WHERE table_schema = DATABASE() AND table_name = ? AND index_name <> 'PRIMARY'
ORDER BY index_name, seq_in_index`, table)
}
