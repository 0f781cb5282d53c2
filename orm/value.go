package orm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Date and time layouts used to parse and store values.
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02 15:04:05.999999"
)

// Parse converts a string, as it arrives in a query string or a fixture,
// into the field's Go value: int64 for integers and foreign keys, string,
// bool, time.Time, decimal.Decimal or float64. An invalid string gives a
// *ValueError.
func (f *Field) Parse(s string) (any, error) {
	v, err := f.parse(s)
	if err != nil {
		return nil, &ValueError{Field: f.Name, Value: s, Err: err}
	}
	return v, nil
}

func (f *Field) parse(s string) (any, error) {
	switch f.Kind {
	case KindChar, KindText:
		return s, nil
	case KindAuto, KindBigAuto, KindInteger, KindBigInteger, KindSmallInteger, KindForeignKey:
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil {
			return nil, errors.New("not a whole number")
		}
		if err := f.checkRange(n); err != nil {
			return nil, err
		}
		return n, nil
	case KindBoolean:
		switch strings.ToLower(strings.TrimSpace(s)) {
		case "1", "true", "t", "yes", "on":
			return true, nil
		case "0", "false", "f", "no", "off", "":
			return false, nil
		}
		return nil, errors.New("not a boolean")
	case KindFloat:
		x, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, errors.New("not a number")
		}
		return x, nil
	case KindDecimal:
		d, err := decimal.NewFromString(strings.TrimSpace(s))
		if err != nil {
			return nil, errors.New("not a decimal number")
		}
		return d, nil
	case KindDate:
		return ParseDate(s)
	case KindDateTime:
		return ParseDateTime(s)
	}
	return nil, fmt.Errorf("cannot parse a %s from a string", f.Kind)
}

func (f *Field) checkRange(n int64) error {
	lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
	switch f.Kind {
	case KindAuto, KindInteger:
		lo, hi = math.MinInt32, math.MaxInt32
	case KindSmallInteger:
		lo, hi = math.MinInt16, math.MaxInt16
	}
	if n < lo || n > hi {
		return fmt.Errorf("out of range %d..%d", lo, hi)
	}
	return nil
}

// ParseDate reads "YYYY-MM-DD" (a time part, if any, is ignored).
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > 10 && (s[10] == ' ' || s[10] == 'T') {
		s = s[:10]
	}
	t, err := time.Parse(DateLayout, s)
	if err != nil {
		return time.Time{}, errors.New("not a date (YYYY-MM-DD)")
	}
	return t, nil
}

var dateTimeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04",
	"2006-01-02T15:04",
	DateLayout,
}

// ParseDateTime reads a date and time as Django accepts them ("2006-01-02
// 15:04:05", with optional fraction and offset, or a "T" separator). A value
// without an offset is taken as UTC. The result is in UTC.
func ParseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a date and time (YYYY-MM-DD HH:MM[:SS])")
}

// normalize converts an accepted Go value (the field's own type, a pointer
// to it, a string to parse, or another integer type) into the canonical
// value Parse returns, ready for the dialect.
func (f *Field) normalize(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if f.Kind == KindChar || f.Kind == KindText {
			return x, nil
		}
		return f.Parse(x)
	case fmt.Stringer:
		if _, ok := v.(time.Time); !ok {
			if _, ok := v.(decimal.Decimal); !ok {
				if f.Kind == KindChar || f.Kind == KindText {
					return x.String(), nil
				}
			}
		}
	}
	switch f.Kind {
	case KindAuto, KindBigAuto, KindInteger, KindBigInteger, KindSmallInteger, KindForeignKey:
		n, ok := toInt64(v)
		if !ok {
			return nil, &ValueError{Field: f.Name, Value: v, Err: errors.New("want an integer")}
		}
		return n, nil
	case KindFloat:
		switch x := v.(type) {
		case float64:
			return x, nil
		case float32:
			return float64(x), nil
		}
		if n, ok := toInt64(v); ok {
			return float64(n), nil
		}
	case KindDecimal:
		switch x := v.(type) {
		case decimal.Decimal:
			return x, nil
		case float64:
			return decimal.NewFromFloat(x), nil
		}
		if n, ok := toInt64(v); ok {
			return decimal.NewFromInt(n), nil
		}
	case KindBoolean:
		if b, ok := v.(bool); ok {
			return b, nil
		}
	case KindDate, KindDateTime:
		if t, ok := v.(time.Time); ok {
			return t, nil
		}
	}
	return nil, &ValueError{Field: f.Name, Value: v, Err: fmt.Errorf("%T is not a %s value", v, f.Kind)}
}

func toInt64(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case int16:
		return int64(n), true
	case int8:
		return int64(n), true
	case uint:
		return int64(n), n <= math.MaxInt64
	case uint32:
		return int64(n), true
	case uint16:
		return int64(n), true
	case uint64:
		return int64(n), n <= math.MaxInt64
	}
	return 0, false
}
