package admin

import (
	"html/template"
	"net/http"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// errorPage is the data of error.html and invalid_setup.html.
type errorPage struct {
	Context
	Text string
	// Retry, on a 503 answering a POST, carries what was typed.
	Retry *retryForm
}

// indexPage is the data of index.html and app_index.html.
type indexPage struct {
	Context
	AppLabel      string
	Apps          []AppListItem
	RecentActions []recentAction
	// TwoFactorURL, when set, is where a superuser without a second
	// factor is urged to set one up.
	TwoFactorURL string
}

// AppListItem is an app of the index, Django's get_app_list entry: its
// name, label and URL, and the models the user may see in it.
type AppListItem struct {
	Name, Label, URL string
	Models           []AppListModel
	// Current marks, in the navigation sidebar, the app of the page.
	Current bool
}

// NavModelsHTML is the navigation sidebar's rows of the app's models,
// rendered here rather than by the template: a dozen models are some
// hundred and fifty escaper calls through reflection on every page. It
// is empty, and the template ranges over Models, when a link is not a
// plain path.
func (a AppListItem) NavModelsHTML() template.HTML {
	var sb strings.Builder
	esc := templateEscaper.Replace
	for _, m := range a.Models {
		sb.WriteString("\n  <tr class=\"model-" + esc(m.ModelName))
		if m.Current {
			sb.WriteString(" current-model")
		}
		sb.WriteString("\">\n    <th scope=\"row\">")
		if m.AdminURL == "" {
			sb.WriteString(esc(m.Name))
		} else {
			href, ok := plainHref(m.AdminURL)
			if !ok {
				return ""
			}
			sb.WriteString(`<a href="` + href + `"`)
			if m.Current {
				sb.WriteString(` aria-current="page"`)
			}
			sb.WriteString(">" + esc(m.Name) + "</a>")
		}
		sb.WriteString("</th>\n    <td>")
		if m.AddURL != "" {
			href, ok := plainHref(m.AddURL)
			if !ok {
				return ""
			}
			sb.WriteString(`<a href="` + href + `" class="addlink">Add</a>`)
		}
		sb.WriteString("</td>\n  </tr>\n  ")
	}
	return template.HTML(sb.String())
}

// AppListModel is a model of an app of the index: its plural name, the
// user's permissions on it, and the links they allow.
type AppListModel struct {
	Name, ObjectName, ModelName string
	Perms                       ModelPerms
	AdminURL, AddURL            string
	ViewOnly                    bool
	// Current marks, in the navigation sidebar, the model of the page.
	Current bool
}

// ModelPerms are a user's permissions on a model as a whole.
type ModelPerms struct{ Add, Change, Delete, View bool }

type recentAction struct {
	Class, Action, URL, Repr, TypeName string
}

// GetAppList lists the apps and models the user may see, Django's
// get_app_list: apps sorted by name, models by plural name, each shown
// when the user has its module permission and any of add, change, delete
// or view; appLabel "" means every app.
func (s *Site) GetAppList(r *http.Request, appLabel string) []AppListItem {
	label := appLabel
	var out []AppListItem
	for _, e := range s.apps {
		if label != "" && e.app.Label != label {
			continue
		}
		item := AppListItem{Name: e.app.VerboseName, Label: e.app.Label, URL: s.cfg.Prefix + e.app.Label + "/"}
		for _, a := range e.admins {
			b := a.base()
			if !a.HasModulePermission(r) {
				continue
			}
			perms := ModelPerms{Add: a.HasAddPermission(r), Change: a.HasChangePermission(r, nil),
				Delete: a.HasDeletePermission(r, nil), View: a.HasViewPermission(r, nil)}
			view, add, change := perms.View, perms.Add, perms.Change
			if !view && !add && !change && !perms.Delete {
				continue
			}
			mi := AppListModel{Name: orm.Capfirst(b.model.VerboseNamePlural), ObjectName: b.model.Name, ModelName: b.model.ModelName,
				Perms: perms, ViewOnly: view && !change}
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
	p := &indexPage{Context: s.pageContext(r, s.cfg.IndexTitle)}
	p.Apps = p.AvailableApps // the same list, when the sidebar's is made
	if !p.NavSidebar {
		p.Apps = s.GetAppList(r, "")
	}
	p.NavSidebar = false // the page is the app list already
	p.BodyClass = "dashboard"
	recent, err := s.recentActions(r)
	if err != nil {
		return err
	}
	p.RecentActions = recent
	if u := p.User; u != nil && u.IsSuperuser {
		if on, err := s.auth.HasTwoFactor(r.Context(), u); err != nil {
			return err
		} else if !on {
			p.TwoFactorURL = s.cfg.Prefix + "two_factor/"
		}
	}
	s.render(w, r, http.StatusOK, s.tmpl.choose(s.cfg.IndexTemplate, "", "", "index.html"), p)
	return nil
}

func (s *Site) appIndexView(w http.ResponseWriter, r *http.Request, label string) error {
	apps := s.GetAppList(r, label)
	if len(apps) == 0 {
		return errNotFound
	}
	p := &indexPage{Context: s.pageContext(r, apps[0].Name+" administration"), AppLabel: label, Apps: apps}
	p.NavSidebar = false
	p.Breadcrumbs = []Crumb{{"Home", s.cfg.Prefix}, {apps[0].Name, ""}}
	s.render(w, r, http.StatusOK, s.tmpl.choose(s.cfg.AppIndexTemplate, label, "", "app_index.html"), p)
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
		flag := min(max(int(e.ActionFlag), 0), 3)
		ra := recentAction{Repr: e.ObjectRepr, Class: [...]string{"", "addlink", "changelink", "deletelink"}[flag],
			Action: [...]string{"", "Added:", "Changed:", "Deleted:"}[flag]}
		if e.ContentType.ID != 0 {
			if ct, err := s.types.ByID(ctx, e.ContentType.ID); err == nil {
				// A content type whose model this program lacks (one a
				// Django project sharing the database has) is named by its
				// model name, as Django's ContentType.name does.
				ra.TypeName = orm.Capfirst(ct.Model)
				if m := s.types.ModelOf(ct); m != nil {
					ra.TypeName = orm.Capfirst(m.VerboseName)
					if s.registered(m) != nil && e.ActionFlag != Deletion && e.ObjectID != nil {
						ra.URL = s.cfg.Prefix + m.App.Label + "/" + m.ModelName + "/" + objectPath(*e.ObjectID) + "/change/"
					}
				}
			}
		}
		out = append(out, ra)
	}
	return out, nil
}
