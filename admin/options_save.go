package admin

import (
	"context"
	"html/template"
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// SaveForm implements Admin: the form's values are set on obj.
func (a *ModelAdmin) SaveForm(r *http.Request, f *form.ModelForm, obj any, change bool) error {
	return f.Apply(obj)
}

// SaveModel implements Admin: an insert or an update of obj. A key the
// form edits (a text key) may have changed: then, as Django's save does,
// the update finds no row of the new key and obj is inserted with it,
// the object of the old key staying as it was.
func (a *ModelAdmin) SaveModel(r *http.Request, obj any, f *form.ModelForm, change bool) error {
	if change && !a.model.PK.IsAuto() {
		return a.site.db.Save(r.Context(), obj)
	}
	if change {
		return a.site.db.Update(r.Context(), obj)
	}
	return a.site.db.Insert(r.Context(), obj)
}

// SaveRelated implements Admin: the form's many-to-many relations, then
// every formset through SaveFormset.
func (a *ModelAdmin) SaveRelated(r *http.Request, f *form.ModelForm, formsets []*form.ModelFormSet, change bool) error {
	if err := f.SaveM2M(r.Context(), f.Instance()); err != nil {
		return err
	}
	for _, fs := range formsets {
		if err := a.self.SaveFormset(r, f, fs, change); err != nil {
			return err
		}
	}
	return nil
}

// SaveFormset implements Admin: the formset's additions, changes and
// deletions.
func (a *ModelAdmin) SaveFormset(r *http.Request, f *form.ModelForm, fs *form.ModelFormSet, change bool) error {
	_, err := fs.Save(r.Context())
	return err
}

// DeleteModel implements Admin: obj and what cascades from it.
func (a *ModelAdmin) DeleteModel(r *http.Request, obj any) error {
	return a.site.db.Delete(r.Context(), obj)
}

// DeleteQueryset implements Admin: every object of qs, with what
// cascades from them.
func (a *ModelAdmin) DeleteQueryset(r *http.Request, qs orm.QuerySet) error {
	_, err := qs.Delete(r.Context())
	return err
}

// GetDeletedObjects implements Admin: the cascade of deleting objs, each
// object linked to its change page where its model is registered here
// (at most DeletedObjectsMax of a kind per list, then "and N more"),
// the models whose objects the user may not delete, and the protected
// objects that block the deletion.
func (a *ModelAdmin) GetDeletedObjects(r *http.Request, objs []any) (*DeletedObjects, error) {
	d, err := a.site.db.Collect(r.Context(), objs...)
	if err != nil {
		return nil, err
	}
	out := &DeletedObjects{Deletion: d}
	out.Objects = a.newDeletedLister(r, out).list(d.Roots, nil)
	for _, pr := range d.Protected {
		out.Protected = append(out.Protected, a.site.describeObject(pr.Model, pr.Object))
	}
	for _, c := range d.Counts {
		out.Counts = append(out.Counts, orm.ModelCount{Name: orm.Capfirst(c.Name), Count: c.Count})
	}
	return out, nil
}

// describeObject is a deleted-objects line: "Book: <a href=...>Title</a>",
// linked when the model is registered here.
func (s *Site) describeObject(m *orm.Model, obj any) *DeletedItem {
	item := &DeletedItem{Label: orm.Capfirst(m.VerboseName), Text: m.String(obj)}
	if s.registered(m) != nil {
		item.URL = s.objectURL(m, s.objectID(m, obj), "change/")
	}
	return item
}

// ConstructChangeMessage implements Admin: Django's JSON change message,
// "Added." for an addition, else the labels of the changed fields in the
// form's order.
//
// Each inline formset adds, in this order, an entry per added object, per
// changed object (with its changed fields) and per deleted object:
// {"added": {"name": "choice", "object": "Not much"}}.
func (a *ModelAdmin) ConstructChangeMessage(r *http.Request, f *form.ModelForm, formsets []*form.ModelFormSet, add bool) string {
	var items []changeItem
	if add {
		items = append(items, changeItem{Added: &changeDetail{}})
	} else if labels := f.ChangedLabels(); len(labels) > 0 {
		items = append(items, changeItem{Changed: &changeDetail{Fields: labels}})
	}
	return encodeChangeMessage(inlineChangeMessage(items, formsets))
}

// LogAddition implements Admin.
func (a *ModelAdmin) LogAddition(r *http.Request, obj any, message string) error {
	return a.site.logAction(r.Context(), auth.UserFrom(r.Context()), a.model, obj, Addition, message, "")
}

// LogChange implements Admin.
func (a *ModelAdmin) LogChange(r *http.Request, obj any, message string) error {
	return a.site.logAction(r.Context(), auth.UserFrom(r.Context()), a.model, obj, Change, message, "")
}

// LogDeletion implements Admin.
func (a *ModelAdmin) LogDeletion(r *http.Request, obj any, objectRepr string) error {
	return a.site.logAction(r.Context(), auth.UserFrom(r.Context()), a.model, obj, Deletion, "", objectRepr)
}

// MessageUser implements Admin: a one-time message, shown on the next
// page.
func (a *ModelAdmin) MessageUser(r *http.Request, level flash.Level, message string) {
	flash.Add(r, level, message)
}

// ResponseAdd implements Admin: the success message, then the page the
// pressed button asks for (contract §4): the new object's change page,
// another add page, or the change list (the index for a user who may not
// see it). In a related-object popup it answers the opener instead:
// the new object's value and text.
func (a *ModelAdmin) ResponseAdd(w http.ResponseWriter, r *http.Request, obj any) error {
	if isPopup(r) {
		return a.popupResponse(w, r, map[string]string{"value": popupValue(a.model, r, obj), "obj": a.model.String(obj)})
	}
	http.Redirect(w, r, a.afterSave(r, obj, true), http.StatusFound)
	return nil
}

// ResponseChange implements Admin, as ResponseAdd for a change; a popup's
// answer also has the value the opener knew the object by.
func (a *ModelAdmin) ResponseChange(w http.ResponseWriter, r *http.Request, obj any) error {
	if isPopup(r) {
		return a.popupResponse(w, r, map[string]string{"action": "change", "value": popupObjectID(r),
			"obj": a.model.String(obj), "new_value": popupValue(a.model, r, obj)})
	}
	http.Redirect(w, r, a.afterSave(r, obj, false), http.StatusFound)
	return nil
}

// afterSave adds the success message and returns where to go next.
func (a *ModelAdmin) afterSave(r *http.Request, obj any, add bool) string {
	m := a.model
	name := template.HTMLEscapeString(m.VerboseName)
	repr := template.HTMLEscapeString(m.String(obj))
	canChange := a.self.HasChangePermission(r, obj)
	if canChange {
		repr = `<a href="` + template.HTMLEscapeString(a.site.objectURL(m, a.site.objectID(m, obj), "change/")) + `">` + repr + `</a>`
	}
	verb := "changed"
	if add {
		verb = "added"
	}
	msg := "The " + name + " “" + repr + "” was " + verb + " successfully."
	preserved := a.preservedFromRequest(r)
	switch {
	case r.PostForm.Has("_continue"), add && r.PostForm.Has(fieldSaveAsNew) && a.saveAsContinue() && canChange:
		if canChange {
			msg += " You may edit it again below."
		}
		flash.AddHTML(r, flash.Success, template.HTML(msg))
		if add {
			return a.site.objectURL(m, a.site.objectID(m, obj), "change/") + preserved
		}
		return r.URL.EscapedPath() + preserved
	case r.PostForm.Has("_addanother"):
		flash.AddHTML(r, flash.Success, template.HTML(msg+" You may add another "+name+" below."))
		return a.site.modelURL(m, "add/") + preserved
	}
	flash.AddHTML(r, flash.Success, template.HTML(msg))
	if hasViewOrChange(a.self, r, nil) {
		return a.site.modelURL(m, "") + a.changelistFilters(r)
	}
	return a.site.cfg.Prefix
}

// ResponseDelete implements Admin: the success message, then the change
// list (the index for a user who may not see it); in a popup, the
// opener's answer instead.
func (a *ModelAdmin) ResponseDelete(w http.ResponseWriter, r *http.Request, objDisplay, objectID string) error {
	if isPopup(r) {
		return a.popupResponse(w, r, map[string]string{"action": "delete", "value": objectID})
	}
	a.self.MessageUser(r, flash.Success, "The "+a.model.VerboseName+" “"+objDisplay+"” was deleted successfully.")
	target := a.site.cfg.Prefix
	if hasViewOrChange(a.self, r, nil) {
		target = a.site.modelURL(a.model, "") + a.changelistFilters(r)
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}

// changelistFilters unpacks the preserved change list query for a
// redirect back to the change list: "?<query>" or "".
func changelistFilters(r *http.Request) string {
	if f := r.URL.Query().Get(paramFilters); f != "" {
		return "?" + f
	}
	return ""
}

// preservedFromRequest re-wraps the request's _changelist_filters for
// links to other pages of the object.
func preservedFromRequest(r *http.Request) string {
	if f := r.URL.Query().Get(paramFilters); f != "" {
		return "?" + url.Values{paramFilters: {f}}.Encode()
	}
	return ""
}

// atomically runs fn in one transaction, with r's context carrying it.
func (s *Site) atomically(r *http.Request, fn func(r *http.Request) error) error {
	return s.db.Atomic(r.Context(), func(ctx context.Context) error { return fn(r.WithContext(ctx)) })
}

// logRepr is the object_repr of a log entry: repr, else the object's
// string.
func logRepr(m *orm.Model, obj any, repr string) string {
	if repr == "" {
		repr = m.String(obj)
	}
	return repr
}
