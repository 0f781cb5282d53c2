package staffroom_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The Django 3.2 project of testdata/django-interop: its SECRET_KEY, and
// the key of the live session its user desk left behind.
const (
	libraryKey     = "library-interop-fixed-insecure-key-7b1e4c9d2a60f8e35c0d9a4b6e2f1c87"
	librarySession = "5hqvcxm3jxdzonlvwal2wbq01kj7f1x9"
)

// libraryRows are the rows of testdata/django-interop/library-auth.json,
// for the values the tests compare with.
type libraryRow struct {
	Model  string          `json:"model"`
	PK     json.RawMessage `json:"pk"`
	Fields map[string]any  `json:"fields"`
}

func libraryRows(t *testing.T) []libraryRow {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "django-interop", "library-auth.json"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []libraryRow
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatal(err)
	}
	return rows
}

// djangoPassword returns the hash Django stored for a user of the fixture.
func djangoPassword(t *testing.T, username string) string {
	t.Helper()
	for _, r := range libraryRows(t) {
		if r.Model == "auth.user" && r.Fields["username"] == username {
			return r.Fields["password"].(string)
		}
	}
	t.Fatalf("no user %s in the fixture", username)
	return ""
}

// openLibrary serves, on the dialect's database, Staffroom's tables holding
// the rows the Django project wrote (content types with Django's ids, its
// users, its live session, its admin log), signed with its secret key.
func openLibrary(t *testing.T, dialect string, hashers auth.PasswordHashers) (*staffroom.App, *webtest.Client) {
	t.Helper()
	ctx := context.Background()
	app, err := staffroom.New(staffroom.Project{Name: "library"}, staffroom.Config{
		Database: testdb.URL(t, dialect), SecretKey: libraryKey, Hashers: hashers})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	// Django's rows go in first, as they were there first; then migrate
	// adds the content types and permissions of Staffroom's own models.
	if err := app.DB.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(filepath.Join("testdata", "django-interop", "library-auth.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if n, err := app.DB.LoadData(ctx, f); err != nil || n != 31 {
		t.Fatalf("loading Django's rows: %d objects, %v", n, err)
	}
	if _, err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	return app, webtest.New(t, app.Handler)
}

// storedPassword reads a user's password column.
func storedPassword(t *testing.T, app *staffroom.App, username string) string {
	t.Helper()
	u, err := orm.Get[auth.User](context.Background(), orm.For[auth.User](app.DB), orm.Q{"username": username})
	if err != nil {
		t.Fatal(err)
	}
	return u.Password
}

// logIn posts the admin's real login form.
func logIn(t *testing.T, c *webtest.Client, username, password string) {
	t.Helper()
	page := c.Get("/admin/login/?next=/admin/")
	resp := c.Submit(page, "#login-form", url.Values{"username": {username}, "password": {password}}, "")
	if resp.StatusCode != 302 || resp.Location() != "/admin/" {
		t.Fatalf("login of %s: %d to %q\n%s", username, resp.StatusCode, resp.Location(), resp.Body)
	}
}

// djangoClient is a browser holding the cookie of the session Django made.
func djangoClient(t *testing.T, base string) *webtest.Client {
	c := webtest.NewClient(t, base)
	c.SetCookie("sessionid", librarySession)
	return c
}

// expectDesk checks that the admin index is served to desk (Camille
// Martin), with her recent actions: the two entries Django's admin wrote
// for her, whose models this program does not have.
func expectDesk(t *testing.T, c *webtest.Client, when string) {
	t.Helper()
	resp := c.Get("/admin/")
	if resp.StatusCode != 200 {
		t.Fatalf("%s: Django's session for desk: %d to %q", when, resp.StatusCode, resp.Location())
	}
	if got := resp.Text("#user-tools strong"); got != "Camille" {
		t.Errorf("%s: the page greets %q, want desk's first name Camille", when, got)
	}
	want := [][3]string{
		{"changelink", "Printemps et feu → Noé Østergaard", "Overdueloan"},
		{"changelink", "Zoé François", "Member"},
	}
	checkRecentActions(t, resp, want)
}

// checkRecentActions compares the index's recent actions with want:
// class, text and type name of each; none links, since their models are
// not in this program.
func checkRecentActions(t *testing.T, resp *webtest.Response, want [][3]string) {
	t.Helper()
	var got [][3]string
	resp.Find("#recent-actions-module ul.actionlist li").Each(func(_ int, li *goquery.Selection) {
		class, _ := li.Attr("class")
		typ := strings.TrimSpace(li.Find(".mini").Text())
		li.Find(".visually-hidden, .mini").Remove()
		got = append(got, [3]string{class, strings.TrimSpace(li.Text()), typ})
		if li.Find("a").Length() != 0 {
			t.Errorf("recent action %q links to a model this program lacks", li.Text())
		}
	})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("recent actions:\n got %q\nwant %q", got, want)
	}
}

