package admin_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom/internal/webtest"
)

// TestKeysetPaging: the Next link carries the last row's sort key, and
// the page it opens is read as "the rows after it", without OFFSET, with
// the same rows as the numbered page — by a unique and by a repeated,
// descending column.
func TestKeysetPaging(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		va := volumeAdmin()
		va.ListPerPage = 5
		f := newShop(t, dialect, registerShop(va))
		for i, title := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"} {
			f.insert(&Volume{Title: title, Price: int64(i / 3), InStock: true})
		}
		c, n := countingClient(t, f.app, f.root)
		titles := func(r *webtest.Response) []string {
			var out []string
			r.Find("#result_list tbody th").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
			return out
		}
		for _, order := range []string{"", "?o=-2", "?o=-3.1"} { // by title; by price, descending; by in stock then title
			page := c.Get("/admin/shop/volume/" + order)
			expectStatus(t, page, 200)
			var byKey [][]string
			for range 3 {
				byKey = append(byKey, titles(page))
				next, ok := page.Find("a.next").Attr("href")
				if !ok {
					break
				}
				if !strings.Contains(next, "_after=") {
					t.Fatalf("next link %q has no cursor", next)
				}
				before := len(n.Statements())
				page = c.Get("/admin/shop/volume/" + next)
				expectStatus(t, page, 200)
				for _, s := range n.Statements()[before:] {
					if strings.Contains(s.Query, "shop_volume") && strings.Contains(strings.ToUpper(s.Query), "OFFSET") {
						t.Errorf("a keyset page read by OFFSET: %s", s.Query)
					}
				}
			}
			if len(byKey) != 3 || page.Find("a.next").Length() != 0 {
				t.Fatalf("%s: %d pages by key, the last with a Next link: %v", order, len(byKey), page.Find("a.next").Length())
			}
			sep := "?"
			if order != "" {
				sep = order + "&"
			}
			for i := range 3 {
				byNumber := titles(f.root.Get("/admin/shop/volume/" + sep + "p=" + string(rune('1'+i))))
				if !slices.Equal(byKey[i], byNumber) {
					t.Errorf("%s page %d: by key %v, by number %v", order, i+1, byKey[i], byNumber)
				}
			}
		}
		// A forged or stale cursor is ignored: the page is read by number.
		for _, bad := range []string{"nonsense", "eyJwIjo5LCJrIjpbInoiLCIxIl19"} {
			r := f.root.Get("/admin/shop/volume/?p=2&_after=" + bad)
			expectStatus(t, r, 200)
			if got := titles(r); len(got) != 5 || got[0] != "f" {
				t.Errorf("cursor %q: rows %v", bad, got)
			}
		}
		// Page number links never carry a cursor.
		page := f.root.Get("/admin/shop/volume/?p=2&_after=x")
		page.Find("p.paginator a:not(.next)").Each(func(_ int, s *goquery.Selection) {
			if href, _ := s.Attr("href"); strings.Contains(href, "_after") {
				t.Errorf("page link %q carries a cursor", href)
			}
		})
	})
}
