package admin_test

import (
	"context"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"

	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

type Shelf struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

func (s *Shelf) String() string { return s.Name }

type Note struct {
	ID    int64
	Title string                `orm:"max_length=100"`
	Body  string                `orm:"type=text,blank"`
	Done  bool                  `orm:"verbose_name='done?'"`
	Shelf orm.ForeignKey[Shelf] `orm:"null,blank,on_delete=set_null"`
}

func (n *Note) String() string { return n.Title }

// Loud shows a computed column.
func (n *Note) Loud() string { return strings.ToUpper(n.Title) }

// NoteAdmin overrides GetQueryset: notes titled "secret" are hidden.
type NoteAdmin struct{ admin.ModelAdmin }

func (a *NoteAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Exclude(orm.Q{"title": "secret"})
}

func newSite(t *testing.T, templates fstest.MapFS, register func(*admin.Site) error) (*staffroom.App, *webtest.Client) {
	t.Helper()
	return newSiteOn(t, "sqlite", templates, register)
}

func newSiteOn(t *testing.T, dialect string, templates fstest.MapFS, register func(*admin.Site) error) (*staffroom.App, *webtest.Client) {
	t.Helper()
	cfg := staffroom.Config{Database: testdb.URL(t, dialect), Templates: templates}
	if templates == nil {
		cfg.Templates = nil // a nil MapFS is not a nil fs.FS
	}
	return newSiteWith(t, cfg, register)
}

// newSiteWith is newSiteOn with the configuration's database and options.
func newSiteWith(t *testing.T, cfg staffroom.Config, register func(*admin.Site) error) (*staffroom.App, *webtest.Client) {
	t.Helper()
	return startApp(t, cfg, []orm.AppConfig{notesApp()}, register)
}

// notesApp is the notes app most tests serve.
func notesApp() orm.AppConfig { return orm.AppConfig{Name: "notes", Models: []any{Shelf{}, Note{}}} }

// startApp makes a project of apps whose admins register registers, on
// cfg's database (with a test secret key and cheap hashers), migrates it,
// creates the superuser "root" and logs it in: the start of most tests.
func startApp(t *testing.T, cfg staffroom.Config, apps []orm.AppConfig, register func(*admin.Site) error) (*staffroom.App, *webtest.Client) {
	t.Helper()
	p := staffroom.Project{Name: "test", Apps: apps, Admin: register}
	cfg.SecretKey = "k"
	cfg.Hashers = auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}}
	app, err := staffroom.New(p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	ctx := context.Background()
	if _, err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := staffroom.CreateUser(ctx, app, "root", "", "pw", true); err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app.Handler)
	page := c.Get("/admin/login/")
	if r := c.Submit(page, "#login-form", map[string][]string{"username": {"root"}, "password": {"pw"}}, ""); r.StatusCode != 302 {
		t.Fatalf("login: %d\n%s", r.StatusCode, r.Body)
	}
	return app, c
}

func registerNotes(site *admin.Site) error {
	if err := site.Register(Shelf{}, nil); err != nil {
		return err
	}
	return site.Register(Note{}, &NoteAdmin{admin.ModelAdmin{
		ListDisplay:  []any{"title", "done", "shelf", "loud", admin.Column("Length", func(n *Note) int { return len(n.Body) }, admin.Ordering("body"))},
		SearchFields: []string{"title", "=body"},
		ListPerPage:  2,
	}})
}

