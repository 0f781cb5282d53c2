package admin

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

// emptyValueDisplay is what the admin shows for NULL and empty values.
const emptyValueDisplay = "-"

// apMonths are the month abbreviations of Django's "N" date format
// (Associated Press style).
var apMonths = [...]string{"Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."}

// formatDate renders a date as Django's default DATE_FORMAT "N j, Y":
// "Nov. 21, 2026".
func formatDate(t time.Time) string {
	return apMonths[t.Month()-1] + " " + strconv.Itoa(t.Day()) + ", " + strconv.Itoa(t.Year())
}

// formatDateTime renders an instant as Django's default DATETIME_FORMAT
// "N j, Y, P": "Nov. 21, 2026, 10:15 p.m.", in UTC.
func formatDateTime(t time.Time) string {
	t = t.UTC()
	return formatDate(t) + ", " + formatTimeP(t)
}

// formatTimeP is Django's "P" format: "10:15 a.m.", "3 p.m.", "midnight",
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
	h12 := h % 12
	if h12 == 0 {
		h12 = 12
	}
	if m == 0 {
		return fmt.Sprintf("%d %s", h12, suffix)
	}
	return fmt.Sprintf("%d:%02d %s", h12, m, suffix)
}

// displayValue renders a field's Go value for the change list and read-only
// fields, as Django's display_for_field does (booleans are handled by the
// caller, which shows icons).
func displayValue(f *orm.Field, v any) string {
	if v == nil {
		return emptyValueDisplay
	}
	if len(f.Choices) > 0 {
		return f.ChoiceLabel(fmt.Sprint(v))
	}
	switch x := v.(type) {
	case string:
		if x == "" {
			return emptyValueDisplay
		}
		return x
	case time.Time:
		if f.Kind == orm.KindDate {
			return formatDate(x)
		}
		return formatDateTime(x)
	case decimal.Decimal:
		return x.StringFixed(int32(f.Places))
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

// prettyName turns a field or method name into a column header:
// "was_published_recently" → "Was published recently".
func prettyName(name string) string {
	return orm.Capfirst(strings.ReplaceAll(name, "_", " "))
}
