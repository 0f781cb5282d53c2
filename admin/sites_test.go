package admin_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// Page has a string primary key and an absolute URL, for the object ids
// that need quoting and the "View on site" redirect.
type Page struct {
	Slug  string `orm:"primary_key,max_length=100"`
	Title string `orm:"max_length=100"`
}

func (p *Page) String() string      { return p.Title }
func (p *Page) AbsoluteURL() string { return "/pages/" + url.PathEscape(p.Slug) + "/" }

// PageAdmin adds a page of one object, {id}/summary/.
type PageAdmin struct{ admin.ModelAdmin }

func (a *PageAdmin) GetURLs() []admin.View {
	return append([]admin.View{{Path: "{id}/summary/", Name: "pages_page_summary",
		Handler: func(w http.ResponseWriter, r *http.Request) error {
			fmt.Fprintf(w, "summary of %q", r.PathValue("object_id"))
			return nil
		}}}, a.ModelAdmin.GetURLs()...)
}

// reportPage is a project's own page rendered in the admin's look.
type reportPage struct {
	admin.Context
	Count int
}

// siteTemplates holds the *Template options' files of both sites and the
// report page.
var siteTemplates = fstest.MapFS{
	"alpha/index.html":          {Data: []byte(`{{define "pretitle"}}<p id="alpha-index">index</p>{{end}}`)},
	"alpha/app_index.html":      {Data: []byte(`{{define "pretitle"}}<p id="alpha-app-index">{{.AppLabel}}</p>{{end}}`)},
	"alpha/login.html":          {Data: []byte(`{{define "pretitle"}}<p id="alpha-login">login</p>{{end}}`)},
	"alpha/logged_out.html":     {Data: []byte(`{{define "pretitle"}}<p id="alpha-logout">bye</p>{{end}}`)},
	"alpha/password.html":       {Data: []byte(`{{define "pretitle"}}<p id="alpha-password">password</p>{{end}}`)},
	"alpha/password_done.html":  {Data: []byte(`{{define "pretitle"}}<p id="alpha-password-done">done</p>{{end}}`)},
	"beta/login.html":           {Data: []byte(`{{define "pretitle"}}<p id="beta-login">login</p>{{end}}`)},
	"reports/notes_report.html": {Data: []byte(`{{template "base" .}}{{define "content"}}<p id="report">{{.Count}} notes</p><a id="again" href="{{url "admin:report"}}">again</a> <a id="note" href="{{url "admin:notes_note_change" 7}}">note</a>{{end}}`)},
}

// twoSites serves the site of a staffroom.App at /admin/ (alpha) and a
// second site at /staff/ (beta) on one mux, with a superuser "root" and
// a staff user "viewer" who may only view shelves.
func twoSites(t *testing.T, dialect string) (*staffroom.App, *admin.Site, http.Handler) {
	t.Helper()
	alpha := admin.SiteOptions{
		SiteHeader: "Alpha administration", SiteTitle: "Alpha admin", IndexTitle: "Alpha index", SiteURL: "/home/",
		EmptyValueDisplay: "(none)", IndexTemplate: "alpha/index.html", AppIndexTemplate: "alpha/app_index.html",
		LoginTemplate: "alpha/login.html", LogoutTemplate: "alpha/logged_out.html",
		PasswordChangeTemplate: "alpha/password.html", PasswordChangeDoneTemplate: "alpha/password_done.html",
	}
	p := staffroom.Project{
		Name: "test",
		Apps: []orm.AppConfig{{Name: "notes", Models: []any{Shelf{}, Note{}}}, {Name: "pages", Models: []any{Page{}}}},
		Admin: func(site *admin.Site) error {
			if err := registerNotes(site); err != nil {
				return err
			}
			if err := site.Register(Page{}, &PageAdmin{}); err != nil {
				return err
			}
			return addViews(site)
		},
	}
	cfg := staffroom.Config{Database: testdb.URL(t, dialect), SecretKey: "k", Site: alpha, Templates: siteTemplates,
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}}}
	app, err := staffroom.New(p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	ctx := context.Background()
	if _, err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	beta, err := admin.NewSite(admin.Config{
		SiteOptions: admin.SiteOptions{Name: "staff", Prefix: "/staff/", SiteHeader: "Beta administration", SiteURL: "-",
			DisableNavSidebar: true, DisableFinalCatchAll: true, LoginTemplate: "beta/login.html"},
		DB: app.DB, Auth: app.Auth, Sessions: app.Sessions, Types: app.Types, Templates: siteTemplates,
		HasPermission: func(r *http.Request) bool {
			u := auth.UserFrom(r.Context())
			return u != nil && u.IsActive && u.IsSuperuser
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := beta.Register(Shelf{}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := staffroom.CreateUser(ctx, app, "root", "", "pw", true); err != nil {
		t.Fatal(err)
	}
	viewer, err := staffroom.CreateUser(ctx, app, "viewer", "", "pw", false)
	if err != nil {
		t.Fatal(err)
	}
	viewer.IsStaff = true
	perm, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](app.DB), orm.Q{"codename": "view_shelf"})
	if err == nil {
		err = app.DB.Update(ctx, viewer, "is_staff")
	}
	if err == nil {
		err = app.DB.SetM2M(ctx, viewer, "user_permissions", []int64{perm.ID})
	}
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/", app.Site)
	mux.Handle("/staff/", beta)
	return app, beta, mux
}

// addViews adds the alpha site's own pages: one rendered in the admin's
// look, one public, one cacheable.
func addViews(site *admin.Site) error {
	for _, v := range []admin.View{
		{Path: "report/", Name: "report", Template: "reports/notes_report.html",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				p := &reportPage{Context: site.EachContext(r), Count: 3}
				p.Title = "Notes report"
				return site.Render(w, r, "reports/notes_report.html", p)
			}},
		{Path: "hello/", Name: "hello", Public: true, Handler: text("hello")},
		{Path: "feed/", Name: "feed", Cacheable: true, Handler: text("feed")},
	} {
		if err := site.AddView(v); err != nil {
			return err
		}
	}
	return nil
}

func text(s string) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		_, err := fmt.Fprint(w, s)
		return err
	}
}

