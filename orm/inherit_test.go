package orm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// The models of these tests are the Django lending library's catalogue:
// Item, a copy on the shelf, is the parent of Book and DVD (multi-table
// inheritance), with the tables Django made for them. Book and its
// neighbours are declared inside TestMultiTableInheritance, because other
// tests of this package already have types of those names.

type MtiCountry struct {
	Code string `orm:"primary_key,max_length=2"`
	Name string `orm:"max_length=80,unique"`
}

func (MtiCountry) Meta() orm.Meta {
	return orm.Meta{Table: "library_country", Ordering: []string{"name"}}
}

type MtiBranch struct {
	ID       uuid.UUID                            `orm:"primary_key,default=uuid4,editable=false"`
	Name     string                               `orm:"max_length=100"`
	Slug     string                               `orm:"type=slug,max_length=100,unique"`
	City     string                               `orm:"max_length=80"`
	Address  string                               `orm:"type=text,blank"`
	OpenedOn *time.Time                           `orm:"type=date,blank"`
	IsOpen   bool                                 `orm:"default=true"`
	Country  orm.ForeignKeyTo[MtiCountry, string] `orm:"on_delete=protect,related_name=branches"`
}

func (MtiBranch) Meta() orm.Meta {
	return orm.Meta{Table: "library_branch", Ordering: []string{"name"}}
}

// Item is the parent: its ordering is inherited, its table name, index
// and verbose names are not.
type Item struct {
	ID          int64
	Title       string                                 `orm:"max_length=200"`
	Barcode     string                                 `orm:"max_length=14,unique"`
	AcquiredOn  time.Time                              `orm:"type=date"`
	Price       decimal.Decimal                        `orm:"max_digits=7,decimal_places=2"`
	Condition   string                                 `orm:"max_length=10,default=good,choices=Usable{new:New|good:Good|worn:Worn}|Out of service{damaged:Damaged|lost:Lost}"`
	IsReference bool                                   `orm:"default=false,verbose_name=reference only"`
	Branch      orm.ForeignKeyTo[MtiBranch, uuid.UUID] `orm:"on_delete=protect,related_name=items"`
}

func (Item) Meta() orm.Meta {
	return orm.Meta{Ordering: []string{"title"}, VerboseName: "copy", VerboseNamePlural: "copies",
		Indexes: []orm.Index{{Fields: []string{"branch", "condition"}, Name: "item_branch_cond_idx"}}}
}

func (i Item) String() string { return i.Title }

// DVD declares its own Meta without an ordering: it keeps the parent's.
type DVD struct {
	Item      `orm:"parent_link"`
	Runtime   time.Duration
	Region    uint16   `orm:"default=2"`
	Subtitles []string `orm:"type=json"`
	Director  string   `orm:"max_length=120,blank"`
}

func (DVD) Meta() orm.Meta {
	return orm.Meta{VerboseName: "DVD", VerboseNamePlural: "DVDs",
		Choices:  map[string][]orm.Choice{"region": {{Value: "0", Label: "Region free"}, {Value: "1", Label: "Region 1 (Americas)"}, {Value: "2", Label: "Region 2 (Europe, Japan)"}}},
		Defaults: map[string]func() any{"subtitles": func() any { return []string{} }}}
}

// libraryFixture is testdata/library-inherit.json, the catalogue part of
// the fixture Django's dumpdata wrote for the library.
type fixtureEntry struct {
	Model  string         `json:"model"`
	PK     any            `json:"pk"`
	Fields map[string]any `json:"fields"`
}

func readLibraryFixture(t *testing.T) ([]byte, []fixtureEntry) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", "library-inherit.json"))
	if err != nil {
		t.Fatal(err)
	}
	var entries []fixtureEntry
	if err := json.Unmarshal(raw, &entries); err != nil {
		t.Fatal(err)
	}
	return raw, entries
}

// entriesOf returns the fixture's entries of one model by pk.
func entriesOf(entries []fixtureEntry, model string) map[float64]fixtureEntry {
	out := map[float64]fixtureEntry{}
	for _, e := range entries {
		if e.Model == model {
			out[e.PK.(float64)] = e
		}
	}
	return out
}

