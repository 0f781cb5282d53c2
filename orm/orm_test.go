package orm_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Author struct {
	ID   int64
	Name string `orm:"max_length=100"`
	Age  int32
}

func (a *Author) String() string { return a.Name }

type Publisher struct {
	ID   int64
	Name string `orm:"max_length=300"`
}

func (p *Publisher) String() string { return p.Name }

type Book struct {
	ID        int64
	Name      string `orm:"max_length=300"`
	Pages     int32
	Price     decimal.Decimal `orm:"max_digits=10,decimal_places=2"`
	Rating    float64
	Authors   orm.ManyToMany[Author]
	Pubdate   time.Time                 `orm:"type=date"`
	Publisher orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
}

func (b *Book) String() string { return b.Name }

func (Book) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type Store struct {
	ID    int64
	Name  string `orm:"max_length=300"`
	Books orm.ManyToMany[Book]
}

type Review struct {
	ID      int64
	Book    orm.ForeignKey[Book] `orm:"on_delete=protect"`
	Text    string               `orm:"type=text,verbose_name='Review, full text'"`
	Created *time.Time
}

func registry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "bookstore", Models: []any{Author{}, Publisher{}, Book{}, Store{}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Register(orm.AppConfig{Name: "reviews", Models: []any{Review{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestModelMetadata(t *testing.T) {
	reg := registry(t)
	m, err := reg.GetModel("BOOKSTORE.book")
	if err != nil {
		t.Fatal(err)
	}
	if m.Table != "bookstore_book" || m.ModelName != "book" || m.VerboseNamePlural != "books" {
		t.Errorf("table %q model %q plural %q", m.Table, m.ModelName, m.VerboseNamePlural)
	}
	pub := m.Field("publisher")
	if pub.Column != "publisher_id" || pub.Kind != orm.KindForeignKey || pub.Related.Name != "Publisher" {
		t.Errorf("publisher field: %+v", pub)
	}
	authors := m.Field("authors")
	if authors.Through != "bookstore_book_authors" || authors.ThroughFrom != "book_id" || authors.ThroughTo != "author_id" {
		t.Errorf("authors through: %s(%s,%s)", authors.Through, authors.ThroughFrom, authors.ThroughTo)
	}
	if m.Field("pk") != m.Field("id") || m.PK.Kind != orm.KindBigAuto {
		t.Errorf("pk: %+v", m.PK)
	}
	r, _ := reg.GetModel("reviews.Review")
	if got := r.Field("text").VerboseName; got != "Review, full text" {
		t.Errorf("quoted verbose_name = %q", got)
	}
	if !r.Field("created").Null {
		t.Error("pointer field should be null")
	}
	for _, label := range []string{"bookstore", "bookstore.", ".Book", "nope.Book", "bookstore.Nope", "a.b.c"} {
		if _, err := reg.GetModel(label); err == nil {
			t.Errorf("GetModel(%q) gave no error", label)
		}
	}
	if !reg.IsInstalled("bookstore") || reg.IsInstalled("nope") {
		t.Error("IsInstalled")
	}
}

func TestInvalidModels(t *testing.T) {
	type NoLength struct {
		ID   int64
		Name string
	}
	type NoOnDelete struct {
		ID  int64
		Pub orm.ForeignKey[Publisher]
	}
	type BadOption struct {
		ID   int64
		Name string `orm:"max_length=10,colour=red"`
	}
	type NoPK struct {
		Name string `orm:"max_length=10"`
	}
	type BadDefault struct {
		ID    int64
		Count int32 `orm:"default=many"`
	}
	cases := []struct {
		model any
		want  string
	}{
		{NoLength{}, "NoLength, field Name: a string field needs max_length"},
		{NoOnDelete{}, "field Pub: a foreign key needs on_delete"},
		{BadOption{}, `field Name: tag option colour="red": unknown option`},
		{NoPK{}, "no primary key"},
		{BadDefault{}, `default "many"`},
	}
	for _, c := range cases {
		reg := orm.NewRegistry()
		_, err := reg.Register(orm.AppConfig{Name: "x", Models: []any{c.model}})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: error %v, want it to contain %q", c.model, err, c.want)
		}
	}
	type Orphan struct {
		ID  int64
		Pub orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
	}
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "x", Models: []any{Orphan{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err == nil || !strings.Contains(err.Error(), "is not registered") {
		t.Errorf("unregistered relation: %v", err)
	}
}

func seed(t *testing.T, ctx context.Context, db *orm.DB) (pubs []*Publisher, books []*Book) {
	t.Helper()
	for _, name := range []string{"Acme 100%", "Bolt_Books", "Cedar"} {
		p := &Publisher{Name: name}
		if err := db.Insert(ctx, p); err != nil {
			t.Fatal(err)
		}
		pubs = append(pubs, p)
	}
	for i, name := range []string{"Go in Action", "The Go Programming Language", "Django for Pros", "Zoë et les GO"} {
		b := &Book{Name: name, Pages: int32(100 * (i + 1)), Price: decimal.RequireFromString("12.50").Add(decimal.NewFromInt(int64(i))),
			Rating: 4.5, Publisher: orm.FK[Publisher](pubs[i%3].ID), Pubdate: time.Date(2020+i, 3, 14, 0, 0, 0, 0, time.UTC)}
		if err := db.Insert(ctx, b); err != nil {
			t.Fatal(err)
		}
		books = append(books, b)
	}
	return pubs, books
}

func names(objs []*Book) string {
	var out []string
	for _, b := range objs {
		out = append(out, b.Name)
	}
	return strings.Join(out, "|")
}

func TestQueries(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		pubs, books := seed(t, ctx, db)
		if books[0].ID == 0 || books[1].ID == books[0].ID {
			t.Fatalf("ids not assigned: %d %d", books[0].ID, books[1].ID)
		}
		cases := []struct {
			name  string
			query orm.QuerySet
			want  string
		}{
			{"all ordered by Meta", orm.For[Book](db), "Django for Pros|Go in Action|The Go Programming Language|Zoë et les GO"},
			{"icontains", orm.For[Book](db).Filter(orm.Q{"name__icontains": "go"}), "Django for Pros|Go in Action|The Go Programming Language|Zoë et les GO"},
			{"contains is case-sensitive", orm.For[Book](db).Filter(orm.Q{"name__contains": "Go"}), "Go in Action|The Go Programming Language"},
			{"startswith", orm.For[Book](db).Filter(orm.Q{"name__istartswith": "the"}), "The Go Programming Language"},
			{"across a foreign key", orm.For[Book](db).Filter(orm.Q{"publisher__name__icontains": "100%"}), "Go in Action|Zoë et les GO"},
			{"percent is literal", orm.For[Book](db).Filter(orm.Q{"publisher__name__icontains": "%"}), "Go in Action|Zoë et les GO"},
			{"underscore is literal", orm.For[Book](db).Filter(orm.Q{"publisher__name__contains": "_"}), "The Go Programming Language"},
			{"fk by id", orm.For[Book](db).Filter(orm.Q{"publisher": pubs[2].ID}), "Django for Pros"},
			{"fk id path", orm.For[Book](db).Filter(orm.Q{"publisher__id__exact": pubs[2].ID}), "Django for Pros"},
			{"gt and lte", orm.For[Book](db).Filter(orm.Q{"pages__gt": 100, "pages__lte": 300}), "Django for Pros|The Go Programming Language"},
			{"string values", orm.For[Book](db).Filter(orm.Q{"pages__gte": "300", "price__lt": "16"}), "Django for Pros|Zoë et les GO"},
			{"date", orm.For[Book](db).Filter(orm.Q{"pubdate__gte": "2022-01-01"}), "Django for Pros|Zoë et les GO"},
			{"in", orm.For[Book](db).Filter(orm.Q{"pages__in": []int{100, 400}}), "Go in Action|Zoë et les GO"},
			{"exclude", orm.For[Book](db).Exclude(orm.Q{"name__icontains": "go"}), ""},
			{"or", orm.For[Book](db).Filter(orm.Q{"pages": 100}).Or(orm.Q{"pages": 200}), "Go in Action|The Go Programming Language"},
			{"not", orm.For[Book](db).Filter(orm.Not(orm.Q{"pages__lt": 300})), "Django for Pros|Zoë et les GO"},
			{"order desc across fk", orm.For[Book](db).OrderBy("-publisher__name", "name"), "Django for Pros|The Go Programming Language|Go in Action|Zoë et les GO"},
			{"limit offset", orm.For[Book](db).OrderBy("pages").Offset(1).Limit(2), "The Go Programming Language|Django for Pros"},
		}
		for _, c := range cases {
			got, err := orm.All[Book](ctx, c.query)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if names(got) != c.want {
				t.Errorf("%s: got %q, want %q", c.name, names(got), c.want)
			}
		}
		n, err := orm.For[Book](db).Filter(orm.Q{"publisher__name": "Acme 100%"}).Count(ctx)
		if err != nil || n != 2 {
			t.Errorf("count = %d, %v", n, err)
		}
		b, err := orm.Get[Book](ctx, orm.For[Book](db).SelectRelated("publisher"), orm.Q{"pk": books[2].ID})
		if err != nil {
			t.Fatal(err)
		}
		if p, ok := b.Publisher.Get(); !ok || p.Name != "Cedar" {
			t.Errorf("select_related publisher = %v %v", p, ok)
		}
		if !b.Price.Equal(decimal.RequireFromString("14.50")) || b.Pubdate.Year() != 2022 || b.Rating != 4.5 {
			t.Errorf("round trip: price %s date %s rating %v", b.Price, b.Pubdate, b.Rating)
		}
		if _, err := orm.For[Book](db).Get(ctx, orm.Q{"pk": 999}); !errors.Is(err, orm.ErrNotFound) {
			t.Errorf("missing: %v", err)
		}
		if _, err := orm.For[Book](db).Get(ctx, orm.Q{"pages__gt": 0}); !errors.Is(err, orm.ErrMultipleFound) {
			t.Errorf("multiple: %v", err)
		}
	})
}

func TestBadNamesAndValues(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		var fe *orm.FieldError
		for _, q := range []orm.QuerySet{
			orm.For[Book](db).Filter(orm.Q{"nme": "x"}),
			orm.For[Book](db).Filter(orm.Q{"publisher__nme__icontains": "x"}),
			orm.For[Book](db).Filter(orm.Q{"name__regexish": "x"}),
			orm.For[Book](db).Filter(orm.Q{"name__icontains__x": "x"}),
			orm.For[Book](db).OrderBy("-bogus"),
			orm.For[Book](db).SelectRelated("name"),
		} {
			if _, err := q.All(ctx); !errors.As(err, &fe) {
				t.Errorf("want a FieldError, got %v", err)
			}
		}
		var ve *orm.ValueError
		for _, q := range []orm.QuerySet{
			orm.For[Book](db).Filter(orm.Q{"pages": "many"}),
			orm.For[Book](db).Filter(orm.Q{"pubdate__gte": "yesterday"}),
			orm.For[Book](db).Filter(orm.Q{"price": "1,5"}),
			orm.For[Book](db).Filter(orm.Q{"pages": "99999999999"}),
		} {
			if _, err := q.Count(ctx); !errors.As(err, &ve) {
				t.Errorf("want a ValueError, got %v", err)
			}
		}
		if _, err := orm.For[struct{ X int }](db).All(ctx); !errors.Is(err, orm.ErrNotModel) {
			t.Errorf("unregistered: %v", err)
		}
	})
}

func TestSaveUpdateM2MDelete(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		pubs, books := seed(t, ctx, db)
		a1, a2 := &Author{Name: "Ann", Age: 40}, &Author{Name: "Bob", Age: 50}
		for _, a := range []*Author{a1, a2} {
			if err := db.Save(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetM2M(ctx, books[0], "authors", []int64{a1.ID, a2.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, books[0], "authors", []int64{a2.ID}); err != nil {
			t.Fatal(err)
		}
		fresh, _ := orm.Get[Book](ctx, orm.For[Book](db), orm.Q{"pk": books[0].ID})
		ids, err := db.LoadM2M(ctx, fresh, "authors")
		if err != nil || len(ids) != 1 || ids[0] != a2.ID || len(fresh.Authors.IDs) != 1 {
			t.Fatalf("m2m = %v %v", ids, err)
		}
		fresh.Name = "Go in Action, 2nd ed."
		if err := db.Save(ctx, fresh); err != nil {
			t.Fatal(err)
		}
		again, _ := orm.Get[Book](ctx, orm.For[Book](db), orm.Q{"pk": books[0].ID})
		if again.Name != "Go in Action, 2nd ed." {
			t.Errorf("update lost: %q", again.Name)
		}
		store := &Store{Name: "Corner"}
		if err := db.Insert(ctx, store); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, store, "books", []int64{books[0].ID, books[3].ID}); err != nil {
			t.Fatal(err)
		}
		review := &Review{Book: orm.FK[Book](books[1].ID), Text: "great"}
		if err := db.Insert(ctx, review); err != nil {
			t.Fatal(err)
		}
		// Deleting publisher 0 cascades to books 0 and 3 and their join rows.
		d, err := db.Collect(ctx, pubs[0])
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, c := range d.Counts {
			got[c.Name] = c.Count
		}
		want := map[string]int{"publishers": 1, "books": 2, "book-author relationships": 1, "store-book relationships": 2}
		for k, v := range want {
			if got[k] != v {
				t.Errorf("count %s = %d, want %d (all: %v)", k, got[k], v, d.Counts)
			}
		}
		if len(d.Roots) != 1 || len(d.Roots[0].Children) != 2 {
			t.Errorf("tree: %+v", d.Roots)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Book](db).Count(ctx); n != 2 {
			t.Errorf("books left = %d", n)
		}
		if ids, _ := db.LoadM2M(ctx, store, "books"); len(ids) != 0 {
			t.Errorf("join rows left: %v", ids)
		}
		// Publisher 1's book is protected by a review: nothing is deleted.
		var pe *orm.ProtectedError
		if err := db.Delete(ctx, pubs[1]); !errors.As(err, &pe) || len(pe.Objects) != 1 {
			t.Errorf("protected delete: %v", err)
		}
		if n, _ := orm.For[Book](db).Count(ctx); n != 2 {
			t.Errorf("protected delete removed rows: %d left", n)
		}
	})
}

func TestAtomic(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		boom := errors.New("boom")
		err := db.Atomic(ctx, func(ctx context.Context) error {
			if err := db.Insert(ctx, &Publisher{Name: "kept"}); err != nil {
				return err
			}
			inner := db.Atomic(ctx, func(ctx context.Context) error {
				if err := db.Insert(ctx, &Publisher{Name: "rolled back"}); err != nil {
					return err
				}
				return boom
			})
			if !errors.Is(inner, boom) {
				t.Errorf("inner error = %v", inner)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		err = db.Atomic(ctx, func(ctx context.Context) error {
			if err := db.Insert(ctx, &Publisher{Name: "also rolled back"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		all, _ := orm.All[Publisher](ctx, orm.For[Publisher](db).OrderBy("name"))
		if len(all) != 1 || all[0].Name != "kept" {
			t.Errorf("after rollbacks: %v", all)
		}
	})
}

// TestAdoptDjangoDatabase opens the database a real Django project made:
// migrate must leave its schema exactly as it is, and its data must read.
func TestAdoptDjangoDatabase(t *testing.T) {
	path := testdb.CopyFixture(t, "bookstore-django.sqlite3")
	db, err := orm.Open("sqlite:"+path, registry(t), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	schema := func() string {
		rows, err := db.QueryRaw(ctx, `SELECT type, name, COALESCE(sql, '') FROM sqlite_master WHERE name LIKE 'bookstore_%' ORDER BY name`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var b strings.Builder
		for rows.Next() {
			var typ, name, sql string
			if err := rows.Scan(&typ, &name, &sql); err != nil {
				t.Fatal(err)
			}
			b.WriteString(typ + " " + name + " " + sql + "\n")
		}
		return b.String()
	}
	before := schema()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	after := schema()
	if before != after {
		t.Errorf("migrate changed Django's schema:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	n, err := orm.For[Book](db).Count(ctx)
	if err != nil || n != 1000 {
		t.Fatalf("books = %d, %v", n, err)
	}
	books, err := orm.All[Book](ctx, orm.For[Book](db).SelectRelated("publisher").OrderBy("-pubdate", "-id").Limit(5))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range books {
		p, ok := b.Publisher.Get()
		if !ok || p.Name == "" || b.Pubdate.IsZero() || b.Price.IsZero() {
			t.Errorf("book %d read badly: %+v", b.ID, b)
		}
	}
}

// TestFreshSchemaMatchesDjango compares the DDL migrate writes on an empty
// database with the schema Django generated for the same models.
func TestFreshSchemaMatchesDjango(t *testing.T) {
	ref, err := os.ReadFile(filepath.Join(testdb.FixtureDir(t), "bookstore-sqlite-schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db := testdb.Open(t, "sqlite", registry(t))
	for _, stmt := range db.MigrationSQL() {
		if strings.Contains(stmt, "reviews_") {
			continue
		}
		// The fixture's dump of Django's schema says "CREATE TABLE IF NOT
		// EXISTS" for tables.
		django := strings.Replace(stmt, "CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", 1)
		if !strings.Contains(string(ref), django) {
			t.Errorf("not in Django's schema: %s", django)
		}
	}
}