func logIn(t *testing.T, c *webtest.Client, prefix, username string) {
	t.Helper()
	page := c.Get(prefix + "login/")
	if r := c.Submit(page, "#login-form", url.Values{"username": {username}, "password": {"pw"}}, ""); r.StatusCode != 302 {
		t.Fatalf("login %s at %s: %d\n%s", username, prefix, r.StatusCode, r.Body)
	}
}

func expectAnswer(t *testing.T, r *webtest.Response, status int, location string) {
	t.Helper()
	if r.StatusCode != status || r.Location() != location {
		t.Errorf("%s: %d %q, want %d %q", r.Request.URL.Path, r.StatusCode, r.Location(), status, location)
	}
}

func TestTwoSites(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { twoSitesServe(t, d) })
	}
}

func twoSitesServe(t *testing.T, dialect string) {
	app, _, h := twoSites(t, dialect)
	if err := app.DB.Insert(context.Background(), &Note{Title: "loose"}); err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, h)

	// Anonymous: each site has its own login page; the catch-all sends
	// alpha's unknown URLs to log in, while beta, without it, answers 404.
	if r := c.Get("/admin/login/"); r.Find("#alpha-login").Length() != 1 || r.Text("#site-name") != "Alpha administration" {
		t.Errorf("alpha's login page: %q\n%s", r.Text("#site-name"), r.Body)
	}
	if r := c.Get("/staff/login/"); r.Find("#beta-login").Length() != 1 || r.Text("#site-name") != "Beta administration" ||
		r.Text("title") != "Log in | Staffroom site admin" {
		t.Errorf("beta's login page: %q %q", r.Text("#site-name"), r.Text("title"))
	}
	expectAnswer(t, c.Get("/admin/nowhere/"), 302, "/admin/login/?next=/admin/nowhere/")
	expectAnswer(t, c.Get("/admin/notes/note"), 302, "/admin/login/?next=/admin/notes/note")
	expectAnswer(t, c.Get("/staff/nowhere/"), 404, "")
	expectAnswer(t, c.Get("/staff/notes/note/"), 404, "")
	expectAnswer(t, c.Get("/staff/notes/shelf"), 301, "/staff/notes/shelf/")
	expectAnswer(t, c.Get("/staff/notes/shelf/"), 302, "/staff/login/?next=/staff/notes/shelf/")

	logIn(t, c, "/staff/", "root") // one session: logged in on both sites
	index := c.Get("/admin/")
	if index.Text("#site-name") != "Alpha administration" || index.Text("title") != "Alpha index | Alpha admin" ||
		index.Text("#content h1") != "Alpha index" || index.Find("#alpha-index").Length() != 1 {
		t.Errorf("alpha's index: %q %q %q", index.Text("#site-name"), index.Text("title"), index.Text("#content h1"))
	}
	if href, _ := index.Find("#user-tools a").First().Attr("href"); href != "/home/" {
		t.Errorf("View site links to %q", href)
	}
	if index.Find("#nav-sidebar").Length() != 0 {
		t.Error("the index repeats its app list in a sidebar")
	}
	if got := index.Text("#content-main caption"); got != "Authentication and Authorization Login throttling Notes Pages" {
		t.Errorf("apps in the order %q", got)
	}
	if got := index.Text(".app-notes th"); got != "Notes Shelfs" {
		t.Errorf("models in the order %q", got)
	}
	beta := c.Get("/staff/")
	if beta.Text("#site-name") != "Beta administration" || beta.Text("#content h1") != "Site administration" ||
		strings.Contains(beta.Text("#user-tools"), "View site") {
		t.Errorf("beta's index: %q %q %q", beta.Text("#site-name"), beta.Text("#content h1"), beta.Text("#user-tools"))
	}
	if beta.Find(`a[href="/staff/notes/shelf/"]`).Length() == 0 || beta.Find(`a[href^="/admin/"], .model-note`).Length() != 0 {
		t.Errorf("beta lists other models than its shelves:\n%s", beta.Text("#content-main"))
	}

	list := c.Get("/admin/notes/note/")
	if got := list.Text("#result_list td.field-shelf"); got != "(none)" {
		t.Errorf("empty value shown as %q", got)
	}
	if list.Find("#nav-sidebar .app-notes.current-app tr.model-note.current-model a[aria-current=page]").Length() != 1 ||
		list.Find("#nav-sidebar .current-model").Length() != 1 || list.Find("#nav-sidebar .app-pages").Length() != 1 {
		t.Errorf("the sidebar does not list the apps with the current model marked:\n%s", list.Text("#nav-sidebar"))
	}
	if r := c.Get("/staff/notes/shelf/"); r.StatusCode != 200 || r.Find("#nav-sidebar").Length() != 0 {
		t.Errorf("beta's change list: %d, sidebar %d", r.StatusCode, r.Find("#nav-sidebar").Length())
	}
	expectAnswer(t, c.Get("/staff/notes/note/"), 404, "")
	expectAnswer(t, c.Get("/staff/nowhere/"), 404, "")
	if r := c.Get("/admin/notes/"); r.StatusCode != 200 || r.Text("#alpha-app-index") != "notes" {
		t.Errorf("alpha's app index: %d %q", r.StatusCode, r.Text("#alpha-app-index"))
	}
	if r := c.Get("/admin/password_change/"); r.Find("#alpha-password").Length() != 1 {
		t.Errorf("password change template not used")
	}
	if r := c.Get("/admin/password_change/done/"); r.Find("#alpha-password-done").Length() != 1 {
		t.Errorf("password change done template not used")
	}
	if r := c.Submit(c.Get("/admin/"), "#logout-form", nil, ""); r.Find("#alpha-logout").Length() != 1 || r.Find("#nav-sidebar").Length() != 0 {
		t.Errorf("logged out page: %d\n%s", r.StatusCode, r.Body)
	}
}

