package orm_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// guide is the data of the aggregation guide's examples: publishers A, B
// and C with books rated 4 and 5, 1 and 4, and 1.
type guide struct {
	pubs    map[string]*Publisher
	books   map[string]*Book
	authors map[string]*Author
	stores  map[string]*Store
}

func day(s string) time.Time {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return t
}

func seedGuide(t *testing.T, db *orm.DB) *guide {
	t.Helper()
	ctx := context.Background()
	g := &guide{pubs: map[string]*Publisher{}, books: map[string]*Book{}, authors: map[string]*Author{}, stores: map[string]*Store{}}
	for _, name := range []string{"A", "B", "C"} {
		p := &Publisher{Name: name}
		must(t, db.Insert(ctx, p))
		g.pubs[name] = p
	}
	for _, a := range []struct {
		key, name string
		age       int32
	}{{"ann", "Ann", 30}, {"bob", "Bob", 40}, {"cid", "Cid", 50}, {"ann2", "Ann", 60}} {
		au := &Author{Name: a.name, Age: a.age}
		must(t, db.Insert(ctx, au))
		g.authors[a.key] = au
	}
	books := []struct {
		name, pub, price, date string
		rating                 float64
		pages                  int32
		authors                []string
	}{
		{"Alpha", "A", "10.00", "2020-01-15", 4, 100, []string{"ann", "bob"}},
		{"Beta", "A", "20.00", "2020-06-15", 5, 200, []string{"ann"}},
		{"Gamma", "B", "30.00", "2021-02-01", 1, 300, []string{"cid"}},
		{"Delta", "B", "40.50", "2021-02-20", 4, 400, []string{"bob", "cid", "ann2"}},
		{"Epsilon", "C", "50.00", "2022-12-31", 1, 500, nil},
	}
	for _, b := range books {
		bk := &Book{Name: b.name, Pages: b.pages, Price: decimal.RequireFromString(b.price), Rating: b.rating,
			Pubdate: day(b.date), Publisher: orm.FK[Publisher](g.pubs[b.pub].ID)}
		must(t, db.Insert(ctx, bk))
		var ids []int64
		for _, a := range b.authors {
			ids = append(ids, g.authors[a].ID)
		}
		must(t, db.SetM2M(ctx, bk, "authors", ids))
		g.books[b.name] = bk
	}
	for _, s := range []struct {
		name  string
		books []string
	}{{"s1", []string{"Alpha", "Beta", "Delta"}}, {"s2", []string{"Alpha"}}, {"s3", []string{"Alpha", "Gamma"}}} {
		st := &Store{Name: s.name}
		must(t, db.Insert(ctx, st))
		var ids []int64
		for _, b := range s.books {
			ids = append(ids, g.books[b].ID)
		}
		must(t, db.SetM2M(ctx, st, "books", ids))
		g.stores[s.name] = st
	}
	return g
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// num reads any numeric result as a float64 for comparison.
func num(t *testing.T, v any) float64 {
	t.Helper()
	switch x := v.(type) {
	case int64:
		return float64(x)
	case float64:
		return x
	case decimal.Decimal:
		f, _ := x.Float64()
		return f
	case nil:
		return math.NaN()
	}
	t.Fatalf("not a number: %v (%T)", v, v)
	return 0
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-6 }

// rows renders Values rows as "k=v" strings, sorted, for comparison.
func rows(t *testing.T, maps []map[string]any, keys ...string) string {
	t.Helper()
	var out []string
	for _, m := range maps {
		var parts []string
		for _, k := range keys {
			switch v := m[k].(type) {
			case string:
				parts = append(parts, k+"="+v)
			default:
				parts = append(parts, fmt.Sprintf("%s=%g", k, num(t, v)))
			}
		}
		out = append(out, strings.Join(parts, " "))
	}
	return strings.Join(out, "; ")
}

// TestAggregationGuide runs every query of the aggregation guide's cheat
// sheet and its examples, on every dialect.
func TestAggregationGuide(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedGuide(t, db)
		books, pubs, authors, stores := orm.For[Book](db), orm.For[Publisher](db), orm.For[Author](db), orm.For[Store](db)
		agg := func(q orm.QuerySet, items ...any) map[string]any {
			t.Helper()
			r, err := q.Aggregate(ctx, items...)
			must(t, err)
			return r
		}
		maps := func(q orm.QuerySet) []map[string]any {
			t.Helper()
			r, err := q.Maps(ctx)
			must(t, err)
			return r
		}
		check := func(name string, got, want string) {
			t.Helper()
			if got != want {
				t.Errorf("%s:\n got %s\nwant %s", name, got, want)
			}
		}

		n, err := books.Count(ctx)
		must(t, err)
		check("count", fmt.Sprint(n), "5")
		n, err = books.Filter(orm.Q{"publisher__name": "A"}).Count(ctx)
		must(t, err)
		check("count by publisher", fmt.Sprint(n), "2")

		r := agg(books, orm.Avg("price"))
		if v, ok := r["price__avg"].(decimal.Decimal); !ok || !near(num(t, v), 30.1) {
			t.Errorf("Avg(price) = %v (%T), want the decimal 30.1", r["price__avg"], r["price__avg"])
		}
		r = agg(books, orm.Max("price"))
		if v, ok := r["price__max"].(decimal.Decimal); !ok || v.String() != "50" {
			t.Errorf("Max(price) = %v", r["price__max"])
		}
		r = agg(books, orm.Named("price_diff", orm.Max("price").Sub(orm.Avg("price"))))
		check("price_diff", fmt.Sprintf("%.2f", num(t, r["price_diff"])), "19.90")

		check("num_books", rows(t, maps(pubs.Annotate(orm.Count("book").As("num_books")).OrderBy("name").Values("name", "num_books")), "name", "num_books"),
			"name=A num_books=2; name=B num_books=2; name=C num_books=1")
		above := orm.Count("book", orm.Where(orm.Q{"book__rating__gt": 3})).As("above_3")
		below := orm.Count("book", orm.Where(orm.Q{"book__rating__lte": 3})).As("below_3")
		check("conditional counts", rows(t, maps(pubs.Annotate(below).Annotate(above).OrderBy("name").Values("name", "above_3", "below_3")), "name", "above_3", "below_3"),
			"name=A above_3=2 below_3=0; name=B above_3=1 below_3=1; name=C above_3=0 below_3=1")
		check("top publishers", rows(t, maps(pubs.Annotate(orm.Count("book").As("num_books")).OrderBy("-num_books", "name").Limit(2).Values("name", "num_books")), "name", "num_books"),
			"name=A num_books=2; name=B num_books=2")

		// Combining aggregations over two multi-valued joins multiplies rows;
		// distinct counts fix it, as the guide shows.
		check("combined counts", rows(t, maps(books.Filter(orm.Q{"name": "Alpha"}).Annotate(orm.Count("authors"), orm.Count("store")).Values("name", "authors__count", "store__count")), "authors__count", "store__count"),
			"authors__count=6 store__count=6")
		check("distinct counts", rows(t, maps(books.Filter(orm.Q{"name": "Alpha"}).Annotate(orm.Count("authors", orm.Distinct()), orm.Count("store", orm.Distinct())).Values("name", "authors__count", "store__count")), "authors__count", "store__count"),
			"authors__count=2 store__count=3")

		// A conditional aggregate over a filtered query: with "?"
		// placeholders its argument comes first in the text.
		r = agg(books.Filter(orm.Q{"rating__gt": 3.0}), orm.Count("id", orm.Where(orm.Q{"price__gt": 20})).As("n"))
		n, err = books.Filter(orm.Q{"rating__gt": 3.0}, orm.Q{"price__gt": 20}).Count(ctx)
		must(t, err)
		check("conditional aggregate of a filtered query", fmt.Sprint(r["n"]), fmt.Sprint(n))

		check("price range per store", rows(t, maps(stores.Annotate(orm.Min("books__price").As("min_price"), orm.Max("books__price").As("max_price")).OrderBy("name").Values("name", "min_price", "max_price")), "name", "min_price", "max_price"),
			"name=s1 min_price=10 max_price=40.5; name=s2 min_price=10 max_price=10; name=s3 min_price=10 max_price=30")
		r = agg(stores, orm.Min("books__price").As("min_price"), orm.Max("books__price").As("max_price"))
		check("price range of stocked books", fmt.Sprint(num(t, r["min_price"]), num(t, r["max_price"])), "10 40.5")
		r = agg(stores, orm.Min("books__authors__age").As("youngest_age"))
		check("youngest author in a store", fmt.Sprint(r["youngest_age"]), "30")

		check("reverse count", rows(t, maps(pubs.Annotate(orm.Count("book")).OrderBy("name").Values("name", "book__count")), "name", "book__count"),
			"name=A book__count=2; name=B book__count=2; name=C book__count=1")
		r = agg(pubs, orm.Min("book__pubdate").As("oldest_pubdate"))
		if d, ok := r["oldest_pubdate"].(time.Time); !ok || d.Format("2006-01-02") != "2020-01-15" {
			t.Errorf("oldest_pubdate = %v", r["oldest_pubdate"])
		}
		check("total pages per author", rows(t, maps(authors.Annotate(orm.Sum("book__pages").As("total_pages")).OrderBy("age").Values("age", "total_pages")), "age", "total_pages"),
			"age=30 total_pages=300; age=40 total_pages=500; age=50 total_pages=700; age=60 total_pages=400")
		r = agg(authors, orm.Avg("book__rating").As("average_rating"))
		check("average rating of authored books", fmt.Sprintf("%.4f", num(t, r["average_rating"])), fmt.Sprintf("%.4f", 26.0/7))

		// filter() and annotate() do not commute.
		check("annotate then filter (distinct)", rows(t, maps(pubs.Annotate(orm.Count("book", orm.Distinct()).As("num_books")).Filter(orm.Q{"book__rating__gt": 3.0}).Distinct().OrderBy("name").Values("name", "num_books")), "name", "num_books"),
			"name=A num_books=2; name=B num_books=2")
		check("filter then annotate", rows(t, maps(pubs.Filter(orm.Q{"book__rating__gt": 3.0}).Annotate(orm.Count("book").As("num_books")).OrderBy("name").Values("name", "num_books")), "name", "num_books"),
			"name=A num_books=2; name=B num_books=1")
		check("annotate Avg then filter", rows(t, maps(pubs.Annotate(orm.Avg("book__rating").As("avg_rating")).Filter(orm.Q{"book__rating__gt": 3.0}).Distinct().OrderBy("name").Values("name", "avg_rating")), "name", "avg_rating"),
			"name=A avg_rating=4.5; name=B avg_rating=2.5")
		check("filter then annotate Avg", rows(t, maps(pubs.Filter(orm.Q{"book__rating__gt": 3.0}).Annotate(orm.Avg("book__rating").As("avg_rating")).OrderBy("name").Values("name", "avg_rating")), "name", "avg_rating"),
			"name=A avg_rating=4.5; name=B avg_rating=4")

		check("filter on an annotation", rows(t, maps(books.Annotate(orm.Count("authors").As("num_authors")).Filter(orm.Q{"num_authors__gt": 1}).OrderBy("name").Values("name", "num_authors")), "name", "num_authors"),
			"name=Alpha num_authors=2; name=Delta num_authors=3")
		highly := orm.Count("book", orm.Where(orm.Q{"book__rating__gte": 4})).As("highly_rated_books")
		check("two filtered annotations", rows(t, maps(authors.Annotate(orm.Count("book").As("num_books"), highly).OrderBy("age").Values("age", "num_books", "highly_rated_books")), "age", "num_books", "highly_rated_books"),
			"age=30 num_books=2 highly_rated_books=2; age=40 num_books=2 highly_rated_books=2; age=50 num_books=2 highly_rated_books=1; age=60 num_books=1 highly_rated_books=1")
		check("order by an annotation", rows(t, maps(books.Annotate(orm.Count("authors").As("num_authors")).OrderBy("num_authors", "name").Values("name")), "name"),
			"name=Epsilon; name=Beta; name=Gamma; name=Alpha; name=Delta")

		// values() before annotate() groups; after, it only picks columns.
		check("values then annotate", rows(t, maps(authors.Values("name").Annotate(orm.Avg("book__rating").As("average_rating")).OrderBy("name")), "name", "average_rating"),
			fmt.Sprintf("name=Ann average_rating=%g; name=Bob average_rating=4; name=Cid average_rating=2.5", 13.0/3))
		grouped := maps(authors.Annotate(orm.Avg("book__rating").As("average_rating")).Values("name", "average_rating").OrderBy("name", "average_rating"))
		check("annotate then values", rows(t, grouped, "name", "average_rating"),
			"name=Ann average_rating=4; name=Ann average_rating=4.5; name=Bob average_rating=4; name=Cid average_rating=2.5")
		r = agg(books.Annotate(orm.Count("authors").As("num_authors")), orm.Avg("num_authors"))
		check("aggregating an annotation", fmt.Sprint(num(t, r["num_authors__avg"])), "1.4")
	})
}

