package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The library app is the list filters' test models, after Django's
// tests/admin_filters: a book with a nullable boolean, choices (grouped,
// with an empty-string choice, and a None choice on a nullable field), a
// date and a nullable date-time, a nullable foreign key, a many-to-many,
// a reverse relation (its reviews) and a nullable text.

type LibHouse struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

func (h *LibHouse) String() string { return h.Name }

// Meta orders houses by name, descending, unless their admin says
// otherwise.
func (LibHouse) Meta() orm.Meta { return orm.Meta{Ordering: []string{"-name"}} }

type LibWriter struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

func (w *LibWriter) String() string { return w.Name }

type LibBook struct {
	ID        int64
	Title     string                   `orm:"max_length=50"`
	Available *bool                    `orm:"verbose_name='available'"`
	Category  string                   `orm:"max_length=10,blank,choices=Prose{novel:Novel|essay:Essay}|Verse{poem:Poem}|:Unknown"`
	Format    *string                  `orm:"max_length=5,blank,choices=hb:Hardback|pb:Paperback|:No format"`
	Pubdate   time.Time                `orm:"type=date"`
	Added     *time.Time               `orm:"blank"`
	House     orm.ForeignKey[LibHouse] `orm:"null,blank,on_delete=set_null"`
	Writers   orm.ManyToMany[LibWriter]
	Pages     int32
	Note      *string `orm:"max_length=20,blank"`
}

func (b *LibBook) String() string { return b.Title }

type LibReview struct {
	ID    int64
	Book  orm.ForeignKey[LibBook] `orm:"on_delete=cascade"`
	Stars int32
}

func (r *LibReview) String() string { return fmt.Sprintf("%d stars", r.Stars) }

// newLibrary is newFixture for the library app, with templates for the
// site.
func newLibrary(t *testing.T, dialect string, templates fstest.MapFS, register func(*admin.Site) error) *fixture {
	t.Helper()
	cfg := staffroom.Config{Database: testdb.URL(t, dialect)}
	if templates != nil {
		cfg.Templates = templates // a nil MapFS is not a nil fs.FS
	}
	app, c := startApp(t, cfg, []orm.AppConfig{{Name: "library", Models: []any{LibHouse{}, LibWriter{}, LibBook{}, LibReview{}}}}, register)
	return &fixture{t: t, app: app, root: c}
}

// library is the shared data: houses Alpha and Beta, writers Ann, Bob
// and Cy, and four books.
type library struct {
	alpha, beta   *LibHouse
	ann, bob, cy  *LibWriter
	dune, emma    *LibBook
	odes, untitle *LibBook
}

func ptr[T any](v T) *T { return &v }

func (f *fixture) library() *library {
	f.t.Helper()
	l := &library{alpha: &LibHouse{Name: "Alpha"}, beta: &LibHouse{Name: "Beta"},
		ann: &LibWriter{Name: "Ann"}, bob: &LibWriter{Name: "Bob"}, cy: &LibWriter{Name: "Cy"}}
	f.insert(l.alpha, l.beta, l.ann, l.bob, l.cy)
	now := time.Now()
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	l.dune = &LibBook{Title: "Dune", Available: ptr(true), Category: "novel", Format: ptr("hb"), Pubdate: today,
		Added: ptr(now.Add(-time.Minute)), House: orm.FK[LibHouse](l.alpha.ID), Pages: 600}
	l.emma = &LibBook{Title: "Emma", Available: ptr(false), Category: "novel", Format: ptr("pb"), Pubdate: today.AddDate(-3, 0, 0),
		House: orm.FK[LibHouse](l.beta.ID), Pages: 400, Note: ptr("")}
	l.odes = &LibBook{Title: "Odes", Category: "poem", Pubdate: today.AddDate(-30, 0, 0), House: orm.FK[LibHouse](l.alpha.ID), Pages: 90, Note: ptr("signed")}
	l.untitle = &LibBook{Title: "Untitled", Category: "", Pubdate: today.AddDate(-1, 0, 0), Pages: 90}
	f.insert(l.dune, l.emma, l.odes, l.untitle)
	ctx := context.Background()
	for b, ws := range map[*LibBook][]int64{l.dune: {l.ann.ID, l.bob.ID}, l.emma: {l.ann.ID}, l.odes: {l.cy.ID}} {
		if err := f.app.DB.SetM2M(ctx, b, "writers", ws); err != nil {
			f.t.Fatal(err)
		}
	}
	f.insert(&LibReview{Book: orm.FK[LibBook](l.dune.ID), Stars: 5}, &LibReview{Book: orm.FK[LibBook](l.dune.ID), Stars: 4},
		&LibReview{Book: orm.FK[LibBook](l.odes.ID), Stars: 2})
	return l
}

