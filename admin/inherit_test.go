package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The lending library's catalogue, Django's multi-table inheritance: an
// item (a copy on the shelf) is a book or a DVD, each child keeping its
// own fields in its own table keyed by the link to the item.

type MtiBranch struct {
	ID   int64
	Name string `orm:"max_length=60"`
}

func (b *MtiBranch) String() string { return b.Name }

type MtiPublisher struct {
	ID   int64
	Name string `orm:"max_length=60,unique"`
}

func (p *MtiPublisher) String() string { return p.Name }

type MtiAuthor struct {
	ID   int64
	Name string `orm:"max_length=60"`
}

func (a *MtiAuthor) String() string { return a.Name }

type MtiItem struct {
	ID          int64
	Title       string                    `orm:"max_length=200"`
	Barcode     string                    `orm:"max_length=14,unique"`
	AcquiredOn  time.Time                 `orm:"type=date"`
	Price       decimal.Decimal           `orm:"max_digits=7,decimal_places=2"`
	Condition   string                    `orm:"max_length=10,default=good,choices=Usable{new:New|good:Good|worn:Worn}|Out of service{damaged:Damaged|lost:Lost}"`
	IsReference bool                      `orm:"default=false,verbose_name=reference only"`
	Branch      orm.ForeignKey[MtiBranch] `orm:"on_delete=protect,related_name=items"`
	// Books and DVDs count the item's children when the query annotates
	// them (MtiKindAdmin's), 0 or 1 each.
	Books int64 `orm:"annotation"`
	Dvds  int64 `orm:"annotation"`
}

func (MtiItem) Meta() orm.Meta { return orm.Meta{Ordering: []string{"title"}, VerboseName: "item"} }

func (i MtiItem) String() string { return i.Title }

type MtiBook struct {
	MtiItem     `orm:"parent_link"`
	ISBN        string                       `orm:"max_length=13,unique,verbose_name=ISBN"`
	Authors     orm.ManyToMany[MtiAuthor]    `orm:"blank,related_name=books"`
	Publisher   orm.ForeignKey[MtiPublisher] `orm:"on_delete=protect,related_name=books"`
	Language    string                       `orm:"max_length=2,default=fr,choices=en:English|fr:French|de:German"`
	Pages       int64
	PublishedOn *time.Time `orm:"type=date,null,blank"`
}

func (MtiBook) Meta() orm.Meta { return orm.Meta{VerboseName: "book"} }

type MtiDVD struct {
	MtiItem  `orm:"parent_link"`
	Director string `orm:"max_length=120,blank"`
}

func (MtiDVD) Meta() orm.Meta { return orm.Meta{VerboseName: "DVD", VerboseNamePlural: "DVDs"} }

// MtiReservation points at the item, and shows in the book's admin.
type MtiReservation struct {
	ID     int64
	Who    string                  `orm:"max_length=60"`
	Status string                  `orm:"max_length=10,default=waiting,choices=waiting:Waiting|ready:Ready"`
	Item   orm.ForeignKey[MtiItem] `orm:"on_delete=cascade,related_name=reservations"`
}

func (r *MtiReservation) String() string { return r.Who }

func catalogueApp() orm.AppConfig {
	return orm.AppConfig{Name: "library", Models: []any{MtiBranch{}, MtiPublisher{}, MtiAuthor{}, MtiItem{}, MtiBook{}, MtiDVD{}, MtiReservation{}}}
}

// newLibrary is newFixture with the library app beside the notes app.
func newCatalogue(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	return newProject(t, dialect, []orm.AppConfig{catalogueApp()}, register)
}

// bookAdmin is the Book admin of the Django library, its fieldsets mixing
// the item's fields and the book's.
func bookAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{
		ListDisplay:  []any{"title", "isbn", "publisher", "language", "branch", "price", "condition"},
		ListFilter:   []any{"language", "condition", "branch", "publisher"},
		SearchFields: []string{"title", "=isbn", "=barcode", "branch__name"},
		Fieldsets: []admin.Fieldset{
			{Name: "Catalogue", Lines: admin.Lines("title", "isbn", "authors", "publisher", "language", "pages", "published_on")},
			{Name: "This copy", Lines: admin.Lines("barcode", "branch", "acquired_on", "price", "condition", "is_reference")},
		},
	}
}

// catalogueData is the catalogue most tests start from: two branches, two
// books and a DVD.
type catalogueData struct {
	east, west *MtiBranch
	pub        *MtiPublisher
	ernaux     *MtiAuthor
	vents      *MtiBook
	feu        *MtiBook
	alien      *MtiDVD
}

