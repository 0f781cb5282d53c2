package form

import (
	"html/template"
	"strings"
	"unicode/utf8"
)

// BoundField is a field of a form together with its value and errors,
// ready to render, Django's BoundField.
type BoundField struct {
	Field    *Field
	Name     string
	HTMLName string // the name in the page, with the form's prefix
	ID       string // "id_" + HTMLName
	Label    string
	HelpText string
	Required bool // false for a read-only field
	Errors   []string

	form *Form
}

func (f *Form) bind(fld *Field) *BoundField {
	name := f.htmlName(fld.Name)
	return &BoundField{
		Field: fld, Name: fld.Name, HTMLName: name, ID: "id_" + name,
		Label: fld.Label, HelpText: fld.HelpText, Required: fld.Required && !fld.Readonly,
		Errors: f.errors[fld.Name], form: f,
	}
}

// Value returns the strings the field shows: on a bound form what was
// submitted, so a failed submission keeps what the user typed; otherwise,
// and always for a read-only field, the initial value. A file field shows
// its stored file, then what was submitted for its clear box.
func (bf *BoundField) Value() []string {
	if _, ok := bf.Field.widget().(FileWidget); ok {
		out := []string{last(bf.form.initial[bf.Name])}
		if bf.form.bound {
			out = append(out, bf.form.submitted(bf.Field)...)
		}
		return out
	}
	if bf.form.bound && !bf.Field.Readonly {
		return bf.form.submitted(bf.Field)
	}
	return bf.form.initial[bf.Name]
}

// IsCheckbox reports whether the field is a checkbox, which the admin lays
// out with its label after it.
func (bf *BoundField) IsCheckbox() bool {
	_, ok := bf.Field.Widget.(*Checkbox)
	return ok && !bf.Field.Readonly
}

// IsHidden reports whether the field is a hidden input, which a form shows
// without a label, its errors among the form's own.
func (bf *BoundField) IsHidden() bool {
	in, ok := bf.Field.Widget.(*Input)
	return ok && in.Type == "hidden" && !bf.Field.Readonly
}

// UseFieldset reports whether the widget is a group of inputs (radio
// buttons, checkboxes, a split date-time), which a row wraps in a
// <fieldset> named by a <legend> rather than a <label> pointing at one
// input, as Django's use_fieldset.
func (bf *BoundField) UseFieldset() bool {
	switch bf.Field.Widget.(type) {
	case *RadioSelect, *CheckboxSelectMultiple, *MultiWidget:
		return !bf.Field.Readonly
	}
	return false
}

// IsReadonly reports whether the field is shown as text.
func (bf *BoundField) IsReadonly() bool { return bf.Field.Readonly }

// ReadonlyText returns the value of a read-only field as text: for a model
// field, formatted as the admin shows it ("-" when empty; see Display); for
// a plain field, its initial values joined with commas.
func (bf *BoundField) ReadonlyText() string {
	if bf.Field.readonlyText != nil {
		return *bf.Field.readonlyText
	}
	return strings.Join(bf.form.initial[bf.Name], ", ")
}

// LabelTag returns the field's <label>: class "required" on a required
// field, and a colon after the text unless it ends in punctuation. A
// checkbox's label has class vCheckboxLabel and no colon, and a read-only
// field's label points at nothing, as in Django's admin; nor does the label
// of a group of inputs (UseFieldset), which clicking would not reach.
func (bf *BoundField) LabelTag() template.HTML {
	if bf.Field.Readonly {
		return template.HTML("<label>" + esc(bf.Label) + ":</label>")
	}
	return bf.tag("label")
}

// LegendTag returns the <legend> that names a group of inputs, with the
// classes and colon of LabelTag.
func (bf *BoundField) LegendTag() template.HTML { return bf.tag("legend") }

func (bf *BoundField) tag(name string) template.HTML {
	var classes []string
	suffix := ":"
	if bf.IsCheckbox() {
		classes, suffix = append(classes, "vCheckboxLabel"), ""
	}
	if bf.Required {
		classes = append(classes, "required")
	}
	if r, _ := utf8.DecodeLastRuneInString(bf.Label); bf.Label == "" || strings.ContainsRune(":?.!", r) {
		suffix = ""
	}
	var attrs Attrs
	if classes != nil {
		attrs = attrs.With("class", strings.Join(classes, " "))
	}
	if name == "label" && !bf.UseFieldset() {
		attrs = attrs.With("for", bf.ID)
	}
	var b strings.Builder
	b.WriteString("<" + name)
	attrs.write(&b)
	b.WriteString(">" + esc(bf.Label+suffix) + "</" + name + ">")
	return template.HTML(b.String())
}

