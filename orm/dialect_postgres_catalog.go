package orm

import "context"

// ResetSequenceSQL implements SequenceResetter: setval on the sequence
// behind the identity column, to its largest value (or to 1, unused, on
// an empty table). Both names travel as bound values.
func (Postgres) ResetSequenceSQL(table, column string) (string, []any) {
	q := quoteDouble
	return "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(" + q(column) + "), 1), MAX(" + q(column) + ") IS NOT NULL) FROM " + q(table),
		[]any{q(table), column}
}

// DescribeTable implements Introspector with PostgreSQL's system
// catalogue; format_type gives types as PostgreSQL writes them.
func (Postgres) DescribeTable(ctx context.Context, db *DB, table string) (*TableInfo, error) {
	ti := &TableInfo{Name: table}
	rows, err := db.QueryRaw(ctx, `SELECT a.attname, format_type(a.atttypid, a.atttypmod), NOT a.attnotnull,
	COALESCE(bool_or(i.indnatts = 1), false)
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary AND a.attnum = ANY(i.indkey)
WHERE n.nspname = current_schema() AND c.relname = $1 AND a.attnum > 0 AND NOT a.attisdropped
GROUP BY a.attnum, a.attname, a.atttypid, a.atttypmod, a.attnotnull
ORDER BY a.attnum`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c ColumnInfo
		if err := rows.Scan(&c.Name, &c.Type, &c.Null, &c.PrimaryKey); err != nil {
			return nil, err
		}
		ti.Columns = append(ti.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if ti.ForeignKeys, err = postgresForeignKeys(ctx, db, table); err != nil {
		return nil, err
	}
	ti.Indexes, err = postgresIndexes(ctx, db, table)
	return ti, err
}

func postgresForeignKeys(ctx context.Context, db *DB, table string) ([]ForeignKeyInfo, error) {
	rows, err := db.QueryRaw(ctx, `SELECT a.attname, fc.relname, fa.attname
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class fc ON fc.oid = con.confrelid
JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = con.conkey[1]
JOIN pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = con.confkey[1]
WHERE con.contype = 'f' AND n.nspname = current_schema() AND c.relname = $1 AND cardinality(con.conkey) = 1
ORDER BY con.conname`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ForeignKeyInfo
	for rows.Next() {
		var fk ForeignKeyInfo
		if err := rows.Scan(&fk.Column, &fk.Table, &fk.TargetColumn); err != nil {
			return nil, err
		}
		out = append(out, fk)
	}
	return out, rows.Err()
}
