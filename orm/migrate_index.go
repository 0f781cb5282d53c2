package orm

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// index is an index migrate keeps.
type index struct {
	name    string
	columns []string
	unique  bool
	desc    []bool // per column, for Meta.Indexes' "-field"
	where   string // a partial index's condition (Meta.Constraints)
}

func (db *DB) modelIndexes(m *Model) []index {
	var out []index
	together := func(set []string, suffix string, unique bool) index {
		var columns []string
		for _, name := range set {
			columns = append(columns, m.Field(name).Column)
		}
		return index{name: db.indexName(m.Table, columns, suffix), columns: columns, unique: unique}
	}
	for _, set := range m.Meta.UniqueTogether {
		out = append(out, together(set, "_uniq", true))
	}
	for _, set := range m.Meta.IndexTogether {
		out = append(out, together(set, "_idx", false))
	}
	for _, f := range m.columns {
		if (f.DBIndex || f.Kind == KindForeignKey) && !f.Unique && !f.PrimaryKey {
			out = append(out, index{name: db.indexName(m.Table, []string{f.Column}, ""), columns: []string{f.Column}})
		}
	}
	for _, mi := range m.Meta.Indexes {
		out = append(out, metaIndex(m, mi))
	}
	if db.dialect.Name() != "mysql" { // no partial indexes there; Django leaves them out
		for _, c := range m.Meta.Constraints {
			ix := together(c.Fields, "", true)
			ix.name = c.Name
			ix.where, _ = constraintCondition(m, c.Condition, db.dialect.Quote)
			out = append(out, ix)
		}
	}
	return out
}

// constraintCondition writes a constraint's condition as SQL with its
// values inline, as DDL takes no parameters: each lookup on a concrete
// field of m with a constant, ANDed in the order of the lookups' names,
// Django's way of writing Q(status__in=[...]) into "status" IN (...).
func constraintCondition(m *Model, cond Q, quote func(string) string) (string, error) {
	keys := make([]string, 0, len(cond))
	for k := range cond {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		name, lookup, _ := strings.Cut(k, "__")
		if lookup == "" {
			lookup = "exact"
		}
		f := m.Field(name)
		if f == nil || !f.Concrete() {
			return "", fmt.Errorf("the condition names %q, not a concrete field of %s", name, m.Name)
		}
		col := quote(f.Column)
		v := cond[k]
		switch lookup {
		case "isnull":
			null, ok := v.(bool)
			if !ok {
				return "", fmt.Errorf("the condition's %s takes true or false", k)
			}
			if null {
				parts = append(parts, col+" IS NULL")
			} else {
				parts = append(parts, col+" IS NOT NULL")
			}
		case "in":
			rv := reflect.ValueOf(v)
			if rv.Kind() != reflect.Slice || rv.Len() == 0 {
				return "", fmt.Errorf("the condition's %s takes a non-empty list", k)
			}
			var items []string
			for i := range rv.Len() {
				lit, err := sqlLiteral(rv.Index(i).Interface())
				if err != nil {
					return "", fmt.Errorf("the condition's %s: %w", k, err)
				}
				items = append(items, lit)
			}
			parts = append(parts, col+" IN ("+strings.Join(items, ", ")+")")
		case "exact", "gt", "gte", "lt", "lte":
			lit, err := sqlLiteral(v)
			if err != nil {
				return "", fmt.Errorf("the condition's %s: %w", k, err)
			}
			op := map[string]string{"exact": "=", "gt": ">", "gte": ">=", "lt": "<", "lte": "<="}[lookup]
			parts = append(parts, col+" "+op+" "+lit)
		default:
			return "", fmt.Errorf("the condition's lookup %q is not one a constraint may use (exact, in, isnull, gt, gte, lt, lte)", k)
		}
	}
	return strings.Join(parts, " AND "), nil
}

// sqlLiteral writes a constant of a constraint's condition: a string in
// single quotes (a quote doubled), an integer, or a boolean as 1 or 0.
func sqlLiteral(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return "'" + strings.ReplaceAll(x, "'", "''") + "'", nil
	case bool:
		if x {
			return "1", nil
		}
		return "0", nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return fmt.Sprint(x), nil
	}
	return "", fmt.Errorf("%v (%T) is not a string, an integer or a boolean", v, v)
}

