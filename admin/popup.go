package admin

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"

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
	m = m.ConcreteModel() // a proxy's fields and relations are its concrete model's
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
// their inlines; a proxy's concrete model counts as registered with it,
// as Django's issubclass test counts it.
func (s *Site) registeredModels() map[*orm.Model]bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[*orm.Model]bool{}
	for m, ma := range s.admins {
		out[m], out[m.ConcreteModel()] = true, true
		for _, in := range ma.base().Inlines {
			if im, err := s.db.Registry().ModelOf(in.inline().Model); err == nil {
				out[im], out[im.ConcreteModel()] = true, true
			}
		}
	}
	return out
}

// popupValue is what a popup's row link hands back to its opener: the
// _to_field value of obj, else its primary key.
func (v *modelView) popupValue(r *http.Request, obj any) string { return popupValue(v.model, r, obj) }

func popupValue(m *orm.Model, r *http.Request, obj any) string {
	if f := m.Field(toField(r)); f != nil && !f.PrimaryKey {
		return f.Format(f.Get(obj))
	}
	return fmt.Sprint(m.PKValue(obj))
}

// popupResponsePage is the data of popup_response.html: the answer of a
// related-object popup's add, change or delete, which popup_response.js
// hands to the opener's related_objects.js before closing the popup.
type popupResponsePage struct {
	Context
	Data string // JSON, in data-popup-response
}

// popupResponse answers a popup's successful add, change or delete,
// Django's popup_response.html (contract §4.3): 200 with the JSON in a
// data attribute, no inline script. The page is the admin's
// PopupResponseTemplate, else the most specific popup_response.html
// (admin/<app>/<model>/, admin/<app>/, admin/).
func (a *ModelAdmin) popupResponse(w http.ResponseWriter, r *http.Request, data map[string]string) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	p := &popupResponsePage{Context: a.site.pageContext(r, "Popup closing…"), Data: string(b)}
	set := a.site.tmpl.choose(a.PopupResponseTemplate, a.model.App.Label, a.model.ModelName, "popup_response.html")
	a.site.render(w, r, http.StatusOK, set, p)
	return nil
}

// popupObjectID is the object id of a popup's change or delete page, as
// its URL has it: the related field's value the opener's select holds
// (Django's resolver_match.kwargs["object_id"]).
func popupObjectID(r *http.Request) string {
	return Unquote(path.Base(path.Dir(strings.TrimSuffix(r.URL.Path, "/"))))
}

// popupSuffix is what keeps a link within the popup: "?" or "&", then
// popupQuery.
func popupSuffix(link string, r *http.Request) string {
	sep := "?"
	if strings.Contains(link, "?") {
		sep = "&"
	}
	return sep + popupQuery(r).Encode()
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
