package orm

import (
	"sync"
	"testing"
)

// Queries compiled at once on one DB, each resolving paths the others
// store, give the statements a DB that never cached gives; go test -race
// checks the cache is read and filled safely.
func TestPathCacheConcurrent(t *testing.T) {
	fresh := func() (*DB, QuerySet) {
		db, m := benchDB(t, SQLite{})
		q := db.Query(m).Filter(Q{"pubdate__year": 2001, "publisher__id__exact": 3, "publisher": 4}).
			Exclude(Q{"publisher__name": "X"}).OrderBy("-pubdate", "pk").SelectRelated("publisher")
		return db, q
	}
	_, q := fresh()
	want, wantArgs, err := q.SQL()
	if err != nil {
		t.Fatal(err)
	}
	_, q = fresh()
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				got, args, err := q.SQL()
				if err != nil || got != want || len(args) != len(wantArgs) {
					t.Errorf("got %s %v (%v), want %s %v", got, args, err, want, wantArgs)
					return
				}
			}
		})
	}
	wg.Wait()
}
