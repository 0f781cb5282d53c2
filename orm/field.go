package orm

import (
	"reflect"
)

// Field describes one field of a model.
type Field struct {
	Model      *Model
	Name       string // Django's name: snake_case of the Go name, e.g. "pub_date"
	GoName     string // the struct field's name, e.g. "PubDate"
	Column     string // database column; "<name>_id" for a foreign key
	Kind       Kind
	Null       bool // the column accepts NULL (a pointer Go type, or the tag)
	Blank      bool // forms accept an empty value
	PrimaryKey bool
	Unique     bool
	DBIndex    bool
	Editable   bool
	MaxLength  int
	MaxDigits  int
	Places     int    // decimal_places
	Default    string // the default as written in the tag; "" with HasDefault false means none
	HasDefault bool   // a default is declared, in the tag or as Meta.Defaults
	// DefaultFunc computes the default each time one is needed (Meta.Defaults).
	DefaultFunc func() any
	// Choices are the allowed values with their labels, flattened; grouped
	// choices carry their group's name in Group.
	Choices  []Choice
	OnDelete OnDelete
	// Validators run after the kind's own checks (Meta.Validators).
	Validators []func(any) error

	VerboseName string
	HelpText    string

	// Protocol limits a generic IP address field to "ipv4" or "ipv6";
	// "" accepts both. UnpackIPv4 stores ::ffff:a.b.c.d as a.b.c.d.
	Protocol   string
	UnpackIPv4 bool
	// AllowUnicode lets a slug hold any Unicode letters and digits.
	AllowUnicode bool

	// Related is the target model of a relation, set when the registry is
	// ready.
	Related *Model
	// ToField names the unique field of Related a foreign key holds
	// (to_field); "" means its primary key. See Target.
	ToField string
	// RelatedName is the name of the reverse relation as declared
	// (related_name); a name ending in "+" hides it.
	RelatedName string
	// RelatedQueryName is the name the reverse relation has in lookups on
	// Related: related_query_name, else related_name, else the lower-case
	// model name ("book" for Book.publisher). Set when the registry is ready.
	RelatedQueryName string
	// RelatedAccessor is Django's accessor name of the reverse relation:
	// related_name, else "<model>_set" (or "<model>" for a one-to-one).
	RelatedAccessor string
	// LimitChoicesTo narrows the objects a form offers for a relation
	// (Meta.LimitChoicesTo).
	LimitChoicesTo Q

	// Through is the join table of a many-to-many field, e.g.
	// "bookstore_book_authors", with its two columns: ThroughFrom names
	// this model's row, ThroughTo the related one.
	Through                string
	ThroughFrom, ThroughTo string
	// ThroughModel is the explicit model of the join table (the through
	// option), or nil for a table the orm manages itself.
	ThroughModel *Model
	// Symmetrical is true for a many-to-many field to its own model
	// unless tagged symmetrical=false, Django's default: each link (a, b)
	// is stored twice, (a, b) and (b, a), written and removed together,
	// and the relation has no reverse accessor. Set when the registry is
	// ready.
	Symmetrical bool
	// AutoThrough is the model the orm makes for the join table when
	// ThroughModel is nil, Django's auto-created through model
	// ("Book_authors"); Through{Model, Field} names it to an admin inline.
	AutoThrough *Model

	// GenericContentType and GenericObjectID are the two fields a generic
	// foreign key reads: a foreign key to the content type model and the
	// object's primary key. For a GenericRelation they are those fields
	// of the related model (Related).
	GenericContentType, GenericObjectID *Field

	through       string // the through option as written
	symmetrical   string // the symmetrical option as written: "", "true" or "false"
	throughFields [2]string
	ctName        string // a generic foreign key's ct_field option
	idName        string // and its fk_field option
	target        *Field
	relatedType   reflect.Type
	index         []int
	goType        reflect.Type
	ptr           bool // Go type is a pointer (nullable)
	// zeroNull: the relation's Go type stores NULL as the key 0
	// (ForeignKey, OneToOne, and the join keys of integer models).
	zeroNull bool
	// keyGoType is the Go type of the key a relation holds (nil for the
	// join keys the orm makes).
	keyGoType reflect.Type
	// inherited is, on a multi-table child, the parent's field this one
	// stands for (its column is in an ancestor's table); nil for the
	// model's own fields.
	inherited *Field
	// parentModel and embed make the field a parent link: the parent
	// model and the index of the embedded parent struct that holds the
	// parent's key.
	parentModel *Model
	embed       []int
}

