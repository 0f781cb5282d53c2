package form

import (
	"html/template"
	"net/url"
	"slices"
	"strings"
)

// Widget renders a field as HTML and reads the field's values back from
// submitted data, as Django's widgets do. Render receives the HTML name, the
// values to show and the attributes the bound field adds (maxlength,
// required, aria-*, id); it must escape everything it writes.
type Widget interface {
	Render(name string, values []string, attrs Attrs) template.HTML
	ValueFrom(data url.Values, name string) []string
}

// TemplateWidget is a widget drawn by a template of a Renderer, so that a
// form with its own Renderer (overriding, say, form/widgets/input.html)
// draws it with that template. Every widget of this package is one; its
// Render uses DefaultRenderer.
type TemplateWidget interface {
	Widget
	RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error)
}

// renderWidget draws w with r when w is drawn by templates.
func renderWidget(r *Renderer, w Widget, name string, values []string, attrs Attrs) template.HTML {
	tw, ok := w.(TemplateWidget)
	if !ok {
		return w.Render(name, values, attrs)
	}
	out, err := tw.RenderWith(r, name, values, attrs)
	if err != nil {
		panic(err) // see Renderer.mustRender
	}
	return out
}

// mustHTML is Render of a TemplateWidget: RenderWith with DefaultRenderer.
func mustHTML(w TemplateWidget, name string, values []string, attrs Attrs) template.HTML {
	return renderWidget(DefaultRenderer(), w, name, values, attrs)
}

// Attr is one HTML attribute. A Bare attribute is written without a value,
// as HTML's boolean attributes are: required, checked, multiple.
type Attr struct {
	Name  string
	Value string
	Bare  bool
}

// Attrs is an ordered list of HTML attributes; order is kept so the markup is
// stable (and matches Django's for the same field).
type Attrs []Attr

// With returns a copy of a with name set to value, in place if a already has
// name, else appended.
func (a Attrs) With(name, value string) Attrs {
	return a.set(Attr{Name: name, Value: value})
}

// WithBare returns a copy of a with the bare attribute name set.
func (a Attrs) WithBare(name string) Attrs {
	return a.set(Attr{Name: name, Bare: true})
}

// Without returns a copy of a without the attribute name.
func (a Attrs) Without(name string) Attrs {
	return slices.DeleteFunc(slices.Clone(a), func(x Attr) bool { return x.Name == name })
}

// Get returns the value of the attribute name and whether a has it.
func (a Attrs) Get(name string) (string, bool) {
	for _, x := range a {
		if x.Name == name {
			return x.Value, true
		}
	}
	return "", false
}

// Merge returns a copy of a with every attribute of b set, b winning.
func (a Attrs) Merge(b Attrs) Attrs {
	out := slices.Clone(a)
	for _, x := range b {
		out = out.set(x)
	}
	return out
}

func (a Attrs) set(attr Attr) Attrs {
	out := slices.Clone(a)
	for i := range out {
		if out[i].Name == attr.Name {
			out[i] = attr
			return out
		}
	}
	return append(out, attr)
}

// write appends ` name="value"` for each attribute, escaped.
func (a Attrs) write(b *strings.Builder) {
	for _, x := range a {
		b.WriteString(" " + esc(x.Name))
		if !x.Bare {
			b.WriteString(`="` + esc(x.Value) + `"`)
		}
	}
}

// html returns the attributes as a template writes them after a tag name:
// ` name="value"` for each, escaped here because html/template refuses
// attribute names it cannot vouch for (aria-*, data-*).
func (a Attrs) html() template.HTMLAttr {
	var b strings.Builder
	a.write(&b)
	return template.HTMLAttr(b.String())
}

// esc escapes s for use in HTML text and quoted attribute values.
func esc(s string) string { return template.HTMLEscapeString(s) }

// last returns the last of values, or "" when there are none; a single-valued
// widget shows, and a single-valued field cleans, the last value submitted,
// as Django's QueryDict.get does.
func last(values []string) string {
	if len(values) == 0 {
		return ""
	}
	return values[len(values)-1]
}

// lastValue returns the last value submitted for name, or nil when name was
// not submitted.
func lastValue(data url.Values, name string) []string {
	vs, ok := data[name]
	if !ok || len(vs) == 0 {
		return nil
	}
	return vs[len(vs)-1:]
}

// InputContext is what form/widgets/input.html receives: an <input> of
// Type with its Name, Value (empty when none is shown), the other
// attributes, and Checked for a checked box.
type InputContext struct {
	Type, Name, Value string
	Attrs             template.HTMLAttr
	Checked           bool
}

// Input is an <input> of any type: "text", "number", "password", "email",
// "url", "date", "time", "datetime-local", "hidden" (Django's
// HiddenInput), ...
type Input struct {
	Type  string
	Attrs Attrs // written before the attributes the field adds
	// HideValue never writes the value back into the page, as Django's
	// PasswordInput does.
	HideValue bool
}

// Render implements Widget.
func (w *Input) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *Input) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	c := InputContext{Type: w.Type, Name: name, Attrs: w.Attrs.Merge(attrs).html()}
	if !w.HideValue {
		c.Value = last(values)
	}
	return r.Render(tmplInput, c)
}

// ValueFrom implements Widget.
func (w *Input) ValueFrom(data url.Values, name string) []string { return lastValue(data, name) }

// TextareaContext is what form/widgets/textarea.html receives.
type TextareaContext struct {
	Name, Value string
	Attrs       template.HTMLAttr
}

// Textarea is a <textarea>.
type Textarea struct {
	Attrs Attrs
}

// Render implements Widget. The newline after the opening tag keeps a value
// that starts with a newline intact: the HTML parser drops the first one.
func (w *Textarea) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *Textarea) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	return r.Render(tmplTextarea, TextareaContext{Name: name, Value: last(values), Attrs: w.Attrs.Merge(attrs).html()})
}

// ValueFrom implements Widget.
func (w *Textarea) ValueFrom(data url.Values, name string) []string { return lastValue(data, name) }

// Checkbox is an <input type="checkbox">. A browser submits nothing for an
// unchecked box, so "absent" means false; it is checked when its value is
// true by the rule of Truthy.
type Checkbox struct {
	Attrs Attrs
}

// Render implements Widget. Like Django's CheckboxInput it writes no value
// attribute, so a checked box submits "on".
func (w *Checkbox) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *Checkbox) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	return r.Render(tmplInput, InputContext{Type: "checkbox", Name: name, Attrs: w.Attrs.Merge(attrs).html(), Checked: Truthy(values)})
}

// ValueFrom implements Widget.
func (w *Checkbox) ValueFrom(data url.Values, name string) []string { return lastValue(data, name) }

// Truthy reports whether submitted checkbox values mean true: any value but
// "", "false" and "0" (in any case), as Django's BooleanField reads them.
func Truthy(values []string) bool {
	switch strings.ToLower(last(values)) {
	case "", "false", "0":
		return false
	}
	return true
}
