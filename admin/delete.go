package admin

import (
	"context"
	"net/http"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// deletePage is the data of delete_confirmation.html.
type deletePage struct {
	basePage
	AppLabel, ModelName string
	VerboseName         string
	ObjectRepr          string
	Summary             []orm.ModelCount
	Objects             []*deletedItem
	Protected           []*deletedItem
	PermsNeeded         []string
	CancelURL           string
}

// deletedItem is one line of the nested list of what a delete removes.
type deletedItem struct {
	Label, Text, URL string
	Children         []*deletedItem
}

// delete shows what deleting an object would cascade to and, on a
// confirming POST, deletes it all in one transaction with its log entry.
func (v *modelView) delete(w http.ResponseWriter, r *http.Request, id string) error {
	ctx := r.Context()
	obj, err := v.getObject(r, id)
	if err != nil {
		return err
	}
	if !v.admin.HasDeletePermission(r, obj) {
		return errForbidden
	}
	if obj == nil {
		return v.missing(w, r, id)
	}
	d, err := v.site.db.Collect(ctx, obj)
	if err != nil {
		return err
	}
	p := v.deletePage(r, obj, d)
	if r.Method == http.MethodPost && len(p.Protected) == 0 {
		if len(p.PermsNeeded) > 0 {
			return errForbidden
		}
		return v.deleteConfirmed(w, r, obj, d)
	}
	v.site.render(w, r, http.StatusOK, v.site.tmpl.lookup(v.model.App.Label, v.model.ModelName, "delete_confirmation.html"), p)
	return nil
}

func (v *modelView) deleteConfirmed(w http.ResponseWriter, r *http.Request, obj any, d *orm.Deletion) error {
	user := auth.UserFrom(r.Context())
	repr := v.model.String(obj)
	err := v.site.db.Atomic(r.Context(), func(ctx context.Context) error {
		if err := v.site.logAction(ctx, user, v.model, obj, Deletion, ""); err != nil {
			return err
		}
		return v.admin.DeleteModel(r.WithContext(ctx), d)
	})
	if err != nil {
		return err
	}
	flash.Add(r, flash.Success, "The "+v.model.VerboseName+" “"+repr+"” was deleted successfully.")
	target := v.site.cfg.Prefix
	if v.admin.HasChangePermission(r, nil) {
		target = v.url("") + v.changelistFilters(r)
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

func (v *modelView) deletePage(r *http.Request, obj any, d *orm.Deletion) *deletePage {
	repr := v.model.String(obj)
	p := &deletePage{
		basePage: v.site.basePage(r, "Are you sure?"), AppLabel: v.model.App.Label, ModelName: v.model.ModelName,
		VerboseName: v.model.VerboseName, ObjectRepr: repr, CancelURL: v.objectURL(obj, "change/") + v.preservedFromRequest(r),
	}
	p.Breadcrumbs = []crumb{{"Home", v.site.cfg.Prefix}, {v.model.App.VerboseName, v.appURL()},
		{orm.Capfirst(v.model.VerboseNamePlural), v.url("")}, {repr, v.objectURL(obj, "change/")}, {"Delete", ""}}
	needed := map[string]bool{}
	var walk func(n *orm.DeleteNode) *deletedItem
	walk = func(n *orm.DeleteNode) *deletedItem {
		item := v.site.describeObject(r, n.Model, n.Object)
		if a, ok := v.site.admins[n.Model]; ok && !a.HasDeletePermission(r, n.Object) && !needed[n.Model.VerboseName] {
			needed[n.Model.VerboseName] = true
			p.PermsNeeded = append(p.PermsNeeded, n.Model.VerboseName)
		}
		for _, c := range n.Children {
			item.Children = append(item.Children, walk(c))
		}
		for _, l := range n.Links {
			item.Children = append(item.Children, &deletedItem{Label: l})
		}
		return item
	}
	for _, n := range d.Roots {
		p.Objects = append(p.Objects, walk(n))
	}
	for _, pr := range d.Protected {
		p.Protected = append(p.Protected, v.site.describeObject(r, pr.Model, pr.Object))
	}
	for _, c := range d.Counts {
		p.Summary = append(p.Summary, orm.ModelCount{Name: orm.Capfirst(c.Name), Count: c.Count})
	}
	if len(p.PermsNeeded) > 0 || len(p.Protected) > 0 {
		p.Title = "Cannot delete " + v.model.VerboseName
	}
	return p
}

// describeObject is a deleted-objects line: "Book: <a href=...>Title</a>",
// linked when the model is registered here.
func (s *Site) describeObject(r *http.Request, m *orm.Model, obj any) *deletedItem {
	item := &deletedItem{Label: orm.Capfirst(m.VerboseName), Text: m.String(obj)}
	if a, ok := s.admins[m]; ok {
		v := &modelView{site: s, admin: a, base: a.base(), model: m}
		item.URL = v.objectURL(obj, "change/")
	}
	return item
}

// changelistFilters unpacks the preserved change list query for a
// redirect back to the change list: "?<query>" or "".
func (v *modelView) changelistFilters(r *http.Request) string {
	if f := r.URL.Query().Get(paramFilters); f != "" {
		return "?" + f
	}
	return ""
}

// preservedFromRequest re-wraps the request's _changelist_filters for
// links to other pages of the object.
func (v *modelView) preservedFromRequest(r *http.Request) string {
	if f := r.URL.Query().Get(paramFilters); f != "" {
		return "?" + paramFilters + "=" + queryEscape(f)
	}
	return ""
}