func TestMultiValuedFilters(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedGuide(t, db)
		pubs := orm.For[Publisher](db)
		names := func(q orm.QuerySet) string {
			t.Helper()
			got, err := orm.All[Publisher](ctx, q.Distinct().OrderBy("name"))
			must(t, err)
			var out []string
			for _, p := range got {
				out = append(out, p.Name)
			}
			return strings.Join(out, ",")
		}
		cases := []struct {
			name string
			q    orm.QuerySet
			want string
		}{
			{"one call: the same book must match both", pubs.Filter(orm.Q{"book__rating__gt": 3, "book__name__startswith": "G"}), ""},
			{"chained calls: any books may match", pubs.Filter(orm.Q{"book__rating__gt": 3}).Filter(orm.Q{"book__name__startswith": "G"}), "B"},
			{"exclude: no book may match", pubs.Exclude(orm.Q{"book__rating__lt": 2}), "A"},
			{"exclude of both conditions on one book", pubs.Exclude(orm.Q{"book__rating__lt": 2, "book__name": "Epsilon"}), "A,B"},
			{"reverse key", pubs.Filter(orm.Q{"book": 0}), ""},
			{"across m2m from the far side", pubs.Filter(orm.Q{"book__authors__age__gte": 60}), "B"},
			{"isnull on a reverse relation", orm.For[Author](db).Filter(orm.Q{"book__isnull": true}), ""},
			{"not", pubs.Filter(orm.Not(orm.Q{"name": "A"})), "B,C"},
		}
		for _, c := range cases[:4] {
			if got := names(c.q); got != c.want {
				t.Errorf("%s: got %q, want %q", c.name, got, c.want)
			}
		}
		if got := names(cases[5].q); got != "B" {
			t.Errorf("%s: got %q", cases[5].name, got)
		}
		if got := names(cases[7].q); got != "B,C" {
			t.Errorf("%s: got %q", cases[7].name, got)
		}
		authorsWithout, err := orm.For[Author](db).Filter(orm.Q{"book__isnull": true}).Count(ctx)
		must(t, err)
		if authorsWithout != 0 {
			t.Errorf("authors without books = %d", authorsWithout)
		}
		storesWithDelta, err := orm.For[Store](db).Filter(orm.Q{"books__name": "Delta"}).Count(ctx)
		must(t, err)
		if storesWithDelta != 1 {
			t.Errorf("stores with Delta = %d", storesWithDelta)
		}
		need, err := pubs.Filter(orm.Q{"book__rating__gt": 3}).NeedsDistinct()
		must(t, err)
		if !need {
			t.Error("a filter across a reverse relation needs distinct")
		}
		need, _ = orm.For[Book](db).Filter(orm.Q{"publisher__name": "A"}).NeedsDistinct()
		if need {
			t.Error("a filter across a foreign key does not need distinct")
		}
	})
}