func TestSiteHasPermissionAndAppList(t *testing.T) {
	_, _, h := twoSites(t, "sqlite")
	c := webtest.New(t, h)
	logIn(t, c, "/admin/", "viewer")
	index := c.Get("/admin/")
	if got := index.Text("#content-main th"); got != "Shelfs" {
		t.Errorf("the viewer sees %q, want only Shelfs", got)
	}
	if index.Find(".model-shelf a.viewlink").Length() != 1 || index.Find(".model-shelf a.addlink, .model-shelf a.changelink").Length() != 0 {
		t.Errorf("shelves are not view only:\n%s", index.Text("#content-main"))
	}
	expectAnswer(t, c.Get("/admin/pages/"), 404, "")
	if r := c.Get("/admin/notes/shelf/"); r.StatusCode != 200 || r.Text("#nav-sidebar th") != "Shelfs" {
		t.Errorf("viewer's change list: %d, sidebar %q", r.StatusCode, r.Text("#nav-sidebar th"))
	}
	// Beta lets in superusers only (Config.HasPermission): the viewer is
	// sent to log in, and its login page says why.
	expectAnswer(t, c.Get("/staff/"), 302, "/staff/login/?next=/staff/")
	if r := c.Get("/staff/login/"); r.StatusCode != 200 || !strings.Contains(r.Text("#content"), "not authorized") {
		t.Errorf("beta's login page for the viewer: %d %q", r.StatusCode, r.Text("#content"))
	}
}