// filterChoices lists the choices of the filter titled title as
// "display|query string" lines, a selected one marked with "*".
func filterChoices(r *webtest.Response, title string) []string {
	var out []string
	r.Find(`#changelist-filter details[data-filter-title="` + title + `"] li`).Each(func(_ int, li *goquery.Selection) {
		a := li.Find("a")
		href, _ := a.Attr("href")
		line := strings.TrimSpace(a.Text()) + "|" + href
		if li.HasClass("selected") {
			line = "*" + line
		}
		out = append(out, line)
	})
	return out
}

// rows lists the titles of the change list's rows.
func rows(r *webtest.Response) string { return r.Text("#result_list tbody th") }

func expectLines(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got %s\nwant %s", what, strings.Join(got, "\n     "), strings.Join(want, "\n     "))
	}
}

func libAdmin(filters ...any) *admin.ModelAdmin {
	return &admin.ModelAdmin{ListFilter: filters, Ordering: []string{"title"}}
}

func TestFieldListFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newLibrary(t, d, nil, func(s *admin.Site) error {
			return s.Register(LibBook{}, libAdmin("available", "category", "format", "house", "writers", "pages", "title"))
		})
		lib := f.library()
		get := func(q string) *webtest.Response {
			t.Helper()
			r := f.root.Get("/admin/library/libbook/" + q)
			expectStatus(t, r, 200)
			return r
		}
		list := get("")
		expectLines(t, "boolean", filterChoices(list, "available"),
			"*All|?", "Yes|?available__exact=1", "No|?available__exact=0", "Unknown|?available__isnull=True")
		r := get("?available__exact=0")
		if rows(r) != "Emma" {
			t.Errorf("available__exact=0: %q", rows(r))
		}
		expectLines(t, "boolean, No chosen", filterChoices(r, "available"),
			"All|?", "Yes|?available__exact=1", "*No|?available__exact=0", "Unknown|?available__isnull=True")
		if r := get("?available__isnull=True"); rows(r) != "Odes Untitled" {
			t.Errorf("available__isnull=True: %q", rows(r))
		}

		expectLines(t, "choices", filterChoices(list, "category"),
			"*All|?", "Novel|?category__exact=novel", "Essay|?category__exact=essay", "Poem|?category__exact=poem",
			"Unknown|?category__exact=")
		r = get("?category__exact=")
		if rows(r) != "Untitled" {
			t.Errorf("category__exact=: %q", rows(r))
		}
		r = get("?category__exact=novel&category__exact=poem")
		if rows(r) != "Dune Emma Odes" {
			t.Errorf("two categories: %q", rows(r))
		}
		expectLines(t, "choices, two chosen", filterChoices(r, "category"),
			"All|?", "*Novel|?category__exact=novel", "Essay|?category__exact=essay", "*Poem|?category__exact=poem",
			"Unknown|?category__exact=")
		expectLines(t, "choices with a None choice, last", filterChoices(list, "format"),
			"*All|?", "Hardback|?format__exact=hb", "Paperback|?format__exact=pb", "No format|?format__isnull=True")
		if r := get("?format__isnull=True"); rows(r) != "Odes Untitled" {
			t.Errorf("format__isnull=True: %q", rows(r))
		}

		id := func(n int64) string { return fmt.Sprint(n) }
		l := struct{ alpha, beta, ann, bob, cy string }{id(lib.alpha.ID), id(lib.beta.ID), id(lib.ann.ID), id(lib.bob.ID), id(lib.cy.ID)}
		// The houses have no admin: the model's ordering, -name.
		expectLines(t, "related foreign key", filterChoices(list, "house"),
			"*All|?", "Beta|?house__id__exact="+l.beta, "Alpha|?house__id__exact="+l.alpha, "-|?house__isnull=True")
		r = get("?house__id__exact=" + l.alpha)
		if rows(r) != "Dune Odes" {
			t.Errorf("house: %q", rows(r))
		}
		if r := get("?house__isnull=True"); rows(r) != "Untitled" {
			t.Errorf("house__isnull=True: %q", rows(r))
		}
		expectLines(t, "related many-to-many", filterChoices(list, "writers"),
			"*All|?", "Ann|?writers__id__exact="+l.ann, "Bob|?writers__id__exact="+l.bob, "Cy|?writers__id__exact="+l.cy,
			"-|?writers__isnull=True")
		r = get("?writers__id__exact=" + l.ann + "&writers__id__exact=" + l.bob)
		if rows(r) != "Dune Emma" {
			t.Errorf("two writers (Dune once): %q", rows(r))
		}
		expectLines(t, "related many-to-many, two chosen", filterChoices(r, "writers"),
			"All|?",
			"*Ann|?writers__id__exact="+l.ann, "*Bob|?writers__id__exact="+l.bob, "Cy|?writers__id__exact="+l.cy,
			"-|?writers__isnull=True")
		if r := get("?writers__isnull=True"); rows(r) != "Untitled" {
			t.Errorf("writers__isnull=True: %q", rows(r))
		}

		expectLines(t, "all values", filterChoices(list, "pages"),
			"*All|?", "90|?pages=90", "400|?pages=400", "600|?pages=600")
		if r := get("?pages=90&pages=600"); rows(r) != "Dune Odes Untitled" {
			t.Errorf("pages=90|600: %q", rows(r))
		}

		// Choices keep the other filters' parameters, sorted; the page and
		// the error flag go.
		r = get("?house__id__exact=" + l.alpha + "&p=1&available__exact=1")
		expectLines(t, "boolean beside another filter", filterChoices(r, "available"),
			"All|?house__id__exact="+l.alpha, "*Yes|?available__exact=1&house__id__exact="+l.alpha,
			"No|?available__exact=0&house__id__exact="+l.alpha, "Unknown|?available__isnull=True&house__id__exact="+l.alpha)
		if clear, _ := r.Find(`#changelist-filter-extra-actions a:contains("Clear all filters")`).Attr("href"); clear != "?" {
			t.Errorf("clear all filters %q", clear)
		}

		for _, bad := range []string{"?available__exact=maybe", "?house__id__exact=x", "?pages=many", "?writers__id__exact=1,2"} {
			if r := f.root.Get("/admin/library/libbook/" + bad); r.StatusCode != 302 || r.Location() != "/admin/library/libbook/?e=1" {
				t.Errorf("%s: %d %s", bad, r.StatusCode, r.Location())
			}
		}
	})
}

