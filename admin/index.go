package admin

import (
	"net/http"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// errorPage is the data of error.html and invalid_setup.html.
type errorPage struct {
	basePage
	Text string
}

// indexPage is the data of index.html and app_index.html.
type indexPage struct {
	basePage
	AppLabel      string
	Apps          []appItem
	RecentActions []recentAction
}

type appItem struct {
	Name, Label, URL string
	Models           []modelItem
}

type modelItem struct {
	Name, ModelName  string
	AdminURL, AddURL string
	ViewOnly         bool
}

type recentAction struct {
	Class, URL, Repr, TypeName string
}

// appList lists the apps and models the user may see, Django's
// get_app_list; label "" means every app.
func (s *Site) appList(r *http.Request, label string) []appItem {
	var out []appItem
	for _, e := range s.registeredApps() {
		if label != "" && e.app.Label != label {
			continue
		}
		item := appItem{Name: e.app.VerboseName, Label: e.app.Label, URL: s.cfg.Prefix + e.app.Label + "/"}
		for _, a := range e.admins {
			b := a.base()
			if !a.HasModulePermission(r) {
				continue
			}
			view, add, change := a.HasViewPermission(r, nil), a.HasAddPermission(r), a.HasChangePermission(r, nil)
			if !view && !add && !change && !a.HasDeletePermission(r, nil) {
				continue
			}
			mi := modelItem{Name: orm.Capfirst(b.model.VerboseNamePlural), ModelName: b.model.ModelName, ViewOnly: view && !change}
			base := item.URL + b.model.ModelName + "/"
			if view || change {
				mi.AdminURL = base
			}
			if add {
				mi.AddURL = base + "add/"
			}
			item.Models = append(item.Models, mi)
		}
		if len(item.Models) > 0 {
			out = append(out, item)
		}
	}
	return out
}

func (s *Site) indexView(w http.ResponseWriter, r *http.Request) error {
	p := &indexPage{basePage: s.basePage(r, s.cfg.IndexTitle), Apps: s.appList(r, "")}
	p.BodyClass = "dashboard"
	recent, err := s.recentActions(r)
	if err != nil {
		return err
	}
	p.RecentActions = recent
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "index.html"), p)
	return nil
}

func (s *Site) appIndexView(w http.ResponseWriter, r *http.Request, label string) error {
	apps := s.appList(r, label)
	if len(apps) == 0 {
		return errNotFound
	}
	p := &indexPage{basePage: s.basePage(r, apps[0].Name+" administration"), AppLabel: label, Apps: apps}
	p.Breadcrumbs = []crumb{{"Home", s.cfg.Prefix}, {apps[0].Name, ""}}
	s.render(w, r, http.StatusOK, s.tmpl.lookup(label, "", "app_index.html"), p)
	return nil
}

// recentActions returns the user's last ten log entries, linked when the
// object still exists in a registered model.
func (s *Site) recentActions(r *http.Request) ([]recentAction, error) {
	ctx := r.Context()
	u := auth.UserFrom(ctx)
	entries, err := orm.All[LogEntry](ctx, orm.For[LogEntry](s.db).Filter(orm.Q{"user": u.ID}).OrderBy("-action_time", "-id").Limit(10))
	if err != nil {
		return nil, err
	}
	out := make([]recentAction, 0, len(entries))
	for _, e := range entries {
		ra := recentAction{Repr: e.ObjectRepr, Class: [...]string{"", "addlink", "changelink", "deletelink"}[min(int(e.ActionFlag), 3)]}
		if e.ContentType.ID != 0 {
			if ct, err := s.types.ByID(ctx, e.ContentType.ID); err == nil {
				if m := s.types.ModelOf(ct); m != nil {
					ra.TypeName = orm.Capfirst(m.VerboseName)
					if _, ok := s.admins[m]; ok && e.ActionFlag != Deletion && e.ObjectID != nil {
						ra.URL = s.cfg.Prefix + m.App.Label + "/" + m.ModelName + "/" + Quote(*e.ObjectID) + "/change/"
					}
				}
			}
		}
		out = append(out, ra)
	}
	return out, nil
}
