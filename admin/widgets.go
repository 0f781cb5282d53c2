package admin

import (
	"fmt"
	"html/template"
	"maps"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// AutocompleteSelect is Django's AutocompleteSelect and
// AutocompleteSelectMultiple: a <select> holding only the chosen objects,
// with the data attributes autocomplete.js reads to search the site's
// autocomplete/ endpoint for the others as the user types.
type AutocompleteSelect struct {
	form.Select
	URL                        string // the endpoint, "<prefix>autocomplete/"
	AppLabel, ModelName, Field string // the model holding the relation, and its field
	Required                   bool
}

// SetSelected implements form.SelectedWidget; an optional single select
// keeps an empty option first, so it can be cleared.
func (w *AutocompleteSelect) SetSelected(choices []form.Choice) {
	if !w.Required && !w.Multiple {
		choices = append([]form.Choice{{Value: "", Label: ""}}, choices...)
	}
	w.Choices = choices
}

// Render implements form.Widget.
func (w *AutocompleteSelect) Render(name string, values []string, attrs form.Attrs) template.HTML {
	out, err := w.RenderWith(form.DefaultRenderer(), name, values, attrs)
	if err != nil {
		panic(err) // the default templates are parsed and tested at start-up
	}
	return out
}

// RenderWith implements form.TemplateWidget with Django's attributes.
func (w *AutocompleteSelect) RenderWith(r *form.Renderer, name string, values []string, attrs form.Attrs) (template.HTML, error) {
	class := "admin-autocomplete"
	if c, ok := attrs.Get("class"); ok && c != "" {
		class = c + " " + class
	}
	data := form.Attrs{
		{Name: "data-ajax--cache", Value: "true"},
		{Name: "data-ajax--delay", Value: "250"},
		{Name: "data-ajax--type", Value: "GET"},
		{Name: "data-ajax--url", Value: w.URL},
		{Name: "data-app-label", Value: w.AppLabel},
		{Name: "data-model-name", Value: w.ModelName},
		{Name: "data-field-name", Value: w.Field},
		{Name: "data-theme", Value: "admin-autocomplete"},
		{Name: "data-allow-clear", Value: strconv.FormatBool(!w.Required)},
		{Name: "data-placeholder", Value: ""},
		{Name: "lang", Value: "en"},
	}
	return w.Select.RenderWith(r, name, values, data.Merge(attrs).With("class", class))
}

// RawIDInput is Django's ForeignKeyRawIdWidget and ManyToManyRawIdWidget:
// a text input of the related object's key (comma-separated keys when
// Multiple), a link to look one up in the related change list, and, for a
// foreign key, the chosen object's name beside it.
type RawIDInput struct {
	Multiple bool
	// LookupURL is the related change list in a popup, with the field's
	// limit_choices_to as filters; "" when the related model is not
	// registered.
	LookupURL string
	label     string
}

// SetSelected implements form.SelectedWidget.
func (w *RawIDInput) SetSelected(choices []form.Choice) {
	w.label = ""
	if !w.Multiple && len(choices) > 0 {
		w.label = choices[0].Label
	}
}

// Render implements form.Widget.
func (w *RawIDInput) Render(name string, values []string, attrs form.Attrs) template.HTML {
	out, err := w.RenderWith(form.DefaultRenderer(), name, values, attrs)
	if err != nil {
		panic(err)
	}
	return out
}

// RenderWith implements form.TemplateWidget.
func (w *RawIDInput) RenderWith(r *form.Renderer, name string, values []string, attrs form.Attrs) (template.HTML, error) {
	class, value := "vForeignKeyRawIdAdminField", ""
	if w.Multiple {
		class, value = "vManyToManyRawIdAdminField", strings.Join(values, ",")
	} else if len(values) > 0 {
		value = values[len(values)-1]
	}
	in := &form.Input{Type: "text", Attrs: form.Attrs{{Name: "class", Value: class}}}
	out, err := in.RenderWith(r, name, []string{value}, attrs)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString(string(out))
	if w.LookupURL != "" {
		id, _ := attrs.Get("id")
		fmt.Fprintf(&b, `<a href="%s" class="related-lookup" id="lookup_%s" title="Lookup"><span class="visually-hidden">Lookup</span></a>`,
			template.HTMLEscapeString(w.LookupURL), template.HTMLEscapeString(id))
	}
	if w.label != "" {
		fmt.Fprintf(&b, ` <strong class="related-label">%s</strong>`, template.HTMLEscapeString(w.label))
	}
	return template.HTML(b.String()), nil
}

// ValueFrom implements form.Widget: the keys of a many-to-many input are
// split at commas.
func (w *RawIDInput) ValueFrom(data url.Values, name string) []string {
	vs, ok := data[name]
	if !ok || len(vs) == 0 {
		return nil
	}
	v := vs[len(vs)-1]
	if !w.Multiple {
		return []string{v}
	}
	if strings.TrimSpace(v) == "" {
		return []string{}
	}
	parts := strings.Split(v, ",")
	for i := range parts {
		parts[i] = strings.TrimSpace(parts[i])
	}
	return parts
}

// lookupParams are a limit_choices_to as change list filters, Django's
// url_params_from_lookup_dict: lists joined with commas, booleans as 1
// and 0.
func lookupParams(q orm.Q) url.Values {
	out := url.Values{}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.Set(k, lookupValue(q[k]))
	}
	return out
}

