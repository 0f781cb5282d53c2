package admin

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"

	"github.com/staffroom/staffroom/orm"
)

// modelView serves one request to a model's pages, calling the admin
// through its registered value.
type modelView struct {
	site  *Site
	admin Admin
	base  *ModelAdmin
	model *orm.Model
}

// modelURL returns a path below a model's change list URL.
func (s *Site) modelURL(m *orm.Model, rest string) string {
	return s.cfg.Prefix + m.App.Label + "/" + m.ModelName + "/" + rest
}

// objectURL returns an object's page URL, its primary key admin-quoted
// and then escaped for the path.
func (s *Site) objectURL(m *orm.Model, pk any, rest string) string {
	return s.cfg.Prefix + m.App.Label + "/" + m.ModelName + "/" + objectPath(idString(pk)) + "/" + rest // modelURL's, in one string
}

// url returns a path below the model's change list URL.
func (v *modelView) url(rest string) string { return v.site.modelURL(v.model, rest) }

func (v *modelView) appURL() string { return v.site.cfg.Prefix + v.model.App.Label + "/" }

// objectURL returns an object's page URL.
func (v *modelView) objectURL(obj any, rest string) string {
	return v.site.objectURL(v.model, v.site.objectID(v.model, obj), rest)
}

// ObjectIDer is implemented by an admin whose objects are named in URLs
// and in the log (LogEntry.ObjectID) by an identifier other than their
// primary key — beyond Django, whose admin always shows the key. A model
// whose primary key is a credential, such as a session, needs it: its
// GetObject then finds the object by that identifier.
type ObjectIDer interface {
	ObjectID(obj any) string
	// ObjectKey returns the primary key an identifier names (as the
	// action checkboxes post it back); ok is false for an identifier
	// that names nothing.
	ObjectKey(id string) (pk string, ok bool)
}

// objectID returns the identifier of obj in URLs and the log: its primary
// key, unless the model's admin is an ObjectIDer.
func (s *Site) objectID(m *orm.Model, obj any) string {
	if ider, ok := s.registered(m).(ObjectIDer); ok {
		return ider.ObjectID(obj)
	}
	if id, ok := plainKey(m.PK, obj); ok {
		return id
	}
	return idString(m.PKValue(obj))
}

// plainKey is obj's value of f as idString and f.Format write it, when f
// holds exactly an int64, int, int32 or string (the common keys): read
// from the struct without boxing the value.
func plainKey(f *orm.Field, obj any) (string, bool) {
	if rv, ok := f.Value(obj); ok {
		switch rv.Type() {
		case int64Type, intType, int32Type:
			return strconv.FormatInt(rv.Int(), 10), true
		case stringType:
			return rv.String(), true
		}
	}
	return "", false
}

var (
	int64Type  = reflect.TypeFor[int64]()
	intType    = reflect.TypeFor[int]()
	int32Type  = reflect.TypeFor[int32]()
	stringType = reflect.TypeFor[string]()
)

// objectKey returns the primary key a posted identifier names: the
// identifier itself, unless the model's admin is an ObjectIDer.
func (s *Site) objectKey(m *orm.Model, id string) (string, bool) {
	if ider, ok := s.registered(m).(ObjectIDer); ok {
		return ider.ObjectKey(id)
	}
	return id, true
}

func (v *modelView) idURL(id, rest string) string { return v.site.objectURL(v.model, id, rest) }

// preserveFilters is Django's preserve_filters (default true).
func (a *ModelAdmin) preserveFilters() bool { return a.PreserveFilters == nil || *a.PreserveFilters }

// preserved returns "?_changelist_filters=..." carrying the change list's
// query to the pages it links to, or "".
func (v *modelView) preserved(lq listQuery) string {
	if len(lq.raw) == 0 || !v.base.preserveFilters() {
		return ""
	}
	return "?" + url.Values{paramFilters: {lq.raw.Encode()}}.Encode()
}

// changelistFilters unpacks the preserved change list query for a
// redirect back to the change list: "?<query>" or "".
func (a *ModelAdmin) changelistFilters(r *http.Request) string {
	if !a.preserveFilters() {
		return ""
	}
	return changelistFilters(r)
}

// preservedFromRequest re-wraps the request's _changelist_filters for
// links to other pages of the object.
func (a *ModelAdmin) preservedFromRequest(r *http.Request) string {
	if !a.preserveFilters() {
		return ""
	}
	return preservedFromRequest(r)
}
