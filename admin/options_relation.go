package admin

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// DefaultSelectMaxChoices is how many related objects a relation's select
// lists at most when ModelAdmin.SelectMaxChoices is not set.
const DefaultSelectMaxChoices = 100

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

// filterWidget is the two-box chooser of dbField when FilterVertical or
// FilterHorizontal lists it, else nil.
func (a *ModelAdmin) filterWidget(dbField *orm.Field) *FilteredSelectMultiple {
	return filterWidget(dbField, a.FilterHorizontal, a.FilterVertical)
}

// filterWidget is the two-box chooser of dbField when vertical or
// horizontal lists it, else nil.
func filterWidget(dbField *orm.Field, horizontal, vertical []string) *FilteredSelectMultiple {
	stacked := slices.Contains(vertical, dbField.Name)
	if !stacked && !slices.Contains(horizontal, dbField.Name) {
		return nil
	}
	return &FilteredSelectMultiple{Select: form.Select{Multiple: true}, VerboseName: dbField.VerboseName, Stacked: stacked}
}

// filterSearchWidget is the two-box chooser w of dbField past
// SelectMaxChoices: it lists the chosen objects only and searches the
// autocomplete endpoint for the others.
func (s *Site) filterSearchWidget(dbField *orm.Field, w *FilteredSelectMultiple) *FilteredSelectSearch {
	return &FilteredSelectSearch{FilteredSelectMultiple: *w, URL: s.cfg.Prefix + "autocomplete/",
		AppLabel: dbField.Model.App.Label, ModelName: dbField.Model.ModelName, Field: dbField.Name}
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
	to := dbField.KeyField().Name
	q.Set(paramToField, to)
	w.LookupURL = s.modelURL(dbField.Related, "") + "?" + q.Encode()
	return w
}

// selectMaxChoices is the admin's SelectMaxChoices, else the default; a
// negative one never degrades a select.
func (a *ModelAdmin) selectMaxChoices() int {
	if a.SelectMaxChoices != 0 {
		return a.SelectMaxChoices
	}
	return DefaultSelectMaxChoices
}

// degradeSelect keeps a relation's select from listing more than
// SelectMaxChoices objects: past it the field gets the autocomplete widget
// when the related admin can search, else a raw id input. Only a select
// the FormfieldFor* methods left as the form made it is degraded.
// The answer is kept in seen, for the other forms of a formset.
func (a *ModelAdmin) degradeSelect(r *http.Request, dbField *orm.Field, ff *Formfield, seen map[*orm.Field]bool) error {
	limit := a.selectMaxChoices()
	filtered, isFilter := ff.Widget.(*FilteredSelectMultiple)
	if _, ok := ff.Widget.(*form.Select); !ok && !isFilter || limit < 0 {
		return nil
	}
	big, ok := seen[dbField]
	if !ok {
		var err error
		if big, err = a.site.hasMoreThan(r.Context(), dbField, ff.Choices, limit); err != nil {
			return err
		}
		seen[dbField] = big
	}
	if !big {
		return nil
	}
	if related := a.site.registered(dbField.Related); isFilter && related != nil && len(related.GetSearchFields(r)) > 0 {
		ff.Widget = a.site.filterSearchWidget(dbField, filtered)
		return nil
	}
	ff.HelpText = strings.TrimSpace(strings.TrimSuffix(ff.HelpText, m2mHelp)) // no multiple select left to hold keys down in
	if related := a.site.registered(dbField.Related); related != nil && len(related.GetSearchFields(r)) > 0 {
		ff.Widget = a.site.autocompleteWidget(dbField.Model, dbField, ff.Required)
	} else {
		ff.Widget = a.site.rawIDWidget(dbField)
	}
	return nil
}

