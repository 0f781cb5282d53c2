package orm

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// Date and time layouts used to parse and store values.
const (
	DateLayout     = "2006-01-02"
	DateTimeLayout = "2006-01-02 15:04:05.999999"
)

// Parse converts a string, as it arrives in a query string or a fixture,
// into the field's Go value: int64 for integers and foreign keys, string,
// bool, time.Time (dates, instants and times of day), decimal.Decimal,
// float64, time.Duration, uuid.UUID, []byte (from base64), or for JSON a
// value of the field's Go type decoded from the string. An invalid string
// gives a *ValueError.
func (f *Field) Parse(s string) (any, error) {
	v, err := f.parse(s)
	if err != nil {
		return nil, &ValueError{Field: f.Name, Value: s, Err: err}
	}
	return v, nil
}

func (f *Field) parse(s string) (any, error) {
	if k := f.otherKey(); k != nil {
		return k.parse(s)
	}
	switch f.Kind {
	case KindGenericIPAddress:
		return f.parseIP(s)
	case KindAuto, KindBigAuto, KindInteger, KindBigInteger, KindSmallInteger, KindForeignKey, KindOneToOne,
		KindPositiveInteger, KindPositiveSmallInteger, KindPositiveBigInteger:
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
	return f.parseOther(s)
}

// parseOther parses the kinds whose values are not numbers or dates.
func (f *Field) parseOther(s string) (any, error) {
	switch {
	case f.Kind.IsString():
		return s, nil
	case f.Kind == KindTime:
		return ParseTime(s)
	case f.Kind == KindDuration:
		return ParseDuration(s)
	case f.Kind == KindUUID:
		return parseUUID(s)
	case f.Kind == KindJSON:
		return f.decodeJSON([]byte(s))
	case f.Kind == KindBinary:
		return parseBinary(s)
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
	case KindPositiveInteger:
		lo, hi = 0, math.MaxInt32
	case KindPositiveSmallInteger:
		lo, hi = 0, math.MaxInt16
	case KindPositiveBigInteger:
		lo = 0
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
func ParseDateTime(s string) (time.Time, error) { return ParseDateTimeIn(s, time.UTC) }

// ParseDateTimeIn is ParseDateTime taking a value without an offset as a
// wall-clock time of loc, as Django reads a naive datetime with USE_TZ in
// its default time zone. The result is in UTC.
func ParseDateTimeIn(s string, loc *time.Location) (time.Time, error) {
	s = strings.TrimSpace(s)
	for _, layout := range dateTimeLayouts {
		if !layoutMayFit(layout, s) {
			continue
		}
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errors.New("not a date and time (YYYY-MM-DD HH:MM[:SS])")
}

// layoutMayFit reports whether a layout of dateTimeLayouts can read s:
// false when the character after the date (the layouts' dates are ten
// characters long) is not the layout's, or when one of s and the layout
// has an offset and the other none. Those layouts are skipped, not
// tried, as a failed parse allocates its error: a database's
// "2006-01-02 15:04:05.999999" went through three before it fitted.
func layoutMayFit(layout, s string) bool {
	if len(layout) == len(DateLayout) || len(s) <= len(DateLayout) {
		return len(layout) == len(DateLayout) && len(s) == len(DateLayout)
	}
	if layout[len(DateLayout)] != s[len(DateLayout)] {
		return false
	}
	zoned := strings.HasSuffix(layout, "07:00")
	return zoned == strings.ContainsAny(s[len(DateLayout):], "Z+-")
}

// normalize converts an accepted Go value (the field's own type, a pointer
// to it, a string to parse, or another integer type) into the canonical
// value Parse returns, ready for the dialect. A JSON value becomes its
// encoding, a json.RawMessage.
func (f *Field) normalize(v any) (any, error) {
	if k := f.otherKey(); k != nil {
		n, err := k.normalize(v)
		var ve *ValueError
		if errors.As(err, &ve) {
			err = &ValueError{Field: f.Name, Value: ve.Value, Err: ve.Err}
		}
		return n, err
	}
	switch f.Kind {
	case KindJSON:
		return f.normalizeJSON(v)
	case KindBinary:
		return f.normalizeBinary(v)
	}
	switch x := v.(type) {
	case nil:
		return nil, nil
	case string:
		if f.Kind == KindGenericIPAddress {
			return nilIfEmpty(f.parseIPValue(x))
		}
		if f.Kind.IsString() {
			return x, nil
		}
		return f.Parse(x)
	case fmt.Stringer:
		if f.Kind.IsString() {
			return f.normalize(x.String())
		}
	}
	if n, ok, err := f.normalizeScalar(v); ok {
		return n, err
	}
	return nil, &ValueError{Field: f.Name, Value: v, Err: fmt.Errorf("%T is not a %s value", v, f.Kind)}
}

// parseIPValue is Parse for an IP address, keeping the string type.
func (f *Field) parseIPValue(s string) (string, error) {
	ip, err := f.parseIP(s)
	if err != nil {
		return "", &ValueError{Field: f.Name, Value: s, Err: err}
	}
	return ip, nil
}

// nilIfEmpty turns "" into nil, for the kinds Django stores empty as NULL.
func nilIfEmpty(s string, err error) (any, error) {
	if err != nil || s == "" {
		return nil, err
	}
	return s, nil
}

// normalizeScalar converts numbers, booleans and times; ok is false when
// v is of no type the kind takes.
func (f *Field) normalizeScalar(v any) (any, bool, error) {
	switch {
	case f.Kind.IsInteger() || f.IsForeignKey():
		if _, ok := v.(int64); ok {
			return v, true, nil // as it came, not boxed again
		}
		n, ok := toInt64(v)
		if !ok {
			return nil, true, &ValueError{Field: f.Name, Value: v, Err: errors.New("want an integer")}
		}
		return n, true, nil
	case f.Kind == KindFloat:
		switch x := v.(type) {
		case float64:
			return x, true, nil
		case float32:
			return float64(x), true, nil
		}
		if n, ok := toInt64(v); ok {
			return float64(n), true, nil
		}
	case f.Kind == KindDecimal:
		switch x := v.(type) {
		case decimal.Decimal:
			return x, true, nil
		case float64:
			return decimal.NewFromFloat(x), true, nil
		}
		if n, ok := toInt64(v); ok {
			return decimal.NewFromInt(n), true, nil
		}
	case f.Kind == KindBoolean:
		b, ok := v.(bool)
		return b, ok, nil
	}
	return f.normalizeTimeLike(v)
}

// normalizeTimeLike converts dates, times, durations and UUIDs, truncating
// to the microseconds the databases keep. A value that needs no change is
// returned as it came, not boxed again.
func (f *Field) normalizeTimeLike(v any) (any, bool, error) {
	switch x := v.(type) {
	case time.Time:
		switch f.Kind {
		case KindDate:
			return v, true, nil
		case KindDateTime:
			if t := x.Truncate(time.Microsecond); t != x {
				return t, true, nil
			}
			return v, true, nil // nothing truncated, no monotonic reading dropped
		case KindTime:
			return timeOfDay(x), true, nil
		}
	case time.Duration:
		if f.Kind == KindDuration {
			return x.Truncate(time.Microsecond), true, nil
		}
	case uuid.UUID:
		if f.Kind == KindUUID {
			return x, true, nil
		}
	case [16]byte:
		if f.Kind == KindUUID {
			return uuid.UUID(x), true, nil
		}
	}
	return nil, false, nil
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
