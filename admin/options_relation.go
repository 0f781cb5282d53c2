package admin

import (
	"net/http"
	"slices"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// relationWidget gives a relation field the widget its options ask for:
// an autocomplete select for AutocompleteFields, a raw id input for
// RawIDFields (Django's formfield_for_foreignkey). It reports whether it
// set one.
func (a *ModelAdmin) relationWidget(r *http.Request, dbField *orm.Field, ff *Formfield) bool {
	switch {
	case slices.Contains(a.self.GetAutocompleteFields(r), dbField.Name):
		ff.Widget = a.site.autocompleteWidget(a.model, dbField, ff.Required)
	case slices.Contains(a.RawIDFields, dbField.Name):
		ff.Widget = a.site.rawIDWidget(dbField)
	default:
		return false
	}
	return true
}

// autocompleteWidget is the autocomplete select of the relation dbField of
// the model m.
func (s *Site) autocompleteWidget(m *orm.Model, dbField *orm.Field, required bool) *AutocompleteSelect {
	return &AutocompleteSelect{Select: form.Select{Multiple: dbField.Kind == orm.KindManyToMany},
		URL: s.cfg.Prefix + "autocomplete/", AppLabel: m.App.Label, ModelName: m.ModelName,
		Field: dbField.Name, Required: required}
}

// rawIDWidget is the raw id input of the relation dbField, with a lookup
// link when the related model is registered here.
func (s *Site) rawIDWidget(dbField *orm.Field) *RawIDInput {
	w := &RawIDInput{Multiple: dbField.Kind == orm.KindManyToMany}
	if s.registered(dbField.Related) == nil {
		return w
	}
	q := lookupParams(dbField.LimitChoicesTo)
	q.Set(paramPopup, "1")
	to := dbField.Related.PK.Name
	if t := dbField.Target(); t != nil {
		to = t.Name
	}
	q.Set(paramToField, to)
	w.LookupURL = s.modelURL(dbField.Related, "") + "?" + q.Encode()
	return w
}
