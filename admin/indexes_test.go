package admin_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
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
// index — PostgreSQL's GIN index, SQLite's FTS5 table, MySQL's FULLTEXT
// index — which CreateAdviceIndexes makes; the search still finds its
// rows.
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
		if !slices.Equal(searchAdvice, []string{"title SearchFields[0]"}) {
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

// TestSubstringIndexAdvice: a plain search field of a table as big as
// BigTableRows asks for a substring index — of its own column, or
// of the related table's across a foreign key (here one to a non-key
// field, and null for one volume) — which CreateAdviceIndexes makes; the
// searches find the same rows before and after, as a join would.
func TestSubstringIndexAdvice(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		va.SearchFields = []string{"title", "publisher__name"}
		app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), Site: admin.SiteOptions{BigTableRows: 3}},
			[]orm.AppConfig{notesApp(), {Name: "shop", Models: []any{Publisher{}, Volume{}, Chapter{}, Sale{}}}}, registerShop(va))
		f := &fixture{t: t, app: app, root: c}
		f.insert(&Publisher{Number: 7, Name: "Orchard Press"}, &Publisher{Number: 8, Name: "Harbour Books"}, &Publisher{Number: 9, Name: "Quiet Orchards"})
		f.insert(&Volume{Title: "Apple Orchards", Publisher: orm.FK[Publisher](8)}, &Volume{Title: "Dune", Publisher: orm.FK[Publisher](7)},
			&Volume{Title: "Sea Harbours"}, &Volume{Title: "Emma", Publisher: orm.FK[Publisher](8)})
		ctx := context.Background()
		search := func(q string) []string {
			r := f.root.Get("/admin/shop/volume/?q=" + url.QueryEscape(q))
			expectStatus(t, r, 200)
			got := rowNames(r)
			slices.Sort(got)
			return got
		}
		terms := []string{"orchard", "HARBOUR", "quiet", "press dune", "ea", "zzz"}
		before := map[string][]string{}
		for _, q := range terms {
			before[q] = search(q)
		}
		if want := []string{"Apple Orchards", "Dune"}; !slices.Equal(before["orchard"], want) {
			t.Fatalf("search orchard = %v, want %v", before["orchard"], want)
		}
		if want := []string{"Apple Orchards", "Emma", "Sea Harbours"}; !slices.Equal(before["HARBOUR"], want) {
			t.Fatalf("search HARBOUR = %v, want %v", before["HARBOUR"], want)
		}
		if dialect == "postgres" { // the estimate of a table never analysed is none
			if _, err := f.app.DB.Exec(ctx, "ANALYZE"); err != nil {
				t.Fatal(err)
			}
		}
		advice, err := f.app.Site.IndexAdvice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range advice {
			if a.Substring {
				got = append(got, a.Model.Label()+"."+a.Field.Name+" "+a.Option)
			}
		}
		slices.Sort(got)
		want := []string{"shop.Publisher.name SearchFields[1]", "shop.Volume.title SearchFields[0]"}
		if dialect == "mysql" {
			want = nil
		}
		if !slices.Equal(got, want) {
			t.Fatalf("substring advice %v, want %v", got, want)
		}
		warned := false
		for _, m := range f.app.Site.Check() {
			warned = warned || m.ID == "staffroom.W003" && m.Model == "shop.Volume" && m.Option == "SearchFields[0]"
		}
		if warned != (dialect != "mysql") {
			t.Errorf("check warns of the substring index: %v", warned)
		}
		if _, err := f.app.Site.CreateAdviceIndexes(ctx); err != nil {
			t.Fatal(err)
		}
		if advice, _ := f.app.Site.IndexAdvice(ctx); len(advice) != 0 {
			t.Errorf("advice left: %v", advice)
		}
		for _, q := range terms {
			if got := search(q); !slices.Equal(got, before[q]) {
				t.Errorf("search %q with the indexes = %v, before = %v", q, got, before[q])
			}
		}
	})
}