// Widget returns the field's input, select or textarea with its value and
// attributes: required, aria-invalid and aria-describedby (pointing at
// "<id>_helptext" and "<id>_error", which the template renders) and id. A
// read-only field gives its text, escaped, with line breaks as <br>.
//
// A widget drawn by templates uses the form's Renderer. Should one of
// its templates fail, Widget panics; a template calling Widget reports that
// as its own error, as html/template does for a method that panics.
func (bf *BoundField) Widget() template.HTML {
	return bf.widget(bf.attrs())
}

// LabelledWidget returns Widget named for assistive technology by an
// aria-label of the field's label: for a widget shown without its
// <label>, such as a cell of a tabular inline or of an editable change
// list, whose column header names it only to the eye. A group of inputs
// (UseFieldset), whose inputs have labels of their own, a hidden input
// and a read-only field come as Widget gives them.
func (bf *BoundField) LabelledWidget() template.HTML {
	attrs := bf.attrs()
	if bf.Label != "" && !bf.UseFieldset() && !bf.IsHidden() {
		if _, named := attrs.Get("aria-label"); !named {
			attrs = attrs.With("aria-label", bf.Label)
		}
	}
	return bf.widget(attrs)
}

func (bf *BoundField) widget(attrs Attrs) template.HTML {
	if bf.Field.Readonly {
		return template.HTML(strings.ReplaceAll(esc(bf.ReadonlyText()), "\n", "<br>"))
	}
	w := bf.Field.widget()
	if c, ok := w.(*ClearableFileInput); ok {
		c.Required = bf.Field.Required
	}
	return renderWidget(bf.form.renderer(), w, bf.HTMLName, bf.Value(), attrs)
}

// ErrorList returns the field's errors as form/errors.html draws them: a
// <ul class="errorlist" id="<id>_error">, which aria-describedby names;
// nothing when there are none.
func (bf *BoundField) ErrorList() template.HTML {
	return bf.form.renderer().mustRender(tmplErrors, ErrorListContext{Class: "errorlist", ID: bf.ID + "_error", Errors: bf.Errors})
}

// Row returns the whole field as form/field.html draws it: its label (or
// legend), help text, errors and widget.
func (bf *BoundField) Row() template.HTML {
	return bf.form.renderer().mustRender(tmplField, bf)
}

// attrs are the attributes the bound field adds to its widget, in Django's
// order.
func (bf *BoundField) attrs() Attrs {
	attrs := bf.Field.Attrs
	if bf.useRequired() {
		attrs = attrs.WithBare("required")
	}
	if len(bf.Errors) > 0 {
		attrs = attrs.With("aria-invalid", "true")
	}
	var described []string
	if bf.HasHelp() {
		described = append(described, bf.ID+"_helptext")
	}
	if len(bf.Errors) > 0 {
		described = append(described, bf.ID+"_error")
	}
	if described != nil {
		attrs = attrs.With("aria-describedby", strings.Join(described, " "))
	}
	return attrs.With("id", bf.ID)
}

// HasHelp reports whether the field has help text, plain or HTML, which
// its widget names in aria-describedby as "<id>_helptext".
func (bf *BoundField) HasHelp() bool {
	return bf.HelpText != "" || bf.Field.HelpHTML != ""
}

// FocusID returns the id of the input that takes the focus for the
// field, which an error summary links to: the field's own id, or for a
// group of inputs (UseFieldset) the id of its first input ("<id>_0",
// "<id>_0_0" when the first choice is in a group), Django's
// id_for_label.
func (bf *BoundField) FocusID() string {
	if !bf.UseFieldset() {
		return bf.ID
	}
	var choices []Choice
	switch w := bf.Field.Widget.(type) {
	case *RadioSelect:
		choices = w.Choices
	case *CheckboxSelectMultiple:
		choices = w.Choices
	default:
		return bf.ID + "_0"
	}
	switch {
	case len(choices) == 0:
		return bf.ID // the list's own <div>
	case choices[0].Group != "":
		return bf.ID + "_0_0"
	}
	return bf.ID + "_0"
}

// useRequired is Django's use_required_attribute: a required field, unless
// its form is one of a formset (whose extra forms may be left empty), its
// input is hidden, or it is a file input with a file stored already.
func (bf *BoundField) useRequired() bool {
	if !bf.Required || bf.form.noRequiredAttr || bf.IsHidden() {
		return false
	}
	if _, ok := bf.Field.widget().(FileWidget); ok {
		return last(bf.form.initial[bf.Name]) == ""
	}
	return true
}

// ErrorListContext is what form/errors.html receives: the list's class
// ("errorlist", or "errorlist nonfield" for a form's own errors), its id
// ("" for none) and the messages.
type ErrorListContext struct {
	Class, ID string
	Errors    []string
}
