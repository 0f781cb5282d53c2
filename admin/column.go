package admin

import (
	"fmt"
	"html/template"
	"reflect"
	"time"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// Col is a change-list column with display options, made by Column (a
// function's column) or Display (a field's or a method's).
type Col struct {
	header  string
	name    string // Display's field or method name; "" for Column
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

// Display gives a ListDisplay entry — a field, or a method of the model or
// of the admin, named as in ListDisplay — Django's @admin.display options:
// Description, Ordering, Boolean, EmptyValue. The column is still named
// name (for ListDisplayLinks, SortableBy and its CSS class).
func Display(name string, opts ...ColumnOption) *Col {
	c := &Col{name: name}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Description sets a column's header (Django's display description).
func Description(header string) ColumnOption { return func(c *Col) { c.header = header } }

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
	col     *Col   // the Col it was made from, if any
	class   string // its cells' class, field-<name>
}

// columnName is the name of a ListDisplay entry: the field or method
// name, or a Col's header.
func columnName(item any) string {
	switch x := item.(type) {
	case *Col:
		if x.name != "" {
			return x.name
		}
		return x.header
	case string:
		return x
	}
	return fmt.Sprint(item)
}

// resolveColumns resolves ListDisplay entries, from the cache filled at
// Register when they are the options' own.
func (a *ModelAdmin) resolveColumns(items []any) ([]*column, error) {
	cols := make([]*column, len(items))
	for i, item := range items {
		if c, ok := a.cols[columnName(item)]; ok && (c.col == nil || c.col == item) {
			cols[i] = c
			continue
		}
		c, err := a.resolveColumn(item)
		if err != nil {
			return nil, fmt.Errorf("ListDisplay: %w", err)
		}
		cols[i] = c
	}
	return cols, nil
}

func (a *ModelAdmin) resolveColumn(item any) (*column, error) {
	c, err := a.resolveColumnKind(item)
	if err != nil {
		return nil, err
	}
	if c.empty == "" {
		c.empty = a.emptyValue()
	}
	c.class = "field-" + cssName(c.name)
	return c, nil
}

func (a *ModelAdmin) resolveColumnKind(item any) (*column, error) {
	m := a.model
	switch x := item.(type) {
	case *Col:
		if x.name != "" {
			return a.displayColumn(x)
		}
		ft := x.fn.Type()
		if x.fn.Kind() != reflect.Func || ft.NumIn() != 1 || ft.In(0) != reflect.PointerTo(m.Type()) || ft.NumOut() != 1 {
			return nil, fmt.Errorf("column %q: want a func(*%s) V, got %s", x.header, m.Name, ft)
		}
		if x.order != "" {
			if _, _, err := a.site.db.Query(m).OrderBy(x.order).SQL(); err != nil {
				return nil, fmt.Errorf("column %q: ordering: %w", x.header, err)
			}
		}
		return &column{name: x.header, header: x.header, method: x.fn, order: x.order, boolean: x.boolean, empty: x.empty, col: x}, nil
	case string:
		if x == "__str__" {
			return &column{name: x, header: orm.Capfirst(m.VerboseName)}, nil
		}
		if f := m.Field(x); f != nil {
			if f.Kind == orm.KindManyToMany {
				return nil, fmt.Errorf("%q is a many-to-many field, which a column cannot show", x)
			}
			if f.Kind == orm.KindGenericRelation {
				return nil, fmt.Errorf("%q is a generic relation, which a column cannot show", x)
			}
			return &column{name: x, header: f.Label(), field: f, order: x, boolean: f.Kind == orm.KindBoolean}, nil
		}
		if fn, out, ok := adminMethod(a.self, m, x); ok {
			return &column{name: x, header: prettyName(x), method: fn, boolean: out.Kind() == reflect.Bool}, nil
		}
		if meth, ok := modelMethod(m, x); ok {
			boolean := meth.Type.Out(0).Kind() == reflect.Bool
			return &column{name: x, header: prettyName(x), method: meth.Func, boolean: boolean}, nil
		}
		return nil, fmt.Errorf("%q is neither a field of %s, a method of the admin taking the object, nor a method of *%s taking no arguments", x, m.Name, m.Name)
	}
	return nil, fmt.Errorf("unsupported entry %v (%T): want a field name, a method name or admin.Column", item, item)
}

// displayColumn resolves a Display entry: its name as a plain entry, then
// its options over the defaults.
func (a *ModelAdmin) displayColumn(x *Col) (*column, error) {
	c, err := a.resolveColumnKind(x.name)
	if err != nil {
		return nil, err
	}
	c.col = x
	if x.header != "" {
		c.header = x.header
	}
	if x.order != "" {
		if _, _, err := a.site.db.Query(a.model).OrderBy(x.order).SQL(); err != nil {
			return nil, fmt.Errorf("column %q: ordering: %w", x.name, err)
		}
		c.order = x.order
	}
	c.boolean = c.boolean || x.boolean
	if x.empty != "" {
		c.empty = x.empty
	}
	return c, nil
}

// adminMethod finds the method of the registered admin whose snake_case
// name is name and which takes the object (as *Model or any) and returns
// one value, Django's ModelAdmin method in list_display or
// readonly_fields; it returns a function of the object.
func adminMethod(self any, m *orm.Model, name string) (reflect.Value, reflect.Type, bool) {
	v := reflect.ValueOf(self)
	t := v.Type()
	for i := 0; i < t.NumMethod(); i++ {
		meth := t.Method(i)
		if orm.SnakeCase(meth.Name) != name {
			continue
		}
		mt := meth.Type // includes the receiver
		if mt.NumIn() != 2 || mt.NumOut() != 1 {
			continue
		}
		if in := mt.In(1); in != reflect.PointerTo(m.Type()) && in != reflect.TypeFor[any]() {
			continue
		}
		bound := v.Method(i)
		fn := reflect.MakeFunc(reflect.FuncOf([]reflect.Type{reflect.PointerTo(m.Type())}, []reflect.Type{mt.Out(0)}, false),
			func(args []reflect.Value) []reflect.Value {
				arg := args[0]
				if bound.Type().In(0) != arg.Type() {
					arg = arg.Convert(bound.Type().In(0))
				}
				return bound.Call([]reflect.Value{arg})
			})
		return fn, mt.Out(0), true
	}
	return reflect.Value{}, nil, false
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

// cell is a rendered change-list value. Its class is its column's and
// its link its row's (see writeRows): a page holds hundreds of cells.
type cell struct {
	Text string
	HTML template.HTML // what a method returning template.HTML gave
	Bool yesNo         // a yes/no column's value
	Link bool          // whether the cell links to the row's object
}

// yesNo is a yes/no column's value: notYesNo for another column's cell.
type yesNo uint8

const (
	notYesNo yesNo = iota
	cellYes
	cellNo
	cellUnknown // neither yes nor no (nil)
)

func yesNoOf(b bool) yesNo {
	if b {
		return cellYes
	}
	return cellNo
}

// value renders the column for obj, date-times on loc's clocks.
func (c *column) value(m *orm.Model, obj any, loc *time.Location) cell {
	var out cell
	var v any
	switch {
	case c.name == "__str__":
		out.Text = m.String(obj)
		return out
	case c.field != nil && c.field.IsForeignKey():
		out.Text = relatedString(c.field, obj, c.empty)
		return out
	case c.field != nil && !c.boolean:
		text, ok := "", false
		if rv, plain := c.field.Value(obj); plain {
			text, ok = form.DisplayValueIn(c.field, rv, loc) // without boxing the value
		}
		if !ok {
			text = displayValue(c.field, c.field.Get(obj), loc)
		}
		if text == emptyValueDisplay && c.empty != "" {
			text = c.empty
		}
		out.Text = text
		return out
	case c.field != nil:
		v = c.field.Get(obj)
	default:
		v = c.method.Call([]reflect.Value{reflect.ValueOf(obj)})[0].Interface()
	}
	if c.boolean {
		switch b := v.(type) {
		case bool:
			out.Bool = yesNoOf(b)
			return out
		case *bool:
			if b != nil {
				out.Bool = yesNoOf(*b)
			} else {
				out.Bool = cellUnknown
			}
			return out
		case nil:
			out.Bool = cellUnknown
			return out
		}
	}
	if v == nil || v == "" {
		out.Text = c.empty
		return out
	}
	if h, ok := v.(template.HTML); ok {
		out.HTML = h
		return out
	}
	// A computed instant shows as Django's display_for_value shows a
	// datetime: on the site's (or the request's) clocks, in its format.
	switch t := v.(type) {
	case time.Time:
		out.Text = form.FormatDateTimeIn(t, loc)
		return out
	case *time.Time:
		if t == nil {
			out.Text = c.empty
		} else {
			out.Text = form.FormatDateTimeIn(*t, loc)
		}
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
	if id := f.Get(obj); !f.IsNullKey(id) {
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
