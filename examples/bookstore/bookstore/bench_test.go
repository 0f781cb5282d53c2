package bookstore_test

// Benchmarks of the query layer on the example's models, each beside the
// same SQL run directly through database/sql, so the layer's own cost is
// visible. The data set is made once per size and kept in the temporary
// folder:
//
//	STAFFROOM_BENCH_BOOKS=1000000 go test -run '^$' -bench . -benchtime 20x ./examples/bookstore/bookstore/

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/orm/sqliteext"
)

func benchBooks() int {
	if n, err := strconv.Atoi(os.Getenv("STAFFROOM_BENCH_BOOKS")); err == nil && n > 0 {
		return n
	}
	return 20000
}

func registry(tb testing.TB) *orm.Registry {
	reg := orm.NewRegistry()
	if _, err := reg.Register(contenttype.App()); err != nil {
		tb.Fatal(err)
	}
	if _, err := reg.Register(bookstore.App()); err != nil {
		tb.Fatal(err)
	}
	if err := sqliteext.Register(); err != nil {
		tb.Fatal(err)
	}
	return reg
}

var (
	seedOnce sync.Once
	seedErr  error
)

// benchDB opens the seeded benchmark database, making it on first use.
func benchDB(b *testing.B) *orm.DB {
	n := benchBooks()
	path := filepath.Join(os.TempDir(), fmt.Sprintf("staffroom-bench-%d.sqlite3", n))
	seedOnce.Do(func() {
		if _, err := os.Stat(path); err == nil {
			return
		}
		tmp := path + ".new"
		os.Remove(tmp)
		db, err := orm.Open("sqlite:"+tmp, registry(b), orm.Options{})
		if err != nil {
			seedErr = err
			return
		}
		defer db.Close()
		ctx := context.Background()
		if seedErr = db.Migrate(ctx); seedErr != nil {
			return
		}
		if seedErr = bookstore.Seed(ctx, db, n, nil); seedErr != nil {
			return
		}
		if _, seedErr = db.Exec(ctx, "ANALYZE"); seedErr != nil {
			return
		}
		db.Close()
		seedErr = os.Rename(tmp, path)
	})
	if seedErr != nil {
		b.Fatal(seedErr)
	}
	db, err := orm.Open("sqlite:"+path, registry(b), orm.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	return db
}

// BenchmarkBulkLoad seeds a fresh database with STAFFROOM_BENCH_BOOKS
// books (run it with -benchtime 1x for large sizes).
func BenchmarkBulkLoad(b *testing.B) {
	n := benchBooks()
	for i := 0; i < b.N; i++ {
		path := filepath.Join(b.TempDir(), "load.sqlite3")
		db, err := orm.Open("sqlite:"+path, registry(b), orm.Options{})
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		if err := db.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := bookstore.Seed(ctx, db, n, nil); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(n)/time.Since(start).Seconds(), "books/s")
		db.Close()
	}
}

// page is the change list's query: 100 books, newest first, with their
// publishers, from the middle of the table.
const pageOffset = 5000

func BenchmarkPageWithPublishers(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.Run("orm", func(b *testing.B) {
		q := orm.For[bookstore.Book](db).SelectRelated("publisher").OrderBy("-pubdate", "-pk").Offset(pageOffset).Limit(100)
		for i := 0; i < b.N; i++ {
			books, err := orm.All[bookstore.Book](ctx, q)
			if err != nil || len(books) != 100 {
				b.Fatal(err, len(books))
			}
		}
	})
	b.Run("sql", func(b *testing.B) {
		const query = `SELECT b.id, b.name, b.pages, b.price, b.rating, b.pubdate, b.publisher_id, p.id, p.name
FROM bookstore_book b LEFT OUTER JOIN bookstore_publisher p ON p.id = b.publisher_id
ORDER BY b.pubdate DESC, b.id DESC LIMIT 100 OFFSET 5000`
		for i := 0; i < b.N; i++ {
			books, err := rawBooks(ctx, db.SQL(), query)
			if err != nil || len(books) != 100 {
				b.Fatal(err, len(books))
			}
		}
	})
}

