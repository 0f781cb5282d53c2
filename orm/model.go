package orm

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Meta holds a model's options, Django's "class Meta". A model declares them
// with a method on its struct: func (Book) Meta() orm.Meta.
type Meta struct {
	Table             string     // default "<app_label>_<model_name>"
	Ordering          []string   // default ordering, e.g. {"-pubdate", "name"}
	VerboseName       string     // default from the type name: "PlotDetails" → "plot details"
	VerboseNamePlural string     // default VerboseName + "s"
	UniqueTogether    [][]string // sets of field names that are unique together
	// NaturalKey lists the field paths whose values, in order, identify a
	// row without its primary key, e.g. {"codename",
	// "content_type__app_label", "content_type__model"}: fixtures name rows
	// of the model this way (Django's natural_key and get_by_natural_key).
	NaturalKey []string
}

// Model describes one registered struct type.
type Model struct {
	App       *App
	Name      string // the Go type name, Django's object_name: "Book"
	ModelName string // lower-cased Name: "book"
	Table     string
	Fields    []*Field // in struct order, many-to-many included
	PK        *Field
	Meta      Meta

	VerboseName       string
	VerboseNamePlural string

	// Related lists the foreign keys and many-to-many fields of other models
	// that point at this one, known once the registry is ready.
	Related []*Field

	typ     reflect.Type
	byName  map[string]*Field
	columns []*Field // concrete fields in order, the SELECT list
}

// Type returns the struct type the model describes.
func (m *Model) Type() reflect.Type { return m.typ }

// Label returns "app_label.ModelName", as Django's model._meta.label.
func (m *Model) Label() string { return m.App.Label + "." + m.Name }

// Field returns the field with the given Django name ("pub_date"), or nil.
// "pk" names the primary key.
func (m *Model) Field(name string) *Field {
	if name == "pk" {
		return m.PK
	}
	return m.byName[name]
}

// ConcreteFields returns the fields that have a column, in order.
func (m *Model) ConcreteFields() []*Field { return m.columns }

