package orm_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// MtiIndexed declares an index on a field of its parent, which is in the
// parent's table.
type MtiIndexed struct {
	Item `orm:"parent_link"`
	Code string `orm:"max_length=10"`
}

func (MtiIndexed) Meta() orm.Meta {
	return orm.Meta{Indexes: []orm.Index{{Fields: []string{"branch"}}}}
}

// TestParentLinkDeclaration checks the mistakes a parent link refuses.
func TestParentLinkDeclaration(t *testing.T) {
	type Orphan struct {
		Item `orm:"parent_link"`
	}
	type Extra struct {
		Item  `orm:"parent_link,null"`
		Notes string `orm:"type=text"`
	}
	type Clash struct {
		Item  `orm:"parent_link"`
		Title string `orm:"max_length=10"`
	}
	for _, tc := range []struct {
		models []any
		want   string
	}{
		{[]any{Item{}, MtiIndexed{}}, `Meta.Indexes[0] names "branch", which is not a concrete field`},
		{[]any{Orphan{}}, "parent orm_test.Item is not registered"},
		{[]any{Item{}, Extra{}}, "a parent link takes only name= and db_column= (got null)"},
		{[]any{Item{}, Clash{}}, `the name "title" is a field of the parent Item`},
	} {
		reg := orm.NewRegistry()
		_, err := reg.Register(orm.AppConfig{Name: "library", Models: append([]any{MtiCountry{}, MtiBranch{}}, tc.models...)})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%T: %v, want %q", tc.models[len(tc.models)-1], err, tc.want)
		}
	}
}

// A chain of two parents, keyed by a UUID: a stage is a venue, which is a
// place.
type MtiPlace struct {
	ID   uuid.UUID `orm:"primary_key,default=uuid4,editable=false"`
	Name string    `orm:"max_length=50"`
}

func (MtiPlace) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type MtiVenue struct {
	MtiPlace `orm:"parent_link"`
	Capacity int32
}

type MtiStage struct {
	MtiVenue `orm:"parent_link,name=venue_ptr"`
	Height   int32
}

