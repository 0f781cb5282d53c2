package admin

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// GetFields implements Admin: Fields, else every editable field not in
// GetExclude nor GetReadonlyFields (a multi-table child's parents' fields
// first), followed by GetReadonlyFields.
func (a *ModelAdmin) GetFields(r *http.Request, obj any) []string {
	if a.Fields != nil {
		return a.Fields
	}
	exclude := a.self.GetExclude(r, obj)
	readonly := a.self.GetReadonlyFields(r, obj)
	var names []string
	for _, f := range a.model.AllFields() {
		if f.Editable && !f.IsAuto() && !slices.Contains(exclude, f.Name) && !slices.Contains(readonly, f.Name) {
			names = append(names, f.Name)
		}
	}
	return append(names, readonly...)
}

// GetFieldsets implements Admin: Fieldsets, else one unnamed fieldset of
// GetFields, a line each.
func (a *ModelAdmin) GetFieldsets(r *http.Request, obj any) []Fieldset {
	if a.Fieldsets != nil {
		return a.Fieldsets
	}
	return []Fieldset{{Lines: Lines(a.self.GetFields(r, obj)...)}}
}

// GetExclude implements Admin: Exclude.
func (a *ModelAdmin) GetExclude(r *http.Request, obj any) []string { return a.Exclude }

// GetReadonlyFields implements Admin: ReadonlyFields.
func (a *ModelAdmin) GetReadonlyFields(r *http.Request, obj any) []string { return a.ReadonlyFields }

// GetPrepopulatedFields implements Admin: PrepopulatedFields.
func (a *ModelAdmin) GetPrepopulatedFields(r *http.Request, obj any) map[string][]string {
	return a.PrepopulatedFields
}

// GetAutocompleteFields implements Admin: AutocompleteFields.
func (a *ModelAdmin) GetAutocompleteFields(r *http.Request) []string { return a.AutocompleteFields }

// GetInlines implements Admin: Inlines.
func (a *ModelAdmin) GetInlines(r *http.Request, obj any) []Inline { return a.Inlines }

// GetInlineInstances implements Admin: the inlines of GetInlines the user
// may view, add, change or delete in.
func (a *ModelAdmin) GetInlineInstances(r *http.Request, obj any) []Inline {
	var out []Inline
	for _, in := range a.self.GetInlines(r, obj) {
		if in.HasViewPermission(r, obj) || in.HasAddPermission(r, obj) || in.HasChangePermission(r, obj) || in.HasDeletePermission(r, obj) {
			out = append(out, in)
		}
	}
	return out
}

// flattenFieldsets lists the field names of fieldsets, in order.
func flattenFieldsets(fieldsets []Fieldset) []string {
	var out []string
	for _, fs := range fieldsets {
		out = append(out, fs.FieldNames()...)
	}
	return out
}

// formFieldNames splits the names a form page shows into the model fields
// the form holds, editable or read-only; other names (methods of the
// admin or the model) are shown read-only by the page alone.
func (a *ModelAdmin) formFieldNames(names []string) []string {
	var out []string
	for _, n := range names {
		if a.model.Field(n) != nil && n != "pk" {
			out = append(out, n)
		}
	}
	return out
}

// GetForm implements Admin: a model form of the fields of GetFieldsets,
// without GetExclude, with GetReadonlyFields shown as text, every field of
// a user who may only view obj read-only, and each field as the
// FormfieldFor* methods adjust it.
func (a *ModelAdmin) GetForm(r *http.Request, obj any, change bool) (*form.ModelForm, error) {
	fields := a.formFieldNames(flattenFieldsets(a.self.GetFieldsets(r, obj)))
	readonly := a.formFieldNames(a.self.GetReadonlyFields(r, obj))
	if change && !a.self.HasChangePermission(r, obj) {
		readonly = fields
	}
	var degradeErr error
	opts := a.fieldOptions(r, fields, &degradeErr)
	opts.Exclude, opts.Readonly = a.self.GetExclude(r, obj), readonly
	f, err := form.ForModel(r.Context(), a.site.db, a.model, opts)
	if err == nil {
		err = degradeErr
	}
	if err != nil {
		return nil, fmt.Errorf("admin: %s form: %w", a.model.Label(), err)
	}
	f.Renderer = a.site.forms
	return f, nil
}

// fieldOptions are the options of a form of fields: the admin's
// FormfieldOverrides and storage, and each field as the FormfieldFor*
// methods adjust it (Django's formfield_for_dbfield), a select of too
// many related objects degraded (degradeSelect; its error goes to *errp).
func (a *ModelAdmin) fieldOptions(r *http.Request, fields []string, errp *error) form.Options {
	choices := map[*orm.Field]orm.QuerySet{}
	big := map[*orm.Field]bool{} // asked once for the forms of a formset
	return form.Options{Fields: fields, Storage: a.site.cfg.Storage, KindWidgets: kindWidgets(a.FormfieldOverrides),
		Customize: func(of *orm.Field, f *form.Field) {
			ff := &Formfield{Field: f}
			switch {
			case of.Kind == orm.KindManyToMany:
				a.self.FormfieldForManyToMany(r, of, ff)
			case of.IsForeignKey():
				a.self.FormfieldForForeignKey(r, of, ff)
			case len(of.Choices) > 0:
				a.self.FormfieldForChoiceField(r, of, ff)
			}
			if of.IsRelation() && *errp == nil {
				*errp = a.degradeSelect(r, of, ff, big)
				a.site.wrapRelated(r, of, f)
			}
			if ff.Choices.Model() != nil {
				choices[of] = ff.Choices
			}
		},
		Choices: func(of *orm.Field) orm.QuerySet { return choices[of] },
	}
}

