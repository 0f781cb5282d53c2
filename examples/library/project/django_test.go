package project_test

import (
	"bytes"
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
)

// passwordOf reads a user's stored hash.
func passwordOf(t *testing.T, app *staffroom.App, username string) string {
	t.Helper()
	rows, err := app.DB.QueryRaw(context.Background(), "SELECT password FROM auth_user WHERE username = ?", username)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var hash string
	for rows.Next() {
		if err := rows.Scan(&hash); err != nil {
			t.Fatal(err)
		}
	}
	return hash
}

// appList is the index's list of models, as "App: model" lines.
func appList(r *webtest.Response) string {
	return strings.Join(strings.Fields(r.Text("#content-main")), " ")
}

// TestDjangoUsers: the Django project's users sign in with their Django
// passwords, which stay as Django hashed them; each sees what the
// permissions Django granted allow; desk's live Django session is
// signed in here too.
func TestDjangoUsers(t *testing.T) {
	app := openDjango(t)
	// desk's session, made by Django's login form and signed with the
	// project's SECRET_KEY: the only one before anyone signs in here.
	rows, err := app.DB.QueryRaw(context.Background(), "SELECT session_key FROM django_session")
	if err != nil {
		t.Fatal(err)
	}
	var key string
	for rows.Next() {
		if err := rows.Scan(&key); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	before := passwordOf(t, app, "cataloguer")
	c := webtest.New(t, app.Handler)
	if r := login(t, c, "cataloguer", "cataloguer"); r.StatusCode != http.StatusFound {
		t.Fatalf("cataloguer's Django password: %d", r.StatusCode)
	}
	if after := passwordOf(t, app, "cataloguer"); after != before {
		t.Errorf("the login re-hashed Django's hash:\n%s\n%s", before, after)
	}
	index := c.Get("/admin/")
	for _, want := range []string{"Authors", "Books", "DVDs", "Publishers"} {
		if !strings.Contains(appList(index), want) {
			t.Errorf("cataloguer's index lacks %s: %s", want, appList(index))
		}
	}
	for _, hidden := range []string{"Members", "Prêts", "Reservations"} {
		if strings.Contains(appList(index), hidden) {
			t.Errorf("cataloguer's index shows %s", hidden)
		}
	}
	if r := c.Get("/admin/library/member/"); r.StatusCode != http.StatusForbidden {
		t.Errorf("cataloguer's members: %d", r.StatusCode)
	}
	if r := c.Get("/admin/library/book/1/delete/"); r.StatusCode != http.StatusForbidden {
		t.Errorf("cataloguer's delete page: %d", r.StatusCode)
	}

	d := webtest.New(t, app.Handler)
	d.SetCookie("sessionid", key)
	index = d.Get("/admin/")
	if index.StatusCode != http.StatusOK {
		t.Fatalf("desk's Django session: %d", index.StatusCode)
	}
	list := appList(index)
	for _, want := range []string{"Members", "Prêts", "Overdue loans", "Reservations"} {
		if !strings.Contains(list, want) {
			t.Errorf("desk's index lacks %s: %s", want, list)
		}
	}
	if strings.Contains(list, "Authors") || strings.Contains(list, "Publishers") {
		t.Errorf("desk's index shows the catalogue: %s", list)
	}
	if r := d.Get("/admin/library/author/"); r.StatusCode != http.StatusForbidden {
		t.Errorf("desk's authors: %d", r.StatusCode)
	}
	// The proxy's own permissions: desk may change overdue loans, not add.
	r := d.Get("/admin/library/overdueloan/")
	if r.StatusCode != http.StatusOK || r.Find(".object-tools .addlink").Length() != 0 {
		t.Errorf("desk's overdue loans: %d, add link %d", r.StatusCode, r.Find(".object-tools .addlink").Length())
	}
}

// TestParisDates: the change list filters and drills down by Paris dates,
// as the fixture's README counts them.
func TestParisDates(t *testing.T) {
	app := openDjango(t)
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", "admin")
	for _, tc := range []struct {
		query string
		want  int
	}{
		{"loaned_at__year=2022", 1},
		{"loaned_at__day=28&loaned_at__month=3&loaned_at__year=2021", 5},
		{"loaned_at__day=31&loaned_at__month=10&loaned_at__year=2021", 4},
		{"loaned_at__day=1&loaned_at__month=7&loaned_at__year=2021", 1},
	} {
		r := c.Get("/admin/library/loan/?" + tc.query)
		if r.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.query, r.StatusCode)
		}
		if got := r.Find("#result_list tbody tr").Length(); got != tc.want {
			t.Errorf("%s: %d loans, want %d", tc.query, got, tc.want)
		}
	}
	// Loan 2: 01:30 UTC on the day summer time began is 03:30 in Paris.
	r := c.Get("/admin/library/loan/2/change/")
	date, _ := r.Find(`input[name="loaned_at_0"]`).Attr("value")
	clock, _ := r.Find(`input[name="loaned_at_1"]`).Attr("value")
	if date != "2021-03-28" || clock != "03:30:00" {
		t.Errorf("loan 2 loaned at %q %q, want 2021-03-28 03:30:00", date, clock)
	}
}

