package staffroom_test

import (
	"context"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// TestLoadtestCommand serves the project on a loopback port, logs a
// throwaway superuser in, requests the default paths and the given ones,
// prints a line of figures per path, and deletes the user.
func TestLoadtestCommand(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "l.sqlite3")}
	p := testProject()
	p.Admin = func(site *admin.Site) error {
		return site.Register(Widget{}, &admin.ModelAdmin{SearchFields: []string{"name"}})
	}
	if code, _, errs := runProject(t, p, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %s", errs)
	}
	code, out, errs := runProject(t, p, env, "loadtest", "-c", "2", "--duration", "150ms")
	if code != 0 {
		t.Fatalf("loadtest: exit %d, %s", code, errs)
	}
	row := regexp.MustCompile(`(?m)^(\S*)\s+([0-9.]+)\s+([0-9.]+)ms\s+([0-9.]+)ms\s+([0-9.]+)ms\s+([0-9.]+)ms\s+([0-9.]+)$`)
	rows := row.FindAllStringSubmatch(out, -1)
	var paths []string
	for _, r := range rows {
		paths = append(paths, r[1])
		if r[2] == "0.0" {
			t.Errorf("no request served for %q", r[1])
		}
	}
	// The index, and each registered model's change list (and first
	// object, the throwaway user being one).
	for _, want := range []string{"", "widgets/widget/", "auth/user/", "auth/user/1/change/"} {
		if !slices.Contains(paths, want) {
			t.Errorf("no line for %q in:\n%s", want, out)
		}
	}
	code, out, errs = runProject(t, p, env, "loadtest", "-c", "1", "--duration", "100ms", "widgets/widget/?q=x")
	if code != 0 || !strings.Contains(out, "widgets/widget/?q=x") {
		t.Errorf("given path: exit %d, %s\n%s", code, errs, out)
	}
	if code, _, errs := runProject(t, p, env, "loadtest", "--duration", "100ms", "nope/"); code == 0 || !strings.Contains(errs, "status 404") {
		t.Errorf("a missing page: exit %d, %q", code, errs)
	}
	// The throwaway users are gone.
	app, err := staffroom.New(p, staffroom.Config{Database: env["DATABASE_URL"], SecretKey: "k", Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 10}}})
	if err != nil {
		t.Fatal(err)
	}
	defer app.Close()
	if n, err := orm.For[auth.User](app.DB).Count(context.Background()); err != nil || n != 0 {
		t.Errorf("%d users left after the runs (%v)", n, err)
	}
}
