package orm

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// inspectHeader opens the file Inspect writes.
const inspectHeader = `// Package models holds the models inspectdb read from a database's
// tables. Review them before use: rename types and fields, pick each
// foreign key's on_delete, and add String methods and model options.
package models

`

// generator writes the Go source of the models of inspected tables.
type generator struct {
	models  map[string]*genModel // by table name
	imports map[string]bool
}

// genModel is one table's model as the generator names it.
type genModel struct {
	info    *TableInfo
	name    string      // the Go type
	pk      *ColumnInfo // the primary key, or the column standing in for it
	standIn bool
}

// genField is one field of a generated struct.
type genField struct {
	name, typ string
	opts      []string // orm tag options
	comments  []string
	embedded  bool // a parent link: the parent's struct, embedded
}

// generateModels returns the unformatted Go file for the tables.
func generateModels(infos []*TableInfo) []byte {
	g := &generator{models: map[string]*genModel{}, imports: map[string]bool{"github.com/staffroom/staffroom/orm": true}}
	types := newNamer()
	for _, ti := range infos {
		m := &genModel{info: ti, name: types.unique(goName(ti.Name))}
		m.pk, m.standIn = primaryKeyOf(ti)
		g.models[ti.Name] = m
	}
	var body bytes.Buffer
	for _, ti := range infos {
		g.model(&body, g.models[ti.Name])
	}
	var out bytes.Buffer
	out.WriteString(inspectHeader)
	g.writeImports(&out)
	out.Write(body.Bytes())
	return out.Bytes()
}

// writeImports writes the import block: the standard library's packages,
// then the others.
func (g *generator) writeImports(b *bytes.Buffer) {
	var std, other []string
	for p := range g.imports {
		if strings.Contains(strings.Split(p, "/")[0], ".") {
			other = append(other, p)
		} else {
			std = append(std, p)
		}
	}
	sort.Strings(std)
	sort.Strings(other)
	b.WriteString("import (\n")
	for i, group := range [][]string{std, other} {
		if i > 0 && len(std) > 0 {
			b.WriteString("\n")
		}
		for _, p := range group {
			b.WriteString("\t" + strconv.Quote(p) + "\n")
		}
	}
	b.WriteString(")\n\n")
}

// primaryKeyOf returns the table's primary key column or, when it has no
// single-column key, its first column to stand in for one.
func primaryKeyOf(ti *TableInfo) (*ColumnInfo, bool) {
	for i := range ti.Columns {
		if ti.Columns[i].PrimaryKey {
			return &ti.Columns[i], false
		}
	}
	if len(ti.Columns) == 0 {
		return nil, false
	}
	return &ti.Columns[0], true
}

// model writes one table's struct and its Meta method.
func (g *generator) model(b *bytes.Buffer, m *genModel) {
	fmt.Fprintf(b, "// %s is a row of the table %s.\ntype %s struct {\n", m.name, strconv.Quote(m.info.Name), m.name)
	// Meta is the method's name; "id" makes an integer field the
	// primary key, so only the primary key may take it.
	names := newNamer("Meta")
	if m.pk == nil || SnakeCase(goName(m.pk.Name)) != "id" {
		names.used["snake:id"] = true
	}
	fks := map[string]ForeignKeyInfo{}
	for _, fk := range m.info.ForeignKeys {
		fks[fk.Column] = fk
	}
	for i := range m.info.Columns {
		g.field(m, &m.info.Columns[i], names, fks).write(b)
	}
	fmt.Fprintf(b, "}\n\n// Meta gives the model's table.\nfunc (%s) Meta() orm.Meta { return orm.Meta{Table: %s} }\n\n",
		m.name, strconv.Quote(m.info.Name))
}

// field describes the field of one column: a foreign key when it points
// at the primary key of an inspected table, a plain field otherwise.
func (g *generator) field(m *genModel, c *ColumnInfo, names *namer, fks map[string]ForeignKeyInfo) genField {
	fk, isFK := fks[c.Name]
	if isFK && c == m.pk && !m.standIn {
		if f, ok := g.parentLink(c, fk, names); ok {
			return f
		}
	}
	if isFK && c != m.pk {
		if f, ok := g.foreignKey(c, fk, names); ok {
			return f
		}
	}
	f := g.column(c, c == m.pk, names)
	if isFK {
		f.comments = append(f.comments, g.foreignKeyComment(fk))
	}
	if c == m.pk && m.standIn {
		f.comments = append(f.comments, "The table has no primary key of one column: this column stands in for it.")
	}
	return f
}

// foreignKey describes a foreign key field, when the generated models
// can express it: an orm.ForeignKey to an integer primary key, an
// orm.ForeignKeyTo to a key of another type.
func (g *generator) foreignKey(c *ColumnInfo, fk ForeignKeyInfo, names *namer) (genField, bool) {
	target := g.models[fk.Table]
	if target == nil || target.pk == nil || target.standIn ||
		fk.TargetColumn != "" && fk.TargetColumn != target.pk.Name {
		return genField{}, false
	}
	typ := "orm.ForeignKey[" + target.name + "]"
	tk, ck := parseColumnType(target.pk.Type), parseColumnType(c.Type)
	if !tk.kind.IsInteger() || !ck.kind.IsInteger() {
		// A key of another type, such as Django's varchar or char(32)
		// UUID keys: the key's Go type is that of the target's field.
		tt, _ := g.goType(tk)
		if ct, _ := g.goType(ck); tt != ct || tk.unknown || ck.unknown {
			return genField{}, false
		}
		typ = "orm.ForeignKeyTo[" + target.name + ", " + tt + "]"
	}
	base := strings.TrimSuffix(c.Name, "_id")
	if base == "" {
		base = c.Name
	}
	f := genField{name: names.unique(goName(base)), opts: []string{"on_delete=do_nothing"}}
	f.typ = typ
	if c.Null {
		f.opts = append(f.opts, "null")
	}
	if SnakeCase(f.name)+"_id" != c.Name {
		f.opts = append(f.opts, "db_column="+tagValue(c.Name))
	}
	return f, true
}

