package orm

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// fromDBKind converts the driver values of the kinds whose columns differ
// between databases (durations, times, UUIDs, JSON, binary data, IP
// addresses); ok is false for the other kinds.
func fromDBKind(f *Field, src any) (v any, ok bool, err error) {
	switch f.Kind {
	case KindBinary:
		v, err = binaryFromDB(src)
	case KindJSON:
		v, err = f.jsonFromDB(src)
	case KindUUID:
		v, err = uuidFromDB(src)
	case KindDuration:
		v, err = durationFromDB(src)
	case KindTime:
		v, err = timeFromDB(src)
	case KindGenericIPAddress:
		v = ipFromDB(textOf(src))
	default:
		return nil, false, nil
	}
	if err != nil {
		return nil, true, &ValueError{Field: f.Name, Value: src, Err: err}
	}
	return v, true, nil
}

// decimalFromFloat is decimal.NewFromFloat(x).Round(places), the value
// of a decimal column SQLite stores as a float. That formats x's shortest
// digits and rounds them as a number, which costs more than the rest of
// reading a row; for the floats such a column holds, x × 10^places is
// within a hair of a whole number n (22.42 × 100 of 2242), and the result
// is then n × 10^-places: the shortest digits of x are those of n, give
// or take far less than the half that would round them elsewhere. Other
// floats (1.005, whose shortest digits round up where x × 100 is just
// below 100.5) take the long way.
func decimalFromFloat(x float64, places int32) decimal.Decimal {
	if places >= 0 && int(places) < len(exactPowersOf10) {
		scaled := x * exactPowersOf10[places]
		n := math.Round(scaled)
		if math.Abs(scaled-n) < 1e-6 && math.Abs(n) < 1<<40 {
			return decimal.New(int64(n), -places)
		}
	}
	return decimal.NewFromFloat(x).Round(places)
}

// exactPowersOf10 are the powers of ten a float64 holds exactly, so
// multiplying by one rounds once.
var exactPowersOf10 = [...]float64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// textOf returns the text of a driver value that is text.
func textOf(src any) string {
	switch x := src.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return fmt.Sprint(src)
}

// durationFromDB reads microseconds (SQLite, MySQL) or an interval's text
// (PostgreSQL).
func durationFromDB(src any) (time.Duration, error) {
	if n, ok := toInt64(src); ok {
		return time.Duration(n) * time.Microsecond, nil
	}
	s := textOf(src)
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Duration(n) * time.Microsecond, nil
	}
	if us, err := parsePGInterval(s); err == nil {
		return microseconds(us)
	}
	return ParseDuration(s)
}

// timeFromDB reads a time of day as text, or as a time.Time some drivers
// give.
func timeFromDB(src any) (time.Time, error) {
	if t, ok := src.(time.Time); ok {
		return timeOfDay(t), nil
	}
	s := textOf(src)
	if len(s) > 10 && s[10] == ' ' && strings.Count(s, "-") >= 2 {
		s = s[11:]
	}
	return ParseTime(s)
}
