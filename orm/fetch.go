package orm

import (
	"context"
	"fmt"
	"reflect"
	"strings"
	"time"
)

// All runs the query and returns pointers to new structs of the model.
func (q QuerySet) All(ctx context.Context) ([]any, error) {
	var out []any
	err := q.Each(ctx, func(obj any) error {
		out = append(out, obj)
		return nil
	})
	if err == nil && len(q.prefetch) > 0 {
		err = q.db.prefetch(ctx, q.model, out, q.prefetch)
	}
	return out, err
}

// Each runs the query and calls fn with each object as it is read,
// without holding the whole result in memory. Prefetching needs All.
func (q QuerySet) Each(ctx context.Context, fn func(obj any) error) error {
	if q.err != nil {
		return q.err
	}
	if q.values != nil {
		return q.errf("a Values query returns rows: use Maps or Tuples")
	}
	c := newCompiler(q.db, q.model)
	c.loc = q.db.CurrentTimeZone(ctx)
	query, cols, err := q.compileObjects(c)
	if err != nil {
		return err
	}
	rb := q.newRowBuilder(cols)
	return q.scan(ctx, query, c.args, len(cols), func(raw []any) error {
		obj, err := rb.build(raw)
		if err != nil {
			return err
		}
		return fn(obj)
	})
}

// scan runs a query and hands each row's raw values to fn.
func (q QuerySet) scan(ctx context.Context, query string, args []any, n int, fn func(raw []any) error) error {
	rows, err := q.db.QueryRaw(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("orm: query %s: %w", q.model.Label(), err)
	}
	defer rows.Close()
	raw := make([]any, n)
	ptrs := make([]any, n)
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("orm: scan %s: %w", q.model.Label(), err)
		}
		if err := fn(raw); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("orm: query %s: %w", q.model.Label(), err)
	}
	return nil
}

// rowBuilder makes the objects of a query's rows.
type rowBuilder struct {
	q       QuerySet
	cols    []selectCol
	targets []*Field // by column: the field an annotation is stored in, or nil
	holders []any    // the current row's objects by holder index; nil without select_related
}

func (q QuerySet) newRowBuilder(cols []selectCol) *rowBuilder {
	rb := &rowBuilder{q: q, cols: cols, targets: q.annotationTargets(cols)}
	n := 0
	for _, sc := range cols {
		n = max(n, sc.holder+1)
	}
	if n > 1 {
		// One slice for every row: the objects are reached from the root,
		// so it can be cleared and refilled.
		rb.holders = make([]any, n)
	}
	return rb
}

// annotationTargets maps annotation columns to the struct fields tagged
// `orm:"annotation"` that receive them; nil where none does.
func (q QuerySet) annotationTargets(cols []selectCol) []*Field {
	targets := make([]*Field, len(cols))
	for i, sc := range cols {
		if sc.annotation == "" {
			continue
		}
		if f := q.model.Field(sc.annotation); f != nil && f.Kind == KindAnnotation {
			targets[i] = f
		}
	}
	return targets
}

// build makes the root object (and any select_related objects) from a row.
func (rb *rowBuilder) build(raw []any) (any, error) {
	q := rb.q
	root := reflect.New(q.model.typ).Interface()
	if rb.holders != nil {
		clear(rb.holders)
		rb.holders[0] = root
	}
	for i, sc := range rb.cols {
		if sc.annotation != "" {
			if rb.targets[i] != nil {
				if err := q.setAnnotation(root, rb.targets[i], sc.field, raw[i]); err != nil {
					return nil, err
				}
			}
			continue
		}
		obj := root
		if sc.holder > 0 {
			if obj = holderAt(rb.holders, sc); obj == nil {
				continue
			}
		}
		v, err := q.db.dialect.FromDB(sc.field, raw[i])
		if err != nil {
			return nil, err
		}
		if err := sc.field.Set(obj, v); err != nil {
			return nil, err
		}
	}
	return root, nil
}

// holderAt returns the related object a column belongs to, creating and
// attaching it to its parent on first use, or nil when the key leading to
// it is NULL (or its parent is missing).
func holderAt(holders []any, sc selectCol) any {
	if h := holders[sc.holder]; h != nil {
		return h
	}
	parent := holders[sc.parent]
	if parent == nil {
		return nil
	}
	fk := sc.path[len(sc.path)-1]
	fkv := reflect.ValueOf(parent).Elem().FieldByIndex(fk.index).Addr().Interface().(fkPointer)
	if _, ok := fkv.key(); !ok {
		return nil
	}
	next := reflect.New(fk.Related.typ).Interface()
	fkv.setObject(next)
	holders[sc.holder] = next
	return next
}

// Maps runs a Values query and returns one map per row, keyed by the
// Values names and annotations.
func (q QuerySet) Maps(ctx context.Context) ([]map[string]any, error) {
	var out []map[string]any
	err := q.eachValues(ctx, func(cols []selectCol, vals []any) error {
		m := make(map[string]any, len(cols))
		for i, sc := range cols {
			m[sc.key] = vals[i]
		}
		out = append(out, m)
		return nil
	})
	return out, err
}