func TestRelatedFilterOrderingAndReverse(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newLibrary(t, d, nil, func(s *admin.Site) error {
			if err := s.Register(LibHouse{}, &admin.ModelAdmin{Ordering: []string{"name"}}); err != nil {
				return err
			}
			if err := s.Register(LibWriter{}, &admin.ModelAdmin{ListFilter: []any{"libbook"}}); err != nil {
				return err
			}
			return s.Register(LibBook{}, libAdmin("house", "libreview", admin.FieldFilter{Path: "writers", Kind: admin.FilterRelatedOnly}))
		})
		l := f.library()
		list := f.root.Get("/admin/library/libbook/")
		expectStatus(t, list, 200)
		expectLines(t, "foreign key in the related admin's ordering", filterChoices(list, "house"),
			fmt.Sprintf("*All|?"), fmt.Sprintf("Alpha|?house__id__exact=%d", l.alpha.ID), fmt.Sprintf("Beta|?house__id__exact=%d", l.beta.ID),
			"-|?house__isnull=True")
		expectLines(t, "reverse relation", filterChoices(list, "libreview"),
			"*All|?", "5 stars|?libreview__id__exact=1", "4 stars|?libreview__id__exact=2", "2 stars|?libreview__id__exact=3",
			"-|?libreview__isnull=True")
		if r := f.root.Get("/admin/library/libbook/?libreview__isnull=True"); rows(r) != "Emma Untitled" {
			t.Errorf("libreview__isnull=True: %q", rows(r))
		}
		wl := f.root.Get("/admin/library/libwriter/")
		expectLines(t, "reverse many-to-many", filterChoices(wl, "libbook"),
			"*All|?", fmt.Sprintf("Dune|?libbook__id__exact=%d", l.dune.ID), fmt.Sprintf("Emma|?libbook__id__exact=%d", l.emma.ID),
			fmt.Sprintf("Odes|?libbook__id__exact=%d", l.odes.ID), fmt.Sprintf("Untitled|?libbook__id__exact=%d", l.untitle.ID),
			"-|?libbook__isnull=True")
		// Related only: the writers the books refer to, after Cy lost his.
		if err := f.app.DB.SetM2M(context.Background(), l.odes, "writers", nil); err != nil {
			t.Fatal(err)
		}
		list = f.root.Get("/admin/library/libbook/")
		expectLines(t, "related only", filterChoices(list, "writers"),
			"*All|?", fmt.Sprintf("Ann|?writers__id__exact=%d", l.ann.ID), fmt.Sprintf("Bob|?writers__id__exact=%d", l.bob.ID),
			"-|?writers__isnull=True")
	})
}

