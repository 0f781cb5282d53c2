package orm

import (
	"fmt"
	"slices"
	"strings"
)

// body is a query's compiled conditions and annotations.
type body struct {
	where, having []string
	annots        []*annotation // in the order they were added
	firstAggStep  int           // the step index of the first aggregate annotation, or -1
}

// compileBody compiles the filters and annotations in call order, each
// filter in its own join group.
func (q QuerySet) compileBody(c *compiler) (*body, error) {
	if q.err != nil {
		return nil, q.err
	}
	b := &body{firstAggStep: -1}
	c.scanText = c.scanText || q.scanText
	for i, s := range q.steps {
		if err := q.compileStep(c, b, i, s); err != nil {
			return nil, err
		}
	}
	c.reuseAny = true
	return b, nil
}

// compileStep compiles the i-th step of the query into b.
func (q QuerySet) compileStep(c *compiler, b *body, i int, s step) error {
	if s.filter != nil {
		c.group, c.reuseAny, c.usedAggregate = i+1, false, false
		sql, err := s.filter.build(c)
		if err != nil {
			return err
		}
		if c.usedAggregate {
			b.having = append(b.having, sql)
		} else {
			b.where = append(b.where, sql)
		}
		return nil
	}
	for _, ne := range s.annotate {
		if q.model.Field(ne.Name) != nil && q.model.Field(ne.Name).Concrete() || c.annotations[ne.Name] != nil {
			return q.errf("the annotation %q conflicts with a field or another annotation", ne.Name)
		}
		c.group, c.reuseAny = i+1, true
		sql, f, err := ne.Expr.compile(c)
		if err != nil {
			return err
		}
		a := &annotation{name: ne.Name, sql: sql, field: f, aggregate: ne.Expr.aggregate()}
		if a.aggregate && b.firstAggStep < 0 {
			b.firstAggStep = i
		}
		if c.annotations == nil {
			c.annotations = map[string]*annotation{}
		}
		c.annotations[ne.Name] = a
		b.annots = append(b.annots, a)
	}
	return nil
}

// clone returns a copy of b that can take more conditions without
// changing b.
func (b *body) clone() *body {
	out := *b
	out.where = slices.Clip(b.where)
	out.having = slices.Clip(b.having)
	return &out
}

// selectCol is one column of the SELECT list and where its value goes.
type selectCol struct {
	field      *Field
	path       []*Field // foreign keys from the root to the object holding field
	holder     int      // index of that object in a row's holders (0: the root)
	parent     int      // index of the holder the last foreign key of path starts from
	annotation string   // set for an annotation
	key        string   // the result's name in Values results
	sql        string
}

// compileObjects builds the SELECT for rows of the model, with related
// objects and annotations.
func (q QuerySet) compileObjects(c *compiler) (string, []selectCol, error) {
	b, err := q.compileBody(c)
	if err != nil {
		return "", nil, err
	}
	own := c.ownColumns()
	cols := make([]selectCol, len(own), len(own)+len(q.model.inherited))
	for i, f := range q.model.columns {
		cols[i] = selectCol{field: f, sql: own[i]}
	}
	cols = append(cols, c.inheritedColumns(q.model, c.rootAlias, selectCol{})...)
	holders := map[string]int{"": 0}
	for _, path := range q.related {
		more, err := q.relatedColumns(c, path, holders)
		if err != nil {
			return "", nil, err
		}
		cols = append(cols, more...)
	}
	for _, a := range b.annots {
		cols = append(cols, selectCol{field: a.field, annotation: a.name, sql: a.sql})
	}
	var group []string
	if b.firstAggStep >= 0 {
		for _, sc := range cols {
			if sc.annotation == "" || !c.annotations[sc.annotation].aggregate {
				group = append(group, sc.sql)
			}
		}
	}
	sql, err := q.assemble(c, b, cols, group)
	return sql, cols, err
}

