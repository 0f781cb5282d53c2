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
	facts   *inspectFacts
}

// genModel is one table's model as the generator names it.
type genModel struct {
	info    *TableInfo
	name    string      // the Go type
	pk      *ColumnInfo // the primary key, or the column standing in for it
	standIn bool
	// join is set on a Django many-to-many join table folded into a
	// field of its owner; m2m are the join tables folded into this one.
	join *genJoin
	m2m  []*genJoin
	// fields maps a column to the name of its field, for the Meta's
	// options; unique and dbIndex are the columns an index of their own
	// makes unique or indexes.
	fields          map[string]string
	unique, dbIndex map[string]bool
}

// genField is one field of a generated struct.
type genField struct {
	name, typ string
	opts      []string // orm tag options
	comments  []string
	embedded  bool // a parent link: the parent's struct, embedded
	// target is the table a relation with a reverse accessor points at.
	target string
}

// relatedNames gives each of several relations of m to one model a
// related_name, "<model>_<field>_set" as Django's inspectdb names them:
// their default reverse names, "<model>_set", would clash.
func relatedNames(m *genModel, fields []genField) {
	n := map[string]int{}
	for _, f := range fields {
		if f.target != "" {
			n[f.target]++
		}
	}
	for i, f := range fields {
		if n[f.target] > 1 {
			fields[i].opts = append(fields[i].opts, "related_name="+strings.ToLower(m.name)+"_"+SnakeCase(f.name)+"_set")
		}
	}
}

// generateModels returns the unformatted Go file for the tables.
func generateModels(infos []*TableInfo, facts *inspectFacts) []byte {
	g := &generator{models: map[string]*genModel{}, facts: facts,
		imports: map[string]bool{"github.com/staffroom/staffroom/orm": true}}
	for _, ti := range infos {
		m := &genModel{info: ti, fields: map[string]string{}}
		m.pk, m.standIn = primaryKeyOf(ti)
		g.models[ti.Name] = m
	}
	g.nameModels(infos, g.findJoins(infos))
	var body bytes.Buffer
	for _, ti := range infos {
		if m := g.models[ti.Name]; m.join == nil {
			g.model(&body, m)
		}
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
	g.singleColumnIndexes(m, fks)
	var fields []genField
	for i := range m.info.Columns {
		f := g.field(m, &m.info.Columns[i], names, fks)
		if !f.embedded {
			m.fields[m.info.Columns[i].Name] = SnakeCase(f.name)
		}
		fields = append(fields, f)
	}
	for _, j := range m.m2m {
		fields = append(fields, g.manyToMany(j, names))
	}
	relatedNames(m, fields)
	for _, f := range fields {
		f.write(b)
	}
	b.WriteString("}\n\n")
	g.writeMeta(b, m)
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
			if m.unique[c.Name] {
				f.opts = append(f.opts, "unique")
			}
			return f
		}
	}
	f := g.column(m, c, c == m.pk, names)
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
// orm.ForeignKeyTo to a key of another type, an orm.ForeignKey to the
// orm's auth.User or contenttype.ContentType for Django's own tables.
func (g *generator) foreignKey(c *ColumnInfo, fk ForeignKeyInfo, names *namer) (genField, bool) {
	ck := parseColumnType(c.Type)
	typ, ok := g.djangoModel(fk, ck)
	if !ok {
		target := g.models[fk.Table]
		if target == nil || target.pk == nil || target.standIn || target.join != nil ||
			fk.TargetColumn != "" && fk.TargetColumn != target.pk.Name {
			return genField{}, false
		}
		if typ, ok = g.keyType(target, "orm.ForeignKey", ck); !ok {
			return genField{}, false
		}
	}
	base := strings.TrimSuffix(c.Name, "_id")
	if base == "" {
		base = c.Name
	}
	f := genField{name: names.unique(goName(base)), opts: []string{"on_delete=do_nothing"}, target: fk.Table}
	f.typ = typ
	if c.Null {
		f.opts = append(f.opts, "null")
	}
	if SnakeCase(f.name)+"_id" != c.Name {
		f.opts = append(f.opts, "db_column="+tagValue(c.Name))
	}
	return f, true
}

// djangoModel returns the orm's model for a foreign key to Django's
// auth_user or django_content_type, when inspectFacts found them to be
// Django's tables.
func (g *generator) djangoModel(fk ForeignKeyInfo, ck columnType) (string, bool) {
	if !g.facts.django[fk.Table] || fk.TargetColumn != "" && fk.TargetColumn != "id" || !ck.kind.IsInteger() {
		return "", false
	}
	if fk.Table == "auth_user" {
		g.imports["github.com/staffroom/staffroom/auth"] = true
		return "orm.ForeignKey[auth.User]", true
	}
	g.imports["github.com/staffroom/staffroom/contenttype"] = true
	return "orm.ForeignKey[contenttype.ContentType]", true
}

// keyType returns the type of a relation to target from a column of
// type ck: rel[T] (orm.ForeignKey, orm.ManyToMany) to an integer key,
// relTo[T, K] to a key of another type, which the column must share.
func (g *generator) keyType(target *genModel, rel string, ck columnType) (string, bool) {
	tk := parseColumnType(target.pk.Type)
	if tk.kind.IsInteger() && ck.kind.IsInteger() {
		return rel + "[" + target.name + "]", true
	}
	if tk.unknown || ck.unknown || tk.kind != ck.kind || tk.maxLength != ck.maxLength {
		return "", false
	}
	tt, _ := g.columnGoType(target.info.Name, target.pk)
	return rel + "To[" + target.name + ", " + tt + "]", true
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
func (g *generator) column(m *genModel, c *ColumnInfo, pk bool, names *namer) genField {
	t := parseColumnType(c.Type)
	f := genField{name: names.unique(goName(c.Name))}
	f.typ, f.opts = g.columnGoType(m.info.Name, c)
	snake := SnakeCase(f.name)
	switch {
	case pk && snake == "id" && t.kind == KindInteger:
		f.typ, f.opts = "int64", append(f.opts, "type=integer")
	case pk && snake == "id" && t.kind == KindBigInteger:
	case pk:
		f.opts = append([]string{"primary_key"}, f.opts...)
	case c.Null && f.typ == "any":
		f.opts = append(f.opts, "null") // a JSON null is nil
	case c.Null:
		f.typ, f.opts = "*"+f.typ, append(f.opts, "null")
	}
	if !pk && m.unique[c.Name] {
		f.opts = append(f.opts, "unique")
	}
	if m.dbIndex[c.Name] {
		f.opts = append(f.opts, "db_index")
	}
	if snake != c.Name {
		f.opts = append(f.opts, "db_column="+tagValue(c.Name))
	}
	switch {
	case f.typ == "uuid.UUID" || f.typ == "*uuid.UUID":
		f.comments = append(f.comments, "Every value of this char(32) column was 32 hex digits when inspectdb read the",
			"table, as Django stores a UUIDField where the database has no uuid type: a UUID.")
	case t.unknown && !c.JSON:
		f.comments = append(f.comments, fmt.Sprintf("The type %s has no field kind: the column is read as text.", strconv.Quote(c.Type)))
	case t.kind == KindBigInteger && !pk:
		f.comments = append(f.comments, "A Django DurationField is a bigint too (microseconds): the schema cannot tell.")
	}
	if t.guessed {
		f.comments = append(f.comments, fmt.Sprintf("max_digits and decimal_places are guesses: the type %s does not give them.", strconv.Quote(c.Type)))
	}
	return f
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
