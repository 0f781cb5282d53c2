package orm

import (
	"context"
	"strings"
)

// DescribeTable implements Introspector with information_schema, whose
// column_type gives types as MySQL and MariaDB write them ("int(11)",
// "tinyint(1)", "decimal(10,2)").
func (MySQL) DescribeTable(ctx context.Context, db *DB, table string) (*TableInfo, error) {
	ti := &TableInfo{Name: table}
	rows, err := db.QueryRaw(ctx, `SELECT column_name, column_type, is_nullable = 'YES', column_key = 'PRI'
FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? ORDER BY ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c ColumnInfo
		if err := rows.Scan(&c.Name, &c.Type, &c.Null, &c.PrimaryKey); err != nil {
			return nil, err
		}
		c.Type = strings.ToLower(c.Type)
		ti.Columns = append(ti.Columns, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	singlePrimaryKey(ti.Columns)
	if ti.ForeignKeys, err = mysqlForeignKeys(ctx, db, table); err != nil {
		return nil, err
	}
	ti.Indexes, err = mysqlIndexes(ctx, db, table)
	return ti, err
}

// mysqlForeignKeys reads the foreign keys of one column.
func mysqlForeignKeys(ctx context.Context, db *DB, table string) ([]ForeignKeyInfo, error) {
	rows, err := db.QueryRaw(ctx, `SELECT constraint_name, column_name, referenced_table_name, referenced_column_name
FROM information_schema.key_column_usage
WHERE table_schema = DATABASE() AND table_name = ? AND referenced_table_schema = DATABASE() AND referenced_table_name IS NOT NULL
ORDER BY constraint_name, ordinal_position`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	columns := map[string]int{}
	var all []ForeignKeyInfo
	var names []string
	for rows.Next() {
		var fk ForeignKeyInfo
		var name string
		if err := rows.Scan(&name, &fk.Column, &fk.Table, &fk.TargetColumn); err != nil {
			return nil, err
		}
		columns[name]++
		all, names = append(all, fk), append(names, name)
	}
	var out []ForeignKeyInfo
	for i, fk := range all {
		if columns[names[i]] == 1 {
			out = append(out, fk)
		}
	}
	return out, rows.Err()
}
