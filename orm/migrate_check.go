package orm

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// typeFamily sorts a column type into what its values are, so two names
// of one kind (integer and int4, varchar and character varying) agree.
func typeFamily(t string) string {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "tinyint(1)" || strings.HasPrefix(t, "bool"):
		return "boolean"
	case strings.Contains(t, "int") || strings.Contains(t, "serial"):
		return "integer"
	case strings.Contains(t, "char") || strings.Contains(t, "text") || strings.Contains(t, "clob"):
		return "text"
	case strings.HasPrefix(t, "decimal") || strings.HasPrefix(t, "numeric"):
		return "decimal"
	case strings.Contains(t, "real") || strings.Contains(t, "double") || strings.Contains(t, "float"):
		return "float"
	case strings.HasPrefix(t, "datetime") || strings.HasPrefix(t, "timestamp"):
		return "datetime"
	case strings.HasPrefix(t, "date"):
		return "date"
	}
	return t
}

var varcharLen = regexp.MustCompile(`(?:var)?char(?:acter varying)?\((\d+)\)`)

func charLength(t string) int {
	m := varcharLen.FindStringSubmatch(strings.ToLower(t))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// checkColumns compares an existing table's columns with the model and
// refuses changes that could lose data: a column whose kind of value
// differs, or text that would have to get shorter. Migrate never alters
// or drops a column itself, so such a difference would otherwise go
// unnoticed until data failed to fit.
func (db *DB) checkColumns(ctx context.Context, m *Model) error {
	in, ok := db.dialect.(Introspector)
	if !ok {
		return nil
	}
	info, err := in.DescribeTable(ctx, db, m.Table)
	if err != nil {
		return fmt.Errorf("orm: migrate: %w", err)
	}
	have := map[string]ColumnInfo{}
	for _, c := range info.Columns {
		have[c.Name] = c
	}
	for _, f := range m.columns {
		c, ok := have[f.Column]
		if !ok {
			continue // a new column: planned as such
		}
		want := db.dialect.ColumnType(f)
		if typeFamily(c.Type) != typeFamily(want) && !compatible(c.Type, want) {
			return fmt.Errorf("orm: migrate: column %s.%s is %s in the database but %s.%s declares %s; changing it could lose data, "+
				"so migrate will not: convert the column by hand (ALTER TABLE %s ...) or make the field match the column",
				m.Table, f.Column, c.Type, m.Name, f.GoName, want, db.dialect.Quote(m.Table))
		}
		if have, wantLen := charLength(c.Type), charLength(want); have > 0 && wantLen > 0 && wantLen < have {
			return fmt.Errorf("orm: migrate: column %s.%s holds up to %d characters but %s.%s declares max_length=%d; shortening it could cut data, "+
				"so migrate will not: shorten the column by hand after checking its values fit, or keep max_length=%d",
				m.Table, f.Column, have, m.Name, f.GoName, wantLen, have)
		}
	}
	return nil
}

// compatible covers the type names that differ between how a database
// reports a column and how the dialect declares it, for the same values.
func compatible(have, want string) bool {
	h, w := typeFamily(have), typeFamily(want)
	// SQLite keeps what the DDL said, and Django's SQLite "decimal" and
	// "real" columns may hold either kind of number.
	return (h == "decimal" && w == "float") || (h == "float" && w == "decimal") || have == ""
}
