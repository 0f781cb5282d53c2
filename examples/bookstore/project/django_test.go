package project_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/project"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
)

// openDjango opens a copy of the database a real Django project made,
// with that project's secret key, and migrates it.
func openDjango(t *testing.T) (app *staffroom.App, sessionKey string) {
	t.Helper()
	var vectors struct {
		SecretKey string `json:"secret_key"`
		Sessions  []struct {
			Key string `json:"session_key"`
		} `json:"sessions"`
	}
	b, err := os.ReadFile(filepath.Join(testdb.FixtureDir(t), "session-vectors.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &vectors); err != nil {
		t.Fatal(err)
	}
	path := testdb.CopyFixture(t, "bookstore-django.sqlite3")
	app, err = staffroom.New(project.Project(), staffroom.Config{Database: "sqlite:" + path, SecretKey: vectors.SecretKey,
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	fresh, err := app.Migrate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if fresh {
		t.Fatal("Django's database was taken for a new one")
	}
	return app, vectors.Sessions[0].Key
}

// TestDjangoDatabase serves the admin on Django's own database: its admin
// logs in with Django's password hash, and its live session (written by
// Django) is accepted as it is.
func TestDjangoDatabase(t *testing.T) {
	app, key := openDjango(t)
	ctx := context.Background()
	// The fixture's session expires on a fixed date; keep it alive.
	if _, err := app.DB.Exec(ctx, `UPDATE django_session SET expire_date = '2999-01-01 00:00:00'`); err != nil {
		t.Fatal(err)
	}
	srv := webtest.New(t, app.Handler)

	c := webtest.NewClient(t, srv.URL)
	expectRedirect(t, login(t, c, "admin", "admin"), "/admin/")
	list := c.Get("/admin/bookstore/book/")
	expect(t, list, 200)
	if !strings.Contains(list.Text(".paginator"), "1000 books") {
		t.Errorf("paginator: %q", list.Text(".paginator"))
	}
	var hash string
	if err := app.DB.SQL().QueryRow(`SELECT password FROM auth_user WHERE username = 'admin'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(hash, "pbkdf2_sha256$1000$") {
		t.Errorf("a correct login with a weaker hash should re-hash it, got %s", hash)
	}

	req, _ := http.NewRequest("GET", srv.URL+"/admin/", nil)
	req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	// The password was re-hashed above, so Django's session (bound to the
	// old hash) must now be refused, as Django refuses it.
	if resp.StatusCode != http.StatusFound {
		t.Errorf("a session bound to a replaced password hash was accepted: %d\n%s", resp.StatusCode, body)
	}
}

// TestDjangoSessionAccepted checks that a live session Django wrote logs
// its user in, before anything changed the password.
func TestDjangoSessionAccepted(t *testing.T) {
	app, key := openDjango(t)
	ctx := context.Background()
	if _, err := app.DB.Exec(ctx, `UPDATE django_session SET expire_date = '2999-01-01 00:00:00'`); err != nil {
		t.Fatal(err)
	}
	srv := webtest.New(t, app.Handler)
	req, _ := http.NewRequest("GET", srv.URL+"/admin/", nil)
	req.AddCookie(&http.Cookie{Name: "sessionid", Value: key})
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "Site administration") {
		t.Fatalf("Django's session was not accepted: %d\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(string(body), `<strong>admin</strong>`) {
		t.Error("the page does not greet Django's admin user")
	}
}