func seedCatalogue(f *fixture) catalogueData {
	f.t.Helper()
	d := catalogueData{east: &MtiBranch{Name: "East"}, west: &MtiBranch{Name: "West"}, pub: &MtiPublisher{Name: "Gallimard"}, ernaux: &MtiAuthor{Name: "Annie Ernaux"}}
	f.insert(d.east, d.west, d.pub, d.ernaux)
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	item := func(title, barcode, acquired, price, cond string, b *MtiBranch) MtiItem {
		return MtiItem{Title: title, Barcode: barcode, AcquiredOn: day(acquired), Price: decimal.RequireFromString(price),
			Condition: cond, Branch: orm.FK[MtiBranch](b.ID)}
	}
	d.alien = &MtiDVD{MtiItem: item("Alien", "D0001", "2020-05-02", "20.00", "worn", d.west), Director: "Ridley Scott"}
	d.vents = &MtiBook{MtiItem: item("Les vents", "B0001", "2021-03-10", "17.50", "good", d.east), ISBN: "9782070000001",
		Publisher: orm.FK[MtiPublisher](d.pub.ID), Language: "fr", Pages: 210}
	d.feu = &MtiBook{MtiItem: item("Printemps et feu", "B0002", "2022-01-20", "9.90", "damaged", d.west), ISBN: "9782070000002",
		Publisher: orm.FK[MtiPublisher](d.pub.ID), Language: "en", Pages: 95}
	f.insert(d.alien, d.vents, d.feu)
	return d
}

// mtiBook loads a book by title, failing the test when there is none.
func (f *fixture) mtiBook(title string) *MtiBook {
	f.t.Helper()
	b, err := orm.Get[MtiBook](context.Background(), orm.For[MtiBook](f.app.DB), orm.Q{"title": title})
	if err != nil {
		f.t.Fatalf("book %q: %v", title, err)
	}
	return b
}