// metaIndex is one of Meta.Indexes, named as Django's Index.set_name_with_model
// names it when it has no name: "<table[:11]>_<column[:7]>_<md5[:6]>_idx".
func metaIndex(m *Model, mi Index) index {
	ix := index{name: mi.Name, unique: mi.Unique}
	hashed := []string{m.Table}
	for _, name := range mi.Fields {
		desc := strings.HasPrefix(name, "-")
		col := m.Field(strings.TrimPrefix(name, "-")).Column
		ix.columns, ix.desc = append(ix.columns, col), append(ix.desc, desc)
		if desc {
			col = "-" + col
		}
		hashed = append(hashed, col)
	}
	if ix.name == "" {
		h := md5.New()
		for _, s := range append(hashed, "idx") {
			h.Write([]byte(s))
		}
		ix.name = truncate(m.Table, 11) + "_" + truncate(ix.columns[0], 7) + "_" + hex.EncodeToString(h.Sum(nil))[:6] + "_idx"
		if ix.name[0] == '_' || ix.name[0] >= '0' && ix.name[0] <= '9' {
			ix.name = "D" + ix.name[1:]
		}
	}
	return ix
}

// joinIndexes are a join table's indexes: the unique pair and one per
// column, as Django makes them.
func (db *DB) joinIndexes(f *Field) []index {
	pair := []string{f.ThroughFrom, f.ThroughTo}
	return []index{
		{name: db.indexName(f.Through, pair, "_uniq"), columns: pair, unique: true},
		{name: db.indexName(f.Through, pair[:1], ""), columns: pair[:1]},
		{name: db.indexName(f.Through, pair[1:], ""), columns: pair[1:]},
	}
}

func (db *DB) indexSQL(table string, ix index) string {
	q := db.dialect.Quote
	quoted := make([]string, len(ix.columns))
	for i, c := range ix.columns {
		quoted[i] = q(c)
		if i < len(ix.desc) && ix.desc[i] {
			quoted[i] += " DESC"
		}
	}
	kind := "INDEX"
	if ix.unique {
		kind = "UNIQUE INDEX"
	}
	sql := fmt.Sprintf("CREATE %s %s ON %s (%s)", kind, q(ix.name), q(table), strings.Join(quoted, ", "))
	if ix.where != "" {
		sql += " WHERE " + ix.where
	}
	return sql
}

// indexName is IndexName within the dialect's identifier limit.
func (db *DB) indexName(table string, columns []string, suffix string) string {
	return indexName(table, columns, suffix, db.dialect.MaxNameLength())
}

// IndexName returns the name Django gives an index: the table, the columns
// and the first eight hex digits of an MD5 over them, plus a suffix such as
// "_uniq".
func IndexName(table string, columns []string, suffix string) string {
	return indexName(table, columns, suffix, 0)
}

// indexName is Django's _create_index_name, shortening the parts the way
// Django does when the name is longer than maxLen.
func indexName(table string, columns []string, suffix string, maxLen int) string {
	return indexNameHashing(table, columns, columns, suffix, maxLen)
}

// indexNameHashing is indexName with the hash taken over hashed in place
// of the columns: "-pubdate" for a descending column, as Django hashes
// the fields of an Index.
func indexNameHashing(table string, columns, hashed []string, suffix string, maxLen int) string {
	h := md5.New()
	h.Write([]byte(table))
	for _, c := range hashed {
		h.Write([]byte(c))
	}
	hashSuffix := hex.EncodeToString(h.Sum(nil))[:8] + suffix
	cols := strings.Join(columns, "_")
	name := table + "_" + cols + "_" + hashSuffix
	if maxLen == 0 {
		maxLen = 200
	}
	if len(name) <= maxLen {
		return name
	}
	if len(hashSuffix) > maxLen/3 {
		hashSuffix = hashSuffix[:maxLen/3]
	}
	other := (maxLen-len(hashSuffix))/2 - 1
	name = truncate(table, other) + "_" + truncate(cols, other) + "_" + hashSuffix
	if name[0] == '_' || name[0] >= '0' && name[0] <= '9' {
		name = "D" + name[:len(name)-1]
	}
	return name
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
