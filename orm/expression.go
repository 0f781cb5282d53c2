package orm

import (
	"fmt"
	"strings"
)

// Expression is a value computed by the database: a field reference (F),
// an aggregate (Count, Sum, ...) or arithmetic on them. Expressions can
// stand as lookup values, in Annotate and Aggregate, and in Update.
type Expression interface {
	// compile returns the SQL and the field describing the result.
	compile(c *compiler) (string, *Field, error)
	// aggregate reports whether the expression contains an aggregate.
	aggregate() bool
}

// F refers to a field of the row by path, as Django's F(): Q{"rating__gt":
// F("pages")}, or Update(ctx, map[string]any{"pages": F("pages").Add(1)}).
type F string

func (f F) compile(c *compiler) (string, *Field, error) {
	t, err := c.resolve(string(f))
	if err != nil {
		return "", nil, err
	}
	if t.lookup != "" || len(t.transforms) > 0 {
		col, field, err := c.transform(t)
		if err != nil {
			return "", nil, err
		}
		if t.lookup != "" {
			return "", nil, &FieldError{Model: c.root.Name, Path: string(f), Msg: "an F expression names a field, not a lookup"}
		}
		return col, field, nil
	}
	return t.col, t.field, nil
}

func (F) aggregate() bool { return false }

// Add returns f + other (a value or an expression).
func (f F) Add(other any) Expression { return arith{f, "+", other} }

// Sub returns f - other.
func (f F) Sub(other any) Expression { return arith{f, "-", other} }

// Mul returns f * other.
func (f F) Mul(other any) Expression { return arith{f, "*", other} }

// Div returns f / other.
func (f F) Div(other any) Expression { return arith{f, "/", other} }

// arith is an arithmetic combination of two operands.
type arith struct {
	left  Expression
	op    string
	right any // an Expression or a plain value
}

func (a arith) compile(c *compiler) (string, *Field, error) {
	l, lf, err := a.left.compile(c)
	if err != nil {
		return "", nil, err
	}
	var r string
	rf := lf
	if e, ok := a.right.(Expression); ok {
		if r, rf, err = e.compile(c); err != nil {
			return "", nil, err
		}
	} else {
		v, err := numericParam(lf, a.right)
		if err != nil {
			return "", nil, err
		}
		r = c.param(v)
	}
	return "(" + l + " " + a.op + " " + r + ")", combineKinds(lf, rf), nil
}

func (a arith) aggregate() bool {
	if e, ok := a.right.(Expression); ok && e.aggregate() {
		return true
	}
	return a.left.aggregate()
}

// numericParam converts a plain operand for arithmetic with a field.
func numericParam(f *Field, v any) (any, error) {
	switch x := v.(type) {
	case float64, float32:
		return x, nil
	}
	if n, ok := toInt64(v); ok {
		return n, nil
	}
	if f != nil {
		n, err := f.normalize(v)
		if err != nil {
			return nil, err
		}
		return n, nil
	}
	return nil, fmt.Errorf("orm: %v (%T) is not a number", v, v)
}

// combineKinds is the result field of arithmetic: float when either side
// is a float, else decimal when either is, else the left side's.
func combineKinds(l, r *Field) *Field {
	switch {
	case l == nil:
		return r
	case r == nil:
		return l
	case l.Kind == KindFloat || r.Kind == KindFloat:
		return &Field{Name: "value", Kind: KindFloat}
	case l.Kind == KindDecimal:
		return l
	case r.Kind == KindDecimal:
		return r
	}
	return l
}

// Aggregate is Count, Sum, Avg, Min or Max over a field path, optionally
// distinct or filtered, with an alias.
type Aggregate struct {
	fn       string // COUNT, SUM, AVG, MIN, MAX
	path     string
	alias    string
	distinct bool
	filter   Expr
}

// AggregateOption adjusts an aggregate.
type AggregateOption func(*Aggregate)

// Distinct counts or sums each distinct value once.
func Distinct() AggregateOption { return func(a *Aggregate) { a.distinct = true } }

// Where limits the rows an aggregate considers, Django's filter=Q(...).
func Where(e Expr) AggregateOption { return func(a *Aggregate) { a.filter = e } }

func newAggregate(fn, path string, opts []AggregateOption) *Aggregate {
	a := &Aggregate{fn: fn, path: path}
	for _, o := range opts {
		o(a)
	}
	return a
}

