package admin

import (
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// ErrorLink is one entry of a change form's error summary, the list
// under the error note that names each error and links to its field so a
// keyboard or screen-reader user reaches it in one step (WCAG 3.3.1).
type ErrorLink struct {
	// Label names the field: its label, and for a field of an inline
	// form the inline's name and the form's number ("Choice #2: Votes");
	// empty for an error of no field.
	Label string
	// Message is the field's errors, joined.
	Message string
	// Target is the id of the field's input, which the link's fragment
	// names; empty for an error of no field, shown without a link.
	Target string
}

// errorSummary lists the errors of a change form in page order: the
// form's own, its fields', then each inline's own errors, each inline
// form's own and its fields'.
func errorSummary(nonField []string, af *AdminForm, inlines []*InlineAdminFormSet) []ErrorLink {
	var out []ErrorLink
	for _, msg := range nonField {
		out = append(out, ErrorLink{Message: msg})
	}
	out = appendFieldErrors(out, "", af.Fieldsets)
	for _, s := range inlines {
		for _, msg := range s.NonFormErrors {
			out = append(out, ErrorLink{Label: orm.Capfirst(s.VerboseNamePlural), Message: msg})
		}
		for _, f := range s.Forms {
			prefix := orm.Capfirst(s.VerboseName) + " #" + strconv.Itoa(f.Number)
			for _, msg := range f.Errors {
				out = append(out, ErrorLink{Label: prefix, Message: msg})
			}
			out = appendFieldErrors(out, prefix+": ", f.Fieldsets)
		}
	}
	return out
}

// appendFieldErrors appends a link for each editable field in error of
// the fieldsets, its label after prefix.
func appendFieldErrors(out []ErrorLink, prefix string, sets []*FormFieldset) []ErrorLink {
	for _, fs := range sets {
		for _, l := range fs.Lines {
			for _, ff := range l.Fields {
				if len(ff.Errors) == 0 || ff.Bound == nil || ff.IsReadonly {
					continue
				}
				out = append(out, ErrorLink{Label: prefix + ff.Label, Message: strings.Join(ff.Errors, " "),
					Target: ff.Bound.FocusID()})
			}
		}
	}
	return out
}