// TestSortIndexAdvice: on a big table, a column the list may be sorted
// by is advised with the admin's Ordering second, in its direction — the
// ordering that sorts the column's ties — and CreateAdviceIndexes makes
// that index, descending column and all; the sorted page keeps its
// order.
func TestSortIndexAdvice(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		va.Ordering = []string{"-title"}
		app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), Site: admin.SiteOptions{BigTableRows: 3}},
			[]orm.AppConfig{notesApp(), {Name: "shop", Models: []any{Publisher{}, Volume{}, Chapter{}, Sale{}}}}, registerShop(va))
		f := &fixture{t: t, app: app, root: c}
		f.insert(&Volume{Title: "Emma", Price: 7}, &Volume{Title: "Dune", Price: 5}, &Volume{Title: "Ulysses", Price: 5},
			&Volume{Title: "Beloved", Price: 5, InStock: false})
		ctx := context.Background()
		if dialect == "postgres" { // the estimate of a table never analysed is none
			if _, err := f.app.DB.Exec(ctx, "ANALYZE"); err != nil {
				t.Fatal(err)
			}
		}
		advice, err := f.app.Site.IndexAdvice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range advice {
			if !a.Substring {
				got = append(got, a.String())
			}
		}
		slices.Sort(got)
		want := []string{
			"shop_volume(in_stock, title DESC) (shop.Volume), for ListDisplay[2]",
			"shop_volume(price, title DESC) (shop.Volume), for ListDisplay[1]",
			"shop_volume(title) (shop.Volume), for Ordering",
		}
		if !slices.Equal(got, want) {
			t.Fatalf("advice\n%q, want\n%q", got, want)
		}
		warned := false
		for _, m := range f.app.Site.Check() {
			warned = warned || m.ID == "staffroom.W003" && m.Option == "ListDisplay[1]" &&
				strings.Contains(m.Msg, "its ties by 'title'") && strings.Contains(m.Msg, "(price, title DESC)")
		}
		if !warned {
			t.Error("check does not warn of the (price, title DESC) index")
		}
		if _, err := f.app.Site.CreateAdviceIndexes(ctx); err != nil {
			t.Fatal(err)
		}
		if advice, _ := f.app.Site.IndexAdvice(ctx); len(advice) != 0 {
			t.Errorf("advice left: %v", advice)
		}
		// The catalogue has the second column descending.
		var query string
		switch dialect {
		case "sqlite":
			query = `SELECT count(*) FROM sqlite_master WHERE tbl_name = 'shop_volume' AND sql LIKE '%("price", "title" DESC)%'`
		case "postgres":
			query = `SELECT count(*) FROM pg_indexes WHERE tablename = 'shop_volume' AND indexdef LIKE '%(price, title DESC)%'`
		case "mysql":
			query = `SELECT count(*) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'shop_volume'
AND COLUMN_NAME = 'title' AND SEQ_IN_INDEX = 2 AND COLLATION = 'D' AND INDEX_NAME IN (SELECT INDEX_NAME FROM information_schema.STATISTICS
WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'shop_volume' AND COLUMN_NAME = 'price' AND SEQ_IN_INDEX = 1)`
		}
		rows, err := f.app.DB.QueryRaw(ctx, query)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		for rows.Next() {
			if err := rows.Scan(&n); err != nil {
				t.Fatal(err)
			}
		}
		rows.Close()
		if n != 1 {
			t.Errorf("%d indexes of (price, title DESC) in the catalogue, want 1", n)
		}
		if dialect == "sqlite" {
			plan := explainSQLite(t, f.app.DB, `SELECT * FROM shop_volume ORDER BY price, title DESC, id DESC LIMIT 100`)
			if !strings.Contains(plan, "USING INDEX shop_volume_price_title") {
				t.Errorf("the sorted page is not read through the index:\n%s", plan)
			}
		}
		// Sorted by price (column 2, after the checkbox), ties by -title.
		r := f.root.Get("/admin/shop/volume/?o=2")
		expectStatus(t, r, 200)
		if got, want := rowNames(r), []string{"Ulysses", "Dune", "Beloved", "Emma"}; !slices.Equal(got, want) {
			t.Errorf("sorted by price: %v, want %v", got, want)
		}
	})
}

// explainSQLite returns SQLite's query plan of query, a line a step.
func explainSQLite(t *testing.T, db *orm.DB, query string) string {
	t.Helper()
	rows, err := db.QueryRaw(context.Background(), "EXPLAIN QUERY PLAN "+query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			t.Fatal(err)
		}
		b.WriteString(detail + "\n")
	}
	return b.String()
}

// TestAdviceIndexesAnalyseFirst: on PostgreSQL, a table never analysed has
// no estimate of its size; CreateAdviceIndexes analyses it first, so the
// indexes only a big table needs are made right after a load.
func TestAdviceIndexesAnalyseFirst(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		if dialect != "postgres" {
			return
		}
		va := volumeAdmin()
		app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), Site: admin.SiteOptions{BigTableRows: 3}},
			[]orm.AppConfig{notesApp(), {Name: "shop", Models: []any{Publisher{}, Volume{}, Chapter{}, Sale{}}}}, registerShop(va))
		f := &fixture{t: t, app: app, root: c}
		f.insert(&Volume{Title: "Emma", Price: 7}, &Volume{Title: "Dune", Price: 5}, &Volume{Title: "Ulysses", Price: 5}, &Volume{Title: "Beloved", Price: 5})
		made, err := f.app.Site.CreateAdviceIndexes(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(made, func(s string) bool { return strings.Contains(s, "shop_volume(price, title)") }) {
			t.Errorf("made %q, want the index of (price, title) a big table's sort needs", made)
		}
	})
}
