package orm

import (
	"context"
	"fmt"
	"strings"
)

// Aggregate computes summary values over the rows the query matches,
// Django's aggregate(): Aggregate(ctx, Avg("price"), Max("price")) gives
// {"price__avg": ..., "price__max": ...}. Items are aggregates (named by
// their alias) or Named expressions of aggregates. Over an annotated,
// distinct or sliced query the summary is computed over its rows, so an
// aggregate may name an annotation: Avg("num_authors").
func (q QuerySet) Aggregate(ctx context.Context, items ...any) (map[string]any, error) {
	if q.err != nil {
		return nil, q.err
	}
	exprs, err := named(items)
	if err != nil {
		return nil, err
	}
	if len(exprs) == 0 {
		return map[string]any{}, nil
	}
	c := newCompiler(q.db, q.model)
	c.loc = q.db.CurrentTimeZone(ctx)
	var query string
	var fields []*Field
	if q.hasAggregate() || q.distinct || q.limit >= 0 || q.offset > 0 {
		query, fields, err = q.aggregateOver(c, exprs)
	} else {
		query, fields, err = q.aggregateDirect(c, exprs)
	}
	if err != nil {
		return nil, err
	}
	raw := make([]any, len(exprs))
	ptrs := make([]any, len(exprs))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	q.db.trace(ctx, query, c.args)
	if err := q.db.conn(ctx).QueryRowContext(ctx, query, c.args...).Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("orm: aggregate %s: %w", q.model.Label(), err)
	}
	out := make(map[string]any, len(exprs))
	for i, ne := range exprs {
		v, err := q.db.dialect.FromDB(fields[i], raw[i])
		if err != nil {
			return nil, err
		}
		out[ne.Name] = v
	}
	return out, nil
}

// aggregateDirect is SELECT agg, ... FROM ... WHERE ... over the rows.
func (q QuerySet) aggregateDirect(c *compiler, exprs []NamedExpression) (string, []*Field, error) {
	b, err := q.compileBody(c)
	if err != nil {
		return "", nil, err
	}
	list, fields := make([]string, len(exprs)), make([]*Field, len(exprs))
	whereArgs := len(c.args)
	for i, ne := range exprs {
		if !ne.Expr.aggregate() {
			return "", nil, q.errf("aggregate: %s is not an aggregate", ne.Name)
		}
		if list[i], fields[i], err = ne.Expr.compile(c); err != nil {
			return "", nil, err
		}
	}
	if c.d.Placeholder(1) == c.d.Placeholder(2) {
		// Positional placeholders ("?") bind in the order of the text,
		// where the aggregates' conditions (Where) precede the WHERE
		// clause compiled before them.
		c.args = append(append([]any(nil), c.args[whereArgs:]...), c.args[:whereArgs]...)
	}
	var sb strings.Builder
	sb.WriteString("SELECT " + strings.Join(list, ", ") + c.from())
	writeClauses(&sb, b, nil)
	return sb.String(), fields, nil
}

// aggregateOver computes the aggregates over the query's own rows as a
// derived table: the aggregates then name the rows' columns and
// annotations.
func (q QuerySet) aggregateOver(c *compiler, exprs []NamedExpression) (string, []*Field, error) {
	inner := q.clone()
	inner.related = nil
	inner.prefetch = nil
	if inner.values == nil {
		inner = inner.Values()
		for _, s := range q.steps {
			for _, a := range s.annotate {
				inner.values = append(inner.values, a.Name)
			}
		}
		inner.valuesAt = len(q.steps) + 1
	}
	innerSQL, cols, err := inner.compileValues(c)
	if err != nil {
		return "", nil, err
	}
	sub := c.d.Quote("sub")
	byKey := map[string]selectCol{}
	for _, sc := range cols {
		byKey[sc.key] = sc
	}
	list, fields := make([]string, len(exprs)), make([]*Field, len(exprs))
	for i, ne := range exprs {
		a, ok := ne.Expr.(*Aggregate)
		if !ok {
			return "", nil, q.errf("aggregate over an annotated query: %s must be a plain aggregate", ne.Name)
		}
		sc, ok := byKey[a.path]
		if !ok {
			return "", nil, &FieldError{Model: q.model.Name, Path: a.path, Msg: "over an annotated or sliced query, aggregate its fields or annotations"}
		}
		col := sub + "." + c.d.Quote(columnAlias(cols, a.path))
		if a.distinct {
			col = "DISTINCT " + col
		}
		list[i], fields[i] = a.fn+"("+col+")", aggregateField(a.fn, sc.field)
	}
	aliased := aliasColumns(innerSQL, cols, c)
	return "SELECT " + strings.Join(list, ", ") + " FROM (" + aliased + ") " + sub, fields, nil
}

// columnAlias is the name the derived table gives the column for key.
func columnAlias(cols []selectCol, key string) string {
	for i, sc := range cols {
		if sc.key == key {
			return fmt.Sprintf("c%d", i)
		}
	}
	return key
}

// aliasColumns rewrites "SELECT a, b FROM" into "SELECT a AS c0, b AS c1
// FROM" so the outer query can name the derived table's columns.
func aliasColumns(sql string, cols []selectCol, c *compiler) string {
	list := make([]string, len(cols))
	for i, sc := range cols {
		list[i] = sc.sql + " AS " + c.d.Quote(fmt.Sprintf("c%d", i))
	}
	orig := make([]string, len(cols))
	for i, sc := range cols {
		orig[i] = sc.sql
	}
	prefix := "SELECT "
	if strings.HasPrefix(sql, "SELECT DISTINCT ") {
		prefix = "SELECT DISTINCT "
	}
	return strings.Replace(sql, prefix+strings.Join(orig, ", "), prefix+strings.Join(list, ", "), 1)
}
