package admin_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// TestExactCountLimit: past ExactCountLimit the change list counts no
// further than the limit, shows the database's estimate or a lower bound,
// pages on, and counts exactly on demand.
func TestExactCountLimit(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		va.ExactCountLimit = 5
		va.ListPerPage = 2
		f := newShop(t, dialect, registerShop(va))
		for _, title := range []string{"a1", "a2", "a3", "b1", "b2", "b3", "b4", "c1"} {
			f.insert(&Volume{Title: title, InStock: true})
		}
		counted, n := countingClient(t, f.app, f.root)

		page := counted.Get("/admin/shop/volume/")
		expectStatus(t, page, 200)
		text := strings.Join(strings.Fields(page.Text("p.paginator")), " ")
		approx := regexp.MustCompile(`(About (\d+)|More than 5) volumes \(count exactly\)`)
		m := approx.FindStringSubmatch(text)
		if m == nil {
			t.Fatalf("paginator %q: no approximate count", text)
		}
		if est, _ := strconv.Atoi(m[2]); m[2] != "" && est <= 5 {
			t.Errorf("an estimate at or under the limit: %q", text)
		}
		// The select-across link does not pass the bound off as a count.
		selectAll := strings.Join(strings.Fields(page.Text(".actions .question a")), " ")
		if !regexp.MustCompile(`^Select all volumes \((about \d+|more than 5)\)$`).MatchString(selectAll) {
			t.Errorf("select-across link %q", selectAll)
		}
		for _, s := range n.Statements() {
			q := strings.ToUpper(s.Query)
			if strings.Contains(q, "COUNT(") && strings.Contains(q, "SHOP_VOLUME") && !strings.Contains(q, "LIMIT") {
				t.Errorf("an unbounded count past the limit: %s", s.Query)
			}
		}
		// Pages go on past what the estimate allows for, empty at worst.
		if r := f.root.Get("/admin/shop/volume/?p=4"); r.StatusCode != 200 || r.Find("#result_list tbody tr").Length() != 2 {
			t.Errorf("page 4: %d, %d rows", r.StatusCode, r.Find("#result_list tbody tr").Length())
		}
		if r := f.root.Get("/admin/shop/volume/?p=40"); r.StatusCode != 200 {
			t.Errorf("a page past the rows: %d", r.StatusCode)
		}

		link, ok := page.Find("a.exact-count").Attr("href")
		if !ok || !strings.Contains(link, "_count=exact") {
			t.Fatalf("exact count link %q", link)
		}
		exact := f.root.Get("/admin/shop/volume/" + link)
		expectStatus(t, exact, 200)
		if got := strings.Join(strings.Fields(exact.Text("p.paginator")), " "); !strings.Contains(got, " 8 volumes") || exact.Find("a.exact-count").Length() != 0 {
			t.Errorf("exact paginator %q", got)
		}
		// The exact mode is kept by the page links, and is not a filter.
		if href, _ := exact.Find("p.paginator a").First().Attr("href"); !strings.Contains(href, "_count=exact") {
			t.Errorf("page link %q drops the exact count", href)
		}
		if exact.Find("#changelist-filter").Length() != 0 && strings.Contains(exact.Text("#changelist-filter"), "_count") {
			t.Error("_count shows as a filter")
		}

		// A search under the limit is counted exactly; its total is not.
		found := f.root.Get("/admin/shop/volume/?q=b")
		expectStatus(t, found, 200)
		got := strings.Join(strings.Fields(found.Text("#changelist-search .small")), " ")
		if !regexp.MustCompile(`^4 results \((About \d+|More than 5) total\)$`).MatchString(got) {
			t.Errorf("search counts %q", got)
		}

		// On PostgreSQL, once the table is analysed and known big, the
		// statistics decide without even the bounded count.
		if dialect == "postgres" {
			if _, err := f.app.DB.Exec(context.Background(), "ANALYZE"); err != nil {
				t.Fatal(err)
			}
			before := len(n.Statements())
			page := counted.Get("/admin/shop/volume/")
			expectStatus(t, page, 200)
			if text := strings.Join(strings.Fields(page.Text("p.paginator")), " "); !strings.Contains(text, "About 8 volumes") {
				t.Errorf("analysed: paginator %q", text)
			}
			for _, s := range n.Statements()[before:] {
				if q := strings.ToUpper(s.Query); strings.Contains(q, "COUNT(") && strings.Contains(q, "SHOP_VOLUME") {
					t.Errorf("analysed: a count past the statistics: %s", s.Query)
				}
			}
		}

		// On SQLite, a search of a big table is estimated from a sample of
		// its newest rows, without even the bounded count.
		if dialect == "sqlite" {
			_, err := f.app.DB.Exec(context.Background(), `WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 150000)
INSERT INTO shop_volume (title, price, in_stock) SELECT CASE WHEN x % 4 = 0 THEN 'Orchard ' || x ELSE 'Press ' || x END, 0, 1 FROM n`)
			if err != nil {
				t.Fatal(err)
			}
			before := len(n.Statements())
			found := counted.Get("/admin/shop/volume/?q=orchard")
			expectStatus(t, found, 200)
			got := strings.Join(strings.Fields(found.Text("#changelist-search .small")), " ")
			m := regexp.MustCompile(`^About ([\d,]+) results`).FindStringSubmatch(got)
			if m == nil {
				t.Fatalf("big search counts %q", got)
			}
			if est, _ := strconv.Atoi(strings.ReplaceAll(m[1], ",", "")); est < 33_000 || est > 42_000 {
				t.Errorf("big search estimate %q, want about 37,500", got)
			}
			for _, s := range n.Statements()[before:] {
				if q := strings.ToUpper(s.Query); strings.Contains(q, "COUNT(") && strings.Contains(q, "LIMIT") && strings.Contains(q, "WHERE") {
					t.Errorf("big search: a bounded count past the estimate: %s", s.Query)
				}
			}
		}

		// Under the limit, nothing changes.
		va2 := volumeAdmin()
		g := newShop(t, dialect, registerShop(va2))
		g.insert(&Volume{Title: "only", InStock: true})
		if got := strings.Join(strings.Fields(g.root.Get("/admin/shop/volume/").Text("p.paginator")), " "); got != "1 volume" {
			t.Errorf("a small list's paginator %q", got)
		}
	})
}

