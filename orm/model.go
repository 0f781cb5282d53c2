package orm

import (
	"fmt"
	"reflect"
)

// Model describes one registered struct type.
type Model struct {
	App       *App
	Name      string // the Go type name, Django's object_name: "Book"
	ModelName string // lower-cased Name: "book"
	Table     string
	Fields    []*Field // in struct order, many-to-many included; a multi-table child's own (see AllFields)
	PK        *Field
	Meta      Meta

	VerboseName       string
	VerboseNamePlural string

	// Related lists the relation fields of models (this one included) that
	// point at this one — foreign keys, one-to-ones and many-to-manys —
	// known once the registry is ready. Each is a reverse relation of this
	// model; RelatedByName finds one by its query name.
	Related []*Field

	// AutoCreated is, for the join model the orm makes for a many-to-many
	// field without a through= model (Django's auto_created), that field;
	// nil for a registered model. Such a model is not one of its app's
	// Models.
	AutoCreated *Field

	// ProxyFor is, for a proxy model (Meta.Proxy), the model it proxies,
	// Django's _meta.proxy_for_model; nil for other models.
	ProxyFor *Model

	typ         reflect.Type
	byName      map[string]*Field
	parentLink  *Field   // the link to the parent of a multi-table child
	inherited   []*Field // the fields a multi-table child takes from its parents
	columns     []*Field // concrete fields in order, the SELECT list
	absoluteURL bool
}

// Type returns the struct type the model describes.
func (m *Model) Type() reflect.Type { return m.typ }

// Label returns "app_label.ModelName", as Django's model._meta.label.
func (m *Model) Label() string { return m.App.Label + "." + m.Name }

// Field returns the field with the given Django name ("pub_date"), or nil.
// "pk" names the primary key. On a multi-table child it finds the
// parents' fields too, as Django's get_field does.
func (m *Model) Field(name string) *Field {
	if name == "pk" {
		return m.PK
	}
	return m.byName[name]
}

// RelatedByName returns the reverse relation of this model whose query
// name is name — the field of another model (or this one) that points
// here, so that Q{"<name>__<field>": v} on this model follows it back —
// or nil. The query name is the field's related_query_name, else its
// related_name, else the lower-case name of its model: Book.publisher is
// "book" on Publisher, or "books" with related_name=books. Hidden reverse
// relations (related_name ending in "+") have none.
func (m *Model) RelatedByName(name string) *Field {
	for _, f := range m.Related {
		if f.RelatedQueryName == name && !f.ReverseHidden() {
			return f
		}
	}
	return nil
}

// ConcreteFields returns the fields that have a column, in order.
func (m *Model) ConcreteFields() []*Field { return m.columns }

// New returns a pointer to a new instance with field defaults applied:
// the tag's default, or the value of the Meta.Defaults function, called
// anew for each instance; a multi-table child's parent fields get theirs.
func (m *Model) New() any {
	v := reflect.New(m.typ)
	for _, f := range m.AllFields() {
		if val, ok := f.DefaultValue(); ok {
			_ = f.Set(v.Interface(), val)
		}
	}
	return v.Interface()
}

// PKValue returns the primary key of obj, a pointer to the model's struct.
func (m *Model) PKValue(obj any) any { return m.PK.Get(obj) }

// String returns str(obj): its String method when it has one, otherwise
// "<Name> object (<pk>)" as Django does.
func (m *Model) String(obj any) string {
	if s, ok := obj.(fmt.Stringer); ok {
		return s.String()
	}
	return fmt.Sprintf("%s object (%v)", m.Name, m.PKValue(obj))
}

// absoluteURLer is implemented by models with Django's get_absolute_url.
type absoluteURLer interface{ AbsoluteURL() string }

var absoluteURLerType = reflect.TypeFor[absoluteURLer]()

// HasAbsoluteURL reports whether the model's struct has an AbsoluteURL()
// string method, Django's get_absolute_url; the admin then links "View on
// site".
func (m *Model) HasAbsoluteURL() bool { return m.absoluteURL }

// AbsoluteURL returns obj's AbsoluteURL(), or "" when the model has none.
func (m *Model) AbsoluteURL(obj any) string {
	if u, ok := obj.(absoluteURLer); ok {
		return u.AbsoluteURL()
	}
	return ""
}

func (m *Model) structValue(obj any) (reflect.Value, error) {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Type() != m.typ {
		return reflect.Value{}, fmt.Errorf("orm: %s: want *%s, got %T", m.Label(), m.typ, obj)
	}
	return v.Elem(), nil
}
