package orm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type GadgetV1 struct {
	ID   int64
	Name string `orm:"max_length=300"`
}

func (GadgetV1) Meta() orm.Meta { return orm.Meta{Table: "shop_gadget"} }

type GadgetShorter struct {
	ID   int64
	Name string `orm:"max_length=100"`
}

func (GadgetShorter) Meta() orm.Meta { return orm.Meta{Table: "shop_gadget"} }

type GadgetRetyped struct {
	ID   int64
	Name int64
}

func (GadgetRetyped) Meta() orm.Meta { return orm.Meta{Table: "shop_gadget"} }

type GadgetMore struct {
	ID     int64
	Name   string  `orm:"max_length=400"`
	Note   *string `orm:"type=text"`
	Stock  int32   `orm:"default=5"`
	Active bool    `orm:"default=true,db_index"`
}

func (GadgetMore) Meta() orm.Meta { return orm.Meta{Table: "shop_gadget"} }

type GadgetStrict struct {
	ID     int64
	Name   string `orm:"max_length=300"`
	Serial string `orm:"max_length=20"`
}

func (GadgetStrict) Meta() orm.Meta { return orm.Meta{Table: "shop_gadget"} }

func gadgetRegistry(t *testing.T, model any) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "shop", Models: []any{model}}); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestMigrateChanges(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url := testdb.URL(t, dialect)
			open := func(model any) *orm.DB {
				t.Helper()
				db, err := orm.Open(url, gadgetRegistry(t, model), orm.Options{})
				must(t, err)
				t.Cleanup(func() { db.Close() })
				return db
			}
			v1 := open(GadgetV1{})
			must(t, v1.Migrate(ctx))
			must(t, v1.Insert(ctx, &GadgetV1{Name: "first"}))
			plan, err := v1.Plan(ctx)
			must(t, err)
			if len(plan) != 0 {
				t.Errorf("a migrated database plans %d more changes", len(plan))
			}
			for model, want := range map[any]string{
				GadgetShorter{}: "declares max_length=100; shortening it could cut data",
				GadgetRetyped{}: "changing it could lose data",
				GadgetStrict{}:  "has 1 rows and no column serial",
			} {
				err := open(model).Migrate(ctx)
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("%T: %v, want an error saying %q", model, err, want)
				}
			}
			more := open(GadgetMore{})
			must(t, more.Migrate(ctx))
			g, err := orm.Get[GadgetMore](ctx, orm.For[GadgetMore](more), orm.Q{"name": "first"})
			must(t, err)
			if g.Note != nil || g.Stock != 5 || !g.Active {
				t.Errorf("added columns read %+v", g)
			}
			rows, err := more.QueryRaw(ctx, "SELECT "+more.Dialect().Quote("name")+" FROM "+more.Dialect().Quote("staffroom_migrations")+" ORDER BY "+more.Dialect().Quote("id"))
			must(t, err)
			var applied []string
			for rows.Next() {
				var s string
				must(t, rows.Scan(&s))
				applied = append(applied, s)
			}
			rows.Close()
			got := strings.Join(applied, "; ")
			for _, want := range []string{"create table shop_gadget", "add column shop_gadget.note", "add column shop_gadget.stock", "create index shop_gadget_active_"} {
				if !strings.Contains(got, want) {
					t.Errorf("record lacks %q: %s", want, got)
				}
			}
		})
	}
}
