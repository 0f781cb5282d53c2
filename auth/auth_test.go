package auth_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

type Gadget struct {
	ID   int64
	Name string `orm:"max_length=20,verbose_name='gadget name'"`
}

func registry(t *testing.T) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	for _, app := range []orm.AppConfig{contenttype.App(), auth.App(), auth.ThrottleApp(), session.App(), {Name: "shop", Models: []any{Gadget{}}}} {
		if _, err := reg.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	return reg
}

var cheap = auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}, auth.PBKDF2SHA1{Iterations: 100}}

type env struct {
	db  *orm.DB
	a   *auth.Auth
	srv *httptest.Server
}

// newEnv serves a few endpoints behind the session, CSRF and auth
// middleware: /login/{username} logs in (without a password check),
// /whoami answers the user, /set/{v} stores a session value,
// /get answers it, /logout logs out.
func newEnv(t *testing.T, db *orm.DB) *env {
	t.Helper()
	return newEnvWith(t, db, auth.Config{DB: db, SecretKey: "secret", Hashers: cheap})
}

// newEnvWith is newEnv with an Auth of the given configuration.
func newEnvWith(t *testing.T, db *orm.DB, cfg auth.Config) *env {
	t.Helper()
	a, err := auth.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	store, err := session.NewStore(db, session.Config{SecretKey: "secret"})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /login/{name}", func(w http.ResponseWriter, r *http.Request) {
		u, err := orm.Get[auth.User](r.Context(), orm.For[auth.User](db), orm.Q{"username": r.PathValue("name")})
		if err != nil {
			http.Error(w, err.Error(), 500)
			return
		}
		if err := a.Login(r, u, auth.ModelBackendPath); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	mux.HandleFunc("GET /whoami", func(w http.ResponseWriter, r *http.Request) {
		if u := auth.UserFrom(r.Context()); u != nil {
			w.Write([]byte(u.Username))
		}
	})
	mux.HandleFunc("GET /set/{v}", func(w http.ResponseWriter, r *http.Request) { session.From(r).Set("v", r.PathValue("v")) })
	mux.HandleFunc("GET /get", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(session.From(r).String("v"))) })
	mux.HandleFunc("GET /logout", func(w http.ResponseWriter, r *http.Request) { _ = a.Logout(r) })
	mux.HandleFunc("GET /token/{t}", func(w http.ResponseWriter, r *http.Request) {
		u, backend, err := a.Authenticate(r.Context(), r, auth.Credentials{"token": r.PathValue("t")})
		if err != nil || u == nil {
			http.Error(w, fmt.Sprint("no login: ", err), 403)
			return
		}
		if err := a.Login(r, u, backend); err != nil {
			http.Error(w, err.Error(), 500)
		}
	})
	mux.HandleFunc("GET /backend", func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(session.From(r).String(auth.SessionBackend)))
	})
	mux.HandleFunc("GET /keep/{name}", func(w http.ResponseWriter, r *http.Request) {
		u := auth.UserFrom(r.Context())
		_ = a.SetPassword(u, "changed")
		_ = db.Update(r.Context(), u, "password")
		_ = a.UpdateSessionAuthHash(r, u)
	})
	srv := httptest.NewServer(store.Middleware(csrf.New(csrf.Config{}).Middleware(a.Middleware(mux))))
	t.Cleanup(srv.Close)
	return &env{db: db, a: a, srv: srv}
}

type browser struct {
	t   *testing.T
	e   *env
	hc  *http.Client
	jar *cookiejar.Jar
}

func (e *env) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, e: e, hc: &http.Client{Jar: jar}, jar: jar}
}

func (b *browser) get(path string) string {
	b.t.Helper()
	resp, err := b.hc.Get(b.e.srv.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	var sb strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := resp.Body.Read(buf)
		sb.Write(buf[:n])
		if err != nil {
			break
		}
	}
	if resp.StatusCode != 200 {
		b.t.Fatalf("GET %s: %d %s", path, resp.StatusCode, sb.String())
	}
	return sb.String()
}

func (b *browser) cookie(name string) string {
	u, _ := url.Parse(b.e.srv.URL)
	for _, c := range b.jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func makeUser(t *testing.T, a *auth.Auth, db *orm.DB, name string, staff, super, active bool) *auth.User {
	t.Helper()
	u := &auth.User{Username: name, IsStaff: staff, IsSuperuser: super, IsActive: active, DateJoined: time.Now().UTC()}
	if err := a.SetPassword(u, name+"-pw"); err != nil {
		t.Fatal(err)
	}
	if err := db.Insert(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	return u
}

func TestLoginSessionRules(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db)
		makeUser(t, e.a, db, "ann", true, false, true)
		makeUser(t, e.a, db, "bob", true, false, true)
		b := e.browser(t)
		b.get("/set/kept")
		anonKey, csrf1 := b.cookie("sessionid"), b.cookie("csrftoken")
		b.get("/login/ann")
		if k := b.cookie("sessionid"); k == anonKey || k == "" {
			t.Error("login from an anonymous session must rotate the key (fixation)")
		}
		if b.cookie("csrftoken") == csrf1 {
			t.Error("login must rotate the CSRF secret")
		}
		if got := b.get("/get"); got != "kept" {
			t.Errorf("anonymous data lost at login: %q", got)
		}
		if got := b.get("/whoami"); got != "ann" {
			t.Errorf("whoami = %q", got)
		}
		annKey := b.cookie("sessionid")
		b.get("/login/ann")
		if b.cookie("sessionid") != annKey {
			t.Error("logging in again as the same user rotated the key")
		}
		b.get("/login/bob")
		if b.cookie("sessionid") == annKey {
			t.Error("logging in as another user kept the key")
		}
		if got := b.get("/get"); got != "" {
			t.Errorf("another user's login must flush the session, still holds %q", got)
		}
		b.get("/logout")
		if got := b.get("/whoami"); got != "" {
			t.Errorf("after logout whoami = %q", got)
		}
	})
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		e := newEnv(t, db)
		makeUser(t, e.a, db, "ann", true, false, true)
		laptop, phone := e.browser(t), e.browser(t)
		laptop.get("/login/ann")
		phone.get("/login/ann")
		oldKey := laptop.cookie("sessionid")
		laptop.get("/keep/ann")
		if laptop.cookie("sessionid") == oldKey {
			t.Error("the session that changed the password kept its key")
		}
		if got := laptop.get("/whoami"); got != "ann" {
			t.Errorf("the changing session was logged out: %q", got)
		}
		if got := phone.get("/whoami"); got != "" {
			t.Errorf("another session survived the password change as %q", got)
		}
	})
}