// TestFewRowsReadByKeys: a search finding few rows of a big table (one
// in a hundred or fewer) reads their keys by the search alone, then the
// page among those keys — no planner then reads the ordering's index to
// the end looking for them — and a search finding none reads no page at
// all; one finding more reads its page directly.
func TestFewRowsReadByKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), Site: admin.SiteOptions{BigTableRows: 3}},
			[]orm.AppConfig{notesApp(), {Name: "shop", Models: []any{Publisher{}, Volume{}, Chapter{}, Sale{}}}}, registerShop(va))
		f := &fixture{t: t, app: app, root: c}
		for _, title := range []string{"Emma", "Dune", "Ulysses", "Beloved", "Middlemarch", "Emmanuelle"} {
			f.insert(&Volume{Title: title, Price: 5})
		}
		// 200 more: "emma" is then one row in a hundred, "dune" one in
		// fifty-five, which reads its page in order.
		for i := range 200 {
			title := fmt.Sprintf("Volume %03d", i)
			if i%50 == 0 {
				title = fmt.Sprintf("Dune %03d", i)
			}
			f.insert(&Volume{Title: title, Price: 5})
		}
		counted, n := countingClient(t, f.app, f.root)
		for _, tc := range []struct {
			q    string
			rows []string
		}{
			{"emma", []string{"Emma", "Emmanuelle"}},
			{"zzz", nil},
			{"dune", []string{"Dune", "Dune 000", "Dune 050", "Dune 100", "Dune 150"}},
		} {
			before := len(n.Statements())
			r := counted.Get("/admin/shop/volume/?q=" + tc.q)
			expectStatus(t, r, 200)
			if got := rowNames(r); !slices.Equal(got, tc.rows) {
				t.Errorf("%s: rows %q, want %q", tc.q, got, tc.rows)
			}
			var keys, page bool
			for _, s := range n.Statements()[before:] {
				q := strings.ToUpper(s.Query)
				if !strings.Contains(q, `FROM "SHOP_VOLUME"`) && !strings.Contains(q, "FROM `SHOP_VOLUME`") || strings.Contains(q, "COUNT(") {
					continue
				}
				switch {
				case strings.Contains(q, "LIMIT") && strings.Contains(q, "ORDER BY"):
					page = true
					if tc.q != "dune" && !strings.Contains(q, " IN (") {
						t.Errorf("%s: the page is not read by its keys: %s", tc.q, s.Query)
					}
				case strings.Contains(q, "WHERE") && !strings.Contains(q, "LIMIT") && !strings.Contains(q, "EXISTS("):
					keys = true
				}
			}
			if tc.q == "dune" {
				if keys || !page {
					t.Errorf("%s, one row in fifty: keys read first %v, page read %v; want the page alone", tc.q, keys, page)
				}
				continue
			}
			if found := len(tc.rows) > 0; keys != found || page != found {
				t.Errorf("%s: keys read first %v, page read %v; want both %v", tc.q, keys, page, found)
			}
		}
	})
}

