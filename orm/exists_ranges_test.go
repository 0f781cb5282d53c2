package orm_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// TestExistsEachRanges: the periods of HalfOpenRanges are answered as the
// same conditions written as Q maps are, on every dialect, for a date and
// a date-time field, plain, filtered and searched, ordered and not, in
// two time zones, with periods that hold rows and periods that do not.
// On PostgreSQL they are answered by one subquery over a VALUES list of
// the bounds, planned once (see existsRangesSQL).
func TestExistsEachRanges(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	testdb.Run(t, travelRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		// Trips in 2001, 2003, 2004 and 2007, one just before midnight
		// UTC on New Year's Eve: in Paris it starts in the next year.
		starts := []time.Time{
			time.Date(2001, 5, 1, 10, 0, 0, 0, time.UTC),
			time.Date(2003, 12, 31, 23, 30, 0, 0, time.UTC),
			time.Date(2004, 7, 14, 12, 0, 0, 0, time.UTC),
			time.Date(2007, 2, 28, 8, 0, 0, 0, time.UTC),
		}
		for i, s := range starts {
			day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, time.UTC)
			must(t, db.Insert(ctx, &Trip{Title: fmt.Sprintf("Trip %d to the orchard", i), Starts: s, Day: day,
				Price: decimal.NewFromInt(10), Seats: int16(i)}))
		}
		base := orm.For[Trip](db)
		queries := map[string]orm.QuerySet{
			"plain":    base,
			"ordered":  base.OrderBy("starts"),
			"filtered": base.Filter(orm.Q{"seats__gte": 1}).OrderBy("-day"),
			"searched": base.Filter(orm.Or(orm.Q{"title__icontains": "orchard"}, orm.Q{"seats": 9})).OrderBy("day"),
		}
		for _, loc := range []*time.Location{time.UTC, paris} {
			zctx := orm.WithTimeZone(ctx, loc)
			var bounds []any
			for y := 2000; y <= 2008; y++ {
				bounds = append(bounds, orm.StartOfDay(y, time.January, 1, loc))
			}
			for _, field := range []string{"day", "starts"} {
				var maps []orm.Expr
				for i := 1; i < len(bounds); i++ {
					maps = append(maps, orm.Q{field + "__gte": bounds[i-1], field + "__lt": bounds[i]})
				}
				for name, q := range queries {
					want, err := q.ExistsEach(zctx, maps...)
					must(t, err)
					counter := &orm.QueryCounter{Record: true}
					got, err := q.ExistsEach(orm.WithQueryCounter(zctx, counter), orm.HalfOpenRanges(field, bounds...)...)
					must(t, err)
					if fmt.Sprint(got) != fmt.Sprint(want) {
						t.Errorf("%s, %s in %s: ranges %v, maps %v", name, field, loc, got, want)
					}
					stmts := counter.Statements()
					if len(stmts) != 1 {
						t.Fatalf("%s: %d statements, want 1", name, len(stmts))
					}
					if values := strings.Contains(stmts[0].Query, "FROM (VALUES "); values != (db.Dialect().Name() == "postgres") {
						t.Errorf("%s on %s: VALUES list %v: %s", name, db.Dialect().Name(), values, stmts[0].Query)
					}
				}
			}
			// The periods held, as the data says: in Paris the trip of
			// New Year's Eve starts in 2004, on its UTC day in 2003.
			got, err := base.ExistsEach(zctx, orm.HalfOpenRanges("starts", bounds...)...)
			must(t, err)
			want := "[false true false true true false false true]"
			if loc == paris {
				want = "[false true false false true false false true]"
			}
			if fmt.Sprint(got) != want {
				t.Errorf("starts in %s: %v, want %v", loc, got, want)
			}
		}
	})
}
