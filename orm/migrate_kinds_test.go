package orm_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// GearV1 and GearV2 are two versions of one table: migrating to the second
// adds NOT NULL columns to a table with rows, filled from the defaults.
type GearV1 struct {
	ID   int64
	Name string `orm:"max_length=20"`
}

func (GearV1) Meta() orm.Meta { return orm.Meta{Table: "shop_gear"} }

type GearV2 struct {
	ID     int64
	Name   string `orm:"max_length=20"`
	Active bool   `orm:"default=true"`
	Motto  string `orm:"max_length=40"`
	Since  time.Time
	Warmup time.Duration
	Serial uuid.UUID
	Level  uint16 `orm:"default=3"`
	Blob   []byte
}

var gearSerial = uuid.MustParse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")

func (GearV2) Meta() orm.Meta {
	return orm.Meta{Table: "shop_gear", Defaults: map[string]func() any{
		"motto":  func() any { return `it's a \ test` },
		"since":  func() any { return time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC) },
		"warmup": func() any { return 90 * time.Minute },
		"serial": func() any { return gearSerial },
		"blob":   func() any { return []byte{0, 1, 255} },
	}}
}

func TestMigrateAddsColumnsWithDefaults(t *testing.T) {
	for _, dialect := range testdb.Dialects() {
		t.Run(dialect, func(t *testing.T) {
			ctx := context.Background()
			url := testdb.URL(t, dialect)
			open := func(model any) *orm.DB {
				reg := orm.NewRegistry()
				if _, err := reg.Register(orm.AppConfig{Name: "shop", Models: []any{model}}); err != nil {
					t.Fatal(err)
				}
				db, err := orm.Open(url, reg, orm.Options{})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { db.Close() })
				if err := db.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return db
			}
			v1 := open(GearV1{})
			if err := v1.Insert(ctx, &GearV1{Name: "old"}); err != nil {
				t.Fatal(err)
			}
			v1.Close()
			v2 := open(GearV2{})
			g, err := orm.Get[GearV2](ctx, orm.For[GearV2](v2), orm.Q{"name": "old"})
			if err != nil {
				t.Fatal(err)
			}
			if !g.Active || g.Motto != `it's a \ test` || !g.Since.Equal(time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)) ||
				g.Warmup != 90*time.Minute || g.Serial != gearSerial || g.Level != 3 || !bytes.Equal(g.Blob, []byte{0, 1, 255}) {
				t.Errorf("defaults of the added columns: %+v", g)
			}
		})
	}
}
