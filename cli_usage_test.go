package staffroom_test

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/internal/testdb"
)

// runMain runs a command line as Main does, returning the exit status,
// standard output and standard error.
func runMain(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errs strings.Builder
	code = staffroom.RunMain(context.Background(), testProject(), staffroom.Env{
		Args: args, Getenv: func(k string) string { return env[k] },
		Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errs,
	})
	return code, out.String(), errs.String()
}

// TestHelp lists every command with its flags, or one command's usage,
// on standard output, and exits 0.
func TestHelp(t *testing.T) {
	flags := staffroom.CommandFlags()
	for _, args := range [][]string{{"help"}, {"--help"}, {"-h"}, {"-help"}} {
		code, out, errs := runMain(t, nil, args...)
		if code != 0 || errs != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, errs)
		}
		for cmd, names := range flags {
			if !strings.Contains(out, "\n  "+cmd) {
				t.Errorf("%v: command %s not listed", args, cmd)
			}
			for _, f := range append(names, "database") {
				if !strings.Contains(out, "--"+f+" ") {
					t.Errorf("%v: flag --%s of %s not listed", args, f, cmd)
				}
			}
		}
		if !strings.Contains(out, "Exit status: 0 on success, 1 when the command fails, 2 when") {
			t.Errorf("%v: exit statuses not documented:\n%s", args, out)
		}
	}
	for cmd, names := range flags {
		for _, args := range [][]string{{"help", cmd}, {cmd, "--help"}, {cmd, "-h"}} {
			code, out, errs := runMain(t, nil, args...)
			if code != 0 || errs != "" || !strings.HasPrefix(out, "Usage: widgets "+cmd) {
				t.Errorf("%v: exit %d, stderr %q, stdout:\n%s", args, code, errs, out)
			}
			for _, f := range append(names, "database") {
				if !strings.Contains(out, "--"+f+" ") {
					t.Errorf("%v: flag --%s not listed:\n%s", args, f, out)
				}
			}
		}
	}
}

// TestUsageErrors answers a command line that makes no sense with one
// line and a pointer to the help, exits 2, and touches nothing.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "w.sqlite3")}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--adr", "127.0.0.1:0"}, "widgets: serve: unknown flag --adr (did you mean --addr?)\nRun 'widgets help serve' for its usage.\n"},
		{[]string{"dumpdata", "--indnet", "2"}, "widgets: dumpdata: unknown flag --indnet (did you mean --indent?)\nRun 'widgets help dumpdata' for its usage.\n"},
		{[]string{"migrate", "--books", "3"}, "widgets: migrate: unknown flag --books (a flag of seed)\nRun 'widgets help migrate' for its usage.\n"},
		{[]string{"seed", "--books", "many"}, "widgets: seed: invalid value \"many\" for flag -books: parse error\nRun 'widgets help seed' for its usage.\n"},
		{[]string{"migarte"}, "widgets: unknown command \"migarte\" (did you mean migrate?)\nRun 'widgets help' for the commands.\n"},
		{[]string{"help", "frobnicate"}, "widgets: unknown command \"frobnicate\"\nRun 'widgets help' for the commands.\n"},
		{[]string{"changepassword"}, "widgets: changepassword: missing USERNAME\nRun 'widgets help changepassword' for its usage.\n"},
		{[]string{"migrate", "now"}, "widgets: migrate: takes no arguments, got [\"now\"]\nRun 'widgets help migrate' for its usage.\n"},
	} {
		code, out, errs := runMain(t, env, c.args...)
		if code != 2 || out != "" || errs != c.want {
			t.Errorf("%v: exit %d, stdout %q, stderr:\n%s\nwant:\n%s", c.args, code, out, errs, c.want)
		}
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("a usage error left %v", names)
	}
}

