package orm

import (
	"fmt"
	"reflect"
	"strings"
)

// Meta holds a model's options, Django's "class Meta". A model declares them
// with a method on its struct: func (Book) Meta() orm.Meta.
//
// A struct embedded without an orm tag is an abstract base: its fields
// become the model's. Its Meta method, if it has one, is promoted by Go to
// the models that declare none, which is Django's inheritance of an
// abstract base's Meta. A model that declares its own Meta replaces the
// base's; it starts from it by calling it:
//
//	func (b Book) Meta() orm.Meta { m := b.Base.Meta(); m.Ordering = []string{"name"}; return m }
//
// The options that hold functions or query conditions, which a struct tag
// cannot, are maps keyed by field name (Django's snake_case name).
type Meta struct {
	Table             string     // default "<app_label>_<model_name>"
	Ordering          []string   // default ordering, e.g. {"-pubdate", "name"}
	VerboseName       string     // default from the type name: "PlotDetails" → "plot details"
	VerboseNamePlural string     // default VerboseName + "s"
	UniqueTogether    [][]string // sets of field names that are unique together
	// IndexTogether lists sets of fields indexed together, Django's
	// index_together (deprecated in Django 4.2, kept by projects made
	// before): each index is named "<table>_<columns>_<hash>_idx", as
	// Django names them, longer than Meta.Indexes' names may be.
	IndexTogether [][]string
	// Constraints are unique constraints over some rows, Django's
	// UniqueConstraint with a condition: a partial unique index.
	Constraints []UniqueConstraint
	Indexes     []Index // extra indexes, created by Migrate

	// Defaults gives fields a default computed when needed, such as
	// time.Now or uuid.New; a field has a default in its tag or here.
	Defaults map[string]func() any
	// Validators adds checks that Field.Validate runs after the field's
	// own. A validator returns nil, or an error whose text is shown.
	Validators map[string][]func(any) error
	// LimitChoicesTo narrows the objects a form offers for a relation
	// field, Django's limit_choices_to: {"publisher": orm.Q{"active": true}}.
	LimitChoicesTo map[string]Q
	// Choices gives fields their choices in Go rather than in the tag,
	// for values or labels that hold the tag's separators.
	Choices map[string][]Choice
	// NaturalKey lists the field paths whose values, in order, identify a
	// row without its primary key, e.g. {"codename",
	// "content_type__app_label", "content_type__model"}: fixtures name rows
	// of the model this way (Django's natural_key and get_by_natural_key).
	NaturalKey []string
	// Proxy makes the model a proxy of the registered model its struct
	// embeds: the same table and fields, its own name, content type and
	// permissions, no table of its own (see ConcreteModel).
	Proxy bool
	// DefaultFilter narrows every query of a proxy model, Django's custom
	// default manager: DB.Query (and so lists, counts, Get and GetByPK)
	// applies the condition it returns, calling it anew for each query;
	// DB.BaseQuery does not.
	DefaultFilter func() Expr
}

// Index is an index on some of a model's fields, Django's models.Index.
type Index struct {
	Fields []string // field names; "-name" sorts that column descending
	// Name is the index name; when empty it is Django's generated name,
	// "<table[:11]>_<column[:7]>_<hash>_idx".
	Name   string
	Unique bool
}

// UniqueConstraint makes Fields unique together among the rows Condition
// keeps, Django's UniqueConstraint(fields=..., name=..., condition=Q(...)):
// Migrate makes it a partial unique index, "CREATE UNIQUE INDEX name ON
// table (columns) WHERE condition", on SQLite and PostgreSQL; MySQL has no
// partial indexes, and Django leaves such a constraint out there too. The
// condition compares fields of the model with constant values — exact, in,
// isnull, gt, gte, lt, lte of strings, integers and booleans — written into
// the index's SQL. A constraint without a condition is refused: use
// UniqueTogether.
type UniqueConstraint struct {
	Name      string
	Fields    []string
	Condition Q
}

// metaer is implemented by models that declare options.
type metaer interface{ Meta() Meta }

var metaerType = reflect.TypeFor[metaer]()

// readMeta calls the struct's Meta method. When the struct has none
// because two embedded bases each declare one, Go promotes neither, so
// that is reported rather than silently ignored.
func readMeta(typ reflect.Type) (Meta, error) {
	if mt, ok := reflect.New(typ).Interface().(metaer); ok {
		return mt.Meta(), nil
	}
	var bases []string
	for i := 0; i < typ.NumField(); i++ {
		sf := typ.Field(i)
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && reflect.PointerTo(sf.Type).Implements(metaerType) {
			bases = append(bases, sf.Type.Name())
		}
	}
	if len(bases) > 1 {
		return Meta{}, fmt.Errorf("embedded %s each declare Meta: declare Meta on %s to choose", strings.Join(bases, " and "), typ.Name())
	}
	return Meta{}, nil
}