// Tuples runs a Values query and returns one slice per row, in the order
// of the Values names (then annotations), Django's values_list.
func (q QuerySet) Tuples(ctx context.Context) ([][]any, error) {
	var out [][]any
	err := q.eachValues(ctx, func(_ []selectCol, vals []any) error {
		out = append(out, append([]any(nil), vals...))
		return nil
	})
	return out, err
}

func (q QuerySet) eachValues(ctx context.Context, fn func(cols []selectCol, vals []any) error) error {
	if q.err != nil {
		return q.err
	}
	if q.values == nil {
		q = q.Values()
	}
	c := newCompiler(q.db, q.model)
	c.loc = q.db.CurrentTimeZone(ctx)
	query, cols, err := q.compileValues(c)
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	return q.scan(ctx, query, c.args, len(cols), func(raw []any) error {
		for i, sc := range cols {
			v, err := q.db.dialect.FromDB(sc.field, raw[i])
			if err != nil {
				return err
			}
			vals[i] = v
		}
		return fn(cols, vals)
	})
}

// First returns the first object of the query, or ErrNotFound.
func (q QuerySet) First(ctx context.Context) (any, error) {
	if !q.ordered && len(q.model.Meta.Ordering) == 0 {
		q = q.OrderBy("pk")
	}
	objs, err := q.Limit(1).All(ctx)
	if err != nil {
		return nil, err
	}
	if len(objs) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, q.model.Name)
	}
	return objs[0], nil
}

// Get returns the single object matching the query: ErrNotFound when there
// is none and ErrMultipleFound when there are several.
func (q QuerySet) Get(ctx context.Context, exprs ...Expr) (any, error) {
	objs, err := q.Filter(exprs...).Limit(2).All(ctx)
	if err != nil {
		return nil, err
	}
	switch len(objs) {
	case 0:
		return nil, fmt.Errorf("%w: %s matching query does not exist", ErrNotFound, q.model.Name)
	case 1:
		return objs[0], nil
	}
	return nil, fmt.Errorf("%w: get returned more than one %s", ErrMultipleFound, q.model.Name)
}

// Count returns the number of rows the query matches (or would return,
// when it is grouped, distinct or sliced).
func (q QuerySet) Count(ctx context.Context) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	c := newCompiler(q.db, q.model)
	c.loc = q.db.CurrentTimeZone(ctx)
	var query string
	if q.hasAggregate() || q.limit >= 0 || q.offset > 0 || (q.distinct && q.values != nil) {
		inner, _, err := q.compileForCount(c)
		if err != nil {
			return 0, err
		}
		query = "SELECT COUNT(*) FROM (" + inner + ") " + c.d.Quote("sub")
	} else {
		b, err := q.compileBody(c)
		if err != nil {
			return 0, err
		}
		what := "COUNT(*)"
		if q.distinct {
			what = "COUNT(DISTINCT " + c.col(c.rootAlias, q.model.PK.Column) + ")"
		}
		var sb strings.Builder
		sb.WriteString("SELECT " + what + c.from())
		writeClauses(&sb, b, nil)
		query = sb.String()
	}
	var n int64
	q.db.trace(ctx, query, c.args)
	if err := q.db.conn(ctx).QueryRowContext(ctx, query, c.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("orm: count %s: %w", q.model.Label(), err)
	}
	return n, nil
}

func (q QuerySet) compileForCount(c *compiler) (string, []selectCol, error) {
	q = q.clone()
	q.related = nil
	if q.values != nil {
		return q.compileValues(c)
	}
	return q.compileObjects(c)
}

// Exists reports whether the query matches any row.
func (q QuerySet) Exists(ctx context.Context) (bool, error) {
	n, err := q.OrderBy().Limit(1).Count(ctx)
	return n > 0, err
}

// ExistsEach reports, for each condition, whether a row of the query
// satisfies it too, in one statement of one EXISTS per condition: a
// database answers each from an index range when one serves it, stopping
// at the first row, so a list of periods or values is probed in one round
// trip. Each EXISTS asks for the query's first row in its ordering
// (ORDER BY ... LIMIT 1) when it has one: ordered by the column the
// conditions range over, that leads PostgreSQL to the column's index,
// where it would rather read a covering index of another column whole.
// On PostgreSQL, conditions that are all HalfOpenRanges of one date or
// date-time field are probed instead by one such subquery over a VALUES
// list of their bounds, which PostgreSQL plans once.
func (q QuerySet) ExistsEach(ctx context.Context, conds ...Expr) ([]bool, error) {
	if q.err != nil {
		return nil, q.err
	}
	if len(conds) == 0 {
		return nil, nil
	}
	loc := q.db.CurrentTimeZone(ctx)
	if query, args, ok, err := q.existsRangesSQL(loc, conds); err != nil {
		return nil, err
	} else if ok {
		return q.existsRanges(ctx, query, args, len(conds))
	}
	query, args, err := q.existsEachSQL(loc, conds)
	if err != nil {
		return nil, err
	}
	raw := make([]any, len(conds))
	ptrs := make([]any, len(conds))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	q.db.trace(ctx, query, args)
	if err := q.db.conn(ctx).QueryRowContext(ctx, query, args...).Scan(ptrs...); err != nil {
		return nil, fmt.Errorf("orm: exists %s: %w", q.model.Label(), err)
	}
	out := make([]bool, len(conds))
	for i, v := range raw {
		switch x := v.(type) {
		case bool:
			out[i] = x
		default:
			n, _ := toInt64(x)
			out[i] = n != 0
		}
	}
	return out, nil
}