func TestSiteOwnPages(t *testing.T) {
	_, _, h := twoSites(t, "sqlite")
	c := webtest.New(t, h)
	expectAnswer(t, c.Get("/admin/report/"), 302, "/admin/login/?next=/admin/report/")
	if r := c.Get("/admin/hello/"); r.StatusCode != 200 || r.Body != "hello" {
		t.Errorf("public page: %d %q", r.StatusCode, r.Body)
	}
	logIn(t, c, "/admin/", "root")
	r := c.Get("/admin/report/")
	if r.StatusCode != 200 || r.Text("#report") != "3 notes" || r.Text("#site-name") != "Alpha administration" ||
		r.Text("title") != "Notes report | Alpha admin" || r.Find("#nav-sidebar").Length() != 1 {
		t.Errorf("report page: %d %q %q %q\n%s", r.StatusCode, r.Text("#report"), r.Text("#site-name"), r.Text("title"), r.Body)
	}
	if again, _ := r.Find("#again").Attr("href"); again != "/admin/report/" {
		t.Errorf("reversed in a template: %q", again)
	}
	if note, _ := r.Find("#note").Attr("href"); note != "/admin/notes/note/7/change/" {
		t.Errorf("reversed with an argument in a template: %q", note)
	}
	if cc := r.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("report Cache-Control %q", cc)
	}
	if feed := c.Get("/admin/feed/"); feed.StatusCode != 200 || strings.Contains(feed.Header.Get("Cache-Control"), "no-store") {
		t.Errorf("cacheable page: %d %q", feed.StatusCode, feed.Header.Get("Cache-Control"))
	}
	expectAnswer(t, c.Get("/admin/report"), 301, "/admin/report/")
}

func TestSiteTemplateErrorsAtStartUp(t *testing.T) {
	_, _ = newSite(t, nil, func(site *admin.Site) error {
		err := site.AddView(admin.View{Path: "x/", Handler: text("x"), Template: "missing.html"})
		if err == nil || !strings.Contains(err.Error(), "missing.html") {
			t.Errorf("AddView with a missing template: %v", err)
		}
		return nil
	})
	app, _ := newSite(t, nil, nil)
	_, err := admin.NewSite(admin.Config{DB: app.DB, Auth: app.Auth, Sessions: app.Sessions,
		SiteOptions: admin.SiteOptions{IndexTemplate: "nope.html"}, Templates: fstest.MapFS{}})
	if err == nil || !strings.Contains(err.Error(), "nope.html") {
		t.Errorf("NewSite with a missing index template: %v", err)
	}
}

func TestViewOnSiteAndObjectPages(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { viewOnSiteAndObjectPages(t, d) })
	}
}