// TestFixtureLoads: Django's dumpdata of the library loads into an empty
// database of every dialect, natural keys and multi-table rows included.
func TestFixtureLoads(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			app, err := staffroom.New(project.Project(), staffroom.Config{Database: testdb.URL(t, dialect), SecretKey: "k"})
			if err != nil {
				t.Fatal(err)
			}
			defer app.DB.Close()
			ctx := context.Background()
			if _, err := app.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			// The notes name their authors by natural key: the users exist.
			for _, name := range []string{"admin", "desk", "cataloguer"} {
				if _, err := staffroom.CreateUser(ctx, app, name, "", "a long password of "+name, false); err != nil {
					t.Fatal(err)
				}
			}
			n, err := app.DB.LoadData(ctx, bytes.NewReader(testdb.ReadFixture(t, "library-fixture.json")))
			if err != nil {
				t.Fatal(err)
			}
			if n < 400 {
				t.Errorf("%d objects loaded", n)
			}
			for _, c := range []struct {
				qs   orm.QuerySet
				want int64
			}{
				{orm.For[library.Country](app.DB), 32},
				{orm.For[library.Branch](app.DB), 12},
				{orm.For[library.Book](app.DB), 48},
				{orm.For[library.DVD](app.DB), 21},
				{orm.For[library.Item](app.DB), 69},
				{orm.For[library.Loan](app.DB), 40},
				{orm.For[library.Note](app.DB), 38},
			} {
				if got, err := c.qs.Count(ctx); err != nil || got != c.want {
					t.Errorf("%s: %d (%v), want %d", c.qs.Model().Label(), got, err, c.want)
				}
			}
			// Loan 2 came as "2021-03-28T01:30:00Z".
			loan, err := orm.Get[library.Loan](ctx, orm.For[library.Loan](app.DB), orm.Q{"pk": 2})
			if err != nil {
				t.Fatal(err)
			}
			if got := loan.LoanedAt.In(library.Paris).Format("2006-01-02 15:04"); got != "2021-03-28 03:30" {
				t.Errorf("loan 2 loaned at %s in Paris", got)
			}
		})
	}
}

// TestDjangoLog: the log entries Django's admin wrote show in recent
// actions and history with links to their objects — a text key, a UUID
// hyphenated as Django logged it — and a change made here through the
// proxy's admin is logged with the proxy's content type, as Django logs
// it.
func TestDjangoLog(t *testing.T) {
	app := openDjango(t)
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", "admin")
	index := c.Get("/admin/")
	links := map[string]string{}
	index.Find("#recent-actions-module li a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		links[strings.TrimSpace(s.Text())] = href
	})
	for title, want := range map[string]string{
		"Czechia":             "/admin/library/country/CZ/change/",
		"Bibliothèque Forney": "/admin/library/branch/f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b/change/",
	} {
		if links[title] != want {
			t.Errorf("recent action %q links to %q, want %q (all: %v)", title, links[title], want, links)
		}
	}
	history := c.Get("/admin/library/country/CZ/history/")
	if text := strings.Join(strings.Fields(history.Text("#change-history")), " "); !strings.Contains(text, "Changed Name.") {
		t.Errorf("CZ's history: %q", text)
	}

	// desk returns an overdue loan through the proxy's admin.
	d := webtest.New(t, app.Handler)
	login(t, d, "desk", "desk")
	overdue, err := orm.All[library.OverdueLoan](context.Background(), orm.For[library.OverdueLoan](app.DB).OrderBy("pk").Limit(1))
	if err != nil || len(overdue) != 1 {
		t.Fatalf("an overdue loan: %v", err)
	}
	path := fmt.Sprintf("/admin/library/overdueloan/%d/change/", overdue[0].ID)
	page := d.Get(path)
	r := d.Submit(page, "#overdueloan_form", url.Values{"returned_at_0": {"2022-01-10"}, "returned_at_1": {"18:05:00"}}, "_save")
	if r.StatusCode != http.StatusFound {
		t.Fatalf("returning loan %d: %d %s", overdue[0].ID, r.StatusCode, r.Text(".errornote, .errorlist"))
	}
	rows, err := app.DB.QueryRaw(context.Background(), `SELECT content_type_id, change_message FROM django_admin_log
WHERE object_id = ? ORDER BY id DESC LIMIT 1`, fmt.Sprint(overdue[0].ID))
	if err != nil {
		t.Fatal(err)
	}
	var ct int64
	var msg string
	for rows.Next() {
		if err := rows.Scan(&ct, &msg); err != nil {
			t.Fatal(err)
		}
	}
	rows.Close()
	if ct != 19 || msg != `[{"changed": {"fields": ["Returned at"]}}]` {
		t.Errorf("logged with content type %d and %q, want 19 (library.overdueloan) and Django's message", ct, msg)
	}
	loan, err := orm.Get[library.Loan](context.Background(), orm.For[library.Loan](app.DB), orm.Q{"pk": overdue[0].ID})
	if err != nil || loan.ReturnedAt == nil || loan.ReturnedAt.UTC().Format("2006-01-02 15:04") != "2022-01-10 17:05" {
		t.Errorf("returned at %v (%v), want 17:05 UTC for 18:05 in Paris", loan.ReturnedAt, err)
	}
}
