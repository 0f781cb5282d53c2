package orm_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Node relates to itself, so its join model's keys are from_/to_.
type Node struct {
	ID    int64
	Links orm.ManyToMany[Node] `orm:"blank"`
}

func TestAutoThroughModel(t *testing.T) {
	reg := registry(t)
	tm, err := reg.ModelOf(orm.Through{Model: &Book{}, Field: "authors"})
	if err != nil {
		t.Fatal(err)
	}
	book, _ := reg.GetModel("bookstore.Book")
	if tm != book.Field("authors").AutoThrough || tm.AutoCreated != book.Field("authors") {
		t.Fatal("Through does not name the field's auto-created model")
	}
	if tm.Name != "Book_authors" || tm.ModelName != "book_authors" || tm.Table != "bookstore_book_authors" || tm.App != book.App {
		t.Errorf("model %s (%s) table %s", tm.Name, tm.ModelName, tm.Table)
	}
	if tm.VerboseName != "book-author relationship" || tm.VerboseNamePlural != "book-author relationships" {
		t.Errorf("names %q, %q", tm.VerboseName, tm.VerboseNamePlural)
	}
	b, a := tm.Field("book"), tm.Field("author")
	if b == nil || a == nil || b.Column != "book_id" || a.Column != "author_id" || b.Related != book || a.Related.Name != "Author" {
		t.Fatalf("keys: %+v %+v", b, a)
	}
	if !b.ReverseHidden() || b.RelatedName != "Book_authors+" {
		t.Errorf("reverse name %q", b.RelatedName)
	}
	if len(tm.Meta.UniqueTogether) != 1 || strings.Join(tm.Meta.UniqueTogether[0], ",") != "book,author" {
		t.Errorf("unique together %v", tm.Meta.UniqueTogether)
	}
	for _, m := range reg.Models() {
		if m == tm {
			t.Error("the auto-created model is listed among the app's models")
		}
	}
	for _, rel := range book.Related {
		if rel.Model == tm {
			t.Error("the auto-created model's key is among Book's reverse relations")
		}
	}
	if _, err := reg.ModelOf(orm.Through{Model: &Book{}, Field: "name"}); err == nil {
		t.Error("Through of a field that is not a many-to-many gave no error")
	}
	if _, err := reg.ModelOf(orm.Through{Model: &Book{}, Field: "publisher"}); err == nil {
		t.Error("Through of a foreign key gave no error")
	}
}

func TestAutoThroughSelf(t *testing.T) {
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "graph", Models: []any{Node{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	tm, err := reg.ModelOf(orm.Through{Model: Node{}, Field: "links"})
	if err != nil {
		t.Fatal(err)
	}
	if f, to := tm.Field("from_node"), tm.Field("to_node"); f == nil || to == nil || f.Column != "from_node_id" || to.Column != "to_node_id" {
		t.Errorf("self keys: %v", tm.Fields)
	}
}

// The rows of the auto-created model are the pairs of the relation: made,
// read, changed and deleted through it, they are what the field sees.
func TestAutoThroughRows(t *testing.T) {
	reg := registry(t)
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		_, books := seed(t, ctx, db)
		a1, a2 := &Author{Name: "Ann"}, &Author{Name: "Bob"}
		for _, a := range []*Author{a1, a2} {
			if err := db.Insert(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		tm, _ := reg.ModelOf(orm.Through{Model: &Book{}, Field: "authors"})
		link := tm.New()
		_ = tm.Field("book").Set(link, books[0].ID)
		_ = tm.Field("author").Set(link, a1.ID)
		if err := db.Insert(ctx, link); err != nil {
			t.Fatal(err)
		}
		if ids, err := db.LoadM2M(ctx, books[0], "authors"); err != nil || len(ids) != 1 || ids[0] != a1.ID {
			t.Fatalf("after insert: %v %v", ids, err)
		}
		if got := tm.String(link); got != "Book_authors object ("+tm.PK.Format(tm.PKValue(link))+")" {
			t.Errorf("String = %q", got)
		}
		rows, err := db.Query(tm).Filter(orm.Q{"book": books[0].ID}).All(ctx)
		if err != nil || len(rows) != 1 {
			t.Fatalf("query: %v %v", rows, err)
		}
		_ = tm.Field("author").Set(rows[0], a2.ID)
		if err := db.Save(ctx, rows[0]); err != nil {
			t.Fatal(err)
		}
		if ids, _ := db.LoadM2M(ctx, books[0], "authors"); len(ids) != 1 || ids[0] != a2.ID {
			t.Errorf("after update: %v", ids)
		}
		if n, err := db.Query(tm).Filter(orm.Q{"author__name": "Bob"}).Count(ctx); err != nil || n != 1 {
			t.Errorf("join across the key: %d %v", n, err)
		}
		if err := db.Delete(ctx, rows[0]); err != nil {
			t.Fatal(err)
		}
		if ids, _ := db.LoadM2M(ctx, books[0], "authors"); len(ids) != 0 {
			t.Errorf("after delete: %v", ids)
		}
		if _, err := db.GetByPK(ctx, tm, tm.PKValue(rows[0])); !errors.Is(err, orm.ErrNotFound) {
			t.Errorf("deleted row: %v", err)
		}
	})
}