func TestMultiTableInheritance(t *testing.T) {
	type Author struct {
		ID      int64
		Name    string                               `orm:"max_length=120"`
		Born    *time.Time                           `orm:"type=date,blank"`
		Website string                               `orm:"type=url,max_length=200,blank"`
		Country orm.ForeignKeyTo[MtiCountry, string] `orm:"null,blank,on_delete=set_null,related_name=authors"`
	}
	type Publisher struct {
		ID      int64
		Name    string                               `orm:"max_length=120,unique"`
		Country orm.ForeignKeyTo[MtiCountry, string] `orm:"on_delete=protect,related_name=publishers"`
	}
	// Book declares no Meta: Item's, promoted by Go, gives only its
	// ordering, as Django's child inherits only that.
	type Book struct {
		Item        `orm:"parent_link"`
		ISBN        string                    `orm:"max_length=13,unique,verbose_name=ISBN"`
		Pages       uint32                    //
		Language    string                    `orm:"max_length=2,default=fr,choices=en:English|fr:French|de:German|es:Spanish|it:Italian"`
		PublishedOn *time.Time                `orm:"type=date,blank"`
		Publisher   orm.ForeignKey[Publisher] `orm:"on_delete=protect,related_name=books"`
		Authors     orm.ManyToMany[Author]    `orm:"related_name=books"`
	}
	// Hold points at the child, Loan at the parent.
	type Hold struct {
		ID     int64
		Book   orm.ForeignKey[Book] `orm:"on_delete=cascade,related_name=holds"`
		Member string               `orm:"max_length=60"`
	}
	type Loan struct {
		ID   int64
		Item orm.ForeignKey[Item] `orm:"on_delete=protect,related_name=loans"`
	}
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "library", DefaultAutoField: "auto",
		Models: []any{MtiCountry{}, MtiBranch{}, Author{}, Publisher{}, Item{}, Book{}, DVD{}, Hold{}, Loan{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	raw, entries := readLibraryFixture(t)
	ctx := context.Background()

	t.Run("metadata", func(t *testing.T) {
		book, dvd, item := model(t, reg, "library.Book"), model(t, reg, "library.DVD"), model(t, reg, "library.Item")
		if book.Parent() != item || dvd.Parent() != item || item.Parent() != nil {
			t.Fatalf("parents: book %v, dvd %v, item %v", book.Parent(), dvd.Parent(), item.Parent())
		}
		link := book.ParentLink()
		if link != book.PK || link.Name != "item_ptr" || link.Column != "item_ptr_id" || !link.IsParentLink() || link.Related != item || link.OnDelete != orm.Cascade || link.Editable {
			t.Errorf("Book's parent link: %+v", link)
		}
		if f := book.Field("title"); f == nil || !f.Inherited() || f.Model != item || f.Column != "title" {
			t.Errorf("Book.title: %+v", f)
		}
		if f := book.Field("branch"); f == nil || f.Related == nil || f.Related.Table != "library_branch" {
			t.Errorf("Book.branch should be the parent's resolved foreign key: %+v", f)
		}
		var own []string
		for _, f := range book.ConcreteFields() {
			own = append(own, f.Column)
		}
		if want := []string{"item_ptr_id", "isbn", "pages", "language", "published_on", "publisher_id"}; !slices.Equal(own, want) {
			t.Errorf("Book's own columns %v, want %v", own, want)
		}
		var all []string
		for _, f := range book.AllFields() {
			all = append(all, f.Name)
		}
		if want := "id title barcode acquired_on price condition is_reference branch item_ptr isbn pages language published_on publisher authors"; strings.Join(all, " ") != want {
			t.Errorf("Book.AllFields: %s, want %s", strings.Join(all, " "), want)
		}
		// Meta: the ordering is inherited, the rest is not.
		if book.Table != "library_book" || book.VerboseName != "book" || !slices.Equal(book.Meta.Ordering, []string{"title"}) || len(book.Meta.Indexes) != 0 {
			t.Errorf("Book's Meta: table %s, verbose name %q, ordering %v, indexes %v", book.Table, book.VerboseName, book.Meta.Ordering, book.Meta.Indexes)
		}
		if dvd.VerboseNamePlural != "DVDs" || !slices.Equal(dvd.Meta.Ordering, []string{"title"}) || item.VerboseName != "copy" {
			t.Errorf("DVD's Meta: %q, ordering %v", dvd.VerboseNamePlural, dvd.Meta.Ordering)
		}
		if nb := book.New().(*Book); nb.Condition != "good" || nb.Language != "fr" || nb.IsReference {
			t.Errorf("a new book's defaults: condition %q, language %q", nb.Condition, nb.Language)
		}
		if rel := item.RelatedByName("book"); rel != link || rel.RelatedAccessor != "book" {
			t.Errorf("Item's reverse one-to-one book: %+v", rel)
		}
	})

	t.Run("sqlite schema", func(t *testing.T) {
		db := testdb.Open(t, "sqlite", reg)
		want := djangoSchema(t)
		got := sqliteSchema(t, db)
		for _, name := range []string{"library_item", "library_book", "library_dvd", "library_book_authors",
			"item_branch_cond_idx", "library_item_branch_id_b7597197", "library_book_publisher_id_40a14e76",
			"library_book_authors_book_id_author_id_5a77f71a_uniq", "library_book_authors_book_id_14d130f6"} {
			if got[name] != want[name] || want[name] == "" {
				t.Errorf("%s as Migrate creates it:\n%s\nas Django did:\n%s", name, got[name], want[name])
			}
		}
	})

	t.Run("sqlite adoption", func(t *testing.T) {
		url := testdb.URL(t, "sqlite")
		db, err := orm.Open(url, reg, orm.Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		script, err := os.ReadFile(filepath.Join("testdata", "library-inherit-schema.sql"))
		if err != nil {
			t.Fatal(err)
		}
		for _, stmt := range strings.Split(strings.TrimSpace(string(script)), ";\n") {
			if _, err := db.Exec(ctx, stmt); err != nil {
				t.Fatalf("%s: %v", stmt, err)
			}
		}
		before := sqliteSchema(t, db)
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		after := sqliteSchema(t, db)
		for name, sql := range before {
			if after[name] != sql {
				t.Errorf("migrate changed %s:\n%s\n→\n%s", name, sql, after[name])
			}
		}
		if n, err := db.LoadData(ctx, bytes.NewReader(raw)); err != nil || n != len(entries) {
			t.Fatalf("loaddata into Django's tables: %d, %v", n, err)
		}
		b, err := orm.For[Book](db).Get(ctx, orm.Q{"isbn": "9783576810648"})
		if err != nil {
			t.Fatal(err)
		}
		if got := b.(*Book); got.ID != 1 || got.Title != "Après le lettre" || got.Price.StringFixed(2) != "17.50" {
			t.Errorf("book 1 read from Django's tables: %+v", got)
		}
	})

	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		if n, err := db.LoadData(ctx, bytes.NewReader(raw)); err != nil || n != len(entries) {
			t.Fatalf("loaddata: %d, %v", n, err)
		}
		items, books, dvds := entriesOf(entries, "library.item"), entriesOf(entries, "library.book"), entriesOf(entries, "library.dvd")
		counts(t, db, map[string]int64{"Item": int64(len(items)), "Book": int64(len(books)), "DVD": int64(len(dvds))}, reg)

		t.Run("fixture mistakes", func(t *testing.T) {
			for _, tc := range []struct{ fixture, want string }{
				{`[{"model": "library.book", "pk": 1, "fields": {"title": "Après", "isbn": "9783576810648"}}]`,
					"field title: the field belongs to library.Item, the parent of Book"},
				{`[{"model": "library.book", "pk": 9999, "fields": {"isbn": "9780000000002", "pages": 1, "language": "fr", "published_on": null, "publisher": 17, "authors": []}}]`,
					"item_ptr"},
			} {
				_, err := db.LoadData(ctx, strings.NewReader(tc.fixture))
				if err == nil || !strings.Contains(err.Error(), tc.want) {
					t.Errorf("loaddata %s: %v, want %q", tc.fixture, err, tc.want)
				}
			}
			counts(t, db, map[string]int64{"Item": int64(len(items)), "Book": int64(len(books))}, reg)
		})

		t.Run("schema", func(t *testing.T) {
			in, ok := db.Dialect().(orm.Introspector)
			if !ok {
				t.Fatalf("%s has no introspector", db.Dialect().Name())
			}
			for _, table := range []string{"library_book", "library_dvd"} {
				info, err := in.DescribeTable(ctx, db, table)
				if err != nil {
					t.Fatal(err)
				}
				if c := info.Columns[0]; c.Name != "item_ptr_id" || !c.PrimaryKey || c.Null || !strings.Contains(strings.ToLower(c.Type), "int") {
					t.Errorf("%s's first column: %+v", table, c)
				}
				found := false
				for _, fk := range info.ForeignKeys {
					found = found || fk.Column == "item_ptr_id" && fk.Table == "library_item"
				}
				if !found {
					t.Errorf("%s has no foreign key from item_ptr_id to library_item: %+v", table, info.ForeignKeys)
				}
			}
		})

		t.Run("read", func(t *testing.T) {
			obj, err := db.GetByPK(ctx, model(t, reg, "library.Book"), 1)
			if err != nil {
				t.Fatal(err)
			}
			b := obj.(*Book)
			if b.ID != 1 || b.Title != "Après le lettre" || b.Barcode != "3958083200001" || b.Price.StringFixed(2) != "17.50" ||
				b.Branch.ID != uuid.MustParse("2a3d03fc-484b-4ad9-adc0-7ad52d09f30f") || b.ISBN != "9783576810648" || b.Pages != 460 || b.Publisher.ID != 17 {
				t.Errorf("book 1: %+v", b)
			}
			if b.String() != "Après le lettre" {
				t.Errorf("str(book) = %q", b.String())
			}
			d, err := orm.For[DVD](db).Get(ctx, orm.Q{"pk": 78})
			if err != nil {
				t.Fatal(err)
			}
			if dv := d.(*DVD); dv.ID != 78 || dv.Runtime != 103*time.Minute || dv.Region != 1 || dv.Title != items[78].Fields["title"] {
				t.Errorf("dvd 78: %+v", dv)
			}
		})

		t.Run("filter order count aggregate", func(t *testing.T) {
			var want []float64
			var sum decimal.Decimal
			for pk := range books {
				if strings.Contains(strings.ToLower(items[pk].Fields["title"].(string)), "feu") {
					want = append(want, pk)
				}
				sum = sum.Add(decimal.RequireFromString(items[pk].Fields["price"].(string)))
			}
			if len(want) == 0 {
				t.Fatal("the fixture has no book titled with feu")
			}
			got := pks(t, orm.For[Book](db).Filter(orm.Q{"title__icontains": "FEU"}).OrderBy("pk"))
			sort.Float64s(want)
			if !slices.Equal(got, want) {
				t.Errorf("books with feu in the title: %v, want %v", got, want)
			}
			if n, err := orm.For[Book](db).Filter(orm.Q{"title__icontains": "feu"}).Count(ctx); err != nil || n != int64(len(want)) {
				t.Errorf("count %d, %v; want %d", n, err, len(want))
			}
			// Ordered by the parent's column: barcodes are unique digits,
			// so every database agrees.
			var barcodes []string
			for pk := range books {
				barcodes = append(barcodes, items[pk].Fields["barcode"].(string))
			}
			sort.Sort(sort.Reverse(sort.StringSlice(barcodes)))
			rows, err := orm.For[Book](db).OrderBy("-barcode").Values("barcode", "isbn").Tuples(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range rows {
				if r[0] != barcodes[i] {
					t.Fatalf("row %d of books by -barcode: %v, want %s", i, r, barcodes[i])
				}
			}
			agg, err := orm.For[Book](db).Aggregate(ctx, orm.Sum("price"), orm.Max("pages"))
			if err != nil {
				t.Fatal(err)
			}
			if s, ok := agg["price__sum"].(decimal.Decimal); !ok || !s.Equal(sum) {
				t.Errorf("sum of book prices %v, want %s", agg["price__sum"], sum)
			}
			// The default ordering is the parent's title, read from its table.
			query, _, err := orm.For[Book](db).SQL()
			if err != nil {
				t.Fatal(err)
			}
			if i := strings.Index(query, "ORDER BY"); !strings.Contains(query, "INNER JOIN") || i < 0 || !strings.Contains(query[i:], db.Dialect().Quote("title")) {
				t.Errorf("Book's default query should join the item and order by its title: %s", query)
			}
			// The parent reaches the children by their names.
			got = pks(t, orm.For[Item](db).Filter(orm.Q{"book__isbn": "9783576810648"}))
			if !slices.Equal(got, []float64{1}) {
				t.Errorf("items with book__isbn: %v", got)
			}
			got = pks(t, orm.For[Item](db).Filter(orm.Q{"book": 1}))
			if !slices.Equal(got, []float64{1}) {
				t.Errorf("items whose book is 1: %v", got)
			}
			itemObjs, err := orm.For[Item](db).Filter(orm.Q{"pk__in": []int{1, 4}}).All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			children, err := db.RelatedObjects(ctx, model(t, reg, "library.Item"), itemObjs, "book")
			if err != nil {
				t.Fatal(err)
			}
			if kids := children[int64(1)]; len(children) != 1 || len(kids) != 1 || kids[0].(*Book).ISBN != "9783576810648" {
				t.Errorf("the books of items 1 and 4 (a DVD): %v", children)
			}
			if _, err := orm.For[Item](db).SelectRelated("book").All(ctx); err == nil || !strings.Contains(err.Error(), "RelatedObjects") {
				t.Error("select_related of a child from its parent has no struct field to fill, and should be refused")
			}
			if n, err := orm.For[Item](db).Filter(orm.Q{"dvd__isnull": false}).Count(ctx); err != nil || n != int64(len(dvds)) {
				t.Errorf("items that are DVDs: %d, %v; want %d", n, err, len(dvds))
			}
			if need, err := orm.For[Item](db).Filter(orm.Q{"book__pages__gt": 100}).NeedsDistinct(); err != nil || need {
				t.Errorf("a filter across the reverse parent link needs no DISTINCT: %v, %v", need, err)
			}
			// A child's filter across the parent's foreign key, and the
			// parent's reverse relation.
			n, err := orm.For[Book](db).Filter(orm.Q{"branch__city": "Paris", "loans__isnull": true}).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var paris int64
			for pk := range books {
				if branchCity(t, db, items[pk].Fields["branch"].(string)) == "Paris" {
					paris++
				}
			}
			if n != paris {
				t.Errorf("books in Paris: %d, want %d", n, paris)
			}
		})

		t.Run("many-to-many and annotations", func(t *testing.T) {
			obj, err := orm.For[Book](db).Filter(orm.Q{"pk": 1}).PrefetchRelated("authors").All(ctx)
			if err != nil || len(obj) != 1 {
				t.Fatalf("book 1 with its authors: %v, %v", obj, err)
			}
			authors, ok := obj[0].(*Book).Authors.Objects()
			ids := slices.Clone(obj[0].(*Book).Authors.IDs)
			slices.Sort(ids)
			if !ok || len(authors) != 2 || !slices.Equal(ids, []int64{273, 301}) {
				t.Errorf("book 1's authors: %v %v", ids, authors)
			}
			rows, err := orm.For[Book](db).Filter(orm.Q{"pk": 1}).Values("title").Annotate(orm.Count("authors")).Maps(ctx)
			if err != nil || len(rows) != 1 || rows[0]["title"] != "Après le lettre" || rows[0]["authors__count"] != int64(2) {
				t.Errorf("book 1's title and number of authors: %v, %v", rows, err)
			}
			// Objects annotated: grouped by the parent's columns too.
			if _, err := orm.For[Book](db).Annotate(orm.Count("authors")).OrderBy("-barcode").Limit(3).All(ctx); err != nil {
				t.Errorf("books annotated with their number of authors: %v", err)
			}
			// From the parent through the child to its many-to-many, as the
			// library's loan search does (item__book__authors__name).
			var want int64
			for _, e := range books {
				for _, a := range e.Fields["authors"].([]any) {
					if a.(float64) == 301 {
						want++
					}
				}
			}
			if n, err := orm.For[Item](db).Filter(orm.Q{"book__authors__pk": 301}).Count(ctx); err != nil || n != want || want == 0 {
				t.Errorf("items whose book has author 301: %d, %v; want %d", n, err, want)
			}
		})

		t.Run("select related", func(t *testing.T) {
			h := &Hold{Book: orm.FK[Book](1), Member: "Zoé"}
			if err := db.Insert(ctx, h); err != nil {
				t.Fatal(err)
			}
			obj, err := orm.For[Hold](db).SelectRelated("book__branch", "book__publisher").Get(ctx, orm.Q{"pk": h.ID})
			if err != nil {
				t.Fatal(err)
			}
			b, ok := obj.(*Hold).Book.Get()
			if !ok || b.Title != "Après le lettre" || b.ISBN != "9783576810648" {
				t.Fatalf("hold's book: %+v", b)
			}
			br, ok := b.Branch.Get()
			if p, okp := b.Publisher.Get(); !ok || !okp || br.ID != b.Branch.ID || p.ID != 17 {
				t.Errorf("the book's branch %+v and publisher %+v", br, p)
			}
			if err := db.Delete(ctx, obj); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("write", func(t *testing.T) {
			b := &Book{Item: Item{Title: "Les vents", Barcode: "9990000000001", AcquiredOn: time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC),
				Price: decimal.RequireFromString("12.30"), Condition: "new", Branch: orm.FKTo[MtiBranch](uuid.MustParse("2a3d03fc-484b-4ad9-adc0-7ad52d09f30f"))},
				ISBN: "9782070360024", Pages: 210, Language: "fr", Publisher: orm.FK[Publisher](17)}
			if err := db.Save(ctx, b); err != nil {
				t.Fatal(err)
			}
			if b.ID == 0 {
				t.Fatal("the book got no id from its item")
			}
			if ptr := rawInt(t, db, "SELECT item_ptr_id FROM library_book WHERE isbn = "+db.Dialect().Placeholder(1), "9782070360024"); ptr != b.ID {
				t.Errorf("the book row's item_ptr_id %d, want %d", ptr, b.ID)
			}
			b.Title, b.Pages = "Les vents d'hiver", 230
			if err := db.Save(ctx, b); err != nil {
				t.Fatal(err)
			}
			reread := func() *Book {
				obj, err := orm.For[Book](db).Get(ctx, orm.Q{"pk": b.ID})
				if err != nil {
					t.Fatal(err)
				}
				return obj.(*Book)
			}
			if got := reread(); got.Title != "Les vents d'hiver" || got.Pages != 230 {
				t.Errorf("after Save: %q, %d pages", got.Title, got.Pages)
			}
			b.Title, b.Pages = "Ignored", 1
			b.Condition = "worn"
			if err := db.Update(ctx, b, "condition"); err != nil {
				t.Fatal(err)
			}
			if got := reread(); got.Condition != "worn" || got.Title != "Les vents d'hiver" || got.Pages != 230 {
				t.Errorf("Update of condition only: %+v", got)
			}
			n, err := orm.For[Book](db).Filter(orm.Q{"barcode": "9990000000001"}).Update(ctx, map[string]any{"title": "Vents", "pages": 240})
			if err != nil || n != 1 {
				t.Fatalf("queryset update: %d, %v", n, err)
			}
			if got := reread(); got.Title != "Vents" || got.Pages != 240 {
				t.Errorf("after QuerySet.Update: %q, %d", got.Title, got.Pages)
			}
			counts(t, db, map[string]int64{"Item": int64(len(items)) + 1, "Book": int64(len(books)) + 1}, reg)
			// An item that is no book yet becomes one: Save finds no book
			// row for its key and inserts one, leaving the item's row.
			plain := &Item{Title: "Atlas", Barcode: "9990000000002", AcquiredOn: time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC),
				Price: decimal.RequireFromString("5"), Condition: "good", Branch: b.Branch}
			if err := db.Insert(ctx, plain); err != nil {
				t.Fatal(err)
			}
			promoted := &Book{Item: *plain, ISBN: "9782070000001", Pages: 12, Language: "en", Publisher: orm.FK[Publisher](17)}
			if err := db.Save(ctx, promoted); err != nil {
				t.Fatal(err)
			}
			if promoted.ID != plain.ID {
				t.Errorf("the promoted book's key %d, want its item's %d", promoted.ID, plain.ID)
			}
			counts(t, db, map[string]int64{"Item": int64(len(items)) + 2, "Book": int64(len(books)) + 2}, reg)
			if err := db.Delete(ctx, promoted); err != nil {
				t.Fatal(err)
			}
			// GetOrCreate fills the parent's fields from the defaults too.
			got, created, err := db.GetOrCreate(ctx, model(t, reg, "library.Book"), orm.Q{"isbn": "9782070000018"}, map[string]any{
				"title": "Lettres", "barcode": "9990000000003", "acquired_on": "2024-05-03", "price": "8.00",
				"branch": "2a3d03fc-484b-4ad9-adc0-7ad52d09f30f", "pages": 90, "publisher": 17})
			if err != nil || !created {
				t.Fatalf("get or create a book: %v, %v", created, err)
			}
			if again, created, err := db.GetOrCreate(ctx, model(t, reg, "library.Book"), orm.Q{"isbn": "9782070000018"}, nil); err != nil || created ||
				again.(*Book).ID != got.(*Book).ID || again.(*Book).Title != "Lettres" || again.(*Book).Condition != "good" {
				t.Errorf("the book got again: %+v, %v, %v", again, created, err)
			}
			if err := db.Delete(ctx, got); err != nil {
				t.Fatal(err)
			}
			if err := db.BulkCreate(ctx, []any{&Book{}}, 0); err == nil || !strings.Contains(err.Error(), "multi-table") {
				t.Errorf("BulkCreate of a child: %v", err)
			}
		})

		t.Run("delete", func(t *testing.T) {
			b, err := orm.For[Book](db).Get(ctx, orm.Q{"isbn": "9782070360024"})
			if err != nil {
				t.Fatal(err)
			}
			if err := db.Insert(ctx, &Hold{Book: orm.FK[Book](b.(*Book).ID), Member: "Noé"}); err != nil {
				t.Fatal(err)
			}
			d, err := db.Collect(ctx, b)
			if err != nil {
				t.Fatal(err)
			}
			if got := countsText(d); got != "books 1, copies 1, holds 1" {
				t.Errorf("deleting a book: %s", got)
			}
			if err := db.Execute(ctx, d); err != nil {
				t.Fatal(err)
			}
			counts(t, db, map[string]int64{"Item": int64(len(items)), "Book": int64(len(books)), "Hold": 0}, reg)

			// Deleting the parent deletes the child row with it.
			dvd, err := orm.For[Item](db).Get(ctx, orm.Q{"pk": 78})
			if err != nil {
				t.Fatal(err)
			}
			if d, err = db.Collect(ctx, dvd); err != nil {
				t.Fatal(err)
			}
			if got := countsText(d); got != "copies 1, DVDs 1" {
				t.Errorf("deleting the item of a DVD: %s", got)
			}
			if err := db.Execute(ctx, d); err != nil {
				t.Fatal(err)
			}
			counts(t, db, map[string]int64{"Item": int64(len(items)) - 1, "DVD": int64(len(dvds)) - 1}, reg)

			// A protected parent protects the child.
			if err := db.Insert(ctx, &Loan{Item: orm.FK[Item](2)}); err != nil {
				t.Fatal(err)
			}
			two, err := orm.For[Book](db).Get(ctx, orm.Q{"pk": 2})
			if err != nil {
				t.Fatal(err)
			}
			var pe *orm.ProtectedError
			if err := db.Delete(ctx, two); !errors.As(err, &pe) {
				t.Errorf("deleting a book whose item is lent: %v", err)
			}
		})

		t.Run("dump", func(t *testing.T) {
			var buf bytes.Buffer
			if err := db.DumpData(ctx, &buf, orm.DumpOptions{Models: []string{"library.Item", "library.Book", "library.DVD"}}); err != nil {
				t.Fatal(err)
			}
			var dumped []fixtureEntry
			if err := json.Unmarshal(buf.Bytes(), &dumped); err != nil {
				t.Fatal(err)
			}
			byKey := map[string]fixtureEntry{}
			for _, e := range dumped {
				byKey[e.Model+" "+jsonText(e.PK)] = e
			}
			checked := 0
			for _, e := range entries {
				if e.Model != "library.item" && e.Model != "library.book" && e.Model != "library.dvd" {
					continue
				}
				key := e.Model + " " + jsonText(e.PK)
				if e.PK.(float64) == 78 {
					continue // deleted above
				}
				got, ok := byKey[key]
				if !ok {
					t.Errorf("%s is not in the dump", key)
					continue
				}
				sortLists(got.Fields)
				sortLists(e.Fields)
				if !reflect.DeepEqual(got.Fields, e.Fields) {
					t.Errorf("%s dumped as\n%v\nDjango's:\n%v", key, got.Fields, e.Fields)
				}
				checked++
			}
			if checked != 69+48+21-2 {
				t.Errorf("checked %d entries", checked)
			}
		})
	})
}

func model(t *testing.T, reg *orm.Registry, label string) *orm.Model {
	t.Helper()
	m, err := reg.GetModel(label)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func counts(t *testing.T, db *orm.DB, want map[string]int64, reg *orm.Registry) {
	t.Helper()
	for name, n := range want {
		got, err := db.Query(model(t, reg, "library."+name)).Count(context.Background())
		if err != nil || got != n {
			t.Errorf("%s rows: %d (%v), want %d", name, got, err, n)
		}
	}
}

func pks(t *testing.T, q orm.QuerySet) []float64 {
	t.Helper()
	objs, err := q.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := []float64{}
	for _, o := range objs {
		n, _ := q.Model().PKValue(o).(int64)
		out = append(out, float64(n))
	}
	return out
}

func rawInt(t *testing.T, db *orm.DB, query string, args ...any) int64 {
	t.Helper()
	rows, err := db.QueryRaw(context.Background(), query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int64
	if !rows.Next() {
		t.Fatalf("%s: no row", query)
	}
	if err := rows.Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func countsText(d *orm.Deletion) string {
	var parts []string
	for _, c := range d.Counts {
		parts = append(parts, c.Name+" "+itoa(c.Count))
	}
	return strings.Join(parts, ", ")
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func jsonText(v any) string { b, _ := json.Marshal(v); return string(b) }

// sortLists sorts the many-to-many lists of a fixture entry: Django
// writes them in the related model's order, a detail this test leaves.
func sortLists(fields map[string]any) {
	for k, v := range fields {
		if list, ok := v.([]any); ok && k == "authors" {
			sort.Slice(list, func(i, j int) bool { return jsonText(list[i]) < jsonText(list[j]) })
		}
	}
}

func branchCity(t *testing.T, db *orm.DB, id string) string {
	t.Helper()
	obj, err := orm.For[MtiBranch](db).Get(context.Background(), orm.Q{"pk": id})
	if err != nil {
		t.Fatal(err)
	}
	return obj.(*MtiBranch).City
}

// djangoSchema reads the statements of testdata/library-inherit-schema.sql
// by the table or index they create, as SQLite keeps them (the sqlite3
// shell prints a table Django remade as CREATE TABLE IF NOT EXISTS).
func djangoSchema(t *testing.T) map[string]string {
	t.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", "library-inherit-schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, stmt := range strings.Split(strings.TrimSpace(string(script)), ";\n") {
		stmt = strings.TrimSuffix(strings.Replace(stmt, "CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ", 1), ";")
		name := strings.Split(stmt, `"`)[1]
		out[name] = stmt
	}
	return out
}

// sqliteSchema reads sqlite_master: the statement of each table and index
// by name.
func sqliteSchema(t *testing.T, db *orm.DB) map[string]string {
	t.Helper()
	rows, err := db.QueryRaw(context.Background(), "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var name, sql string
		if err := rows.Scan(&name, &sql); err != nil {
			t.Fatal(err)
		}
		out[name] = strings.Replace(sql, "CREATE TABLE IF NOT EXISTS ", "CREATE TABLE ", 1)
	}
	return out
}