// mtiRows counts the rows of model T.
func mtiRows[T any](f *fixture) int64 {
	f.t.Helper()
	n, err := orm.For[T](f.app.DB).Count(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return n
}

// mtiFormNames lists the names of a page's form controls, in order, once
// each, leaving out the CSRF token and the buttons.
func mtiFormNames(r *webtest.Response, selector string) []string {
	var names []string
	seen := map[string]bool{}
	r.Find(selector + " input[name], " + selector + " select[name], " + selector + " textarea[name]").Each(func(_ int, s *goquery.Selection) {
		n := s.AttrOr("name", "")
		if n == "csrfmiddlewaretoken" || strings.HasPrefix(n, "_") || seen[n] {
			return
		}
		seen[n] = true
		names = append(names, n)
	})
	return names
}

// registerCatalogue registers the item, book and DVD admins.
func registerCatalogue(item, book, dvd admin.Admin) func(*admin.Site) error {
	return func(site *admin.Site) error {
		if err := site.Register(MtiBranch{}, &admin.ModelAdmin{SearchFields: []string{"name"}}); err != nil {
			return err
		}
		for _, r := range []struct {
			m  any
			ma admin.Admin
		}{{MtiItem{}, item}, {MtiBook{}, book}, {MtiDVD{}, dvd}} {
			if err := site.Register(r.m, r.ma); err != nil {
				return err
			}
		}
		return nil
	}
}

// TestInheritedChangeForm: a child's add and change forms hold its
// parent's fields, write both rows and check the parent's unique field.
func TestInheritedChangeForm(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ba := bookAdmin()
		ba.AutocompleteFields = []string{"branch"}
		f := newCatalogue(t, dialect, registerCatalogue(nil, ba, nil))
		d := seedCatalogue(f)
		c := f.root
		// The item's branch, chosen by autocomplete in the book's form.
		ac := c.Get("/admin/autocomplete/?app_label=library&model_name=mtibook&field_name=branch&term=wes")
		expectStatus(t, ac, 200)
		if got := string(ac.Body); !strings.Contains(got, `"text":"West"`) || strings.Contains(got, "East") {
			t.Errorf("autocomplete of the item's branch: %s", got)
		}
		// The DVD's default form: the item's editable fields first, then
		// the DVD's own; no parent link, no item id.
		add := c.Get("/admin/library/mtidvd/add/")
		expectStatus(t, add, 200)
		want := "title barcode acquired_on price condition is_reference branch director"
		if got := strings.Join(mtiFormNames(add, "#mtidvd_form"), " "); got != want {
			t.Errorf("DVD form fields %q, want %q", got, want)
		}
		r := c.Submit(add, "#mtidvd_form", url.Values{"title": {"Heat"}, "barcode": {"D0002"}, "acquired_on": {"2023-02-01"},
			"price": {"12.00"}, "condition": {"new"}, "branch": {key(d.east.ID)}, "director": {"Michael Mann"}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("add DVD: %d\n%s", r.StatusCode, r.Find(".errornote, .errorlist").Text())
		}
		heat, err := orm.Get[MtiDVD](context.Background(), orm.For[MtiDVD](f.app.DB), orm.Q{"barcode": "D0002"})
		if err != nil {
			t.Fatal(err)
		}
		if heat.Title != "Heat" || heat.Director != "Michael Mann" || heat.Branch.ID != d.east.ID || !heat.Price.Equal(decimal.RequireFromString("12")) {
			t.Errorf("added DVD %+v", heat)
		}
		if n := mtiRows[MtiItem](f); n != 4 {
			t.Errorf("%d items after adding a DVD, want 4", n)
		}
		if got := messages(c, r); !strings.Contains(got, "Heat") {
			t.Errorf("message %q", got)
		}

		// The book's fieldsets mix the two tables; a change writes both.
		path := "/admin/library/mtibook/" + key(d.vents.ID) + "/change/"
		page := c.Get(path)
		expectStatus(t, page, 200)
		want = "title isbn authors publisher language pages published_on barcode branch acquired_on price condition is_reference"
		if got := strings.Join(mtiFormNames(page, "#mtibook_form"), " "); got != want {
			t.Errorf("book form fields %q, want %q", got, want)
		}
		if got := page.Find("input[name=barcode]").AttrOr("value", ""); got != "B0001" {
			t.Errorf("barcode shows %q", got)
		}
		r = c.Submit(page, "#mtibook_form", url.Values{"title": {"Les vents (poche)"}, "pages": {"230"}, "condition": {"worn"},
			"authors": {key(d.ernaux.ID)}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("change book: %d\n%s", r.StatusCode, r.Find(".errornote, .errorlist").Text())
		}
		b := f.mtiBook("Les vents (poche)")
		if b.Pages != 230 || b.Condition != "worn" || b.ID != d.vents.ID || b.Barcode != "B0001" {
			t.Errorf("changed book %+v", b)
		}
		if n := mtiRows[MtiBook](f); n != 2 {
			t.Errorf("%d books, want 2", n)
		}
		// The parent's unique barcode is checked from the child's form,
		// against the DVD's item row too.
		page = c.Get(path)
		r = c.Submit(page, "#mtibook_form", url.Values{"barcode": {"D0001"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text(".field-barcode .errorlist"); got != "Item with this Barcode already exists." {
			t.Errorf("barcode error %q", got)
		}
		// Its own unique ISBN too, and the page keeps what was typed.
		r = c.Submit(page, "#mtibook_form", url.Values{"isbn": {"9782070000002"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text(".field-isbn .errorlist"); got != "Book with this ISBN already exists." {
			t.Errorf("ISBN error %q", got)
		}
	})
}

// mtiColumn lists the texts of a change list's column, by its class
// ("field-title"), in row order.
func mtiColumn(r *webtest.Response, class string) []string {
	var out []string
	r.Find("#result_list tbody ." + class).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
	return out
}

// TestInheritedChangeList: a child's change list shows, filters,
// searches, sorts, pages by key and edits its parent's fields.
func TestInheritedChangeList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ba := bookAdmin()
		ba.DateHierarchy = "acquired_on"
		ba.ListEditable = []string{"price", "condition"}
		ba.ListPerPage = 2
		f := newCatalogue(t, dialect, registerCatalogue(nil, ba, &admin.ModelAdmin{ListDisplay: []any{"title", "director", "branch"}}))
		d := seedCatalogue(f)
		f.insert(&MtiBook{MtiItem: MtiItem{Title: "Alpha", Barcode: "B0003", AcquiredOn: time.Date(2021, 3, 2, 0, 0, 0, 0, time.UTC),
			Price: decimal.RequireFromString("5"), Condition: "new", Branch: orm.FK[MtiBranch](d.east.ID)},
			ISBN: "9782070000003", Publisher: orm.FK[MtiPublisher](d.pub.ID), Language: "de", Pages: 12})
		c := f.root
		// Check finds no error; the indexes it advises for the book's
		// list of the item's columns are the item table's, once each, and
		// once made, check is quiet.
		msgs := f.app.Site.Check()
		for _, m := range msgs {
			if m.ID != "staffroom.W003" || !strings.Contains(m.Msg, "library_mtiitem") {
				t.Errorf("check: %s", m)
			}
		}
		if len(msgs) != 3 {
			t.Errorf("check: %d messages, want 3 (title, acquired_on, (branch, title)): %v", len(msgs), msgs)
		}
		if len(msgs) > 0 && !strings.Contains(msgs[0].String(), "library.MtiBook") {
			t.Errorf("the book admin's advice is labelled %s", msgs[0])
		}
		made, err := f.app.Site.CreateAdviceIndexes(context.Background())
		if err != nil || len(made) != 3 {
			t.Fatalf("admin indexes %v: %v", made, err)
		}
		if msgs := f.app.Site.Check(); len(msgs) != 0 {
			t.Errorf("check after the indexes: %v", msgs)
		}
		list := func(query string) *webtest.Response {
			t.Helper()
			r := c.Get("/admin/library/mtibook/" + query)
			expectStatus(t, r, 200)
			return r
		}
		// The item's ordering (title), inherited, with the item's columns.
		page := list("?all=")
		if got := strings.Join(mtiColumn(page, "field-title"), "|"); got != "Alpha|Les vents|Printemps et feu" {
			t.Errorf("titles %q", got)
		}
		if got := strings.Join(mtiColumn(page, "field-branch"), "|"); got != "East|East|West" {
			t.Errorf("branches %q", got)
		}
		if got := page.Find("#result_list tbody tr").First().Find("th a").AttrOr("href", ""); !strings.HasPrefix(got, "/admin/library/mtibook/"+key(mtiItemID(f, "Alpha"))+"/change/") {
			t.Errorf("row link %q", got)
		}
		// Sorted by a column of the item's table, both ways.
		for query, want := range map[string]string{"?all=&o=6": "Alpha|Printemps et feu|Les vents", "?all=&o=-6": "Les vents|Printemps et feu|Alpha",
			"?all=&o=-7.1": "Alpha|Les vents|Printemps et feu"} {
			if got := strings.Join(mtiColumn(list(query), "field-title"), "|"); got != want {
				t.Errorf("%s: titles %q, want %q", query, got, want)
			}
		}
		// Filters on the item's foreign key and grouped choices, the book's
		// own choices, and a search of the item's columns.
		for query, want := range map[string]string{
			"?branch__id__exact=" + key(d.west.ID): "Printemps et feu",
			"?condition__exact=good":               "Les vents",
			"?language__exact=de":                  "Alpha",
			"?q=B0002":                             "Printemps et feu",
			"?q=east":                              "Alpha|Les vents",
			"?acquired_on__year=2021":              "Alpha|Les vents",
			"?acquired_on__year=2021&acquired_on__month=3&acquired_on__day=10": "Les vents",
			"?mtiitem_ptr__exact=" + key(d.feu.ID):                             "Printemps et feu",
		} {
			if got := strings.Join(mtiColumn(list(query+"&all="), "field-title"), "|"); got != want {
				t.Errorf("%s: titles %q, want %q", query, got, want)
			}
		}
		// A lookup through the parent link to an item column is a relation
		// path no filter names: refused, as Django's lookup_allowed does.
		if r := c.Get("/admin/library/mtibook/?mtiitem_ptr__title=Alpha"); r.StatusCode != 400 {
			t.Errorf("mtiitem_ptr__title: %d, want 400", r.StatusCode)
		}
		filters := strings.Join(strings.Fields(page.Text("#changelist-filter")), " ")
		for _, want := range []string{"By branch", "East", "West", "By condition", "New", "Damaged", "Lost", "By language"} {
			if !strings.Contains(filters, want) {
				t.Errorf("filters lack %q: %s", want, filters)
			}
		}
		// Facets count the item's columns over the books.
		facets := words(list("?_facets=True&language__exact=fr").Text("#changelist-filter"))
		for _, want := range []string{"East (1)", "West (0)", "Good (1)", "Damaged (0)", "French (1)"} {
			if !strings.Contains(facets, want) {
				t.Errorf("facets lack %q: %s", want, facets)
			}
		}
		if got := words(page.Text(".xfull, .xfull ul")); !strings.Contains(got, "2021") || !strings.Contains(got, "2022") {
			t.Errorf("date hierarchy %q", got)
		}
		// Keyset pages over the child: the key is the parent link.
		first := list("")
		next := first.Find("a.next").AttrOr("href", "")
		if !strings.Contains(next, "_after=") {
			t.Fatalf("next link %q", next)
		}
		if got := strings.Join(mtiColumn(list(next), "field-title"), "|"); got != "Printemps et feu" {
			t.Errorf("page after the cursor: %q", got)
		}
		// list_editable of the item's columns writes the item's table; the
		// rows' hidden keys are the parent link, as Django names them.
		if got := first.Find("input[name=form-0-mtiitem_ptr]").AttrOr("value", ""); got != key(mtiItemID(f, "Alpha")) {
			t.Errorf("the first row's key field holds %q", got)
		}
		r := c.Submit(first, "#changelist-form", url.Values{"form-0-price": {"6.50"}, "form-1-condition": {"lost"}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("list_editable save: %d\n%s", r.StatusCode, r.Find(".errornote, .errorlist").Text())
		}
		if got := messages(c, r); got != "2 books were changed successfully." {
			t.Errorf("message %q", got)
		}
		if a := f.mtiBook("Alpha"); !a.Price.Equal(decimal.RequireFromString("6.5")) || a.Condition != "new" {
			t.Errorf("Alpha after the save: %s %s", a.Price, a.Condition)
		}
		if v := f.mtiBook("Les vents"); v.Condition != "lost" || v.Pages != 210 {
			t.Errorf("Les vents after the save: %s %d", v.Condition, v.Pages)
		}
		// The DVD list, on the same item table, sees only DVDs.
		dvds := c.Get("/admin/library/mtidvd/")
		if got := strings.Join(mtiColumn(dvds, "field-title"), "|"); got != "Alien" {
			t.Errorf("DVD titles %q", got)
		}
	})
}

// mtiItemID is the id of the item titled title.
func mtiItemID(f *fixture, title string) int64 {
	f.t.Helper()
	it, err := orm.Get[MtiItem](context.Background(), orm.For[MtiItem](f.app.DB), orm.Q{"title": title})
	if err != nil {
		f.t.Fatal(err)
	}
	return it.ID
}

// MtiItemAdmin is the Django library's Item admin: a "kind" column
// telling books from DVDs.
type MtiItemAdmin struct{ admin.ModelAdmin }

// Kind finds the item's child by a query on each child's table, as
// Django's hasattr(obj, "book") does without select_related.
func (a *MtiItemAdmin) Kind(it *MtiItem) string {
	ctx, db := context.Background(), a.Site().DB()
	if ok, err := orm.For[MtiBook](db).Filter(orm.Q{"pk": it.ID}).Exists(ctx); err == nil && ok {
		return "Book"
	}
	if ok, err := orm.For[MtiDVD](db).Filter(orm.Q{"pk": it.ID}).Exists(ctx); err == nil && ok {
		return "DVD"
	}
	return "Other"
}

// TestInheritedParentList: the parent's change list shows each item's
// kind, refuses to select a child's row with its own, and its form
// changes the item's row of a book.
func TestInheritedParentList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ia := &MtiItemAdmin{admin.ModelAdmin{ListDisplay: []any{"title", "kind", "barcode", "branch", "condition", "price"},
			ListFilter: []any{"condition", "branch", "is_reference", "mtibook__language"}, SearchFields: []string{"title", "=barcode", "branch__name", "mtibook__isbn"},
			ListSelectRelated: []string{"branch"}}}
		f := newCatalogue(t, dialect, func(site *admin.Site) error {
			// A child named in ListSelectRelated is refused, with the way
			// to read it instead.
			bad := &admin.ModelAdmin{ListSelectRelated: []string{"branch", "mtibook"}}
			err := site.Register(MtiItem{}, bad)
			if err == nil || !strings.Contains(err.Error(), "admin.E117") || !strings.Contains(err.Error(), "multi-table child library.MtiBook") ||
				!strings.Contains(err.Error(), "RelatedObjects") || !strings.Contains(err.Error(), `orm.Count("mtibook")`) {
				t.Errorf("ListSelectRelated naming a child: %v", err)
			}
			// The parent link is no form field: named in Fields, it is
			// refused as a non-editable field.
			err = site.Register(MtiDVD{}, &admin.ModelAdmin{Fields: []string{"title", "mtiitem_ptr"}})
			if err == nil || !strings.Contains(err.Error(), "(staffroom.E018) The value of 'Fields[1]' refers to 'mtiitem_ptr', which is not editable") {
				t.Errorf("Fields naming the parent link: %v", err)
			}
			return registerCatalogue(ia, bookAdmin(), nil)(site)
		})
		d := seedCatalogue(f)
		f.insert(&MtiItem{Title: "Map of Paris", Barcode: "M0001", AcquiredOn: time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC),
			Price: decimal.RequireFromString("3"), Condition: "new", Branch: orm.FK[MtiBranch](d.east.ID)})
		c := f.root
		page := c.Get("/admin/library/mtiitem/")
		expectStatus(t, page, 200)
		if got := strings.Join(mtiColumn(page, "field-title"), "|"); got != "Alien|Les vents|Map of Paris|Printemps et feu" {
			t.Errorf("titles %q", got)
		}
		if got := strings.Join(mtiColumn(page, "field-kind"), "|"); got != "DVD|Book|Other|Book" {
			t.Errorf("kinds %q", got)
		}
		// Filtered and searched through the reverse one-to-one to the book.
		for query, want := range map[string]string{"?q=west": "Alien|Printemps et feu", "?q=9782070000002": "Printemps et feu",
			"?mtibook__language=fr": "Les vents", "?mtibook__language__isnull=True": "Alien|Map of Paris"} {
			r := c.Get("/admin/library/mtiitem/" + query)
			expectStatus(t, r, 200)
			if got := strings.Join(mtiColumn(r, "field-title"), "|"); got != want {
				t.Errorf("%s: %q, want %q", query, got, want)
			}
		}
		if got := words(page.Text("#changelist-filter")); !strings.Contains(got, "By language") || !strings.Contains(got, "French") {
			t.Errorf("the book's language filter on the items: %q", got)
		}
		// The item's own form changes the item's row of a book: the book
		// keeps its own fields.
		path := "/admin/library/mtiitem/" + key(d.vents.ID) + "/change/"
		form := c.Get(path)
		if got := strings.Join(mtiFormNames(form, "#mtiitem_form"), " "); got != "title barcode acquired_on price condition is_reference branch" {
			t.Errorf("item form fields %q", got)
		}
		r := c.Submit(form, "#mtiitem_form", url.Values{"title": {"Les vents, relié"}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("change item: %d\n%s", r.StatusCode, r.Find(".errorlist").Text())
		}
		if b := f.mtiBook("Les vents, relié"); b.ISBN != "9782070000001" || b.Pages != 210 {
			t.Errorf("the book after its item changed: %+v", b)
		}
	})
}

// mtiLog lists the log entries as "model flag object_id repr", the model
// being the entry's content type's.
func mtiLog(f *fixture) []string {
	f.t.Helper()
	var out []string
	for _, e := range f.logEntries() {
		ct, err := f.app.Types.ByID(context.Background(), e.ContentType.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		id := ""
		if e.ObjectID != nil {
			id = *e.ObjectID
		}
		out = append(out, strings.Join([]string{ct.AppLabel + "." + ct.Model, strconv.Itoa(int(e.ActionFlag)), id, e.ObjectRepr}, " "))
	}
	return out
}

// TestInheritedDeleteAndHistory: deleting a book through its admin
// deletes its item row too, the page listing the item as Django's
// collector does; deleting an item deletes its book; the log has the
// child's content type and the item's id.
func TestInheritedDeleteAndHistory(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCatalogue(t, dialect, registerCatalogue(nil, bookAdmin(), nil))
		d := seedCatalogue(f)
		f.insert(&MtiReservation{Who: "Océane", Status: "waiting", Item: orm.FK[MtiItem](d.vents.ID)})
		c := f.root
		// A change through the book's admin is logged as the book's.
		change := "/admin/library/mtibook/" + key(d.vents.ID) + "/change/"
		messages(c, c.Submit(c.Get(change), "#mtibook_form", url.Values{"price": {"18.00"}, "language": {"en"}}, "_save"))
		hist := c.Get("/admin/library/mtibook/" + key(d.vents.ID) + "/history/")
		expectStatus(t, hist, 200)
		if got := words(hist.Text("#change-history tbody")); !strings.Contains(got, "Changed Language and Price.") {
			t.Errorf("history %q", got)
		}
		// Deleting a book deletes its item: a user who may delete books
		// but not items (registered) is told so, as by Django.
		clerk := f.staff("clerk", "view_mtibook", "delete_mtibook")
		del := clerk.Get("/admin/library/mtibook/" + key(d.vents.ID) + "/delete/")
		expectStatus(t, del, 200)
		if got := words(del.Text("#content ul")); got != "item" {
			t.Errorf("permissions needed %q, want item", got)
		}
		token := del.Find("input[name=csrfmiddlewaretoken]").AttrOr("value", "")
		if r := clerk.Post("/admin/library/mtibook/"+key(d.vents.ID)+"/delete/", url.Values{"post": {"yes"}, "csrfmiddlewaretoken": {token}}); r.StatusCode != 403 || mtiRows[MtiBook](f) != 2 {
			t.Errorf("a user without delete_mtiitem deleting the book: %d, %d books left", r.StatusCode, mtiRows[MtiBook](f))
		}
		// The delete page lists the book, its item, and what the item
		// cascades to.
		del = c.Get("/admin/library/mtibook/" + key(d.vents.ID) + "/delete/")
		expectStatus(t, del, 200)
		summary := words(del.Text("#content ul:first-of-type"))
		for _, want := range []string{"Books: 1", "Items: 1", "Mti reservations: 1"} {
			if !strings.Contains(summary, want) {
				t.Errorf("summary %q lacks %q", summary, want)
			}
		}
		// Django's collector makes the item a root beside the book; the
		// item's reservation is under the item.
		var roots []string
		del.Find("h2").Last().Next().ChildrenFiltered("li").Each(func(_ int, s *goquery.Selection) { roots = append(roots, words(s.Text())) })
		if got := strings.Join(roots, " / "); got != "Book: Les vents / Item: Les ventsMti reservation: Océane" {
			t.Errorf("objects %q", got)
		}
		if got := del.Find("a[href='/admin/library/mtibook/" + key(d.vents.ID) + "/change/']").Length(); got == 0 {
			t.Error("the book is not linked by its item id")
		}
		r := c.Submit(del, "#content form", nil, "")
		if r.StatusCode != 302 {
			t.Fatalf("delete: %d", r.StatusCode)
		}
		if got := messages(c, r); got != "The book “Les vents” was deleted successfully." {
			t.Errorf("message %q", got)
		}
		if nb, ni, nr := mtiRows[MtiBook](f), mtiRows[MtiItem](f), mtiRows[MtiReservation](f); nb != 1 || ni != 2 || nr != 0 {
			t.Errorf("after deleting a book: %d books, %d items, %d reservations", nb, ni, nr)
		}
		// Deleting the item of a book deletes the book.
		del = c.Get("/admin/library/mtiitem/" + key(d.feu.ID) + "/delete/")
		expectStatus(t, del, 200)
		if got := words(del.Text("#content ul:first-of-type")); !strings.Contains(got, "Books: 1") || !strings.Contains(got, "Items: 1") {
			t.Errorf("item delete summary %q", got)
		}
		if r := c.Submit(del, "#content form", nil, ""); r.StatusCode != 302 {
			t.Fatalf("delete item: %d", r.StatusCode)
		}
		if nb, ni := mtiRows[MtiBook](f), mtiRows[MtiItem](f); nb != 0 || ni != 1 {
			t.Errorf("after deleting an item: %d books, %d items", nb, ni)
		}
		want := []string{
			"library.mtibook 2 " + key(d.vents.ID) + " Les vents",
			"library.mtibook 3 " + key(d.vents.ID) + " Les vents",
			"library.mtiitem 3 " + key(d.feu.ID) + " Printemps et feu",
		}
		if got := mtiLog(f); strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("log entries\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

// TestInheritedInline: the book's form edits, inline, the reservations
// whose foreign key points at the item, as Django's admin finds a key to
// a parent of the inline's parent model.
func TestInheritedInline(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ba := bookAdmin()
		reservations := admin.Tabular(MtiReservation{})
		reservations.Extra = new(1)
		ba.Inlines = []admin.Inline{reservations}
		f := newCatalogue(t, dialect, func(site *admin.Site) error {
			// Django's Loan admin searches through the item's child and
			// its many-to-many: item__book__authors__name.
			err := site.Register(MtiReservation{}, &admin.ModelAdmin{ListDisplay: []any{"who", "item"},
				SearchFields: []string{"who", "item__mtibook__authors__name", "=item__barcode"}, ListFilter: []any{"item__mtibook__language"}})
			if err != nil {
				return err
			}
			return registerCatalogue(nil, ba, nil)(site)
		})
		d := seedCatalogue(f)
		f.insert(&MtiReservation{Who: "Océane", Status: "waiting", Item: orm.FK[MtiItem](d.vents.ID)}, &MtiReservation{Who: "Noé", Status: "ready", Item: orm.FK[MtiItem](d.alien.ID)})
		if err := f.app.DB.SetM2M(context.Background(), d.vents, "authors", []int64{d.ernaux.ID}); err != nil {
			t.Fatal(err)
		}
		c := f.root
		for query, want := range map[string]string{"?q=ernaux": "Océane", "?q=D0001": "Noé", "?item__mtibook__language=fr": "Océane"} {
			r := c.Get("/admin/library/mtireservation/" + query)
			expectStatus(t, r, 200)
			if got := strings.Join(mtiColumn(r, "field-who"), "|"); got != want {
				t.Errorf("reservations %s: %q, want %q", query, got, want)
			}
		}
		page := c.Get("/admin/library/mtibook/" + key(d.vents.ID) + "/change/")
		expectStatus(t, page, 200)
		if got := page.Find("input[name=reservations-0-who]").AttrOr("value", ""); got != "Océane" {
			t.Errorf("the book's reservation shows %q", got)
		}
		if got := page.Find("input[name=reservations-TOTAL_FORMS]").AttrOr("value", ""); got != "2" {
			t.Errorf("TOTAL_FORMS %q, want the book's one reservation and one blank", got)
		}
		r := c.Submit(page, "#mtibook_form", url.Values{"reservations-1-who": {"Zoé"}, "reservations-1-status": {"ready"}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("save: %d\n%s", r.StatusCode, r.Find(".errorlist").Parent().Text())
		}
		z, err := orm.Get[MtiReservation](context.Background(), orm.For[MtiReservation](f.app.DB), orm.Q{"who": "Zoé"})
		if err != nil || z.Item.ID != d.vents.ID {
			t.Fatalf("the inline's reservation: %+v %v", z, err)
		}
		// On the add page the book, its item and the reservation are
		// saved together.
		add := c.Get("/admin/library/mtibook/add/")
		r = c.Submit(add, "#mtibook_form", url.Values{"title": {"Nouveau"}, "isbn": {"9782070000009"}, "publisher": {key(d.pub.ID)},
			"language": {"fr"}, "pages": {"100"}, "barcode": {"B0100"}, "branch": {key(d.east.ID)}, "acquired_on": {"2024-01-02"},
			"price": {"10"}, "condition": {"new"}, "reservations-0-who": {"Anaïs"}, "reservations-0-status": {"waiting"}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("add: %d\n%s", r.StatusCode, r.Find(".errornote, .errorlist").Text())
		}
		nb := f.mtiBook("Nouveau")
		a, err := orm.Get[MtiReservation](context.Background(), orm.For[MtiReservation](f.app.DB), orm.Q{"who": "Anaïs"})
		if err != nil || a.Item.ID != nb.ID || nb.ID == 0 {
			t.Fatalf("the added book's reservation: %+v (book %d) %v", a, nb.ID, err)
		}
		if got := mtiLog(f); len(got) != 2 || !strings.HasPrefix(got[1], "library.mtibook 1 "+key(nb.ID)+" Nouveau") {
			t.Errorf("log %q", got)
		}
	})
}

// TestInheritedOptions: the form and list options may name the parent's
// fields — read-only, raw id, radio, excluded, linked, sorted — and
// save-as-new and the bulk delete of a child work on both tables.
func TestInheritedOptions(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ba := &admin.ModelAdmin{
			ListDisplay:      []any{"isbn", "title", "barcode", "price"},
			ListDisplayLinks: []string{"title"},
			SortableBy:       []string{"title", "price"},
			Ordering:         []string{"-price"},
			ReadonlyFields:   []string{"barcode", "acquired_on"},
			Exclude:          []string{"is_reference"},
			RawIDFields:      []string{"branch"},
			RadioFields:      map[string]admin.RadioLayout{"condition": admin.Vertical},
			SaveAs:           true,
		}
		f := newCatalogue(t, dialect, registerCatalogue(nil, ba, nil))
		d := seedCatalogue(f)
		c := f.root
		if msgs := f.app.Site.Check(); len(msgs) > 0 {
			for _, m := range msgs {
				if m.Level >= admin.LevelError {
					t.Errorf("check: %s", m)
				}
			}
		}
		list := c.Get("/admin/library/mtibook/")
		expectStatus(t, list, 200)
		if got := strings.Join(mtiColumn(list, "field-title"), "|"); got != "Les vents|Printemps et feu" {
			t.Errorf("titles by -price %q", got)
		}
		if list.Find(".field-title a").Length() != 2 || list.Find("td.field-isbn a").Length() != 0 {
			t.Error("the title, the item's field, is not the link")
		}
		if list.Find("th.column-isbn a[href*='o=']").Length() != 0 || list.Find("th.column-price a[href*='o=']").Length() == 0 {
			t.Error("SortableBy: the item's price should sort, the ISBN not")
		}
		page := c.Get("/admin/library/mtibook/" + key(d.vents.ID) + "/change/")
		expectStatus(t, page, 200)
		if got := words(page.Text(".field-barcode .readonly")); got != "B0001" {
			t.Errorf("read-only barcode %q", got)
		}
		if page.Find("input[name=barcode], input[name=is_reference]").Length() != 0 {
			t.Error("a read-only or excluded field of the item is editable")
		}
		if page.Find("input[name=branch].vForeignKeyRawIdAdminField").Length() != 1 || page.Find("input[type=radio][name=condition]").Length() != 5 {
			t.Error("the item's branch is not a raw id, or its condition not radio buttons")
		}
		// Save as new: a new item and book; the read-only barcode is not
		// copied (the item's default, empty, as in Django).
		r := c.Submit(page, "#mtibook_form", url.Values{"isbn": {"9782070000042"}, "title": {"Les vents (2)"}}, "_saveasnew")
		if r.StatusCode != 302 {
			t.Fatalf("save as new: %d\n%s", r.StatusCode, r.Find(".errornote, .errorlist").Parent().Text())
		}
		copied := f.mtiBook("Les vents (2)")
		if copied.ID == d.vents.ID || copied.Pages != 210 || copied.Branch.ID != d.east.ID || f.mtiBook("Les vents").ISBN != "9782070000001" {
			t.Errorf("saved as new: %+v", copied)
		}
		if want := "/admin/library/mtibook/" + key(copied.ID) + "/change/"; !strings.HasPrefix(r.Location(), want) {
			t.Errorf("save as new went to %q, want %q", r.Location(), want)
		}
		// Bulk delete of books deletes their items.
		list = c.Get("/admin/library/mtibook/")
		conf := c.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": {key(d.vents.ID), key(d.feu.ID)}}, "index")
		expectStatus(t, conf, 200)
		if got := words(conf.Text("#content")); !strings.Contains(got, "Items: 2") || !strings.Contains(got, "Books: 2") {
			t.Errorf("bulk delete summary %q", got)
		}
		if r := c.Submit(conf, "#content form", nil, ""); r.StatusCode != 302 {
			t.Fatalf("bulk delete: %d", r.StatusCode)
		}
		if nb, ni := mtiRows[MtiBook](f), mtiRows[MtiItem](f); nb != 1 || ni != 2 {
			t.Errorf("after the bulk delete: %d books, %d items; want the saved-as-new book and the DVD", nb, ni)
		}
	})
}

// MtiKindAdmin tells an item's kind from counts its queryset annotates,
// in the page's one query, where Django's select_related("book", "dvd")
// joins the children.
type MtiKindAdmin struct{ admin.ModelAdmin }

func (a *MtiKindAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Annotate(orm.Count("mtibook").As("books"), orm.Count("mtidvd").As("dvds"))
}

// Kind reads the annotated counts.
func (a *MtiKindAdmin) Kind(it *MtiItem) string {
	switch {
	case it.Books > 0:
		return "Book"
	case it.Dvds > 0:
		return "DVD"
	}
	return "Other"
}

// TestInheritedKindAnnotated: the parent's list tells the kinds of a
// page of items in a fixed number of queries, however many rows.
func TestInheritedKindAnnotated(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ka := &MtiKindAdmin{admin.ModelAdmin{ListDisplay: []any{"title", "kind", "branch"}, ListFilter: []any{"condition"}}}
		f := newCatalogue(t, dialect, registerCatalogue(ka, nil, nil))
		d := seedCatalogue(f)
		c, n := countingClient(t, f.app, f.root)
		c.Get("/admin/library/mtiitem/") // the session's first request
		before := len(n.Statements())
		page := c.Get("/admin/library/mtiitem/")
		expectStatus(t, page, 200)
		if got := strings.Join(mtiColumn(page, "field-kind"), "|"); got != "DVD|Book|Book" {
			t.Errorf("kinds %q", got)
		}
		few := len(n.Statements()) - before
		for i := range 6 {
			f.insert(&MtiDVD{MtiItem: MtiItem{Title: "Z" + strconv.Itoa(i), Barcode: "Z" + strconv.Itoa(i), Price: decimal.NewFromInt(1),
				Condition: "good", Branch: orm.FK[MtiBranch](d.east.ID)}})
		}
		before = len(n.Statements())
		page = c.Get("/admin/library/mtiitem/")
		if got := strings.Join(mtiColumn(page, "field-kind"), "|"); got != "DVD|Book|Book|DVD|DVD|DVD|DVD|DVD|DVD" {
			t.Errorf("kinds %q", got)
		}
		if many := len(n.Statements()) - before; many != few {
			t.Errorf("%d statements for 9 rows, %d for 3", many, few)
		}
		page = c.Get("/admin/library/mtiitem/?condition__exact=good")
		if got := strings.Join(mtiColumn(page, "field-kind"), "|"); got != "Book|DVD|DVD|DVD|DVD|DVD|DVD" {
			t.Errorf("kinds of the good items %q", got)
		}
	})
}
