package orm

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"time"
)

// compiler turns a query's parts into SQL text and bound arguments. Every
// identifier it writes comes from model metadata.
type compiler struct {
	db           *DB
	d            Dialect
	root         *Model
	rootAlias    string
	aliasPrefix  string // "T" for the outer query, "U1T" ... for subqueries
	aliasN       int
	joins        []join
	joinSQL      []string
	throughAlias map[string]string // target alias → its join table's alias
	args         []any
	annotations  map[string]*annotation

	group         int  // the filter group multi-valued joins belong to
	reuseAny      bool // reuse any earlier join of a multi-valued path
	usedMulti     bool // a multi-valued join was made or used
	usedAggregate bool // a condition compared an aggregate annotation

	loc *time.Location // the zone date parts of datetime columns are read in

	scanText bool // no substring index narrows text lookups (WithoutSubstringIndex)

	// subAliased is set once a subquery's aliases were named after the
	// number of arguments before it: the text then differs when compiled
	// after other arguments.
	subAliased bool
}

func newCompiler(db *DB, m *Model) *compiler {
	return &compiler{db: db, d: db.dialect, root: m, rootAlias: m.Table, aliasPrefix: "T", loc: db.zone}
}

// fork makes dst a copy of c that compiles on without changing c, so
// statements sharing a compiled start go on from it in turn.
func (c *compiler) fork(dst *compiler) {
	*dst = *c
	dst.joins = slices.Clip(c.joins)
	dst.joinSQL = slices.Clip(c.joinSQL)
	dst.args = slices.Clip(c.args)
	if len(c.throughAlias) > 0 {
		dst.throughAlias = maps.Clone(c.throughAlias)
	}
	if len(c.annotations) > 0 {
		dst.annotations = maps.Clone(c.annotations)
	}
}

// subPrefix names the aliases of a subquery of c: kind, then a number
// that is new in c.
func (c *compiler) subPrefix(kind string) string {
	c.subAliased = true
	return c.aliasPrefix + kind + strconv.Itoa(c.aliasN+len(c.args)+1) + "T"
}

// sub returns a compiler for a subquery over the same model, sharing the
// argument list so placeholders stay numbered in order.
func (c *compiler) sub() *compiler {
	s := newCompiler(c.db, c.root)
	s.aliasPrefix = c.subPrefix("U")
	s.rootAlias = s.aliasPrefix + "0"
	s.args = c.args
	s.annotations = c.annotations
	s.loc = c.loc
	s.scanText = c.scanText
	return s
}

// col is a qualified column: one string made, where the dialect can.
func (c *compiler) col(alias, column string) string {
	if q, ok := c.d.(qualifier); ok {
		return q.qualify(alias, column)
	}
	return c.d.Quote(alias) + "." + c.d.Quote(column)
}

// writeQuoted writes the quoted identifier to sb.
func (c *compiler) writeQuoted(sb *strings.Builder, ident string) {
	if q, ok := c.d.(qualifier); ok {
		q.writeQuoted(sb, ident)
		return
	}
	sb.WriteString(c.d.Quote(ident))
}

// writeCol writes the qualified column col makes to sb.
func (c *compiler) writeCol(sb *strings.Builder, alias, column string) {
	c.writeQuoted(sb, alias)
	sb.WriteString(".")
	c.writeQuoted(sb, column)
}

func (c *compiler) param(v any) string {
	c.args = append(c.args, v)
	return c.d.Placeholder(len(c.args))
}

// from is the FROM clause with its joins.
func (c *compiler) from() string {
	var sb strings.Builder
	c.writeFrom(&sb)
	return sb.String()
}

// writeFrom writes the FROM clause with its joins to sb.
func (c *compiler) writeFrom(sb *strings.Builder) {
	sb.WriteString(" FROM ")
	c.writeQuoted(sb, c.root.Table)
	if c.rootAlias != c.root.Table {
		sb.WriteString(" ")
		c.writeQuoted(sb, c.rootAlias)
	}
	for _, j := range c.joinSQL {
		sb.WriteString(j)
	}
}

// transform applies a target's transforms (date parts) to its column.
func (c *compiler) transform(t target) (string, *Field, error) {
	col, f := t.col, t.field
	for _, tr := range t.transforms {
		var err error
		if col, err = c.extract(tr, col, f); err != nil {
			return "", nil, err
		}
		f = &Field{Name: tr, Kind: transforms[tr]}
	}
	return col, f, nil
}

// value converts a Go or string value for the field into a bound
// parameter, or compiles it when it is an expression.
func (c *compiler) value(f *Field, v any) (string, error) {
	if e, ok := v.(Expression); ok {
		sql, _, err := e.compile(c)
		return sql, err
	}
	if s, ok := v.(string); ok && f.Kind == KindDateTime && !isUTC(c.db.TimeZone()) {
		// A date-time written without an offset is one of the site's
		// zone, as Django takes a naive value with USE_TZ.
		t, err := ParseDateTimeIn(s, c.db.TimeZone())
		if err != nil {
			return "", &ValueError{Field: f.Name, Value: v, Err: err}
		}
		v = t
	}
	n, err := f.normalize(v)
	if err != nil {
		return "", err
	}
	if n == nil {
		return c.param(nil), nil
	}
	return c.param(c.d.ToDB(f, n)), nil
}

// parseBoolish reads an isnull value the way the admin's query string gives
// it: "", "false" and "0" (any case) are false, other strings true.
func parseBoolish(v any) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch strings.ToLower(x) {
		case "", "false", "0":
			return false, nil
		}
		return true, nil
	}
	return false, fmt.Errorf("want a boolean, got %T", v)
}

// listOf turns a slice of any element type (or a comma-separated string)
// into []any.
func listOf(v any) ([]any, error) {
	if s, ok := v.(string); ok {
		parts := strings.Split(s, ",")
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, nil
}
