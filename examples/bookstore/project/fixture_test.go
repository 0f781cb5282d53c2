package project_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/project"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// migrated returns the example project on a new database of the dialect,
// migrated as the migrate command does: tables, content types and
// permissions.
func migrated(t *testing.T, dialect string) *staffroom.App {
	t.Helper()
	app, err := staffroom.New(project.Project(), staffroom.Config{Database: testdb.URL(t, dialect), SecretKey: "x",
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 1000}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	if _, err := app.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	return app
}

func dumpApp(t *testing.T, app *staffroom.App, opts orm.DumpOptions) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := app.DB.DumpData(context.Background(), &b, opts); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestDjangoFixture loads the fixture Django's dumpdata wrote, as it is,
// on every database; then a dump of it loads into another new database
// and dumps the same again.
func TestDjangoFixture(t *testing.T) {
	fixture, err := os.ReadFile(filepath.Join(testdb.FixtureDir(t), "bookstore-fixture.json"))
	if err != nil {
		t.Fatal(err)
	}
	var objects []json.RawMessage
	if err := json.Unmarshal(fixture, &objects); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			app := migrated(t, d)
			n, err := app.DB.LoadData(ctx, bytes.NewReader(fixture))
			if err != nil {
				t.Fatal(err)
			}
			if n != len(objects) {
				t.Errorf("loaded %d objects, want %d", n, len(objects))
			}
			checkBookstore(t, app)
			checkAuth(t, app)
			// Keys the database picks come after the loaded ones.
			p := &bookstore.Publisher{Name: "New House"}
			if err := app.DB.Insert(ctx, p); err != nil || p.ID != 6 {
				t.Errorf("insert after loaddata: id %d, %v", p.ID, err)
			}
			for _, opts := range []orm.DumpOptions{{}, {Indent: 1, NaturalForeign: true, NaturalPrimary: true}} {
				first := dumpApp(t, app, opts)
				other := migrated(t, d)
				if _, err := other.DB.LoadData(ctx, bytes.NewReader(first)); err != nil {
					t.Fatalf("%+v: loading the dump: %v", opts, err)
				}
				if second := dumpApp(t, other, opts); !bytes.Equal(first, second) {
					t.Errorf("%+v: the dump of the loaded dump differs:\n%s\nfirst:\n%s", opts, second, first)
				}
			}
		})
	}
}

func checkBookstore(t *testing.T, app *staffroom.App) {
	t.Helper()
	ctx := context.Background()
	b, err := orm.Get[bookstore.Book](ctx, orm.For[bookstore.Book](app.DB).SelectRelated("publisher"), orm.Q{"pk": 11})
	if err != nil {
		t.Fatal(err)
	}
	p, _ := b.Publisher.Get()
	if b.Name != "Planet Canyon Maple" || b.Pages != 440 || b.Price.StringFixed(2) != "42.66" || b.Rating != 4.8 ||
		b.Pubdate.Format("2006-01-02") != "2012-03-08" || p == nil || p.Name != "Lagoon Timber Publishing" {
		t.Errorf("book 11: %+v, publisher %+v", b, p)
	}
	if ids, err := app.DB.LoadM2M(ctx, b, "authors"); err != nil || len(ids) != 3 || ids[0] != 70 || ids[2] != 261 {
		t.Errorf("book 11's authors: %v, %v", ids, err)
	}
	s, err := orm.Get[bookstore.Store](ctx, orm.For[bookstore.Store](app.DB), orm.Q{"pk": 1})
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := app.DB.LoadM2M(ctx, s, "books"); len(ids) != 5 {
		t.Errorf("store 1's books: %v", ids)
	}
}

func checkAuth(t *testing.T, app *staffroom.App) {
	t.Helper()
	ctx := context.Background()
	g, err := orm.Get[auth.Group](ctx, orm.For[auth.Group](app.DB), orm.Q{"name": "editors"})
	if err != nil {
		t.Fatal(err)
	}
	perms, err := orm.All[auth.Permission](ctx, orm.For[auth.Permission](app.DB).Filter(orm.Q{"pk__in": mustM2M(t, app, g, "permissions")}))
	if err != nil || len(perms) != 2 || perms[0].Codename != "change_book" || perms[1].Codename != "view_book" {
		t.Errorf("editors' permissions: %v, %v", perms, err)
	}
	u, err := orm.Get[auth.User](ctx, orm.For[auth.User](app.DB), orm.Q{"username": "admin"})
	if err != nil {
		t.Fatal(err)
	}
	if !u.IsSuperuser || !u.IsStaff || u.Email != "admin@example.com" || u.LastLogin == nil ||
		u.LastLogin.Format("2006-01-02T15:04:05.000") != "2026-11-21T21:20:11.374" {
		t.Errorf("admin: %+v", u)
	}
	if ok, _ := auth.DefaultPasswordHashers().Check("admin", u.Password); !ok {
		t.Error("admin's Django password hash does not verify")
	}
	member := &auth.User{Username: "ed", IsActive: true}
	if err := app.DB.Insert(ctx, member); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.SetM2M(ctx, member, "groups", []int64{g.ID}); err != nil {
		t.Fatal(err)
	}
	if ok, err := app.Auth.HasPerm(ctx, member, "bookstore.change_book", nil); !ok || err != nil {
		t.Errorf("a member of editors cannot change books: %v", err)
	}
	if err := app.DB.Delete(ctx, member); err != nil {
		t.Fatal(err)
	}
}

func mustM2M(t *testing.T, app *staffroom.App, obj any, name string) []int64 {
	t.Helper()
	ids, err := app.DB.LoadM2M(context.Background(), obj, name)
	if err != nil {
		t.Fatal(err)
	}
	return ids
}
