package orm

import (
	"fmt"
	"strconv"
	"strings"
	"time"
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