func TestDateListFilter(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newLibrary(t, d, nil, func(s *admin.Site) error {
			return s.Register(LibBook{}, libAdmin("pubdate", "added"))
		})
		f.library()
		now := time.Now().UTC() // the site has no time zone: UTC's days
		today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		day := func(t time.Time) string { return t.Format("2006-01-02") }
		tomorrow := today.AddDate(0, 0, 1)
		month := today.AddDate(0, 0, 1-today.Day())
		year := time.Date(today.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		rng := func(p string, from, to time.Time, format func(time.Time) string) string {
			return "?" + url.Values{p + "__gte": {format(from)}, p + "__lt": {format(to)}}.Encode()
		}
		list := f.root.Get("/admin/library/libbook/")
		expectStatus(t, list, 200)
		expectLines(t, "date", filterChoices(list, "pubdate"),
			"*Any date|?", "Today|"+rng("pubdate", today, tomorrow, day), "Past 7 days|"+rng("pubdate", today.AddDate(0, 0, -7), tomorrow, day),
			"This month|"+rng("pubdate", month, month.AddDate(0, 1, 0), day), "This year|"+rng("pubdate", year, year.AddDate(1, 0, 0), day))
		stamp := func(t time.Time) string { return t.Format("2006-01-02 15:04:05-07:00") }
		expectLines(t, "date-time", filterChoices(list, "added"),
			"*Any date|?", "Today|"+rng("added", today, tomorrow, stamp), "Past 7 days|"+rng("added", today.AddDate(0, 0, -7), tomorrow, stamp),
			"This month|"+rng("added", month, month.AddDate(0, 1, 0), stamp), "This year|"+rng("added", year, year.AddDate(1, 0, 0), stamp),
			"No date|?added__isnull=True", "Has date|?added__isnull=False")
		_, todayLink, _ := strings.Cut(filterChoices(list, "pubdate")[1], "|")
		r := f.root.Get("/admin/library/libbook/" + todayLink)
		if rows(r) != "Dune" {
			t.Errorf("today: %q", rows(r))
		}
		if got := filterChoices(r, "pubdate")[1]; !strings.HasPrefix(got, "*Today|") {
			t.Errorf("today not selected: %q", got)
		}
		_, addedToday, _ := strings.Cut(filterChoices(list, "added")[1], "|")
		if r := f.root.Get("/admin/library/libbook/" + addedToday); rows(r) != "Dune" {
			t.Errorf("added today: %q", rows(r))
		}
		if r := f.root.Get("/admin/library/libbook/?added__isnull=False"); rows(r) != "Dune" {
			t.Errorf("has date: %q", rows(r))
		}
		if r := f.root.Get("/admin/library/libbook/?pubdate__gte=soon"); r.Location() != "/admin/library/libbook/?e=1" {
			t.Errorf("a bad date: %d %s", r.StatusCode, r.Location())
		}
	})
}

