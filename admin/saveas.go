package admin

import (
	"mime"
	"net/http"
	"net/url"
	"strconv"
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

// maxSaveAsNewRows bounds the rows of an inline asNewInlineData rewrites,
// whatever TOTAL_FORMS says (the formset refuses more than its absolute
// maximum anyway).
const maxSaveAsNewRows = 2000

// asNewInlineData makes the posted rows of each inline new rows of the
// new object, as Django's save_as_new formsets do: no initial forms, and
// neither the rows' keys nor the old parent's key, so the copy gets
// copies and the original keeps its rows.
func asNewInlineData(data url.Values, sets []*inlineSet) {
	for _, s := range sets {
		prefix := s.fs.Prefix()
		total, _ := strconv.Atoi(data.Get(prefix + "-TOTAL_FORMS"))
		data.Set(prefix+"-INITIAL_FORMS", "0")
		keys := []string{s.fs.Model().PK.Name}
		if fk := s.fs.FK(); fk != nil { // a generic inline has no parent key in its rows
			keys = append(keys, fk.Name)
		}
		for i := range min(total, maxSaveAsNewRows) {
			row := prefix + "-" + strconv.Itoa(i) + "-"
			for _, k := range keys {
				data.Del(row + k)
			}
		}
	}
}
