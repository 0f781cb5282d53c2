package admin_test

import (
	"context"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
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

// publishers are the filter tests' publishers, in the order of their
// numbers (the to_field the volumes refer to).
var publishers = []string{"Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf", "Hotel", "India", "Juliett", "Kilo", "Lima"}

// newFilterShop serves volumes filtered by publisher and title, with the
// admin's ListFilterMaxChoices; each publisher has two volumes, "<name>
// 1" and "<name> 2", and publishers are searchable by name.
func newFilterShop(t *testing.T, maxChoices int) (*fixture, *browser.Page, string) {
	f := newShop(t, "sqlite", func(s *admin.Site) error {
		if err := s.Register(Publisher{}, &admin.ModelAdmin{SearchFields: []string{"name"}, Ordering: []string{"number"}}); err != nil {
			return err
		}
		return s.Register(Volume{}, &admin.ModelAdmin{ListDisplay: []any{"title", "publisher"}, Ordering: []string{"title"},
			ListFilter: []any{"publisher", "title"}, ListFilterMaxChoices: maxChoices})
	})
	for i, name := range publishers {
		f.insert(&Publisher{Number: int64(100 + i), Name: name})
		for _, n := range []string{" 1", " 2"} {
			f.insert(&Volume{Title: name + n, Publisher: orm.FK[Publisher](int64(100 + i))})
		}
	}
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")
	return f, p, base
}

// shownChoices is the visible choices of the filter box titled title.
func shownChoices(p *browser.Page, title string) string {
	return browser.Eval[string](p, `Array.from(document.querySelectorAll('#changelist-filter details[data-filter-title="`+title+`"] li')).filter((li) => li.checkVisibility()).map((li) => li.innerText.trim()).join(", ")`)
}

// typeSearch empties the search box of the filter box titled title and
// types text into it.
func typeSearch(p *browser.Page, title, text string) {
	box := `#changelist-filter details[data-filter-title="` + title + `"] input.filter-search`
	browser.Eval[bool](p, `(document.querySelector('`+box+`').value = "") === ""`)
	p.Type(box, text)
}

// volumeTitles lists the titles of the volumes the query set holds.
func volumeTitles(t *testing.T, qs orm.QuerySet) string {
	t.Helper()
	vs, err := orm.All[Volume](context.Background(), qs.OrderBy("title"))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, v := range vs {
		titles = append(titles, v.Title)
	}
	return strings.Join(titles, " ")
}

func TestBrowserFilterSearch(t *testing.T) {
	f, p, base := newFilterShop(t, 0)
	if n := browser.Eval[int](p, `document.querySelectorAll("#changelist-filter input.filter-search").length`); n != 2 {
		t.Fatalf("%d search boxes, want one for each long filter", n)
	}
	typeSearch(p, "publisher", "LI")
	if got := shownChoices(p, "publisher"); got != "Charlie, Juliett, Lima" {
		t.Errorf("choices left after typing LI: %q", got)
	}
	if got := shownChoices(p, "title"); !strings.HasPrefix(got, "All, Alpha 1") {
		t.Errorf("the other filter's choices changed: %q", got)
	}
	p.Type(`details[data-filter-title="publisher"] input.filter-search`, "\r") // three left: Enter does nothing
	typeSearch(p, "publisher", "lim")
	if got := shownChoices(p, "publisher"); got != "Lima" {
		t.Errorf("choices left after typing lim: %q", got)
	}
	p.ClickLink("Lima")
	want := volumeTitles(t, orm.For[Volume](f.app.DB).Filter(orm.Q{"publisher__name": "Lima"}))
	if got := column(p, "title"); got != want || want != "Lima 1 Lima 2" {
		t.Errorf("after choosing Lima the list shows %q, want %q", got, want)
	}
	if got := p.Text(`details[data-filter-title="publisher"] li.selected`); got != "Lima" {
		t.Errorf("the selected choice reads %q", got)
	}

	// Enter follows the only choice left.
	typeSearch(p, "title", "lima 2\r")
	p.WaitURL(base + "/admin/shop/volume/?publisher__number__exact=111&title=Lima+2")
	if got := column(p, "title"); got != "Lima 2" {
		t.Errorf("Lima's volumes titled Lima 2: %q", got)
	}
}

func TestBrowserFilterSearchMore(t *testing.T) {
	_, p, base := newFilterShop(t, 5)
	if got := shownChoices(p, "publisher"); got != "All, Alpha, Bravo, Charlie, Delta, Echo, -" {
		t.Fatalf("publisher choices: %q", got)
	}
	// The box's search input, hidden without JavaScript, shows.
	typeSearch(p, "publisher", "Golf\r") // not listed: the publishers' change list, searched
	p.WaitURL(base + "/admin/shop/publisher/?q=Golf")
	if got := column(p, "__str__"); got != "Golf" {
		t.Errorf("the publishers found: %q", got)
	}
	p.Back()
	typeSearch(p, "publisher", "bra\r") // listed: Bravo's volumes
	p.WaitURL(base + "/admin/shop/volume/?publisher__number__exact=101")
	if got := column(p, "title"); got != "Bravo 1 Bravo 2" {
		t.Errorf("Bravo's volumes: %q", got)
	}
	// A box without a "More…" link filters by the exact value typed.
	p.Open(base + "/admin/shop/volume/")
	typeSearch(p, "title", "Kilo 2\r")
	p.WaitURL(base + "/admin/shop/volume/?title=Kilo+2")
	if got := column(p, "title"); got != "Kilo 2" {
		t.Errorf("Kilo 2 by its title: %q", got)
	}
}