func TestEmptyListFilter(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newLibrary(t, d, nil, func(s *admin.Site) error {
			return s.Register(LibBook{}, libAdmin(admin.FieldFilter{Path: "note", Kind: admin.FilterEmpty},
				admin.FieldFilter{Path: "writers", Kind: admin.FilterEmpty}, admin.FieldFilter{Path: "libreview", Kind: admin.FilterEmpty}))
		})
		f.library()
		list := f.root.Get("/admin/library/libbook/")
		expectStatus(t, list, 200)
		expectLines(t, "empty", filterChoices(list, "note"), "*All|?", "Empty|?note__isempty=1", "Not empty|?note__isempty=0")
		for q, want := range map[string]string{
			"note__isempty=1": "Dune Emma Untitled", "note__isempty=0": "Odes",
			"writers__isempty=1": "Untitled", "writers__isempty=0": "Dune Emma Odes",
			"libreview__isempty=1": "Emma Untitled", "libreview__isempty=0": "Dune Odes",
		} {
			r := f.root.Get("/admin/library/libbook/?" + q)
			if rows(r) != want {
				t.Errorf("%s: %q, want %q", q, rows(r), want)
			}
		}
		r := f.root.Get("/admin/library/libbook/?note__isempty=1")
		expectLines(t, "empty chosen", filterChoices(r, "note"), "All|?", "*Empty|?note__isempty=1", "Not empty|?note__isempty=0")
		if r := f.root.Get("/admin/library/libbook/?note__isempty=2"); r.Location() != "/admin/library/libbook/?e=1" {
			t.Errorf("isempty=2: %d %s", r.StatusCode, r.Location())
		}
	})
}

// A filter over more choices than ListFilterMaxChoices lists the first
// ones and links to the related change list.
func TestFilterChoicesCut(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newLibrary(t, d, nil, func(s *admin.Site) error {
			if err := s.Register(LibWriter{}, &admin.ModelAdmin{Ordering: []string{"name"}}); err != nil {
				return err
			}
			ma := libAdmin("writers", "pages", "house")
			ma.ListFilterMaxChoices = 2
			return s.Register(LibBook{}, ma)
		})
		l := f.library()
		list := f.root.Get("/admin/library/libbook/")
		expectStatus(t, list, 200)
		expectLines(t, "cut writers", filterChoices(list, "writers"),
			"*All|?", fmt.Sprintf("Ann|?writers__id__exact=%d", l.ann.ID), fmt.Sprintf("Bob|?writers__id__exact=%d", l.bob.ID),
			"-|?writers__isnull=True")
		more := list.Find(`details[data-filter-title="writers"] .filter-more`)
		if href, _ := more.Find("a").Attr("href"); href != "/admin/library/libwriter/" {
			t.Errorf("more link %q", href)
		}
		if p, _ := more.Attr("data-filter-param"); p != "writers__id__exact" {
			t.Errorf("more param %q", p)
		}
		expectLines(t, "cut values", filterChoices(list, "pages"), "*All|?", "90|?pages=90", "400|?pages=400")
		if list.Find(`details[data-filter-title="pages"] .filter-more`).Length() != 1 {
			t.Error("no note that the values were cut")
		}
		if list.Find(`details[data-filter-title="house"] .filter-more`).Length() != 0 {
			t.Error("a cut under the limit")
		}
		if list.Find(`script[src$="/admin/js/filters.js"]`).Length() != 1 {
			t.Error("a change list with filters does not load filters.js")
		}
		// A choice beyond the cut still filters.
		if r := f.root.Get(fmt.Sprintf("/admin/library/libbook/?writers__id__exact=%d", l.cy.ID)); rows(r) != "Odes" {
			t.Errorf("beyond the cut: %q", rows(r))
		}
	})
}

