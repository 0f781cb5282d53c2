package form

import (
	"html/template"
	"net/url"
	"strconv"
)

// MultiContext is what form/widgets/multi.html receives: the markup of each
// part of a MultiWidget, in order.
type MultiContext struct {
	Widgets []template.HTML
}

// MultiWidget shows one field as several widgets, Django's MultiWidget:
// part i is named "<name>_<i>", gets the i-th value and the id
// "<id>_<i>". Its field formats a value as one string per part and cleans
// the parts together (see SplitDateTimeField). A label names the group,
// not a part, so it has no "for" (see BoundField.UseFieldset).
type MultiWidget struct {
	Widgets []Widget
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
	parts := make([]template.HTML, len(w.Widgets))
	for i, sub := range w.Widgets {
		a := attrs
		if hasID {
			a = attrs.With("id", id+"_"+strconv.Itoa(i))
		}
		var v []string
		if i < len(values) {
			v = values[i : i+1]
		}
		parts[i] = renderWidget(r, sub, name+"_"+strconv.Itoa(i), v, a)
	}
	return r.Render(tmplMulti, MultiContext{Widgets: parts})
}

// ValueFrom implements Widget: the value of each part ("" for one not
// submitted), or nil when no part was.
func (w *MultiWidget) ValueFrom(data url.Values, name string) []string {
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
