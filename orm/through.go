package orm

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// Through names the join model of a many-to-many field, Django's
// Book.authors.through: the model of its through= option, or the model
// the orm makes for a join table of its own (AutoThrough). Registry.ModelOf
// takes it, so an admin inline can edit the pairs of a relation:
//
//	admin.Tabular(orm.Through{Model: &Book{}, Field: "authors"})
type Through struct {
	Model any    // a value or pointer of the model declaring the field
	Field string // the many-to-many field's name
}

// throughModelOf resolves a Through to its join model.
func (r *Registry) throughModelOf(t Through) (*Model, error) {
	m, err := r.ModelOf(t.Model)
	if err != nil {
		return nil, err
	}
	f := m.Field(t.Field)
	if f == nil || f.Kind != KindManyToMany {
		return nil, fmt.Errorf("orm: %s has no many-to-many field %q", m.Label(), t.Field)
	}
	switch {
	case f.ThroughModel != nil:
		return f.ThroughModel, nil
	case f.AutoThrough != nil:
		return f.AutoThrough, nil
	}
	return nil, fmt.Errorf("orm: %s.%s: the registry is not ready", m.Label(), t.Field)
}

// linkKey is a foreign key of an auto-created join model. Its target is
// set on the field when the model is made, not by a type parameter, since
// the orm makes those models at run time.
type linkKey struct {
	ID  any // the key as the target's key field normalizes it; nil for NULL
	obj any
}

func (linkKey) relatedType() reflect.Type { return nil }
func (linkKey) keyType() reflect.Type     { return nil }
func (k *linkKey) key() (any, bool)       { return k.ID, k.ID != nil }
func (k *linkKey) setKey(v any) error {
	if k.ID != v {
		k.obj = nil
	}
	k.ID = v
	return nil
}
func (k *linkKey) setObject(obj any) { k.obj = obj }
func (k *linkKey) object() any       { return k.obj }

var linkKeyType = reflect.TypeFor[linkKey]()

// makeAutoThrough makes the model of the join table of f, a many-to-many
// field of m without a through= model, as Django auto-creates one: named
// "<Model>_<field>" ("Book_authors"), in m's app, over f.Through, with an
// integer id and a foreign key to each end — "book" and "author", or
// "from_book" and "to_book" for a relation of a model to itself — whose
// reverse relations are hidden ("Book_authors+"), the pair unique
// together. It is not one of the app's models: migrate, dumpdata and the
// admin's index know the table through the field.
func (r *Registry) makeAutoThrough(m *Model, f *Field) (*Model, error) {
	name := m.Name + "_" + f.Name
	from, to := m.ModelName, f.Related.ModelName
	if f.Related == m {
		from, to = "from_"+from, "to_"+to
	}
	hidden := name + "+"
	key := func(goName, field, column string) reflect.StructField {
		return reflect.StructField{Name: goName, Type: linkKeyType,
			Tag: reflect.StructTag(`orm:"name=` + field + `,db_column=` + column + `,on_delete=cascade,related_name=` + hidden + `"`)}
	}
	// The table's name in a tag of a field the orm skips makes the type
	// distinct from that of any other join table with the same ends.
	typ := reflect.StructOf([]reflect.StructField{
		{Name: "ID", Type: reflect.TypeFor[int64]()},
		key("From", from, f.ThroughFrom),
		key("To", to, f.ThroughTo),
		{Name: "Table", Type: reflect.TypeFor[struct{}](), Tag: reflect.StructTag(`orm:"-" table:` + strconv.Quote(f.Through))},
	})
	tm := &Model{App: m.App, Name: name, ModelName: strings.ToLower(name), Table: f.Through, typ: typ,
		byName: map[string]*Field{}, AutoCreated: f}
	tm.VerboseName = from + "-" + to + " relationship" // Django's, from the model names
	tm.VerboseNamePlural = tm.VerboseName + "s"
	tm.Meta.UniqueTogether = [][]string{{from, to}}
	if err := tm.addFields(typ, nil); err != nil {
		return nil, err
	}
	if err := tm.collectColumns(); err != nil {
		return nil, err
	}
	if err := tm.applyMeta(); err != nil {
		return nil, err
	}
	for _, k := range tm.Fields[1:] {
		k.relatedType = m.typ
		if k.Name == to {
			k.relatedType = f.Related.typ
		}
		if err := r.resolveField(tm, k); err != nil {
			return nil, fieldError(tm, k.GoName, err)
		}
		k.setReverseNames()
	}
	r.byType[typ] = tm
	return tm, nil
}
