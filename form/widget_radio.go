package form

import (
	"html/template"
	"net/url"
)

// ChoiceListContext is what form/widgets/choice_list.html receives: the ID
// and Class of the outer <div>, and the options, each an input in its
// label.
type ChoiceListContext struct {
	ID, Class string
	Groups    []OptionGroup
}

// RadioSelect is a list of radio buttons, Django's RadioSelect:
//
//	<div id="id_x"><div><label for="id_x_0"><input type="radio" name="x" value="a" id="id_x_0"> A</label></div>…</div>
//
// The field's id goes on the outer <div> and, numbered, on each button; its
// other attributes (required, aria-*) and a class go on every button, the
// class on the <div> too. The admin lays the list out horizontally with
// class "radiolist inline" and vertically with "radiolist". Grouped
// choices are wrapped in <div><label>Group</label>…</div>.
type RadioSelect struct {
	Attrs   Attrs
	Choices []Choice
}

// SetChoices implements ChoiceWidget.
func (w *RadioSelect) SetChoices(choices []Choice) { w.Choices = choices }

// Render implements Widget.
func (w *RadioSelect) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *RadioSelect) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	return renderChoiceList(r, "radio", name, w.Choices, []string{last(values)}, w.Attrs.Merge(attrs), false)
}

// ValueFrom implements Widget.
func (w *RadioSelect) ValueFrom(data url.Values, name string) []string { return lastValue(data, name) }

// CheckboxSelectMultiple is a list of checkboxes, Django's
// CheckboxSelectMultiple: the markup of RadioSelect with checkboxes, any
// number of which may be checked. The boxes never carry the required
// attribute, which would make the browser ask for every one.
type CheckboxSelectMultiple struct {
	Attrs   Attrs
	Choices []Choice
}

// SetChoices implements ChoiceWidget.
func (w *CheckboxSelectMultiple) SetChoices(choices []Choice) { w.Choices = choices }

// Render implements Widget.
func (w *CheckboxSelectMultiple) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *CheckboxSelectMultiple) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	return renderChoiceList(r, "checkbox", name, w.Choices, values, w.Attrs.Merge(attrs).Without("required"), true)
}

// ValueFrom implements Widget: every value submitted; none when no box is
// checked.
func (w *CheckboxSelectMultiple) ValueFrom(data url.Values, name string) []string { return data[name] }

// renderChoiceList draws a list of radio buttons or checkboxes.
func renderChoiceList(r *Renderer, typ, name string, choices []Choice, values []string, attrs Attrs, multiple bool) (template.HTML, error) {
	id, _ := attrs.Get("id")
	class, _ := attrs.Get("class")
	shared := attrs.Without("id").html()
	groups := optionGroups(choices, values, multiple, id)
	for _, g := range groups {
		for i := range g.Options {
			g.Options[i].Name, g.Options[i].Type = name, typ
			if g.Options[i].ID != "" {
				g.Options[i].Attrs = shared + template.HTMLAttr(` id="`+esc(g.Options[i].ID)+`"`)
			} else {
				g.Options[i].Attrs = shared
			}
		}
	}
	return r.Render(tmplChoiceList, ChoiceListContext{ID: id, Class: class, Groups: groups})
}