func TestMultiTableInheritanceChain(t *testing.T) {
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "venues", Models: []any{MtiStage{}, MtiVenue{}, MtiPlace{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, m := range reg.Models() {
		order = append(order, m.Name)
	}
	if strings.Join(order, " ") != "MtiPlace MtiVenue MtiStage" {
		t.Errorf("parents are registered before their children: %v", order)
	}
	if link := model(t, reg, "venues.MtiStage").ParentLink(); link.Name != "venue_ptr" || link.Column != "venue_ptr_id" {
		t.Errorf("the stage's parent link named venue_ptr: %s, column %s", link.Name, link.Column)
	}
	ctx := context.Background()
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		s := &MtiStage{MtiVenue: MtiVenue{MtiPlace: MtiPlace{Name: "Olympia"}, Capacity: 2000}, Height: 3}
		if err := db.Insert(ctx, s); err != nil {
			t.Fatal(err)
		}
		if s.ID == uuid.Nil {
			t.Fatal("the stage got no key from its place")
		}
		if err := db.Insert(ctx, &MtiVenue{MtiPlace: MtiPlace{Name: "Bataclan"}, Capacity: 1500}); err != nil {
			t.Fatal(err)
		}
		for label, want := range map[string]int64{"venues.MtiPlace": 2, "venues.MtiVenue": 2, "venues.MtiStage": 1} {
			if n, err := db.Query(model(t, reg, label)).Count(ctx); err != nil || n != want {
				t.Errorf("%s: %d rows (%v), want %d", label, n, err, want)
			}
		}
		obj, err := orm.For[MtiStage](db).Get(ctx, orm.Q{"name__startswith": "Oly", "capacity__gte": 1000})
		if err != nil {
			t.Fatal(err)
		}
		if got := obj.(*MtiStage); got.ID != s.ID || got.Name != "Olympia" || got.Capacity != 2000 || got.Height != 3 {
			t.Errorf("the stage read back: %+v", got)
		}
		rows, err := orm.For[MtiVenue](db).Values("name", "capacity").Tuples(ctx)
		if err != nil || len(rows) != 2 || rows[0][0] != "Bataclan" || rows[1][0] != "Olympia" {
			t.Errorf("venues by the place's ordering: %v, %v", rows, err)
		}
		if n, err := orm.For[MtiPlace](db).Filter(orm.Q{"mtivenue__mtistage__height": 3}).Count(ctx); err != nil || n != 1 {
			t.Errorf("places that are stages 3 high: %d, %v", n, err)
		}
		s.Name, s.Capacity, s.Height = "L'Olympia", 1985, 4
		if err := db.Save(ctx, s); err != nil {
			t.Fatal(err)
		}
		obj, err = db.GetByPK(ctx, model(t, reg, "venues.MtiStage"), s.ID.String())
		if err != nil {
			t.Fatal(err)
		}
		if got := obj.(*MtiStage); got.Name != "L'Olympia" || got.Capacity != 1985 || got.Height != 4 {
			t.Errorf("after Save: %+v", got)
		}
		d, err := db.Collect(ctx, obj)
		if err != nil {
			t.Fatal(err)
		}
		if got := countsText(d); got != "mti stages 1, mti venues 1, mti places 1" {
			t.Errorf("deleting a stage: %s", got)
		}
		place, err := orm.For[MtiPlace](db).Get(ctx, orm.Q{"pk": s.ID})
		if err != nil {
			t.Fatal(err)
		}
		if d, err = db.Collect(ctx, place); err != nil {
			t.Fatal(err)
		}
		if got := countsText(d); got != "mti places 1, mti venues 1, mti stages 1" {
			t.Errorf("deleting the place of a stage: %s", got)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		for label, want := range map[string]int64{"venues.MtiPlace": 1, "venues.MtiVenue": 1, "venues.MtiStage": 0} {
			if n, err := db.Query(model(t, reg, label)).Count(ctx); err != nil || n != want {
				t.Errorf("after the delete, %s: %d rows (%v), want %d", label, n, err, want)
			}
		}
	})
}

// TestInspectParentLink: inspectdb on Django's catalogue tables writes
// Book and DVD as children of Item, and the models it writes read them.
func TestInspectParentLink(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	ctx := context.Background()
	url := testdb.URL(t, "sqlite")
	db, err := orm.Open(url, orm.NewRegistry(), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	script, err := os.ReadFile(filepath.Join("testdata", "library-inherit-schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	for _, stmt := range append(strings.Split(strings.TrimSpace(string(script)), ";\n"),
		`INSERT INTO "library_country" VALUES ('FR', 'France')`,
		`INSERT INTO "library_branch" VALUES ('2a3d03fc484b4ad9adc07ad52d09f30f', 'Cité', 'cite', 'Paris', '', NULL, 1, 'FR')`,
		`INSERT INTO "library_publisher" VALUES (17, 'Verdier', 'FR')`,
		`INSERT INTO "library_item" VALUES (1, 'Après le lettre', '3958083200001', '2021-04-02', 17.5, 'good', 0, '2a3d03fc484b4ad9adc07ad52d09f30f')`,
		`INSERT INTO "library_item" VALUES (4, 'Le dernier feu', '3916270100004', '2017-07-18', 82.28, 'worn', 0, '2a3d03fc484b4ad9adc07ad52d09f30f')`,
		`INSERT INTO "library_book" VALUES (1, '9783576810648', 460, 'fr', '2012-01-05', 17)`,
		`INSERT INTO "library_dvd" VALUES (4, 8730000000, 0, '["en", "ar", "fr"]', 'Céline Sciamma')`,
	) {
		if _, err := db.Exec(ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	src := inspect(t, db, "library_country", "library_branch", "library_publisher", "library_item", "library_book", "library_dvd")
	models := parseModels(t, src)
	checkFields(t, "LibraryBook", models["LibraryBook"], map[string]inspected{
		"LibraryItem": {"", "parent_link,name=item_ptr"},
		"Isbn":        {"string", "max_length=13,unique"},
		"Pages":       {"uint32", ""},
		"Language":    {"string", "max_length=2"},
		"PublishedOn": {"*time.Time", "type=date,null"},
		"Publisher":   {"orm.ForeignKey[LibraryPublisher]", "on_delete=do_nothing"},
	})
	db.Close()
	// library_book_authors is a join table: Book is named as its
	// book_id column names it, and its app's other models without "library_".
	runInspected(t, gobin, url, "Book 1")
}
