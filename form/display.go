package form

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

// emptyDisplay is what the admin shows for an empty value, Django's
// empty_value_display.
const emptyDisplay = "-"

// Display formats the Go value of a model field the way Django's admin
// shows a read-only field (display_for_field): the label of a choice, "-"
// for nil and "", dates as "Jan. 5, 2024", times as "Jan. 5, 2024, 1:30
// p.m." (in UTC; DisplayIn shows another zone's clocks), decimals with
// their places, booleans as "True" or "False", JSON spaced as Python's
// json.dumps writes it. Relations are the caller's: they need the related
// objects.
func Display(of *orm.Field, v any) string { return DisplayIn(of, v, time.UTC) }

// DisplayIn is Display showing date-times on loc's clocks (Django's
// localtime in the current time zone); nil means UTC.
func DisplayIn(of *orm.Field, v any, loc *time.Location) string {
	if len(of.Choices) > 0 {
		return choiceDisplay(of, v)
	}
	if of.Kind == orm.KindJSON && v != nil {
		return pyJSON(of.Format(v))
	}
	switch x := v.(type) {
	case nil:
		return emptyDisplay
	case bool:
		if x {
			return "True"
		}
		return "False"
	case time.Time:
		return displayTime(of, x, loc)
	case time.Duration:
		return formatTimedelta(x)
	case decimal.Decimal:
		return orm.FormatDecimal(x, of.Places)
	}
	s, ok := scalarString(v)
	if !ok {
		s = fmt.Sprint(v)
	}
	if s == "" {
		return emptyDisplay
	}
	return s
}

// displayTime shows a date, a time of day or a date-time, by the field's
// kind.
func displayTime(of *orm.Field, t time.Time, loc *time.Location) string {
	switch of.Kind {
	case orm.KindDate:
		return formatDate(t)
	case orm.KindTime:
		return formatTimeP(t)
	}
	return FormatDateTimeIn(t, loc)
}

// DisplayValueIn is DisplayIn of a field's value given as its struct
// field (orm.Field.Value), for the values it can show without boxing
// them — text, numbers, booleans, dates, times, decimals, UUIDs, and
// nullable ones of these. ok is false for any other, which DisplayIn
// shows.
func DisplayValueIn(of *orm.Field, rv reflect.Value, loc *time.Location) (s string, ok bool) {
	if len(of.Choices) > 0 || of.Kind == orm.KindJSON {
		return "", false
	}
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return emptyDisplay, true
		}
		rv = rv.Elem()
	}
	switch rv.Type() {
	case timeType:
		return displayTime(of, *rv.Addr().Interface().(*time.Time), loc), true
	case durationType:
		return formatTimedelta(time.Duration(rv.Int())), true
	case decimalType:
		return orm.FormatDecimal(*rv.Addr().Interface().(*decimal.Decimal), of.Places), true
	case uuidType:
		return rv.Addr().Interface().(*uuid.UUID).String(), true
	case boolType:
		if rv.Bool() {
			return "True", true
		}
		return "False", true
	}
	switch rv.Kind() {
	case reflect.String:
		s = rv.String()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		s = strconv.FormatInt(rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		s = strconv.FormatUint(rv.Uint(), 10)
	case reflect.Float32:
		s = pyFloatBits(rv.Float(), 32)
	case reflect.Float64:
		s = pyFloat(rv.Float())
	case reflect.Bool:
		s = strconv.FormatBool(rv.Bool()) // a named bool type: as scalarString shows it
	default:
		return "", false
	}
	if s == "" {
		return emptyDisplay, true
	}
	return s, true
}

var (
	timeType     = reflect.TypeFor[time.Time]()
	durationType = reflect.TypeFor[time.Duration]()
	decimalType  = reflect.TypeFor[decimal.Decimal]()
	uuidType     = reflect.TypeFor[uuid.UUID]()
	boolType     = reflect.TypeFor[bool]()
)

// pyJSON spaces compact JSON as Python's json.dumps does by default, which
// Django's admin shows: ", " between items and ": " after keys.
func pyJSON(compact string) string {
	var b strings.Builder
	inString, escaped := false, false
	for _, r := range compact {
		b.WriteRune(r)
		switch {
		case escaped:
			escaped = false
		case inString && r == '\\':
			escaped = true
		case r == '"':
			inString = !inString
		case !inString && (r == ',' || r == ':'):
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// formatTimedelta writes a duration as Python's str(timedelta) does, which
// the admin shows: "2:03:04", "1 day, 2:03:04.000005", "-1 day, 23:59:59".
func formatTimedelta(d time.Duration) string {
	us := d.Microseconds()
	const day = 86400 * 1000000
	days := us / day
	rem := us % day
	if rem < 0 {
		days, rem = days-1, rem+day
	}
	secs := rem / 1000000
	s := fmt.Sprintf("%d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if frac := rem % 1000000; frac != 0 {
		s += fmt.Sprintf(".%06d", frac)
	}
	if days != 0 {
		unit := " days, "
		if days == 1 || days == -1 {
			unit = " day, "
		}
		s = strconv.FormatInt(days, 10) + unit + s
	}
	return s
}

// choiceDisplay is the label of the choice whose value is v, or "-".
func choiceDisplay(of *orm.Field, v any) string {
	s, ok := scalarString(v)
	for _, c := range of.Choices {
		if ok && c.Value == s {
			return c.Label
		}
	}
	return emptyDisplay
}

// apMonths are the month names of Django's "N" format (Associated Press
// style).
var apMonths = [...]string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}

// FormatDateTime renders an instant as Django's default DATETIME_FORMAT
// "N j, Y, P" in UTC: "Nov. 21, 2026, 10:15 p.m.".
func FormatDateTime(t time.Time) string { return FormatDateTimeIn(t, time.UTC) }

// FormatDateTimeIn is FormatDateTime on loc's clocks (UTC when nil).
func FormatDateTimeIn(t time.Time, loc *time.Location) string {
	t = inLocation(t, loc)
	return formatDate(t) + ", " + formatTimeP(t)
}

// formatDate is Django's default DATE_FORMAT, "N j, Y".
func formatDate(t time.Time) string {
	return apMonths[t.Month()-1] + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
}

// formatTimeP is Django's "P" format: "1 a.m.", "1:30 p.m.", "midnight",
// "noon".
func formatTimeP(t time.Time) string {
	h, m := t.Hour(), t.Minute()
	switch {
	case h == 0 && m == 0:
		return "midnight"
	case h == 12 && m == 0:
		return "noon"
	}
	suffix := "a.m."
	if h >= 12 {
		suffix = "p.m."
	}
	h12 := strconv.Itoa((h+11)%12 + 1)
	if m == 0 {
		return h12 + " " + suffix
	}
	return fmt.Sprintf("%s:%02d %s", h12, m, suffix)
}
