package orm

import (
	"context"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// existsRangesSQL is ExistsEach's statement on PostgreSQL when every
// condition is one of a HalfOpenRanges list over a date or date-time field
// of the query's own model: one subquery, the query narrowed to
// "p"."lo" <= field < "p"."hi", evaluated for each row of a VALUES list of
// the bounds, in order:
//
//	SELECT EXISTS(<the query's keys, narrowed>) FROM (VALUES (1, CAST($n AS date), CAST($n+1 AS date)), ...) AS "p"("i", "lo", "hi") ORDER BY "p"."i"
//
// PostgreSQL plans that subquery once. The EXISTS of ExistsEach are
// planned one by one, at every execution, since Staffroom asks for a
// custom plan each time (plan_cache_mode=force_custom_plan): at
// 10,000,000 rows, 35 periods cost 3 to 7 ms of planning where this costs
// 1 to 2. ok is false, and ExistsEach compiles its usual statement, for
// other conditions, other dialects, and a query whose text does not end
// with the range's two parameters as this expects.
func (q QuerySet) existsRangesSQL(loc *time.Location, conds []Expr) (query string, args []any, ok bool, err error) {
	if _, pg := q.db.dialect.(Postgres); !pg || len(conds) < 2 {
		return "", nil, false, nil
	}
	first, isRange := conds[0].(*halfOpen)
	if !isRange {
		return "", nil, false, nil
	}
	for _, c := range conds[1:] {
		if h, isRange := c.(*halfOpen); !isRange || h.keys != first.keys {
			return "", nil, false, nil
		}
	}
	f := q.model.Field(strings.TrimSuffix(first.keys[0], "__gte"))
	if f == nil || f.Kind != KindDate && f.Kind != KindDateTime {
		return "", nil, false, nil
	}
	keys := q
	if len(q.order) > 0 {
		keys = keys.Limit(1)
	}
	// The narrowed query, compiled for the first two ranges: the texts
	// must be the same and the arguments differ only in the last two,
	// the range's, whose placeholders then name the VALUES columns.
	var texts [2]string
	var compiled [2][]any
	for i := range texts {
		c := newCompiler(q.db, q.model)
		c.loc = loc
		if texts[i], err = keys.Filter(conds[i]).compileKeys(c); err != nil {
			return "", nil, false, err
		}
		compiled[i] = c.args
	}
	n := len(compiled[0])
	if texts[0] != texts[1] || n < 2 || len(compiled[1]) != n || !reflect.DeepEqual(compiled[0][:n-2], compiled[1][:n-2]) {
		return "", nil, false, nil
	}
	sub, replaced := replacePlaceholder(texts[0], n-1, `"p"."lo"`)
	if replaced {
		sub, replaced = replacePlaceholder(sub, n, `"p"."hi"`)
	}
	if !replaced {
		return "", nil, false, nil
	}
	typ := Postgres{}.ColumnType(f)
	args = append(make([]any, 0, n-2+2*len(conds)), compiled[0][:n-2]...)
	var sb strings.Builder
	sb.Grow(len(sub) + 64*len(conds) + 64)
	sb.WriteString("SELECT EXISTS(")
	sb.WriteString(sub)
	sb.WriteString(`) FROM (VALUES `)
	bc := newCompiler(q.db, q.model) // binds every range's bounds in turn
	bc.loc = loc
	for i, cond := range conds {
		// Each range's two bounds, as its lookups would bind them.
		start := len(bc.args)
		if _, err := cond.build(bc); err != nil {
			return "", nil, false, err
		}
		if len(bc.args)-start != 2 {
			return "", nil, false, nil
		}
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(")
		sb.WriteString(strconv.Itoa(i + 1))
		for _, v := range bc.args[start:] {
			args = append(args, v)
			sb.WriteString(", CAST(")
			sb.WriteString(dollar(len(args)))
			sb.WriteString(" AS ")
			sb.WriteString(typ)
			sb.WriteString(")")
		}
		sb.WriteString(")")
	}
	sb.WriteString(`) AS "p"("i", "lo", "hi") ORDER BY "p"."i"`)
	return sb.String(), args, true, nil
}

// replacePlaceholder replaces the placeholder $n of a PostgreSQL
// statement, the one it holds once and no digit follows, with with.
func replacePlaceholder(text string, n int, with string) (string, bool) {
	ph := dollar(n)
	at := -1
	for from := 0; ; {
		i := strings.Index(text[from:], ph)
		if i < 0 {
			break
		}
		i += from
		end := i + len(ph)
		if end == len(text) || text[end] < '0' || text[end] > '9' {
			if at >= 0 {
				return text, false // twice: not the one parameter it should be
			}
			at = i
		}
		from = end
	}
	if at < 0 {
		return text, false
	}
	return text[:at] + with + text[at+len(ph):], true
}

// existsRanges runs existsRangesSQL's statement, whose rows answer the
// ranges in order.
func (q QuerySet) existsRanges(ctx context.Context, query string, args []any, n int) ([]bool, error) {
	q.db.trace(ctx, query, args)
	rows, err := q.db.conn(ctx).QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("orm: exists %s: %w", q.model.Label(), err)
	}
	defer rows.Close()
	out := make([]bool, 0, n)
	for rows.Next() {
		var held bool
		if err := rows.Scan(&held); err != nil {
			return nil, fmt.Errorf("orm: exists %s: %w", q.model.Label(), err)
		}
		out = append(out, held)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("orm: exists %s: %w", q.model.Label(), err)
	}
	if len(out) != n {
		return nil, fmt.Errorf("orm: exists %s: %d answers for %d ranges", q.model.Label(), len(out), n)
	}
	return out, nil
}