// rawBooks is what a careful hand-written database/sql program does for
// the page query: scan into typed variables and convert.
func rawBooks(ctx context.Context, db *sql.DB, query string, args ...any) ([]*bookstore.Book, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*bookstore.Book
	for rows.Next() {
		var (
			bk         bookstore.Book
			price      float64
			pubdate    time.Time
			pubID, pid int64
			pubName    string
		)
		if err := rows.Scan(&bk.ID, &bk.Name, &bk.Pages, &price, &bk.Rating, &pubdate, &pubID, &pid, &pubName); err != nil {
			return nil, err
		}
		bk.Price = decimal.NewFromFloat(price).Round(2)
		bk.Pubdate = pubdate
		bk.Publisher = orm.FK[bookstore.Publisher](pubID)
		out = append(out, &bk)
	}
	return out, rows.Err()
}

func BenchmarkFilteredCount(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.Run("orm", func(b *testing.B) {
		q := orm.For[bookstore.Book](db).Filter(orm.Q{"pages__gt": 500, "rating__gte": 4})
		for i := 0; i < b.N; i++ {
			if _, err := q.Count(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sql", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			var n int64
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM bookstore_book WHERE pages > ? AND rating >= ?`, 500, 4.0).Scan(&n); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSearch is the change list's search: a term in the book's or
// its publisher's name, the count and the first page.
func BenchmarkSearch(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.Run("orm", func(b *testing.B) {
		q := orm.For[bookstore.Book](db).Filter(orm.Or(orm.Q{"name__icontains": "lighthouse"}, orm.Q{"publisher__name__icontains": "lighthouse"}))
		for i := 0; i < b.N; i++ {
			if _, err := q.Count(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := orm.All[bookstore.Book](ctx, q.SelectRelated("publisher").OrderBy("-pubdate", "-pk").Limit(100)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sql", func(b *testing.B) {
		const where = ` FROM bookstore_book b LEFT OUTER JOIN bookstore_publisher p ON p.id = b.publisher_id
WHERE (b.name LIKE ? ESCAPE '\' OR p.name LIKE ? ESCAPE '\')`
		for i := 0; i < b.N; i++ {
			var n int64
			if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*)`+where, "%lighthouse%", "%lighthouse%").Scan(&n); err != nil {
				b.Fatal(err)
			}
			if _, err := rawBooks(ctx, db.SQL(), `SELECT b.id, b.name, b.pages, b.price, b.rating, b.pubdate, b.publisher_id, p.id, p.name`+where+
				` ORDER BY b.pubdate DESC, b.id DESC LIMIT 100`, "%lighthouse%", "%lighthouse%"); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPageByKey is a page the database answers from an index (the
// primary key), so the layer's own share of the time shows.
func BenchmarkPageByKey(b *testing.B) {
	db := benchDB(b)
	ctx := context.Background()
	b.Run("orm", func(b *testing.B) {
		q := orm.For[bookstore.Book](db).SelectRelated("publisher").OrderBy("-pk").Offset(pageOffset).Limit(100)
		for i := 0; i < b.N; i++ {
			books, err := orm.All[bookstore.Book](ctx, q)
			if err != nil || len(books) != 100 {
				b.Fatal(err, len(books))
			}
		}
	})
	b.Run("sql", func(b *testing.B) {
		const query = `SELECT b.id, b.name, b.pages, b.price, b.rating, b.pubdate, b.publisher_id, p.id, p.name
FROM bookstore_book b LEFT OUTER JOIN bookstore_publisher p ON p.id = b.publisher_id
ORDER BY b.id DESC LIMIT 100 OFFSET 5000`
		for i := 0; i < b.N; i++ {
			books, err := rawBooks(ctx, db.SQL(), query)
			if err != nil || len(books) != 100 {
				b.Fatal(err, len(books))
			}
		}
	})
}