func lookupValue(v any) string {
	switch x := v.(type) {
	case bool:
		if x {
			return "1"
		}
		return "0"
	case []string:
		return strings.Join(x, ",")
	case []int64:
		s := make([]string, len(x))
		for i, n := range x {
			s[i] = strconv.FormatInt(n, 10)
		}
		return strings.Join(s, ",")
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = lookupValue(e)
		}
		return strings.Join(s, ",")
	}
	return fmt.Sprint(v)
}

// Scripts are the scripts the widgets of the form and of its inline
// rows need, Django's form media: autocomplete.js for an autocomplete
// select, related_lookup.js for a raw id input's lookup link,
// selectfilter.js for the two-box chooser, related_objects.js for a
// RelatedFieldWidgetWrapper's links.
func (p *changeFormPage) Scripts() []string {
	var widgets []form.Widget
	if p.AdminForm != nil {
		for _, bf := range p.AdminForm.Form.Fields() {
			widgets = append(widgets, bf.Field.Widget)
		}
	}
	for _, fs := range p.Inlines {
		forms := fs.Forms
		if fs.Empty != nil {
			forms = append(forms[:len(forms):len(forms)], fs.Empty)
		}
		for _, f := range forms {
			for _, ff := range f.Fields {
				if ff.Bound != nil {
					widgets = append(widgets, ff.Bound.Field.Widget)
				}
			}
		}
	}
	return widgetScripts(widgets)
}

func widgetScripts(widgets []form.Widget) []string {
	var auto, lookup, filter, related bool
	for _, w := range widgets {
		if unwrap(w) != w {
			related = true
		}
		switch unwrap(w).(type) {
		case *AutocompleteSelect:
			auto = true
		case *RawIDInput:
			lookup = true
		case *FilteredSelectMultiple, *FilteredSelectSearch:
			filter = true
		}
	}
	var out []string
	if auto {
		out = append(out, "admin/js/autocomplete.js")
	}
	if lookup {
		out = append(out, "admin/js/related_lookup.js")
	}
	if filter {
		out = append(out, "admin/js/selectfilter.js")
	}
	if related {
		out = append(out, "admin/js/related_objects.js")
	}
	return out
}

// AdminDateWidget is Django's AdminDateInput: a text input of the date as
// the site writes it ("2024-05-01", DATE_INPUT_FORMATS' first), beside
// which calendar.js puts "Today" and a calendar. Unlike the browser's own
// date input, it shows one format whatever the browser's language.
func AdminDateWidget() form.Widget {
	return &form.Input{Type: "text", Attrs: form.Attrs{{Name: "class", Value: "vDateField"}, {Name: "size", Value: "10"}}}
}

// AdminTimeWidget is Django's AdminTimeInput: a text input of the time
// ("14:30:00"), beside which calendar.js puts "Now" and a clock.
func AdminTimeWidget() form.Widget {
	return &form.Input{Type: "text", Attrs: form.Attrs{{Name: "class", Value: "vTimeField"}, {Name: "size", Value: "8"}}}
}

// AdminSplitDateTime is Django's AdminSplitDateTime: a date-time as a
// "Date:" and a "Time:" input, posted as <name>_0 and <name>_1 (a value
// posted whole under <name> is read too).
func AdminSplitDateTime() form.Widget {
	return &form.MultiWidget{Widgets: []form.Widget{AdminDateWidget(), AdminTimeWidget()},
		Labels: []string{"Date:", "Time:"}, Class: "datetime"}
}

// adminKindWidgets are the widgets the admin gives fields of a kind,
// Django's FORMFIELD_FOR_DBFIELD_DEFAULTS for dates and times.
var adminKindWidgets = map[orm.Kind]func() form.Widget{
	orm.KindDate: AdminDateWidget, orm.KindTime: AdminTimeWidget, orm.KindDateTime: AdminSplitDateTime,
}

// kindWidgets are adminKindWidgets under the admin's FormfieldOverrides.
// Neither map is changed: the forms only read it.
func kindWidgets(overrides map[orm.Kind]func() form.Widget) map[orm.Kind]func() form.Widget {
	if len(overrides) == 0 {
		return adminKindWidgets
	}
	out := maps.Clone(adminKindWidgets)
	maps.Copy(out, overrides)
	return out
}
