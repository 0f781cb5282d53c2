package admin

import (
	"errors"
	"net/http"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// ChangelistView implements Admin: the change list (contract §2).
func (a *ModelAdmin) ChangelistView(w http.ResponseWriter, r *http.Request) error {
	return a.view().changelist(w, r)
}

// AddView implements Admin: the add form.
func (a *ModelAdmin) AddView(w http.ResponseWriter, r *http.Request) error {
	return a.view().changeForm(w, r, "", true)
}

// ChangeView implements Admin: the change form of one object.
func (a *ModelAdmin) ChangeView(w http.ResponseWriter, r *http.Request, objectID string) error {
	return a.view().changeForm(w, r, objectID, false)
}

// DeleteView implements Admin: the deletion of one object, confirmed.
func (a *ModelAdmin) DeleteView(w http.ResponseWriter, r *http.Request, objectID string) error {
	return a.view().delete(w, r, objectID)
}

// HistoryView implements Admin: one object's log entries.
func (a *ModelAdmin) HistoryView(w http.ResponseWriter, r *http.Request, objectID string) error {
	return a.view().history(w, r, objectID)
}

// GetURLs implements Admin: no pages besides the standard ones.
func (a *ModelAdmin) GetURLs() []View { return nil }

// view returns the views' helper, which calls through the registered
// value.
func (a *ModelAdmin) view() *modelView {
	return &modelView{site: a.site, admin: a.self, base: a, model: a.model}
}

// getObject loads an object for a view through GetObject; found is false
// when it does not exist (the view then answers with Django's "doesn’t
// exist" message, after checking permissions as Django does).
func (v *modelView) getObject(r *http.Request, id string) (obj any, found bool, err error) {
	if f := v.model.Field(toField(r)); f != nil && !f.PrimaryKey {
		// A popup's change or delete link holds the value of the field a
		// relation targets (Django's get_object with from_field);
		// checkToField allowed the field.
		var value any
		if value, err = f.Parse(id); err != nil {
			return nil, false, nil
		}
		obj, err = v.admin.GetQueryset(r).Get(r.Context(), orm.Q{f.Name: value})
	} else {
		obj, err = v.admin.GetObject(r, id)
	}
	if errors.Is(err, orm.ErrNotFound) {
		return nil, false, nil
	}
	return obj, err == nil, err
}

// matchView finds the admin page of views whose path matches rest, a
// path below the model's URL; it returns the object id of a "{id}/" page.
func matchView(views []View, rest string) (View, string, bool) {
	for _, vw := range views {
		if vw.Path == rest {
			return vw, "", true
		}
		suffix, ok := strings.CutPrefix(vw.Path, "{id}/")
		if !ok {
			continue
		}
		id, found := strings.CutSuffix(rest, "/"+suffix)
		if found && id != "" && !strings.Contains(id, "/") {
			return vw, Unquote(id), true
		}
	}
	return View{}, "", false
}