// compileValues builds the SELECT for Values: the named fields and
// annotations, grouped by the fields when aggregates follow Values.
func (q QuerySet) compileValues(c *compiler) (string, []selectCol, error) {
	b, err := q.compileBody(c)
	if err != nil {
		return "", nil, err
	}
	names := q.values
	if len(names) == 0 {
		for _, f := range q.model.AllFields() {
			if f.Concrete() {
				names = append(names, f.Name)
			}
		}
	}
	var cols []selectCol
	listed := map[string]bool{}
	for _, name := range names {
		listed[name] = true
		t, err := c.resolve(name)
		if err != nil {
			return "", nil, err
		}
		if t.lookup != "" {
			return "", nil, &FieldError{Model: q.model.Name, Path: name, Msg: "Values takes field paths, not lookups"}
		}
		col, f, err := c.transform(t)
		if err != nil {
			return "", nil, err
		}
		sc := selectCol{field: f, sql: col, key: name}
		if t.annotation != nil {
			sc.annotation = t.annotation.name
		}
		cols = append(cols, sc)
	}
	groupByValues := b.firstAggStep >= 0 && q.valuesAt >= 0 && q.valuesAt <= b.firstAggStep
	for _, a := range b.annots {
		if !listed[a.name] && groupByValues {
			cols = append(cols, selectCol{field: a.field, annotation: a.name, key: a.name, sql: a.sql})
		}
	}
	var group []string
	if b.firstAggStep >= 0 {
		for _, sc := range cols {
			if a := c.annotations[sc.annotation]; a == nil || !a.aggregate {
				group = append(group, sc.sql)
			}
		}
		if !groupByValues {
			group = append(group, c.col(c.rootAlias, q.model.PK.Column))
		}
	}
	sql, err := q.assemble(c, b, cols, group)
	return sql, cols, err
}

// assemble writes SELECT ... FROM ... WHERE ... GROUP BY ... HAVING ...
// ORDER BY ... LIMIT.
func (q QuerySet) assemble(c *compiler, b *body, cols []selectCol, group []string) (string, error) {
	var orderGroup *[]string
	if len(group) > 0 {
		orderGroup = &group
	}
	order, err := q.compileOrder(c, orderGroup)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	sb.Grow(statementSize(c, b, cols))
	sb.WriteString("SELECT ")
	if q.distinct {
		sb.WriteString("DISTINCT ")
	}
	for i, sc := range cols {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(sc.sql)
	}
	c.writeFrom(&sb)
	writeClauses(&sb, b, group)
	if order != "" {
		sb.WriteString(" ORDER BY " + order)
	}
	sb.WriteString(c.d.LimitOffset(q.limit, q.offset))
	return sb.String(), nil
}

// statementSize is about the length of the statement assemble writes,
// its select list, joins and conditions counted and the rest guessed,
// so the builder is sized once rather than grown by doubling.
func statementSize(c *compiler, b *body, cols []selectCol) int {
	n := 128 + len(c.root.Table) + len(c.rootAlias)
	for _, sc := range cols {
		n += len(sc.sql) + len(", ")
	}
	for _, j := range c.joinSQL {
		n += len(j)
	}
	for _, w := range b.where {
		n += len(w) + len(") AND (")
	}
	return n
}

func writeClauses(sb *strings.Builder, b *body, group []string) {
	if len(b.where) > 0 {
		sb.WriteString(" WHERE ")
		writeParts(sb, b.where, " AND ")
	}
	if len(group) > 0 {
		sb.WriteString(" GROUP BY " + strings.Join(dedupe(group), ", "))
	}
	if len(b.having) > 0 {
		sb.WriteString(" HAVING ")
		writeParts(sb, b.having, " AND ")
	}
}

func dedupe(items []string) []string {
	seen := map[string]bool{}
	out := items[:0:0]
	for _, it := range items {
		if !seen[it] {
			seen[it] = true
			out = append(out, it)
		}
	}
	return out
}

