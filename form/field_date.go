package form

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DateField returns a date field, Django's DateField: a date input cleaning
// to a time.Time at midnight UTC. It accepts "2006-01-02" (what browsers
// send), "01/02/2006", "01/02/06" and Django's other default input formats
// ("Jan 2 2006", "2 January, 2006", ...).
func DateField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "date"})
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, time.Time{})
		}
		if t, ok := parseDate(v); ok {
			return t, nil
		}
		return nil, ValidationError{msgDate}
	}
	f.Format = formatTime("2006-01-02")
	return f
}

// DateTimeField returns a date-and-time field, Django's DateTimeField: a
// datetime-local input cleaning to a time.Time in UTC. It accepts
// "2006-01-02T15:04[:05[.999999]]" (what browsers send), the same with a
// space for the "T", an optional "Z" or "+07:00" offset, the US formats
// "01/02/2006 15:04[:05]", and a date alone (midnight).
//
// A time without an offset is a wall-clock time of the field's zone
// (InTimeZone; UTC without one), and is shown in it; one that the zone's
// clocks skipped or showed twice (a daylight-saving change) is refused
// with Django's message rather than moved. Given SplitDateTimeWidget as its widget (WithWidget, or a model form's
// KindWidgets), it cleans and shows the two parts as SplitDateTimeField
// does.
func DateTimeField(name, label string, opts ...Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Input{Type: "datetime-local"})
	split := SplitDateTimeField(name, label, opts...)
	f.Clean = func(values []string) (any, error) {
		if _, ok := f.Widget.(*MultiWidget); ok {
			split.Required = f.Required
			return split.Clean(values)
		}
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, time.Time{})
		}
		return parseDateTimeIn(v, s.loc)
	}
	f.Format = func(v any) []string {
		if _, ok := f.Widget.(*MultiWidget); ok {
			return split.Format(v)
		}
		return formatDateTimeLocal(v, s.loc)
	}
	return f
}

// formatTime returns a Format function writing times with layout.
func formatTime(layout string) func(any) []string {
	return func(v any) []string {
		if t, ok := v.(time.Time); ok {
			return []string{t.Format(layout)}
		}
		return formatAny(v)
	}
}

// formatDateTimeLocal writes an instant as a datetime-local input wants it,
// on loc's clocks (UTC when nil), with seconds only when there are some;
// like Django's widget it drops fractions of a second.
func formatDateTimeLocal(v any, loc *time.Location) []string {
	t, ok := v.(time.Time)
	if !ok {
		return formatAny(v)
	}
	t = inLocation(t, loc)
	if t.Second() == 0 {
		return []string{t.Format("2006-01-02T15:04")}
	}
	return []string{t.Format("2006-01-02T15:04:05")}
}

// dateLayouts are Django's DATE_INPUT_FORMATS, as Go layouts.
var dateLayouts = []string{
	"2006-1-2", "1/2/2006", "1/2/06",
	"Jan 2 2006", "Jan 2, 2006", "2 Jan 2006", "2 Jan, 2006",
	"January 2 2006", "January 2, 2006", "2 January 2006", "2 January, 2006",
}

func parseDate(v string) (time.Time, bool) {
	// Go reads a signed year ("+024", "-6") where Python wants digits, so
	// signs are refused up front: only the ISO layout has dashes.
	if strings.Contains(v, "+") {
		return time.Time{}, false
	}
	for i, layout := range dateLayouts {
		if i > 0 && strings.Contains(v, "-") {
			break
		}
		if t, err := time.Parse(layout, v); err == nil && t.Year() >= 1 {
			return t, true
		}
	}
	return time.Time{}, false
}

// isoDateTime is Django's datetime_re (django.utils.dateparse).
var isoDateTime = regexp.MustCompile(`^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[T ]([0-9]{1,2}):([0-9]{1,2})` +
	`(?::([0-9]{1,2})(?:[.,]([0-9]{1,6})[0-9]{0,6})?)?\s*(Z|[+-][0-9]{2}(?::?[0-9]{2})?)?$`)

