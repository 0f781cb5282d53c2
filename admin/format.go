package admin

import (
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// emptyValueDisplay is what the admin shows for NULL and empty values.
const emptyValueDisplay = "-"

// formatDateTime renders an instant as Django's default DATETIME_FORMAT.
var formatDateTime = form.FormatDateTime

// displayValue renders a field's Go value for the change list, as Django's
// display_for_field does (booleans are handled by the caller, which shows
// icons).
func displayValue(f *orm.Field, v any) string { return form.Display(f, v) }

// prettyName turns a field or method name into a column header:
// "was_published_recently" → "Was published recently".
func prettyName(name string) string {
	return orm.Capfirst(strings.ReplaceAll(name, "_", " "))
}