// parentLink describes the primary key of a Django multi-table child, a
// column "<parent>_ptr_id" that is a foreign key to the integer key of an
// inspected table: the parent's struct embedded with the parent_link
// tag, named as the column is.
func (g *generator) parentLink(c *ColumnInfo, fk ForeignKeyInfo, names *namer) (genField, bool) {
	target := g.models[fk.Table]
	name, ok := strings.CutSuffix(c.Name, "_id")
	if !ok || !strings.HasSuffix(name, "_ptr") || target == nil || target.pk == nil || target.standIn ||
		fk.TargetColumn != "" && fk.TargetColumn != target.pk.Name ||
		!parseColumnType(c.Type).kind.IsInteger() || !parseColumnType(target.pk.Type).kind.IsInteger() {
		return genField{}, false
	}
	if names.used[target.name] || names.used["snake:"+SnakeCase(target.name)] {
		return genField{}, false // an embedded field is named by its type: that name is taken
	}
	names.unique(target.name)
	return genField{name: target.name, embedded: true, opts: []string{"parent_link", "name=" + tagValue(name)}}, true
}

func (g *generator) foreignKeyComment(fk ForeignKeyInfo) string {
	col := "its primary key"
	if fk.TargetColumn != "" {
		col = strconv.Quote(fk.TargetColumn)
	}
	if g.models[fk.Table] == nil {
		return fmt.Sprintf("Points at %s of %s, a table not inspected.", col, strconv.Quote(fk.Table))
	}
	return fmt.Sprintf("Points at %s of %s, which is not its primary key or has another type.", col, strconv.Quote(fk.Table))
}

// column describes a plain field.
func (g *generator) column(c *ColumnInfo, pk bool, names *namer) genField {
	t := parseColumnType(c.Type)
	f := genField{name: names.unique(goName(c.Name))}
	f.typ, f.opts = g.goType(t)
	snake := SnakeCase(f.name)
	switch {
	case pk && snake == "id" && t.kind == KindInteger:
		f.typ, f.opts = "int64", append(f.opts, "type=integer")
	case pk && snake == "id" && t.kind == KindBigInteger:
	case pk:
		f.opts = append([]string{"primary_key"}, f.opts...)
	case c.Null:
		f.typ, f.opts = "*"+f.typ, append(f.opts, "null")
	}
	if snake != c.Name {
		f.opts = append(f.opts, "db_column="+tagValue(c.Name))
	}
	if t.unknown {
		f.comments = append(f.comments, fmt.Sprintf("The type %s has no field kind: the column is read as text.", strconv.Quote(c.Type)))
	}
	if t.guessed {
		f.comments = append(f.comments, fmt.Sprintf("max_digits and decimal_places are guesses: the type %s does not give them.", strconv.Quote(c.Type)))
	}
	return f
}

// goType returns the Go type and orm tag options of a column type.
func (g *generator) goType(t columnType) (string, []string) {
	switch t.kind {
	case KindChar:
		return "string", []string{"max_length=" + strconv.Itoa(t.maxLength)}
	case KindBoolean:
		return "bool", nil
	case KindSmallInteger:
		return "int16", nil
	case KindInteger:
		return "int32", nil
	case KindBigInteger:
		return "int64", nil
	case KindFloat:
		return "float64", nil
	case KindDate:
		g.imports["time"] = true
		return "time.Time", []string{"type=date"}
	case KindDateTime:
		g.imports["time"] = true
		return "time.Time", nil
	case KindDecimal:
		g.imports["github.com/shopspring/decimal"] = true
		return "decimal.Decimal", []string{"max_digits=" + strconv.Itoa(t.digits), "decimal_places=" + strconv.Itoa(t.places)}
	}
	return "string", []string{"type=text"}
}

// write writes the field's line, with its comments above it.
func (f genField) write(b *bytes.Buffer) {
	for _, c := range f.comments {
		b.WriteString("\t// " + c + "\n")
	}
	b.WriteString("\t" + f.name)
	if !f.embedded {
		b.WriteString(" " + f.typ)
	}
	if len(f.opts) > 0 {
		tag := "orm:" + strconv.Quote(strings.Join(f.opts, ","))
		if strings.Contains(tag, "`") {
			tag = strconv.Quote(tag)
		} else {
			tag = "`" + tag + "`"
		}
		b.WriteString(" " + tag)
	}
	b.WriteString("\n")
}

// tagValue quotes a tag option's value when the tag syntax needs it.
func tagValue(s string) string {
	if strings.Contains(s, ",") || strings.HasPrefix(s, "'") {
		return "'" + s + "'"
	}
	return s
}
