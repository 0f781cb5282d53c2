package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// fixture is the admin tests' shared set-up, as Django's
// tests/admin_views: the notes app (Shelf, Note) on one dialect, the
// admins a test registers, a logged-in superuser, and staff users with
// chosen permissions.
type fixture struct {
	t    *testing.T
	app  *staffroom.App
	root *webtest.Client
}

// eachDialect runs fn on SQLite and on the configured servers.
func eachDialect(t *testing.T, fn func(t *testing.T, dialect string)) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, d) })
	}
}

// newFixture migrates a fresh database, registers the admins and logs
// the superuser "root" in.
func newFixture(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	app, c := newSiteOn(t, dialect, nil, register)
	return &fixture{t: t, app: app, root: c}
}

// countingClient is a client of app, logged in as logged is, whose
// requests' statements are recorded in the returned counter.
func countingClient(t *testing.T, app *staffroom.App, logged *webtest.Client) (*webtest.Client, *orm.QueryCounter) {
	t.Helper()
	n := &orm.QueryCounter{Record: true}
	c := webtest.New(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		app.Handler.ServeHTTP(w, r.WithContext(orm.WithQueryCounter(r.Context(), n)))
	}))
	c.SetCookie("sessionid", logged.Cookie("sessionid"))
	return c, n
}

// insert saves objects, failing the test on an error.
func (f *fixture) insert(objs ...any) {
	f.t.Helper()
	for _, o := range objs {
		if err := f.app.DB.Insert(context.Background(), o); err != nil {
			f.t.Fatal(err)
		}
	}
}

// staff creates an active staff member holding the permissions named by
// codename ("view_note", "add_shelf", ...) and returns a logged-in client.
func (f *fixture) staff(username string, codenames ...string) *webtest.Client {
	f.t.Helper()
	ctx := context.Background()
	u, err := staffroom.CreateUser(ctx, f.app, username, username+"@example.com", "pw", false)
	if err != nil {
		f.t.Fatal(err)
	}
	u.IsStaff = true
	if err := f.app.DB.Update(ctx, u, "is_staff"); err != nil {
		f.t.Fatal(err)
	}
	var ids []int64
	for _, code := range codenames {
		p, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](f.app.DB), orm.Q{"codename": code})
		if err != nil {
			f.t.Fatalf("permission %s: %v", code, err)
		}
		ids = append(ids, p.ID)
	}
	if err := f.app.DB.SetM2M(ctx, u, "user_permissions", ids); err != nil {
		f.t.Fatal(err)
	}
	c := webtest.New(f.t, f.app.Handler)
	page := c.Get("/admin/login/")
	if r := c.Submit(page, "#login-form", url.Values{"username": {username}, "password": {"pw"}}, ""); r.StatusCode != 302 {
		f.t.Fatalf("login %s: %d", username, r.StatusCode)
	}
	return c
}

// note loads a note by title.
func (f *fixture) note(title string) *Note {
	f.t.Helper()
	n, err := orm.Get[Note](context.Background(), orm.For[Note](f.app.DB), orm.Q{"title": title})
	if err != nil {
		f.t.Fatalf("note %q: %v", title, err)
	}
	return n
}

// expectStatus fails unless r has the status.
func expectStatus(t *testing.T, r *webtest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		body := r.Body
		if len(body) > 2000 {
			body = body[:2000]
		}
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, body)
	}
}

// words folds white space, for comparing texts.
func words(s string) string { return strings.Join(strings.Fields(s), " ") }

// key formats a primary key for a URL.
func key(id int64) string { return strconv.FormatInt(id, 10) }
