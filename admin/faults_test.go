package admin_test

import (
	"context"
	"database/sql"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// A database cut away mid-session (issue 9, finding 7): every page
// answers 503 with a plain message — never the login page —, a form
// posted meanwhile comes back with what was typed, nothing is written,
// and once the database is back the session and the pages work again.
func TestDatabaseOutage(t *testing.T) {
	for _, d := range testdb.Dialects() {
		if d == "sqlite" {
			continue // no server to cut; see TestLockedSQLite
		}
		t.Run(d, func(t *testing.T) { databaseOutage(t, d) })
	}
}

func databaseOutage(t *testing.T, dialect string) {
	dbURL, proxy := testdb.ProxiedURL(t, dialect)
	app, c := newSiteWith(t, staffroom.Config{Database: dbURL}, registerNotes)
	f := &fixture{t: t, app: app, root: c}
	add := c.Get("/admin/notes/note/add/")
	expectStatus(t, add, 200)
	if r := c.Get(staffroom.HealthPath); r.StatusCode != 200 || r.Body != "ok\n" {
		t.Errorf("health while up: %d %q", r.StatusCode, r.Body)
	}

	proxy.Cut()
	r := c.Get("/admin/notes/note/")
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Fatalf("a page during the outage: %d %s (Retry-After %q)", r.StatusCode, r.Location(), r.Header.Get("Retry-After"))
	}
	if !strings.Contains(r.Text("#content"), "nothing was saved") {
		t.Errorf("the outage page says %q", r.Text("#content"))
	}
	posted := c.Submit(add, "#note_form", url.Values{"title": {"typed in the outage"}, "body": {"every word"}}, "_save")
	if posted.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a form posted during the outage: %d %s", posted.StatusCode, posted.Location())
	}
	if v, _ := posted.Find(`#retry-form input[name="title"]`).Attr("value"); v != "typed in the outage" {
		t.Errorf("the typed title is not kept: %q", v)
	}
	if got := posted.Text(".retry-values"); !strings.Contains(got, "every word") {
		t.Errorf("what was typed is not shown: %q", got)
	}
	if h := c.Get(staffroom.HealthPath); h.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("health during the outage: %d %q", h.StatusCode, h.Body)
	}

	proxy.Restore()
	if n := noteCount(t, app, "typed in the outage"); n != 0 {
		t.Fatalf("%d notes were written during the outage", n)
	}
	list := c.Get("/admin/notes/note/")
	expectStatus(t, list, 200) // still logged in: the session survived
	again := c.Submit(posted, "#retry-form", nil, "")
	if again.StatusCode != 302 || noteCount(t, app, "typed in the outage") != 1 {
		t.Errorf("posting again after the outage: %d, %d notes", again.StatusCode, noteCount(t, app, "typed in the outage"))
	}
	_ = f
}

func noteCount(t *testing.T, app *staffroom.App, title string) int64 {
	t.Helper()
	n, err := orm.For[Note](app.DB).Filter(orm.Q{"title": title}).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A SQLite file another process holds locked: a write waits for the
// request's deadline, then answers 503, and nothing is half-written.
func TestLockedSQLite(t *testing.T) {
	dbURL := testdb.URL(t, "sqlite")
	app, c := newSiteWith(t, staffroom.Config{Database: dbURL, RequestTimeout: 500 * time.Millisecond}, registerNotes)
	add := c.Get("/admin/notes/note/add/")
	expectStatus(t, add, 200)

	other, err := sql.Open("sqlite", "file:"+strings.TrimPrefix(dbURL, "sqlite:")+"?_pragma=busy_timeout(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	conn, err := other.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(context.Background(), "BEGIN EXCLUSIVE"); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	posted := c.Submit(add, "#note_form", url.Values{"title": {"while locked"}}, "_save")
	if posted.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("a write to a locked database: %d %s", posted.StatusCode, posted.Location())
	}
	t.Logf("answered after %v", time.Since(start).Round(time.Millisecond))
	if _, err := conn.ExecContext(context.Background(), "ROLLBACK"); err != nil {
		t.Fatal(err)
	}
	if n := noteCount(t, app, "while locked"); n != 0 {
		t.Errorf("%d notes written", n)
	}
	again := c.Submit(posted, "#retry-form", nil, "")
	if again.StatusCode != 302 || noteCount(t, app, "while locked") != 1 {
		t.Errorf("posting again once unlocked: %d", again.StatusCode)
	}
	_ = webtest.New
}

// Load balancers name the machine by its address: the health check
// passes outside the allowed-hosts check that every other page gets.
func TestHealthOutsideHostCheck(t *testing.T) {
	app, c := newSiteWith(t, staffroom.Config{Database: testdb.URL(t, "sqlite")}, registerNotes)
	for path, want := range map[string]int{staffroom.HealthPath: 200, "/admin/": 400} {
		req, err := http.NewRequest(http.MethodGet, c.URL+path, nil) // the test server, on loopback
		if err != nil {
			t.Fatal(err)
		}
		req.Host = "10.1.2.3:8000"
		if r := c.Do(req); r.StatusCode != want {
			t.Errorf("%s with Host 10.1.2.3: %d, want %d", path, r.StatusCode, want)
		}
	}
	_ = app
}
