package orm

import (
	"context"
	"fmt"
	"reflect"
	"strings"
)

// QuerySet is a lazy, immutable description of a query on one model.
// Methods that refine it return a new QuerySet; methods that take a context
// run it. An invalid name given to a refining method is reported by the
// method that runs the query.
type QuerySet struct {
	db       *DB
	model    *Model
	where    []Expr
	order    []string
	ordered  bool
	limit    int
	offset   int
	related  []string
	distinct bool
	err      error // a problem found while building, reported when run
}

// Query returns a QuerySet over every row of the model.
func (db *DB) Query(m *Model) QuerySet {
	return QuerySet{db: db, model: m, limit: -1}
}

// QueryFor returns a QuerySet for the model of v (a struct or a pointer).
func (db *DB) QueryFor(v any) (QuerySet, error) {
	m, err := db.reg.ModelOf(v)
	if err != nil {
		return QuerySet{}, err
	}
	return db.Query(m), nil
}

// Model returns the queried model.
func (q QuerySet) Model() *Model { return q.model }

func (q QuerySet) clone() QuerySet {
	q.where = append([]Expr(nil), q.where...)
	q.order = append([]string(nil), q.order...)
	q.related = append([]string(nil), q.related...)
	return q
}

// Filter keeps the rows matching every expression.
func (q QuerySet) Filter(exprs ...Expr) QuerySet {
	q = q.clone()
	q.where = append(q.where, exprs...)
	return q
}

// Exclude drops the rows matching all of the expressions.
func (q QuerySet) Exclude(exprs ...Expr) QuerySet {
	q = q.clone()
	q.where = append(q.where, Not(And(exprs...)))
	return q
}

// Or keeps the rows the query matched so far, and also those matching all
// of the expressions.
func (q QuerySet) Or(exprs ...Expr) QuerySet {
	q = q.clone()
	q.where = []Expr{Or(And(q.where...), And(exprs...))}
	return q
}

// OrderBy replaces the ordering; "-name" sorts descending, paths may cross
// foreign keys. With no names the result is unordered.
func (q QuerySet) OrderBy(names ...string) QuerySet {
	q = q.clone()
	q.order, q.ordered = names, true
	return q
}

// Ordering returns the ordering that will be used: OrderBy's, or the model's
// default.
func (q QuerySet) Ordering() []string {
	if q.ordered {
		return q.order
	}
	return q.model.Meta.Ordering
}

// Limit keeps at most n rows (n < 0 removes the limit).
func (q QuerySet) Limit(n int) QuerySet { q.limit = n; return q }

// Offset skips the first n rows.
func (q QuerySet) Offset(n int) QuerySet { q.offset = n; return q }

// SelectRelated loads the objects behind the named foreign keys in the same
// query, with a join; paths may chain ("book__publisher").
func (q QuerySet) SelectRelated(paths ...string) QuerySet {
	q = q.clone()
	q.related = append(q.related, paths...)
	return q
}

// Distinct removes duplicate rows.
func (q QuerySet) Distinct() QuerySet { q.distinct = true; return q }

// selectCol is one column of the SELECT list and where its value goes.
type selectCol struct {
	field *Field
	path  []*Field // foreign keys from the root to the object holding field
}

// compileSelect builds the SELECT for rows of the model (and related objects).
func (q QuerySet) compileSelect(countOnly bool) (string, []any, []selectCol, error) {
	if q.err != nil {
		return "", nil, nil, q.err
	}
	c := newCompiler(q.db, q.model)
	where, err := q.compileWhere(c)
	if err != nil {
		return "", nil, nil, err
	}
	var cols []selectCol
	var list []string
	if !countOnly {
		for _, f := range q.model.columns {
			cols = append(cols, selectCol{field: f})
			list = append(list, c.col(q.model.Table, f.Column))
		}
		for _, path := range q.related {
			more, err := q.relatedColumns(c, path)
			if err != nil {
				return "", nil, nil, err
			}
			for _, sc := range more {
				cols = append(cols, sc.selectCol)
				list = append(list, sc.sql)
			}
		}
	}
	var order string
	if !countOnly {
		if order, err = c.orderBy(q.Ordering()); err != nil {
			return "", nil, nil, err
		}
	}
	var b strings.Builder
	b.WriteString("SELECT ")
	switch {
	case countOnly && q.distinct:
		b.WriteString("COUNT(DISTINCT " + c.col(q.model.Table, q.model.PK.Column) + ")")
	case countOnly:
		b.WriteString("COUNT(*)")
	default:
		if q.distinct {
			b.WriteString("DISTINCT ")
		}
		b.WriteString(strings.Join(list, ", "))
	}
	b.WriteString(" FROM " + c.d.Quote(q.model.Table))
	b.WriteString(strings.Join(c.joins, ""))
	if where != "" {
		b.WriteString(" WHERE " + where)
	}
	if order != "" {
		b.WriteString(" ORDER BY " + order)
	}
	if !countOnly {
		b.WriteString(c.d.LimitOffset(q.limit, q.offset))
	}
	return b.String(), c.args, cols, nil
}

