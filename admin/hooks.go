package admin

import (
	"html/template"
	"net/http"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// The interfaces below are optional abilities of a registered admin that
// the generic views look for: UserAdmin and GroupAdmin have them, and so
// does any type embedding those.

// LookupAllower is implemented by admins that refuse some change-list
// lookups, Django's lookup_allowed: a lookup it refuses answers 400.
type LookupAllower interface {
	LookupAllowed(r *http.Request, lookup, value string) bool
}

// readonlyForcer names fields that are read-only whatever the options say.
type readonlyForcer interface {
	alwaysReadonly() []string
}

// readonlyRenderer shows some read-only fields as HTML of its own.
type readonlyRenderer interface {
	readonlyHTML(r *http.Request, obj any, field string) (template.HTML, bool)
}

// choicesProvider narrows or enriches the objects a relation field
// offers; a zero QuerySet keeps the default.
type choicesProvider interface {
	choices(f *orm.Field) orm.QuerySet
}

// addFormer gives the add page its own fields: model fields, and extra
// fields that are not the model's, checked and applied before saving.
type addFormer interface {
	addFields() []string
	addExtra(r *http.Request) *form.Form
	checkAddExtra(r *http.Request, mf *form.ModelForm, extra *form.Form)
	applyAddExtra(obj any, extra *form.Form) error
	continueAfterAdd() bool
}

// objectViewFunc serves a page of one object, below its URL
// (<id>/<name>/); id is unquoted.
type objectViewFunc func(w http.ResponseWriter, r *http.Request, v *modelView, id string) error

// objectViewer adds pages below objects' URLs, routed before the generic
// object URLs.
type objectViewer interface {
	objectView(name string) (objectViewFunc, bool)
}
