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
// and always for a read-only field, the initial value.
func (bf *BoundField) Value() []string {
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
// field's label points at nothing, as in Django's admin.
func (bf *BoundField) LabelTag() template.HTML {
	if bf.Field.Readonly {
		return template.HTML("<label>" + esc(bf.Label) + ":</label>")
	}
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
	var b strings.Builder
	b.WriteString("<label")
	attrs.With("for", bf.ID).write(&b)
	b.WriteString(">" + esc(bf.Label+suffix) + "</label>")
	return template.HTML(b.String())
}

// Widget returns the field's input, select or textarea with its value and
// attributes: required, aria-invalid and aria-describedby (pointing at
// "<id>_helptext" and "<id>_error", which the template renders) and id. A
// read-only field gives its text, escaped, with line breaks as <br>.
func (bf *BoundField) Widget() template.HTML {
	if bf.Field.Readonly {
		return template.HTML(strings.ReplaceAll(esc(bf.ReadonlyText()), "\n", "<br>"))
	}
	return bf.Field.widget().Render(bf.HTMLName, bf.Value(), bf.attrs())
}

// attrs are the attributes the bound field adds to its widget, in Django's
// order.
func (bf *BoundField) attrs() Attrs {
	attrs := bf.Field.Attrs
	if bf.Required {
		attrs = attrs.WithBare("required")
	}
	if len(bf.Errors) > 0 {
		attrs = attrs.With("aria-invalid", "true")
	}
	var described []string
	if bf.HelpText != "" {
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