// TestBadDatabaseURL names the URL's problem, without its password,
// before anything else; the exit status is 1.
func TestBadDatabaseURL(t *testing.T) {
	for _, c := range []struct {
		url, want string
	}{
		{"w.sqlite3", `the database URL from DATABASE_URL is wrong: orm: open "w.sqlite3": not a database URL (want sqlite:PATH`},
		{"postgress://boss:hunter2@db/shop", `orm: open "postgress://boss:xxxxx@db/shop": unsupported database "postgress"`},
		{"mysql://boss:hunter2@127.0.0.1:1", `orm: open "mysql://boss:xxxxx@127.0.0.1:1": no database name in the URL`},
		{"postgres://boss:hun%zz@db/shop", `orm: open "postgres://boss:xxxxx@db/shop": invalid URL escape "%zz"`},
	} {
		for _, args := range [][]string{{"--addr", "127.0.0.1:0"}, {"migrate"}} {
			code, _, errs := runMain(t, map[string]string{"DATABASE_URL": c.url}, args...)
			if code != 1 || !strings.Contains(errs, c.want) || strings.Contains(errs, "hun") || strings.Contains(errs, "SECRET_KEY") {
				t.Errorf("%s %v: exit %d, stderr %q, want %q", c.url, args, code, errs, c.want)
			}
		}
	}
	code, _, errs := runMain(t, nil, "migrate", "--database", "shop.sqlite3")
	if code != 1 || !strings.Contains(errs, "the database URL from --database is wrong") {
		t.Errorf("--database: exit %d, %q", code, errs)
	}
}

// TestServeBusyPort reports a port in use before it opens, migrates,
// seeds or makes a superuser or a key.
func TestServeBusyPort(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	dir := t.TempDir()
	env := map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "w.sqlite3")}
	code, out, errs := runMain(t, env, "serve", "--addr", ln.Addr().String())
	want := "widgets: serve: " + ln.Addr().String() + " is in use"
	if code != 1 || out != "" || !strings.HasPrefix(errs, want) {
		t.Errorf("exit %d, stdout %q, stderr %q, want %q", code, out, errs, want)
	}
	if names, _ := os.ReadDir(dir); len(names) != 0 {
		t.Errorf("a busy port still left %v", names)
	}
}

// TestNoKeyBesideFailedDatabase writes no secret key beside a database
// that does not open.
func TestNoKeyBesideFailedDatabase(t *testing.T) {
	dir := t.TempDir()
	notADatabase := filepath.Join(dir, "folder.sqlite3")
	if err := os.Mkdir(notADatabase, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{notADatabase, filepath.Join(dir, "missing", "w.sqlite3")} {
		code, _, errs := runMain(t, map[string]string{"DATABASE_URL": "sqlite:" + path}, "--addr", "127.0.0.1:0")
		if code != 1 || !strings.Contains(errs, "orm: open sqlite:"+path) {
			t.Errorf("%s: exit %d, %q", path, code, errs)
		}
		if _, err := os.Stat(path + ".secret"); !os.IsNotExist(err) {
			t.Errorf("%s: a key beside a database that did not open: %v", path, err)
		}
	}
	_, _, errs := runMain(t, map[string]string{"DATABASE_URL": "sqlite:" + filepath.Join(dir, "missing", "w.sqlite3")}, "migrate")
	if want := "(the folder " + filepath.Join(dir, "missing") + " does not exist)"; !strings.Contains(errs, want) {
		t.Errorf("a missing folder: %q, want %q", errs, want)
	}
}

// TestServerDatabaseWithoutKey runs the commands that neither sign nor
// serve on PostgreSQL and MySQL without a secret key; serve refuses to
// start without one and says how to set it.
func TestServerDatabaseWithoutKey(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		if dialect == "sqlite" {
			continue
		}
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			fixture := filepath.Join(dir, "widgets.json")
			if err := os.WriteFile(fixture, []byte(`[{"model": "widgets.widget", "pk": 5, "fields": {"name": "five"}}]`), 0o644); err != nil {
				t.Fatal(err)
			}
			env := map[string]string{"DATABASE_URL": testdb.URL(t, dialect)}
			for _, c := range []struct {
				args []string
				want string // on standard output
			}{
				{[]string{"migrate"}, "Migrated.\n"},
				{[]string{"loaddata", fixture}, "Installed 1 object(s) from 1 fixture(s)\n"},
				{[]string{"seed", "--books", "2"}, ""},
				{[]string{"dumpdata", "widgets"}, `{"model": "widgets.widget", "pk": 5, "fields": {"name": "five"}}`},
				{[]string{"inspectdb", "widgets_widget"}, "type WidgetsWidget struct {"},
			} {
				code, out, errs := runMain(t, env, c.args...)
				if code != 0 || !strings.Contains(out, c.want) {
					t.Errorf("%v: exit %d, stdout %q, stderr %q", c.args, code, out, errs)
				}
			}
			code, out, errs := runMain(t, env, "serve", "--addr", "127.0.0.1:0")
			if code != 1 || out != "" || !strings.Contains(errs, "serve signs sessions and password reset links, so it needs a secret key: set STAFFROOM_SECRET_KEY") {
				t.Errorf("serve without a key: exit %d, stdout %q, stderr %q", code, out, errs)
			}
		})
	}
}