// compileOrder compiles the ordering. When group is not nil, it appends
// to it the non-aggregate expressions the ordering adds to a GROUP BY
// (Django groups by them too).
func (q QuerySet) compileOrder(c *compiler, group *[]string) (string, error) {
	var sb strings.Builder
	c.reuseAny = true
	for i, o := range q.orderTerms() {
		t, err := c.resolve(o.path)
		if err != nil {
			return "", err
		}
		if t.lookup != "" {
			return "", &FieldError{Model: q.model.Name, Path: o.path, Msg: "an ordering names a field, not a lookup"}
		}
		col, _, err := c.transform(t)
		if err != nil {
			return "", err
		}
		if group != nil && (t.annotation == nil || !t.annotation.aggregate) {
			*group = append(*group, col)
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		switch o.nulls {
		case 1:
			sb.WriteString("(" + col + " IS NULL) DESC, ")
		case 2:
			sb.WriteString("(" + col + " IS NULL) ASC, ")
		}
		sb.WriteString(col)
		if o.desc {
			sb.WriteString(" DESC")
		} else {
			sb.WriteString(" ASC")
		}
	}
	return sb.String(), nil
}

// relatedColumns joins a select_related path and lists its columns: those
// of every model along it not listed before ("branch__country" loads the
// branch and its country, as Django does). Each object on the path gets a
// holder index (shared by paths with a common prefix), so building a row
// needs no lookups by name.
func (q QuerySet) relatedColumns(c *compiler, path string, holders map[string]int) ([]selectCol, error) {
	m, alias := q.model, c.rootAlias
	var fks []*Field
	var out []selectCol
	walked, parent, holder := "", 0, 0
	for _, part := range strings.Split(path, "__") {
		f := m.Field(part)
		if rel := m.RelatedByName(part); f == nil && rel != nil && rel.IsParentLink() {
			return nil, &FieldError{Model: q.model.Name, Path: path, Msg: fmt.Sprintf("%q is the child %s of %s, which the parent's struct has no field to hold: read the children with DB.RelatedObjects", part, rel.Model.Name, m.Name)}
		}
		if f == nil || !f.IsForeignKey() {
			return nil, &FieldError{Model: q.model.Name, Path: path, Msg: fmt.Sprintf("%q is not a foreign key of %s", part, m.Name)}
		}
		if f.IsParentLink() {
			return nil, &FieldError{Model: q.model.Name, Path: path, Msg: fmt.Sprintf("%q is the parent link of %s, whose fields are always read: name the parent's relations directly", part, m.Name)}
		}
		from := alias
		if f.Inherited() {
			from = c.ancestorAlias(alias, m, f.Model)
		}
		alias = c.joinHop(from, part, hop{hopForeignKey, f, f.Related})
		fks = append(fks, f)
		m = f.Related
		walked += "/" + part
		parent = holder
		if h, ok := holders[walked]; ok {
			holder = h
			continue
		}
		holder = len(holders)
		holders[walked] = holder
		path := append([]*Field(nil), fks...)
		for _, col := range m.columns {
			out = append(out, selectCol{field: col, path: path, holder: holder, parent: parent, sql: c.col(alias, col.Column)})
		}
		out = append(out, c.inheritedColumns(m, alias, selectCol{path: path, holder: holder, parent: parent})...)
	}
	return out, nil
}

// compileKeys builds a subquery selecting the primary key (or the single
// Values field) of the rows the query matches, for "IN (subquery)".
func (q QuerySet) compileKeys(c *compiler) (string, error) {
	b, err := q.compileBody(c)
	if err != nil {
		return "", err
	}
	var sb strings.Builder
	if err := q.writeKeys(&sb, c, b); err != nil {
		return "", err
	}
	return sb.String(), nil
}

// writeKeys writes compileKeys' statement over the compiled body b to sb.
func (q QuerySet) writeKeys(sb *strings.Builder, c *compiler, b *body) error {
	col := "" // the primary key's, written without making it
	if len(q.values) == 1 {
		t, err := c.resolve(q.values[0])
		if err != nil {
			return err
		}
		if col, _, err = c.transform(t); err != nil {
			return err
		}
	} else if len(q.values) > 1 {
		return q.errf("a subquery must select one field, got %d", len(q.values))
	}
	limited := q.limit >= 0 || q.offset > 0
	var order string
	if limited {
		// The ordering is compiled before FROM is written: one across a
		// relation joins it. Its arguments, if any, still follow the
		// body's, as its text follows WHERE.
		var err error
		if order, err = q.compileOrder(c, nil); err != nil {
			return err
		}
		// MySQL refuses LIMIT inside IN (subquery); a derived table works
		// everywhere.
		sb.WriteString("SELECT ")
		c.writeQuoted(sb, "k")
		sb.WriteString(".* FROM (")
	}
	sb.WriteString("SELECT ")
	if col != "" {
		sb.WriteString(col)
	} else {
		c.writeCol(sb, c.rootAlias, q.model.PK.Column)
	}
	c.writeFrom(sb)
	var group []string
	if b.firstAggStep >= 0 {
		group = []string{c.col(c.rootAlias, q.model.PK.Column)}
	}
	writeClauses(sb, b, group)
	if !limited {
		return nil
	}
	if order != "" {
		sb.WriteString(" ORDER BY ")
		sb.WriteString(order)
	}
	sb.WriteString(c.d.LimitOffset(q.limit, q.offset))
	sb.WriteString(") ")
	c.writeQuoted(sb, "k")
	return nil
}
