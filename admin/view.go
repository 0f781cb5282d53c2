package admin

import (
	"fmt"
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// modelView serves one request to a model's pages.
type modelView struct {
	site  *Site
	admin Admin
	base  *ModelAdmin
	model *orm.Model
}

// url returns a path below the model's change list URL.
func (v *modelView) url(rest string) string {
	return v.site.cfg.Prefix + v.model.App.Label + "/" + v.model.ModelName + "/" + rest
}

func (v *modelView) appURL() string { return v.site.cfg.Prefix + v.model.App.Label + "/" }

// objectURL returns an object's page URL, its id admin-quoted and then
// escaped for the path.
func (v *modelView) objectURL(obj any, rest string) string {
	return v.idURL(fmt.Sprint(v.model.PKValue(obj)), rest)
}

func (v *modelView) idURL(id, rest string) string {
	return v.url(url.PathEscape(Quote(id)) + "/" + rest)
}

// preserved returns "?_changelist_filters=..." carrying the change list's
// query to the pages it links to, or "".
func (v *modelView) preserved(lq listQuery) string {
	if len(lq.raw) == 0 {
		return ""
	}
	return "?" + url.Values{paramFilters: {lq.raw.Encode()}}.Encode()
}

func queryEscape(s string) string { return url.QueryEscape(s) }
