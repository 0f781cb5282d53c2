package form

import (
	"html/template"
)

// ManagementForm returns the management form's four hidden inputs, which
// must be posted with the forms: <prefix>-TOTAL_FORMS, -INITIAL_FORMS,
// -MIN_NUM_FORMS and -MAX_NUM_FORMS. A bound formset shows what was
// submitted.
func (fs *FormSet) ManagementForm() template.HTML {
	var out template.HTML
	for _, bf := range fs.managementForm().Fields() {
		out += bf.Widget()
	}
	return out
}

// NonFormErrorList returns the formset's own errors as form/errors.html
// draws them, with class "errorlist nonform"; nothing when there are none.
func (fs *FormSet) NonFormErrorList() template.HTML {
	return fs.renderer().mustRender(tmplErrors, ErrorListContext{Class: "errorlist nonform", Errors: fs.NonFormErrors()})
}

func (fs *FormSet) renderer() *Renderer {
	if fs.opts.Renderer != nil {
		return fs.opts.Renderer
	}
	return DefaultRenderer()
}

// Render returns the whole formset: the management form, the formset's
// own errors, then each form as Form.Render draws it.
func (fs *FormSet) Render() (template.HTML, error) {
	return fs.render(fs.Forms(), func(f *Form) (template.HTML, error) { return f.Render() })
}

func (fs *FormSet) render(forms []*Form, draw func(*Form) (template.HTML, error)) (template.HTML, error) {
	if err := fs.Err(); err != nil {
		return "", err
	}
	out, err := fs.renderer().Render(tmplErrors, ErrorListContext{Class: "errorlist nonform", Errors: fs.NonFormErrors()})
	if err != nil {
		return "", err
	}
	out = fs.ManagementForm() + out
	for _, f := range forms {
		h, err := draw(f)
		if err != nil {
			return "", err
		}
		out += h
	}
	return out, nil
}