// applyMeta checks the options that name fields and gives the fields what
// Meta holds for them.
func (m *Model) applyMeta() error {
	for option, sets := range map[string][][]string{"unique_together": m.Meta.UniqueTogether, "index_together": m.Meta.IndexTogether} {
		for _, set := range sets {
			for _, name := range set {
				if f := m.byName[name]; f == nil || !f.Concrete() {
					return m.errorf("%s names %q, which is not a concrete field", option, name)
				}
			}
		}
	}
	if err := m.checkIndexes(); err != nil {
		return err
	}
	for i, c := range m.Meta.Constraints {
		if c.Name == "" || len(c.Fields) == 0 || len(c.Condition) == 0 {
			return m.errorf("Meta.Constraints[%d]: a unique constraint needs a name, fields and a condition (without one, use UniqueTogether)", i)
		}
		for _, name := range c.Fields {
			if f := m.byName[name]; f == nil || !f.Concrete() {
				return m.errorf("Meta.Constraints[%d] names %q, which is not a concrete field", i, name)
			}
		}
		if _, err := constraintCondition(m, c.Condition, quoteDouble); err != nil {
			return m.errorf("Meta.Constraints[%d]: %v", i, err)
		}
	}
	for name, fn := range m.Meta.Defaults {
		f, err := m.metaField("Defaults", name)
		if err != nil {
			return err
		}
		if f.HasDefault || fn == nil || f.Kind == KindManyToMany {
			return m.fieldErrorf(f, "Meta.Defaults: want one non-nil default function on a concrete field without a default tag")
		}
		f.DefaultFunc, f.HasDefault = fn, true
	}
	for name, vs := range m.Meta.Validators {
		f, err := m.metaField("Validators", name)
		if err != nil {
			return err
		}
		f.Validators = append(f.Validators, vs...)
	}
	for name, q := range m.Meta.LimitChoicesTo {
		f, err := m.metaField("LimitChoicesTo", name)
		if err != nil {
			return err
		}
		if !f.IsRelation() {
			return m.fieldErrorf(f, "Meta.LimitChoicesTo: %s is not a relation", f.Kind)
		}
		f.LimitChoicesTo = q
	}
	for name, cs := range m.Meta.Choices {
		f, err := m.metaField("Choices", name)
		if err != nil {
			return err
		}
		if len(f.Choices) > 0 || f.IsRelation() {
			return m.fieldErrorf(f, "Meta.Choices: the field has choices in its tag, or is a relation")
		}
		f.Choices = cs
		if err := f.checkChoices(); err != nil {
			return m.fieldErrorf(f, "%w", err)
		}
	}
	return nil
}

func (m *Model) metaField(option, name string) (*Field, error) {
	if f := m.byName[name]; f != nil {
		return f, nil
	}
	return nil, m.errorf("Meta.%s names unknown field %q (fields: %s)", option, name, m.sortedFieldNames())
}

func (m *Model) checkIndexes() error {
	for i, ix := range m.Meta.Indexes {
		if len(ix.Fields) == 0 {
			return m.errorf("Meta.Indexes[%d] names no fields", i)
		}
		for _, name := range ix.Fields {
			if f := m.byName[strings.TrimPrefix(name, "-")]; f == nil || !f.Concrete() {
				return m.errorf("Meta.Indexes[%d] names %q, which is not a concrete field", i, name)
			}
		}
		if ix.Name != "" && (len(ix.Name) > 30 || !isLetter(ix.Name[0])) {
			return m.errorf("Meta.Indexes[%d]: name %q must start with a letter and be at most 30 characters", i, ix.Name)
		}
	}
	return nil
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// errorf reports a problem with the model's declaration:
// "orm: register app: model Book: ...".
func (m *Model) errorf(format string, args ...any) error {
	return fmt.Errorf("orm: register %s: model %s: %w", m.App.Label, m.Name, fmt.Errorf(format, args...))
}

// fieldErrorf reports a problem with one field's declaration:
// "orm: register app: model Book, field Price: ...".
func (m *Model) fieldErrorf(f *Field, format string, args ...any) error {
	return fieldError(m, f.GoName, fmt.Errorf(format, args...))
}

func fieldError(m *Model, goName string, err error) error {
	return fmt.Errorf("orm: register %s: model %s, field %s: %w", m.App.Label, m.Name, goName, err)
}