// A relation filter with one choice is not shown; the others are.
func TestFilterHasOutput(t *testing.T) {
	f := newLibrary(t, "sqlite", nil, func(s *admin.Site) error {
		return s.Register(LibReview{}, &admin.ModelAdmin{ListFilter: []any{"book", "stars"}})
	})
	f.library()
	r := f.root.Get("/admin/library/libreview/")
	expectLines(t, "a foreign key that is not nullable has no empty choice", filterChoices(r, "book")[:1], "*All|?")
	if got := len(filterChoices(r, "book")); got != 5 {
		t.Errorf("book filter: %d choices", got)
	}
	if _, err := orm.For[LibBook](f.app.DB).Delete(context.Background()); err != nil {
		t.Fatal(err)
	}
	f.insert(&LibReview{Book: orm.FK[LibBook](mustInsertBook(f, "Solo")), Stars: 1})
	r = f.root.Get("/admin/library/libreview/")
	if n := r.Find(`details[data-filter-title="book"]`).Length(); n != 0 {
		t.Errorf("a filter of one choice is shown: %v", filterChoices(r, "book"))
	}
	if n := r.Find(`details[data-filter-title="stars"]`).Length(); n != 1 {
		t.Error("the all-values filter is hidden")
	}
}

func mustInsertBook(f *fixture, title string) int64 {
	b := &LibBook{Title: title, Pubdate: time.Now()}
	f.insert(b)
	return b.ID
}

