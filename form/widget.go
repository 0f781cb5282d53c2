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

// Input is an <input> of any type: "text", "number", "password", "date",
// "datetime-local", "hidden", ...
type Input struct {
	Type  string
	Attrs Attrs // written before the attributes the field adds
	// HideValue never writes the value back into the page, as Django's
	// PasswordInput does.
	HideValue bool
}

// Render implements Widget.
func (w *Input) Render(name string, values []string, attrs Attrs) template.HTML {
	var b strings.Builder
	b.WriteString(`<input type="` + esc(w.Type) + `" name="` + esc(name) + `"`)
	if v := last(values); v != "" && !w.HideValue {
		b.WriteString(` value="` + esc(v) + `"`)
	}
	w.Attrs.Merge(attrs).write(&b)
	b.WriteString(">")
	return template.HTML(b.String())
}

// ValueFrom implements Widget.
func (w *Input) ValueFrom(data url.Values, name string) []string { return lastValue(data, name) }

// Textarea is a <textarea>.
type Textarea struct {
	Attrs Attrs
}

// Render implements Widget. The newline after the opening tag keeps a value
// that starts with a newline intact: the HTML parser drops the first one.
func (w *Textarea) Render(name string, values []string, attrs Attrs) template.HTML {
	var b strings.Builder
	b.WriteString(`<textarea name="` + esc(name) + `"`)
	w.Attrs.Merge(attrs).write(&b)
	b.WriteString(">\n" + esc(last(values)) + "</textarea>")
	return template.HTML(b.String())
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
	var b strings.Builder
	b.WriteString(`<input type="checkbox" name="` + esc(name) + `"`)
	w.Attrs.Merge(attrs).write(&b)
	if Truthy(values) {
		b.WriteString(" checked")
	}
	b.WriteString(">")
	return template.HTML(b.String())
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

// Choice is one option of a select: the submitted value and the text shown.
type Choice struct {
	Value string
	Label string
}

// Select is a <select>, or a <select multiple> when Multiple is set.
type Select struct {
	Attrs    Attrs
	Choices  []Choice
	Multiple bool
}

// Render implements Widget. A single select keeps the required attribute
// only when its first option is the empty one, as Django's Select does:
// otherwise the browser could never find it unanswered.
func (w *Select) Render(name string, values []string, attrs Attrs) template.HTML {
	attrs = w.Attrs.Merge(attrs)
	if !w.Multiple && (len(w.Choices) == 0 || w.Choices[0].Value != "") {
		attrs = attrs.Without("required")
	}
	if w.Multiple {
		attrs = attrs.WithBare("multiple")
	}
	var b strings.Builder
	b.WriteString(`<select name="` + esc(name) + `"`)
	attrs.write(&b)
	b.WriteString(">\n")
	w.writeOptions(&b, values)
	b.WriteString("</select>")
	return template.HTML(b.String())
}

// writeOptions writes the options, marking the chosen ones. A single select
// marks only the first match, and with no value it marks the empty option.
func (w *Select) writeOptions(b *strings.Builder, values []string) {
	if !w.Multiple {
		values = []string{last(values)}
	}
	chosen := map[string]bool{}
	for _, v := range values {
		chosen[v] = true
	}
	marked := false
	for _, c := range w.Choices {
		b.WriteString(`<option value="` + esc(c.Value) + `"`)
		if chosen[c.Value] && (w.Multiple || !marked) {
			b.WriteString(" selected")
			marked = true
		}
		b.WriteString(">" + esc(c.Label) + "</option>\n")
	}
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

var nullBooleanChoices = []Choice{{"unknown", "Unknown"}, {"true", "Yes"}, {"false", "No"}}

// Render implements Widget.
func (w *NullBooleanSelect) Render(name string, values []string, attrs Attrs) template.HTML {
	s := &Select{Attrs: w.Attrs, Choices: nullBooleanChoices}
	return s.Render(name, []string{nullBoolString(last(values))}, attrs.Without("required"))
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
