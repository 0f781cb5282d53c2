package orm

import (
	"context"
	"regexp"
	"strings"
)

// sqliteIndexes reads a table's indexes with SQLite's index_list and
// index_xinfo pragmas, the WHERE clause of a partial one from its CREATE
// INDEX statement. The primary key's own index is left out.
func sqliteIndexes(ctx context.Context, db *DB, table string) ([]IndexInfo, error) {
	rows, err := db.QueryRaw(ctx, `SELECT il.name, il."unique", il.origin, il.partial, COALESCE(m.sql, '')
		FROM pragma_index_list(?) AS il LEFT JOIN sqlite_master AS m ON m.type = 'index' AND m.name = il.name
		ORDER BY il.name`, table)
	if err != nil {
		return nil, err
	}
	var out []IndexInfo
	for rows.Next() {
		var ix IndexInfo
		var unique, partial int
		var origin, sql string
		if err := rows.Scan(&ix.Name, &unique, &origin, &partial, &sql); err != nil {
			rows.Close()
			return nil, err
		}
		if origin == "pk" {
			continue
		}
		ix.Unique = unique == 1
		if partial == 1 {
			ix.Where = partialWhere(sql)
		}
		out = append(out, ix)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := sqliteIndexColumns(ctx, db, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// sqliteIndexColumns reads the key columns of an index, in order; an
// expression's column is "".
func sqliteIndexColumns(ctx context.Context, db *DB, ix *IndexInfo) error {
	rows, err := db.QueryRaw(ctx, `SELECT COALESCE(name, ''), "desc" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno`, ix.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var col string
		var desc int
		if err := rows.Scan(&col, &desc); err != nil {
			return err
		}
		ix.Columns, ix.Desc = append(ix.Columns, col), append(ix.Desc, desc == 1)
	}
	return rows.Err()
}

// partialWhere returns the condition of a CREATE INDEX statement's WHERE
// clause: what follows the last WHERE outside quotes.
func partialWhere(sql string) string {
	at, quote := -1, byte(0)
	for i := 0; i < len(sql); i++ {
		switch c := sql[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"' || c == '`':
			quote = c
		case (c == 'W' || c == 'w') && i+5 <= len(sql) && strings.EqualFold(sql[i:i+5], "where") &&
			(i == 0 || !isIdentByte(sql[i-1])) && (i+5 == len(sql) || !isIdentByte(sql[i+5])):
			at = i + 5
		}
	}
	if at < 0 {
		return ""
	}
	return strings.TrimSpace(sql[at:])
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// sqliteJSONCheck finds the CHECK Django's JSONField puts on its text
// column on SQLite, JSON_VALID("column").
var sqliteJSONCheck = regexp.MustCompile(`(?i)JSON_VALID\(\s*("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_]*)\s*\)`)

// sqliteJSONColumns marks the columns of ti whose CHECK constraint in the
// table's CREATE TABLE statement requires valid JSON.
func sqliteJSONColumns(ctx context.Context, db *DB, ti *TableInfo) error {
	var sql string
	rows, err := db.QueryRaw(ctx, `SELECT COALESCE(sql, '') FROM sqlite_master WHERE type = 'table' AND name = ?`, ti.Name)
	if err != nil {
		return err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(&sql); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, m := range sqliteJSONCheck.FindAllStringSubmatch(sql, -1) {
		name := m[1]
		if strings.HasPrefix(name, `"`) {
			name = strings.ReplaceAll(name[1:len(name)-1], `""`, `"`)
		}
		for i := range ti.Columns {
			if strings.EqualFold(ti.Columns[i].Name, name) {
				ti.Columns[i].JSON = true
			}
		}
	}
	return nil
}
