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

// Lending and its proxy OverdueLending, as the Django library's Loan and
// OverdueLoan.
type Lending struct {
	ID       int64
	Returned bool
}

func (Lending) Meta() orm.Meta { return orm.Meta{Table: "lending_loan", VerboseName: "prêt"} }

type OverdueLending struct{ Lending }

func (OverdueLending) Meta() orm.Meta {
	return orm.Meta{Proxy: true, VerboseName: "overdue loan",
		DefaultFilter: func() orm.Expr { return orm.Q{"returned": false} }}
}

// TestProxyPermissions: a proxy model gets its own content type and its
// own four permissions, as Django's create_permissions makes them, and
// they grant nothing on the concrete model.
func TestProxyPermissions(t *testing.T) {
	reg := orm.NewRegistry()
	for _, app := range []orm.AppConfig{contenttype.App(), auth.App(), auth.ThrottleApp(), session.App(), {Name: "library", Models: []any{Lending{}, OverdueLending{}}}} {
		if _, err := reg.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, err := auth.New(auth.Config{DB: db, SecretKey: "s", Hashers: cheap})
		if err != nil {
			t.Fatal(err)
		}
		if err := a.CreatePermissions(ctx); err != nil {
			t.Fatal(err)
		}
		perms, err := orm.All[auth.Permission](ctx, orm.For[auth.Permission](db).Filter(orm.Q{"content_type__app_label": "library"}).SelectRelated("content_type").OrderBy("id"))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		cts := map[int64]string{}
		for _, p := range perms {
			ct, _ := p.ContentType.Get()
			cts[ct.ID] = ct.Model
			got = append(got, ct.Model+":"+p.Codename+":"+p.Name)
		}
		want := "lending:add_lending:Can add prêt|lending:change_lending:Can change prêt|lending:delete_lending:Can delete prêt|lending:view_lending:Can view prêt|" +
			"overduelending:add_overduelending:Can add overdue loan|overduelending:change_overduelending:Can change overdue loan|" +
			"overduelending:delete_overduelending:Can delete overdue loan|overduelending:view_overduelending:Can view overdue loan"
		if strings.Join(got, "|") != want {
			t.Errorf("permissions\n%s, want\n%s", strings.Join(got, "|"), want)
		}
		if len(cts) != 2 {
			t.Errorf("content types %v, want one for the loan and one for its proxy", cts)
		}

		desk := makeUser(t, a, db, "desk", true, false, true)
		view, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](db), orm.Q{"codename": "view_overduelending"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, desk, "user_permissions", []int64{view.ID}); err != nil {
			t.Fatal(err)
		}
		for perm, want := range map[string]bool{"library.view_overduelending": true, "library.view_lending": false, "library.change_overduelending": false} {
			if ok, err := a.HasPerm(ctx, desk, perm, nil); err != nil || ok != want {
				t.Errorf("HasPerm(%s) = %v, %v; want %v", perm, ok, err, want)
			}
		}
	})
}
