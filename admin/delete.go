package admin

import (
	"net/http"

	"github.com/staffroom/staffroom/orm"
)

// deletePage is the data of delete_confirmation.html.
type deletePage struct {
	Context
	AppLabel, ModelName string
	VerboseName         string
	ObjectRepr          string
	Summary             []orm.ModelCount
	Objects             []*DeletedItem
	Protected           []*DeletedItem
	PermsNeeded         []string
	CancelURL           string
	IsPopup             bool   // a related-object popup's: posts _popup back
	ToField             string // and the popup's _to_field
}

// delete shows what deleting an object would cascade to
// (GetDeletedObjects) and, on a confirming POST, logs and deletes it
// (LogDeletion, DeleteModel) in one transaction, then answers through
// ResponseDelete.
func (v *modelView) delete(w http.ResponseWriter, r *http.Request, id string) error {
	ma := v.admin
	if err := v.checkToField(r); err != nil {
		return err
	}
	obj, found, err := v.getObject(r, id)
	if err != nil {
		return err
	}
	if !ma.HasDeletePermission(r, obj) {
		return errForbidden
	}
	if !found {
		return v.missing(w, r, id)
	}
	deleted, err := ma.GetDeletedObjects(r, []any{obj})
	if err != nil {
		return err
	}
	if r.Method == http.MethodPost && len(deleted.Protected) == 0 {
		if len(deleted.PermsNeeded) > 0 {
			return errForbidden
		}
		repr := v.model.String(obj)
		err := v.site.atomically(r, func(r *http.Request) error {
			if err := ma.LogDeletion(r, obj, repr); err != nil {
				return err
			}
			return ma.DeleteModel(r, obj)
		})
		if err != nil {
			return err
		}
		return ma.ResponseDelete(w, r, repr, id)
	}
	p := v.deletePage(r, obj, deleted)
	v.site.render(w, r, http.StatusOK, v.site.tmpl.choose(v.base.DeleteConfirmationTemplate, v.model.App.Label, v.model.ModelName, "delete_confirmation.html"), p)
	return nil
}

func (v *modelView) deletePage(r *http.Request, obj any, d *DeletedObjects) *deletePage {
	repr := v.model.String(obj)
	p := &deletePage{
		Context: v.site.pageContext(r, "Are you sure?"), AppLabel: v.model.App.Label, ModelName: v.model.ModelName,
		VerboseName: v.model.VerboseName, ObjectRepr: repr, CancelURL: v.objectURL(obj, "change/") + v.base.preservedFromRequest(r),
		Objects: d.Objects, Protected: d.Protected, PermsNeeded: d.PermsNeeded, Summary: d.Counts,
	}
	p.Breadcrumbs = []Crumb{{"Home", v.site.cfg.Prefix}, {v.model.App.VerboseName, v.appURL()},
		{orm.Capfirst(v.model.VerboseNamePlural), v.url("") + v.base.changelistFilters(r)},
		{repr, v.objectURL(obj, "change/") + v.base.preservedFromRequest(r)}, {"Delete", ""}}
	if isPopup(r) {
		p.IsPopup, p.ToField = true, toField(r)
		p.NavSidebar, p.Breadcrumbs = false, nil
		p.CancelURL += popupSuffix(p.CancelURL, r)
	}
	if len(p.PermsNeeded) > 0 || len(p.Protected) > 0 {
		p.Title = "Cannot delete " + v.model.VerboseName
	}
	return p
}
