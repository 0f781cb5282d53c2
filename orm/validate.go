package orm

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
)

// ValidationError reports a value a field's validation rejects, with
// Django's messages in the order they were found.
type ValidationError struct {
	Field    string
	Messages []string
}

// Error joins the messages.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("orm: field %s: %s", e.Field, strings.Join(e.Messages, " "))
}

// Validate checks a value of the field (as Get returns it, a pointer to
// one, or a string to parse) the way Django's Field.clean does: an editable
// field first refuses a value outside its choices ("Value 'x' is not a
// valid choice."), NULL in a field that is not null ("This field cannot be
// null.") and an empty value in a field that is not blank ("This field
// cannot be blank."); then, unless the value is empty, the kind's checks
// (max_length, integer range, decimal digits, slug, e-mail, URL and IP
// address formats) and the model's Meta.Validators run, and all their
// messages are reported together in a *ValidationError.
func (f *Field) Validate(v any) error {
	v = f.validationValue(v)
	val, err := f.normalize(v)
	if err != nil {
		return &ValidationError{Field: f.Name, Messages: []string{invalidMessage(err)}}
	}
	if f.Kind == KindJSON || f.Kind == KindBinary {
		val = v
	}
	if f.Editable {
		if msg := f.basicMessage(v, val); msg != "" {
			return &ValidationError{Field: f.Name, Messages: []string{msg}}
		}
	}
	if isEmpty(v) {
		return nil
	}
	msgs := f.kindMessages(val)
	for _, fn := range f.Validators {
		msgs = append(msgs, messagesOf(fn(val))...)
	}
	if len(msgs) > 0 {
		return &ValidationError{Field: f.Name, Messages: msgs}
	}
	return nil
}

// validationValue dereferences pointers and turns the zero key of a
// relation, and of an auto primary key, into nil.
func (f *Field) validationValue(v any) any {
	rv := reflect.ValueOf(v)
	for rv.IsValid() && rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		rv = rv.Elem()
		v = rv.Interface()
	}
	if f.IsForeignKey() || f.IsAuto() {
		if n, ok := toInt64(v); ok && n == 0 {
			return nil
		}
	}
	return v
}

// basicMessage is Django's Field.validate: choices, null and blank.
func (f *Field) basicMessage(v, val any) string {
	if len(f.Choices) > 0 && !isEmpty(v) && !f.isChoice(val) {
		return "Value " + pyRepr(v) + " is not a valid choice."
	}
	if val == nil && !f.Null {
		return "This field cannot be null."
	}
	if !f.Blank && isEmpty(v) {
		return "This field cannot be blank."
	}
	return ""
}

// isChoice compares a normalized value with each choice's value, both as
// Format writes them.
func (f *Field) isChoice(val any) bool {
	s := f.Format(val)
	for _, c := range f.Choices {
		if cv, err := f.Parse(c.Value); err == nil && f.Format(cv) == s {
			return true
		}
	}
	return false
}

// kindMessages runs the checks of the field's kind on a normalized value.
func (f *Field) kindMessages(val any) []string {
	var msgs []string
	switch x := val.(type) {
	case string:
		if f.MaxLength > 0 && f.Kind != KindGenericIPAddress {
			msgs = append(msgs, maxLengthMessage(f.MaxLength, utf8.RuneCountInString(x))...)
		}
		msgs = append(msgs, f.textMessages(x)...)
	case []byte:
		if f.MaxLength > 0 {
			msgs = append(msgs, maxLengthMessage(f.MaxLength, len(x))...)
		}
	case int64:
		msgs = append(msgs, f.rangeMessages(x)...)
	case decimal.Decimal:
		msgs = append(msgs, f.decimalMessages(x)...)
	}
	return msgs
}

func maxLengthMessage(limit, n int) []string {
	if n <= limit {
		return nil
	}
	return []string{fmt.Sprintf("Ensure this value has at most %d %s (it has %d).", limit, plural(limit, "character", "characters"), n)}
}

// rangeMessages are Django's MinValue/MaxValue messages for the integer
// range of the field's kind.
func (f *Field) rangeMessages(n int64) []string {
	if f.IsAuto() || f.IsForeignKey() {
		return nil
	}
	lo, hi := f.integerRange()
	switch {
	case n < lo:
		return []string{fmt.Sprintf("Ensure this value is greater than or equal to %d.", lo)}
	case n > hi:
		return []string{fmt.Sprintf("Ensure this value is less than or equal to %d.", hi)}
	}
	return nil
}

// integerRange is the range Django gives each integer field.
func (f *Field) integerRange() (lo, hi int64) {
	switch f.Kind {
	case KindAuto, KindInteger:
		return math.MinInt32, math.MaxInt32
	case KindSmallInteger:
		return math.MinInt16, math.MaxInt16
	case KindPositiveInteger:
		return 0, math.MaxInt32
	case KindPositiveSmallInteger:
		return 0, math.MaxInt16
	case KindPositiveBigInteger:
		return 0, math.MaxInt64
	}
	return math.MinInt64, math.MaxInt64
}

// decimalMessages is Django's DecimalValidator: digits in total, then
// decimal places, then digits before the point. Trailing zeros count, as
// in Python's Decimal.
func (f *Field) decimalMessages(d decimal.Decimal) []string {
	coef := d.Coefficient()
	digits := len(coef.Abs(coef).String())
	if coef.Sign() == 0 {
		digits = 1
	}
	exp := int(d.Exponent())
	var decimals int
	switch {
	case exp >= 0:
		if coef.Sign() != 0 {
			digits += exp
		}
	case -exp > digits:
		digits, decimals = -exp, -exp
	default:
		decimals = -exp
	}
	switch {
	case digits > f.MaxDigits:
		return []string{fmt.Sprintf("Ensure that there are no more than %d %s in total.", f.MaxDigits, plural(f.MaxDigits, "digit", "digits"))}
	case decimals > f.Places:
		return []string{fmt.Sprintf("Ensure that there are no more than %d decimal %s.", f.Places, plural(f.Places, "place", "places"))}
	case digits-decimals > f.MaxDigits-f.Places:
		whole := f.MaxDigits - f.Places
		return []string{fmt.Sprintf("Ensure that there are no more than %d %s before the decimal point.", whole, plural(whole, "digit", "digits"))}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isEmpty is Django's test "value in field.empty_values": nil, "", and an
// empty list or map (bytes are never empty).
func isEmpty(v any) bool {
	if isNilValue(v) {
		return true
	}
	switch x := v.(type) {
	case string:
		return x == ""
	case []byte:
		return false
	}
	rv := reflect.ValueOf(v)
	return (rv.Kind() == reflect.Slice || rv.Kind() == reflect.Map) && rv.Len() == 0
}

// messagesOf returns the messages of a validator's error.
func messagesOf(err error) []string {
	var ve *ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ve):
		return ve.Messages
	}
	return []string{err.Error()}
}

// invalidMessage turns a conversion error into a sentence.
func invalidMessage(err error) string {
	var ve *ValueError
	if errors.As(err, &ve) {
		err = ve.Err
	}
	msg := Capfirst(err.Error())
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	return msg
}

// pyRepr writes a value as Python's repr does in Django's messages:
// strings single-quoted.
func pyRepr(v any) string {
	if s, ok := v.(string); ok {
		return "'" + strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), "'", `\'`) + "'"
	}
	return fmt.Sprint(v)
}