// New returns a pointer to a new instance with field defaults applied.
func (m *Model) New() any {
	v := reflect.New(m.typ)
	for _, f := range m.Fields {
		if f.HasDefault {
			if val, err := f.Parse(f.Default); err == nil {
				_ = f.Set(v.Interface(), val)
			}
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

func (m *Model) structValue(obj any) (reflect.Value, error) {
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Type() != m.typ {
		return reflect.Value{}, fmt.Errorf("orm: %s: want *%s, got %T", m.Label(), m.typ, obj)
	}
	return v.Elem(), nil
}

// Get returns the Go value of the field in obj (a pointer to the struct).
// A foreign key gives its int64 id (0 for NULL); a nullable field gives nil
// or the dereferenced value.
func (f *Field) Get(obj any) any {
	v := reflect.ValueOf(obj).Elem().FieldByIndex(f.index)
	switch f.Kind {
	case KindForeignKey:
		return v.Addr().Interface().(fkPointer).keyID()
	case KindManyToMany:
		return v.Addr().Interface().(m2mPointer).ids()
	}
	if f.ptr {
		if v.IsNil() {
			return nil
		}
		return v.Elem().Interface()
	}
	return v.Interface()
}

// RelatedObject returns the object a foreign key of obj points at when the
// query that read obj loaded it (SelectRelated), or nil.
func (f *Field) RelatedObject(obj any) any {
	if f.Kind != KindForeignKey {
		return nil
	}
	return reflect.ValueOf(obj).Elem().FieldByIndex(f.index).Addr().Interface().(fkPointer).object()
}

// Set stores a Go value (of the type Parse returns, or nil for NULL) into
// the field of obj.
func (f *Field) Set(obj any, val any) error {
	v := reflect.ValueOf(obj).Elem().FieldByIndex(f.index)
	switch f.Kind {
	case KindForeignKey:
		id, _ := val.(int64)
		v.Addr().Interface().(fkPointer).setKey(id)
		return nil
	case KindManyToMany:
		ids, _ := val.([]int64)
		v.Addr().Interface().(m2mPointer).setIDs(ids)
		return nil
	}
	if val == nil {
		v.Set(reflect.Zero(v.Type()))
		return nil
	}
	rv := reflect.ValueOf(val)
	target := v.Type()
	if f.ptr {
		target = target.Elem()
	}
	if !rv.Type().ConvertibleTo(target) {
		return &ValueError{Field: f.Name, Value: val, Err: fmt.Errorf("cannot store %T in %s", val, target)}
	}
	rv = rv.Convert(target)
	if f.ptr {
		p := reflect.New(target)
		p.Elem().Set(rv)
		rv = p
	}
	v.Set(rv)
	return nil
}

var (
	timeType    = reflect.TypeFor[time.Time]()
	decimalType = reflect.TypeFor[decimal.Decimal]()
)

// describe reflects a struct type into a Model; relations are resolved later
// by the registry.
func describe(app *App, typ reflect.Type) (*Model, error) {
	if typ.Kind() == reflect.Pointer {
		typ = typ.Elem()
	}
	if typ.Kind() != reflect.Struct {
		return nil, fmt.Errorf("orm: register %s: a model must be a struct, got %s", app.Label, typ)
	}
	m := &Model{App: app, Name: typ.Name(), ModelName: strings.ToLower(typ.Name()), typ: typ, byName: map[string]*Field{}}
	if meta, ok := reflect.New(typ).Interface().(interface{ Meta() Meta }); ok {
		m.Meta = meta.Meta()
	}
	m.Table = m.Meta.Table
	if m.Table == "" {
		m.Table = app.Label + "_" + m.ModelName
	}
	m.VerboseName = m.Meta.VerboseName
	if m.VerboseName == "" {
		m.VerboseName = VerboseName(m.Name)
	}
	m.VerboseNamePlural = m.Meta.VerboseNamePlural
	if m.VerboseNamePlural == "" {
		m.VerboseNamePlural = m.VerboseName + "s"
	}
	if err := m.addFields(typ, nil); err != nil {
		return nil, err
	}
	if m.PK == nil {
		return nil, fmt.Errorf("orm: model %s: no primary key: add an ID int64 field or tag one field primary_key", typ)
	}
	for _, f := range m.Fields {
		if f.Concrete() {
			m.columns = append(m.columns, f)
		}
	}
	for _, set := range m.Meta.UniqueTogether {
		for _, name := range set {
			if m.byName[name] == nil {
				return nil, fmt.Errorf("orm: model %s: unique_together names unknown field %q", typ, name)
			}
		}
	}
	return m, nil
}

func (m *Model) addFields(typ reflect.Type, prefix []int) error {
	for i := 0; i < typ.NumField(); i++ {
		sf := typ.Field(i)
		index := append(append([]int(nil), prefix...), i)
		raw, hasTag := sf.Tag.Lookup("orm")
		if raw == "-" || !sf.IsExported() {
			continue
		}
		if sf.Anonymous && sf.Type.Kind() == reflect.Struct && !hasTag {
			if err := m.addFields(sf.Type, index); err != nil {
				return err
			}
			continue
		}
		f, err := m.describeField(sf, raw, index)
		if err != nil {
			return fmt.Errorf("orm: model %s, field %s: %w", m.typ, sf.Name, err)
		}
		if m.byName[f.Name] != nil {
			return fmt.Errorf("orm: model %s, field %s: name %q is used twice", m.typ, sf.Name, f.Name)
		}
		m.byName[f.Name] = f
		m.Fields = append(m.Fields, f)
		if f.PrimaryKey {
			if m.PK != nil {
				return fmt.Errorf("orm: model %s: two primary keys (%s and %s)", m.typ, m.PK.GoName, f.GoName)
			}
			m.PK = f
		}
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
		f.Kind, f.Editable, f.Column = KindAnnotation, false, ""
		return f, nil
	}
	if err := f.setKind(typ, t); err != nil {
		return nil, err
	}
	if err := f.applyOptions(t); err != nil {
		return nil, err
	}
	if f.Kind == KindChar && f.MaxLength <= 0 {
		return nil, fmt.Errorf("a string field needs max_length=N, or type=text for unbounded text")
	}
	if f.Kind == KindDecimal && (f.MaxDigits <= 0 || f.Places < 0 || f.Places > f.MaxDigits) {
		return nil, fmt.Errorf("a decimal field needs max_digits=N and decimal_places=M with M <= N")
	}
	if f.Column == "" {
		f.Column = f.Name
		if f.Kind == KindForeignKey {
			f.Column = f.Name + "_id"
		}
	}
	if f.VerboseName == "" {
		f.VerboseName = strings.ReplaceAll(f.Name, "_", " ")
	}
	if f.PrimaryKey {
		f.Unique, f.Blank = true, true
		f.Null = false
	}
	if f.Kind == KindForeignKey && f.OnDelete == 0 {
		return nil, fmt.Errorf("a foreign key needs on_delete=cascade|protect|set_null|do_nothing")
	}
	if f.OnDelete == SetNull && !f.Null {
		return nil, fmt.Errorf("on_delete=set_null needs the field to be null")
	}
	if f.HasDefault {
		if _, err := f.Parse(f.Default); err != nil {
			return nil, fmt.Errorf("default %q: %w", f.Default, err)
		}
	}
	return f, nil
}

func (f *Field) setKind(typ reflect.Type, t tag) error {
	if typ.Implements(relationType) {
		rt := reflect.New(typ).Elem().Interface().(relation).relatedType()
		f.relatedType = rt
		if reflect.PointerTo(typ).Implements(fkPtrType) {
			f.Kind = KindForeignKey
			f.DBIndex = true
		} else if reflect.PointerTo(typ).Implements(m2mPtrType) {
			f.Kind = KindManyToMany
			f.Blank = false
		}
		if f.ptr {
			return fmt.Errorf("relations are not pointers: use orm.ForeignKey[T] and the null option")
		}
		return nil
	}
	explicit := t["type"]
	switch {
	case typ == timeType:
		f.Kind = KindDateTime
		if explicit == "date" {
			f.Kind = KindDate
		}
	case typ == decimalType:
		f.Kind = KindDecimal
	}
	if f.Kind != 0 {
		return nil
	}
	switch typ.Kind() {
	case reflect.String:
		f.Kind = KindChar
		if explicit == "text" {
			f.Kind = KindText
		}
	case reflect.Bool:
		f.Kind = KindBoolean
	case reflect.Int64, reflect.Int:
		f.Kind = KindBigInteger
		if f.Name == "id" {
			f.Kind, f.PrimaryKey = KindBigAuto, true
		}
	case reflect.Int32:
		f.Kind = KindInteger
		if f.Name == "id" {
			f.Kind, f.PrimaryKey = KindAuto, true
		}
	case reflect.Int16:
		f.Kind = KindSmallInteger
	case reflect.Float64, reflect.Float32:
		f.Kind = KindFloat
	default:
		return fmt.Errorf("unsupported Go type %s", typ)
	}
	switch explicit {
	case "", "date", "text":
	case "integer", "int":
		if !f.Kind.IsInteger() {
			return fmt.Errorf("type=%s needs an integer Go type", explicit)
		}
		if f.PrimaryKey {
			f.Kind = KindAuto
		} else {
			f.Kind = KindInteger
		}
	case "bigint":
		if !f.Kind.IsInteger() {
			return fmt.Errorf("type=bigint needs an integer Go type")
		}
		if !f.PrimaryKey {
			f.Kind = KindBigInteger
		}
	default:
		return fmt.Errorf("unknown type=%s", explicit)
	}
	return nil
}

func (f *Field) applyOptions(t tag) error {
	for key, val := range t {
		var err error
		switch key {
		case "type", "name":
		case "max_length":
			f.MaxLength, err = strconv.Atoi(val)
		case "max_digits":
			f.MaxDigits, err = strconv.Atoi(val)
		case "decimal_places":
			f.Places, err = strconv.Atoi(val)
		case "null":
			f.Null = true
		case "blank":
			f.Blank = true
		case "unique":
			f.Unique = true
		case "db_index":
			f.DBIndex = true
		case "primary_key":
			f.PrimaryKey = true
			if f.Kind == KindBigInteger {
				f.Kind = KindBigAuto
			} else if f.Kind == KindInteger {
				f.Kind = KindAuto
			}
		case "editable":
			f.Editable = val != "false"
		case "default":
			f.Default, f.HasDefault = val, true
		case "db_column":
			f.Column = val
		case "verbose_name":
			f.VerboseName = val
		case "help_text":
			f.HelpText = val
		case "choices":
			f.Choices = parseChoices(val)
		case "through":
			f.Through = val
		case "on_delete":
			f.OnDelete, err = parseOnDelete(val)
		default:
			err = fmt.Errorf("unknown option")
		}
		if err != nil {
			return fmt.Errorf("tag option %s=%q: %w", key, val, err)
		}
	}
	return nil
}

// parseChoices reads "value:Label|value2:Label 2".
func parseChoices(s string) []Choice {
	var out []Choice
	for _, part := range strings.Split(s, "|") {
		v, l, ok := strings.Cut(part, ":")
		if !ok {
			l = v
		}
		out = append(out, Choice{Value: strings.TrimSpace(v), Label: strings.TrimSpace(l)})
	}
	return out
}

func parseOnDelete(s string) (OnDelete, error) {
	switch strings.ToLower(s) {
	case "cascade":
		return Cascade, nil
	case "protect":
		return Protect, nil
	case "set_null":
		return SetNull, nil
	case "do_nothing":
		return DoNothing, nil
	}
	return 0, fmt.Errorf("want cascade, protect, set_null or do_nothing")
}
