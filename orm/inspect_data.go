package orm

import (
	"context"
	"fmt"
	"slices"
)

// inspectFacts are what Inspect learns beyond the catalogue: from the
// rows of the tables, and from the tables the inspected ones point at.
type inspectFacts struct {
	// uuid holds the char(32) columns, as "table.column", that have rows
	// and whose every value is 32 hex digits: Django's UUIDField on a
	// database without a uuid type.
	uuid map[string]bool
	// symmetric holds the self many-to-many join tables (from_<x>_id and
	// to_<x>_id) that have rows, each with its mirror row: Django's
	// symmetrical relation. The schema cannot tell; the rows can.
	symmetric map[string]bool
	// django holds "auth_user" and "django_content_type" when the tables
	// are Django's (their columns are those of the orm's auth.User and
	// contenttype.ContentType) and not inspected themselves.
	django map[string]bool
	// maxName is the dialect's identifier limit, for Django's index names.
	maxName int
}

// djangoTables are the columns a table of Django's own apps has, for
// foreign keys to them to point at the orm's models.
var djangoTables = map[string][]string{
	"auth_user":           {"id", "password", "last_login", "is_superuser", "username", "email", "is_staff", "is_active", "date_joined"},
	"django_content_type": {"id", "app_label", "model"},
}

// inspectFacts reads the facts about the inspected tables.
func (db *DB) inspectFacts(ctx context.Context, in Introspector, infos []*TableInfo) (*inspectFacts, error) {
	facts := &inspectFacts{uuid: map[string]bool{}, symmetric: map[string]bool{}, django: map[string]bool{},
		maxName: db.dialect.MaxNameLength()}
	inspected := map[string]bool{}
	for _, ti := range infos {
		inspected[ti.Name] = true
	}
	for _, ti := range infos {
		for _, c := range ti.Columns {
			if t := parseColumnType(c.Type); t.kind != KindChar || t.maxLength != 32 {
				continue
			}
			ok, err := db.allHexUUIDs(ctx, ti.Name, c.Name)
			if err != nil {
				return nil, fmt.Errorf("orm: inspectdb: %s.%s: %w", ti.Name, c.Name, err)
			}
			facts.uuid[ti.Name+"."+c.Name] = ok
		}
		if from, to, ok := selfJoinColumns(ti); ok {
			sym, err := db.mirrored(ctx, ti.Name, from, to)
			if err != nil {
				return nil, fmt.Errorf("orm: inspectdb: %s: %w", ti.Name, err)
			}
			facts.symmetric[ti.Name] = sym
		}
		for _, fk := range ti.ForeignKeys {
			if djangoTables[fk.Table] == nil || inspected[fk.Table] || facts.django[fk.Table] {
				continue
			}
			target, err := in.DescribeTable(ctx, db, fk.Table)
			if err != nil {
				return nil, fmt.Errorf("orm: inspectdb: %s: %w", fk.Table, err)
			}
			facts.django[fk.Table] = hasColumns(target, djangoTables[fk.Table])
		}
	}
	return facts, nil
}

// hasColumns reports whether ti has each of the columns.
func hasColumns(ti *TableInfo, cols []string) bool {
	for _, c := range cols {
		if !slices.ContainsFunc(ti.Columns, func(ci ColumnInfo) bool { return ci.Name == c }) {
			return false
		}
	}
	return len(ti.Columns) > 0
}

// selfJoinColumns returns the columns of a Django self many-to-many join
// table, from_<x>_id and to_<x>_id, both foreign keys to one table.
func selfJoinColumns(ti *TableInfo) (from, to string, ok bool) {
	var target string
	for _, fk := range ti.ForeignKeys {
		for _, other := range ti.ForeignKeys {
			if len(fk.Column) > 5 && fk.Column[:5] == "from_" && other.Column == "to_"+fk.Column[5:] && fk.Table == other.Table {
				from, to, target = fk.Column, other.Column, fk.Table
			}
		}
	}
	return from, to, target != ""
}

// allHexUUIDs reports whether the column has values and each is 32 hex
// digits. It reads every value: a sample could miss the one that is not.
func (db *DB) allHexUUIDs(ctx context.Context, table, column string) (bool, error) {
	q := db.dialect.Quote
	rows, err := db.QueryRaw(ctx, "SELECT "+q(column)+" FROM "+q(table)+" WHERE "+q(column)+" IS NOT NULL")
	if err != nil {
		return false, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return false, err
		}
		if !isHex32(s) {
			return false, nil
		}
		n++
	}
	return n > 0, rows.Err()
}

func isHex32(s string) bool {
	if len(s) != 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
			return false
		}
	}
	return true
}

// mirrored reports whether the join table has rows and each row (a, b)
// has its mirror (b, a).
func (db *DB) mirrored(ctx context.Context, table, from, to string) (bool, error) {
	q := db.dialect.Quote
	t, f, o := q(table), q(from), q(to)
	sql := "SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM " + t + " b WHERE b." + f + " = a." + o +
		" AND b." + o + " = a." + f + ") THEN 0 ELSE 1 END), 0) FROM " + t + " a"
	rows, err := db.QueryRaw(ctx, sql)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var n, lone int64
	if rows.Next() {
		if err := rows.Scan(&n, &lone); err != nil {
			return false, err
		}
	}
	return n > 0 && lone == 0, rows.Err()
}
