package form

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"sync"
)

//go:embed templates
var templateFS embed.FS

// The templates a Renderer holds, by the path an override replaces.
const (
	tmplForm        = "form/form.html"
	tmplField       = "form/field.html"
	tmplErrors      = "form/errors.html"
	tmplInput       = "form/widgets/input.html"
	tmplTextarea    = "form/widgets/textarea.html"
	tmplSelect      = "form/widgets/select.html"
	tmplChoiceList  = "form/widgets/choice_list.html"
	tmplMulti       = "form/widgets/multi.html"
	tmplClearableIn = "form/widgets/clearable_file.html"
)

var templateNames = []string{tmplForm, tmplField, tmplErrors, tmplInput, tmplTextarea, tmplSelect, tmplChoiceList, tmplMulti, tmplClearableIn}

// Renderer draws forms, field rows, error lists and widgets with
// html/template templates, Django's form renderer. Each template is an
// embedded file (form/templates/form/...) that a file at the same path in
// the overrides given to NewRenderer replaces: "form/field.html" for a
// field row, "form/errors.html" for an error list, "form/form.html" for a
// whole form and "form/widgets/<name>.html" for each widget. Every
// template receives a typed context (InputContext, SelectContext, ...,
// *BoundField for a row); values reach the page escaped by html/template,
// and attribute lists come pre-escaped as template.HTMLAttr.
//
// A Renderer is parsed once and safe for concurrent use.
type Renderer struct {
	t *template.Template
}

// NewRenderer parses the embedded templates, then the files of overrides
// (which may be nil) found at the same paths, and checks that each
// template renders. A broken override fails here, not when a page is
// drawn.
func NewRenderer(overrides fs.FS) (*Renderer, error) {
	set := template.New("form")
	for _, name := range templateNames {
		text, err := fs.ReadFile(templateFS, "templates/"+name)
		if err != nil {
			return nil, fmt.Errorf("form: embedded template %s: %w", name, err)
		}
		if overrides != nil {
			custom, err := fs.ReadFile(overrides, name)
			switch {
			case err == nil:
				text = custom
			case !errors.Is(err, fs.ErrNotExist):
				return nil, fmt.Errorf("form: template %s: %w", name, err)
			}
		}
		if _, err := set.New(name).Parse(string(text)); err != nil {
			return nil, fmt.Errorf("form: template %s: %w", name, err)
		}
	}
	r := &Renderer{t: set}
	if err := r.check(); err != nil {
		return nil, err
	}
	return r, nil
}

// embedded is the renderer of the embedded templates, parsed the first time
// a form is drawn without one of its own, and never changed after.
var embedded struct {
	once sync.Once
	r    *Renderer
}

// DefaultRenderer returns the renderer of the embedded templates.
func DefaultRenderer() *Renderer {
	embedded.once.Do(func() {
		r, err := NewRenderer(nil)
		if err != nil {
			panic(err) // the embedded templates are tested; this is a build defect
		}
		embedded.r = r
	})
	return embedded.r
}

// Render executes the template name (a path such as
// "form/widgets/input.html") with data.
func (r *Renderer) Render(name string, data any) (template.HTML, error) {
	var b bytes.Buffer
	if err := r.t.ExecuteTemplate(&b, name, data); err != nil {
		return "", fmt.Errorf("form: render %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// mustRender renders for the methods that return markup alone. Its error
// can only come from an override that NewRenderer's check did not reach;
// the panic becomes the error of the html/template that called the method,
// as text/template turns a panicking method into an error.
func (r *Renderer) mustRender(name string, data any) template.HTML {
	out, err := r.Render(name, data)
	if err != nil {
		panic(err)
	}
	return out
}

// check renders each template with sample contexts that take every branch,
// so an override that names a missing field or template fails NewRenderer.
func (r *Renderer) check() error {
	opts := []OptionGroup{{Options: []ChoiceOption{{Name: "x", Type: "radio", Value: "1", Label: "One", Selected: true, ID: "id_x_0"}}},
		{Label: "Group", Options: []ChoiceOption{{Name: "x", Type: "radio", Value: "2", Label: "Two", ID: "id_x_1_0"}}}}
	samples := map[string][]any{
		tmplInput:       {InputContext{Type: "text", Name: "x", Value: "v", Checked: true}},
		tmplTextarea:    {TextareaContext{Name: "x", Value: "v"}},
		tmplSelect:      {SelectContext{Name: "x", Groups: opts}},
		tmplChoiceList:  {ChoiceListContext{ID: "id_x", Class: "c", Groups: opts}},
		tmplMulti:       {MultiContext{Widgets: []template.HTML{"a", "b"}}},
		tmplClearableIn: {FileContext{Type: "file", Name: "x", Initial: "a.txt", URL: "/a.txt", Clearable: true, ClearChecked: true}},
		tmplErrors:      {ErrorListContext{Class: "errorlist", ID: "id_x_error", Errors: []string{"e"}}},
	}
	for name, datas := range samples {
		for _, data := range datas {
			if _, err := r.Render(name, data); err != nil {
				return err
			}
		}
	}
	f := New(
		CharField("x", "X", HelpText("h")),
		ChoiceField("y", "Y", []Choice{{Value: "a", Label: "A"}}, WithWidget(&RadioSelect{})),
		CharField("z", "Z", WithWidget(&Input{Type: "hidden"})),
	)
	f.Renderer = r
	f.Bind(nil)
	f.AddError("", "e")
	_, err := f.Render()
	return err
}