// usDateTimeLayouts are the rest of Django's DATETIME_INPUT_FORMATS; Go
// reads a fraction after the seconds without being told.
var usDateTimeLayouts = []string{"1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/06 15:04:05", "1/2/06 15:04"}

// parseDateTimeIn reads a date-time as parseDateTime does, taking one
// without an offset as a wall-clock time of loc (Django's
// from_current_timezone).
func parseDateTimeIn(v string, loc *time.Location) (time.Time, error) {
	t, ok := parseDateTime(v)
	if !ok {
		return time.Time{}, ValidationError{msgDateTime}
	}
	if m := isoDateTime.FindStringSubmatch(v); m != nil && m[8] != "" {
		return t, nil // an offset was given
	}
	return fromZone(t, loc)
}

// fromZone reads the wall clock of w (a time in UTC) as a time of loc. A
// wall-clock time loc's clocks never showed (they jumped over it) or
// showed twice (they went back) has no one answer: it is refused with
// Django's message, never moved to a neighbouring instant.
func fromZone(w time.Time, loc *time.Location) (time.Time, error) {
	if loc == nil || loc == time.UTC {
		return w, nil
	}
	// The offsets in force around w, as an instant, include both sides of
	// any change near it; each that reads back as w is a reading of w.
	var found []time.Time
	for _, probe := range []time.Time{w.Add(-36 * time.Hour), w, w.Add(36 * time.Hour)} {
		_, off := probe.In(loc).Zone()
		u := w.Add(-time.Duration(off) * time.Second)
		if _, o := u.In(loc).Zone(); o == off && !slices.ContainsFunc(found, u.Equal) {
			found = append(found, u)
		}
	}
	if len(found) != 1 {
		return time.Time{}, ValidationError{fmt.Sprintf("%s couldn’t be interpreted in time zone %s; it may be ambiguous or it may not exist.",
			pyDateTime(w), loc.String())}
	}
	return found[0].UTC(), nil
}

// pyDateTime writes a wall-clock time as Python's str(datetime) does.
func pyDateTime(t time.Time) string {
	if t.Nanosecond()/1000 == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format("2006-01-02 15:04:05.000000")
}

// inLocation is t on loc's clocks, UTC's when loc is nil.
func inLocation(t time.Time, loc *time.Location) time.Time {
	if loc == nil {
		return t.UTC()
	}
	return t.In(loc)
}

func parseDateTime(v string) (time.Time, bool) {
	if m := isoDateTime.FindStringSubmatch(v); m != nil {
		return isoTime(m)
	}
	if !strings.ContainsAny(v, "+-") {
		for _, layout := range usDateTimeLayouts {
			if t, err := time.Parse(layout, v); err == nil && t.Year() >= 1 {
				return t, true
			}
		}
	}
	return parseDate(v)
}

// isoTime builds the instant matched by isoDateTime, refusing any part out
// of range rather than letting time.Date carry it over.
func isoTime(m []string) (time.Time, bool) {
	n := make([]int, 6)
	for i := range n {
		n[i], _ = strconv.Atoi(m[i+1])
	}
	micro, _ := strconv.Atoi((m[7] + "000000")[:6])
	loc, ok := zone(m[8])
	if !ok || n[0] < 1 {
		return time.Time{}, false
	}
	t := time.Date(n[0], time.Month(n[1]), n[2], n[3], n[4], n[5], micro*1000, loc)
	if t.Month() != time.Month(n[1]) || t.Day() != n[2] || t.Hour() != n[3] || t.Minute() != n[4] || t.Second() != n[5] {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// zone reads "", "Z", "+07", "+0700" or "+07:00".
func zone(s string) (*time.Location, bool) {
	if s == "" || s == "Z" {
		return time.UTC, true
	}
	digits := strings.ReplaceAll(s[1:], ":", "")
	h, _ := strconv.Atoi(digits[:2])
	mins := 0
	if len(digits) == 4 {
		mins, _ = strconv.Atoi(digits[2:])
	}
	if h > 23 || mins > 59 {
		return nil, false
	}
	offset := (h*60 + mins) * 60
	if s[0] == '-' {
		offset = -offset
	}
	return time.FixedZone(s, offset), true
}