// Count counts the non-null values of a path ("book", "authors", "pk").
func Count(path string, opts ...AggregateOption) *Aggregate { return newAggregate("COUNT", path, opts) }

// Sum adds the values of a path.
func Sum(path string, opts ...AggregateOption) *Aggregate { return newAggregate("SUM", path, opts) }

// Avg averages the values of a path.
func Avg(path string, opts ...AggregateOption) *Aggregate { return newAggregate("AVG", path, opts) }

// Min is the smallest value of a path.
func Min(path string, opts ...AggregateOption) *Aggregate { return newAggregate("MIN", path, opts) }

// Max is the largest value of a path.
func Max(path string, opts ...AggregateOption) *Aggregate { return newAggregate("MAX", path, opts) }

// As names the aggregate's result; the default is "<path>__<function>",
// e.g. "price__avg".
func (a *Aggregate) As(alias string) *Aggregate {
	b := *a
	b.alias = alias
	return &b
}

// Alias returns the result's name.
func (a *Aggregate) Alias() string {
	if a.alias != "" {
		return a.alias
	}
	return a.path + "__" + strings.ToLower(a.fn)
}

// Sub returns a - other, for expressions such as Max("price") - Avg("price").
func (a *Aggregate) Sub(other Expression) Expression { return arith{a, "-", other} }

// Add returns a + other.
func (a *Aggregate) Add(other Expression) Expression { return arith{a, "+", other} }

func (*Aggregate) aggregate() bool { return true }

func (a *Aggregate) compile(c *compiler) (string, *Field, error) {
	prev := c.reuseAny
	c.reuseAny = true
	defer func() { c.reuseAny = prev }()
	t, err := c.resolve(a.path)
	if err != nil {
		return "", nil, err
	}
	if t.lookup != "" {
		return "", nil, &FieldError{Model: c.root.Name, Path: a.path, Msg: "an aggregate takes a field path, not a lookup"}
	}
	col, field, err := c.transform(t)
	if err != nil {
		return "", nil, err
	}
	if t.annotation != nil && t.annotation.aggregate {
		return "", nil, &FieldError{Model: c.root.Name, Path: a.path, Msg: "cannot aggregate an aggregate annotation inside the same query; use Aggregate on the annotated query"}
	}
	if a.filter != nil {
		cond, err := a.filter.build(c)
		if err != nil {
			return "", nil, err
		}
		col = "CASE WHEN " + cond + " THEN " + col + " ELSE NULL END"
	}
	if a.distinct {
		col = "DISTINCT " + col
	}
	return a.fn + "(" + col + ")", aggregateField(a.fn, field), nil
}

// aggregateField is the field describing an aggregate's result.
func aggregateField(fn string, src *Field) *Field {
	switch fn {
	case "COUNT":
		return &Field{Name: "count", Kind: KindBigInteger}
	case "AVG":
		if src.Kind == KindDecimal {
			return &Field{Name: "avg", Kind: KindDecimal, Places: src.Places, MaxDigits: src.MaxDigits}
		}
		return &Field{Name: "avg", Kind: KindFloat}
	case "SUM":
		if src.Kind.IsInteger() || src.IsForeignKey() {
			return &Field{Name: "sum", Kind: KindBigInteger}
		}
	}
	if src.IsForeignKey() || src.IsAuto() {
		return &Field{Name: fn, Kind: KindBigInteger}
	}
	return src
}

// annotation is a named expression added to each row.
type annotation struct {
	name      string
	sql       string
	field     *Field
	aggregate bool
}

// Named gives any expression a name for Annotate or Aggregate.
func Named(name string, e Expression) NamedExpression { return NamedExpression{name, e} }

// NamedExpression is an expression with a name.
type NamedExpression struct {
	Name string
	Expr Expression
}

// named turns Annotate/Aggregate arguments into named expressions.
func named(items []any) ([]NamedExpression, error) {
	out := make([]NamedExpression, 0, len(items))
	for _, it := range items {
		switch x := it.(type) {
		case *Aggregate:
			out = append(out, NamedExpression{x.Alias(), x})
		case NamedExpression:
			out = append(out, x)
		default:
			return nil, fmt.Errorf("orm: annotate: %v (%T) is not an aggregate or a Named expression", it, it)
		}
	}
	return out, nil
}
