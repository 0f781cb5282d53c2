package staffroom_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"

	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

type Widget struct {
	ID   int64
	Name string `orm:"max_length=20"`
}

func testProject() staffroom.Project {
	return staffroom.Project{
		Name: "widgets",
		Apps: []orm.AppConfig{{Name: "widgets", Models: []any{Widget{}}}},
		Seed: func(ctx context.Context, db *orm.DB, opts staffroom.SeedOptions) error {
			n := max(opts.Books, 3)
			for i := range n {
				if err := db.Insert(ctx, &Widget{Name: "w" + string(rune('a'+i%26))}); err != nil {
					return err
				}
				if opts.Progress != nil {
					opts.Progress(i+1, n)
				}
			}
			return nil
		},
	}
}

type run struct {
	out, errs bytes.Buffer
	env       map[string]string
}

func (r *run) exec(t *testing.T, ctx context.Context, stdin string, args ...string) error {
	t.Helper()
	r.out.Reset()
	r.errs.Reset()
	return staffroom.Run(ctx, testProject(), staffroom.Env{
		Args: args, Getenv: func(k string) string { return r.env[k] },
		Stdin: strings.NewReader(stdin), Stdout: &r.out, Stderr: &r.errs,
	})
}

func users(t *testing.T, dbURL string) map[string]*auth.User {
	t.Helper()
	app, err := staffroom.New(testProject(), staffroom.Config{Database: dbURL, SecretKey: "x"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	all, err := orm.All[auth.User](context.Background(), orm.For[auth.User](app.DB))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*auth.User{}
	for _, u := range all {
		out[u.Username] = u
	}
	return out
}

func TestCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "w.sqlite3")
	r := &run{env: map[string]string{"DATABASE_URL": dbURL}}

	if err := r.exec(t, ctx, "", "migrate"); err != nil {
		t.Fatal(err, r.errs.String())
	}
	// Only the commands that sign or serve need a key, and make one.
	if _, err := os.Stat(filepath.Join(dir, "w.sqlite3.secret")); !os.IsNotExist(err) || strings.Contains(r.errs.String(), "key") {
		t.Errorf("migrate made a key: %v %q", err, r.errs.String())
	}
	// A long migration tells how far it has come; the last line is the
	// total, on standard error.
	if lines := strings.Split(strings.TrimSpace(r.errs.String()), "\n"); !regexp.MustCompile(`^migrate: (\d+)/(\d+) schema changes$`).MatchString(lines[len(lines)-1]) {
		t.Errorf("migrate's progress: %q", r.errs.String())
	} else if m := regexp.MustCompile(`(\d+)/(\d+)`).FindStringSubmatch(lines[len(lines)-1]); m[1] != m[2] {
		t.Errorf("migrate's last progress line is not the total: %q", lines[len(lines)-1])
	}
	if err := r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "boss", "--email", "b@x.io"); err == nil ||
		!strings.Contains(err.Error(), "STAFFROOM_SUPERUSER_PASSWORD") {
		t.Errorf("noinput without a password: %v", err)
	}
	r.env["STAFFROOM_SUPERUSER_PASSWORD"] = "s3cret pass"
	if err := r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "boss", "--email", "b@x.io"); err != nil {
		t.Fatal(err)
	}
	if err := r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "boss"); err == nil || !strings.Contains(err.Error(), "already taken") {
		t.Errorf("duplicate username: %v", err)
	}
	// A mismatch, then a refused password kept out (n), then a refused
	// password taken anyway (y).
	if err := r.exec(t, ctx, "clerk\nc@x.io\nlong pass one\nlong pass two\n12345678\n12345678\nn\npw one\npw one\ny\n", "createsuperuser"); err != nil {
		t.Fatal(err, r.errs.String())
	}
	for _, want := range []string{"Your passwords didn't match.", "This password is too common.\nThis password is entirely numeric.\n",
		"This password is too short. It must contain at least 8 characters.\n"} {
		if !strings.Contains(r.errs.String(), want) {
			t.Errorf("%q not reported: %q", want, r.errs.String())
		}
	}
	if got := strings.Count(r.out.String(), "Bypass password validation and create user anyway? [y/N]: "); got != 2 {
		t.Errorf("bypass asked %d times:\n%s", got, r.out.String())
	}
	r.env["STAFFROOM_SUPERUSER_PASSWORD"] = "chief"
	if err := r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "chief"); err == nil ||
		!strings.Contains(err.Error(), "This password is too short.") || !strings.Contains(err.Error(), "The password is too similar to the username.") {
		t.Errorf("a weak --noinput password: %v", err)
	}
	if err := r.exec(t, ctx, "new pass\nnew pass!\nclerk pw\nclerk pw\nnew pass\nnew pass\n", "changepassword", "clerk"); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(r.out.String(), "Passwords do not match. Please try again.") || !strings.Contains(r.errs.String(), "The password is too similar to the username.") {
		t.Errorf("changepassword refusals: %q %q", r.out.String(), r.errs.String())
	}
	if err := r.exec(t, ctx, "a\nb\nc\nd\ne\nf\n", "changepassword", "clerk"); err == nil || err.Error() != "Aborting password change for user 'clerk' after 3 attempts" {
		t.Errorf("three failures: %v", err)
	}
	if err := r.exec(t, ctx, "", "changepassword", "ghost"); err == nil {
		t.Error("changepassword of an unknown user passed")
	}
	hashers := auth.DefaultPasswordHashers()
	u := users(t, dbURL)
	if b := u["boss"]; b == nil || !b.IsSuperuser || !b.IsStaff || b.Email != "b@x.io" {
		t.Errorf("boss: %+v", b)
	} else if ok, _ := hashers.Check("s3cret pass", b.Password); !ok {
		t.Error("boss's password does not verify")
	}
	if c := u["clerk"]; c == nil || c.Email != "c@x.io" {
		t.Errorf("clerk: %+v", c)
	} else if ok, _ := hashers.Check("new pass", c.Password); !ok {
		t.Error("changepassword did not take")
	}
	if err := r.exec(t, ctx, "", "seed", "--books", "5"); err != nil {
		t.Fatal(err)
	}
	// Not a terminal: a line per report, the first and the last at least.
	if got := r.errs.String(); !strings.HasPrefix(got, "seed: 1/5 books\n") || !strings.HasSuffix(got, "seed: 5/5 books\n") {
		t.Errorf("seed's progress: %q", got)
	}
	if err := r.exec(t, ctx, "", "frobnicate"); err == nil {
		t.Error("an unknown command passed")
	}
}