// m2mHelp is the hint Django's admin adds to a multiple select.
const m2mHelp = "Hold down “Control”, or “Command” on a Mac, to select more than one."

// FormfieldForForeignKey implements Admin: AutocompleteFields and
// RawIDFields get their widgets, and the related objects are offered in
// their admin's ordering when the related model is registered here.
func (a *ModelAdmin) FormfieldForForeignKey(r *http.Request, dbField *orm.Field, ff *Formfield) {
	a.orderChoices(r, dbField, ff)
	if a.relationWidget(r, dbField, ff) {
		return // Django's order: autocomplete, raw id, then radio
	}
	if layout, ok := a.RadioFields[dbField.Name]; ok {
		ff.Widget = radioSelect(layout)
		empty := ""
		if dbField.Blank {
			empty = "None"
		}
		ff.EmptyLabel = &empty
	}
}

// FormfieldForManyToMany implements Admin: the widgets of
// AutocompleteFields, RawIDFields, then FilterVertical and
// FilterHorizontal (the two-box chooser), the related admin's ordering,
// as for foreign keys, and Django's hint on selecting several.
func (a *ModelAdmin) FormfieldForManyToMany(r *http.Request, dbField *orm.Field, ff *Formfield) {
	if a.relationWidget(r, dbField, ff) {
		a.orderChoices(r, dbField, ff)
		return
	}
	if w := a.filterWidget(dbField); w != nil {
		ff.Widget = w
	}
	a.orderChoices(r, dbField, ff)
	ff.HelpText = strings.TrimSpace(ff.HelpText + " " + m2mHelp)
}

// FormfieldForChoiceField implements Admin: radio buttons for a field of
// RadioFields, the empty choice "None" first when the field may be left
// blank, as Django's; else the field as the form made it.
func (a *ModelAdmin) FormfieldForChoiceField(r *http.Request, dbField *orm.Field, ff *Formfield) {
	layout, ok := a.RadioFields[dbField.Name]
	if !ok {
		return
	}
	var choices []form.Choice
	if dbField.Blank {
		choices = append(choices, form.Choice{Value: "", Label: "None"})
	}
	for _, c := range dbField.Choices {
		choices = append(choices, form.Choice{Value: c.Value, Label: c.Label, Group: c.Group})
	}
	ff.Widget = &form.RadioSelect{Attrs: radioSelect(layout).Attrs, Choices: choices}
}

// radioSelect is Django's AdminRadioSelect: radio buttons in a list of
// class "radiolist", with "inline" for a horizontal one.
func radioSelect(layout RadioLayout) *form.RadioSelect {
	class := "radiolist"
	if layout == Horizontal {
		class = "radiolist inline"
	}
	return &form.RadioSelect{Attrs: form.Attrs{{Name: "class", Value: class}}}
}

// orderChoices orders a relation's choices as the related model's admin
// orders its change list, Django's get_field_queryset.
func (a *ModelAdmin) orderChoices(r *http.Request, dbField *orm.Field, ff *Formfield) {
	related := a.site.registered(dbField.Related)
	if related == nil || ff.Choices.Model() != nil {
		return
	}
	if ordering := related.GetOrdering(r); len(ordering) > 0 {
		ff.Choices = a.site.db.Query(dbField.Related).OrderBy(ordering...)
	}
}

// GetChangeformInitialData implements Admin: the add form's initial values
// from the query string, for model fields; a many-to-many value is a
// comma-separated list of keys.
func (a *ModelAdmin) GetChangeformInitialData(r *http.Request) url.Values {
	out := url.Values{}
	for k, vs := range r.URL.Query() {
		f := a.model.Field(k)
		if f == nil || len(vs) == 0 {
			continue
		}
		v := vs[len(vs)-1]
		if f.Kind == orm.KindManyToMany {
			out[k] = strings.Split(v, ",")
		} else {
			out[k] = []string{v}
		}
	}
	return out
}

// GetObject implements Admin: the object of GetQueryset with the given
// primary key; an id that does not parse as one is not found either.
func (a *ModelAdmin) GetObject(r *http.Request, objectID string) (any, error) {
	if _, err := a.model.PK.Parse(objectID); err != nil {
		return nil, fmt.Errorf("admin: %s %q: %w", a.model.Label(), objectID, orm.ErrNotFound)
	}
	return a.self.GetQueryset(r).Get(r.Context(), orm.Q{"pk": objectID})
}
