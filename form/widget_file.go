package form

import (
	"html/template"
	"mime/multipart"
	"net/url"
)

// FileWidget is a widget that reads uploaded files as well as submitted
// values. A form bound with BindFiles gives a field whose widget is one the
// file uploaded under its name (see FileField).
type FileWidget interface {
	Widget
	FileFrom(files map[string][]*multipart.FileHeader, name string) *multipart.FileHeader
}

// FileInput is an <input type="file">, Django's FileInput. It never shows
// a value: a browser cannot be told which file to send.
type FileInput struct {
	Attrs Attrs
}

// Render implements Widget.
func (w *FileInput) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *FileInput) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	return r.Render(tmplInput, InputContext{Type: "file", Name: name, Attrs: w.Attrs.Merge(attrs).html()})
}

// ValueFrom implements Widget: a file input submits no text.
func (w *FileInput) ValueFrom(data url.Values, name string) []string { return nil }

// FileFrom implements FileWidget: the last file uploaded under name.
func (w *FileInput) FileFrom(files map[string][]*multipart.FileHeader, name string) *multipart.FileHeader {
	return lastFile(files, name)
}

func lastFile(files map[string][]*multipart.FileHeader, name string) *multipart.FileHeader {
	fs := files[name]
	if len(fs) == 0 {
		return nil
	}
	return fs[len(fs)-1]
}

// FileContext is what form/widgets/clearable_file.html receives: the file
// input, and when a file is stored already its name (Initial), its URL, and
// unless the field is required the "clear" checkbox (ClearName, ClearID,
// ClearChecked), with the words around them.
type FileContext struct {
	Type, Name                         string
	Attrs                              template.HTMLAttr
	Initial, URL                       string
	Clearable, ClearChecked            bool
	ClearName, ClearID                 string
	InitialText, InputText, ClearLabel string
}

// ClearableFileInput is a file input that shows the file stored already
// and, for an optional field, a box that clears it, Django's
// ClearableFileInput:
//
//	Currently: <a href="/media/a.pdf">a.pdf</a>
//	<input type="checkbox" name="x-clear" id="x-clear_id">
//	<label for="x-clear_id">Clear</label><br>
//	Change: <input type="file" name="x" id="id_x">
//
// Render shows values[0] as the stored file's name, and checks the box
// when values[1] is true (a form re-rendered after an error keeps it).
type ClearableFileInput struct {
	Attrs Attrs
	// URL gives the address of a stored file (Storage.URL); nil links to
	// the name itself.
	URL func(name string) string
	// Required hides the clear box; FileField and BoundField keep it equal
	// to the field's Required.
	Required bool
}

// ClearName returns the name of the clear checkbox of a file input named
// name: "<name>-clear".
func ClearName(name string) string { return name + "-clear" }

// Render implements Widget.
func (w *ClearableFileInput) Render(name string, values []string, attrs Attrs) template.HTML {
	return mustHTML(w, name, values, attrs)
}

// RenderWith implements TemplateWidget.
func (w *ClearableFileInput) RenderWith(r *Renderer, name string, values []string, attrs Attrs) (template.HTML, error) {
	c := FileContext{Type: "file", Name: name, Attrs: w.Attrs.Merge(attrs).html(),
		InitialText: "Currently", InputText: "Change", ClearLabel: "Clear"}
	if len(values) > 0 && values[0] != "" {
		c.Initial, c.URL = values[0], values[0]
		if w.URL != nil {
			c.URL = w.URL(values[0])
		}
		c.Clearable = !w.Required
		c.ClearName = ClearName(name)
		c.ClearID = c.ClearName + "_id"
		c.ClearChecked = len(values) > 1 && Truthy(values[1:])
	}
	return r.Render(tmplClearableIn, c)
}

// ValueFrom implements Widget: the clear checkbox, if submitted.
func (w *ClearableFileInput) ValueFrom(data url.Values, name string) []string {
	return lastValue(data, ClearName(name))
}

// FileFrom implements FileWidget: the last file uploaded under name.
func (w *ClearableFileInput) FileFrom(files map[string][]*multipart.FileHeader, name string) *multipart.FileHeader {
	return lastFile(files, name)
}
