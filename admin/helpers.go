package admin

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// AdminForm is the change form as its page shows it, Django's
// helpers.AdminForm: the model form laid out in fieldsets of lines of
// fields, each editable or read-only. It is computed in Go from
// GetFieldsets and GetReadonlyFields; the template only lays it out.
type AdminForm struct {
	Form      *form.ModelForm
	Fieldsets []*FormFieldset
	// Hidden are the form's hidden inputs, written outside the fieldsets.
	Hidden []*form.BoundField
}

// FormFieldset is one box of the form: a heading, a description and its
// lines. A fieldset with the class "collapse" is Collapsible, shown
// folded unless one of its fields has an error.
type FormFieldset struct {
	Name, Description string
	Classes           string
	Collapsible       bool
	Open              bool // a collapsible fieldset with errors starts open
	Lines             []*FormLine
}

// FormLine is one line of a fieldset: one field, or several side by side.
type FormLine struct {
	Fields []*FormField
}

// FormField is one field of a line: an editable form field, or a
// read-only value, Django's AdminField and AdminReadonlyField.
type FormField struct {
	Name       string
	Label      string
	IsFirst    bool // the line's first field
	IsReadonly bool
	IsCheckbox bool
	// Bound is the form's field; nil for a read-only value the admin or
	// the model computes.
	Bound *form.BoundField
	// Contents is a read-only field's value, escaped.
	Contents template.HTML
	// Help is the field's help, escaped; HelpID is the id the input
	// refers to it by.
	Help   template.HTML
	HelpID string
	Errors []string
}

// Errors returns the errors of every field of the line.
func (l *FormLine) Errors() []string {
	var out []string
	for _, f := range l.Fields {
		out = append(out, f.Errors...)
	}
	return out
}

// Classes returns the line's CSS classes: "field-<name>" per field.
func (l *FormLine) Classes() string {
	names := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		names[i] = "field-" + cssName(f.Name)
	}
	return strings.Join(names, " ")
}

// HasVisibleField reports whether the line shows anything but hidden
// inputs.
func (l *FormLine) HasVisibleField() bool {
	for _, f := range l.Fields {
		if f.Bound == nil || !f.Bound.IsHidden() {
			return true
		}
	}
	return false
}

// ErrorCount returns the number of field errors in the form's fieldsets.
func (af *AdminForm) ErrorCount() int {
	n := 0
	for _, fs := range af.Fieldsets {
		for _, l := range fs.Lines {
			n += len(l.Errors())
		}
	}
	return n
}

// newAdminForm lays out f by fieldsets; the names in readonly are shown
// as values. Names the form dropped (excluded) are left out.
func newAdminForm(ma Admin, f *form.ModelForm, fieldsets []Fieldset, readonly []string) (*AdminForm, error) {
	b := ma.base()
	fields := formFields{f: f, owner: ma, model: b.model, readonly: readonly, empty: b.emptyValue()}
	sets, placed, err := layoutFieldsets(fieldsets, fields.field)
	if err != nil {
		return nil, err
	}
	af := &AdminForm{Form: f, Fieldsets: sets}
	for _, bf := range f.Fields() {
		if !placed[bf.Name] && bf.IsHidden() {
			af.Hidden = append(af.Hidden, bf)
		}
	}
	af.focusFirstError()
	return af, f.Err()
}

// layoutFieldsets lays fieldsets out in lines of fields, each made by
// field (which says whether the name is shown at all); it returns the
// names placed.
func layoutFieldsets(fieldsets []Fieldset, field func(name string) (*FormField, bool, error)) ([]*FormFieldset, map[string]bool, error) {
	var out []*FormFieldset
	placed := map[string]bool{}
	for _, fs := range fieldsets {
		ffs := &FormFieldset{Name: fs.Name, Description: fs.Description, Classes: strings.Join(fs.Classes, " "),
			Collapsible: slices.Contains(fs.Classes, "collapse")}
		for _, line := range fs.Lines {
			fl := &FormLine{}
			for _, name := range line {
				ff, ok, err := field(name)
				if err != nil {
					return nil, nil, err
				}
				if !ok {
					continue // not in the form: excluded
				}
				ff.IsFirst, placed[name] = len(fl.Fields) == 0, true
				fl.Fields = append(fl.Fields, ff)
				ffs.Open = ffs.Open || len(ff.Errors) > 0
			}
			if len(fl.Fields) > 0 {
				ffs.Lines = append(ffs.Lines, fl)
			}
		}
		out = append(out, ffs)
	}
	return out, placed, nil
}

