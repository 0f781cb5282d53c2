package form

import (
	"strings"
	"time"

	"github.com/staffroom/staffroom/orm"
)

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
	// validators run after the field's own cleaning.
	validators []Validator
	// allowUnicode lets a slug hold any letters; protocol and unpackIPv4
	// configure an IP address field.
	allowUnicode bool
	protocol     string
	unpackIPv4   bool
	// maxSize limits an upload; storage and uploadTo say where a file
	// field's files are kept.
	maxSize  int64
	storage  Storage
	uploadTo string
	// loc is the zone a date-time field reads and shows wall clocks in.
	loc *time.Location
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

// InTimeZone makes a date-time field (DateTimeField, SplitDateTimeField)
// show its instant on loc's clocks and read a time typed without an
// offset as one of loc, Django's current time zone with USE_TZ. A model
// form gives its date-time fields the zone of its context (see
// orm.DB.CurrentTimeZone). Nil means UTC.
func InTimeZone(loc *time.Location) Option { return func(s *settings) { s.loc = loc } }

// newField starts a field from the settings every kind shares.
func newField(name, label string, s settings, w Widget) *Field {
	if s.widget != nil {
		w = s.widget
	}
	if label == "" {
		label = orm.Capfirst(strings.ReplaceAll(name, "_", " "))
	}
	return &Field{Name: name, Label: label, HelpText: s.help, Required: !s.optional, Widget: w, Attrs: s.attrs, Format: formatAny,
		Validators: s.validators}
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
