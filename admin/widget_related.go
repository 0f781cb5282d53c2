package admin

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// RelatedFieldWidgetWrapper is Django's RelatedFieldWidgetWrapper: a
// relation's widget with links beside it to add a related object, and to
// change, view or delete the chosen one, each opening the related admin's
// page in a popup (related_objects.js) whose answer updates the widget.
// A link is shown only when the user holds the permission for it on the
// related model; the change, view and delete links only for a single
// choice, and the delete link not when deleting would cascade here.
type RelatedFieldWidgetWrapper struct {
	Widget form.Widget
	// ModelURL is the related model's admin URL, "<prefix><app>/<model>/".
	ModelURL string
	// ModelName and VerboseName name the related model.
	ModelName, VerboseName string
	// ToField is the related field the widget's values are of.
	ToField                               string
	CanAdd, CanChange, CanView, CanDelete bool
	// LimitChoices hides the model reference a popup's change and delete
	// answers use to update every select of the model on the page: this
	// select lists only some of its objects.
	LimitChoices bool
}

// relatedSelectedWrapper is the wrapper of a widget that shows only the
// chosen objects (an autocomplete select), so that the form loads those
// rather than every choice.
type relatedSelectedWrapper struct{ *RelatedFieldWidgetWrapper }

// SetSelected implements form.SelectedWidget.
func (w relatedSelectedWrapper) SetSelected(choices []form.Choice) {
	w.Widget.(form.SelectedWidget).SetSelected(choices)
}

// SetChoices implements form.ChoiceWidget for a wrapped select.
func (w *RelatedFieldWidgetWrapper) SetChoices(choices []form.Choice) {
	if cw, ok := w.Widget.(form.ChoiceWidget); ok {
		cw.SetChoices(choices)
	}
}

// ValueFrom implements form.Widget.
func (w *RelatedFieldWidgetWrapper) ValueFrom(data url.Values, name string) []string {
	return w.Widget.ValueFrom(data, name)
}

// Render implements form.Widget.
func (w *RelatedFieldWidgetWrapper) Render(name string, values []string, attrs form.Attrs) template.HTML {
	out, err := w.RenderWith(form.DefaultRenderer(), name, values, attrs)
	if err != nil {
		panic(err) // the default templates are parsed and tested at start-up
	}
	return out
}

// RenderWith implements form.TemplateWidget: the wrapped widget, then the
// links. The change, view and delete links carry their URL with
// "__fk__" for the key in data-href-template, and the URL of the current
// choice in href, so that they work before any script runs.
func (w *RelatedFieldWidgetWrapper) RenderWith(r *form.Renderer, name string, values []string, attrs form.Attrs) (template.HTML, error) {
	var inner template.HTML
	if tw, ok := w.Widget.(form.TemplateWidget); ok {
		var err error
		if inner, err = tw.RenderWith(r, name, values, attrs); err != nil {
			return "", err
		}
	} else {
		inner = w.Widget.Render(name, values, attrs)
	}
	id, _ := attrs.Get("id")
	params := "?" + paramToField + "=" + url.QueryEscape(w.ToField) + "&" + paramPopup + "=1" // Django's order
	current := ""
	if len(values) == 1 {
		current = values[0]
	}
	esc := template.HTMLEscapeString
	var b strings.Builder
	b.WriteString(`<div class="related-widget-wrapper"`)
	if !w.LimitChoices {
		b.WriteString(` data-model-ref="` + esc(w.ModelName) + `"`)
	}
	b.WriteString(">")
	b.WriteString(string(inner))
	// The icon is the ::before of the link's class (base.css), as on
	// the object tools, so the page needs no image URLs.
	link := func(kind, rest, title, icon string, template bool) {
		b.WriteString(`<a class="related-widget-wrapper-link ` + kind + `-related ` + icon + `" id="` + kind + `_` + esc(id) + `"`)
		if template {
			b.WriteString(` data-href-template="` + esc(w.ModelURL+"__fk__/"+rest+params) + `"`)
			if current != "" {
				b.WriteString(` href="` + esc(w.ModelURL+objectPath(current)+"/"+rest+params) + `"`)
			}
		} else {
			b.WriteString(` href="` + esc(w.ModelURL+rest+params) + `"`)
		}
		b.WriteString(` data-popup="yes" title="` + esc(title+" "+w.VerboseName) + `"><span class="visually-hidden">` +
			esc(title+" "+w.VerboseName) + `</span></a>`)
	}
	if w.CanChange {
		link("change", "change/", "Change selected", "changelink", true)
	}
	if w.CanAdd {
		link("add", "add/", "Add another", "addlink", false)
	}
	if w.CanDelete {
		link("delete", "delete/", "Delete selected", "deletelink", true)
	}
	if w.CanView && !w.CanChange {
		link("view", "change/", "View selected", "viewlink", true)
	}
	b.WriteString("</div>")
	return template.HTML(b.String()), nil
}

// unwrap is the widget inside a wrapper, else w.
func unwrap(w form.Widget) form.Widget {
	switch x := w.(type) {
	case *RelatedFieldWidgetWrapper:
		return x.Widget
	case relatedSelectedWrapper:
		return x.Widget
	}
	return w
}

// wrapRelated puts the relation widget of ff in a
// RelatedFieldWidgetWrapper, as Django's formfield_for_dbfield does for
// every relation but a raw id input; a related model that is not
// registered here gets no links.
func (s *Site) wrapRelated(r *http.Request, dbField *orm.Field, ff *form.Field) {
	switch ff.Widget.(type) {
	case *form.Select, *AutocompleteSelect, *FilteredSelectMultiple, *FilteredSelectSearch:
		// The two-box chooser gets the "+" link, as Django's
		// FilteredSelectMultiple does; selectfilter.js shows the object
		// the popup adds among the chosen.
	default:
		// A raw id input has its own lookup link; radio buttons keep
		// their <fieldset> layout, which keys on the widget's type.
		return
	}
	related := s.registered(dbField.Related)
	if related == nil {
		return
	}
	single := dbField.Kind != orm.KindManyToMany
	to := dbField.KeyField().Name
	w := &RelatedFieldWidgetWrapper{Widget: ff.Widget, ModelURL: s.modelURL(dbField.Related, ""),
		ModelName: dbField.Related.ModelName, VerboseName: dbField.Related.VerboseName, ToField: to,
		CanAdd:       related.HasAddPermission(r),
		CanChange:    single && related.HasChangePermission(r, nil),
		CanView:      single && related.HasViewPermission(r, nil),
		CanDelete:    single && dbField.OnDelete != orm.Cascade && related.HasDeletePermission(r, nil),
		LimitChoices: len(dbField.LimitChoicesTo) > 0}
	if _, ok := ff.Widget.(form.SelectedWidget); ok {
		ff.Widget = relatedSelectedWrapper{w}
		return
	}
	ff.Widget = w
}
