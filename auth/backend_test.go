package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// gateBackend refuses the username "blocked" outright and otherwise
// authenticates nobody, so later backends are asked.
type gateBackend struct{ auth.BaseBackend }

func (*gateBackend) Path() string { return "tests.GateBackend" }

func (*gateBackend) Accepts(c auth.Credentials) bool { return c.Has(auth.CredentialUsername) }

func (*gateBackend) Authenticate(ctx context.Context, r *http.Request, c auth.Credentials) (*auth.User, error) {
	if c[auth.CredentialUsername] == "blocked" {
		return nil, auth.ErrPermissionDenied
	}
	return nil, nil
}

// tokenBackend logs in the user named after "t-" in a token credential.
type tokenBackend struct {
	auth.BaseBackend
	db *orm.DB
}

func (*tokenBackend) Path() string { return "tests.TokenBackend" }

func (*tokenBackend) Accepts(c auth.Credentials) bool { return c.OnlyHas("token") }

func (b *tokenBackend) Authenticate(ctx context.Context, r *http.Request, c auth.Credentials) (*auth.User, error) {
	tok := c["token"]
	if len(tok) < 3 || tok[:2] != "t-" {
		return nil, nil
	}
	u, err := orm.Get[auth.User](ctx, orm.For[auth.User](b.db), orm.Q{"username": tok[2:]})
	if errors.Is(err, orm.ErrNotFound) {
		return nil, nil
	}
	return u, err
}

func (b *tokenBackend) GetUser(ctx context.Context, id int64) (*auth.User, error) {
	return orm.Get[auth.User](ctx, orm.For[auth.User](b.db), orm.Q{"pk": id})
}

// evenBackend grants shop.change_gadget on gadgets with an even id. It
// overrides only UserPermissions: BaseBackend's HasPerm must reach it.
type evenBackend struct{ auth.BaseBackend }

func (*evenBackend) Path() string { return "tests.EvenBackend" }

func (*evenBackend) UserPermissions(ctx context.Context, u *auth.User, obj any) (map[string]bool, error) {
	if g, ok := obj.(*Gadget); ok && u != nil && g.ID%2 == 0 {
		return map[string]bool{"shop.change_gadget": true}, nil
	}
	return map[string]bool{}, nil
}

// countingHasher is a cheap PBKDF2 hasher that counts Encode calls, to
// see when a password check runs.
type countingHasher struct {
	auth.PBKDF2SHA256
	encodes *atomic.Int64
}

func (h countingHasher) Encode(password, salt string) (string, error) {
	h.encodes.Add(1)
	return h.PBKDF2SHA256.Encode(password, salt)
}

func (h countingHasher) Verify(password, encoded string) (bool, error) {
	h.encodes.Add(1)
	return h.PBKDF2SHA256.Verify(password, encoded)
}

func TestAuthenticateBackendOrder(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		var encodes atomic.Int64
		hashers := auth.PasswordHashers{countingHasher{auth.PBKDF2SHA256{Iterations: 100}, &encodes}}
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: hashers,
			Backends: []auth.Backend{&gateBackend{}, &tokenBackend{db: db}, &auth.ModelBackend{}}})
		if err != nil {
			t.Fatal(err)
		}
		makeUser(t, a, db, "ann", true, false, true)
		makeUser(t, a, db, "blocked", true, false, true)
		cases := []struct {
			name     string
			creds    auth.Credentials
			user     string
			backend  string
			hashRuns int64
		}{
			{"password reaches the model backend", auth.PasswordCredentials("ann", "ann-pw"), "ann", auth.ModelBackendPath, 1},
			{"permission denied stops the search", auth.PasswordCredentials("blocked", "blocked-pw"), "", "", 0},
			{"token skips the password backends", auth.Credentials{"token": "t-ann"}, "ann", "tests.TokenBackend", 0},
			{"no password: the model backend is skipped", auth.Credentials{auth.CredentialUsername: "ann"}, "", "", 0},
			{"unknown username still runs the hasher", auth.PasswordCredentials("nobody", "x"), "", "", 1},
			{"wrong password", auth.PasswordCredentials("ann", "nope"), "", "", 1},
		}
		for _, c := range cases {
			encodes.Store(0)
			u, backend, err := a.Authenticate(ctx, nil, c.creds)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			got := ""
			if u != nil {
				got = u.Username
			}
			if got != c.user || backend != c.backend {
				t.Errorf("%s: user %q backend %q, want %q %q", c.name, got, backend, c.user, c.backend)
			}
			if n := encodes.Load(); n != c.hashRuns {
				t.Errorf("%s: the hasher ran %d times, want %d", c.name, n, c.hashRuns)
			}
		}
	})
}

