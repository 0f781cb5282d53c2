package admin

import (
	"encoding/json"
	"strconv"

	"github.com/staffroom/staffroom/form"
)

// defaultSlugLength is the length prepopulate.js cuts a value to when
// the field has no max_length, as Django's prepopulated_fields_js.
const defaultSlugLength = 50

// prepopulate marks the fields of prepopulated (GetPrepopulatedFields)
// for prepopulate.js, with the data Django's prepopulate_init reads: the
// source inputs (data-dependency_ids, data-dependency_list), the length
// (data-maxlength) and whether Unicode letters stay
// (data-allow-unicode). Fields the form does not hold, or shows
// read-only, are left out. It reports whether any field was marked, so
// the page loads the script only when used.
func prepopulate(f *form.ModelForm, prepopulated map[string][]string) bool {
	used := false
	for _, name := range sortedKeys(prepopulated) {
		target := f.Field(name)
		if target == nil || target.Field.Readonly {
			continue
		}
		var ids, names []string
		for _, dep := range prepopulated[name] {
			if src := f.Field(dep); src != nil && !src.Field.Readonly {
				ids, names = append(ids, "#"+src.ID), append(names, dep)
			}
		}
		if len(ids) == 0 {
			continue
		}
		maxLength, unicode := defaultSlugLength, false
		if of := target.Field.Model; of != nil {
			if of.MaxLength > 0 {
				maxLength = of.MaxLength
			}
			unicode = of.AllowUnicode
		}
		target.Field.Attrs = target.Field.Attrs.
			With("data-dependency_ids", jsonList(ids)).
			With("data-dependency_list", jsonList(names)).
			With("data-maxlength", strconv.Itoa(maxLength)).
			With("data-allow-unicode", strconv.FormatBool(unicode))
		used = true
	}
	return used
}

// jsonList is a list of strings as a JSON array.
func jsonList(items []string) string {
	b, _ := json.Marshal(items) // a []string always marshals
	return string(b)
}
