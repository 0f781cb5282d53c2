package admin_test

import (
	"flag"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// blanks are what changes from run to run in a page: tokens, times,
// hashes of passwords and of static files.
var blanks = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`(name="csrfmiddlewaretoken" value=")[^"]*`), "${1}TOKEN"},
	{regexp.MustCompile(`static/[0-9a-f]{12}/`), "static/HASH/"},
	{regexp.MustCompile(`<bdi>[^<]*</bdi>`), "<bdi>HASH</bdi>"},
	{regexp.MustCompile(`[A-Z][a-z]{2}\.? \d{1,2}, \d{4}, (\d{1,2}(:\d{2})? [ap]\.m\.|midnight|noon)`), "TIME"},
	{regexp.MustCompile(`\d{4}-\d{2}-\d{2}`), "DATE"},
	{regexp.MustCompile(`\d{2}:\d{2}(:\d{2}(\.\d+)?)?`), "CLOCK"},
	{regexp.MustCompile(`/reset/[^/"]+/[^/"]+/`), "/reset/UID/TOKEN/"},
}

// golden compares a page with testdata/golden/<name>.html, or rewrites
// it with -update.
func golden(t *testing.T, name string, r *webtest.Response) {
	t.Helper()
	got := r.Body
	for _, b := range blanks {
		got = b.re.ReplaceAllString(got, b.with)
	}
	path := filepath.Join("testdata", "golden", name+".html")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./admin -run TestGoldenPages -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from %s (go test ./admin -run TestGoldenPages -update rewrites it):\n%s", name, path, firstDiff(string(want), got))
	}
}

// firstDiff shows the first line where two pages differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + key(int64(i+1)) + ":\nwant: " + wl + "\ngot:  " + gl
		}
	}
	return ""
}

// TestGoldenPages renders one page of every kind and compares it with
// its golden file; it also checks that every embedded page template is
// reachable, by recording the templates the pages used.
func TestGoldenPages(t *testing.T) {
	var rendered []string
	f := newFixture(t, "sqlite", func(s *admin.Site) error {
		admin.OnRender(s, func(page string) { rendered = append(rendered, page) })
		return registerNotes(s)
	})
	shelf := &Shelf{Name: "Top shelf"}
	f.insert(shelf)
	for _, title := range []string{"alpha", "beta", "gamma"} {
		f.insert(&Note{Title: title, Body: "About " + title})
	}
	c := f.root
	change := c.Get("/admin/notes/note/1/change/")
	c.Follow(c.Submit(change, "#note_form", url.Values{"body": {"Changed"}}, "_continue"))

	anon := webtest.New(t, f.app.Handler)
	pages := []struct {
		name string
		r    *webtest.Response
	}{
		{"login", anon.Get("/admin/login/?next=/admin/")},
		{"password_reset_form", anon.Get("/admin/password_reset/")},
		{"password_reset_done", anon.Get("/admin/password_reset/done/")},
		{"password_reset_confirm_invalid", anon.Get("/admin/reset/MQ/bad-token/")},
		{"password_reset_complete", anon.Get("/admin/reset/done/")},
		{"index", c.Get("/admin/")},
		{"app_index", c.Get("/admin/notes/")},
		{"change_list", c.Get("/admin/notes/note/?o=1")},
		{"change_list_search", c.Get("/admin/notes/note/?q=alpha")},
		{"add", c.Get("/admin/notes/note/add/")},
		{"change", c.Get("/admin/notes/note/1/change/")},
		{"delete_confirmation", c.Get("/admin/notes/shelf/1/delete/")},
		{"object_history", c.Get("/admin/notes/note/1/history/")},
		{"user_change", c.Get("/admin/auth/user/1/change/")},
		{"user_add", c.Get("/admin/auth/user/add/")},
		{"user_password", c.Get("/admin/auth/user/1/password/")},
		{"password_change_form", c.Get("/admin/password_change/")},
		{"password_change_done", c.Get("/admin/password_change/done/")},
		{"not_found", c.Get("/admin/nowhere/")},
		{"invalid_setup", c.Get("/admin/notes/note/?e=1&nope=1")},
		{"delete_selected_confirmation", c.Submit(c.Get("/admin/notes/note/"), "#changelist-form",
			url.Values{"action": {"delete_selected"}, "_selected_action": {"1", "2"}, "index": {"0"}}, "")},
	}
	other := f.staff("leaving")
	logout := other.Get("/admin/")
	pages = append(pages, struct {
		name string
		r    *webtest.Response
	}{"logged_out", other.Submit(logout, "#logout-form", nil, "")})
	pages = append(pages, struct {
		name string
		r    *webtest.Response
	}{"two_factor", c.Get("/admin/two_factor/")})
	pages = append(pages, struct {
		name string
		r    *webtest.Response
	}{"popup_response", c.Submit(c.Get("/admin/notes/shelf/add/?_to_field=id&_popup=1"), "#shelf_form", url.Values{"name": {"Popup shelf"}}, "_save")})
	for _, p := range pages {
		t.Run(p.name, func(t *testing.T) { golden(t, p.name, p.r) })
	}
	renderTwoFactorPages(t, f)

	var files []string
	err := fs.WalkDir(admin.TemplateFS, ".", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, filepath.Base(path))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if name != "base.html" && !slices.Contains(admin.PageNames(), name) {
			t.Errorf("the embedded template %s is not a page the site parses", name)
		}
	}
	for _, page := range admin.PageNames() {
		if !slices.Contains(rendered, page) {
			t.Errorf("no page renders the embedded template %s", page)
		}
	}
}

// renderTwoFactorPages goes through the two-factor pages whose content
// changes from run to run (a new secret, new codes), for the check that
// every template is reachable.
func renderTwoFactorPages(t *testing.T, f *fixture) {
	t.Helper()
	c := f.root
	enrolOnPage(t, c, c.Get("/admin/two_factor/setup/"), 0, url.Values{"password": {"pw"}})
	expectStatus(t, c.Get("/admin/two_factor/disable/"), 200)
	c.Submit(c.Get("/admin/"), "#logout-form", nil, "")
	passwordStep(c, "root", "")
	expectStatus(t, c.Get("/admin/login/verify/"), 200)
}
