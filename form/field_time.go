package form

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// TimeField returns a time-of-day field, Django's TimeField: an <input
// type="time"> cleaning to a time.Time on the zero date in UTC (as
// orm.TimeOf makes one). It accepts "15:04", "15:04:05" and
// "15:04:05.999999" (Django's TIME_INPUT_FORMATS); anything else is
// "Enter a valid time."
func TimeField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "time"})
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, time.Time{})
		}
		if t, ok := parseTimeOfDay(v); ok {
			return t, nil
		}
		return nil, ValidationError{msgTime}
	}
	f.Format = formatTimeOfDay
	return f
}

// timeOfDay is what Python's strptime reads with "%H:%M[:%S[.%f]]".
var timeOfDay = regexp.MustCompile(`^([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2})(?:\.([0-9]{1,6}))?)?$`)

func parseTimeOfDay(v string) (time.Time, bool) {
	m := timeOfDay.FindStringSubmatch(v)
	if m == nil {
		return time.Time{}, false
	}
	h, _ := strconv.Atoi(m[1])
	mins, _ := strconv.Atoi(m[2])
	sec, _ := strconv.Atoi("0" + m[3])
	micro, _ := strconv.Atoi((m[4] + "000000")[:6])
	if h > 23 || mins > 59 || sec > 59 {
		return time.Time{}, false
	}
	return orm.TimeOf(h, mins, sec, micro), true
}

// formatTimeOfDay writes a time of day as "15:04:05", with microseconds
// when it has some, so that a stored value survives a round trip.
func formatTimeOfDay(v any) []string {
	t, ok := v.(time.Time)
	if !ok {
		return formatAny(v)
	}
	if t.Nanosecond()/1000 == 0 {
		return []string{t.Format("15:04:05")}
	}
	return []string{t.Format("15:04:05.000000")}
}

// SplitDateTimeField returns a date-time field shown as a date input and a
// time input (SplitDateTimeWidget), Django's SplitDateTimeField, cleaning
// the two parts to a time.Time in UTC. Both parts are needed: a required
// field with either missing is "This field is required."; an optional one
// with only a time is "Enter a valid date.", with only a date "Enter a
// valid time."
func SplitDateTimeField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, SplitDateTimeWidget())
	f.Clean = func(values []string) (any, error) { return f.cleanSplit(s, values) }
	f.Format = func(v any) []string {
		t, ok := v.(time.Time)
		if !ok {
			return formatAny(v)
		}
		t = inLocation(t, s.loc)
		return []string{t.Format("2006-01-02"), formatTimeOfDay(t)[0]}
	}
	return f
}

// cleanSplit is Django's MultiValueField.clean with require_all_fields,
// then SplitDateTimeField.compress. A single value is read whole, as a
// query string's initial value gives it.
func (f *Field) cleanSplit(s settings, values []string) (any, error) {
	if len(values) == 1 {
		if v := strings.TrimFunc(values[0], isSpace); v != "" {
			return parseDateTimeIn(v, s.loc)
		}
	}
	parts := make([]string, 2)
	for i := range parts {
		if i < len(values) {
			parts[i] = strings.TrimFunc(values[i], isSpace)
		}
	}
	if parts[0] == "" && parts[1] == "" || parts[0] == "" && f.Required || parts[1] == "" && f.Required {
		return f.empty(s, time.Time{})
	}
	var msgs ValidationError
	date, dateOK := parseDate(parts[0])
	if parts[0] != "" && !dateOK {
		msgs = append(msgs, msgDate)
	}
	clock, clockOK := parseTimeOfDay(parts[1])
	if parts[1] != "" && !clockOK {
		msgs = append(msgs, msgTime)
	}
	switch {
	case msgs != nil:
		return nil, msgs
	case parts[0] == "":
		return nil, ValidationError{msgDate}
	case parts[1] == "":
		return nil, ValidationError{msgTime}
	}
	h, m, sec := clock.Clock()
	return fromZone(time.Date(date.Year(), date.Month(), date.Day(), h, m, sec, clock.Nanosecond(), time.UTC), s.loc)
}

// DurationField returns a duration field, Django's DurationField: a text
// input cleaning to a time.Duration from "[DD] [[HH:]MM:]ss[.uuuuuu]", ISO
// 8601 ("P3DT4H") or PostgreSQL's interval text, as orm.ParseDuration
// reads them; anything else is "Enter a valid duration."
func DurationField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "text"})
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, time.Duration(0))
		}
		d, err := orm.ParseDuration(v)
		if err != nil {
			return nil, ValidationError{msgDuration}
		}
		return d, nil
	}
	f.Format = func(v any) []string {
		if d, ok := v.(time.Duration); ok {
			return []string{orm.FormatDuration(d)}
		}
		return formatAny(v)
	}
	return f
}
