package orm

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// singleColumnIndexes sets the columns that an index of their own makes
// unique, or indexes under the name Django gives a db_index (a foreign
// key's own index is implied by the foreign key).
func (g *generator) singleColumnIndexes(m *genModel, fks map[string]ForeignKeyInfo) {
	m.unique, m.dbIndex = map[string]bool{}, map[string]bool{}
	for _, ix := range m.info.Indexes {
		if len(ix.Columns) != 1 || ix.Where != "" || ix.Columns[0] == "" {
			continue
		}
		col := ix.Columns[0]
		switch {
		case ix.Unique:
			m.unique[col] = true
		case ix.Name == indexName(m.info.Name, ix.Columns, "", g.facts.maxName) && !ix.Desc[0]:
			if _, fk := fks[col]; !fk {
				m.dbIndex[col] = true
			}
		}
	}
}

// implied reports whether a non-unique index of one column is the one
// Django makes for db_index or a foreign key, or the "_like" one it adds
// beside a varchar's on PostgreSQL for LIKE.
func (g *generator) implied(m *genModel, ix IndexInfo) bool {
	return len(ix.Columns) == 1 && !ix.Desc[0] && (ix.Name == indexName(m.info.Name, ix.Columns, "", g.facts.maxName) ||
		ix.Name == indexName(m.info.Name, ix.Columns, "_like", g.facts.maxName))
}

// metaOptions are the Meta options of a model besides its table, as Go
// source of their values.
type metaOptions struct {
	uniqueTogether, indexTogether, indexes, constraints []string
	comments                                            []string
}

// writeMeta writes the model's Meta method: its table and the options
// its indexes give.
func (g *generator) writeMeta(b *bytes.Buffer, m *genModel) {
	o := g.metaOptions(m)
	for _, c := range o.comments {
		b.WriteString("// " + c + "\n")
	}
	table := "Table: " + strconv.Quote(m.info.Name)
	if len(o.uniqueTogether)+len(o.indexTogether)+len(o.indexes)+len(o.constraints) == 0 {
		fmt.Fprintf(b, "// Meta gives the model's table.\nfunc (%s) Meta() orm.Meta { return orm.Meta{%s} }\n\n", m.name, table)
		return
	}
	fmt.Fprintf(b, "// Meta gives the model's table and its indexes' options.\nfunc (%s) Meta() orm.Meta {\n\treturn orm.Meta{\n\t\t%s,\n", m.name, table)
	list := func(field, typ string, items []string) {
		if len(items) > 0 {
			fmt.Fprintf(b, "\t\t%s: %s{\n\t\t\t%s,\n\t\t},\n", field, typ, strings.Join(items, ",\n\t\t\t"))
		}
	}
	list("UniqueTogether", "[][]string", o.uniqueTogether)
	list("IndexTogether", "[][]string", o.indexTogether)
	list("Indexes", "[]orm.Index", o.indexes)
	list("Constraints", "[]orm.UniqueConstraint", o.constraints)
	b.WriteString("\t}\n}\n\n")
}

// metaOptions reads the options of the model's indexes of several
// columns, or of a name or direction Django gives only an Index: unique
// together and index together under Django's names for them, an Index
// under any other name, a UniqueConstraint for a partial unique index.
func (g *generator) metaOptions(m *genModel) metaOptions {
	var o metaOptions
	for _, ix := range m.info.Indexes {
		fields, ok := m.indexFields(ix)
		switch {
		case len(ix.Columns) == 1 && ix.Where == "" && (ix.Unique || g.implied(m, ix)):
			// A field's unique or db_index option, or a foreign key's index.
		case !ok:
			o.comments = append(o.comments, fmt.Sprintf("The index %s is left out: it indexes an expression.", strconv.Quote(ix.Name)))
		case ix.Where != "" && !ix.Unique:
			o.comments = append(o.comments, fmt.Sprintf("The index %s is left out: the orm has no partial index that is not unique.", strconv.Quote(ix.Name)))
		case ix.Where != "":
			cond, err := m.condition(ix.Where)
			if err != nil {
				o.comments = append(o.comments, fmt.Sprintf("The unique index %s is left out: its condition %s: %v.", strconv.Quote(ix.Name), strconv.Quote(ix.Where), err))
				break
			}
			o.constraints = append(o.constraints, fmt.Sprintf("{Name: %s, Fields: %s, Condition: %s}", strconv.Quote(ix.Name), goStrings(fields), cond))
		case ix.Unique && (strings.HasPrefix(ix.Name, "sqlite_autoindex_") || ix.Name == indexName(m.info.Name, ix.Columns, "_uniq", g.facts.maxName)):
			o.uniqueTogether = append(o.uniqueTogether, strings.TrimPrefix(goStrings(fields), "[]string"))
		case !ix.Unique && !slices.Contains(ix.Desc, true) && ix.Name == indexName(m.info.Name, ix.Columns, "_idx", g.facts.maxName):
			o.indexTogether = append(o.indexTogether, strings.TrimPrefix(goStrings(fields), "[]string"))
		default:
			unique := ""
			if ix.Unique {
				unique = ", Unique: true"
			}
			o.indexes = append(o.indexes, fmt.Sprintf("{Fields: %s, Name: %s%s}", goStrings(fields), strconv.Quote(ix.Name), unique))
		}
	}
	return o
}

// indexFields returns the field names of an index's columns, "-name" for
// a descending one; false when a column is an expression or no field's.
func (m *genModel) indexFields(ix IndexInfo) ([]string, bool) {
	out := make([]string, len(ix.Columns))
	for i, c := range ix.Columns {
		name, ok := m.fields[c]
		if !ok {
			return nil, false
		}
		if ix.Desc[i] {
			name = "-" + name
		}
		out[i] = name
	}
	return out, true
}

func goStrings(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return "[]string{" + strings.Join(q, ", ") + "}"
}
