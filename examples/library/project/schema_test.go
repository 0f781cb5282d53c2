package project_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/library/project"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm/sqliteext"
)

// schema is SQLite's catalogue of db, one line an object in name order:
// type, name, table and the SQL that made it, as sqlite3's .schema prints
// them.
func schema(t *testing.T, db *sql.DB) map[string]string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, tbl_name, COALESCE(sql, '') FROM sqlite_master ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var typ, name, table, text string
		if err := rows.Scan(&typ, &name, &table, &text); err != nil {
			t.Fatal(err)
		}
		out[name] = typ + " " + table + "\n" + text
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestMigrateAdoptsDjangosDatabase: migrate on the Django project's own
// database changes nothing Django made — every table, index and
// constraint is byte for byte what it was — and adds only Staffroom's own
// tables.
func TestMigrateAdoptsDjangosDatabase(t *testing.T) {
	if err := sqliteext.Register(); err != nil {
		t.Fatal(err)
	}
	path := testdb.CopyFixture(t, "library-django.sqlite3")
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	before := schema(t, raw)
	app, err := staffroom.New(project.Project(), staffroom.Config{Database: "sqlite:" + path, SecretKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.DB.Close()
	if _, err := app.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	after := schema(t, raw)
	for name, was := range before {
		if now, ok := after[name]; !ok {
			t.Errorf("migrate dropped %s", name)
		} else if now != was {
			t.Errorf("migrate changed %s:\nbefore %s\nafter  %s", name, was, now)
		}
	}
	for name, now := range after {
		if _, ok := before[name]; !ok && !strings.Contains(now, "staffroom_") {
			t.Errorf("migrate added %s to Django's tables: %s", name, now)
		}
	}
}

// TestMigrateMakesDjangosSchema: on an empty SQLite database, migrate
// makes each of the library's tables and indexes exactly as Django's
// migrations made them — the same SQL, byte for byte — so the models
// declare every column, type, constraint and index Django's do.
func TestMigrateMakesDjangosSchema(t *testing.T) {
	if err := sqliteext.Register(); err != nil {
		t.Fatal(err)
	}
	django, err := sql.Open("sqlite", testdb.CopyFixture(t, "library-django.sqlite3"))
	if err != nil {
		t.Fatal(err)
	}
	defer django.Close()
	want := schema(t, django)
	path := t.TempDir() + "/library.sqlite3"
	app, err := staffroom.New(project.Project(), staffroom.Config{Database: "sqlite:" + path, SecretKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	defer app.DB.Close()
	if _, err := app.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	ours, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer ours.Close()
	got := schema(t, ours)
	n := 0
	for name, w := range want {
		table := strings.SplitN(strings.Fields(w)[1], "\n", 2)[0]
		if !strings.HasPrefix(table, "library_") && table != "lending_loan" {
			continue
		}
		n++
		if g, ok := got[name]; !ok {
			t.Errorf("migrate made no %s:\n%s", name, w)
		} else if g != w {
			t.Errorf("%s differs:\nDjango's %s\nours     %s", name, w, g)
		}
	}
	if n < 40 {
		t.Errorf("only %d of the library's tables and indexes compared", n)
	}
}
