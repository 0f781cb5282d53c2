package form

import (
	"html/template"
)

// FormContext is what form/form.html receives: the form's own errors (and
// those of its hidden fields) drawn as a list, the fields shown as rows,
// and the hidden ones.
type FormContext struct {
	NonFieldErrors  template.HTML
	Visible, Hidden []*BoundField
}

func (f *Form) renderer() *Renderer {
	if f.Renderer != nil {
		return f.Renderer
	}
	return DefaultRenderer()
}

// Render returns the whole form as form/form.html draws it: its own errors,
// a row per visible field, then the hidden fields. It reports a failing
// override template as an error.
func (f *Form) Render() (template.HTML, error) {
	return f.render(f.Fields())
}

func (f *Form) render(fields []*BoundField) (template.HTML, error) {
	c := FormContext{}
	errs := f.NonFieldErrors()
	for _, bf := range fields {
		if bf.IsHidden() {
			c.Hidden = append(c.Hidden, bf)
			for _, e := range bf.Errors {
				errs = append(errs, "(Hidden field "+bf.Name+") "+e)
			}
			continue
		}
		c.Visible = append(c.Visible, bf)
	}
	r := f.renderer()
	var err error
	if c.NonFieldErrors, err = r.Render(tmplErrors, ErrorListContext{Class: "errorlist nonfield", Errors: errs}); err != nil {
		return "", err
	}
	return r.Render(tmplForm, c)
}

// NonFieldErrorList returns the form's own errors as form/errors.html draws
// them, with class "errorlist nonfield"; nothing when there are none.
func (f *Form) NonFieldErrorList() template.HTML {
	return f.renderer().mustRender(tmplErrors, ErrorListContext{Class: "errorlist nonfield", Errors: f.NonFieldErrors()})
}
