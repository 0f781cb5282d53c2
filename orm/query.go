package orm

import (
	"fmt"
	"strings"
)

// QuerySet is a lazy, immutable description of a query on one model.
// Methods that refine it return a new QuerySet; methods that take a context
// run it. An invalid name given to a refining method is reported by the
// method that runs the query.
//
// Filters and annotations apply in the order they are called, with
// Django's semantics: conditions on a multi-valued relation (reverse
// foreign keys, many-to-many) in one Filter call must hold for the same
// related row, while separate Filter calls each get their own; an
// annotation after a filter counts only the rows the filter kept.
type QuerySet struct {
	db       *DB
	model    *Model
	steps    []step
	order    []Order
	ordered  bool
	limit    int
	offset   int
	related  []string
	prefetch []string
	distinct bool
	values   []string // Values fields; nil when returning objects
	valuesAt int      // the number of steps before Values was called
	err      error    // a problem found while building, reported when run
	scanText bool     // WithoutSubstringIndex
}

// step is a Filter, Exclude or Annotate call, in order.
type step struct {
	filter   Expr
	annotate []NamedExpression
}

// Query returns a QuerySet over every row of the model.
// A proxy model's Meta.DefaultFilter narrows it.
func (db *DB) Query(m *Model) QuerySet {
	q := db.BaseQuery(m)
	if m != nil && m.Meta.DefaultFilter != nil {
		q = q.Filter(m.Meta.DefaultFilter())
	}
	return q
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

// WithoutSubstringIndex returns the query compiled without its text
// lookups narrowed by a substring index (CreateSubstringIndex): each row's
// text is tested as it is read. That is faster for a term so common that
// the rows read in an index's order fill a page sooner than the index
// names every candidate. The rows are the same either way.
func (q QuerySet) WithoutSubstringIndex() QuerySet {
	q.scanText = true
	return q
}

// DB is the database the query runs on.
func (q QuerySet) DB() *DB { return q.db }

// Err returns a problem found while building the query, if any.
func (q QuerySet) Err() error { return q.err }

func (q QuerySet) clone() QuerySet {
	q.steps = append([]step(nil), q.steps...)
	q.order = append([]Order(nil), q.order...)
	q.related = append([]string(nil), q.related...)
	q.prefetch = append([]string(nil), q.prefetch...)
	q.values = append([]string(nil), q.values...)
	return q
}

// Filter keeps the rows matching every expression.
func (q QuerySet) Filter(exprs ...Expr) QuerySet {
	if len(exprs) == 0 {
		return q
	}
	q = q.clone()
	q.steps = append(q.steps, step{filter: And(exprs...)})
	return q
}

// Exclude drops the rows matching all of the expressions. Across a
// multi-valued relation it drops a row when any related row matches.
func (q QuerySet) Exclude(exprs ...Expr) QuerySet {
	if len(exprs) == 0 {
		return q
	}
	q = q.clone()
	q.steps = append(q.steps, step{filter: Not(And(exprs...))})
	return q
}

// Or keeps the rows the query's filters matched so far, and also those
// matching all of the expressions.
func (q QuerySet) Or(exprs ...Expr) QuerySet {
	q = q.clone()
	var kept []Expr
	var rest []step
	for _, s := range q.steps {
		if s.filter != nil && s.annotate == nil {
			kept = append(kept, s.filter)
		} else {
			rest = append(rest, s)
		}
	}
	q.steps = append(rest, step{filter: Or(And(kept...), And(exprs...))})
	return q
}

// Annotate adds a computed value to each row: an aggregate (Count("book"))
// named by its alias, or Named("x", expression). Object results carry it
// in a struct field tagged `orm:"annotation"` with the same name; Values
// results carry it as a key.
func (q QuerySet) Annotate(items ...any) QuerySet {
	q = q.clone()
	exprs, err := named(items)
	if err != nil && q.err == nil {
		q.err = err
	}
	q.steps = append(q.steps, step{annotate: exprs})
	return q
}

// Values makes the query return the named fields (paths and annotations)
// instead of objects, through Maps or Tuples. Aggregates annotated after
// Values are computed per distinct combination of those fields.
func (q QuerySet) Values(fields ...string) QuerySet {
	q = q.clone()
	q.values = append([]string(nil), fields...)
	q.valuesAt = len(q.steps)
	return q
}

// Order is an ordering term: a field path or annotation, a direction and
// where NULLs go.
type Order struct {
	path  string
	desc  bool
	nulls int // 0 database default, 1 first, 2 last
}

// Asc orders by a path, ascending.
func Asc(path string) Order { return Order{path: path} }

// Desc orders by a path, descending.
func Desc(path string) Order { return Order{path: path, desc: true} }

// NullsFirst puts NULLs before other values.
func (o Order) NullsFirst() Order { o.nulls = 1; return o }

// NullsLast puts NULLs after other values.
func (o Order) NullsLast() Order { o.nulls = 2; return o }

func parseOrder(name string) Order {
	if strings.HasPrefix(name, "-") {
		return Desc(name[1:])
	}
	return Asc(name)
}

// OrderBy replaces the ordering; "-name" sorts descending, paths may cross
// relations and name annotations. With no names the result is unordered.
func (q QuerySet) OrderBy(names ...string) QuerySet {
	orders := make([]Order, len(names))
	for i, n := range names {
		orders[i] = parseOrder(n)
	}
	return q.OrderByTerms(orders...)
}

// OrderByTerms replaces the ordering with terms made by Asc and Desc, for
// control over where NULLs go.
func (q QuerySet) OrderByTerms(orders ...Order) QuerySet {
	q = q.clone()
	q.order, q.ordered = orders, true
	return q
}

// Ordered reports whether OrderBy (or OrderByTerms) set the ordering, as
// opposed to the model's default applying: Django's query.order_by.
func (q QuerySet) Ordered() bool { return q.ordered }

// Ordering returns the ordering names that will be used: OrderBy's, or the
// model's default.
func (q QuerySet) Ordering() []string {
	if !q.ordered {
		return q.model.Meta.Ordering
	}
	out := make([]string, len(q.order))
	for i, o := range q.order {
		out[i] = o.path
		if o.desc {
			out[i] = "-" + o.path
		}
	}
	return out
}

func (q QuerySet) orderTerms() []Order {
	if q.ordered {
		return q.order
	}
	out := make([]Order, len(q.model.Meta.Ordering))
	for i, n := range q.model.Meta.Ordering {
		out[i] = parseOrder(n)
	}
	return out
}

// Limit keeps at most n rows (n < 0 removes the limit).
func (q QuerySet) Limit(n int) QuerySet { q.limit = n; return q }

// Offset skips the first n rows.
func (q QuerySet) Offset(n int) QuerySet { q.offset = n; return q }

// Slice keeps rows [lo, hi), Python's qs[lo:hi].
func (q QuerySet) Slice(lo, hi int) QuerySet {
	q.offset = lo
	q.limit = max(hi-lo, 0)
	return q
}

// SelectRelated loads the objects behind the named foreign keys in the same
// query, with a join; paths may chain ("book__publisher").
func (q QuerySet) SelectRelated(paths ...string) QuerySet {
	q = q.clone()
	q.related = append(q.related, paths...)
	return q
}

// PrefetchRelated loads the objects of the named many-to-many fields with
// one extra query per field, whatever the number of rows.
func (q QuerySet) PrefetchRelated(fields ...string) QuerySet {
	q = q.clone()
	q.prefetch = append(q.prefetch, fields...)
	return q
}

// Distinct removes duplicate rows.
func (q QuerySet) Distinct() QuerySet { q.distinct = true; return q }

// hasAggregate reports whether any annotation aggregates.
func (q QuerySet) hasAggregate() bool {
	for _, s := range q.steps {
		for _, a := range s.annotate {
			if a.Expr.aggregate() {
				return true
			}
		}
	}
	return false
}

// NeedsDistinct reports whether the query's filters cross a multi-valued
// relation, so rows may repeat (the admin then adds Distinct).
func (q QuerySet) NeedsDistinct() (bool, error) {
	c := newCompiler(q.db, q.model)
	if _, err := q.compileBody(c); err != nil {
		return false, err
	}
	return c.usedMulti, nil
}

func (q QuerySet) errf(format string, args ...any) error {
	return fmt.Errorf("orm: %s: "+format, append([]any{q.model.Label()}, args...)...)
}
