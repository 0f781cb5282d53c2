package form

import (
	"errors"
	"math"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

// IntegerField returns a whole-number field, Django's IntegerField: a number
// input whose value cleans to an int64 (0 or nil when empty and optional).
// It accepts a trailing ".0" as Django does; Range limits it.
func IntegerField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "number"})
	f.Clean = func(values []string) (any, error) { return f.cleanInt(s, values) }
	return f
}

// intPattern is what Python's int() accepts after Django drops a trailing
// ".0*": an optional sign and ASCII digits.
var intPattern = regexp.MustCompile(`^[+-]?[0-9]+(\.0*)?$`)

func (f *Field) cleanInt(s settings, values []string) (any, error) {
	v := strings.TrimFunc(last(values), isSpace)
	if v == "" {
		return f.empty(s, int64(0))
	}
	if !intPattern.MatchString(v) {
		return nil, ValidationError{msgWhole}
	}
	v, _, _ = strings.Cut(v, ".")
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	if s.hasRange {
		lo, hi = s.min, s.max
	}
	n, err := strconv.ParseInt(v, 10, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) && v[0] == '-', err == nil && n < lo:
		return nil, ValidationError{"Ensure this value is greater than or equal to " + strconv.FormatInt(lo, 10) + "."}
	case err != nil, n > hi:
		return nil, ValidationError{"Ensure this value is less than or equal to " + strconv.FormatInt(hi, 10) + "."}
	}
	return n, nil
}

// FloatField returns a floating-point field, Django's FloatField: a number
// input with step="any" whose value cleans to a float64. Infinities and NaN
// are refused.
func FloatField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "number"})
	f.Attrs = f.Attrs.With("step", "any")
	f.Clean = func(values []string) (any, error) { return f.cleanFloat(s, values) }
	return f
}

// floatPattern is a decimal number as Python's float() reads one, without
// its spellings of infinity and NaN (refused anyway) and Go's hex floats.
var floatPattern = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

func (f *Field) cleanFloat(s settings, values []string) (any, error) {
	v := strings.TrimFunc(last(values), isSpace)
	if v == "" {
		return f.empty(s, float64(0))
	}
	if !floatPattern.MatchString(v) {
		return nil, ValidationError{msgNumber}
	}
	x, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
		return nil, ValidationError{msgNumber}
	}
	return x, nil
}

// DecimalField returns a fixed-point field, Django's DecimalField: a number
// input whose step follows places, cleaning to a decimal.Decimal with at most
// maxDigits digits, places of them after the point.
func DecimalField(name, label string, maxDigits, places int, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "number"})
	f.Attrs = f.Attrs.With("step", decimal.New(1, int32(-places)).String())
	f.Clean = func(values []string) (any, error) { return f.cleanDecimal(s, maxDigits, places, values) }
	f.Format = func(v any) []string {
		if d, ok := v.(decimal.Decimal); ok {
			return []string{orm.FormatDecimal(d, places)}
		}
		return formatAny(v)
	}
	return f
}

// decimalPattern splits a number into sign, integer digits, fraction digits
// and exponent, as Python's Decimal reads it.
var decimalPattern = regexp.MustCompile(`^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$`)

func (f *Field) cleanDecimal(s settings, maxDigits, places int, values []string) (any, error) {
	v := strings.TrimFunc(last(values), isSpace)
	if v == "" {
		return f.empty(s, decimal.Zero)
	}
	m := decimalPattern.FindStringSubmatch(v)
	if m == nil || m[2] == "" && m[3] == "" {
		return nil, ValidationError{msgNumber}
	}
	digits := strings.TrimLeft(m[2]+m[3], "0")
	exp, ok := exponent(m[4], len(m[3]))
	if msg := checkDigits(len(digits), exp, ok, maxDigits, places); msg != "" {
		return nil, ValidationError{msg}
	}
	if digits == "" {
		return decimal.Zero, nil
	}
	// Validated, so digits has at most maxDigits digits.
	coef, _ := new(big.Int).SetString(m[1]+digits, 10)
	return decimal.NewFromBigInt(coef, int32(exp)), nil
}

// exponent returns the exponent of a number written with fraction digits
// after the point and exponent text. ok is false when the exponent is too
// large to hold, which no max_digits allows.
func exponent(text string, fraction int) (int, bool) {
	exp := 0
	if text != "" {
		e, err := strconv.Atoi(text)
		if err != nil || e > 1<<30 || e < -(1<<30) {
			return 0, false
		}
		exp = e
	}
	return exp - fraction, true
}

// checkDigits applies Django's DecimalValidator to a coefficient of n
// significant digits (0 for zero) and an exponent: it counts the digits in
// total, after the point and before it, the way Python's Decimal.as_tuple
// gives them (trailing zeros count; leading zeros do not).
func checkDigits(n, exp int, ok bool, maxDigits, places int) string {
	digits, decimals := maxDigits+1, 0
	if ok {
		digits, decimals = digitCounts(n, exp)
	}
	switch {
	case digits > maxDigits:
		return "Ensure that there are no more than " + strconv.Itoa(maxDigits) + plural(maxDigits, " digit", " digits") + " in total."
	case decimals > places:
		return "Ensure that there are no more than " + strconv.Itoa(places) + plural(places, " decimal place", " decimal places") + "."
	case digits-decimals > maxDigits-places:
		return "Ensure that there are no more than " + strconv.Itoa(maxDigits-places) + plural(maxDigits-places, " digit", " digits") + " before the decimal point."
	}
	return ""
}

func digitCounts(n, exp int) (digits, decimals int) {
	if exp >= 0 {
		if n == 0 {
			return 1, 0 // zero is the one digit 0, whatever its exponent
		}
		return n + exp, 0
	}
	if n == 0 {
		n = 1
	}
	if -exp > n {
		return -exp, -exp
	}
	return n, -exp
}
