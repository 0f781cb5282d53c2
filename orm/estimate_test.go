package orm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

func TestCountUpToAndEstimate(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		for i := range 30 {
			must(t, db.Insert(ctx, &Publisher{Name: fmt.Sprintf("P%02d", i)}))
		}
		pubs := orm.For[Publisher](db)
		for _, c := range []struct {
			qs    orm.QuerySet
			limit int64
			n     int64
			more  bool
		}{
			{pubs, 10, 10, true},
			{pubs, 29, 29, true},
			{pubs, 30, 30, false},
			{pubs, 1000, 30, false},
			{pubs, 0, 0, true},
			{pubs.Filter(orm.Q{"name__startswith": "P1"}), 5, 5, true},
			{pubs.Filter(orm.Q{"name__startswith": "P1"}), 10, 10, false},
			{pubs.Filter(orm.Q{"name": "nope"}), 10, 0, false},
		} {
			n, more, err := c.qs.CountUpTo(ctx, c.limit)
			must(t, err)
			if n != c.n || more != c.more {
				t.Errorf("CountUpTo(%d) = %d, %v; want %d, %v", c.limit, n, more, c.n, c.more)
			}
		}
		if _, _, err := pubs.Limit(3).CountUpTo(ctx, 10); err == nil {
			t.Error("CountUpTo of a sliced query gave no error")
		}

		analyze := map[string]string{"sqlite": "ANALYZE", "postgres": "ANALYZE bookstore_publisher", "mysql": "ANALYZE TABLE bookstore_publisher"}[db.Dialect().Name()]
		if db.Dialect().Name() == "sqlite" {
			// Without statistics SQLite's estimate is the largest rowid.
			n, ok, err := pubs.Estimate(ctx)
			must(t, err)
			if !ok || n != 30 {
				t.Errorf("SQLite estimate without statistics = %d, %v; want 30", n, ok)
			}
		}
		_, err := db.Exec(ctx, analyze)
		must(t, err)
		n, ok, err := pubs.Estimate(ctx)
		must(t, err)
		if !ok || n < 15 || n > 60 {
			t.Errorf("%s estimate after ANALYZE = %d, %v; want about 30", db.Dialect().Name(), n, ok)
		}
		n, ok, err = pubs.Filter(orm.Q{"name__startswith": "P1"}).Estimate(ctx)
		must(t, err)
		if db.Dialect().Name() == "postgres" && (!ok || n < 1 || n > 30) {
			t.Errorf("PostgreSQL's planner estimate = %d, %v", n, ok)
		}
		if db.Dialect().Name() != "postgres" && ok {
			t.Errorf("%s gave an estimate for a filtered query: %d", db.Dialect().Name(), n)
		}
	})
}

// TestSQLiteSampleEstimate: SQLite estimates a filtered query of a big
// table from the share of its newest rows that pass, and gives none when
// too few of them pass to scale, or the table is too small to sample.
func TestSQLiteSampleEstimate(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		if db.Dialect().Name() != "sqlite" {
			return // PostgreSQL's planner estimates filtered queries (above); MySQL has none
		}
		ctx := context.Background()
		pubs := orm.For[Publisher](db)
		for i := range 20 {
			must(t, db.Insert(ctx, &Publisher{Name: fmt.Sprintf("Orchard %d", i)}))
		}
		orchards := pubs.Filter(orm.Q{"name__icontains": "ORCHARD"})
		if n, ok, err := orchards.Estimate(ctx); err != nil || ok {
			t.Errorf("a table of 20 rows was sampled: %d %v %v", n, ok, err)
		}
		// 150,000 more: every fourth an orchard, and "Early" only among
		// the first thousand.
		_, err := db.Exec(ctx, `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 150000)
INSERT INTO bookstore_publisher (name) SELECT CASE WHEN x % 4 = 0 THEN 'The orchard ' || x WHEN x < 1000 THEN 'Early ' || x ELSE 'Press ' || x END FROM n`)
		must(t, err)
		n, ok, err := orchards.Estimate(ctx)
		must(t, err)
		if want := int64(37_520); !ok || n < want*9/10 || n > want*11/10 {
			t.Errorf("estimate of the orchards = %d, %v; want about %d", n, ok, want)
		}
		if n, ok, err := pubs.Filter(orm.Q{"name__startswith": "Early"}).Estimate(ctx); err != nil || ok {
			t.Errorf("an estimate from a sample where none passes: %d %v %v", n, ok, err)
		}
		if n, ok, err := pubs.Filter(orm.Q{"name": "Press 149999"}).Estimate(ctx); err != nil || ok {
			t.Errorf("an estimate from one row passing: %d %v %v", n, ok, err)
		}
	})
}

// TestExistsEach: one statement answers, for each condition, whether a
// row of the query meets it too — the query's own filters and each
// condition's parameters numbered in turn.
func TestExistsEach(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		for i := range 30 {
			must(t, db.Insert(ctx, &Publisher{Name: fmt.Sprintf("P%02d", i)}))
		}
		counter := &orm.QueryCounter{}
		qs := orm.For[Publisher](db).Filter(orm.Q{"name__startswith": "P1"})
		got, err := qs.ExistsEach(orm.WithQueryCounter(ctx, counter),
			orm.Q{"name": "P12"}, orm.Q{"name": "P22"}, orm.Q{"name__gte": "P19"}, orm.Q{"name__in": []string{"P05", "P15"}})
		must(t, err)
		if want := []bool{true, false, true, true}; fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ExistsEach = %v, want %v", got, want)
		}
		if counter.Count() != 1 {
			t.Errorf("%d statements, want 1", counter.Count())
		}
		if got, err := qs.ExistsEach(ctx); err != nil || got != nil {
			t.Errorf("no conditions: %v %v", got, err)
		}
	})
}