func TestExpressionsAndWrites(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		g := seedGuide(t, db)
		books := orm.For[Book](db)
		got, err := orm.All[Book](ctx, books.Filter(orm.Q{"pages__gt": orm.F("rating").Mul(100)}))
		must(t, err)
		if names(got) != "Epsilon|Gamma" {
			t.Errorf("F comparison: %s", names(got))
		}
		n, err := books.Filter(orm.Q{"publisher__name": "C"}).Update(ctx, map[string]any{"pages": orm.F("pages").Add(1), "rating": 2.5})
		must(t, err)
		e, _ := orm.Get[Book](ctx, books, orm.Q{"name": "Epsilon"})
		if n != 1 || e.Pages != 501 || e.Rating != 2.5 {
			t.Errorf("update across a relation: %d rows, pages %d rating %v", n, e.Pages, e.Rating)
		}
		n, err = books.Filter(orm.Q{"authors__name": "Cid"}).Update(ctx, map[string]any{"rating": 3.0})
		must(t, err)
		if n != 2 {
			t.Errorf("update across a many-to-many: %d rows", n)
		}
		if _, err := books.Update(ctx, map[string]any{"nope": 1}); err == nil {
			t.Error("update of an unknown field passed")
		}

		// Tuples, InBulk, First, Exists.
		tuples, err := books.Filter(orm.Q{"pubdate__year": 2021}).OrderBy("name").Values("name", "publisher__name").Tuples(ctx)
		must(t, err)
		if fmt.Sprint(tuples) != "[[Delta B] [Gamma B]]" {
			t.Errorf("tuples %v", tuples)
		}
		bulk, err := books.InBulk(ctx, []any{g.books["Alpha"].ID, g.books["Beta"].ID, int64(9999)})
		must(t, err)
		if len(bulk) != 2 || bulk[g.books["Alpha"].ID].(*Book).Name != "Alpha" {
			t.Errorf("in bulk %v", bulk)
		}
		ok, err := books.Filter(orm.Q{"name": "Nope"}).Exists(ctx)
		must(t, err)
		if ok {
			t.Error("exists for no rows")
		}

		// Bulk create, get or create, update or create.
		var more []any
		for i := range 7 {
			more = append(more, &Author{Name: fmt.Sprintf("Bulk %d", i), Age: int32(20 + i)})
		}
		must(t, db.BulkCreate(ctx, more, 3))
		if cnt, _ := orm.For[Author](db).Filter(orm.Q{"name__startswith": "Bulk"}).Count(ctx); cnt != 7 {
			t.Errorf("bulk created %d", cnt)
		}
		if db.Dialect().Returning() && more[6].(*Author).ID == 0 {
			t.Error("bulk create did not fill the keys")
		}
		am, _ := db.Registry().GetModel("bookstore.Author")
		obj, created, err := db.GetOrCreate(ctx, am, orm.Q{"name": "Zed"}, map[string]any{"age": 77})
		must(t, err)
		if !created || obj.(*Author).Age != 77 {
			t.Errorf("get or create: %v %v", obj, created)
		}
		obj, created, err = db.GetOrCreate(ctx, am, orm.Q{"name": "Zed"}, map[string]any{"age": 1})
		must(t, err)
		if created || obj.(*Author).Age != 77 {
			t.Errorf("second get or create: %v %v", obj, created)
		}
		obj, created, err = db.UpdateOrCreate(ctx, am, orm.Q{"name": "Zed"}, map[string]any{"age": 78})
		must(t, err)
		if created || obj.(*Author).Age != 78 {
			t.Errorf("update or create: %+v %v", obj, created)
		}

		// Delete by query cascades and counts.
		d, err := orm.For[Publisher](db).Filter(orm.Q{"name": "C"}).Delete(ctx)
		must(t, err)
		if len(d.Counts) == 0 || d.Counts[0].Count != 1 {
			t.Errorf("delete counts %+v", d.Counts)
		}
		if cnt, _ := books.Count(ctx); cnt != 4 {
			t.Errorf("books after deleting C: %d", cnt)
		}

		// Raw SQL builds objects; values stay bound.
		q := db.Dialect().Quote
		raw, err := db.Raw(ctx, am, "SELECT "+q("id")+", "+q("name")+" FROM "+q("bookstore_author")+" WHERE "+q("age")+" > "+db.Dialect().Placeholder(1)+" ORDER BY "+q("age"), 55)
		must(t, err)
		if len(raw) != 2 || raw[0].(*Author).Name != "Ann" || raw[1].(*Author).Name != "Zed" {
			t.Errorf("raw: %v", raw)
		}
	})
}

