package orm

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// existsEachWhole is ExistsEach's statement compiled the plain way: each
// EXISTS is the query with one more Filter, compiled from scratch.
func existsEachWhole(q QuerySet, loc *time.Location, conds []Expr) (string, []any, error) {
	var args []any
	parts := make([]string, len(conds))
	for i, cond := range conds {
		c := newCompiler(q.db, q.model)
		c.loc, c.args = loc, args
		sub := q.Filter(cond)
		if len(q.order) > 0 {
			sub = sub.Limit(1)
		}
		text, err := sub.compileKeys(c)
		if err != nil {
			return "", nil, err
		}
		args = c.args
		parts[i] = "EXISTS(" + text + ")"
	}
	return "SELECT " + strings.Join(parts, ", "), args, nil
}

// TestExistsEachSQLUnchanged: compiling the query's filters once for
// every condition gives the very statement and arguments compiling each
// EXISTS whole gives, on every dialect, for queries with several filters,
// joins, subqueries and zoned date parts.
func TestExistsEachSQLUnchanged(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	for _, d := range []Dialect{SQLite{}, Postgres{}, MySQL{}} {
		db, m := benchDB(t, d)
		base := db.Query(m)
		queries := map[string]QuerySet{
			"plain":    base,
			"ordered":  base.OrderBy("pubdate"),
			"filtered": base.Filter(Q{"publisher__id__exact": 3, "pages__gt": 100}).Filter(Q{"name__icontains": "garden"}).OrderBy("-pubdate", "id"),
			"joined":   base.Filter(Q{"publisher__name__startswith": "Copper", "rating__gte": 3.5}).OrderBy("publisher__name"),
			"excluded": base.Exclude(Q{"publisher__name": "X"}).Filter(Q{"price__lt": "30.00"}).OrderBy("pubdate"),
			"in":       base.Filter(Q{"id__in": base.Filter(Q{"pages__gt": 10}).OrderBy("pubdate").Limit(5)}).OrderBy("pubdate"),
			"zoned":    base.Filter(Q{"added__year": 2020, "pages__lte": 900}).OrderBy("added"),
		}
		conds := append(yearConds(3),
			Q{"added__month": 2, "added__day__gte": 3},
			Q{"publisher__name__iexact": "copper", "pages__range": []int{1, 500}},
			Or(Q{"pubdate__year": 2001}, Q{"name__in": []string{"a", "b"}}))
		for name, q := range queries {
			for _, loc := range []*time.Location{time.UTC, paris} {
				want, wantArgs, err := existsEachWhole(q, loc, conds)
				if err != nil {
					t.Fatalf("%s %s: %v", d.Name(), name, err)
				}
				got, gotArgs, err := q.existsEachSQL(loc, conds)
				if err != nil {
					t.Fatalf("%s %s: %v", d.Name(), name, err)
				}
				if got != want {
					t.Errorf("%s %s in %s:\n got %s\nwant %s", d.Name(), name, loc, got, want)
				}
				if !reflect.DeepEqual(gotArgs, wantArgs) {
					t.Errorf("%s %s in %s: args\n got %v\nwant %v", d.Name(), name, loc, gotArgs, wantArgs)
				}
			}
		}
	}
}

// TestHalfOpenRangesLikeQ: each of HalfOpenRanges' conditions is written
// as the Q of its two lookups is, with the same arguments, alone in a
// Filter and in ExistsEach, on every dialect, for a date, a zoned
// date-time and an integer.
func TestHalfOpenRangesLikeQ(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	day := func(y int) any { return time.Date(y, 1, 1, 0, 0, 0, 0, paris) }
	bounds := map[string][]any{
		"pubdate": {day(1990), day(1991), day(2000), day(2024)},
		"added":   {day(2020), time.Date(2020, 3, 29, 2, 30, 0, 0, paris), day(2021)},
		"pages":   {0, 100, int64(250), 1000},
	}
	for _, d := range []Dialect{SQLite{}, Postgres{}, MySQL{}} {
		db, m := benchDB(t, d)
		q := db.Query(m).Filter(Q{"publisher__id__exact": 3, "name__icontains": "garden"}).OrderBy("-pubdate")
		for path, bs := range bounds {
			ranges := HalfOpenRanges(path, bs...)
			if len(ranges) != len(bs)-1 {
				t.Fatalf("%d ranges of %d bounds", len(ranges), len(bs))
			}
			var maps []Expr
			for i := range ranges {
				maps = append(maps, Q{path + "__gte": bs[i], path + "__lt": bs[i+1]})
				got, gotArgs, err := q.Filter(ranges[i]).SQL()
				if err != nil {
					t.Fatal(err)
				}
				want, wantArgs, err := q.Filter(maps[i]).SQL()
				if err != nil {
					t.Fatal(err)
				}
				if got != want || !reflect.DeepEqual(gotArgs, wantArgs) {
					t.Errorf("%s %s range %d:\n got %s %v\nwant %s %v", d.Name(), path, i, got, gotArgs, want, wantArgs)
				}
			}
			for _, loc := range []*time.Location{time.UTC, paris} {
				got, gotArgs, err := q.existsEachSQL(loc, ranges)
				if err != nil {
					t.Fatal(err)
				}
				want, wantArgs, err := q.existsEachSQL(loc, maps)
				if err != nil {
					t.Fatal(err)
				}
				if got != want || !reflect.DeepEqual(gotArgs, wantArgs) {
					t.Errorf("%s %s in %s: ExistsEach\n got %s %v\nwant %s %v", d.Name(), path, loc, got, gotArgs, want, wantArgs)
				}
			}
		}
	}
	if HalfOpenRanges("pages", 1) != nil {
		t.Error("one bound made a range")
	}
}
