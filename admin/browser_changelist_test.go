package admin_test

import (
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
)

// The change list's sort headers and filter boxes clicked through in a
// real browser.

// column is the text of the cells of a column, in row order, spaces
// between.
func column(p *browser.Page, name string) string {
	return browser.Eval[string](p, `Array.from(document.querySelectorAll("#result_list tbody .field-`+name+`")).map((c) => c.innerText.trim()).join(" ")`)
}

// sortState is what the headers show: the sorted columns' names with
// their priority numbers (shown only when several are sorted) and
// direction, as "in_stock:1:desc price:2:asc".
func sortState(p *browser.Page) string {
	return browser.Eval[string](p, `Array.from(document.querySelectorAll("#result_list thead th.sorted")).map((th) => {
		const name = Array.from(th.classList).find((c) => c.startsWith("column-")).slice(7);
		const priority = th.querySelector(".sortpriority");
		return name + ":" + (priority ? priority.textContent : "") + ":" + (th.classList.contains("ascending") ? "asc" : "desc");
	}).join(" ")`)
}

func TestBrowserSortHeaders(t *testing.T) {
	f := newShop(t, "sqlite", registerShop(&admin.ModelAdmin{ListDisplay: []any{"title", "price", "in_stock"}}))
	for _, v := range []struct {
		title   string
		price   int64
		inStock bool
	}{{"a", 3, true}, {"b", 1, false}, {"c", 2, true}, {"d", 1, true}, {"e", 2, false}} {
		f.insert(&Volume{Title: v.title, Price: v.price, InStock: v.inStock})
	}
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")

	steps := []struct {
		what         string
		click        func()
		sorted       string
		titles       string // "" when ties leave the order open
		prices       string
		withPriority bool
	}{
		{"the page as loaded", func() {}, "", "e d c b a", "2 1 2 1 3", false},
		{"click Price", func() { p.ClickLink("Price") }, "price::asc", "", "1 1 2 2 3", false},
		{"click In stock", func() { p.ClickLink("In stock") }, "price:2:asc in_stock:1:asc", "b e d c a", "1 2 1 2 3", true},
		{"toggle In stock", func() { p.Follow("th.column-in_stock a.toggle") }, "price:2:asc in_stock:1:desc", "d c a b e", "1 2 3 1 2", true},
		{"toggle Price", func() { p.Follow("th.column-price a.toggle") }, "price:2:desc in_stock:1:desc", "a c d e b", "3 2 1 2 1", true},
		{"remove In stock", func() { p.Follow("th.column-in_stock a.sortremove") }, "price::desc", "", "3 2 2 1 1", false},
		{"click Price, the primary: it turns", func() { p.ClickLink("Price") }, "price::asc", "", "1 1 2 2 3", false},
		{"remove Price", func() { p.Follow("th.column-price a.sortremove") }, "", "e d c b a", "2 1 2 1 3", false},
	}
	for _, step := range steps {
		step.click()
		if got := sortState(p); got != step.sorted {
			t.Errorf("%s: sorted headers %q, want %q (%s)", step.what, got, step.sorted, p.URL())
		}
		if got := column(p, "title"); step.titles != "" && got != step.titles {
			t.Errorf("%s: titles %q, want %q", step.what, got, step.titles)
		}
		if got := column(p, "price"); got != step.prices {
			t.Errorf("%s: prices %q, want %q", step.what, got, step.prices)
		}
		if got := visible(p, ".sortpriority"); got != step.withPriority {
			t.Errorf("%s: priority numbers shown: %v", step.what, got)
		}
	}
}
