package admin

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/flash"
)

// Context holds what every admin page shows, Django's each_context:
// titles, the site's branding, the user, the navigation sidebar,
// messages and the CSRF token. A project's own page embeds it in its
// data, fills it with Site.EachContext and renders with Site.Render.
type Context struct {
	Title         string
	Subtitle      string
	SiteTitle     string
	SiteHeader    string
	SiteURL       string // "" hides the "View site" link
	Root          string // the site's URL, e.g. "/admin/"
	User          *auth.User
	HasPermission bool
	CSRFToken     string
	Messages      []flash.Message
	Breadcrumbs   []Crumb
	BodyClass     string
	Status        int
	// NavSidebar shows the navigation sidebar, which lists
	// AvailableApps (Django's is_nav_sidebar_enabled and available_apps);
	// both are set only for users the site lets in.
	NavSidebar    bool
	AvailableApps []AppListItem
	// UTCOffset is the request's time zone's offset from UTC now, in
	// seconds east (Django's data-admin-utc-offset): calendar.js reads
	// Today and Now on that zone's clocks.
	UTCOffset int
}

// Crumb is one step of the breadcrumbs; the last has no URL.
type Crumb struct {
	Text string
	URL  string
}

// EachContext returns the fields every page of the site shows for a
// request, Django's AdminSite.each_context.
func (s *Site) EachContext(r *http.Request) Context {
	siteURL := s.cfg.SiteURL
	if siteURL == "-" {
		siteURL = ""
	}
	c := Context{SiteTitle: s.cfg.SiteTitle, SiteHeader: s.cfg.SiteHeader, SiteURL: siteURL, Root: s.cfg.Prefix,
		User: auth.UserFrom(r.Context()), HasPermission: s.HasPermission(r), CSRFToken: csrf.Token(r)}
	_, c.UTCOffset = time.Now().In(s.zone(r.Context())).Zone()
	if c.HasPermission && !s.cfg.DisableNavSidebar {
		c.NavSidebar = true
		c.AvailableApps = s.navApps(r)
	}
	return c
}

// pageContext is EachContext with the page's title.
func (s *Site) pageContext(r *http.Request, title string) Context {
	c := s.EachContext(r)
	c.Title = title
	return c
}

// HasPermission reports whether the request's user may use the site,
// Django's AdminSite.has_permission: Config.HasPermission, by default an
// active staff member.
func (s *Site) HasPermission(r *http.Request) bool {
	if s.cfg.HasPermission != nil {
		return s.cfg.HasPermission(r)
	}
	return hasPermission(auth.UserFrom(r.Context()))
}

// hasPermission is Django's default check: an active staff member.
func hasPermission(u *auth.User) bool { return u != nil && u.IsActive && u.IsStaff }

// navApps is the app list of the navigation sidebar, with the app and
// model the request is under marked current.
func (s *Site) navApps(r *http.Request) []AppListItem {
	apps := s.GetAppList(r, "")
	path := r.URL.EscapedPath()
	for i := range apps {
		a := &apps[i]
		a.Current = strings.HasPrefix(path, a.URL)
		for j := range a.Models {
			m := &a.Models[j]
			m.Current = m.AdminURL != "" && strings.HasPrefix(path, m.AdminURL)
		}
	}
	return apps
}

// page is implemented by every page struct through its Context.
type page interface{ base() *Context }

func (c *Context) base() *Context { return c }

// Render writes a page of the project's own in the admin's look, Django's
// TemplateResponse with each_context. name is a template file of the
// site's Templates that, like the admin's pages, starts with
// {{template "base" .}} and defines the blocks it fills ("content",
// "breadcrumbs", ...); data is a pointer to a struct embedding Context,
// filled by EachContext, and its Status (default 200) is the response's.
// Templates named in View.Template are parsed at start-up, others on
// first use. On error Render writes nothing.
func (s *Site) Render(w http.ResponseWriter, r *http.Request, name string, data any) error {
	p, ok := data.(page)
	if !ok {
		return fmt.Errorf("admin: render %s: the data, a %T, is not a pointer to a struct embedding admin.Context", name, data)
	}
	set, err := s.tmpl.page(name)
	if err != nil {
		return err
	}
	status := p.base().Status
	if status == 0 {
		status = http.StatusOK
	}
	if err := s.execute(w, r, status, set, name, p); err != nil {
		return fmt.Errorf("admin: render %s: %w", name, err)
	}
	return nil
}
