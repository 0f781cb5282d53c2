package orm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Hold is a reservation: one open hold per reader and copy, any number
// of closed ones (Django's UniqueConstraint with a condition).
type Hold struct {
	ID     int64
	Reader int64  `orm:"type=integer"`
	Copy   int64  `orm:"type=integer"`
	Status string `orm:"max_length=10"`
}

func (Hold) Meta() orm.Meta {
	return orm.Meta{Constraints: []orm.UniqueConstraint{{Name: "one_open_hold", Fields: []string{"reader", "copy"},
		Condition: orm.Q{"status__in": []string{"waiting", "ready"}}}}}
}

// TestConditionalUniqueConstraint: migrate makes Django's partial unique
// index on SQLite and PostgreSQL — two open holds of one copy by one
// reader are refused, closed ones are not — and none on MySQL, as Django.
func TestConditionalUniqueConstraint(t *testing.T) {
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "desk", Models: []any{Hold{}}}); err != nil {
		t.Fatal(err)
	}
	must(t, reg.Ready())
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		must(t, db.Insert(ctx, &Hold{Reader: 1, Copy: 7, Status: "waiting"}))
		must(t, db.Insert(ctx, &Hold{Reader: 1, Copy: 7, Status: "fulfilled"}))
		must(t, db.Insert(ctx, &Hold{Reader: 1, Copy: 7, Status: "cancelled"}))
		must(t, db.Insert(ctx, &Hold{Reader: 2, Copy: 7, Status: "ready"}))
		err := db.Insert(ctx, &Hold{Reader: 1, Copy: 7, Status: "ready"})
		if partial := db.Dialect().Name() != "mysql"; partial != (err != nil) {
			t.Errorf("a second open hold: %v, want refused: %v", err, partial)
		}
		if db.Dialect().Name() == "sqlite" {
			rows, err := db.QueryRaw(ctx, "SELECT sql FROM sqlite_master WHERE name = 'one_open_hold'")
			must(t, err)
			var text string
			for rows.Next() {
				must(t, rows.Scan(&text))
			}
			rows.Close()
			if want := `CREATE UNIQUE INDEX "one_open_hold" ON "desk_hold" ("reader", "copy") WHERE "status" IN ('waiting', 'ready')`; text != want {
				t.Errorf("the index is\n%s\nwant\n%s", text, want)
			}
		}
	})
}

// Declarations a constraint may not make.
type (
	NoCondition  struct{ ID int64 }
	BadLookup    struct{ ID int64 }
	BadValue     struct{ ID int64 }
	UnknownField struct{ ID int64 }
)

func (NoCondition) Meta() orm.Meta {
	return orm.Meta{Constraints: []orm.UniqueConstraint{{Name: "u", Fields: []string{"id"}}}}
}
func (BadLookup) Meta() orm.Meta {
	return orm.Meta{Constraints: []orm.UniqueConstraint{{Name: "u", Fields: []string{"id"}, Condition: orm.Q{"id__icontains": "1"}}}}
}
func (BadValue) Meta() orm.Meta {
	return orm.Meta{Constraints: []orm.UniqueConstraint{{Name: "u", Fields: []string{"id"}, Condition: orm.Q{"id__gt": 1.5}}}}
}
func (UnknownField) Meta() orm.Meta {
	return orm.Meta{Constraints: []orm.UniqueConstraint{{Name: "u", Fields: []string{"nope"}, Condition: orm.Q{"id__gt": 1}}}}
}

func TestConstraintRefused(t *testing.T) {
	for _, c := range []struct {
		model any
		want  string
	}{
		{NoCondition{}, "needs a name, fields and a condition"},
		{BadLookup{}, `lookup "id__icontains" is not one a constraint may use`},
		{BadValue{}, "1.5 (float64) is not a string, an integer or a boolean"},
		{UnknownField{}, `names "nope", which is not a concrete field`},
	} {
		reg := orm.NewRegistry()
		_, err := reg.Register(orm.AppConfig{Name: "desk", Models: []any{c.model}})
		if err == nil {
			err = reg.Ready()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: %v, want %q", c.model, err, c.want)
		}
	}
}