// TestBigSQLitePageReadByKeys: on SQLite, a page of a big table is read
// by its keys, picked in a subquery in the ordering's order (which an
// index covering the sort reads in order, where the whole rows would be
// sorted), with the same rows in the same order as a plain read, on the
// first page, a numbered page and a keyset page, sorted and searched.
func TestBigSQLitePageReadByKeys(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		va.ListPerPage = 2
		app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), Site: admin.SiteOptions{BigTableRows: 3}},
			[]orm.AppConfig{notesApp(), {Name: "shop", Models: []any{Publisher{}, Volume{}, Chapter{}, Sale{}}}}, registerShop(va))
		f := &fixture{t: t, app: app, root: c}
		for _, v := range []Volume{{Title: "Emma", Price: 5}, {Title: "Ulysses", Price: 9}, {Title: "Dune", Price: 9},
			{Title: "Beloved", Price: 2}, {Title: "Middlemarch", Price: 5}, {Title: "Emmanuelle", Price: 7}} {
			f.insert(&v)
		}
		counted, n := countingClient(t, f.app, f.root)
		// o=-2: the price column (after the checkbox), descending; ties by
		// the admin's ordering, title.
		for _, tc := range []struct {
			query string
			rows  []string
		}{
			{"?o=-2", []string{"Dune", "Ulysses"}},
			{"?o=-2&p=2", []string{"Emmanuelle", "Emma"}},
			{"?o=-2&p=3", []string{"Middlemarch", "Beloved"}},
			{"?o=2", []string{"Beloved", "Emma"}},
			{"?o=-2&q=emma", []string{"Emmanuelle", "Emma"}},
			{"", []string{"Beloved", "Dune"}},
		} {
			before := len(n.Statements())
			r := counted.Get("/admin/shop/volume/" + tc.query)
			expectStatus(t, r, 200)
			if got := rowNames(r); !slices.Equal(got, tc.rows) {
				t.Errorf("%s: rows %q, want %q", tc.query, got, tc.rows)
			}
			if next, ok := r.Find("p.paginator a.next").Attr("href"); ok && tc.query == "?o=-2" {
				// The keyset's Next link reads page 2 by its keys too.
				nr := f.root.Get("/admin/shop/volume/" + strings.ReplaceAll(next, "&amp;", "&"))
				if got, want := rowNames(nr), []string{"Emmanuelle", "Emma"}; !slices.Equal(got, want) {
					t.Errorf("next page %s: rows %q, want %q", next, got, want)
				}
			}
			if dialect != "sqlite" {
				continue
			}
			var byKeys bool
			for _, s := range n.Statements()[before:] {
				q := strings.ToUpper(s.Query)
				if strings.HasPrefix(q, `SELECT "SHOP_VOLUME"."ID", "SHOP_VOLUME"."TITLE"`) && strings.Contains(q, "ORDER BY") {
					byKeys = regexp.MustCompile(`"SHOP_VOLUME"\."ID" IN \(SELECT .* ORDER BY .* LIMIT`).MatchString(q)
				}
			}
			if !byKeys && !strings.Contains(tc.query, "q=") {
				t.Errorf("%s: the page is not read by its keys", tc.query)
			}
		}
	})
}
