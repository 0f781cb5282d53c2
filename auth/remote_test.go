package auth_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// remoteSite serves /whoami behind RemoteUserMiddleware, and /login/{name}
// logging in through the model backend without a password.
type remoteSite struct {
	t   *testing.T
	a   *auth.Auth
	url string
	hc  *http.Client
}

func newRemoteSite(t *testing.T, db *orm.DB, rb auth.Backend, cfg auth.RemoteUserConfig) *remoteSite {
	t.Helper()
	a, err := auth.New(auth.Config{DB: db, SecretKey: "secret", Hashers: cheap, Backends: []auth.Backend{&auth.ModelBackend{}, rb}})
	if err != nil {
		t.Fatal(err)
	}
	store, err := session.NewStore(db, session.Config{SecretKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		if u := auth.UserFrom(r.Context()); u != nil {
			io.WriteString(w, u.Username)
		}
	})
	mux.HandleFunc("GET /login/{name}", func(w http.ResponseWriter, r *http.Request) {
		u, err := orm.Get[auth.User](r.Context(), orm.For[auth.User](db), orm.Q{"username": r.PathValue("name")})
		if err == nil {
			err = a.Login(r, u, auth.ModelBackendPath)
		}
		if err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	srv := httptest.NewServer(store.Middleware(a.Middleware(a.RemoteUserMiddleware(cfg)(mux))))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &remoteSite{t: t, a: a, url: srv.URL, hc: &http.Client{Jar: jar}}
}

// get fetches path with the header set to remote, or without it when
// remote is "-".
func (s *remoteSite) get(path, header, remote string) string {
	s.t.Helper()
	req, _ := http.NewRequest("GET", s.url+path, nil)
	if remote != "-" {
		req.Header.Set(header, remote)
	}
	resp, err := s.hc.Do(req)
	if err != nil {
		s.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		s.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, b)
	}
	return string(b)
}

func TestRemoteUserMiddleware(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		rb := auth.NewRemoteUserBackend()
		rb.CleanUsername = func(s string) string { name, _, _ := strings.Cut(s, "@"); return name }
		rb.ConfigureUser = func(r *http.Request, u *auth.User, created bool) (*auth.User, error) {
			if created {
				u.IsStaff = true
				return u, db.Update(r.Context(), u, "is_staff")
			}
			return u, nil
		}
		s := newRemoteSite(t, db, rb, auth.RemoteUserConfig{})
		const h = "REMOTE_USER"
		steps := []struct{ header, want string }{
			{"alice@EXAMPLE.ORG", "alice"}, // created and logged in
			{"alice@EXAMPLE.ORG", "alice"}, // already the session's user
			{"bob", "bob"},                 // another name replaces alice
			{"", ""},                       // an empty name logs nobody in
			{"bob", "bob"},
			{"-", ""}, // no header: the remote user is logged out
		}
		for i, st := range steps {
			if got := s.get("/whoami", h, st.header); got != st.want {
				t.Errorf("step %d (%q): whoami %q, want %q", i, st.header, got, st.want)
			}
		}
		alice, err := orm.Get[auth.User](ctx, orm.For[auth.User](db), orm.Q{"username": "alice"})
		if err != nil {
			t.Fatal(err)
		}
		if auth.IsPasswordUsable(alice.Password) || !alice.IsStaff || !alice.IsActive {
			t.Errorf("created user: password %q staff %v active %v", alice.Password, alice.IsStaff, alice.IsActive)
		}
		// A user who logged in with a password is not logged out by the
		// absence of the header.
		makeUser(t, s.a, db, "pat", true, false, true)
		s.get("/login/pat", h, "-")
		if got := s.get("/whoami", h, "-"); got != "pat" {
			t.Errorf("a password login was dropped: %q", got)
		}
	})
}

func TestRemoteUserOptions(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		strict := &auth.RemoteUserBackend{} // does not create users
		s := newRemoteSite(t, db, strict, auth.RemoteUserConfig{Header: "X-Remote-User", Persistent: true})
		if got := s.get("/whoami", "X-Remote-User", "dora"); got != "" {
			t.Errorf("an unknown user was let in: %q", got)
		}
		if n, _ := orm.For[auth.User](db).Count(ctx); n != 0 {
			t.Errorf("%d users created without CreateUnknownUser", n)
		}
		makeUser(t, s.a, db, "dora", false, false, true)
		makeUser(t, s.a, db, "off", false, false, false)
		if got := s.get("/whoami", "X-Remote-User", "dora"); got != "dora" {
			t.Errorf("whoami %q", got)
		}
		if got := s.get("/whoami", "REMOTE_USER", "off"); got != "dora" {
			t.Errorf("another header was read, or a persistent session dropped: %q", got)
		}
		if got := s.get("/whoami", "X-Remote-User", "off"); got != "" {
			t.Errorf("an inactive user was let in: %q", got)
		}
		lax := newRemoteSite(t, db, auth.NewAllowAllUsersRemoteUserBackend(), auth.RemoteUserConfig{})
		if got := lax.get("/whoami", "REMOTE_USER", "off"); got != "off" {
			t.Errorf("AllowAllUsersRemoteUserBackend refused an inactive user: %q", got)
		}
	})
}
