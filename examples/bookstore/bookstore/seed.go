package bookstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

// Sizes of the default demo data.
const (
	DefaultPublishers = 40
	DefaultAuthors    = 300
	DefaultBooks      = 400
	DefaultStores     = 6
)

var (
	firstNames = strings.Fields("Ada Alan Anna Bo Carla Dmitri Elena Emil Fabian Grace Hana Ivan Jonas Klara Lena Liam Mara Nia Omar Priya Rosa Sanna Silas Tomas Uma Vera Yusuf Zoran")
	lastNames  = strings.Fields("Almeida Berg Castellano Dubois Eriksen Fischer Garcia Hoffmann Iversen Jovanovic Kaminski Lindqvist Moreau Novak Oyelaran Petrov Quinn Rossi Sato Umarov Varga Whitfield Yilmaz Zhang")
	pubWords   = strings.Fields("Candle Lagoon Olive Honey Island Timber Fable Fennel Mirror Harbor Willow Copper Lantern Meadow Orchard Raven Saffron Thistle Velvet Juniper")
	pubKinds   = strings.Fields("House Publishing Books Press Editions")
	titleA     = strings.Fields("Silent Hidden Last Broken Golden Quiet Northern Distant Secret Winter Paper Glass Iron Wandering Little")
	titleB     = strings.Fields("Garden River Cartographer Orchard Lighthouse Archive Season Harbour Kingdom Letters Machine Forest Promise Compass Station")
)

// Seed adds deterministic demo data: publishers, authors, books (n, or
// DefaultBooks when n is 0) and stores. The same n gives the same data.
// Books and their author links go in with multi-row inserts, so a million
// books load in seconds. progress, when not nil, is told how many of the
// n books are in after each batch; it hears n once their authors are
// linked too.
func Seed(ctx context.Context, db *orm.DB, n int, progress func(done, total int)) error {
	if n <= 0 {
		n = DefaultBooks
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	return db.Atomic(ctx, func(ctx context.Context) error {
		pubs, err := seedPublishers(ctx, db, rng)
		if err != nil {
			return err
		}
		authors := make([]any, DefaultAuthors)
		for i := range authors {
			authors[i] = &Author{Name: pick(rng, firstNames) + " " + pick(rng, lastNames), Age: int32(20 + rng.IntN(70))}
		}
		if err := db.BulkCreate(ctx, authors, 0); err != nil {
			return err
		}
		authorIDs, err := ids(ctx, db, orm.For[Author](db), len(authors))
		if err != nil {
			return err
		}
		books, err := seedBooks(ctx, db, rng, n, pubs, authorIDs, progress)
		if err != nil {
			return err
		}
		return seedStores(ctx, db, rng, books)
	})
}

// seedBooks inserts n books in chunks, with one or two authors each.
func seedBooks(ctx context.Context, db *orm.DB, rng *rand.Rand, n int, pubs, authors []int64, progress func(done, total int)) ([]int64, error) {
	start := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
	m, err := db.Registry().ModelOf(Book{})
	if err != nil {
		return nil, err
	}
	before, err := orm.For[Book](db).Count(ctx)
	if err != nil {
		return nil, err
	}
	const chunk = 20000
	progress(0, n)
	for done := 0; done < n; done += chunk {
		batch := make([]any, 0, min(chunk, n-done))
		for i := done; i < min(done+chunk, n); i++ {
			b := &Book{
				Name:      fmt.Sprintf("The %s %s", pick(rng, titleA), pick(rng, titleB)),
				Pages:     int32(80 + rng.IntN(900)),
				Price:     decimal.New(int64(499+rng.IntN(5000)), -2),
				Rating:    float64(rng.IntN(50)+1) / 10,
				Pubdate:   start.AddDate(0, 0, rng.IntN(35*365)),
				Publisher: orm.FK[Publisher](pubs[rng.IntN(len(pubs))]),
			}
			if i%7 == 0 {
				b.Name += fmt.Sprintf(", Volume %d", 1+i%5)
			}
			batch = append(batch, b)
		}
		if err := db.BulkCreate(ctx, batch, 0); err != nil {
			return nil, err
		}
		if done+chunk < n {
			progress(done+chunk, n)
		}
	}
	books, err := ids(ctx, db, orm.For[Book](db).Offset(int(before)), n)
	if err != nil {
		return nil, err
	}
	var links [][2]int64
	for _, id := range books {
		a := authors[rng.IntN(len(authors))]
		links = append(links, [2]int64{id, a})
		if b := authors[rng.IntN(len(authors))]; rng.IntN(3) == 0 && b != a {
			links = append(links, [2]int64{id, b})
		}
	}
	if err := db.BulkLink(ctx, m, "authors", links); err != nil {
		return nil, err
	}
	progress(n, n)
	return books, nil
}

// ids reads the keys of a query's rows in key order (the keys BulkCreate
// gave, on databases that do not return them).
func ids(ctx context.Context, db *orm.DB, q orm.QuerySet, n int) ([]int64, error) {
	rows, err := q.OrderBy("pk").Values("pk").Tuples(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]int64, 0, n)
	for _, r := range rows {
		out = append(out, r[0].(int64))
	}
	return out, nil
}

func seedPublishers(ctx context.Context, db *orm.DB, rng *rand.Rand) ([]int64, error) {
	seen := map[string]bool{}
	var ids []int64
	for len(ids) < DefaultPublishers {
		name := pick(rng, pubWords) + " " + pick(rng, pubWords) + " " + pick(rng, pubKinds)
		if seen[name] {
			continue
		}
		seen[name] = true
		p := &Publisher{Name: name}
		if err := db.Insert(ctx, p); err != nil {
			return nil, err
		}
		ids = append(ids, p.ID)
	}
	return ids, nil
}

func seedStores(ctx context.Context, db *orm.DB, rng *rand.Rand, books []int64) error {
	for i := range DefaultStores {
		s := &Store{Name: fmt.Sprintf("%s Books #%d", pick(rng, pubWords), i+1)}
		if err := db.Insert(ctx, s); err != nil {
			return err
		}
		var ids []int64
		for range 10 + rng.IntN(20) {
			ids = append(ids, books[rng.IntN(len(books))])
		}
		if err := db.SetM2M(ctx, s, "books", ids); err != nil {
			return err
		}
	}
	return nil
}

func pick(rng *rand.Rand, words []string) string { return words[rng.IntN(len(words))] }
