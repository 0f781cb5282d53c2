package form

import (
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

// Validator checks the cleaned value of a field, as Django's validators do:
// it returns nil, or an error whose messages are shown (a ValidationError,
// or any error's text). A form runs a field's Validators after its Clean,
// only on a value that is not empty (nil, "" or an empty list).
type Validator func(v any) error

// MinValueValidator refuses a number, decimal, duration or time below
// limit: "Ensure this value is greater than or equal to 5."
func MinValueValidator(limit any) Validator {
	return func(v any) error {
		if c, ok := compare(v, limit); ok && c < 0 {
			return ValidationError{"Ensure this value is greater than or equal to " + limitString(limit) + "."}
		}
		return nil
	}
}

// MaxValueValidator refuses a number, decimal, duration or time above
// limit: "Ensure this value is less than or equal to 10."
func MaxValueValidator(limit any) Validator {
	return func(v any) error {
		if c, ok := compare(v, limit); ok && c > 0 {
			return ValidationError{"Ensure this value is less than or equal to " + limitString(limit) + "."}
		}
		return nil
	}
}

// MinLengthValidator refuses a string of fewer than n characters (runes),
// or a list of fewer than n items: "Ensure this value has at least 3
// characters (it has 2)."
func MinLengthValidator(n int) Validator {
	return func(v any) error {
		if got, ok := length(v); ok && got < n {
			return ValidationError{fmt.Sprintf("Ensure this value has at least %d %s (it has %d).", n, plural(n, "character", "characters"), got)}
		}
		return nil
	}
}

// MaxLengthValidator refuses a string of more than n characters (runes), or
// a list of more than n items: "Ensure this value has at most 3 characters
// (it has 4)."
func MaxLengthValidator(n int) Validator {
	return func(v any) error {
		if got, ok := length(v); ok && got > n {
			return ValidationError{fmt.Sprintf("Ensure this value has at most %d %s (it has %d).", n, plural(n, "character", "characters"), got)}
		}
		return nil
	}
}

// RegexValidator refuses a string re does not match, with message, or
// Django's "Enter a valid value." when message is "".
func RegexValidator(re *regexp.Regexp, message string) Validator {
	if message == "" {
		message = "Enter a valid value."
	}
	return func(v any) error {
		if s, ok := v.(string); ok && !re.MatchString(s) {
			return ValidationError{message}
		}
		return nil
	}
}

// EmailValidator refuses what Django's EmailValidator does (see
// orm.ValidEmail): "Enter a valid email address."
func EmailValidator() Validator {
	return func(v any) error {
		if s, ok := v.(string); ok && !orm.ValidEmail(s) {
			return ValidationError{msgEmail}
		}
		return nil
	}
}

// URLValidator refuses what Django's URLValidator does (see orm.ValidURL):
// "Enter a valid URL."
func URLValidator() Validator {
	return func(v any) error {
		if s, ok := v.(string); ok && !orm.ValidURL(s) {
			return ValidationError{msgURL}
		}
		return nil
	}
}

var (
	asciiSlug   = regexp.MustCompile(`^[-a-zA-Z0-9_]+$`)
	unicodeSlug = regexp.MustCompile(`^[-\p{L}\p{N}\p{M}_]+$`)
)

// SlugValidator refuses anything but letters, digits, "_" and "-" (ASCII
// unless allowUnicode), with Django's validate_slug and
// validate_unicode_slug messages.
func SlugValidator(allowUnicode bool) Validator {
	if allowUnicode {
		return RegexValidator(unicodeSlug, "Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens.")
	}
	return RegexValidator(asciiSlug, "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.")
}

// DecimalValidator refuses a decimal with more than maxDigits digits, more
// than places of them after the point, or more than maxDigits-places
// before it, with Django's DecimalValidator messages.
func DecimalValidator(maxDigits, places int) Validator {
	return func(v any) error {
		d, ok := v.(decimal.Decimal)
		if !ok {
			return nil
		}
		coef := d.Coefficient()
		n := len(strings.TrimLeft(coef.Abs(coef).String(), "0"))
		if msg := checkDigits(n, int(d.Exponent()), true, maxDigits, places); msg != "" {
			return ValidationError{msg}
		}
		return nil
	}
}

// Validators adds validators to a field, run after its own cleaning.
func Validators(vs ...Validator) Option {
	return func(s *settings) { s.validators = append(s.validators, vs...) }
}

// MinLength requires a text field to hold at least n characters, and sets
// the widget's minlength.
func MinLength(n int) Option {
	return func(s *settings) {
		s.attrs = s.attrs.With("minlength", strconv.Itoa(n))
		s.validators = append(s.validators, MinLengthValidator(n))
	}
}

// MinValue refuses values below limit (a number, decimal, duration or
// time) and sets the widget's min.
func MinValue(limit any) Option {
	return func(s *settings) {
		s.attrs = s.attrs.With("min", limitString(limit))
		s.validators = append(s.validators, MinValueValidator(limit))
	}
}

// MaxValue refuses values above limit and sets the widget's max.
func MaxValue(limit any) Option {
	return func(s *settings) {
		s.attrs = s.attrs.With("max", limitString(limit))
		s.validators = append(s.validators, MaxValueValidator(limit))
	}
}

// isEmptyValue is Django's "value in validators.EMPTY_VALUES": nil, "" and
// empty lists and maps.
func isEmptyValue(v any) bool {
	if v == nil {
		return true
	}
	if s, ok := v.(string); ok {
		return s == ""
	}
	rv := reflect.ValueOf(v)
	return (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0
}

// length counts the runes of a string or the items of a list.
func length(v any) (int, bool) {
	if s, ok := v.(string); ok {
		return utf8.RuneCountInString(s), true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice {
		return rv.Len(), true
	}
	return 0, false
}

// compare orders two numbers (of any Go numeric type or decimals),
// durations or times; ok is false for values of other kinds.
func compare(a, b any) (int, bool) {
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ta.Compare(tb), ok
	}
	if da, ok := a.(time.Duration); ok {
		db, ok := b.(time.Duration)
		return compareInts(int64(da), int64(db)), ok
	}
	da, okA := toDecimal(a)
	db, okB := toDecimal(b)
	if !okA || !okB {
		return 0, false
	}
	return da.Cmp(db), true
}

func compareInts(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func toDecimal(v any) (decimal.Decimal, bool) {
	if d, ok := v.(decimal.Decimal); ok {
		return d, true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decimal.NewFromInt(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return decimal.NewFromUint64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return decimal.NewFromFloat(rv.Float()), true
	}
	return decimal.Decimal{}, false
}

// limitString writes a limit as Python's str does in Django's messages:
// floats with a ".0" when whole, dates as "2024-01-31", date-times with
// their time.
func limitString(limit any) string {
	switch x := limit.(type) {
	case float64:
		return pyFloat(x)
	case float32:
		return pyFloat(float64(x))
	case time.Time:
		if h, m, s := x.Clock(); h == 0 && m == 0 && s == 0 && x.Nanosecond() == 0 {
			return x.Format("2006-01-02")
		}
		return x.Format("2006-01-02 15:04:05")
	case time.Duration:
		return formatTimedelta(x)
	}
	if s, ok := scalarString(limit); ok {
		return s
	}
	return fmt.Sprint(limit)
}

// pyFloat writes a float as Python's repr and str do, which Django
// shows in inputs, lists and messages: the shortest digits that read
// back, with ".0" when whole ("5.0"), and an exponent below 1e-4 or from
// 1e16 on ("1e-05", "1e+16"); "inf", "-inf", "nan".
func pyFloat(x float64) string { return pyFloatBits(x, 64) }

// pyFloatBits is pyFloat for a float of the given size (32 or 64 bits),
// with the shortest digits of that size.
func pyFloatBits(x float64, bits int) string {
	switch {
	case math.IsNaN(x):
		return "nan"
	case math.IsInf(x, 1):
		return "inf"
	case math.IsInf(x, -1):
		return "-inf"
	}
	e := strconv.FormatFloat(x, 'e', -1, bits)
	exp, _ := strconv.Atoi(e[strings.IndexByte(e, 'e')+1:])
	if exp < -4 || exp >= 16 { // Python's repr: the decimal point's place beyond (-4, 16]
		return e
	}
	s := strconv.FormatFloat(x, 'f', -1, bits)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