// TestBesideDjango32 serves a Django 3.2 project's rows with Django 3.2's
// hashers: logins through Staffroom keep every password hash byte for
// byte, so the session desk opened in Django stays valid, before and
// after Staffroom logins of desk and of another user; the session
// Staffroom writes is one Django decodes, and Django's admin log entries
// show as Django shows them.
func TestBesideDjango32(t *testing.T) {
	hashers, err := auth.DjangoHashers("3.2")
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			app, c := openLibrary(t, d, hashers)
			djangoDesk := djangoClient(t, c.URL)
			expectDesk(t, djangoDesk, "before any login")

			// desk logs in through Staffroom as well: same hash.
			logIn(t, webtest.NewClient(t, c.URL), "desk", "desk")
			if got, want := storedPassword(t, app, "desk"), djangoPassword(t, "desk"); got != want {
				t.Errorf("Staffroom's login changed desk's Django 3.2 hash:\n got %s\nwant %s", got, want)
			}
			expectDesk(t, djangoDesk, "after desk's Staffroom login")

			// Another user's login leaves desk's session alone too.
			adminClient := webtest.NewClient(t, c.URL)
			logIn(t, adminClient, "admin", "admin")
			if got, want := storedPassword(t, app, "admin"), djangoPassword(t, "admin"); got != want {
				t.Errorf("Staffroom's login changed admin's hash:\n got %s\nwant %s", got, want)
			}
			expectDesk(t, djangoDesk, "after admin's Staffroom login")

			// admin's recent actions: Django's entries on models this
			// program lacks, a deletion among them.
			resp := adminClient.Get("/admin/")
			if resp.StatusCode != 200 {
				t.Fatalf("admin's index: %d", resp.StatusCode)
			}
			checkRecentActions(t, resp, [][3]string{
				{"deletelink", "Océane Lefèvre wants Les vents", "Reservation"},
				{"changelink", "Bibliothèque Forney", "Branch"},
				{"changelink", "Czechia", "Country"},
			})

			// The session Staffroom wrote for admin, decoded as Django's
			// SessionStore decodes it, logs admin in for Django.
			var data string
			if err := app.DB.SQL().QueryRow(rebind(app, `SELECT session_data FROM django_session WHERE session_key = ?`),
				adminClient.Cookie("sessionid")).Scan(&data); err != nil {
				t.Fatal(err)
			}
			decoded, err := djangoSessionDecode(data, libraryKey)
			if err != nil {
				t.Fatalf("Django would not decode Staffroom's session %q: %v", data, err)
			}
			if decoded["_auth_user_id"] != "1" || decoded["_auth_user_backend"] != "django.contrib.auth.backends.ModelBackend" ||
				decoded["_auth_user_hash"] != djangoSessionAuthHash(djangoPassword(t, "admin"), libraryKey) {
				t.Errorf("Staffroom's session, as Django reads it: %v", decoded)
			}

			checkLogEntries(t, app)

			// What Staffroom's admin logs, Django reads: the content type
			// is Django's own row for auth.group (id 3), the change
			// message Django's JSON.
			page := adminClient.Get("/admin/auth/group/1/change/")
			if page.StatusCode != 200 {
				t.Fatalf("group change page: %d", page.StatusCode)
			}
			saved := adminClient.Submit(page, "#group_form", url.Values{"name": {"Circulation and returns desk"}}, "_save")
			if saved.StatusCode != 302 {
				t.Fatalf("saving the group: %d\n%s", saved.StatusCode, saved.Body)
			}
			if err := app.DB.SQL().QueryRow(rebind(app, `SELECT session_data FROM django_session WHERE session_key = ?`),
				adminClient.Cookie("sessionid")).Scan(&data); err != nil {
				t.Fatal(err)
			}
			// The success message waits in the session as Django's
			// SessionStorage keeps messages: a JSON text of
			// ["__json_message", is_safedata, level, message] lists.
			if decoded, err = djangoSessionDecode(data, libraryKey); err != nil {
				t.Fatal(err)
			}
			text, _ := decoded["_messages"].(string)
			var messages []any
			if err := json.Unmarshal([]byte(text), &messages); err != nil {
				t.Fatalf("messages %q: %v", decoded["_messages"], err)
			}
			wantMessages := []any{[]any{"__json_message", 1.0, 25.0,
				"The group “<a href=\"/admin/auth/group/1/change/\">Circulation and returns desk</a>” was changed successfully."}}
			if !reflect.DeepEqual(messages, wantMessages) || !strings.Contains(text, `\u201c`) {
				t.Errorf("messages in the session: %s", text)
			}
			var ct, user, flag int64
			var objectID, repr, message string
			if err := app.DB.SQL().QueryRow(`SELECT content_type_id, user_id, action_flag, object_id, object_repr, change_message FROM django_admin_log WHERE id = 8`).
				Scan(&ct, &user, &flag, &objectID, &repr, &message); err != nil {
				t.Fatal(err)
			}
			if ct != 3 || user != 1 || flag != 2 || objectID != "1" || repr != "Circulation and returns desk" ||
				message != `[{"changed": {"fields": ["Name"]}}]` {
				t.Errorf("Staffroom's log entry: ct %d user %d flag %d object %q repr %q message %s", ct, user, flag, objectID, repr, message)
			}
		})
	}
}

