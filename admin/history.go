package admin

import (
	"net/http"
	"strconv"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// historyPage is the data of object_history.html.
type historyPage struct {
	Context
	AppLabel, ModelName string
	Entries             []historyEntry
	PageLinks           []pageLink
	Count               int64
}

type historyEntry struct {
	When, User, Message string
}

const historyPerPage = 100

// missing sends the user to the index with Django's "doesn’t exist"
// warning.
func (v *modelView) missing(w http.ResponseWriter, r *http.Request, id string) error {
	flash.Add(r, flash.Warning, v.model.VerboseName+" with ID “"+id+"” doesn’t exist. Perhaps it was deleted?")
	http.Redirect(w, r, v.site.cfg.Prefix, http.StatusFound)
	return nil
}

// history lists an object's log entries, oldest first.
func (v *modelView) history(w http.ResponseWriter, r *http.Request, id string) error {
	ctx := r.Context()
	obj, found, err := v.getObject(r, id)
	if err != nil {
		return err
	}
	if !hasViewOrChange(v.admin, r, obj) {
		return errForbidden
	}
	if !found {
		return v.missing(w, r, id)
	}
	ct, err := v.site.types.ForModel(ctx, v.model)
	if err != nil {
		return err
	}
	qs := orm.For[LogEntry](v.site.db).Filter(orm.Q{"object_id": id, "content_type": ct.ID})
	count, err := qs.Count(ctx)
	if err != nil {
		return err
	}
	lq, _ := parseListQuery(r.URL.Query())
	numPages := max(1, int((count+historyPerPage-1)/historyPerPage))
	page := min(max(lq.page, 1), numPages)
	entries, err := orm.All[LogEntry](ctx, qs.SelectRelated("user").OrderBy("action_time", "id").Offset((page-1)*historyPerPage).Limit(historyPerPage))
	if err != nil {
		return err
	}
	repr := v.model.String(obj)
	p := &historyPage{Context: v.site.pageContext(r, "Change history: "+repr), AppLabel: v.model.App.Label, ModelName: v.model.ModelName, Count: count}
	p.Breadcrumbs = []Crumb{{"Home", v.site.cfg.Prefix}, {v.model.App.VerboseName, v.appURL()},
		{orm.Capfirst(v.model.VerboseNamePlural), v.url("") + v.base.changelistFilters(r)},
		{repr, v.idURL(id, "change/") + v.base.preservedFromRequest(r)}, {"History", ""}}
	for _, e := range entries {
		user := strconv.FormatInt(e.User.ID, 10)
		if u, ok := e.User.Get(); ok {
			user = userDisplay(u)
		}
		p.Entries = append(p.Entries, historyEntry{When: formatDateTime(e.ActionTime, v.site.zone(ctx)), User: user, Message: e.Message()})
	}
	if numPages > 1 {
		p.PageLinks = pageLinks(lq, page, numPages)
	}
	v.site.render(w, r, http.StatusOK, v.site.tmpl.choose(v.base.ObjectHistoryTemplate, v.model.App.Label, v.model.ModelName, "object_history.html"), p)
	return nil
}

// userDisplay is how history shows a user: the username plus the full
// name when there is one, as Django's template does.
func userDisplay(u *auth.User) string {
	full := u.FirstName
	if u.LastName != "" {
		if full != "" {
			full += " "
		}
		full += u.LastName
	}
	if full == "" {
		return u.Username
	}
	return u.Username + " (" + full + ")"
}