func TestCredentialsCleansed(t *testing.T) {
	c := auth.Credentials{"username": "ann", "password": "pw", "api_token": "t", "otp": "123"}
	got := c.Cleansed()
	want := map[string]string{"username": "ann", "password": "********************", "api_token": "********************", "otp": "123"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
}

func TestBaseBackendGrantsNothing(t *testing.T) {
	ctx := context.Background()
	b := &auth.BaseBackend{}
	u := &auth.User{ID: 1, IsActive: true, IsSuperuser: true}
	if got, err := b.Authenticate(ctx, nil, auth.PasswordCredentials("a", "b")); got != nil || err != nil {
		t.Errorf("Authenticate = %v, %v", got, err)
	}
	if got, err := b.GetUser(ctx, 1); got != nil || err != nil {
		t.Errorf("GetUser = %v, %v", got, err)
	}
	for _, obj := range []any{nil, &Gadget{ID: 2}} {
		for name, fn := range map[string]func(context.Context, *auth.User, any) (map[string]bool, error){
			"UserPermissions": b.UserPermissions, "GroupPermissions": b.GroupPermissions, "AllPermissions": b.AllPermissions,
		} {
			if perms, err := fn(ctx, u, obj); len(perms) != 0 || err != nil {
				t.Errorf("%s(%v) = %v, %v", name, obj, perms, err)
			}
		}
		if ok, err := b.HasPerm(ctx, u, "shop.view_gadget", obj); ok || err != nil {
			t.Errorf("HasPerm(%v) = %v, %v", obj, ok, err)
		}
	}
}

func TestObjectPermissions(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap,
			Backends: []auth.Backend{&auth.ModelBackend{}, &evenBackend{}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.CreatePermissions(ctx); err != nil {
			t.Fatal(err)
		}
		clerk := makeUser(t, a, db, "clerk", true, false, true)
		lapsed := makeUser(t, a, db, "lapsed", true, true, false)
		root := makeUser(t, a, db, "root", true, true, true)
		perm, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](db), orm.Q{"codename": "view_gadget"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, clerk, "user_permissions", []int64{perm.ID}); err != nil {
			t.Fatal(err)
		}
		even, odd := &Gadget{ID: 4}, &Gadget{ID: 5}
		cases := []struct {
			u    *auth.User
			perm string
			obj  any
			want bool
		}{
			{clerk, "shop.view_gadget", nil, true},
			{clerk, "shop.view_gadget", odd, false}, // ModelBackend grants nothing on an object
			{clerk, "shop.change_gadget", nil, false},
			{clerk, "shop.change_gadget", even, true}, // evenBackend's UserPermissions reached
			{clerk, "shop.change_gadget", odd, false},
			{root, "shop.change_gadget", odd, true},
			{lapsed, "shop.view_gadget", nil, false},
			{nil, "shop.change_gadget", even, false},
		}
		for _, c := range cases {
			if got, err := a.HasPerm(ctx, c.u, c.perm, c.obj); err != nil || got != c.want {
				t.Errorf("%v HasPerm(%s, %v) = %v, %v", c.u, c.perm, c.obj, got, err)
			}
		}
		if ok, _ := a.HasPerms(ctx, clerk, []string{"shop.view_gadget", "shop.change_gadget"}, even); ok {
			t.Error("HasPerms on an object with only the model-wide view permission")
		}
		if ok, _ := a.HasPerms(ctx, clerk, []string{"shop.view_gadget"}, nil); !ok {
			t.Error("HasPerms(view) for the clerk")
		}
		all, _ := a.AllPermissions(ctx, clerk, even)
		if len(all) != 1 || !all["shop.change_gadget"] {
			t.Errorf("AllPermissions on an even gadget = %v", all)
		}
		if ok, _ := a.HasModulePerms(ctx, lapsed, "shop"); ok {
			t.Error("an inactive superuser has module permissions")
		}
	})
}