// TestDefaultHashersUpgradeDjango32 shows what the Django 3.2 hashers
// prevent: with Staffroom's default hashers (Django 5.2's) a login
// re-hashes the Django 3.2 password to 1,000,000 iterations, which ends
// the session desk had opened in Django (as it would end it in Django,
// whose next login of desk re-hashes back to 260,000).
func TestDefaultHashersUpgradeDjango32(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			app, c := openLibrary(t, d, nil)
			djangoDesk := djangoClient(t, c.URL)
			expectDesk(t, djangoDesk, "before any login")
			logIn(t, webtest.NewClient(t, c.URL), "desk", "desk")
			got := storedPassword(t, app, "desk")
			if !strings.HasPrefix(got, "pbkdf2_sha256$1000000$") {
				t.Fatalf("the default hashers kept %s; they upgrade to Django 5.2's 1,000,000 iterations", got)
			}
			if ok, upgrade := auth.DefaultPasswordHashers().Check("desk", got); !ok || upgrade {
				t.Errorf("the upgraded hash: ok=%v upgrade=%v", ok, upgrade)
			}
			if h32, _ := auth.DjangoHashers("3.2"); !h32[0].MustUpdate(got) {
				t.Error("Django 3.2 would keep a 1,000,000-iteration hash; it re-hashes it")
			}
			resp := djangoDesk.Get("/admin/")
			if resp.StatusCode != 302 || !strings.HasPrefix(resp.Location(), "/admin/login/") {
				t.Errorf("the session bound to the replaced hash still serves: %d", resp.StatusCode)
			}
		})
	}
}

