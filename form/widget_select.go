package form

import (
	"html/template"
	"net/url"
	"strconv"
)

// Choice is one option of a select: the submitted value and the text shown.
// Choices with the same Group, one after another, are shown together under
// that label (an <optgroup>), as Django's grouped choices are.
type Choice struct {
	Value string
	Label string
	Group string
}

// ChoiceWidget is a widget that offers a list of choices. A field of
// choices gives them to a ChoiceWidget set in its place, and a model form
// fills in the choices of a relation field's ChoiceWidget from the database
// before rendering; a widget that is not one (a raw id input) costs no
// query.
type ChoiceWidget interface {
	Widget
	SetChoices(choices []Choice)
}

// OptionGroup is a run of options under one group label ("" for options
// outside any group), as the select and choice-list templates receive them.
type OptionGroup struct {
	Label   string
	Options []ChoiceOption
}

// ChoiceOption is one choice as a template draws it: an <option> of a select, or
// one radio button or checkbox of a list, with its Name, input Type, ID
// ("" without one) and the attributes it shares with the others.
type ChoiceOption struct {
	Name, Type, Value, Label, ID string
	Selected                     bool
	Attrs                        template.HTMLAttr
}

// SelectContext is what form/widgets/select.html receives.
type SelectContext struct {
	Name   string
	Attrs  template.HTMLAttr
	Groups []OptionGroup
}

// optionGroups arranges choices as Django's ChoiceWidget.optgroups does,
// marking those among values (only the first match unless multiple). An
// option's index is its place among the top-level entries, a group
// counting as one, and "<group>_<n>" inside a group: id_x_0, id_x_1_0.
func optionGroups(choices []Choice, values []string, multiple bool, idBase string) []OptionGroup {
	chosen := map[string]bool{}
	for _, v := range values {
		chosen[v] = true
	}
	var groups []OptionGroup
	marked, top, sub := false, -1, 0
	for i, c := range choices {
		newGroup := i == 0 || c.Group == "" || c.Group != choices[i-1].Group
		if newGroup {
			top, sub = top+1, 0
			groups = append(groups, OptionGroup{Label: c.Group})
		}
		o := ChoiceOption{Value: c.Value, Label: c.Label}
		if chosen[c.Value] && (multiple || !marked) {
			o.Selected, marked = true, true
		}
		if idBase != "" {
			o.ID = idBase + "_" + strconv.Itoa(top)
			if c.Group != "" {
				o.ID += "_" + strconv.Itoa(sub)
			}
		}
		sub++
		g := &groups[len(groups)-1]
		g.Options = append(g.Options, o)
	}
	return groups
}

// Select is a <select>, or a <select multiple> when Multiple is set.
type Select struct {
	Attrs    Attrs
	Choices  []Choice
	Multiple bool
}

// SetChoices implements ChoiceWidget.
func (w *Select) SetChoices(choices []Choice) { w.Choices = choices }

// Render implements Widget. A single select keeps the required attribute
// only when its first option is the empty one, as Django's Select does:
// otherwise the browser could never find it unanswered.
func (w *Select) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget. A single select with no value
// marks its empty option.
func (w *Select) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	attrs = w.Attrs.Merge(attrs)
	if !w.Multiple && (len(w.Choices) == 0 || w.Choices[0].Value != "") {
		attrs = attrs.Without("required")
	}
	if w.Multiple {
		attrs = attrs.WithBare("multiple")
	} else {
		values = []string{last(values)}
	}
	return r.Render(tmplSelect, SelectContext{Name: name, Attrs: attrs.html(), Groups: optionGroups(w.Choices, values, w.Multiple, "")})
}

// ValueFrom implements Widget: every value for a multiple select, else the
// last one.
func (w *Select) ValueFrom(data url.Values, name string) []string {
	if w.Multiple {
		return data[name]
	}
	return lastValue(data, name)
}

// NullBooleanSelect is the Unknown/Yes/No select of a nullable boolean,
// Django's NullBooleanSelect. It reads "true", "True", "1" and "2" as yes and
// "false", "False", "0" and "3" as no; anything else is unknown.
type NullBooleanSelect struct {
	Attrs Attrs
}

var nullBooleanChoices = []Choice{{Value: "unknown", Label: "Unknown"}, {Value: "true", Label: "Yes"}, {Value: "false", Label: "No"}}

// Render implements Widget.
func (w *NullBooleanSelect) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *NullBooleanSelect) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	s := &Select{Attrs: w.Attrs, Choices: nullBooleanChoices}
	return s.RenderWith(r, name, []string{nullBoolString(last(values))}, attrs.Without("required"))
}

// ValueFrom implements Widget, giving "true", "false" or "unknown".
func (w *NullBooleanSelect) ValueFrom(data url.Values, name string) []string {
	vs := lastValue(data, name)
	if vs == nil {
		return nil
	}
	return []string{nullBoolString(vs[0])}
}

func nullBoolString(s string) string {
	switch s {
	case "true", "True", "1", "2":
		return "true"
	case "false", "False", "0", "3":
		return "false"
	}
	return "unknown"
}
