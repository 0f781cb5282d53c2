package admin_test

import (
	"context"
	"slices"
	"testing"
)

// TestIndexAdvice: the column a change list sorts by, without an index,
// is advised, warned of by check (staffroom.W003), and created by
// CreateAdviceIndexes; then nothing is left to advise.
func TestIndexAdvice(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin() // Ordering: title
		va.ListFilter = []any{"publisher", "in_stock"}
		f := newShop(t, dialect, registerShop(va))
		ctx := context.Background()
		advice, err := f.app.Site.IndexAdvice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range advice {
			s := a.Model.Label() + "." + a.Field.Name
			if a.Then != nil {
				s += "," + a.Then.Name
			}
			got = append(got, s+" "+a.Option)
		}
		slices.Sort(got)
		if want := []string{"shop.Volume.publisher,title ListFilter[0]", "shop.Volume.title Ordering"}; !slices.Equal(got, want) {
			t.Fatalf("advice %q, want %q", got, want)
		}
		warned := false
		for _, m := range f.app.Site.Check() {
			if m.ID == "staffroom.W003" && m.Model == "shop.Volume" && m.Option == "Ordering" {
				warned = true
			}
		}
		if !warned {
			t.Error("check does not warn of the missing index")
		}
		made, err := f.app.Site.CreateAdviceIndexes(ctx)
		if err != nil || len(made) != 2 {
			t.Fatalf("created %v, %v", made, err)
		}
		if advice, err := f.app.Site.IndexAdvice(ctx); err != nil || len(advice) != 0 {
			t.Errorf("advice after creating the index: %v %v", advice, err)
		}
		for _, m := range f.app.Site.Check() {
			if m.ID == "staffroom.W003" {
				t.Errorf("check still warns: %s", m)
			}
		}
	})
}

// TestSearchIndexAdvice: an "@title" search field asks for a full-text
// index — PostgreSQL's GIN index, SQLite's FTS5 table — which
// CreateAdviceIndexes makes; the search still finds its rows. On MySQL
// "@" searches every word of the term, and nothing is advised.
func TestSearchIndexAdvice(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		va.SearchFields = []string{"@title"}
		f := newShop(t, dialect, registerShop(va))
		f.insert(&Volume{Title: "The Go Programming Language", InStock: true}, &Volume{Title: "Dune", InStock: true})
		ctx := context.Background()
		search := func() []string {
			r := f.root.Get("/admin/shop/volume/?q=programming+go")
			expectStatus(t, r, 200)
			return rowNames(r)
		}
		advice, err := f.app.Site.IndexAdvice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var searchAdvice []string
		for _, a := range advice {
			if a.Search {
				searchAdvice = append(searchAdvice, a.Field.Name+" "+a.Option)
			}
		}
		if dialect == "mysql" {
			if len(searchAdvice) != 0 {
				t.Errorf("search index advised on %s: %v", dialect, searchAdvice)
			}
		} else if !slices.Equal(searchAdvice, []string{"title SearchFields[0]"}) {
			t.Fatalf("search advice %v", searchAdvice)
		}
		if got := search(); !slices.Equal(got, []string{"The Go Programming Language"}) {
			t.Errorf("search before the index: %v", got)
		}
		if _, err := f.app.Site.CreateAdviceIndexes(ctx); err != nil {
			t.Fatal(err)
		}
		if advice, _ := f.app.Site.IndexAdvice(ctx); len(advice) != 0 {
			t.Errorf("advice left: %v", advice)
		}
		if got := search(); !slices.Equal(got, []string{"The Go Programming Language"}) {
			t.Errorf("search after the index: %v", got)
		}
	})
}