// focusFirstError gives the first field in error the autofocus
// attribute, so after a failed save the browser puts the cursor there
// with no script.
func (af *AdminForm) focusFirstError() {
	for _, fs := range af.Fieldsets {
		for _, l := range fs.Lines {
			for _, ff := range l.Fields {
				if len(ff.Errors) > 0 && ff.Bound != nil && !ff.IsReadonly {
					ff.Bound.Field.Attrs = ff.Bound.Field.Attrs.WithBare("autofocus")
					return
				}
			}
		}
	}
}

// formFields makes the fields of one form's lines: the form's own
// fields, and read-only names that are not model fields, computed by a
// method of the owner (the admin or the inline) or of the model.
type formFields struct {
	f        *form.ModelForm
	owner    any
	model    *orm.Model
	readonly []string
	empty    string
}

// field makes the field called name; ok is false for a name the form
// dropped (excluded).
func (ff formFields) field(name string) (*FormField, bool, error) {
	if bf := ff.f.Field(name); bf != nil {
		return boundField(bf, ff.f.Instance()), true, nil
	}
	if !slices.Contains(ff.readonly, name) || ff.model.Field(name) != nil {
		return nil, false, nil
	}
	out := &FormField{Name: name, Label: prettyName(name), IsReadonly: true}
	var fn reflect.Value
	if m, _, ok := adminMethod(ff.owner, ff.model, name); ok {
		fn = m
	} else if meth, ok := modelMethod(ff.model, name); ok {
		fn = meth.Func
	} else {
		return nil, false, fmt.Errorf("admin: %s: the read-only field %q is neither a field, a method of %T nor a model method", ff.model.Label(), name, ff.owner)
	}
	out.Contents = readonlyContents(fn.Call([]reflect.Value{reflect.ValueOf(ff.f.Instance())})[0].Interface(), ff.empty)
	return out, true, nil
}

// boundField makes the FormField of a field the form holds; inst is the
// form's object, whose value a ReadonlyHTML field shows.
func boundField(bf *form.BoundField, inst any) *FormField {
	ff := &FormField{Name: bf.Name, Label: bf.Label, Bound: bf, Errors: bf.Errors, HelpID: bf.ID + "_helptext",
		IsReadonly: bf.IsReadonly(), IsCheckbox: bf.IsCheckbox()}
	ff.Help = template.HTML(template.HTMLEscapeString(bf.HelpText))
	if bf.Field.HelpHTML != "" {
		ff.Help = bf.Field.HelpHTML
	}
	if ff.IsReadonly {
		ff.Contents = template.HTML(strings.ReplaceAll(template.HTMLEscapeString(bf.ReadonlyText()), "\n", "<br>"))
		if bf.Field.ReadonlyHTML != nil && bf.Field.Model != nil {
			ff.Contents = bf.Field.ReadonlyHTML(bf.Field.Model.Get(inst))
		}
	}
	return ff
}

// readonlyContents shows a computed read-only value: HTML as it is,
// anything else as escaped text, empty for nil or "".
func readonlyContents(v any, empty string) template.HTML {
	switch x := v.(type) {
	case template.HTML:
		return x
	case nil:
		return template.HTML(template.HTMLEscapeString(empty))
	}
	s := fmt.Sprint(v)
	if st, ok := v.(fmt.Stringer); ok {
		s = st.String()
	}
	if s == "" {
		s = empty
	}
	return template.HTML(template.HTMLEscapeString(s))
}
