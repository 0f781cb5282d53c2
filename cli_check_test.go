package staffroom_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
)

// TestCheckCommand runs check on a clean project, on one with a warning
// and on one with errors in two admins, which it lists all at once.
func TestCheckCommand(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3")}
	code, out, errs := runMain(t, env, "check")
	if code != 0 || out != "System check identified no issues (0 silenced).\n" || errs != "" {
		t.Errorf("clean project: exit %d, stdout %q, stderr %q", code, out, errs)
	}

	p := testProject()
	p.Admin = func(site *admin.Site) error {
		return site.Register(Widget{}, &admin.ModelAdmin{ListDisplay: []any{"name", admin.Column("Shout", func(w *Widget) string { return w.Name })},
			SortableBy: []string{"Shout"}})
	}
	code, out, errs = runProject(t, p, env, "check")
	if code != 0 || errs != "" || !strings.Contains(out, "WARNINGS:\nwidgets.Widget: (staffroom.W001) The value of 'SortableBy[0]'") ||
		!strings.HasSuffix(out, "\nSystem check identified 1 issue (0 silenced).\n") {
		t.Errorf("warning: exit %d, stderr %q, stdout:\n%s", code, errs, out)
	}

	p.Admin = func(site *admin.Site) error {
		if err := site.Register(Widget{}, &admin.ModelAdmin{ListDisplay: []any{"nope"}, DateHierarchy: "name"}); err != nil {
			return err
		}
		return site.Register(admin.LogEntry{}, &admin.ModelAdmin{SearchFields: []string{"colour"}})
	}
	code, out, errs = runProject(t, p, env, "check")
	for _, want := range []string{
		"ERRORS:\n",
		"widgets.Widget: (admin.E108) The value of 'ListDisplay[0]' refers to 'nope'",
		"widgets.Widget: (admin.E128) The value of 'DateHierarchy' refers to 'name'",
		"admin.LogEntry: (admin.E126) The value of 'SearchFields[0]' refers to 'colour'",
		"\tHINT: ",
		"System check identified 3 issues (0 silenced).",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("errors: stdout lacks %q:\n%s", want, out)
		}
	}
	if code != 1 || !strings.Contains(errs, "check: 3 errors") {
		t.Errorf("errors: exit %d, stderr %q", code, errs)
	}
	if strings.Index(out, "admin.LogEntry") > strings.Index(out, "widgets.Widget") {
		t.Errorf("messages not sorted by model label:\n%s", out)
	}
}

// runProject runs a command line of project p as Main does.
func runProject(t *testing.T, p staffroom.Project, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs strings.Builder
	code = staffroom.RunMain(context.Background(), p, staffroom.Env{
		Args: args, Getenv: func(k string) string { return env[k] },
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs,
	})
	return code, out.String(), errs.String()
}

// TestServeShowsWarnings runs serve on a project with a check warning,
// which it reports on standard error before serving.
func TestServeShowsWarnings(t *testing.T) {
	p := testProject()
	p.Admin = func(site *admin.Site) error {
		return site.Register(Widget{}, &admin.ModelAdmin{ListDisplay: []any{admin.Column("Shout", func(w *Widget) string { return w.Name })},
			SortableBy: []string{"Shout"}})
	}
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "w.sqlite3"), "STAFFROOM_SECRET_KEY": "k"}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errs syncBuffer
	done := make(chan error, 1)
	go func() {
		done <- staffroom.Run(ctx, p, staffroom.Env{Args: []string{"serve", "--addr", "127.0.0.1:0"},
			Getenv: func(k string) string { return env[k] }, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs})
	}()
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(out.String(), "http://"); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s\n%s", out.String(), errs.String())
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errs.String(), "WARNINGS:\nwidgets.Widget: (staffroom.W001)") {
		t.Errorf("stderr lacks the warning:\n%s", errs.String())
	}
}

// TestMigrateAdminIndexes: check warns that a change list sorts by an
// unindexed column (staffroom.W003); migrate --admin-indexes creates the
// index, after which check is clean.
func TestMigrateAdminIndexes(t *testing.T) {
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(t.TempDir(), "i.sqlite3")}
	p := testProject()
	p.Admin = func(site *admin.Site) error {
		return site.Register(Widget{}, &admin.ModelAdmin{Ordering: []string{"-name"}})
	}
	if code, _, errs := runProject(t, p, env, "migrate"); code != 0 {
		t.Fatalf("migrate: %d %s", code, errs)
	}
	code, out, _ := runProject(t, p, env, "check")
	if code != 0 || !strings.Contains(out, "widgets.Widget: (staffroom.W003)") || !strings.Contains(out, "migrate --admin-indexes") {
		t.Fatalf("check before: %d\n%s", code, out)
	}
	code, out, errs := runProject(t, p, env, "migrate", "--admin-indexes")
	if code != 0 || !strings.Contains(out, "Created the index widgets_widget_name_") || !strings.Contains(out, "for Ordering") {
		t.Fatalf("migrate --admin-indexes: %d %q %q", code, out, errs)
	}
	if code, out, _ := runProject(t, p, env, "check"); code != 0 || out != "System check identified no issues (0 silenced).\n" {
		t.Errorf("check after: %d\n%s", code, out)
	}
	if _, out, _ := runProject(t, p, env, "migrate", "--admin-indexes"); strings.Contains(out, "Created the index") {
		t.Errorf("a second run created again: %s", out)
	}
}
