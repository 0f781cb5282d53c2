package orm

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// A time of day (a field with type=time) is a time.Time on Go's zero date,
// January 1 of year 1, in UTC, with microsecond precision, so that
// time.Time{} is midnight. TimeOf builds one; ParseTime reads one.

// TimeOf returns the time of day h:m:s.µs as a TimeField holds it.
func TimeOf(hour, min, sec, microsecond int) time.Time {
	return time.Date(1, time.January, 1, hour, min, sec, microsecond*1000, time.UTC)
}

// timeOfDay keeps the clock reading of t (in its own location) on the zero
// date, truncated to microseconds.
func timeOfDay(t time.Time) time.Time {
	return TimeOf(t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1000)
}

// ParseTime reads a time of day as Django accepts it: "HH:MM",
// "HH:MM:SS" or "HH:MM:SS.ffffff" (up to six fraction digits kept; a
// comma may replace the point).
func ParseTime(s string) (time.Time, error) {
	invalid := errors.New("not a time (HH:MM[:ss[.uuuuuu]])")
	parts := strings.Split(strings.TrimSpace(s), ":")
	if len(parts) < 2 || len(parts) > 3 {
		return time.Time{}, invalid
	}
	var vals [4]int
	if len(parts) == 3 {
		sec, frac, _ := strings.Cut(strings.Replace(parts[2], ",", ".", 1), ".")
		parts[2] = sec
		if frac != "" {
			us, ok := fraction(frac)
			if !ok {
				return time.Time{}, invalid
			}
			vals[3] = us
		}
	}
	limits := [3]int{23, 59, 59}
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || len(p) == 0 || len(p) > 2 || n < 0 || n > limits[i] {
			return time.Time{}, invalid
		}
		vals[i] = n
	}
	return TimeOf(vals[0], vals[1], vals[2], vals[3]), nil
}

// fraction reads the digits after a decimal point as microseconds, keeping
// at most six.
func fraction(digits string) (int, bool) {
	if len(digits) == 0 || strings.Trim(digits, "0123456789") != "" {
		return 0, false
	}
	if len(digits) > 6 {
		digits = digits[:6]
	}
	n, _ := strconv.Atoi(digits + strings.Repeat("0", 6-len(digits)))
	return n, true
}

// formatTime writes a time of day as Python's time.isoformat does:
// "15:04:05", or "15:04:05.000123" with microseconds.
func formatTime(t time.Time) string {
	if t.Nanosecond()/1000 == 0 {
		return t.Format("15:04:05")
	}
	return t.Format("15:04:05.000000")
}

// formatDateTime writes an instant in UTC as Python's str(datetime) does,
// which is how Django's SQLite backend stores it: "2006-01-02 15:04:05",
// or with six fraction digits when there are microseconds.
func formatDateTime(t time.Time) string {
	t = t.UTC()
	var buf [len("2006-01-02 15:04:05.000000")]byte
	b := appendDate(buf[:0], t)
	h, m, s := t.Clock()
	b = append(b, ' ')
	b = appendTwo(b, h)
	b = append(b, ':')
	b = appendTwo(b, m)
	b = append(b, ':')
	b = appendTwo(b, s)
	if us := t.Nanosecond() / 1000; us != 0 {
		b = append(b, '.')
		b = appendTwo(b, us/10000)
		b = appendTwo(b, us/100%100)
		b = appendTwo(b, us%100)
	}
	return string(b)
}

// formatDate writes the date of t as t.Format(DateLayout) does. It and
// formatDateTime write the digits themselves rather than have Format
// read a layout: a statement may bind dozens of dates (a date
// hierarchy's periods), each costing more to format than to compile.
func formatDate(t time.Time) string {
	var buf [len(DateLayout)]byte
	return string(appendDate(buf[:0], t))
}

// appendDate appends the date of t as DateLayout writes it.
func appendDate(b []byte, t time.Time) []byte {
	y, m, d := t.Date()
	if y < 0 || y > 9999 {
		return t.AppendFormat(b, DateLayout) // signs and longer years as Format writes them
	}
	b = appendTwo(b, y/100)
	b = appendTwo(b, y%100)
	b = append(b, '-')
	b = appendTwo(b, int(m))
	b = append(b, '-')
	return appendTwo(b, d)
}

// appendTwo appends n, from 0 to 99, as two digits.
func appendTwo(b []byte, n int) []byte {
	return append(b, byte('0'+n/10), byte('0'+n%10))
}
