// Package form turns submitted strings into Go values and back, as Django's
// forms do: fields with widgets and cleaning, bound to request data, with
// Django's error messages word for word.
//
// A plain form is declared in Go:
//
//	f := form.New(
//		form.CharField("username", "Username", form.MaxLength(150), form.WithBareAttr("autofocus")),
//		form.PasswordField("password", "Password"),
//	)
//	f.Bind(r.PostForm)
//	if f.IsValid() { ... f.Cleaned("username") ... }
//
// A model form is built from a model's fields (ForModel), takes its initial
// values from an object (SetInstance) and applies what was submitted back
// to it (Apply, then SaveM2M after the object is saved; or Save for all
// three in one transaction). Both are made of the same Field type, so a
// caller can adjust any field, or build one itself from a Widget and a
// Clean function. Hooks (CleanField, Clean) add checks of one field or
// across fields, as Django's clean_<field> and clean do.
//
// A FormSet edits a list of forms, with Django's management form;
// NewModelFormSet edits the objects of a query set and NewInlineFormSet the
// children of a parent object, saving creations, changes and deletions in
// one transaction. The hidden keys and counts a page posts back are
// checked, never trusted.
//
// File fields clean uploads bound with BindFiles or BindRequest; a Storage
// (DirStorage for a local directory) keeps them under names the server
// makes.
//
// Rendering is for html/template: a BoundField gives the label tag, the
// widget's markup, the error list and the help text, and the page's
// template lays them out — or takes the whole row (BoundField.Row) or form
// (Form.Render). Widgets, rows and error lists are themselves drawn by
// embedded templates (form/templates/form/...), which a Renderer made with
// NewRenderer replaces file by file from an fs.FS of overrides, as the
// admin's pages are overridden. Everything submitted or stored reaches the
// page escaped by html/template.
//
// Date-times are read and shown in UTC: there is no time zone setting yet.
package form