func TestRegisterChecks(t *testing.T) {
	cases := []struct {
		ma   *admin.ModelAdmin
		want string
	}{
		{&admin.ModelAdmin{ListDisplay: []any{"nope"}}, `(admin.E108) The value of 'ListDisplay[0]' refers to 'nope'`},
		{&admin.ModelAdmin{SearchFields: []string{"shelf__nope"}}, `(admin.E126) The value of 'SearchFields[0]' refers to 'shelf__nope'`},
		{&admin.ModelAdmin{Ordering: []string{"-nope"}}, `(admin.E033) The value of 'Ordering[0]' refers to '-nope'`},
		{&admin.ModelAdmin{ListFilter: []any{admin.FieldFilter{Path: "done", Kind: admin.FilterEmpty}}}, `(staffroom.E014) The value of 'ListFilter[0].Path' refers to 'done'`},
		{&admin.ModelAdmin{Inlines: []admin.Inline{admin.Tabular(Shelf{})}}, "(admin.E202) 'notes.Shelf' has no ForeignKey to 'notes.Note'."},
		{&admin.ModelAdmin{ListDisplay: []any{"title"}, ListDisplayLinks: []string{"body"}}, `(admin.E111) The value of 'ListDisplayLinks[0]' refers to 'body', which is not defined in 'ListDisplay'`},
		{&admin.ModelAdmin{Fields: []string{"colour"}}, `(staffroom.E005) The value of 'Fields[0]' refers to 'colour', which is not a field of 'notes.Note'`},
		{&admin.ModelAdmin{ListDisplay: []any{admin.Column("X", func(s *Shelf) string { return "" })}}, `(staffroom.E002) The value of 'ListDisplay[0]' is the column 'X'`},
	}
	for _, c := range cases {
		_, _ = newSite(t, nil, func(site *admin.Site) error {
			err := site.Register(Note{}, c.ma)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "notes.Note") {
				t.Errorf("Register error %v, want one naming notes.Note and containing %q", err, c.want)
			}
			return nil
		})
	}
	_, _ = newSite(t, nil, func(site *admin.Site) error {
		if err := site.Register(Note{}, nil); err != nil {
			t.Fatal(err)
		}
		if err := site.Register(Note{}, nil); err == nil || !strings.Contains(err.Error(), "already registered") {
			t.Errorf("double registration: %v", err)
		}
		if err := site.Register(struct{ X int }{}, nil); err == nil {
			t.Error("registering a non-model passed")
		}
		return nil
	})
}

func TestChangeListColumnsSearchOverride(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { changeListColumnsSearchOverride(t, d) })
	}
}

