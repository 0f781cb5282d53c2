package admin

import (
	"fmt"
	"html/template"
	"reflect"
	"slices"
	"strings"

	"github.com/staffroom/staffroom/form"
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
	af := &AdminForm{Form: f}
	placed := map[string]bool{}
	for _, fs := range fieldsets {
		ffs := &FormFieldset{Name: fs.Name, Description: fs.Description, Classes: strings.Join(fs.Classes, " "),
			Collapsible: slices.Contains(fs.Classes, "collapse")}
		for _, line := range fs.Lines {
			fl := &FormLine{}
			for _, name := range line {
				if !shown(ma, f, name, readonly) {
					continue // not in the form: excluded
				}
				ff, err := newFormField(ma, f, name)
				if err != nil {
					return nil, err
				}
				ff.IsFirst = len(fl.Fields) == 0
				placed[name] = true
				fl.Fields = append(fl.Fields, ff)
				ffs.Open = ffs.Open || len(ff.Errors) > 0
			}
			if len(fl.Fields) > 0 {
				ffs.Lines = append(ffs.Lines, fl)
			}
		}
		af.Fieldsets = append(af.Fieldsets, ffs)
	}
	for _, bf := range f.Fields() {
		if !placed[bf.Name] && bf.IsHidden() {
			af.Hidden = append(af.Hidden, bf)
		}
	}
	af.focusFirstError()
	return af, f.Err()
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

// shown reports whether a fieldset's name is shown: a field the form
// holds, or a read-only name that is not a model field (a method).
func shown(ma Admin, f *form.ModelForm, name string, readonly []string) bool {
	if f.Field(name) != nil {
		return true
	}
	return slices.Contains(readonly, name) && ma.base().model.Field(name) == nil
}

// newFormField makes one field of a line.
func newFormField(ma Admin, f *form.ModelForm, name string) (*FormField, error) {
	bf := f.Field(name)
	if bf == nil {
		return computedField(ma, f, name)
	}
	ff := &FormField{Name: name, Label: bf.Label, Bound: bf, Errors: bf.Errors, HelpID: bf.ID + "_helptext",
		IsReadonly: bf.IsReadonly(), IsCheckbox: bf.IsCheckbox()}
	ff.Help = template.HTML(template.HTMLEscapeString(bf.HelpText))
	if bf.Field.HelpHTML != "" {
		ff.Help = bf.Field.HelpHTML
	}
	if ff.IsReadonly {
		ff.Contents = template.HTML(strings.ReplaceAll(template.HTMLEscapeString(bf.ReadonlyText()), "\n", "<br>"))
		if bf.Field.ReadonlyHTML != nil && bf.Field.Model != nil {
			ff.Contents = bf.Field.ReadonlyHTML(bf.Field.Model.Get(f.Instance()))
		}
	}
	return ff, nil
}

// computedField is a read-only value that a method of the admin or of the
// model computes from the object.
func computedField(ma Admin, f *form.ModelForm, name string) (*FormField, error) {
	b := ma.base()
	ff := &FormField{Name: name, Label: prettyName(name), IsReadonly: true}
	var fn reflect.Value
	if m, _, ok := adminMethod(ma, b.model, name); ok {
		fn = m
	} else if meth, ok := modelMethod(b.model, name); ok {
		fn = meth.Func
	} else {
		return nil, fmt.Errorf("admin: %s: the read-only field %q is neither a field, an admin method nor a model method", b.model.Label(), name)
	}
	ff.Contents = readonlyContents(fn.Call([]reflect.Value{reflect.ValueOf(f.Instance())})[0].Interface(), b.emptyValue())
	return ff, nil
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
