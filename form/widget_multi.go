package form

import (
	"html/template"
	"net/url"
	"strconv"
)

// MultiContext is what form/widgets/multi.html receives: the markup of each
// part of a MultiWidget, in order, and the same with each part's label
// and id.
type MultiContext struct {
	Widgets []template.HTML
	Parts   []MultiPart
	Class   string // the MultiWidget's Class
}

// MultiPart is one part of a MultiWidget as its template shows it.
type MultiPart struct {
	Label, ID string
	HTML      template.HTML
}

// MultiWidget shows one field as several widgets, Django's MultiWidget:
// part i is named "<name>_<i>", gets the i-th value and the id
// "<id>_<i>". Its field formats a value as one string per part and cleans
// the parts together (see SplitDateTimeField). A label names the group,
// not a part, so it has no "for" (see BoundField.UseFieldset).
type MultiWidget struct {
	Widgets []Widget
	// Labels, when set, name each part with a <label> before it ("Date:",
	// "Time:"), and Class wraps the parts in a <p> of that class, one part
	// a line, as Django's AdminSplitDateTime shows them.
	Labels []string
	Class  string
}

// SplitDateTimeWidget returns the date input and time input of a
// date-time, Django's SplitDateTimeWidget, submitted as <name>_0 and
// <name>_1.
func SplitDateTimeWidget() *MultiWidget {
	return &MultiWidget{Widgets: []Widget{&Input{Type: "date"}, &Input{Type: "time"}}}
}

// Render implements Widget.
func (w *MultiWidget) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *MultiWidget) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	id, hasID := attrs.Get("id")
	c := MultiContext{Widgets: make([]template.HTML, len(w.Widgets)), Parts: make([]MultiPart, len(w.Widgets)), Class: w.Class}
	for i, sub := range w.Widgets {
		a := attrs
		if hasID {
			a = attrs.With("id", id+"_"+strconv.Itoa(i))
		}
		if in, ok := sub.(*Input); ok {
			if _, own := in.Attrs.Get("class"); own {
				a = a.Without("class") // the part's own class wins
			}
		}
		var v []string
		if i < len(values) {
			v = values[i : i+1]
		}
		c.Widgets[i] = renderWidget(r, sub, name+"_"+strconv.Itoa(i), v, a)
		c.Parts[i] = MultiPart{HTML: c.Widgets[i]}
		if i < len(w.Labels) {
			c.Parts[i].Label = w.Labels[i]
			c.Parts[i].ID, _ = a.Get("id")
		}
	}
	return r.Render(tmplMulti, c)
}

// ValueFrom implements Widget: the value of each part ("" for one not
// submitted), or nil when no part was. A value submitted whole, under the
// field's own name, is read alone instead (a query string's initial
// value, or a client posting "2024-05-01T10:00"); the field cleans it
// whole.
func (w *MultiWidget) ValueFrom(data url.Values, name string) []string {
	if v := lastValue(data, name); v != nil {
		return v
	}
	out := make([]string, len(w.Widgets))
	found := false
	for i, sub := range w.Widgets {
		if v := sub.ValueFrom(data, name+"_"+strconv.Itoa(i)); v != nil {
			out[i], found = last(v), true
		}
	}
	if !found {
		return nil
	}
	return out
}