// IsRelation reports whether the field points at rows of another model: a
// foreign key, a one-to-one or a many-to-many field.
func (f *Field) IsRelation() bool { return f.IsForeignKey() || f.Kind == KindManyToMany }

// IsForeignKey reports whether the field holds the key of one related row
// in its column: a foreign key or a one-to-one field (Django's ForeignKey
// and its subclass OneToOneField).
func (f *Field) IsForeignKey() bool { return f.Kind == KindForeignKey || f.Kind == KindOneToOne }

// Concrete reports whether the field has a column in the model's table.
func (f *Field) Concrete() bool {
	return f.Kind != KindManyToMany && f.Kind != KindGenericForeignKey && f.Kind != KindAnnotation && f.Kind != KindGenericRelation
}

// IsAuto reports whether the database fills the field (an auto primary key).
func (f *Field) IsAuto() bool { return f.Kind.IsAuto() }

// Target returns the field of the related model a foreign key holds the
// value of: its to_field, else its primary key. It is nil for other fields
// and before the registry is ready.
func (f *Field) Target() *Field { return f.target }

// KeyOf returns the value the foreign key f holds to point at obj, an
// object of m: f's related model, or a multi-table child of it, whose own
// field reads the key (the related model's key or to_field) out of the
// child's struct.
func (f *Field) KeyOf(m *Model, obj any) any {
	target := f.KeyField()
	if m != nil && m != f.Related {
		if own := m.Field(target.Name); own != nil {
			target = own
		}
	}
	return target.Get(obj)
}

// KeyField is the field whose values a relation's keys are: a foreign
// key's target (its to_field, else the related primary key), a
// many-to-many field's related primary key; nil before the registry is
// ready.
func (f *Field) KeyField() *Field {
	switch {
	case f.target != nil:
		return f.target
	case f.Related != nil:
		return f.Related.PK
	}
	return nil
}

// otherKey is the key field of a foreign key whose key is not an integer
// (a UUID, a string), whose values it then parses, converts and stores;
// nil for integer keys and other fields.
func (f *Field) otherKey() *Field {
	if !f.IsForeignKey() {
		return nil
	}
	if k := f.KeyField(); k != nil && !k.linkedKey().Kind.IsInteger() {
		return k
	}
	return nil
}

// ReverseHidden reports whether the reverse relation is hidden (a
// related_name ending in "+").
func (f *Field) ReverseHidden() bool {
	return len(f.RelatedName) > 0 && f.RelatedName[len(f.RelatedName)-1] == '+'
}

// Label returns the field's verbose name with its first letter upper-cased,
// as a form label shows it.
func (f *Field) Label() string { return Capfirst(f.VerboseName) }

// ChoiceLabel returns the label of the choice whose value is v, or v.
func (f *Field) ChoiceLabel(v string) string {
	for _, c := range f.Choices {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

// DefaultValue returns the field's default as its Go value (see Parse),
// calling DefaultFunc anew each time, and false when there is none.
func (f *Field) DefaultValue() (any, bool) {
	switch {
	case f.DefaultFunc != nil:
		v, err := f.normalize(f.DefaultFunc())
		return v, err == nil
	case f.HasDefault:
		v, err := f.Parse(f.Default)
		return v, err == nil
	}
	return nil, false
}
