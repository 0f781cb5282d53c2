package orm

import (
	"context"
	"strings"
)

// DescribeTable implements Introspector with SQLite's table_info,
// foreign_key_list and index pragmas, and the CHECKs of the table's
// CREATE TABLE statement that make a text column JSON.
func (SQLite) DescribeTable(ctx context.Context, db *DB, table string) (*TableInfo, error) {
	ti := &TableInfo{Name: table}
	rows, err := db.QueryRaw(ctx, `SELECT name, type, "notnull", pk FROM pragma_table_info(?) ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c ColumnInfo
		var notNull, pk int
		if err := rows.Scan(&c.Name, &c.Type, &notNull, &pk); err != nil {
			return nil, err
		}
		c.Type, c.Null, c.PrimaryKey = strings.ToLower(c.Type), notNull == 0, pk > 0
		ti.Columns = append(ti.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	singlePrimaryKey(ti.Columns)
	if ti.ForeignKeys, err = sqliteForeignKeys(ctx, db, table); err != nil {
		return nil, err
	}
	if ti.Indexes, err = sqliteIndexes(ctx, db, table); err != nil {
		return nil, err
	}
	return ti, sqliteJSONColumns(ctx, db, ti)
}

// sqliteForeignKeys reads the foreign keys of one column; "to" is NULL
// when a key names only the target table, meaning its primary key.
func sqliteForeignKeys(ctx context.Context, db *DB, table string) ([]ForeignKeyInfo, error) {
	rows, err := db.QueryRaw(ctx, `SELECT id, "from", "table", COALESCE("to", '') FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	columns := map[int]int{}
	var all []ForeignKeyInfo
	var ids []int
	for rows.Next() {
		var fk ForeignKeyInfo
		var id int
		if err := rows.Scan(&id, &fk.Column, &fk.Table, &fk.TargetColumn); err != nil {
			return nil, err
		}
		columns[id]++
		all, ids = append(all, fk), append(ids, id)
	}
	var out []ForeignKeyInfo
	for i, fk := range all {
		if columns[ids[i]] == 1 {
			out = append(out, fk)
		}
	}
	return out, rows.Err()
}
