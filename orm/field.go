package orm

import (
	"reflect"
	"strconv"
	"strings"
)

// Kind is the kind of a model field, mirroring Django's field classes.
type Kind int

// The field kinds.
const (
	KindAuto         Kind = iota + 1 // integer primary key filled by the database
	KindBigAuto                      // 64-bit integer primary key filled by the database
	KindChar                         // string with a max_length
	KindText                         // unbounded string
	KindInteger                      // 32-bit integer
	KindBigInteger                   // 64-bit integer
	KindSmallInteger                 // 16-bit integer
	KindBoolean                      // true or false
	KindDate                         // calendar date
	KindDateTime                     // instant, stored in UTC
	KindDecimal                      // fixed-point number (max_digits, decimal_places)
	KindFloat                        // floating-point number
	KindForeignKey                   // many-to-one relation
	KindManyToMany                   // many-to-many relation through a join table
	KindAnnotation                   // no column: receives an annotation of the same name
)

var kindNames = map[Kind]string{
	KindAuto: "AutoField", KindBigAuto: "BigAutoField", KindChar: "CharField", KindText: "TextField",
	KindInteger: "IntegerField", KindBigInteger: "BigIntegerField", KindSmallInteger: "SmallIntegerField",
	KindBoolean: "BooleanField", KindDate: "DateField", KindDateTime: "DateTimeField",
	KindDecimal: "DecimalField", KindFloat: "FloatField", KindForeignKey: "ForeignKey",
	KindManyToMany: "ManyToManyField", KindAnnotation: "annotation",
}

// String returns Django's class name for the kind, e.g. "CharField".
func (k Kind) String() string {
	if s, ok := kindNames[k]; ok {
		return s
	}
	return "Kind(" + strconv.Itoa(int(k)) + ")"
}

// IsInteger reports whether values of the kind are Go integers.
func (k Kind) IsInteger() bool {
	switch k {
	case KindAuto, KindBigAuto, KindInteger, KindBigInteger, KindSmallInteger:
		return true
	}
	return false
}

// OnDelete says what happens to rows that point at a deleted row.
type OnDelete int

// The on_delete behaviours.
const (
	Cascade OnDelete = iota + 1
	Protect
	SetNull
	DoNothing
)

// Choice is one allowed value of a field with choices, and its label.
type Choice struct {
	Value string
	Label string
}

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
	HasDefault bool
	Choices    []Choice
	OnDelete   OnDelete

	VerboseName string
	HelpText    string

	// Related is the target model of a foreign key or many-to-many field,
	// set when the registry is ready.
	Related *Model
	// Through is the join table of a many-to-many field, e.g.
	// "bookstore_book_authors", with its two columns.
	Through                string
	ThroughFrom, ThroughTo string
	relatedType            reflect.Type
	index                  []int
	goType                 reflect.Type
	ptr                    bool // Go type is a pointer (nullable)
}

// IsRelation reports whether the field is a foreign key or many-to-many.
func (f *Field) IsRelation() bool { return f.Kind == KindForeignKey || f.Kind == KindManyToMany }

// Concrete reports whether the field has a column in the model's table.
func (f *Field) Concrete() bool { return f.Kind != KindManyToMany && f.Kind != KindAnnotation }

// IsAuto reports whether the database fills the field (an auto primary key).
func (f *Field) IsAuto() bool { return f.Kind == KindAuto || f.Kind == KindBigAuto }

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

// tag holds the parsed `orm:"..."` struct tag.
type tag map[string]string

// parseTag splits a tag of comma-separated key=value pairs and bare flags.
// A value may be single-quoted to hold commas: verbose_name='Price, net'.
func parseTag(s string) (tag, error) {
	t := tag{}
	for len(s) > 0 {
		s = strings.TrimLeft(s, " ")
		key, rest, hasValue := s, "", false
		if i := strings.IndexAny(s, "=,"); i >= 0 {
			key, rest, hasValue = s[:i], s[i+1:], s[i] == '='
		} else {
			rest = ""
		}
		key = strings.TrimSpace(key)
		if key == "" {
			s = rest
			continue
		}
		if !hasValue {
			t[key] = ""
			s = rest
			continue
		}
		var val string
		if strings.HasPrefix(rest, "'") {
			end := strings.Index(rest[1:], "'")
			if end < 0 {
				return nil, &tagError{key: key, msg: "unterminated quote"}
			}
			val, rest = rest[1:end+1], rest[end+2:]
			rest = strings.TrimPrefix(strings.TrimLeft(rest, " "), ",")
		} else if i := strings.IndexByte(rest, ','); i >= 0 {
			val, rest = rest[:i], rest[i+1:]
		} else {
			val, rest = rest, ""
		}
		t[key] = strings.TrimSpace(val)
		s = rest
	}
	return t, nil
}

type tagError struct{ key, msg string }

func (e *tagError) Error() string { return "tag option " + e.key + ": " + e.msg }

// SnakeCase turns a Go name into Django's field-name style: "PubDate" →
// "pub_date", "ID" → "id", "HTTPCode" → "http_code".
func SnakeCase(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		upper := r >= 'A' && r <= 'Z'
		if upper && i > 0 {
			prevLower := runes[i-1] >= 'a' && runes[i-1] <= 'z' || runes[i-1] >= '0' && runes[i-1] <= '9'
			nextLower := i+1 < len(runes) && runes[i+1] >= 'a' && runes[i+1] <= 'z'
			if prevLower || (nextLower && runes[i-1] >= 'A' && runes[i-1] <= 'Z') {
				b.WriteByte('_')
			}
		}
		if upper {
			r += 'a' - 'A'
		}
		b.WriteRune(r)
	}
	return b.String()
}

// VerboseName turns a CamelCase name into Django's default verbose name:
// "PlotDetails" → "plot details".
func VerboseName(s string) string {
	return strings.ReplaceAll(SnakeCase(s), "_", " ")
}

// Capfirst upper-cases the first letter of s, as Django's capfirst does.
func Capfirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = []rune(strings.ToUpper(string(r[0])))[0]
	return string(r)
}
