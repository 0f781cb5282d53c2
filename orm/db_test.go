package orm_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/orm"
)

// TestCheckURL refuses what Open could not use, naming the URL without
// its password.
func TestCheckURL(t *testing.T) {
	for _, c := range []struct {
		url, want string // want "" for a URL Open takes
	}{
		{"sqlite:shop.sqlite3", ""},
		{"sqlite:///tmp/shop.sqlite3", ""},
		{"sqlite::memory:", ""},
		{"postgres://u:pw@db:5432/shop?sslmode=disable", ""},
		{"mysql://u:pw@db/shop", ""},
		{"shop.sqlite3", `"shop.sqlite3": not a database URL (want sqlite:PATH`},
		{"postgress://u:hunter2@db/shop", `"postgress://u:xxxxx@db/shop": unsupported database "postgress"`},
		{"postgres://u:hun%zz@db/shop", `"postgres://u:xxxxx@db/shop": invalid URL escape "%zz"`},
		{"mysql://u:hunter2@db:3306", `"mysql://u:xxxxx@db:3306": no database name in the URL`},
		{"postgres:shop", `"postgres:shop": want postgres://host/db`},
	} {
		err := orm.CheckURL(c.url)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.url, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want %q", c.url, err, c.want)
		case err != nil && (strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "hun%zz")):
			t.Errorf("%s: the password shows: %v", c.url, err)
		}
	}
}

func TestRedact(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://u:secret@db/shop":   "postgres://u:xxxxx@db/shop",
		"postgres://u@db/shop":          "postgres://u@db/shop",
		"mysql://u:p@ss%w0rd@db/shop":   "mysql://u:xxxxx@db/shop",
		"mysql://u:a/b@db:3306/shop":    "mysql://u:xxxxx@db:3306/shop",
		"sqlite:/tmp/a@b:c.sqlite3":     "sqlite:/tmp/a@b:c.sqlite3",
		"postgres://db/shop?password=x": "postgres://db/shop?password=xxxxx",
	} {
		if got := orm.Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPostgresCustomPlans: with pgx's cached prepared statements, every
// execution is planned for its values (plan_cache_mode force_custom_plan),
// unless the URL sets the mode or prepares nothing.
func TestPostgresCustomPlans(t *testing.T) {
	base := os.Getenv("STAFFROOM_TEST_POSTGRES")
	if base == "" {
		t.Skip("STAFFROOM_TEST_POSTGRES is not set")
	}
	join := func(param string) string {
		if strings.Contains(base, "?") {
			return base + "&" + param
		}
		return base + "?" + param
	}
	for _, c := range []struct{ url, want string }{
		{base, "force_custom_plan"},
		{join("plan_cache_mode=auto"), "auto"},
		{join("default_query_exec_mode=simple_protocol"), "auto"},
	} {
		db, err := orm.Open(c.url, orm.NewRegistry(), orm.Options{})
		must(t, err)
		rows, err := db.QueryRaw(context.Background(), "SHOW plan_cache_mode")
		must(t, err)
		var got string
		for rows.Next() {
			must(t, rows.Scan(&got))
		}
		rows.Close()
		db.Close()
		if got != c.want {
			t.Errorf("%s: plan_cache_mode %s, want %s", orm.Redact(c.url), got, c.want)
		}
	}
}