func TestAuthenticate(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, _ := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		makeUser(t, a, db, "ann", true, false, true)
		makeUser(t, a, db, "off", true, false, false)
		cases := []struct {
			user, pw string
			ok       bool
		}{
			{"ann", "ann-pw", true}, {"ann", "wrong", false},
			{"off", "off-pw", false}, {"nobody", "x", false},
		}
		// Usernames compare as the database compares them: exactly, except
		// under MySQL's case-insensitive collation, as with Django there.
		cases = append(cases, struct {
			user, pw string
			ok       bool
		}{"ANN", "ann-pw", db.Dialect().Name() == "mysql"})
		for _, c := range cases {
			u, backend, err := a.Authenticate(ctx, nil, auth.PasswordCredentials(c.user, c.pw))
			if err != nil {
				t.Fatal(err)
			}
			if (u != nil) != c.ok || (c.ok && backend != auth.ModelBackendPath) {
				t.Errorf("Authenticate(%q, %q) = %v %q", c.user, c.pw, u, backend)
			}
		}
		// A correct password stored with a weaker hasher is upgraded.
		legacy, _ := auth.PBKDF2SHA1{Iterations: 100}.Encode("legacy-pw", "")
		u := &auth.User{Username: "old", Password: legacy, IsActive: true, DateJoined: time.Now().UTC()}
		if err := db.Insert(ctx, u); err != nil {
			t.Fatal(err)
		}
		if u, _, _ := a.Authenticate(ctx, nil, auth.PasswordCredentials("old", "legacy-pw")); u == nil || !strings.HasPrefix(u.Password, "pbkdf2_sha256$100$") {
			t.Errorf("legacy hash not upgraded: %+v", u)
		}
	})
}

func TestPermissions(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, _ := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		if err := a.CreatePermissions(ctx); err != nil {
			t.Fatal(err)
		}
		if err := a.CreatePermissions(ctx); err != nil {
			t.Fatal("not idempotent:", err)
		}
		perms, err := orm.All[auth.Permission](ctx, orm.For[auth.Permission](db).Filter(orm.Q{"content_type__app_label": "shop"}))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		byCode := map[string]int64{}
		for _, p := range perms {
			names = append(names, p.Codename+"="+p.Name)
			byCode[p.Codename] = p.ID
		}
		if got := strings.Join(names, "|"); got != "add_gadget=Can add gadget|change_gadget=Can change gadget|delete_gadget=Can delete gadget|view_gadget=Can view gadget" {
			t.Errorf("permissions %s", got)
		}
		super := makeUser(t, a, db, "root", true, true, true)
		lapsed := makeUser(t, a, db, "lapsed", true, true, false)
		clerk := makeUser(t, a, db, "clerk", true, false, true)
		grouped := makeUser(t, a, db, "grouped", true, false, true)
		if err := db.SetM2M(ctx, clerk, "user_permissions", []int64{byCode["view_gadget"]}); err != nil {
			t.Fatal(err)
		}
		g := &auth.Group{Name: "editors"}
		if err := db.Insert(ctx, g); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, g, "permissions", []int64{byCode["change_gadget"]}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, grouped, "groups", []int64{g.ID}); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			u    *auth.User
			perm string
			want bool
		}{
			{super, "shop.delete_gadget", true}, {super, "anything.at_all", true},
			{lapsed, "shop.view_gadget", false},
			{clerk, "shop.view_gadget", true}, {clerk, "shop.change_gadget", false},
			{grouped, "shop.change_gadget", true}, {grouped, "shop.view_gadget", false},
			{nil, "shop.view_gadget", false},
		}
		for _, c := range cases {
			got, err := a.HasPerm(ctx, c.u, c.perm, nil)
			if err != nil || got != c.want {
				name := "anonymous"
				if c.u != nil {
					name = c.u.Username
				}
				t.Errorf("%s HasPerm(%s) = %v, %v", name, c.perm, got, err)
			}
		}
		if ok, _ := a.HasModulePerms(ctx, grouped, "shop"); !ok {
			t.Error("HasModulePerms(shop) for a group member")
		}
		if ok, _ := a.HasModulePerms(ctx, grouped, "auth"); ok {
			t.Error("HasModulePerms(auth) without any auth permission")
		}
	})
}
