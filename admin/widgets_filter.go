package admin

import (
	"html/template"

	"github.com/staffroom/staffroom/form"
)

// FilteredSelectMultiple is Django's FilteredSelectMultiple, the widget of
// FilterHorizontal and FilterVertical: a <select multiple> of class
// "selectfilter" (or "selectfilterstacked") with the data-field-name and
// data-is-stacked attributes of Django's SelectFilter2, which
// selectfilter.js turns into the two-box chooser. Without JavaScript it is
// a plain multiple select.
type FilteredSelectMultiple struct {
	form.Select
	VerboseName string // the field's, for the boxes' headings
	Stacked     bool   // FilterVertical: the boxes one above the other
}

// Render implements form.Widget.
func (w *FilteredSelectMultiple) Render(name string, values []string, attrs form.Attrs) template.HTML {
	out, err := w.RenderWith(form.DefaultRenderer(), name, values, attrs)
	if err != nil {
		panic(err) // the default templates are parsed and tested at start-up
	}
	return out
}

// RenderWith implements form.TemplateWidget.
func (w *FilteredSelectMultiple) RenderWith(r *form.Renderer, name string, values []string, attrs form.Attrs) (template.HTML, error) {
	return w.render(r, name, values, nil, attrs)
}

func (w *FilteredSelectMultiple) render(r *form.Renderer, name string, values []string, extra, attrs form.Attrs) (template.HTML, error) {
	class, stacked := "selectfilter", "0"
	if w.Stacked {
		class, stacked = "selectfilterstacked", "1"
	}
	if c, ok := attrs.Get("class"); ok && c != "" {
		class = c + " " + class
	}
	data := append(form.Attrs{{Name: "data-field-name", Value: w.VerboseName}, {Name: "data-is-stacked", Value: stacked}}, extra...)
	s := w.Select
	s.Multiple = true
	return s.RenderWith(r, name, values, data.Merge(attrs).With("class", class))
}

// FilteredSelectSearch is the two-box chooser of a relation with more
// objects than SelectMaxChoices: the select holds only the chosen
// objects, and selectfilter.js fills the "Available" box by searching the
// site's autocomplete/ endpoint, with the data attributes of
// AutocompleteSelect (the relation's name in data-relation-name, since
// data-field-name is SelectFilter2's heading), so that no page lists
// every related object.
type FilteredSelectSearch struct {
	FilteredSelectMultiple
	URL, AppLabel, ModelName, Field string
}

// SetSelected implements form.SelectedWidget.
func (w *FilteredSelectSearch) SetSelected(choices []form.Choice) { w.Choices = choices }

// Render implements form.Widget.
func (w *FilteredSelectSearch) Render(name string, values []string, attrs form.Attrs) template.HTML {
	out, err := w.RenderWith(form.DefaultRenderer(), name, values, attrs)
	if err != nil {
		panic(err)
	}
	return out
}

// RenderWith implements form.TemplateWidget.
func (w *FilteredSelectSearch) RenderWith(r *form.Renderer, name string, values []string, attrs form.Attrs) (template.HTML, error) {
	return w.render(r, name, values, form.Attrs{
		{Name: "data-ajax--url", Value: w.URL},
		{Name: "data-app-label", Value: w.AppLabel},
		{Name: "data-model-name", Value: w.ModelName},
		{Name: "data-relation-name", Value: w.Field},
	}, attrs)
}