// Counts: "Label (N)", one query per filter; _facets=True links with
// FacetsAllow, always with FacetsAlways, never with FacetsNever.
func TestFilterFacets(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		always := libAdmin("available", "house", "writers", "pages", admin.FieldFilter{Path: "note", Kind: admin.FilterEmpty},
			&admin.SimpleListFilter{Title: "length", ParameterName: "len",
				Lookups: func(r *http.Request, ma admin.Admin) [][2]string {
					return [][2]string{{"short", "Short"}, {"long", "Long"}}
				},
				Queryset: func(r *http.Request, qs orm.QuerySet, v string) (orm.QuerySet, error) {
					if v == "short" {
						return qs.Filter(orm.Q{"pages__lt": 100}), nil
					}
					return qs.Filter(orm.Q{"pages__gte": 100}), nil
				}})
		always.ShowFacets = admin.FacetsAlways
		f := newLibrary(t, d, nil, func(s *admin.Site) error {
			if err := s.Register(LibWriter{}, &admin.ModelAdmin{Ordering: []string{"name"}}); err != nil {
				return err
			}
			if err := s.Register(LibHouse{}, &admin.ModelAdmin{ListFilter: []any{"name"}, ShowFacets: admin.FacetsNever}); err != nil {
				return err
			}
			return s.Register(LibBook{}, always)
		})
		l := f.library()
		r := f.root.Get(fmt.Sprintf("/admin/library/libbook/?house__id__exact=%d", l.alpha.ID))
		expectStatus(t, r, 200)
		// Each filter counts the rows the other filters leave.
		expectLines(t, "boolean counts", filterChoices(r, "available"),
			fmt.Sprintf("*All|?house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("Yes (1)|?available__exact=1&house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("No (0)|?available__exact=0&house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("Unknown (1)|?available__isnull=True&house__id__exact=%d", l.alpha.ID))
		expectLines(t, "foreign key counts", filterChoices(r, "house"), "All|?",
			fmt.Sprintf("Beta (1)|?house__id__exact=%d", l.beta.ID), fmt.Sprintf("*Alpha (2)|?house__id__exact=%d", l.alpha.ID),
			"- (1)|?house__isnull=True")
		expectLines(t, "many-to-many counts", filterChoices(r, "writers"),
			fmt.Sprintf("*All|?house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("Ann (1)|?house__id__exact=%d&writers__id__exact=%d", l.alpha.ID, l.ann.ID),
			fmt.Sprintf("Bob (1)|?house__id__exact=%d&writers__id__exact=%d", l.alpha.ID, l.bob.ID),
			fmt.Sprintf("Cy (1)|?house__id__exact=%d&writers__id__exact=%d", l.alpha.ID, l.cy.ID),
			fmt.Sprintf("- (0)|?house__id__exact=%d&writers__isnull=True", l.alpha.ID))
		expectLines(t, "value counts", filterChoices(r, "pages"),
			fmt.Sprintf("*All|?house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("90 (1)|?house__id__exact=%d&pages=90", l.alpha.ID),
			fmt.Sprintf("400 (0)|?house__id__exact=%d&pages=400", l.alpha.ID),
			fmt.Sprintf("600 (1)|?house__id__exact=%d&pages=600", l.alpha.ID))
		expectLines(t, "empty counts", filterChoices(r, "note"),
			fmt.Sprintf("*All|?house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("Empty (1)|?house__id__exact=%d&note__isempty=1", l.alpha.ID),
			fmt.Sprintf("Not empty (1)|?house__id__exact=%d&note__isempty=0", l.alpha.ID))
		expectLines(t, "simple filter counts", filterChoices(r, "length"),
			fmt.Sprintf("*All|?house__id__exact=%d", l.alpha.ID),
			fmt.Sprintf("Short (1)|?house__id__exact=%d&len=short", l.alpha.ID),
			fmt.Sprintf("Long (1)|?house__id__exact=%d&len=long", l.alpha.ID))
		if r.Find("#changelist-filter-extra-actions .viewlink, #changelist-filter-extra-actions .hidelink").Length() != 0 {
			t.Error("a counts toggle with FacetsAlways")
		}

		// FacetsNever: no counts, no toggle, and _facets is ignored.
		hl := f.root.Get("/admin/library/libhouse/?_facets=True")
		expectStatus(t, hl, 200)
		expectLines(t, "never", filterChoices(hl, "name"), "*All|?_facets=True", "Alpha|?_facets=True&name=Alpha", "Beta|?_facets=True&name=Beta")
		if hl.Find(".viewlink, .hidelink").Length() != 0 {
			t.Error("a counts toggle with FacetsNever")
		}
	})
}

// FacetsAllow, the default: a "Show counts" link adds _facets=True,
// which every filter link then keeps, and "Hide counts" removes it.
func TestFilterFacetsToggle(t *testing.T) {
	f := newLibrary(t, "sqlite", nil, func(s *admin.Site) error {
		return s.Register(LibBook{}, libAdmin("available"))
	})
	f.library()
	r := f.root.Get("/admin/library/libbook/?available__exact=1")
	show, _ := r.Find("#changelist-filter-extra-actions a.viewlink").Attr("href")
	if show != "?_facets=True&available__exact=1" {
		t.Fatalf("show counts %q", show)
	}
	if got := filterChoices(r, "available")[1]; got != "*Yes|?available__exact=1" {
		t.Errorf("without counts: %q", got)
	}
	r = f.root.Get("/admin/library/libbook/" + show)
	expectStatus(t, r, 200)
	expectLines(t, "with counts", filterChoices(r, "available"),
		"All|?_facets=True", "*Yes (1)|?_facets=True&available__exact=1", "No (1)|?_facets=True&available__exact=0",
		"Unknown (2)|?_facets=True&available__isnull=True")
	if hide, _ := r.Find("#changelist-filter-extra-actions a.hidelink").Attr("href"); hide != "?available__exact=1" {
		t.Errorf("hide counts %q", hide)
	}
	if clear, _ := r.Find(`#changelist-filter-extra-actions a:contains("Clear all filters")`).Attr("href"); clear != "?_facets=True" {
		t.Errorf("clear all filters %q", clear)
	}
}

// A filter may name its own template, parsed at Register.
func TestFilterTemplate(t *testing.T) {
	tmpl := fstest.MapFS{"admin/my_filter.html": {Data: []byte(
		`<div class="my-filter" data-title="{{.Title}}">{{range .Choices}}<a href="{{.QueryString}}"{{if .Selected}} class="on"{{end}}>{{.Display}}</a>{{end}}</div>`)}}
	f := newLibrary(t, "sqlite", tmpl, func(s *admin.Site) error {
		return s.Register(LibBook{}, libAdmin(admin.FieldFilter{Path: "available", Template: "admin/my_filter.html"}, "pages"))
	})
	f.library()
	r := f.root.Get("/admin/library/libbook/")
	expectStatus(t, r, 200)
	if got := r.Text(`#changelist-filter .my-filter[data-title="available"] a.on`); got != "All" {
		t.Errorf("custom template: selected %q", got)
	}
	if n := r.Find(`#changelist-filter .my-filter a`).Length(); n != 4 {
		t.Errorf("custom template: %d links", n)
	}
	if n := r.Find(`#changelist-filter details[data-filter-title="pages"]`).Length(); n != 1 {
		t.Error("the other filter lost its default box")
	}

	bad := fstest.MapFS{"admin/bad.html": {Data: []byte(`{{.Nope`)}}
	p := staffroom.Project{Name: "test", Apps: []orm.AppConfig{{Name: "library", Models: []any{LibHouse{}, LibWriter{}, LibBook{}, LibReview{}}}},
		Admin: func(s *admin.Site) error {
			return s.Register(LibBook{}, libAdmin(admin.FieldFilter{Path: "available", Template: "admin/bad.html"}))
		}}
	_, err := staffroom.New(p, staffroom.Config{Database: testdb.URL(t, "sqlite"), SecretKey: "k", Templates: bad})
	if err == nil || !strings.Contains(err.Error(), "admin/bad.html") {
		t.Errorf("a broken filter template: %v", err)
	}
}

// Filter paths make their relation-spanning lookups allowed; others stay
// refused.
func TestFilterLookupsAllowed(t *testing.T) {
	f := newLibrary(t, "sqlite", nil, func(s *admin.Site) error {
		return s.Register(LibBook{}, libAdmin("house__name", "writers"))
	})
	f.library()
	for q, status := range map[string]int{
		"house__name=Alpha":       200,
		"house__name__isnull=1":   200,
		"writers__name=Ann":       400, // "writers" declares writers' key, not their fields (Django's rule)
		"libreview__stars__gt=3":  400,
		"house__id__exact=1":      200,
		"writers__id__exact=1":    200,
		"house__name__exact=Beta": 200,
	} {
		if r := f.root.Get("/admin/library/libbook/?" + q); r.StatusCode != status {
			t.Errorf("%s: %d, want %d", q, r.StatusCode, status)
		}
	}
	r := f.root.Get("/admin/library/libbook/")
	expectLines(t, "a path across a foreign key", filterChoices(r, "name"),
		"*All|?", "Alpha|?house__name=Alpha", "Beta|?house__name=Beta")
	if r := f.root.Get("/admin/library/libbook/?house__name=Alpha"); rows(r) != "Dune Odes" {
		t.Errorf("house__name=Alpha: %q", rows(r))
	}
}
