package admin

import (
	"fmt"
	"net/http"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// changeFormPage is the data of change_form.html.
type changeFormPage struct {
	Context
	AppLabel, ModelName string
	Action              string
	Multipart           bool // the form has a file field
	ErrorNote           string
	// ErrorSummary links each error to its field, under ErrorNote.
	ErrorSummary          []ErrorLink
	NonFieldErrors        []string
	AdminForm             *AdminForm
	Add                   bool
	ShowSave              bool
	ShowSaveAndAddAnother bool
	ShowSaveAndContinue   bool
	ShowSaveAsNew         bool
	SaveOnTop             bool
	CanChange             bool
	DeleteURL             string
	HistoryURL            string
	ViewOnSiteURL         string
	ChangelistURL         string
	Prepopulated          bool // the add form has fields for prepopulate.js
	DateTimeShortcuts     bool // the form has date or time inputs for calendar.js
	// Inlines are the inline formsets shown below the form.
	Inlines []*InlineAdminFormSet
	Media   Media // the admin's, linked after the page's own
	// IsPopup is a related-object popup's page: the form posts _popup
	// and ToField back, and the page has no navigation.
	IsPopup bool
	ToField string
}

// changeForm serves the add page and the change page of an object,
// Django's changeform_view: the form on GET; on POST the validated save
// (SaveForm, SaveModel, SaveRelated) with its log entry in one
// transaction, then ResponseAdd or ResponseChange.
func (v *modelView) changeForm(w http.ResponseWriter, r *http.Request, id string, add bool) error {
	ma := v.admin
	if err := v.checkToField(r); err != nil {
		return err
	}
	saveAsNew := !add && postedSaveAsNew(r)
	add = add || saveAsNew // Django's _changeform_view: "Save as new" is an add
	var obj any
	if add {
		if !ma.HasAddPermission(r) {
			return errForbidden
		}
	} else {
		var found bool
		var err error
		if obj, found, err = v.getObject(r, id); err != nil {
			return err
		}
		allowed := ma.HasChangePermission(r, obj)
		if r.Method != http.MethodPost && !allowed {
			allowed = ma.HasViewPermission(r, obj)
		}
		if !allowed {
			return errForbidden
		}
		if !found {
			return v.missing(w, r, id)
		}
	}
	canEdit := add || ma.HasChangePermission(r, obj)
	if r.Method == http.MethodPost && !canEdit {
		return errForbidden
	}
	f, err := ma.GetForm(r, obj, !add)
	if err != nil {
		return err
	}
	if add {
		f.SetInitial(ma.GetChangeformInitialData(r))
	} else if err := f.SetInstance(r.Context(), obj); err != nil {
		return err
	}
	sets, err := v.inlineSets(r, obj, ma.GetInlineInstances(r, obj))
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost {
		if err := f.BindRequest(r, maxUploadMemory); err != nil {
			return badRequest("malformed form data")
		}
		if r.MultipartForm != nil {
			defer r.MultipartForm.RemoveAll()
		}
		if err := v.checkToField(r); err != nil {
			return err // posted, not in the query string
		}
		if saveAsNew {
			asNewInlineData(r.PostForm, sets)
		}
		if validateAll(r, f, sets, add) {
			return v.save(w, r, f, add, formsets(sets))
		}
	}
	p, err := v.formPage(r, f, obj, add, canEdit, sets)
	if err != nil {
		return err
	}
	name := v.base.ChangeFormTemplate
	if saveAsNew {
		p.failedSaveAsNew(ma, r)
	} else if add {
		name = v.base.AddFormTemplate
	}
	v.site.render(w, r, http.StatusOK, v.site.tmpl.choose(name, v.model.App.Label, v.model.ModelName, "change_form.html"), p)
	return nil
}

// maxUploadMemory is how much of a form's uploads is kept in memory; the
// rest goes to temporary files (Django's FILE_UPLOAD_MAX_MEMORY_SIZE is
// smaller, per file).
const maxUploadMemory = 10 << 20

// save runs Django's save sequence for a valid form in one transaction,
// with the log entry, then answers through ResponseAdd or ResponseChange.
func (v *modelView) save(w http.ResponseWriter, r *http.Request, f *form.ModelForm, add bool, formsets []*form.ModelFormSet) error {
	ma := v.admin
	obj := f.Instance()
	err := v.site.atomically(r, func(r *http.Request) error {
		f.SetContext(r.Context())
		if err := ma.SaveForm(r, f, obj, !add); err != nil {
			return err
		}
		if err := ma.SaveModel(r, obj, f, !add); err != nil {
			return err
		}
		if err := ma.SaveRelated(r, f, formsets, !add); err != nil {
			return err
		}
		msg := ma.ConstructChangeMessage(r, f, formsets, add)
		if add {
			return ma.LogAddition(r, obj, msg)
		}
		return ma.LogChange(r, obj, msg)
	})
	if err != nil {
		return err
	}
	if add {
		return ma.ResponseAdd(w, r, obj)
	}
	return ma.ResponseChange(w, r, obj)
}

// formPage lays out the add or change page of a form.
func (v *modelView) formPage(r *http.Request, f *form.ModelForm, obj any, add, canEdit bool, sets []*inlineSet) (*changeFormPage, error) {
	ma, m := v.admin, v.model
	fieldsets := ma.GetFieldsets(r, obj)
	readonly := ma.GetReadonlyFields(r, obj)
	if !canEdit {
		readonly = flattenFieldsets(fieldsets)
	}
	af, err := newAdminForm(ma, f, fieldsets, readonly)
	if err != nil {
		return nil, err
	}
	title := "Add " + m.VerboseName
	p := &changeFormPage{Context: v.site.pageContext(r, title), AppLabel: m.App.Label, ModelName: m.ModelName,
		AdminForm: af, NonFieldErrors: f.NonFieldErrors(), CanChange: canEdit, Add: add, SaveOnTop: v.base.SaveOnTop,
		ChangelistURL: v.url("") + v.base.changelistFilters(r), Multipart: f.IsMultipart(), DateTimeShortcuts: af.hasDateInputs(),
		Media: v.base.Media}
	p.Action = v.base.preservedFromRequest(r)
	if err := v.inlinePage(r, p, obj, sets); err != nil {
		return nil, err
	}
	crumbs := []Crumb{{"Home", v.site.cfg.Prefix}, {m.App.VerboseName, v.appURL()}}
	if hasViewOrChange(ma, r, nil) {
		crumbs = append(crumbs, Crumb{orm.Capfirst(m.VerboseNamePlural), v.url("") + v.base.changelistFilters(r)})
	} else {
		crumbs = append(crumbs, Crumb{orm.Capfirst(m.VerboseNamePlural), ""})
	}
	if add {
		p.Breadcrumbs = append(crumbs, Crumb{title, ""})
		p.Prepopulated = prepopulate(f, ma.GetPrepopulatedFields(r, obj)) // never after the first save
	} else {
		repr := m.String(obj)
		p.Title, p.Subtitle = "Change "+m.VerboseName, repr
		if !canEdit {
			p.Title = "View " + m.VerboseName
		}
		p.Breadcrumbs = append(crumbs, Crumb{repr, ""})
		p.HistoryURL = v.objectURL(obj, "history/") + v.base.preservedFromRequest(r)
		if ma.HasDeletePermission(r, obj) {
			p.DeleteURL = v.objectURL(obj, "delete/") + v.base.preservedFromRequest(r)
		}
		p.ViewOnSiteURL = v.viewOnSiteURL(r, obj)
	}
	n := af.ErrorCount() + len(p.NonFieldErrors)
	for _, s := range sets {
		n += s.ErrorCount()
	}
	switch {
	case n == 1:
		p.ErrorNote = "Please correct the error below."
	case n > 1:
		p.ErrorNote = "Please correct the errors below."
	}
	if n > 0 {
		p.ErrorSummary = errorSummary(p.NonFieldErrors, af, p.Inlines)
	}
	p.ShowSave = canEdit
	// Save and continue leads to the object's page, so it is offered only
	// to users who may see it then (Django's has_view_permission).
	p.ShowSaveAndContinue = canEdit && ma.HasViewPermission(r, obj)
	p.ShowSaveAndAddAnother = canEdit && ma.HasAddPermission(r) && (add || !v.base.SaveAs)
	// "Save as new" also asks for the right to change, as Django 5.0's
	// submit_row: a view-only page has no values to post.
	p.ShowSaveAsNew = !add && canEdit && v.base.SaveAs && ma.HasAddPermission(r) && !isPopup(r)
	if isPopup(r) {
		p.popup(r)
	}
	return p, nil
}

// popup lays out the page for a related-object popup, as Django's
// is_popup: no navigation, and only the buttons that answer the opener.
func (p *changeFormPage) popup(r *http.Request) {
	p.IsPopup, p.ToField = true, toField(r)
	p.NavSidebar, p.Breadcrumbs = false, nil
	p.ShowSaveAndContinue, p.ShowSaveAndAddAnother, p.DeleteURL = false, false, ""
}

// viewOnSiteURL is the object's "View on site" link: the admin's
// ViewOnSiteURL, else the site's redirect to the model's absolute URL; ""
// when hidden or when the model has none.
func (v *modelView) viewOnSiteURL(r *http.Request, obj any) string {
	if v.base.HideViewOnSite {
		return ""
	}
	if v.base.ViewOnSiteURL != nil {
		return v.base.ViewOnSiteURL(obj)
	}
	if !v.model.HasAbsoluteURL() {
		return ""
	}
	ct, err := v.site.types.ForModel(r.Context(), v.model)
	if err != nil {
		return ""
	}
	return v.site.viewOnSitePath(ct.ID, fmt.Sprint(v.model.PKValue(obj)))
}
