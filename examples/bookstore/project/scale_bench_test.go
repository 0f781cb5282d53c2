package project_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/orm"
)

// Issue 13's scale: with STAFFROOM_BENCH_BOOKS=1000000 the bench site
// gets 100,000 authors and 10,000 publishers too, and BenchmarkPagesAtScale
// times every kind of page on it and fails any page over 200 KB: no
// relation widget or filter may list its related table.
//
//	STAFFROOM_BENCH_BOOKS=1000000 go test -run '^$' -bench PagesAtScale -benchtime 3x ./examples/bookstore/project/

const (
	scaleAuthors    = 100_000
	scalePublishers = 10_000
	maxPageBytes    = 200 << 10
)

func BenchmarkPagesAtScale(b *testing.B) {
	app, session := benchSite(b)
	ctx := context.Background()
	if benchBooks() >= 1_000_000 {
		growRelated(b, app)
	}
	first := func(q orm.QuerySet) int64 {
		var id int64
		rows, err := q.OrderBy("pk").Values("pk").Limit(1).Tuples(ctx)
		if err != nil || len(rows) == 0 {
			b.Fatalf("no object: %v", err)
		}
		id, _ = rows[0][0].(int64)
		return id
	}
	book := first(orm.For[bookstore.Book](app.DB))
	author := first(orm.For[bookstore.Author](app.DB))
	store := first(orm.For[bookstore.Store](app.DB))
	pages := map[string]string{
		"index":              "/admin/",
		"books":              "/admin/bookstore/book/",
		"books-by-publisher": "/admin/bookstore/book/?publisher__id__exact=3",
		"books-search":       "/admin/bookstore/book/?q=orchard",
		"books-year":         "/admin/bookstore/book/?pubdate__year=2020",
		"book-add":           "/admin/bookstore/book/add/",
		"book-change":        fmt.Sprintf("/admin/bookstore/book/%d/change/", book),
		"book-delete":        fmt.Sprintf("/admin/bookstore/book/%d/delete/", book),
		"book-history":       fmt.Sprintf("/admin/bookstore/book/%d/history/", book),
		"authors":            "/admin/bookstore/author/",
		"author-change":      fmt.Sprintf("/admin/bookstore/author/%d/change/", author),
		"publishers":         "/admin/bookstore/publisher/",
		"publisher-delete":   "/admin/bookstore/publisher/3/delete/",
		"store-change":       fmt.Sprintf("/admin/bookstore/store/%d/change/", store),
		"autocomplete":       "/admin/autocomplete/?app_label=bookstore&model_name=book&field_name=authors&term=an",
		"palette":            "/admin/palette/?term=orchard",
	}
	for name, target := range pages {
		b.Run(name, func(b *testing.B) {
			var size int
			for b.Loop() {
				rec := httptest.NewRecorder()
				app.Handler.ServeHTTP(rec, benchRequest(http.MethodGet, target, session, nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", target, rec.Code)
				}
				size = rec.Body.Len()
			}
			b.ReportMetric(float64(size)/1024, "KB")
			if size > maxPageBytes {
				b.Errorf("%s is %d KB, over %d KB", target, size>>10, maxPageBytes>>10)
			}
		})
	}
}

// growRelated adds authors and publishers up to the scale's numbers, once
// per bench database, and links a few to each other so filters and
// choosers have them to show.
func growRelated(b *testing.B, app *staffroom.App) {
	ctx := context.Background()
	grow := func(want int, make func(i int) any, q orm.QuerySet) {
		have, err := q.Count(ctx)
		if err != nil {
			b.Fatal(err)
		}
		var objs []any
		for i := int(have); i < want; i++ {
			objs = append(objs, make(i))
		}
		if len(objs) > 0 {
			if err := app.DB.BulkCreate(ctx, objs, 0); err != nil {
				b.Fatal(err)
			}
		}
	}
	grow(scaleAuthors, func(i int) any {
		return &bookstore.Author{Name: "Scale Author " + strconv.Itoa(i), Age: int32(20 + i%70)}
	},
		orm.For[bookstore.Author](app.DB))
	grow(scalePublishers, func(i int) any { return &bookstore.Publisher{Name: "Scale Publisher " + strconv.Itoa(i)} },
		orm.For[bookstore.Publisher](app.DB))
}