func (q QuerySet) compileWhere(c *compiler) (string, error) {
	if len(q.where) == 0 {
		return "", nil
	}
	return And(q.where...).build(c)
}

type relatedCol struct {
	selectCol
	sql string
}

func (q QuerySet) relatedColumns(c *compiler, path string) ([]relatedCol, error) {
	m, alias, walked := q.model, q.model.Table, ""
	var fks []*Field
	for _, part := range strings.Split(path, "__") {
		f := m.Field(part)
		if f == nil || !f.IsForeignKey() {
			return nil, &FieldError{Model: q.model.Name, Path: path, Msg: fmt.Sprintf("%q is not a foreign key of %s", part, m.Name)}
		}
		if walked != "" {
			walked += "__"
		}
		walked += part
		alias = c.join(walked, alias, f)
		fks = append(fks, f)
		m = f.Related
	}
	out := make([]relatedCol, 0, len(m.columns))
	for _, f := range m.columns {
		out = append(out, relatedCol{selectCol{field: f, path: fks}, c.col(alias, f.Column)})
	}
	return out, nil
}

// All runs the query and returns pointers to new structs of the model.
func (q QuerySet) All(ctx context.Context) ([]any, error) {
	var out []any
	err := q.Each(ctx, func(obj any) error {
		out = append(out, obj)
		return nil
	})
	return out, err
}

// Each runs the query and calls fn with each object as it is read.
func (q QuerySet) Each(ctx context.Context, fn func(obj any) error) error {
	query, args, cols, err := q.compileSelect(false)
	if err != nil {
		return err
	}
	rows, err := q.db.QueryRaw(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("orm: query %s: %w", q.model.Label(), err)
	}
	defer rows.Close()
	raw := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("orm: scan %s: %w", q.model.Label(), err)
		}
		obj, err := q.build(cols, raw)
		if err != nil {
			return err
		}
		if err := fn(obj); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("orm: query %s: %w", q.model.Label(), err)
	}
	return nil
}

// build makes the root object (and any select_related objects) from a row.
func (q QuerySet) build(cols []selectCol, raw []any) (any, error) {
	root := reflect.New(q.model.typ).Interface()
	holders := map[string]any{}
	for i, sc := range cols {
		obj := root
		if len(sc.path) > 0 {
			obj = q.holder(root, sc.path, holders)
			if obj == nil {
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

// holder returns the related object at the end of path, creating and
// attaching it on first use, or nil when a key on the way is NULL.
func (q QuerySet) holder(root any, path []*Field, cache map[string]any) any {
	obj, key := root, ""
	for _, fk := range path {
		key += "/" + fk.Name
		if o, ok := cache[key]; ok {
			obj = o
			continue
		}
		fkv := reflect.ValueOf(obj).Elem().FieldByIndex(fk.index).Addr().Interface().(fkPointer)
		if fkv.keyID() == 0 {
			return nil
		}
		next := reflect.New(fk.Related.typ).Interface()
		fkv.setObject(next)
		cache[key] = next
		obj = next
	}
	return obj
}

// First returns the first object of the query, or ErrNotFound.
func (q QuerySet) First(ctx context.Context) (any, error) {
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

// Count returns the number of rows the query matches (limits ignored).
func (q QuerySet) Count(ctx context.Context) (int64, error) {
	query, args, _, err := q.compileSelect(true)
	if err != nil {
		return 0, err
	}
	var n int64
	q.db.trace(ctx, query, args)
	if err := q.db.conn(ctx).QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("orm: count %s: %w", q.model.Label(), err)
	}
	return n, nil
}

// Exists reports whether the query matches any row.
func (q QuerySet) Exists(ctx context.Context) (bool, error) {
	n, err := q.Limit(1).Count(ctx)
	return n > 0, err
}

// SQL returns the SELECT statement and arguments the query would run, for
// tests and debugging.
func (q QuerySet) SQL() (string, []any, error) {
	s, args, _, err := q.compileSelect(false)
	return s, args, err
}
