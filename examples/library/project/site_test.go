package project_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/library/library"
	"github.com/staffroom/staffroom/examples/library/project"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/orm/sqliteext"
)

// djangoSecretKey is the library project's SECRET_KEY, which signed the
// live session of its database.
const djangoSecretKey = "library-interop-fixed-insecure-key-7b1e4c9d2a60f8e35c0d9a4b6e2f1c87"

// openDjango serves the admin on a copy of the Django project's database,
// after migrate.
func openDjango(t *testing.T) *staffroom.App {
	t.Helper()
	if err := sqliteext.Register(); err != nil {
		t.Fatal(err)
	}
	path := testdb.CopyFixture(t, "library-django.sqlite3")
	app, err := staffroom.New(project.Project(), staffroom.Config{Database: "sqlite:" + path, SecretKey: djangoSecretKey})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.DB.Close() })
	if _, err := app.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return app
}

// login signs a client in through the login form.
func login(t *testing.T, c *webtest.Client, username, pw string) *webtest.Response {
	t.Helper()
	page := c.Get("/admin/login/?next=/admin/")
	return c.Submit(page, "#login-form", url.Values{"username": {username}, "password": {pw}}, "")
}

// TestCheckIsClean: the admin of every model passes the system checks,
// but for the indexes Django's tables lack for the change lists
// (staffroom.W003, which migrate --admin-indexes makes).
func TestCheckIsClean(t *testing.T) {
	app := openDjango(t)
	for _, m := range app.Site.Check() {
		if m.ID != "staffroom.W003" {
			t.Errorf("check: %s", m)
		}
	}
}

// TestEveryPageOpens: the superuser, with Django's password, opens each
// model's change list, add page and first object's change page.
func TestEveryPageOpens(t *testing.T) {
	app := openDjango(t)
	c := webtest.New(t, app.Handler)
	if r := login(t, c, "admin", "admin"); r.StatusCode != http.StatusFound {
		t.Fatalf("login: %d", r.StatusCode)
	}
	overdue, err := orm.All[library.OverdueLoan](context.Background(), orm.For[library.OverdueLoan](app.DB).OrderBy("pk"))
	if err != nil || len(overdue) != 94 {
		t.Fatalf("%d overdue loans (%v), want the fixture's 94", len(overdue), err)
	}
	// Loan 720 was returned through the proxy's admin: not overdue, so not
	// the proxy's to show, as Django's get_object goes through the
	// proxy's manager.
	if r := c.Get("/admin/library/overdueloan/720/change/"); r.StatusCode != http.StatusFound {
		t.Errorf("a returned loan through the overdue loans' admin: %d", r.StatusCode)
	}
	for _, path := range []string{
		"/admin/", "/admin/library/",
		"/admin/library/country/", "/admin/library/country/FR/change/", "/admin/library/country/add/",
		"/admin/library/branch/", "/admin/library/branch/f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b/change/", "/admin/library/branch/add/",
		"/admin/library/openinghours/", "/admin/library/openinghours/1/change/",
		"/admin/library/author/", "/admin/library/author/301/change/", "/admin/library/author/add/",
		"/admin/library/publisher/", "/admin/library/publisher/1/change/",
		"/admin/library/item/", "/admin/library/item/4/change/",
		"/admin/library/book/", "/admin/library/book/1/change/", "/admin/library/book/add/",
		"/admin/library/dvd/", "/admin/library/dvd/4/change/",
		"/admin/library/member/", "/admin/library/member/7/change/", "/admin/library/member/add/",
		"/admin/library/loan/", "/admin/library/loan/1/change/", "/admin/library/loan/?loaned_at__year=2022",
		"/admin/library/overdueloan/", fmt.Sprintf("/admin/library/overdueloan/%d/change/", overdue[0].ID),
		"/admin/library/reservation/", "/admin/library/reservation/2/change/",
		"/admin/library/note/", "/admin/library/note/301/change/",
	} {
		r := c.Get(path)
		if r.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", path, r.StatusCode)
		}
	}
}

// TestNotesAbout: the notes' list names what each note is about, the
// objects of several models loaded with the page.
func TestNotesAbout(t *testing.T) {
	app := openDjango(t)
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", "admin")
	r := c.Get("/admin/library/note/?q=Nouvelle+adresse")
	if got := strings.TrimSpace(r.Find("#result_list tbody tr td.field-about").First().Text()); got != "Zoé François" {
		t.Errorf("note 301 is about %q, want Zoé François", got)
	}
	r = c.Get("/admin/library/note/")
	kinds := map[bool]bool{}
	r.Find("#result_list tbody tr td.field-about").Each(func(_ int, s *goquery.Selection) {
		kinds[strings.TrimSpace(s.Text()) == "—"] = true
	})
	if kinds[true] || !kinds[false] {
		t.Errorf("notes about nothing on the first page: %v", kinds)
	}
}
