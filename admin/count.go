package admin

import (
	"context"

	"github.com/staffroom/staffroom/orm"
)

// DefaultExactCountLimit is the number of rows a change list counts
// exactly at most, unless ExactCountLimit says otherwise.
const DefaultExactCountLimit = 100_000

// CountKind tells how a Paginator's Count was reached.
type CountKind int

const (
	// CountExact is a count of every row.
	CountExact CountKind = iota
	// CountEstimated is the database's estimate, from its statistics.
	CountEstimated
	// CountAtLeast is a lower bound: there are more rows than the limit,
	// and the database has no estimate (Count is the limit plus one).
	CountAtLeast
)

// CountKinder is implemented by a Paginator whose Count may be an
// estimate; the change list then says so and offers an exact count.
// Without it a count is exact.
type CountKinder interface {
	CountKind() CountKind
}

// countBounded counts qs, Django's paginator.count, but never counts more
// than limit rows (a negative limit counts them all): past it, the answer
// is the database's estimate, or limit+1 as a lower bound when it has
// none or its estimate is too low to be believed. A change list of ten
// million rows thus costs a bounded scan and a catalog read, not a full
// count — which Django's admin pays twice per page.
func countBounded(ctx context.Context, qs orm.QuerySet, limit int64) (int64, CountKind, error) {
	if limit < 0 {
		n, err := qs.Count(ctx)
		return n, CountExact, err
	}
	if db := qs.DB(); db != nil && (db.Dialect().Name() != "sqlite" || qs.Filtered()) {
		// PostgreSQL's and MySQL's estimates come from statistics kept for
		// the purpose (PostgreSQL's planner estimates a filtered query
		// too), SQLite's of a filtered query from a sample of the table's
		// rows: past the limit by their word, not even the bounded count
		// is made. SQLite's estimate of a whole table without ANALYZE is
		// the largest key, an upper bound that deleted rows leave high, so
		// there the bounded count comes first. A planner's estimate of a
		// filtered query is a guess on a table never analysed (hundreds of
		// rows for four), so it counts only when the table itself is
		// known big.
		if table, ok, err := db.Query(qs.Model()).Estimate(ctx); err == nil && ok && table > limit {
			if est, ok, err := qs.Estimate(ctx); err == nil && ok && est > limit {
				return est, CountEstimated, nil
			}
		}
	}
	n, more, err := qs.CountUpTo(ctx, limit)
	if err != nil || !more {
		return n, CountExact, err
	}
	est, ok, err := qs.Estimate(ctx)
	if err != nil {
		return 0, CountExact, err
	}
	if ok && est > limit {
		return est, CountEstimated, nil
	}
	return limit + 1, CountAtLeast, nil
}

// exactCountLimit is the admin's ExactCountLimit for the request: none
// when the change list asks for an exact count ("_count=exact").
func (a *ModelAdmin) exactCountLimit(exact bool) int64 {
	switch {
	case exact || a.ExactCountLimit < 0:
		return -1
	case a.ExactCountLimit > 0:
		return int64(a.ExactCountLimit)
	}
	return DefaultExactCountLimit
}