func changeListColumnsSearchOverride(t *testing.T, dialect string) {
	app, c := newSiteOn(t, dialect, nil, registerNotes)
	ctx := context.Background()
	shelf := &Shelf{Name: "Top <b>shelf</b>"}
	if err := app.DB.Insert(ctx, shelf); err != nil {
		t.Fatal(err)
	}
	for _, n := range []*Note{
		{Title: "alpha", Body: "x", Done: true, Shelf: orm.FK[Shelf](shelf.ID)},
		{Title: "beta", Body: "exact words"},
		{Title: "gamma", Body: "yy"},
		{Title: "secret", Body: "hidden by the override"},
	} {
		if err := app.DB.Insert(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	list := c.Get("/admin/notes/note/?o=1")
	if list.StatusCode != 200 {
		t.Fatalf("%d\n%s", list.StatusCode, list.Body)
	}
	if got := list.Text("#result_list thead th"); got != "Title Done? Shelf Loud Length" {
		t.Errorf("headers %q", got)
	}
	if got := list.Text("#result_list tbody th"); got != "alpha beta" {
		t.Errorf("page 1 %q", got)
	}
	if got := list.Text(".paginator"); !strings.Contains(got, "3 notes") {
		t.Errorf("the override's hidden row was counted: %q", got)
	}
	row := list.Find("#result_list tbody tr").First()
	if alt, _ := row.Find("td.field-done img").Attr("alt"); alt != "True" {
		t.Errorf("boolean icon alt %q", alt)
	}
	if got := strings.TrimSpace(row.Find("td.field-shelf").Text()); got != "Top <b>shelf</b>" {
		t.Errorf("related column %q (must be escaped text)", got)
	}
	if !strings.Contains(list.Body, "Top &lt;b&gt;shelf&lt;/b&gt;") {
		t.Error("related object's string is not escaped")
	}
	if got := row.Find("td.field-loud").Text(); got != "ALPHA" {
		t.Errorf("method column %q", got)
	}
	page2 := c.Get("/admin/notes/note/?o=1&p=2")
	if got := page2.Text("#result_list tbody th"); got != "gamma" {
		t.Errorf("page 2 %q", got)
	}
	desc := c.Get("/admin/notes/note/?o=-5")
	if got := desc.Text("#result_list tbody th"); got != "gamma alpha" {
		t.Errorf("sorted by the computed column's field, descending: %q", got)
	}
	if got := c.Get("/admin/notes/note/?q=%22exact+words%22").Text("#result_list tbody th"); got != "beta" {
		t.Errorf("=body search %q", got)
	}
	if got := c.Get("/admin/notes/note/?q=exact").Text("#result_list tbody th"); got != "" {
		t.Errorf("=body must match exactly, got %q", got)
	}
	if r := c.Get("/admin/notes/note/?p=9"); r.StatusCode != 302 || r.Location() != "/admin/notes/note/?e=1" {
		t.Errorf("page out of range: %d %s", r.StatusCode, r.Location())
	}
	if got := c.Get("/admin/notes/note/?all=").Text("#result_list tbody th"); got != "gamma beta alpha" {
		t.Errorf("show all, in the default -pk order: %q", got)
	}
}

func TestTemplateOverrides(t *testing.T) {
	overrides := fstest.MapFS{
		"admin/change_list.html":             {Data: []byte(`{{define "pretitle"}}<p id="site-wide">all lists</p>{{end}}`)},
		"admin/notes/change_list.html":       {Data: []byte(`{{define "pretitle"}}<p id="app-level">notes lists</p>{{end}}`)},
		"admin/notes/shelf/change_list.html": {Data: []byte(`{{define "pretitle"}}<p id="model-level">shelves</p>{{end}}`)},
		"admin/base.html":                    {Data: []byte(`{{define "footer"}}<p id="custom-footer">ours</p>{{end}}`)},
	}
	_, c := newSite(t, overrides, registerNotes)
	if r := c.Get("/admin/notes/note/"); r.Find("#app-level").Length() != 1 || r.Find("#custom-footer").Length() != 1 {
		t.Errorf("app-level override not used:\n%s", r.Body)
	}
	if r := c.Get("/admin/notes/shelf/"); r.Find("#model-level").Length() != 1 {
		t.Errorf("model-level override not used")
	}
	if r := c.Get("/admin/notes/note/"); r.Find("#result_list, .paginator").Length() == 0 {
		t.Errorf("an override replaced more than its block")
	}
	if _, err := admin.NewSite(admin.Config{}); err == nil {
		t.Error("NewSite without a database passed")
	}
}

func TestHeadersAndStatic(t *testing.T) {
	_, c := newSite(t, nil, registerNotes)
	r := c.Get("/admin/notes/note/")
	for k, want := range map[string]string{
		"X-Frame-Options":        "DENY",
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"Cache-Control":          "max-age=0, no-cache, no-store, must-revalidate, private",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if csp := r.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("CSP %q", csp)
	}
	if strings.Contains(r.Body, " style=") || strings.Contains(r.Body, "<script>") {
		t.Error("the page has inline style or script, which the CSP blocks")
	}
	var links []string
	for _, m := range regexp.MustCompile(`(?:href|src)="(/admin/static/[^"]+)"`).FindAllStringSubmatch(r.Body, -1) {
		links = append(links, m[1])
	}
	if len(links) < 5 {
		t.Fatalf("found %d static links", len(links))
	}
	for _, l := range links {
		a := c.Get(l)
		if a.StatusCode != 200 || a.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
			t.Errorf("%s: %d %q", l, a.StatusCode, a.Header.Get("Cache-Control"))
		}
		if strings.HasSuffix(l, ".css") {
			for _, u := range regexp.MustCompile(`url\("([^"]+)"\)`).FindAllStringSubmatch(a.Body, -1) {
				if img := c.Get(u[1]); img.StatusCode != 200 {
					t.Errorf("%s refers to %s, which answers %d", l, u[1], img.StatusCode)
				}
			}
		}
	}
	if bad := c.Get("/admin/static/000000000000/admin/css/base.css"); bad.StatusCode != 404 {
		t.Errorf("a stale hash answered %d", bad.StatusCode)
	}
}
