package admin

import (
	"fmt"
	"net/http"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// deleteSelectedPage is the data of delete_selected_confirmation.html.
type deleteSelectedPage struct {
	Context
	AppLabel, ModelName string
	// ObjectsName is the verbose name, plural unless one object is
	// selected.
	ObjectsName string
	Summary     []orm.ModelCount
	Objects     []*DeletedItem
	Protected   []*DeletedItem
	PermsNeeded []string
	// Selected are the primary keys the confirming form posts again,
	// unlocalized.
	Selected   []string
	ActionName string
	CancelURL  string
}

// DeleteSelected is the delete action, Django's delete_selected. Its
// first POST shows what deleting the objects of qs would cascade to; the
// confirming POST ("post=yes") logs the deletions (LogDeletions) and
// deletes them (DeleteQueryset) — unless protected objects block it (the
// page again) or the user may not delete a model the deletion reaches
// (403).
func DeleteSelected(w http.ResponseWriter, r *http.Request, ma Admin, qs orm.QuerySet) error {
	a := ma.base()
	objs, err := qs.All(r.Context())
	if err != nil {
		return err
	}
	deleted, err := ma.GetDeletedObjects(r, objs)
	if err != nil {
		return err
	}
	if r.PostForm.Get(fieldPost) != "" && len(deleted.Protected) == 0 {
		if len(deleted.PermsNeeded) > 0 {
			return errForbidden
		}
		if len(objs) == 0 {
			return nil
		}
		if err := ma.LogDeletions(r, objs); err != nil {
			return err
		}
		if err := ma.DeleteQueryset(r, qs); err != nil {
			return err
		}
		ma.MessageUser(r, flash.Success, fmt.Sprintf("Successfully deleted %d %s.", len(objs), countedName(a.model, len(objs))))
		return nil
	}
	v := a.view()
	p := v.deleteSelectedPage(r, objs, deleted)
	v.site.render(w, r, http.StatusOK, v.site.tmpl.choose(a.DeleteSelectedConfirmationTemplate, v.model.App.Label, v.model.ModelName, "delete_selected_confirmation.html"), p)
	return nil
}

// countedName is the model's verbose name for n objects, Django's
// model_ngettext.
func countedName(m *orm.Model, n int) string {
	if n == 1 {
		return m.VerboseName
	}
	return m.VerboseNamePlural
}

func (v *modelView) deleteSelectedPage(r *http.Request, objs []any, d *DeletedObjects) *deleteSelectedPage {
	m := v.model
	p := &deleteSelectedPage{
		Context: v.site.pageContext(r, "Delete multiple objects"), AppLabel: m.App.Label, ModelName: m.ModelName,
		ObjectsName: countedName(m, len(objs)), Summary: d.Counts, Objects: d.Objects, Protected: d.Protected,
		PermsNeeded: d.PermsNeeded, ActionName: chosenAction(r.PostForm[fieldAction], r.PostForm.Get(fieldIndex)),
		CancelURL: r.URL.RequestURI(),
	}
	for _, obj := range objs {
		p.Selected = append(p.Selected, v.site.objectID(m, obj))
	}
	if len(p.PermsNeeded) > 0 || len(p.Protected) > 0 {
		p.Title = "Cannot delete " + p.ObjectsName
	}
	p.Breadcrumbs = []Crumb{{"Home", v.site.cfg.Prefix}, {m.App.VerboseName, v.appURL()},
		{orm.Capfirst(m.VerboseNamePlural), r.URL.RequestURI()}, {"Delete multiple objects", ""}}
	return p
}
