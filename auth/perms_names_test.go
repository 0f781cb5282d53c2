package auth_test

import (
	"context"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// LogBook's verbose name comes from its Go name, SparePart's from Meta.
type LogBook struct{ ID int64 }

type SparePart struct{ ID int64 }

func (SparePart) Meta() orm.Meta { return orm.Meta{VerboseName: "spare"} }

// TestPermissionNames: Django's "Can <action> <verbose_name>", never
// the model name ("Can add logbook"); rows already there, such as a
// Django database's, are kept as they are.
func TestPermissionNames(t *testing.T) {
	reg := orm.NewRegistry()
	for _, app := range []orm.AppConfig{contenttype.App(), auth.App(), auth.ThrottleApp(), session.App(), {Name: "yard", Models: []any{LogBook{}, SparePart{}}}} {
		if _, err := reg.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, _ := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		m, err := reg.GetModel("yard.sparepart")
		if err != nil {
			t.Fatal(err)
		}
		ct, err := contenttype.New(db).ForModel(ctx, m)
		if err != nil {
			t.Fatal(err)
		}
		kept := &auth.Permission{ContentType: orm.FK[contenttype.ContentType](ct.ID), Codename: "add_sparepart", Name: "Can add spare part (renamed by hand)"}
		if err := db.Insert(ctx, kept); err != nil {
			t.Fatal(err)
		}
		if err := a.CreatePermissions(ctx); err != nil {
			t.Fatal(err)
		}
		perms, err := orm.All[auth.Permission](ctx, orm.For[auth.Permission](db).Filter(orm.Q{"content_type__app_label": "yard"}).OrderBy("id"))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, p := range perms {
			names = append(names, p.Name)
		}
		want := "Can add spare part (renamed by hand)|Can add log book|Can change log book|Can delete log book|Can view log book|Can change spare|Can delete spare|Can view spare"
		if got := strings.Join(names, "|"); got != want {
			t.Errorf("permissions\n%s, want\n%s", got, want)
		}
	})
}