// served is a running serve command.
type served struct {
	base string
	out  *syncBuffer
	stop func()
}

// startServe runs serve on a free port with the given environment and
// flags until the test stops it.
func startServe(t *testing.T, env map[string]string, flags ...string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	out := &syncBuffer{}
	go func() {
		done <- staffroom.Run(ctx, testProject(), staffroom.Env{
			Args: append([]string{"serve", "--addr", "127.0.0.1:0"}, flags...), Getenv: func(k string) string { return env[k] },
			Stdin: strings.NewReader(""), Stdout: out, Stderr: out,
		})
	}()
	s := &served{out: out}
	s.stop = func() {
		t.Helper()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(15 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if i := strings.Index(out.String(), "http://"); i >= 0 {
			s.base = strings.Fields(out.String()[i:])[0]
			return s
		}
	}
	cancel()
	t.Fatalf("serve did not start:\n%s", out.String())
	return nil
}

// TestServe runs serve on a free port: the first run migrates, seeds and
// creates the superuser with a printed password; cancelling the context
// (what Ctrl-C does) stops it cleanly.
func TestServe(t *testing.T) {
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")
	s := startServe(t, map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SECRET_KEY": "fixed"})
	resp, err := http.Get(s.base)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Request.URL.Path != "/admin/login/" {
		t.Errorf("anonymous visit ended at %s", resp.Request.URL)
	}
	if !strings.Contains(s.out.String(), "Created the superuser admin with the password ") {
		t.Errorf("no password printed:\n%s", s.out.String())
	}
	s.stop()
	if !strings.Contains(s.out.String(), "Stopped.") {
		t.Errorf("no clean stop:\n%s", s.out.String())
	}
	if u := users(t, dbURL)["admin"]; u == nil || !u.IsSuperuser {
		t.Error("no superuser admin")
	}
}

// TestSecretKeyFallbacks logs a user in under one key, then serves with
// a new key: the session survives only while the old key is listed in
// STAFFROOM_SECRET_KEY_FALLBACKS.
func TestSecretKeyFallbacks(t *testing.T) {
	ctx := context.Background()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")
	r := &run{env: map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SECRET_KEY": "old key", "STAFFROOM_SUPERUSER_PASSWORD": "a sturdy passphrase"}}
	if err := r.exec(t, ctx, "", "createsuperuser", "--noinput", "--username", "boss"); err != nil {
		t.Fatal(err)
	}
	app, err := staffroom.New(testProject(), staffroom.Config{Database: dbURL, SecretKey: "old key"})
	if err != nil {
		t.Fatal(err)
	}
	boss := users(t, dbURL)["boss"]
	s := app.Sessions.Session(ctx, "")
	s.Set(auth.SessionUserID, strconv.FormatInt(boss.ID, 10))
	s.Set(auth.SessionBackend, auth.ModelBackendPath)
	s.Set(auth.SessionHash, app.Auth.SessionAuthHash(boss))
	if err := s.Save(ctx); err != nil {
		t.Fatal(err)
	}
	app.Close()
	for _, c := range []struct {
		fallbacks string
		status    int
	}{{" other , old key ", 200}, {"", 302}} {
		srv := startServe(t, map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SECRET_KEY": "new key", "STAFFROOM_SECRET_KEY_FALLBACKS": c.fallbacks})
		req, _ := http.NewRequest("GET", srv.base, nil)
		req.AddCookie(&http.Cookie{Name: "sessionid", Value: s.Key()})
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != c.status {
			t.Errorf("fallbacks %q: %d, want %d", c.fallbacks, resp.StatusCode, c.status)
		}
		srv.stop()
	}
}

// TestClearSessions removes the expired sessions only.
func TestClearSessions(t *testing.T) {
	ctx := context.Background()
	dbURL := "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")
	r := &run{env: map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SECRET_KEY": "k"}}
	if err := r.exec(t, ctx, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	app, err := staffroom.New(testProject(), staffroom.Config{Database: dbURL, SecretKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	for key, expire := range map[string]time.Time{"expiredsession1": time.Now().Add(-time.Hour), "livesession12345": time.Now().Add(time.Hour)} {
		if err := app.DB.Insert(ctx, &session.Session{SessionKey: key, SessionData: "x", ExpireDate: expire}); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.exec(t, ctx, "", "clearsessions"); err != nil || r.out.String() != "Removed 1 expired session(s).\n" {
		t.Fatalf("clearsessions: %v %q", err, r.out.String())
	}
	left, err := orm.All[session.Session](ctx, orm.For[session.Session](app.DB))
	if err != nil || len(left) != 1 || left[0].SessionKey != "livesession12345" {
		t.Errorf("left %v %v", left, err)
	}
	r.env["STAFFROOM_SESSION_ENGINE"] = "signed_cookies"
	if err := r.exec(t, ctx, "", "clearsessions"); err == nil || !strings.Contains(err.Error(), "doesn't support clearing expired sessions") {
		t.Errorf("clearsessions with signed cookies: %v", err)
	}
}

// TestDataCommands loads, dumps and inspects through the command line.
func TestDataCommands(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	r := &run{env: map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "w.sqlite3"), "STAFFROOM_SECRET_KEY": "k"}}
	if err := r.exec(t, ctx, "", "migrate"); err != nil {
		t.Fatal(err)
	}
	fixture := filepath.Join(dir, "widgets.json")
	data := `[{"model": "widgets.widget", "pk": 5, "fields": {"name": "five"}},
		{"model": "auth.group", "pk": 1, "fields": {"name": "makers", "permissions": [["add_widget", "widgets", "widget"]]}}]`
	if err := os.WriteFile(fixture, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	stdin := `[{"model": "widgets.widget", "pk": 6, "fields": {"name": "six"}}]`
	if err := r.exec(t, ctx, stdin, "loaddata", fixture, "-"); err != nil {
		t.Fatal(err, r.errs.String())
	}
	if got := r.out.String(); got != "Installed 3 object(s) from 2 fixture(s)\n" {
		t.Errorf("loaddata said %q", got)
	}
	if got := r.errs.String(); !strings.HasSuffix(got, "loaddata: 2/2 fixtures, 3 objects\n") {
		t.Errorf("loaddata's progress: %q", got)
	}
	if err := r.exec(t, ctx, "", "dumpdata", "widgets"); err != nil {
		t.Fatal(err)
	}
	want := `[{"model": "widgets.widget", "pk": 5, "fields": {"name": "five"}}, {"model": "widgets.widget", "pk": 6, "fields": {"name": "six"}}]` + "\n"
	if got := r.out.String(); got != want {
		t.Errorf("dumpdata widgets:\n%s\nwant:\n%s", got, want)
	}
	out := filepath.Join(dir, "out.json")
	if err := r.exec(t, ctx, "", "dumpdata", "auth", "--indent", "2", "--natural-foreign", "--exclude", "auth.User",
		"--exclude", "auth.permission", "--output", out); err != nil {
		t.Fatal(err)
	}
	dumped, _ := os.ReadFile(out)
	wantGroup := "[\n  {\n    \"model\": \"auth.group\",\n    \"pk\": 1,\n    \"fields\": {\n      \"name\": \"makers\",\n" +
		"      \"permissions\": [\n        [\n          \"add_widget\",\n          \"widgets\",\n          \"widget\"\n        ]\n      ]\n    }\n  }\n]\n"
	if string(dumped) != wantGroup || r.out.Len() != 0 {
		t.Errorf("dumpdata --output wrote:\n%s\nwant:\n%s\nstdout: %q", dumped, wantGroup, r.out.String())
	}
	if err := r.exec(t, ctx, "", "inspectdb", "widgets_widget"); err != nil {
		t.Fatal(err)
	}
	if got := r.out.String(); !strings.Contains(got, "type WidgetsWidget struct {") || !strings.Contains(got, "Name string `orm:\"max_length=20\"`") {
		t.Errorf("inspectdb:\n%s", got)
	}
	seven := filepath.Join(dir, "seven.json")
	if err := os.WriteFile(seven, []byte(`[{"model": "widgets.widget", "pk": 7, "fields": {"name": "seven"}}]`), 0o644); err != nil {
		t.Fatal(err)
	}
	failures := []struct {
		args []string
		want string
	}{
		{[]string{"loaddata"}, "loaddata: missing FIXTURE..."},
		{[]string{"loaddata", filepath.Join(dir, "missing.json")}, "no such file"},
		{[]string{"loaddata", seven, "-"}, `-: orm: loaddata: want a JSON array of objects`},
		{[]string{"dumpdata", "nope", "--output", filepath.Join(dir, "bad.json")}, `orm: dumpdata: no installed app with label "nope"`},
		{[]string{"inspectdb", "nope"}, `orm: inspectdb: no table "nope"`},
	}
	for _, f := range failures {
		if err := r.exec(t, ctx, "{", f.args...); err == nil || !strings.Contains(err.Error(), f.want) {
			t.Errorf("%v: %v, want %q", f.args, err, f.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.json")); !os.IsNotExist(err) {
		t.Errorf("a failed dump left its file: %v", err)
	}
	// The failed loads left nothing: seven.json was in the same
	// transaction as the bad standard input.
	if err := r.exec(t, ctx, "", "dumpdata", "widgets"); err != nil || r.out.String() != want {
		t.Errorf("after failed loads: %q, %v", r.out.String(), err)
	}
}
