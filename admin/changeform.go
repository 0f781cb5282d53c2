package admin

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// changeFormPage is the data of change_form.html.
type changeFormPage struct {
	basePage
	AppLabel, ModelName   string
	Action                string
	Multipart             bool // the form has a file field
	ErrorNote             string
	NonFieldErrors        []string
	Fields                []*form.BoundField
	ShowSave              bool
	ShowSaveAndAddAnother bool
	ShowSaveAndContinue   bool
	CanChange             bool
	DeleteURL             string
	HistoryURL            string
	ChangelistURL         string
	// ReadonlyHTML replaces the text of some read-only fields, by name.
	ReadonlyHTML map[string]template.HTML
	// PasswordHelp lists the password rules under a "password1" field.
	PasswordHelp []string
}

// changeForm serves the add page (id "") and the change page of an object:
// the form on GET, and on POST the validated save, its log entry and
// message in one transaction, then the redirect the pressed button asks
// for (contract §4).
func (v *modelView) changeForm(w http.ResponseWriter, r *http.Request, id string) error {
	add := id == ""
	var obj any
	if add {
		if !v.admin.HasAddPermission(r) {
			return errForbidden
		}
		obj = v.model.New()
	} else {
		var err error
		if obj, err = v.getObject(r, id); err != nil {
			return err
		}
		allowed := v.admin.HasChangePermission(r, obj)
		if r.Method != http.MethodPost && !allowed {
			allowed = v.admin.HasViewPermission(r, obj)
		}
		if !allowed {
			return errForbidden
		}
		if obj == nil {
			return v.missing(w, r, id)
		}
	}
	canEdit := add || v.admin.HasChangePermission(r, obj)
	f, err := v.form(r, obj, add, canEdit)
	if err != nil {
		return err
	}
	extra := v.extraForm(r, add)
	if r.Method == http.MethodPost {
		if !canEdit {
			return errForbidden
		}
		if err := f.BindRequest(r, maxUploadMemory); err != nil {
			return badRequest("malformed form data")
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if v.bind(r, f, extra) {
			return v.save(w, r, f, extra, obj, add)
		}
	}
	p := v.formPage(r, f, extra, obj, add, canEdit)
	if err := f.Err(); err != nil {
		return err // a database failure, not a validation error
	}
	v.site.render(w, r, http.StatusOK, v.site.tmpl.lookup(v.model.App.Label, v.model.ModelName, "change_form.html"), p)
	return nil
}

// maxUploadMemory is how much of a form's uploads is kept in memory; the
// rest goes to temporary files (Django's FILE_UPLOAD_MAX_MEMORY_SIZE is
// smaller, per file).
const maxUploadMemory = 10 << 20

// m2mHelp is the hint Django's admin adds to a multiple select.
const m2mHelp = "Hold down “Control”, or “Command” on a Mac, to select more than one."

// form builds the model form for obj with the admin's field options.
func (v *modelView) form(r *http.Request, obj any, add, canEdit bool) (*form.ModelForm, error) {
	fields, readonly := v.base.Fields, v.base.ReadonlyFields
	if af, ok := v.admin.(addFormer); ok && add {
		fields, readonly = af.addFields(), nil
	}
	if !canEdit {
		readonly = nil
		for _, f := range v.model.Fields {
			if f.Editable && !f.IsAuto() {
				readonly = append(readonly, f.Name)
			}
		}
	}
	if rf, ok := v.admin.(readonlyForcer); ok {
		readonly = append(slices.Clone(readonly), rf.alwaysReadonly()...)
	}
	opts := form.Options{Fields: fields, Exclude: v.base.Exclude, Readonly: readonly, Storage: v.site.cfg.Storage,
		Customize: func(of *orm.Field, f *form.Field) {
			if of.Kind == orm.KindManyToMany && !f.Readonly {
				f.HelpText = strings.TrimSpace(f.HelpText + " " + m2mHelp)
			}
		}}
	if cp, ok := v.admin.(choicesProvider); ok {
		opts.Choices = cp.choices
	}
	f, err := form.ForModel(r.Context(), v.site.db, v.model, opts)
	if err != nil {
		return nil, err
	}
	f.Renderer = v.site.forms
	if add {
		f.SetInitial(r.URL.Query())
		return f, nil
	}
	return f, f.SetInstance(r.Context(), obj)
}

// extraForm returns the add page's fields that are not the model's, or
// nil.
func (v *modelView) extraForm(r *http.Request, add bool) *form.Form {
	if af, ok := v.admin.(addFormer); ok && add {
		return af.addExtra(r)
	}
	return nil
}

// bind validates the submitted data with the model form and the extra
// form, and reports whether both are valid.
func (v *modelView) bind(r *http.Request, f *form.ModelForm, extra *form.Form) bool {
	// f is bound already, with any uploaded files (BindRequest).
	if extra == nil {
		return f.IsValid()
	}
	extra.Bind(r.PostForm)
	v.admin.(addFormer).checkAddExtra(r, f, extra)
	valid := f.IsValid()
	return extra.IsValid() && valid
}

// save applies a valid form to obj, saves it with its many-to-many
// relations and a log entry, all in one transaction, then redirects.
func (v *modelView) save(w http.ResponseWriter, r *http.Request, f *form.ModelForm, extra *form.Form, obj any, add bool) error {
	user := auth.UserFrom(r.Context())
	err := v.site.db.Atomic(r.Context(), func(ctx context.Context) error {
		rc := r.WithContext(ctx)
		if err := f.Apply(obj); err != nil {
			return err
		}
		if extra != nil {
			if err := v.admin.(addFormer).applyAddExtra(obj, extra); err != nil {
				return err
			}
		}
		if err := v.admin.SaveModel(rc, obj, !add); err != nil {
			return err
		}
		if err := f.SaveM2M(ctx, obj); err != nil {
			return err
		}
		if add {
			return v.site.logAction(ctx, user, v.model, obj, Addition, addedMessage())
		}
		return v.site.logAction(ctx, user, v.model, obj, Change, changedMessage(f.ChangedLabels()))
	})
	if err != nil {
		return err
	}
	http.Redirect(w, r, v.afterSave(r, obj, add), http.StatusFound)
	return nil
}

// afterSave adds the success message and returns where to go next.
func (v *modelView) afterSave(r *http.Request, obj any, add bool) string {
	name := template.HTMLEscapeString(v.model.VerboseName)
	repr := template.HTMLEscapeString(v.model.String(obj))
	canChange := v.admin.HasChangePermission(r, obj)
	if canChange {
		repr = `<a href="` + template.HTMLEscapeString(v.objectURL(obj, "change/")) + `">` + repr + `</a>`
	}
	verb := "changed"
	if add {
		verb = "added"
	}
	msg := "The " + name + " “" + repr + "” was " + verb + " successfully."
	preserved := v.preservedFromRequest(r)
	af, forceContinue := v.admin.(addFormer)
	forceContinue = forceContinue && add && af.continueAfterAdd() && !r.PostForm.Has("_addanother")
	switch {
	case r.PostForm.Has("_continue") || forceContinue:
		if canChange {
			msg += " You may edit it again below."
		}
		flash.AddHTML(r, flash.Success, template.HTML(msg))
		if add {
			return v.objectURL(obj, "change/") + preserved
		}
		return r.URL.Path + preserved
	case r.PostForm.Has("_addanother"):
		flash.AddHTML(r, flash.Success, template.HTML(msg+" You may add another "+name+" below."))
		return v.url("add/") + preserved
	}
	flash.AddHTML(r, flash.Success, template.HTML(msg))
	if v.admin.HasViewPermission(r, nil) || v.admin.HasChangePermission(r, nil) {
		return v.url("") + v.changelistFilters(r)
	}
	return v.site.cfg.Prefix
}

// formPage lays out the add or change page of a form.
func (v *modelView) formPage(r *http.Request, f *form.ModelForm, extra *form.Form, obj any, add, canEdit bool) *changeFormPage {
	m := v.model
	title := "Add " + m.VerboseName
	p := &changeFormPage{basePage: v.site.basePage(r, title), AppLabel: m.App.Label, ModelName: m.ModelName,
		Fields: f.Fields(), NonFieldErrors: f.NonFieldErrors(), CanChange: canEdit, ChangelistURL: v.url("") + v.changelistFilters(r),
		Multipart: f.IsMultipart()}
	errorCount := f.ErrorCount()
	if extra != nil {
		p.Fields = append(p.Fields, extra.Fields()...)
		p.NonFieldErrors = append(p.NonFieldErrors, extra.NonFieldErrors()...)
		p.PasswordHelp = v.site.auth.PasswordHelpTexts()
		errorCount += extra.ErrorCount()
	}
	v.readonlyHTML(r, p, obj)
	if raw := r.URL.Query().Get(paramFilters); raw != "" {
		p.Action = "?" + url.Values{paramFilters: {raw}}.Encode()
	}
	crumbs := []crumb{{"Home", v.site.cfg.Prefix}, {m.App.VerboseName, v.appURL()}, {orm.Capfirst(m.VerboseNamePlural), v.url("") + v.changelistFilters(r)}}
	if add {
		p.Breadcrumbs = append(crumbs, crumb{title, ""})
	} else {
		repr := m.String(obj)
		p.Title, p.Subtitle = "Change "+m.VerboseName, repr
		if !canEdit {
			p.Title = "View " + m.VerboseName
		}
		p.Breadcrumbs = append(crumbs, crumb{repr, ""})
		p.HistoryURL = v.objectURL(obj, "history/") + v.preservedFromRequest(r)
		if v.admin.HasDeletePermission(r, obj) {
			p.DeleteURL = v.objectURL(obj, "delete/") + v.preservedFromRequest(r)
		}
	}
	switch n := errorCount; {
	case n == 1:
		p.ErrorNote = "Please correct the error below."
	case n > 1:
		p.ErrorNote = "Please correct the errors below."
	}
	p.ShowSave = canEdit
	p.ShowSaveAndContinue = canEdit && (add || v.admin.HasViewPermission(r, obj))
	p.ShowSaveAndAddAnother = canEdit && v.admin.HasAddPermission(r)
	return p
}

// readonlyHTML fills the page's replacements for read-only fields that
// the admin renders itself.
func (v *modelView) readonlyHTML(r *http.Request, p *changeFormPage, obj any) {
	rr, ok := v.admin.(readonlyRenderer)
	if !ok {
		return
	}
	for _, bf := range p.Fields {
		if !bf.IsReadonly() {
			continue
		}
		if html, ok := rr.readonlyHTML(r, obj, bf.Name); ok {
			if p.ReadonlyHTML == nil {
				p.ReadonlyHTML = map[string]template.HTML{}
			}
			p.ReadonlyHTML[bf.Name] = html
		}
	}
}