// checkLogEntries reads the seven entries Django's admin wrote and renders
// them as Django's LogEntry does.
func checkLogEntries(t *testing.T, app *staffroom.App) {
	t.Helper()
	entries, err := orm.All[admin.LogEntry](context.Background(), orm.For[admin.LogEntry](app.DB).OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		id, ct   int64
		objectID string
		text     string
	}{
		{1, 8, "CZ", "Changed “Czechia” — Changed Name."},
		{2, 7, "f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b", "Changed “Bibliothèque Forney” — Changed Address. Changed Closes for opening hours “Monday 10:30–20:00”."},
		{3, 13, "1", "Deleted “Océane Lefèvre wants Les vents.”"},
		{4, 18, "301", "Added “Annie Ernaux”."},
		{5, 11, "1", "Changed “Après le lettre” — Changed Authors and Price."},
		{6, 10, "7", "Changed “Zoé François” — Changed Email. Added note “Nouvelle adresse e-mail donnée au guich…”."},
		{7, 19, "720", "Changed “Printemps et feu → Noé Østergaard” — Changed Returned at and Fine."},
	}
	if len(entries) != len(want) {
		t.Fatalf("%d log entries, want %d", len(entries), len(want))
	}
	for i, w := range want {
		e := entries[i]
		if e.ID != w.id || e.ContentType.ID != w.ct || e.ObjectID == nil || *e.ObjectID != w.objectID || e.String() != w.text {
			id := "<nil>"
			if e.ObjectID != nil {
				id = *e.ObjectID
			}
			t.Errorf("entry %d: ct %d, object %q, %q\nwant ct %d, object %q, %q", e.ID, e.ContentType.ID, id, e.String(), w.ct, w.objectID, w.text)
		}
	}
}

// rebind writes a query's ? placeholders as the database wants them.
func rebind(app *staffroom.App, q string) string {
	if app.DB.Dialect().Name() != "postgres" {
		return q
	}
	return strings.Replace(q, "?", "$1", 1)
}

// djangoSessionDecode decodes a django_session row's data as Django's
// SessionStore does (signing.loads with the JSON serializer and the salt
// "django.contrib.sessions.SessionStore"), written here from Django's
// documented format rather than with Staffroom's own signing code, so
// that it checks that code: base64url(payload, zlib-compressed when it
// starts with "."):base62 timestamp:base64url(HMAC-SHA256) with the key
// SHA-256(salt + "signer" + secret).
func djangoSessionDecode(data, secret string) (map[string]any, error) {
	i := strings.LastIndexByte(data, ':')
	if i < 0 {
		return nil, errors.New("no signature")
	}
	signed, sig := data[:i], data[i+1:]
	key := sha256.Sum256([]byte("django.contrib.sessions.SessionStore" + "signer" + secret))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(signed))
	if !hmac.Equal([]byte(sig), []byte(base64.RawURLEncoding.EncodeToString(mac.Sum(nil)))) {
		return nil, errors.New("bad signature")
	}
	j := strings.LastIndexByte(signed, ':')
	if j < 0 {
		return nil, errors.New("no timestamp")
	}
	payload := signed[:j]
	compressed := strings.HasPrefix(payload, ".")
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(payload, "."))
	if err != nil {
		return nil, err
	}
	if compressed {
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if raw, err = io.ReadAll(zr); err != nil {
			return nil, err
		}
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("payload %q: %w", raw, err)
	}
	return out, nil
}

// djangoSessionAuthHash is Django's get_session_auth_hash of a password
// hash: salted_hmac with the key salt
// "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
// SHA-256, in hex.
func djangoSessionAuthHash(password, secret string) string {
	key := sha256.Sum256([]byte("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash" + secret))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(password))
	return hex.EncodeToString(mac.Sum(nil))
}

