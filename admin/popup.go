package admin

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// The popup parameters (contract §2.1).
const (
	paramPopup   = "_popup"
	paramToField = "_to_field"
)

// toField returns the field a popup returns the value of: the POST's
// _to_field (when the body is parsed already), else the query string's.
func toField(r *http.Request) string {
	if r.PostForm != nil && r.PostForm.Has(paramToField) {
		return r.PostForm.Get(paramToField)
	}
	return r.URL.Query().Get(paramToField)
}

// checkToField refuses, with a 400, a _to_field the model may not be
// referenced by (Django's DisallowedModelAdminToField): a popup would
// otherwise read any column of any object through it.
func (v *modelView) checkToField(r *http.Request) error {
	name := toField(r)
	if name == "" || v.site.toFieldAllowed(v.model, name) {
		return nil
	}
	return badRequest(fmt.Sprintf("The field %s cannot be referenced.", name))
}

// toFieldAllowed is Django's to_field_allowed: the primary key always;
// another field only when a foreign key or many-to-many of a model
// registered on this site (or of one of its inlines) targets it.
func (s *Site) toFieldAllowed(m *orm.Model, name string) bool {
	field := m.Field(name)
	if field == nil {
		return false
	}
	if field.PrimaryKey {
		return true
	}
	registered := s.registeredModels()
	for _, rel := range m.Related {
		target := rel.Target()
		if target == nil {
			target = m.PK
		}
		if target == field && registered[rel.Model] {
			return true
		}
	}
	return false
}

// registeredModels are the models registered on the site and those of
// their inlines.
func (s *Site) registeredModels() map[*orm.Model]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[*orm.Model]bool{}
	for m, ma := range s.admins {
		out[m] = true
		for _, in := range ma.base().Inlines {
			if im, err := s.db.Registry().ModelOf(in.inline().Model); err == nil {
				out[im] = true
			}
		}
	}
	return out
}

// popupValue is what a popup's row link hands back to its opener: the
// _to_field value of obj, else its primary key.
func (v *modelView) popupValue(r *http.Request, obj any) string {
	if f := v.model.Field(toField(r)); f != nil && !f.PrimaryKey {
		return f.Format(f.Get(obj))
	}
	return fmt.Sprint(v.model.PKValue(obj))
}

// popupQuery is "_popup=1" and the request's _to_field, for the links a
// popup's pages keep within the popup.
func popupQuery(r *http.Request) url.Values {
	q := url.Values{paramPopup: {"1"}}
	if tf := toField(r); tf != "" {
		q.Set(paramToField, tf)
	}
	return q
}
