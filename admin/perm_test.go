package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// evenNotes grants change permission on notes with an even id, and no
// model-wide permission at all: an object permission backend.
type evenNotes struct{ auth.BaseBackend }

func (*evenNotes) Path() string { return "tests.EvenNotes" }

func (*evenNotes) UserPermissions(ctx context.Context, u *auth.User, obj any) (map[string]bool, error) {
	if n, ok := obj.(*Note); ok && u != nil && n.ID%2 == 0 {
		return map[string]bool{"notes.change_note": true}, nil
	}
	return map[string]bool{}, nil
}

func TestObjectPermissionsReachBackends(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { objectPermissionsReachBackends(t, d) })
	}
}

func objectPermissionsReachBackends(t *testing.T, dialect string) {
	ctx := context.Background()
	app, c := newNotesApp(t, dialect, staffroom.Config{Backends: []auth.Backend{&auth.ModelBackend{}, &evenNotes{}}})
	clerk, err := staffroom.CreateUser(ctx, app, "clerk", "", "pw", false)
	if err != nil {
		t.Fatal(err)
	}
	clerk.IsStaff = true
	if err := app.DB.Update(ctx, clerk, "is_staff"); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, title := range []string{"one", "two", "three", "four"} {
		n := &Note{Title: title}
		if err := app.DB.Insert(ctx, n); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, n.ID)
	}
	login := c.Get("/admin/login/")
	if r := c.Submit(login, "#login-form", url.Values{"username": {"clerk"}, "password": {"pw"}}, ""); r.StatusCode != 302 {
		t.Fatalf("login: %d", r.StatusCode)
	}
	// No model-wide permission: the change list stays closed.
	if r := c.Get("/admin/notes/note/"); r.StatusCode != 403 {
		t.Errorf("change list: %d, want 403", r.StatusCode)
	}
	for _, id := range ids {
		path := "/admin/notes/note/" + strconv.FormatInt(id, 10) + "/change/"
		want := 403
		if id%2 == 0 {
			want = 200
		}
		r := c.Get(path)
		if r.StatusCode != want {
			t.Errorf("GET %s: %d, want %d", path, r.StatusCode, want)
			continue
		}
		if want == 200 {
			r = c.Submit(r, "#note_form", url.Values{"title": {"renamed"}}, "_continue")
			if r.StatusCode != 302 {
				t.Errorf("POST %s: %d\n%s", path, r.StatusCode, r.Body)
			}
		}
	}
	renamed, err := orm.For[Note](app.DB).Filter(orm.Q{"title": "renamed"}).Count(ctx)
	if err != nil || renamed != 2 {
		t.Errorf("%d notes renamed (%v), want the 2 with even ids", renamed, err)
	}
}

// newNotesApp returns a migrated notes project with the given auth
// settings and a client.
func newNotesApp(t *testing.T, dialect string, cfg staffroom.Config) (*staffroom.App, *webtest.Client) {
	t.Helper()
	p := staffroom.Project{Name: "test", Apps: []orm.AppConfig{{Name: "notes", Models: []any{Shelf{}, Note{}}}}, Admin: registerNotes}
	cfg.Database, cfg.SecretKey = testdb.URL(t, dialect), "k"
	cfg.Hashers = auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}}
	app, err := staffroom.New(p, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	if _, err := app.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return app, webtest.New(t, app.Handler)
}

func TestRemoteUserAdmin(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			rb := auth.NewRemoteUserBackend()
			rb.ConfigureUser = func(r *http.Request, u *auth.User, created bool) (*auth.User, error) {
				u.IsStaff, u.IsSuperuser = true, true
				return u, nil
			}
			_, c := newNotesApp(t, d, staffroom.Config{Backends: []auth.Backend{&auth.ModelBackend{}, rb}, RemoteUser: &auth.RemoteUserConfig{}})
			req, _ := http.NewRequest("GET", c.URL+"/admin/", nil)
			req.Header.Set("REMOTE_USER", "sso-admin")
			r := c.Do(req)
			if r.StatusCode != 200 || !strings.Contains(r.Text("#user-tools"), "sso-admin") {
				t.Errorf("remote user not let in: %d %s", r.StatusCode, r.Text("#user-tools"))
			}
			if r := c.Get("/admin/"); r.StatusCode != 302 {
				t.Errorf("without the header the remote user stayed logged in: %d", r.StatusCode)
			}
		})
	}
}

func TestAllowAllUsersInactiveLogin(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			app, c := newNotesApp(t, d, staffroom.Config{Backends: []auth.Backend{&auth.AllowAllUsersModelBackend{}}})
			ctx := context.Background()
			u, err := staffroom.CreateUser(ctx, app, "gone", "", "pw", true)
			if err != nil {
				t.Fatal(err)
			}
			u.IsActive = false
			if err := app.DB.Update(ctx, u, "is_active"); err != nil {
				t.Fatal(err)
			}
			page := c.Get("/admin/login/")
			r := c.Submit(page, "#login-form", url.Values{"username": {"gone"}, "password": {"pw"}}, "")
			if r.StatusCode != 200 || r.Text(".errornote") != "This account is inactive." {
				t.Errorf("inactive login: %d %q", r.StatusCode, r.Text(".errornote"))
			}
		})
	}
}