// inlineCustomize is the Customize of an inline's forms: the inline's
// AutocompleteFields and RawIDFields get their widgets, its
// FilterHorizontal and FilterVertical fields the two-box chooser, and
// the relation selects and choosers degrade as the parent form's do,
// past the parent admin's SelectMaxChoices; the key to the parent is the
// formset's own.
// The first error goes to *errp.
func (a *ModelAdmin) inlineCustomize(r *http.Request, ia *InlineModelAdmin, errp *error) func(of *orm.Field, f *form.Field) {
	seen := map[*orm.Field]bool{}
	return func(of *orm.Field, f *form.Field) {
		if !of.IsRelation() || of == ia.fk {
			return
		}
		switch {
		case slices.Contains(ia.AutocompleteFields, of.Name):
			f.Widget = a.site.autocompleteWidget(of.Model, of, f.Required)
		case slices.Contains(ia.RawIDFields, of.Name):
			f.Widget = a.site.rawIDWidget(of)
		case *errp == nil:
			if w := filterWidget(of, ia.FilterHorizontal, ia.FilterVertical); w != nil {
				f.Widget = w
			}
			*errp = a.degradeSelect(r, of, &Formfield{Field: f}, seen)
		}
		a.site.wrapRelated(r, of, f)
	}
}

// hasMoreThan reports whether a relation offers more than n objects:
// those of choices (all the related model's when zero), narrowed by
// limit_choices_to. It reads at most n+1 keys, whatever the table's size.
func (s *Site) hasMoreThan(ctx context.Context, dbField *orm.Field, choices orm.QuerySet, n int) (bool, error) {
	q := choices
	if q.Model() == nil {
		q = s.db.Query(dbField.Related)
	}
	if dbField.LimitChoicesTo != nil {
		q = q.Filter(dbField.LimitChoicesTo)
	}
	rows, err := q.OrderBy().Values("pk").Limit(n + 1).Tuples(ctx)
	if err != nil {
		return false, fmt.Errorf("admin: count the choices of %s.%s: %w", dbField.Model.Label(), dbField.Name, err)
	}
	return len(rows) > n, nil
}

// checkBigRelations warns (staffroom.W002) of each relation of the form
// that no widget option covers and whose related table holds more than
// SelectMaxChoices rows: its form degrades the select (degradeSelect). It
// needs the database, so Site.Check runs it and Register does not; a table
// it cannot read (not migrated yet) is skipped.
func (a *ModelAdmin) checkBigRelations(ctx context.Context) []CheckMessage {
	limit := a.selectMaxChoices()
	if limit < 0 {
		return nil
	}
	c := &checker{site: a.site, label: a.model.Label(), admin: typeName(a.self)}
	covered := map[string]bool{}
	for _, list := range [][]string{a.AutocompleteFields, a.RawIDFields, a.ReadonlyFields, a.Exclude} {
		for _, n := range list {
			covered[n] = true
		}
	}
	for n := range a.RadioFields {
		covered[n] = true
	}
	for _, f := range a.model.AllFields() {
		if !f.IsRelation() || f.Related == nil || !f.Editable || covered[f.Name] {
			continue
		}
		big, err := a.site.hasMoreThan(ctx, f, orm.QuerySet{}, limit)
		if err != nil || !big {
			continue
		}
		related := a.site.registered(f.Related)
		searches := related != nil && len(related.base().SearchFields) > 0
		if searches && a.filterWidget(f) != nil {
			continue // the two-box chooser searches, as it is meant to
		}
		widget, hint := "an autocomplete select", "List it in AutocompleteFields (or RawIDFields) to choose the widget."
		if !searches {
			widget = fmt.Sprintf("a raw id input (the admin of %s has no SearchFields to search with)", f.Related.Label())
		}
		c.add(LevelWarning, "staffroom.W002", f.Name, f.Name, hint,
			"The relation '%s' offers more than %d %s: its form shows %s, not a select listing them all.",
			f.Name, limit, f.Related.VerboseNamePlural, widget)
	}
	return c.msgs
}