// existsEachSQL compiles ExistsEach's statement, with datetime columns
// read in loc. Each EXISTS is the query filtered by one more condition;
// the query's own filters are compiled once and each condition goes on
// from a copy of that compiler, as long as the text they give is the same
// whatever arguments come before it: not with numbered placeholders
// (PostgreSQL's $1) once the filters have arguments, nor when a subquery
// is named after the arguments before it. Those compile each EXISTS whole.
func (q QuerySet) existsEachSQL(loc *time.Location, conds []Expr) (string, []any, error) {
	base := newCompiler(q.db, q.model)
	base.loc = loc
	b, err := q.compileBody(base)
	if err != nil {
		return "", nil, err
	}
	reuse := !base.subAliased && (len(base.args) == 0 || q.db.dialect.Placeholder(1) == q.db.dialect.Placeholder(2))
	keys := q
	if len(q.order) > 0 {
		keys = keys.Limit(1)
	}
	var args []any
	var sb strings.Builder
	sb.WriteString("SELECT ")
	c := new(compiler) // each condition's, reused: the one before is done with
	for i, cond := range conds {
		var cb *body
		if reuse || i == 0 {
			base.fork(c)
			c.args = append(args, base.args...)
			cb = b.clone()
		} else {
			c = newCompiler(q.db, q.model)
			c.loc, c.args = loc, args
			if cb, err = q.compileBody(c); err != nil {
				return "", nil, err
			}
		}
		// The condition is a last Filter step, as q.Filter(cond) adds it
		// (And of one expression is that expression's text).
		if err := q.compileStep(c, cb, len(q.steps), step{filter: cond}); err != nil {
			return "", nil, err
		}
		c.reuseAny = true
		if i > 0 {
			sb.WriteString(", ")
		}
		start := sb.Len()
		sb.WriteString("EXISTS(")
		if err := keys.writeKeys(&sb, c, cb); err != nil {
			return "", nil, err
		}
		sb.WriteString(")")
		if i == 0 {
			// The others are about as long as the first.
			sb.Grow((sb.Len() - start + 2) * (len(conds) - 1))
		}
		args = c.args
	}
	return sb.String(), args, nil
}

// SQL returns the SELECT statement and arguments the query would run, for
// tests and debugging.
func (q QuerySet) SQL() (string, []any, error) {
	if q.err != nil {
		return "", nil, q.err
	}
	c := newCompiler(q.db, q.model)
	var query string
	var err error
	if q.values != nil {
		query, _, err = q.compileValues(c)
	} else {
		query, _, err = q.compileObjects(c)
	}
	return query, c.args, err
}

// InBulk returns the objects with the given primary keys, keyed by key.
func (q QuerySet) InBulk(ctx context.Context, keys []any) (map[any]any, error) {
	out := map[any]any{}
	if len(keys) == 0 {
		return out, nil
	}
	err := q.Filter(Q{"pk__in": keys}).Each(ctx, func(obj any) error {
		out[q.model.PKValue(obj)] = obj
		return nil
	})
	return out, err
}

// Chunked reads the query's objects in chunks of size, each chunk a
// separate query that resumes after the last primary key seen, so a huge
// table is walked without a long-running read or an OFFSET scan. The
// query's own ordering is replaced by the primary key.
func (q QuerySet) Chunked(ctx context.Context, size int, fn func(objs []any) error) error {
	if size <= 0 {
		return q.errf("chunk size must be positive")
	}
	var last any
	for {
		page := q.OrderBy("pk").Limit(size)
		if last != nil {
			page = page.Filter(Q{"pk__gt": last})
		}
		objs, err := page.All(ctx)
		if err != nil {
			return err
		}
		if len(objs) == 0 {
			return nil
		}
		if err := fn(objs); err != nil {
			return err
		}
		if len(objs) < size {
			return nil
		}
		last = q.model.PKValue(objs[len(objs)-1])
	}
}

// setAnnotation converts an annotation's value to the receiving field's
// Go type.
func (q QuerySet) setAnnotation(obj any, target, src *Field, raw any) error {
	v, err := q.db.dialect.FromDB(src, raw)
	if err != nil {
		return err
	}
	return target.Set(obj, v)
}