func viewOnSiteAndObjectPages(t *testing.T, dialect string) {
	app, site, h := twoSites(t, dialect)
	ctx := context.Background()
	note := &Note{Title: "plain"}
	for _, obj := range []any{&Page{Slug: "a/b c_d", Title: "Odd"}, &Page{Slug: "add", Title: "Add"}, note} {
		if err := app.DB.Insert(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	c := webtest.New(t, h)
	logIn(t, c, "/admin/", "root")
	changeURL, err := app.Site.Reverse("admin:pages_page_change", "a/b c_d")
	if err != nil {
		t.Fatal(err)
	}
	page := c.Get(changeURL)
	if page.StatusCode != 200 || page.Find(`input[name=title][value=Odd]`).Length() != 1 {
		t.Fatalf("%s: %d", changeURL, page.StatusCode)
	}
	link, _ := page.Find("a.viewsitelink").Attr("href")
	if !strings.HasPrefix(link, "/admin/r/") {
		t.Fatalf("View on site links to %q", link)
	}
	expectAnswer(t, c.Get(link), 302, "/pages/a%2Fb%20c_d/")
	ct := strings.Split(strings.TrimPrefix(link, "/admin/r/"), "/")[0]
	expectAnswer(t, c.Get("/admin/r/"+ct+"/missing/"), 404, "")
	if r := c.Get("/admin/notes/note/" + fmt.Sprint(note.ID) + "/change/"); r.Find("a.viewsitelink").Length() != 0 {
		t.Error("a model without AbsoluteURL has a View on site link")
	}
	noteCT, err := app.Types.ForModel(ctx, mustModel(t, app, Note{}))
	if err != nil {
		t.Fatal(err)
	}
	expectAnswer(t, c.Get(fmt.Sprintf("/admin/r/%d/%d/", noteCT.ID, note.ID)), 404, "")
	expectAnswer(t, c.Get("/staff/r/"+ct+"/add/"), 302, "/pages/add/") // any site redirects

	// The admin's own page of one object, and an object whose id is "add".
	if r := c.Get("/admin/pages/page/add/summary/"); r.StatusCode != 200 || r.Body != `summary of "add"` {
		t.Errorf("summary of add: %d %q", r.StatusCode, r.Body)
	}
	summary, _ := site.Reverse("admin:pages_page_summary", "a/b c_d") // not on beta
	if summary != "" {
		t.Errorf("beta reversed another site's admin page: %q", summary)
	}
	summary, _ = app.Site.Reverse("admin:pages_page_summary", "a/b c_d")
	if r := c.Get(summary); r.StatusCode != 200 || r.Body != `summary of "a/b c_d"` {
		t.Errorf("%s: %d %q", summary, r.StatusCode, r.Body)
	}
	if r := c.Get("/admin/pages/page/add/change/"); r.StatusCode != 200 || r.Find(`input[name=title][value=Add]`).Length() != 1 {
		t.Errorf("the page with id add: %d", r.StatusCode)
	}
	if r := c.Get("/admin/pages/page/add/"); r.StatusCode != 200 || r.Find(`input[name=slug][value=add]`).Length() != 0 {
		t.Errorf("the add form: %d", r.StatusCode)
	}
}

func mustModel(t *testing.T, app *staffroom.App, v any) *orm.Model {
	t.Helper()
	m, err := app.DB.Registry().ModelOf(v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestReverse(t *testing.T) {
	app, beta, _ := twoSites(t, "sqlite")
	alpha := app.Site
	cases := []struct {
		site *admin.Site
		name string
		args []string
		want string // "" for no match
	}{
		{alpha, "admin:index", nil, "/admin/"},
		{alpha, "index", nil, "/admin/"},
		{alpha, "admin:login", nil, "/admin/login/"},
		{alpha, "admin:logout", nil, "/admin/logout/"},
		{alpha, "admin:password_change", nil, "/admin/password_change/"},
		{alpha, "admin:password_change_done", nil, "/admin/password_change/done/"},
		{alpha, "admin_password_reset", nil, "/admin/password_reset/"},
		{alpha, "admin:password_reset_done", nil, "/admin/password_reset/done/"},
		{alpha, "admin:password_reset_confirm", []string{"MQ", "abc-123"}, "/admin/reset/MQ/abc-123/"},
		{alpha, "admin:password_reset_complete", nil, "/admin/reset/done/"},
		{alpha, "admin:app_list", []string{"notes"}, "/admin/notes/"},
		{alpha, "admin:app_list", []string{"nope"}, ""},
		{alpha, "admin:view_on_site", []string{"3", "a b"}, "/admin/r/3/a%20b/"},
		{alpha, "admin:view_on_site", []string{"x", "1"}, ""},
		{alpha, "admin:notes_note_changelist", nil, "/admin/notes/note/"},
		{alpha, "admin:notes_note_add", nil, "/admin/notes/note/add/"},
		{alpha, "admin:notes_note_change", []string{"7"}, "/admin/notes/note/7/change/"},
		{alpha, "admin:notes_note_history", []string{"7"}, "/admin/notes/note/7/history/"},
		{alpha, "admin:notes_note_delete", []string{"7"}, "/admin/notes/note/7/delete/"},
		{alpha, "admin:pages_page_change", []string{"a/b c_d?"}, "/admin/pages/page/a_2Fb%20c_5Fd_3F/change/"},
		{alpha, "admin:pages_page_summary", []string{"add"}, "/admin/pages/page/add/summary/"},
		{alpha, "admin:auth_user_password_change", []string{"1"}, "/admin/auth/user/1/password/"},
		{alpha, "admin:report", nil, "/admin/report/"},
		{alpha, "admin:hello", nil, "/admin/hello/"},
		{alpha, "admin:nope", nil, ""},
		{alpha, "admin:changelist", nil, ""},
		{alpha, "admin:notes_note_change", nil, ""},
		{alpha, "admin:notes_note_change", []string{""}, ""},
		{alpha, "admin:index", []string{"x"}, ""},
		{alpha, "staff:index", nil, ""},
		{beta, "staff:index", nil, "/staff/"},
		{beta, "admin:index", nil, "/staff/"}, // the app namespace means the current site
		{beta, "staff:notes_shelf_change", []string{"2"}, "/staff/notes/shelf/2/change/"},
		{beta, "staff:notes_note_changelist", nil, ""},
		{beta, "staff:report", nil, ""},
	}
	for _, c := range cases {
		got, err := c.site.Reverse(c.name, c.args...)
		if c.want == "" {
			if !errors.Is(err, admin.ErrNoReverseMatch) {
				t.Errorf("Reverse(%q, %q) = %q, %v; want ErrNoReverseMatch", c.name, c.args, got, err)
			}
			continue
		}
		if err != nil || got != c.want {
			t.Errorf("Reverse(%q, %q) = %q, %v; want %q", c.name, c.args, got, err, c.want)
		}
	}
}