func TestLookupsAcrossDialects(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedGuide(t, db)
		for _, name := range []string{`Back\slash`, "100% pure", "under_score", "ÉCOLE des Loisirs", "straße"} {
			must(t, db.Insert(ctx, &Publisher{Name: name}))
		}
		pubs := orm.For[Publisher](db)
		count := func(q orm.Q) int64 {
			t.Helper()
			n, err := pubs.Filter(q).Count(ctx)
			must(t, err)
			return n
		}
		cases := []struct {
			q    orm.Q
			want int64
		}{
			{orm.Q{"name__contains": `\`}, 1},
			{orm.Q{"name__icontains": `K\S`}, 1},
			{orm.Q{"name__contains": "%"}, 1},
			{orm.Q{"name__contains": "_"}, 1},
			{orm.Q{"name__icontains": "école"}, 1},
			{orm.Q{"name__istartswith": "éc"}, 1},
			{orm.Q{"name__iexact": "école des loisirs"}, 1},
			{orm.Q{"name__contains": "École"}, 0},
			{orm.Q{"name__regex": `^[A-C]$`}, 3},
			{orm.Q{"name__iregex": `^[a-c]$`}, 3},
			{orm.Q{"name__regex": `^[a-c]$`}, 0},
			{orm.Q{"name__search": "pure"}, 1},
		}
		for _, c := range cases {
			if got := count(c.q); got != c.want {
				t.Errorf("%v: %d rows, want %d", c.q, got, c.want)
			}
		}
		books := orm.For[Book](db)
		dates := []struct {
			q    orm.Q
			want string
		}{
			{orm.Q{"pubdate__year": 2020}, "Alpha|Beta"},
			{orm.Q{"pubdate__year__gte": 2021, "pubdate__month": 2}, "Delta|Gamma"},
			{orm.Q{"pubdate__quarter": 4}, "Epsilon"},
			{orm.Q{"pubdate__week_day": 7}, "Delta|Epsilon"}, // Saturdays; Sunday is 1
			{orm.Q{"pubdate__week_day": 2}, "Beta|Gamma"},    // Mondays
			{orm.Q{"pubdate__day__lt": 2}, "Gamma"},          // the 1st
			{orm.Q{"pubdate__range": []string{"2020-06-01", "2021-02-01"}}, "Beta|Gamma"},
		}
		for _, c := range dates {
			got, err := orm.All[Book](ctx, books.Filter(c.q).OrderBy("name"))
			must(t, err)
			if names(got) != c.want {
				t.Errorf("%v: %q, want %q", c.q, names(got), c.want)
			}
		}
		years, err := books.Dates(ctx, "pubdate", "year", false)
		must(t, err)
		months, err := books.Filter(orm.Q{"pubdate__year": 2021}).Dates(ctx, "pubdate", "month", true)
		must(t, err)
		if fmtDates(years) != "2020-01-01 2021-01-01 2022-01-01" || fmtDates(months) != "2021-02-01" {
			t.Errorf("dates: %s / %s", fmtDates(years), fmtDates(months))
		}
		if _, err := books.Dates(ctx, "name", "year", false); err == nil {
			t.Error("Dates on a text field passed")
		}
	})
}

func fmtDates(ts []time.Time) string {
	var out []string
	for _, t := range ts {
		out = append(out, t.Format("2006-01-02"))
	}
	return strings.Join(out, " ")
}

func TestOrderingPrefetchAndCounting(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		g := seedGuide(t, db)
		now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		for i, txt := range []string{"late", "none", "early"} {
			r := &Review{Book: orm.FK[Book](g.books["Alpha"].ID), Text: txt}
			if i != 1 {
				when := now.Add(time.Duration(i) * time.Hour)
				if i == 2 {
					when = now.Add(-time.Hour)
				}
				r.Created = &when
			}
			must(t, db.Insert(ctx, r))
		}
		texts := func(orders ...orm.Order) string {
			got, err := orm.All[Review](ctx, orm.For[Review](db).OrderByTerms(orders...))
			must(t, err)
			var out []string
			for _, r := range got {
				out = append(out, r.Text)
			}
			return strings.Join(out, ",")
		}
		if got := texts(orm.Asc("created").NullsLast()); got != "early,late,none" {
			t.Errorf("nulls last: %s", got)
		}
		if got := texts(orm.Desc("created").NullsFirst()); got != "none,late,early" {
			t.Errorf("nulls first: %s", got)
		}

		var counter orm.QueryCounter
		cctx := orm.WithQueryCounter(ctx, &counter)
		all, err := orm.All[Book](cctx, orm.For[Book](db).PrefetchRelated("authors").OrderBy("name"))
		must(t, err)
		if counter.Count() != 2 {
			t.Errorf("prefetch took %d queries, want 2", counter.Count())
		}
		var got []string
		for _, b := range all {
			objs, ok := b.Authors.Objects()
			if !ok {
				t.Fatalf("%s: authors not loaded", b.Name)
			}
			var ns []string
			for _, a := range objs {
				ns = append(ns, fmt.Sprint(a.Age))
			}
			sort.Strings(ns)
			got = append(got, b.Name+":"+strings.Join(ns, "+"))
		}
		if strings.Join(got, " ") != "Alpha:30+40 Beta:30 Delta:40+50+60 Epsilon: Gamma:50" {
			t.Errorf("prefetched: %s", strings.Join(got, " "))
		}
		n, err := orm.For[Publisher](db).Annotate(orm.Count("book").As("n")).Count(ctx)
		must(t, err)
		if n != 3 {
			t.Errorf("count of an annotated query = %d", n)
		}
		n, err = orm.For[Book](db).OrderBy("name").Slice(1, 3).Count(ctx)
		must(t, err)
		if n != 2 {
			t.Errorf("count of a slice = %d", n)
		}
		// A limited subquery ordered across a relation no filter joined
		// joins it: its keys are those of the same slice read directly.
		byPublisher := orm.For[Book](db).OrderBy("-publisher__name", "name").Slice(0, 3)
		direct, err := orm.All[Book](ctx, byPublisher)
		must(t, err)
		sub, err := orm.All[Book](ctx, orm.For[Book](db).Filter(orm.Q{"pk__in": byPublisher.Values("pk")}).OrderBy("-publisher__name", "name"))
		must(t, err)
		names := func(bs []*Book) (out []string) {
			for _, b := range bs {
				out = append(out, b.Name)
			}
			return out
		}
		if len(direct) != 3 || !slices.Equal(names(sub), names(direct)) {
			t.Errorf("keys ordered by publisher in a subquery: %q, read directly %q", names(sub), names(direct))
		}
		var fe *orm.FieldError
		if _, err := orm.For[Book](db).Annotate(orm.Count("nope")).Count(ctx); !errors.As(err, &fe) {
			t.Errorf("unknown aggregate path: %v", err)
		}
	})
}

func TestReverseRelatedAndChunks(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		g := seedGuide(t, db)
		pm, _ := db.Registry().GetModel("bookstore.Publisher")
		am, _ := db.Registry().GetModel("bookstore.Author")
		pubs := []any{g.pubs["A"], g.pubs["B"], g.pubs["C"]}
		var counter orm.QueryCounter
		byPub, err := db.RelatedObjects(orm.WithQueryCounter(ctx, &counter), pm, pubs, "book")
		must(t, err)
		if counter.Count() != 1 || len(byPub[g.pubs["A"].ID]) != 2 || len(byPub[g.pubs["C"].ID]) != 1 {
			t.Errorf("reverse foreign key: %d queries, %v", counter.Count(), byPub)
		}
		byAuthor, err := db.RelatedObjects(ctx, am, []any{g.authors["bob"], g.authors["ann2"]}, "book")
		must(t, err)
		var got []string
		for _, b := range byAuthor[g.authors["bob"].ID] {
			got = append(got, b.(*Book).Name)
		}
		if strings.Join(got, ",") != "Alpha,Delta" || len(byAuthor[g.authors["ann2"].ID]) != 1 {
			t.Errorf("reverse many-to-many: %v / %v", got, byAuthor)
		}
		if _, err := db.RelatedObjects(ctx, pm, pubs, "nope"); err == nil {
			t.Error("unknown relation passed")
		}
		var seen []string
		must(t, orm.For[Book](db).Chunked(ctx, 2, func(objs []any) error {
			for _, o := range objs {
				seen = append(seen, o.(*Book).Name)
			}
			return nil
		}))
		if len(seen) != 5 || seen[0] != "Alpha" || seen[4] != "Epsilon" {
			t.Errorf("chunked: %v", seen)
		}
	})
}