func TestPermissionsLoadedOncePerRequest(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.CreatePermissions(context.Background()); err != nil {
			t.Fatal(err)
		}
		clerk := makeUser(t, a, db, "clerk", true, false, true)
		var first, second int64
		h := a.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var qc orm.QueryCounter
			ctx := orm.WithQueryCounter(r.Context(), &qc)
			for _, p := range []string{"shop.view_gadget", "shop.add_gadget"} {
				if _, err := a.HasPerm(ctx, clerk, p, nil); err != nil {
					t.Error(err)
				}
			}
			first = qc.Count()
			_, _ = a.HasModulePerms(ctx, clerk, "shop")
			_, _ = a.HasPerm(ctx, clerk, "shop.change_gadget", nil)
			second = qc.Count() - first
		}))
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil))
		if first != 2 || second != 0 {
			t.Errorf("queries: %d for the first checks (want 2: user and group permissions), %d afterwards (want 0)", first, second)
		}
	})
}

func TestAllowAllUsersModelBackend(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		strict, _ := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		lax, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap, Backends: []auth.Backend{&auth.AllowAllUsersModelBackend{}}})
		if err != nil {
			t.Fatal(err)
		}
		off := makeUser(t, strict, db, "off", true, false, false)
		if u, _, _ := strict.Authenticate(ctx, nil, auth.PasswordCredentials("off", "off-pw")); u != nil {
			t.Error("ModelBackend authenticated an inactive user")
		}
		u, backend, err := lax.Authenticate(ctx, nil, auth.PasswordCredentials("off", "off-pw"))
		if err != nil || u == nil || backend != auth.AllowAllUsersModelBackendPath {
			t.Errorf("AllowAllUsersModelBackend: %v %q %v", u, backend, err)
		}
		if u, _ := lax.Backends()[0].GetUser(ctx, off.ID); u == nil {
			t.Error("AllowAllUsersModelBackend.GetUser refused an inactive user")
		}
		if u, _ := strict.Backends()[0].GetUser(ctx, off.ID); u != nil {
			t.Error("ModelBackend.GetUser returned an inactive user")
		}
	})
}

func TestLoginRecordsBackend(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		two := auth.Config{DB: db, SecretKey: "secret", Hashers: cheap, Backends: []auth.Backend{&auth.ModelBackend{}, &tokenBackend{db: db}}}
		e := newEnvWith(t, db, two)
		makeUser(t, e.a, db, "ann", true, false, true)
		b := e.browser(t)
		b.get("/token/t-ann")
		if got := b.get("/backend"); got != "tests.TokenBackend" {
			t.Errorf("session backend %q", got)
		}
		if got := b.get("/whoami"); got != "ann" {
			t.Errorf("whoami %q", got)
		}
		// Login without a backend is refused when several are configured.
		r := httptest.NewRequest("GET", "/", nil)
		if err := e.a.Login(r, &auth.User{ID: 1}, ""); err == nil {
			t.Error("Login chose a backend among two")
		}
		// The same session under a project that dropped the token backend
		// is anonymous.
		one := newEnvWith(t, db, auth.Config{DB: db, SecretKey: "secret", Hashers: cheap})
		req, _ := http.NewRequest("GET", one.srv.URL+"/whoami", nil)
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: b.cookie("sessionid")})
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		buf := make([]byte, 64)
		if n, _ := resp.Body.Read(buf); n != 0 {
			t.Errorf("a session of an unconfigured backend is logged in as %q", buf[:n])
		}
	})
}
