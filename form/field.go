package form

import (
	"errors"
	"fmt"
	"html/template"
	"mime/multipart"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
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
	// Validators check Clean's result when it is not empty (Django's
	// validators): MinValueValidator, RegexValidator, ... A model form's
	// field then runs the model field's own (orm.Field.Validate).
	Validators []Validator
	// CleanFile, set on a file field, cleans it in place of Clean: it
	// receives the file uploaded under the field's name (nil when none),
	// the values its widget read (a ClearableFileInput's clear box) and the
	// initial value, the name of the file stored already ("" for none).
	CleanFile func(file *multipart.FileHeader, values []string, initial string) (any, error)
	// Format converts a Go value (an initial value, or Clean's result) into
	// the strings the widget shows. Nil formats scalars in the usual way.
	Format func(v any) []string
	// Model is the model field the form field was made from; nil in a plain
	// form.
	Model *orm.Field
	// HelpHTML, when set, is shown as the field's help in place of
	// HelpText, as HTML (Django's help text marked safe, such as the list
	// of password rules); it must escape what it shows.
	HelpHTML template.HTML
	// ReadonlyHTML, when set on a read-only model field, shows the
	// instance's value as HTML of its own in place of the text (the
	// admin's masked password hash, say); it must escape what it shows.
	ReadonlyHTML func(value any) template.HTML
	// EmptyLabel, when set on a relation field, decides its empty choice
	// in place of the usual "---------" (offered unless the field is
	// required and has a default), as Django's ModelChoiceField
	// empty_label: the choice's text, or "" for no empty choice.
	EmptyLabel *string

	readonlyText *string  // set by a model form once it has loaded the text
	choices      []Choice // a field of fixed choices gives them to a new ChoiceWidget
	// modelCheck is the model field's validation, run last and only on a
	// value the form field accepted, as Django's ModelForm excludes fields
	// with errors from the instance's full_clean.
	modelCheck Validator
	// storage and uploadTo are where a file field's uploads are kept.
	storage  Storage
	uploadTo string
	// formsetKey marks the hidden primary key and parent key a model
	// formset adds: checked by the formset, never applied by Apply nor
	// listed by Changed.
	formsetKey bool
}

// CleanValues cleans submitted values as a form does: Clean (or, without
// one, the last value as a string), then the Validators on a value that is
// not empty (nor submitted empty, as an optional number's zero is),
// reporting every validator's messages together, then on a model form the
// model field's validation.
func (f *Field) CleanValues(values []string) (any, error) {
	v, err := f.clean(values)
	return f.validate(v, err, blank(values))
}

// cleanUpload cleans a file field as CleanValues cleans others.
func (f *Field) cleanUpload(file *multipart.FileHeader, values []string, initial string) (any, error) {
	v, err := f.CleanFile(file, values, initial)
	_, upload := v.(*Upload)
	return f.validate(v, err, !upload && v == initial)
}

// validate runs the validators and the model's check on a cleaned value
// that is neither empty nor submitted blank.
func (f *Field) validate(v any, err error, blank bool) (any, error) {
	if err != nil || isEmptyValue(v) || blank {
		return v, err
	}
	var msgs ValidationError
	for _, validate := range f.Validators {
		if err := validate(v); err != nil {
			msgs = append(msgs, messages(err)...)
		}
	}
	if msgs == nil && f.modelCheck != nil {
		if err := f.modelCheck(v); err != nil {
			msgs = messages(err)
		}
	}
	if msgs != nil {
		return nil, msgs
	}
	return v, nil
}

// blank reports whether nothing but white space was submitted.
func blank(values []string) bool {
	for _, v := range values {
		if strings.TrimFunc(v, isSpace) != "" {
			return false
		}
	}
	return true
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

// multiple reports whether the field takes several values: a select
// multiple, checkboxes, or a many-to-many field whatever its widget.
func (f *Field) multiple() bool {
	switch w := f.Widget.(type) {
	case *Select:
		if w.Multiple {
			return true
		}
	case *CheckboxSelectMultiple:
		return true
	}
	return f.Model != nil && f.Model.Kind == orm.KindManyToMany
}

// canonical returns a comparable form of values: cleaned and formatted again
// when they clean, else as they are. has_changed compares these, so "9.9"
// and "9.90" are the same decimal and "2,1" the same set as "1,2".
func (f *Field) canonical(values []string) string {
	if v, err := f.CleanValues(values); err == nil {
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
	msgTime         = "Enter a valid time."
	msgEmail        = "Enter a valid email address."
	msgURL          = "Enter a valid URL."
	msgJSON         = "Enter a valid JSON."
	msgDuration     = "Enter a valid duration."
	msgUUID         = "Enter a valid UUID."
	msgList         = "Enter a list of values."
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
// type (named types included), a decimal, a time or a UUID; floats as Python
// writes them ("5.0"), as Django's forms and lists show them.
func scalarString(v any) (string, bool) {
	switch x := v.(type) {
	case decimal.Decimal:
		return x.String(), true
	case time.Time:
		return x.Format(time.RFC3339Nano), true
	case uuid.UUID:
		return x.String(), true // hyphenated, as Django shows a UUID
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
		return pyFloatBits(rv.Float(), 32), true
	case reflect.Float64:
		return pyFloat(rv.Float()), true
	case reflect.Bool:
		return strconv.FormatBool(rv.Bool()), true
	}
	return "", false
}
