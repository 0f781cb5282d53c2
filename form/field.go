package form

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

// Field is one input of a form: its name and label, the widget that shows it
// and the function that turns what was submitted into a Go value. Plain forms
// and model forms are built from the same Field; the constructors (CharField,
// IntegerField, ...) fill it in, and a caller may change any of it before
// the form is used.
type Field struct {
	Name     string
	Label    string
	HelpText string
	Required bool
	// Readonly shows the value as text; the field is never read from
	// submitted data, cleaned or applied.
	Readonly bool
	Widget   Widget
	// Attrs are the attributes the field adds to its widget (class,
	// maxlength, step), written after the widget's own.
	Attrs Attrs
	// Clean converts the values the widget read into the field's Go value.
	// It returns a ValidationError for input it rejects; any other error's
	// text is shown as the message.
	Clean func(values []string) (any, error)
	// Format converts a Go value (an initial value, or Clean's result) into
	// the strings the widget shows. Nil formats scalars in the usual way.
	Format func(v any) []string
	// Model is the model field the form field was made from; nil in a plain
	// form.
	Model *orm.Field

	readonlyText *string // set by a model form once it has loaded the text
}

// clean runs Clean, or keeps the last value as a string when there is none.
func (f *Field) clean(values []string) (any, error) {
	if f.Clean == nil {
		return last(values), nil
	}
	return f.Clean(values)
}

// format runs Format, or the default formatting.
func (f *Field) format(v any) []string {
	if f.Format != nil {
		return f.Format(v)
	}
	return formatAny(v)
}

// widget returns the field's widget, a text input when it has none.
func (f *Field) widget() Widget {
	if f.Widget == nil {
		return &Input{Type: "text"}
	}
	return f.Widget
}

// canonical returns a comparable form of values: cleaned and formatted again
// when they clean, else as they are. has_changed compares these, so "9.9"
// and "9.90" are the same decimal and "2,1" the same set as "1,2".
func (f *Field) canonical(values []string) string {
	if v, err := f.clean(values); err == nil {
		values = f.format(v)
	}
	return strings.Join(values, "\x00")
}

// ValidationError is the error a Clean function returns for input it
// rejects. Its messages are shown next to the field, Django's
// ValidationError.
type ValidationError []string

// Error implements error.
func (e ValidationError) Error() string { return strings.Join(e, " ") }

// messages returns the messages an error from Clean carries.
func messages(err error) []string {
	var ve ValidationError
	if errors.As(err, &ve) && len(ve) > 0 {
		return ve
	}
	return []string{err.Error()}
}

// Django's error messages, word for word.
const (
	msgRequired     = "This field is required."
	msgNullChar     = "Null characters are not allowed."
	msgWhole        = "Enter a whole number."
	msgNumber       = "Enter a number."
	msgDate         = "Enter a valid date."
	msgDateTime     = "Enter a valid date/time."
	msgInvalidModel = "Select a valid choice. That choice is not one of the available choices."
)

func msgInvalidChoice(v string) string {
	return fmt.Sprintf("Select a valid choice. %s is not one of the available choices.", v)
}

// plural picks Django's singular or plural wording for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Option configures a field made by one of the constructors. An option that
// does not apply to a kind of field is ignored by it.
type Option func(*settings)

// settings collects the options given to a constructor.
type settings struct {
	optional  bool
	help      string
	attrs     Attrs
	widget    Widget
	maxLength int
	noStrip   bool
	nilEmpty  bool
	hasRange  bool
	min, max  int64
}

func configure(opts []Option) settings {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	return s
}

// Optional makes the field accept an empty value (Django's required=False,
// or blank=True on a model field).
func Optional() Option { return func(s *settings) { s.optional = true } }

// HelpText sets the text shown under the field.
func HelpText(text string) Option { return func(s *settings) { s.help = text } }

// WithAttr adds an attribute to the field's widget, e.g.
// WithAttr("autocomplete", "username").
func WithAttr(name, value string) Option {
	return func(s *settings) { s.attrs = s.attrs.With(name, value) }
}

// WithBareAttr adds a boolean attribute to the field's widget, e.g.
// WithBareAttr("autofocus").
func WithBareAttr(name string) Option {
	return func(s *settings) { s.attrs = s.attrs.WithBare(name) }
}

// WithWidget replaces the field's default widget.
func WithWidget(w Widget) Option { return func(s *settings) { s.widget = w } }

// MaxLength limits a text field to n characters (runes) and sets the
// widget's maxlength.
func MaxLength(n int) Option { return func(s *settings) { s.maxLength = n } }

// NoStrip keeps the spaces around a text value (Django's strip=False).
func NoStrip() Option { return func(s *settings) { s.noStrip = true } }

// NilIfEmpty makes an empty value clean to nil instead of the kind's zero
// value, for nullable model fields.
func NilIfEmpty() Option { return func(s *settings) { s.nilEmpty = true } }

// Range limits an integer field to [min, max], with Django's "Ensure this
// value is less than or equal to ..." messages.
func Range(min, max int64) Option {
	return func(s *settings) { s.hasRange, s.min, s.max = true, min, max }
}

// newField starts a field from the settings every kind shares.
func newField(name, label string, s settings, w Widget) *Field {
	if s.widget != nil {
		w = s.widget
	}
	if label == "" {
		label = orm.Capfirst(strings.ReplaceAll(name, "_", " "))
	}
	return &Field{Name: name, Label: label, HelpText: s.help, Required: !s.optional, Widget: w, Attrs: s.attrs, Format: formatAny}
}

// empty returns what an empty value cleans to: the required error, nil, or
// zero. It reads f.Required when called, so a caller may still change it.
func (f *Field) empty(s settings, zero any) (any, error) {
	if f.Required {
		return nil, ValidationError{msgRequired}
	}
	if s.nilEmpty {
		return nil, nil
	}
	return zero, nil
}

// formatAny formats a Go value for a widget: nil shows nothing, strings,
// numbers and booleans as Go writes them.
func formatAny(v any) []string {
	if v == nil {
		return nil
	}
	if s, ok := scalarString(v); ok {
		return []string{s}
	}
	return []string{fmt.Sprint(v)}
}

// scalarString formats a value of any string, integer, float or boolean
// type (named types included), a decimal or a time.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.String(), true
	case time.Time:
		return x.Format(time.RFC3339Nano), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.String:
		return rv.String(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(rv.Int(), 10), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return strconv.FormatUint(rv.Uint(), 10), true
	case reflect.Float32:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 32), true
	case reflect.Float64:
		return strconv.FormatFloat(rv.Float(), 'f', -1, 64), true
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), true
	}
	return "", false
}
