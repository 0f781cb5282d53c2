package orm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// TestSQLiteFullText: CreateSearchIndex gives SQLite an FTS5 table the
// search lookup then goes through — words and their prefixes, any case or
// accent — and its triggers keep it in step with inserts, updates and
// deletes.
func TestSQLiteFullText(t *testing.T) {
	reg := registry(t)
	db := testdb.Open(t, "sqlite", reg)
	ctx := context.Background()
	seed(t, ctx, db) // Go in Action, The Go Programming Language, Django for Pros, Zoë et les GO
	book, _ := reg.GetModel("bookstore.Book")
	search := func(term string) string {
		t.Helper()
		got, err := orm.All[Book](ctx, orm.For[Book](db).Filter(orm.Q{"name__search": term}).OrderBy("name"))
		must(t, err)
		return names(got)
	}
	if got := search("go"); got != "Django for Pros|Go in Action|The Go Programming Language|Zoë et les GO" {
		t.Errorf("without the index every word is a substring: %q", got)
	}
	name, err := db.CreateSearchIndex(ctx, book, book.Field("name"))
	must(t, err)
	if has, err := db.HasSearchIndex(ctx, book, book.Field("name")); err != nil || !has || name != "bookstore_book_name_fts" {
		t.Fatalf("index %q: %v %v", name, has, err)
	}
	sql, _, err := orm.For[Book](db).Filter(orm.Q{"name__search": "go"}).SQL()
	must(t, err)
	if !strings.Contains(sql, "bookstore_book_name_fts") || !strings.Contains(sql, "MATCH") {
		t.Fatalf("the search does not go through the FTS table: %s", sql)
	}
	for _, c := range []struct{ term, want string }{
		{"go", "Go in Action|The Go Programming Language|Zoë et les GO"}, // words, not "Django"
		{"GO programming", "The Go Programming Language"},
		{"prog", "The Go Programming Language"}, // a prefix
		{"zoe", "Zoë et les GO"},                // accents folded
		{`"action`, "Go in Action"},             // quotes are text, not syntax
		{"AND OR NOT", ""},
	} {
		if got := search(c.term); got != c.want {
			t.Errorf("search %q = %q, want %q", c.term, got, c.want)
		}
	}
	keptInStep(t, ctx, db, search)
}

// keptInStep: a book inserted, renamed and deleted is found by search as
// it is after each step, which an index table kept by triggers must
// follow.
func keptInStep(t *testing.T, ctx context.Context, db *orm.DB, search func(term string) string) {
	t.Helper()
	b := &Book{Name: "Going Places", Publisher: orm.FK[Publisher](1)}
	must(t, db.Insert(ctx, b))
	if got := search("going"); got != "Going Places" {
		t.Errorf("after an insert: %q", got)
	}
	b.Name = "Staying Home"
	must(t, db.Save(ctx, b))
	if got := search("going") + "/" + search("staying"); got != "/Staying Home" {
		t.Errorf("after an update: %q", got)
	}
	must(t, db.Delete(ctx, b))
	if got := search("staying"); got != "" {
		t.Errorf("after a delete: %q", got)
	}
}
