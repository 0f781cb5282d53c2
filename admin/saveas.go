package admin

import (
	"mime"
	"net/http"
)

// fieldSaveAsNew is the "Save as new" button's POST key.
const fieldSaveAsNew = "_saveasnew"

// postedSaveAsNew reports whether a POST pressed "Save as new", which
// Django serves as an add of the posted values from the change URL (so
// it needs the add permission, not the change one). The body is parsed
// as the form's BindRequest parses it; a malformed one is reported there.
func postedSaveAsNew(r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct == "multipart/form-data" {
		_ = r.ParseMultipartForm(maxUploadMemory)
	} else {
		_ = r.ParseForm()
	}
	return r.PostForm.Has(fieldSaveAsNew)
}

// saveAsContinue is SaveAsContinue, true when unset as in Django.
func (a *ModelAdmin) saveAsContinue() bool { return a.SaveAsContinue == nil || *a.SaveAsContinue }

// failedSaveAsNew sets the buttons of a "Save as new" that did not
// validate, shown on the change template as Django's: no Save nor Save
// and continue, "Save as new" again.
func (p *changeFormPage) failedSaveAsNew(ma Admin, r *http.Request) {
	p.ShowSave, p.ShowSaveAndContinue, p.ShowSaveAndAddAnother = false, false, false
	p.ShowSaveAsNew = ma.base().SaveAs && ma.HasAddPermission(r) && !isPopup(r)
}
