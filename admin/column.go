package admin

import (
	"fmt"
	"reflect"

	"github.com/staffroom/staffroom/orm"
)

// Col is a computed change-list column, made by Column.
type Col struct {
	header  string
	fn      reflect.Value
	order   string
	boolean bool
	empty   string
}

// ColumnOption adjusts a Col.
type ColumnOption func(*Col)

// Column declares a computed change-list column, Django's list_display
// callable with @admin.display: header is the column title, fn a function
// of a pointer to the model, e.g. func(b *Book) string.
func Column(header string, fn any, opts ...ColumnOption) *Col {
	c := &Col{header: header, fn: reflect.ValueOf(fn)}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Ordering makes a column sortable by a field path (Django's
// admin_order_field); a leading "-" reverses it.
func Ordering(path string) ColumnOption { return func(c *Col) { c.order = path } }

// Boolean shows the column's value as a yes/no icon.
func Boolean() ColumnOption { return func(c *Col) { c.boolean = true } }

// EmptyValue sets what the column shows for empty values (default "-").
func EmptyValue(s string) ColumnOption { return func(c *Col) { c.empty = s } }

// column is a resolved ListDisplay entry.
type column struct {
	name    string // the ListDisplay name; the header for a Col
	header  string
	field   *orm.Field
	method  reflect.Value // a method of *Model taking no arguments, or a Col's fn
	order   string        // field path to sort by; "" when not sortable
	boolean bool
	empty   string
}

func (a *ModelAdmin) buildColumns() ([]*column, error) {
	items := a.ListDisplay
	if len(items) == 0 {
		items = []any{"__str__"}
	}
	var cols []*column
	for _, item := range items {
		c, err := a.resolveColumn(item)
		if err != nil {
			return nil, fmt.Errorf("ListDisplay: %w", err)
		}
		if c.empty == "" {
			c.empty = emptyValueDisplay
		}
		cols = append(cols, c)
	}
	return cols, nil
}

func (a *ModelAdmin) resolveColumn(item any) (*column, error) {
	m := a.model
	switch x := item.(type) {
	case *Col:
		ft := x.fn.Type()
		if x.fn.Kind() != reflect.Func || ft.NumIn() != 1 || ft.In(0) != reflect.PointerTo(m.Type()) || ft.NumOut() != 1 {
			return nil, fmt.Errorf("column %q: want a func(*%s) V, got %s", x.header, m.Name, ft)
		}
		if x.order != "" {
			if _, _, err := a.site.db.Query(m).OrderBy(x.order).SQL(); err != nil {
				return nil, fmt.Errorf("column %q: ordering: %w", x.header, err)
			}
		}
		return &column{name: x.header, header: x.header, method: x.fn, order: x.order, boolean: x.boolean, empty: x.empty}, nil
	case string:
		if x == "__str__" {
			return &column{name: x, header: orm.Capfirst(m.VerboseName)}, nil
		}
		if f := m.Field(x); f != nil {
			if f.Kind == orm.KindManyToMany {
				return nil, fmt.Errorf("%q is a many-to-many field, which a column cannot show", x)
			}
			return &column{name: x, header: f.Label(), field: f, order: x, boolean: f.Kind == orm.KindBoolean}, nil
		}
		if meth, ok := modelMethod(m, x); ok {
			boolean := meth.Type.Out(0).Kind() == reflect.Bool
			return &column{name: x, header: prettyName(x), method: meth.Func, boolean: boolean}, nil
		}
		return nil, fmt.Errorf("%q is neither a field of %s nor a method of *%s taking no arguments", x, m.Name, m.Name)
	}
	return nil, fmt.Errorf("unsupported entry %v (%T): want a field name, a method name or admin.Column", item, item)
}

// modelMethod finds the method of *Model whose snake_case name is name and
// which takes no arguments and returns one value.
func modelMethod(m *orm.Model, name string) (reflect.Method, bool) {
	pt := reflect.PointerTo(m.Type())
	for i := 0; i < pt.NumMethod(); i++ {
		meth := pt.Method(i)
		if orm.SnakeCase(meth.Name) == name && meth.Type.NumIn() == 1 && meth.Type.NumOut() == 1 {
			return meth, true
		}
	}
	return reflect.Method{}, false
}

// cell is a rendered change-list value.
type cell struct {
	Text    string
	Boolean *bool // set for yes/no columns
	Link    string
	Class   string
	IsTH    bool
}

// value renders the column for obj.
func (c *column) value(m *orm.Model, obj any) cell {
	out := cell{Class: "field-" + cssName(c.name)}
	var v any
	switch {
	case c.name == "__str__":
		out.Text = m.String(obj)
		return out
	case c.field != nil && c.field.IsForeignKey():
		out.Text = relatedString(c.field, obj, c.empty)
		return out
	case c.field != nil:
		v = c.field.Get(obj)
		if !c.boolean {
			out.Text = displayValue(c.field, v)
			if out.Text == emptyValueDisplay {
				out.Text = c.empty
			}
			return out
		}
	default:
		v = c.method.Call([]reflect.Value{reflect.ValueOf(obj)})[0].Interface()
	}
	if c.boolean {
		if b, ok := v.(bool); ok {
			out.Boolean = &b
			return out
		}
		if v == nil {
			return out // unknown
		}
	}
	if v == nil || v == "" {
		out.Text = c.empty
		return out
	}
	if s, ok := v.(fmt.Stringer); ok {
		out.Text = s.String()
	} else {
		out.Text = fmt.Sprint(v)
	}
	return out
}

// relatedString shows a foreign key as its related object's string, which
// the change list's query loaded with a join.
func relatedString(f *orm.Field, obj any, empty string) string {
	if rel := f.RelatedObject(obj); rel != nil {
		return f.Related.String(rel)
	}
	if id := f.Get(obj); id != int64(0) {
		return fmt.Sprint(id)
	}
	return empty
}

func cssName(s string) string {
	b := []byte(s)
	for i, c := range b {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			b[i] = '-'
		}
	}
	return string(b)
}
