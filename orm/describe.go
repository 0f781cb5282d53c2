package orm

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
)

// describe reflects a struct type into a Model; relations are resolved later
// by the registry. Every problem is reported naming the model and, when
// it is one field's, the field.
func describe(app *App, typ reflect.Type, models map[reflect.Type]*Model) (*Model, error) {
	if typ == nil {
		return nil, fmt.Errorf("orm: register %s: a model must be a struct, got nil", app.Label)
	}
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct || typ.Name() == "" {
		return nil, fmt.Errorf("orm: register %s: a model must be a named struct, got %s", app.Label, typ)
	}
	m := &Model{App: app, Name: typ.Name(), ModelName: strings.ToLower(typ.Name()), typ: typ, byName: map[string]*Field{}}
	if err := m.findParent(models); err != nil {
		return nil, err
	}
	meta, err := readMeta(typ)
	if err != nil {
		return nil, m.errorf("%w", err)
	}
	if m.parentLink != nil {
		meta = childMeta(meta, m.parentLink.parentModel)
	}
	m.Meta = meta
	m.setNames()
	if err := m.addFields(typ, nil); err != nil {
		return nil, err
	}
	if m.PK == nil {
		return nil, m.errorf("no primary key: add an ID int64 field or tag one field primary_key")
	}
	if err := m.collectColumns(); err != nil {
		return nil, err
	}
	m.absoluteURL = reflect.PointerTo(typ).Implements(absoluteURLerType)
	if err := m.applyMeta(); err != nil {
		return nil, err
	}
	// After Meta: its options are the child's own table's, which the
	// parent's fields are not in (Django's models.E016).
	if err := m.inherit(); err != nil {
		return nil, err
	}
	for _, f := range m.Fields {
		if f.OnDelete == SetDefault && !f.HasDefault {
			return nil, m.fieldErrorf(f, "on_delete=set_default needs a default (a default tag or Meta.Defaults)")
		}
	}
	return m, nil
}

// setNames fills the table and verbose names from Meta or their defaults.
func (m *Model) setNames() {
	m.Table = m.Meta.Table
	if m.Table == "" {
		m.Table = m.App.Label + "_" + m.ModelName
	}
	m.VerboseName = m.Meta.VerboseName
	if m.VerboseName == "" {
		m.VerboseName = VerboseName(m.Name)
	}
	m.VerboseNamePlural = m.Meta.VerboseNamePlural
	if m.VerboseNamePlural == "" {
		m.VerboseNamePlural = m.VerboseName + "s"
	}
}

// addFields adds the exported fields of typ, flattening embedded structs
// without an orm tag (abstract bases).
func (m *Model) addFields(typ reflect.Type, prefix []int) error {
	for i := 0; i < typ.NumField(); i++ {
		sf := typ.Field(i)
		index := append(append([]int(nil), prefix...), i)
		raw, hasTag := sf.Tag.Lookup("orm")
		if raw == "-" || !sf.IsExported() {
			continue
		}
		if m.parentLink != nil && slices.Equal(index, m.parentLink.embed) {
			m.byName[m.parentLink.Name] = m.parentLink
			m.Fields = append(m.Fields, m.parentLink)
			m.PK = m.parentLink
			continue
		}
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && !hasTag && sf.Type != genericType {
			if err := m.addFields(sf.Type, index); err != nil {
				return err
			}
			continue
		}
		f, err := m.describeField(sf, raw, index)
		if err != nil {
			return fieldError(m, sf.Name, err)
		}
		if m.byName[f.Name] != nil {
			return fieldError(m, sf.Name, fmt.Errorf("name %q is used twice", f.Name))
		}
		m.byName[f.Name] = f
		m.Fields = append(m.Fields, f)
		if f.PrimaryKey {
			if m.PK != nil {
				return m.errorf("two primary keys (%s and %s)", m.PK.GoName, f.GoName)
			}
			m.PK = f
		}
	}
	return nil
}

// collectColumns lists the concrete fields and checks no two share a
// column.
func (m *Model) collectColumns() error {
	seen := map[string]*Field{}
	for _, f := range m.Fields {
		if !f.Concrete() {
			continue
		}
		if other := seen[f.Column]; other != nil {
			return m.fieldErrorf(f, "column %q is also the column of %s", f.Column, other.GoName)
		}
		seen[f.Column] = f
		m.columns = append(m.columns, f)
	}
	return nil
}

func (m *Model) describeField(sf reflect.StructField, raw string, index []int) (*Field, error) {
	t, err := parseTag(raw)
	if err != nil {
		return nil, err
	}
	f := &Field{Model: m, GoName: sf.Name, Name: SnakeCase(sf.Name), index: index, goType: sf.Type, Editable: true}
	if n, ok := t["name"]; ok {
		f.Name = n
	}
	typ := sf.Type
	if typ.Kind() == reflect.Pointer {
		f.ptr, f.Null = true, true
		typ = typ.Elem()
	}
	if _, ok := t["annotation"]; ok {
		// A field that only receives an annotation: no column, never edited.
		if len(t) > 1 {
			return nil, fmt.Errorf("an annotation field takes no other options")
		}
		f.Kind, f.Editable = KindAnnotation, false
		return f, nil
	}
	if err := f.setKind(typ, t["type"]); err != nil {
		return nil, err
	}
	if err := f.checkOptions(t); err != nil {
		return nil, err
	}
	if err := f.applyOptions(t); err != nil {
		return nil, err
	}
	if err := f.finish(); err != nil {
		return nil, err
	}
	return f, nil
}
