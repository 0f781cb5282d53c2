package admin

import (
	"strings"
	"time"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// emptyValueDisplay is what the admin shows for NULL and empty values.
const emptyValueDisplay = "-"

// formatDateTime renders an instant as Django's default DATETIME_FORMAT,
// on the clocks of the request's zone.
var formatDateTime = form.FormatDateTimeIn

// displayValue renders a field's Go value for the change list, as Django's
// display_for_field does (booleans are handled by the caller, which shows
// icons), date-times on the clocks of loc, the request's zone.
func displayValue(f *orm.Field, v any, loc *time.Location) string { return form.DisplayIn(f, v, loc) }

// prettyName turns a field or method name into a column header:
// "was_published_recently" → "Was published recently".
func prettyName(name string) string {
	return orm.Capfirst(strings.ReplaceAll(name, "_", " "))
}
