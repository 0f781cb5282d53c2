package orm_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// TestYearAndDateAsRanges: __year on a date or datetime column and __date
// on a datetime column compile to a range of the column itself, which an
// index serves, and give the rows the part would.
func TestYearAndDateAsRanges(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		_, books := seed(t, ctx, db) // published 2020-03-14, 2021-, 2022-, 2023-03-14
		late := time.Date(2024, 5, 1, 23, 59, 59, 999999000, time.UTC)
		early := time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC)
		newYear := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
		for _, when := range []time.Time{late, early, newYear} {
			w := when
			must(t, db.Insert(ctx, &Review{Book: orm.FK[Book](books[0].ID), Text: "t", Created: &w}))
		}
		bookCases := []struct {
			q    orm.Q
			want int64
		}{
			{orm.Q{"pubdate__year": 2021}, 1},
			{orm.Q{"pubdate__year": "2021"}, 1},
			{orm.Q{"pubdate__year__exact": 2019}, 0},
			{orm.Q{"pubdate__year__gt": 2021}, 2},
			{orm.Q{"pubdate__year__gte": 2021}, 3},
			{orm.Q{"pubdate__year__lt": 2021}, 1},
			{orm.Q{"pubdate__year__lte": 2021}, 2},
			{orm.Q{"pubdate__year__range": []int{2021, 2022}}, 2},
		}
		for _, c := range bookCases {
			qs := orm.For[Book](db).Filter(c.q)
			n, err := qs.Count(ctx)
			must(t, err)
			if n != c.want {
				t.Errorf("%v: %d books, want %d", c.q, n, c.want)
			}
			assertNoPart(t, qs, c.q)
		}
		reviewCases := []struct {
			q    orm.Q
			want int64
		}{
			{orm.Q{"created__date": "2024-05-01"}, 1},
			{orm.Q{"created__date": time.Date(2024, 5, 2, 15, 0, 0, 0, time.UTC)}, 1},
			{orm.Q{"created__date__gt": "2024-05-01"}, 2},
			{orm.Q{"created__date__lte": "2024-05-01"}, 1},
			{orm.Q{"created__date__range": []string{"2024-05-01", "2024-05-02"}}, 2},
			{orm.Q{"created__year": 2024}, 2},
			{orm.Q{"created__year__gte": 2025}, 1},
		}
		for _, c := range reviewCases {
			qs := orm.For[Review](db).Filter(c.q)
			n, err := qs.Count(ctx)
			must(t, err)
			if n != c.want {
				t.Errorf("%v: %d reviews, want %d", c.q, n, c.want)
			}
			assertNoPart(t, qs, c.q)
		}
		for _, bad := range []orm.Q{{"pubdate__year": "soon"}, {"pubdate__year": 0}, {"created__date": "May Day"}, {"pubdate__year__range": []int{2021}}} {
			if _, err := orm.For[Book](db).Filter(bad).Count(ctx); err == nil && !strings.HasPrefix(keyOf(bad), "created") {
				t.Errorf("%v: no error", bad)
			}
			if _, err := orm.For[Review](db).Filter(bad).Count(ctx); err == nil && strings.HasPrefix(keyOf(bad), "created") {
				t.Errorf("%v: no error", bad)
			}
		}
		// Other parts, and comparisons with an expression, still extract.
		sql, _, err := orm.For[Book](db).Filter(orm.Q{"pubdate__month": 3}).SQL()
		must(t, err)
		if !strings.Contains(strings.ToLower(sql), "pubdate") || strings.Contains(sql, ">=") {
			t.Errorf("month lookup: %s", sql)
		}
	})
}

func keyOf(q orm.Q) string {
	for k := range q {
		return k
	}
	return ""
}

// assertNoPart fails when the query computes a date part of the column.
func assertNoPart(t *testing.T, qs orm.QuerySet, q orm.Q) {
	t.Helper()
	sql, _, err := qs.SQL()
	must(t, err)
	low := strings.ToLower(sql)
	for _, fn := range []string{"strftime", "extract", "year(", "date(", "cast("} {
		if strings.Contains(low, fn) {
			t.Errorf("%v computes a part of every row: %s", q, sql)
		}
	}
}