// TestDjangoSessionDecoder checks the test's own decoder against sessions
// Django wrote: the library's live session (desk, bound to her stored
// hash) and the bookstore's vectors.
func TestDjangoSessionDecoder(t *testing.T) {
	for _, r := range libraryRows(t) {
		if r.Model != "sessions.session" {
			continue
		}
		got, err := djangoSessionDecode(r.Fields["session_data"].(string), libraryKey)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]any{"_auth_user_id": "2", "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
			"_auth_user_hash": djangoSessionAuthHash(djangoPassword(t, "desk"), libraryKey)}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("the library's session decodes to %v, want %v", got, want)
		}
		if _, err := djangoSessionDecode(r.Fields["session_data"].(string), "another key"); err == nil {
			t.Error("decoded under another key")
		}
	}
	var v struct {
		SecretKey string `json:"secret_key"`
		Sessions  []struct {
			SessionData string         `json:"session_data"`
			Decoded     map[string]any `json:"decoded"`
		} `json:"sessions"`
	}
	if err := json.Unmarshal(testdb.ReadFixture(t, "session-vectors.json"), &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Sessions) == 0 {
		t.Fatal("no session vectors")
	}
	for _, s := range v.Sessions {
		got, err := djangoSessionDecode(s.SessionData, v.SecretKey)
		if err != nil || !reflect.DeepEqual(got, s.Decoded) {
			t.Errorf("vector %q: %v, %v; want %v", s.SessionData, got, err, s.Decoded)
		}
	}
}

// TestPasswordHashersSetting sets the hashers on the command line and in
// STAFFROOM_PASSWORD_HASHERS: the flag wins, new passwords take the
// named Django version's iterations, and a setting that does not parse is
// a usage error before anything is touched.
func TestPasswordHashersSetting(t *testing.T) {
	dir := t.TempDir()
	dbURL := "sqlite:" + filepath.Join(dir, "w.sqlite3")
	env := map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SUPERUSER_PASSWORD": "s3cret pass"}

	code, out, _ := runMain(t, env, "help", "createsuperuser")
	if code != 0 || !strings.Contains(out, "--password-hashers ") || !strings.Contains(out, "STAFFROOM_PASSWORD_HASHERS") {
		t.Errorf("the usage does not tell of the hashers setting:\n%s", out)
	}
	for _, c := range []struct {
		args []string
		env  string
		want string
	}{
		{[]string{"--password-hashers", "django:2.2"}, "", `widgets: createsuperuser: --password-hashers: auth: unknown Django version "2.2"`},
		{nil, "pbkdf2_sha256:iterations=many", "widgets: createsuperuser: STAFFROOM_PASSWORD_HASHERS: auth: password hashers: pbkdf2_sha256: iterations must be a positive whole number"},
	} {
		e := map[string]string{"DATABASE_URL": dbURL, "STAFFROOM_SUPERUSER_PASSWORD": "s3cret pass", "STAFFROOM_PASSWORD_HASHERS": c.env}
		code, _, errs := runMain(t, e, append([]string{"createsuperuser", "--noinput", "--username", "boss"}, c.args...)...)
		if code != 2 || !strings.HasPrefix(errs, c.want) {
			t.Errorf("%v %q: exit %d, stderr %q; want 2, %q", c.args, c.env, code, errs, c.want)
		}
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("a hashers setting that does not parse left %v", names)
	}

	if code, _, errs := runMain(t, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	env["STAFFROOM_PASSWORD_HASHERS"] = "django:4.2"
	for _, c := range []struct {
		username string
		args     []string
		prefix   string
	}{
		{"flagged", []string{"--password-hashers", "django:3.2"}, "pbkdf2_sha256$260000$"},
		{"envset", nil, "pbkdf2_sha256$600000$"},
	} {
		code, _, errs := runMain(t, env, append([]string{"createsuperuser", "--noinput", "--username", c.username}, c.args...)...)
		if code != 0 {
			t.Fatalf("createsuperuser %s: %s", c.username, errs)
		}
		if got := users(t, dbURL)[c.username].Password; !strings.HasPrefix(got, c.prefix) {
			t.Errorf("%s's hash %s, want %s…", c.username, got, c.prefix)
		}
	}
}
