package orm

import (
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
)

// index is an index migrate keeps.
type index struct {
	name    string
	columns []string
	unique  bool
	desc    []bool // per column, for Meta.Indexes' "-field"
}

func (db *DB) modelIndexes(m *Model) []index {
	var out []index
	for _, set := range m.Meta.UniqueTogether {
		var columns []string
		for _, name := range set {
			columns = append(columns, m.Field(name).Column)
		}
		out = append(out, index{name: db.indexName(m.Table, columns, "_uniq"), columns: columns, unique: true})
	}
	for _, f := range m.columns {
		if (f.DBIndex || f.Kind == KindForeignKey) && !f.Unique && !f.PrimaryKey {
			out = append(out, index{name: db.indexName(m.Table, []string{f.Column}, ""), columns: []string{f.Column}})
		}
	}
	for _, mi := range m.Meta.Indexes {
		out = append(out, metaIndex(m, mi))
	}
	return out
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
	return fmt.Sprintf("CREATE %s %s ON %s (%s)", kind, q(ix.name), q(table), strings.Join(quoted, ", "))
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
