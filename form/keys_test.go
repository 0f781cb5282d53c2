package form_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Models keyed by text and by UUID, and one pointing at them: a foreign
// key to each, one by a to_field, and a many-to-many to each.
type Country struct {
	Code string `orm:"primary_key,max_length=10"`
	Name string `orm:"max_length=50"`
}

func (c *Country) String() string { return c.Name }

func (Country) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type Site struct {
	ID      uuid.UUID                         `orm:"primary_key,default=uuid4,editable=false"`
	Slug    string                            `orm:"type=slug,max_length=20,unique"`
	Country orm.ForeignKeyTo[Country, string] `orm:"on_delete=cascade"`
}

func (s *Site) String() string { return s.Slug }

func (Site) Meta() orm.Meta { return orm.Meta{Ordering: []string{"slug"}} }

type Visitor struct {
	ID        int64
	Name      string                            `orm:"max_length=20"`
	Country   orm.ForeignKeyTo[Country, string] `orm:"on_delete=cascade"`
	Home      orm.ForeignKeyTo[Site, uuid.UUID] `orm:"null,blank,on_delete=set_null"`
	Pickup    orm.ForeignKeyTo[Site, string]    `orm:"null,blank,to_field=slug,on_delete=set_null,related_name=pickups"`
	Sites     orm.ManyToManyTo[Site, uuid.UUID] `orm:"blank,related_name=visitors"`
	Countries orm.ManyToManyTo[Country, string] `orm:"blank,related_name=visited_by"`
}

// Badge is one-to-one with a site.
type Badge struct {
	ID   int64
	Site orm.OneToOneTo[Site, uuid.UUID] `orm:"on_delete=cascade"`
}

func keysRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "travel", Models: []any{Country{}, Site{}, Visitor{}, Badge{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

var (
	siteA = uuid.MustParse("0b3c4d5e-6f70-4182-93a4-b5c6d7e8f901")
	siteB = uuid.MustParse("f1e2d3c4-b5a6-4978-8695-a4b3c2d1e0f9")
)

func seedTravel(t *testing.T, db *orm.DB) {
	t.Helper()
	ctx := context.Background()
	for _, obj := range []any{
		&Country{Code: "FR", Name: "France"}, &Country{Code: "a_b/c", Name: "Odd"},
		&Site{ID: siteA, Slug: "alpha", Country: orm.FKTo[Country]("FR")}, &Site{ID: siteB, Slug: "beta", Country: orm.FKTo[Country]("FR")},
	} {
		if err := db.Insert(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
}

func TestRelationFieldsOfTextAndUUIDKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedTravel(t, db)
		m := modelOf(t, db, Visitor{})
		newForm := func() *form.ModelForm {
			mf, err := form.ForModel(ctx, db, m, form.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return mf
		}
		add := newForm()
		add.Bind(url.Values{
			"name": {"Ann"}, "country": {"a_b/c"}, "home": {siteB.String()}, "pickup": {"alpha"},
			"sites": {siteB.String(), "0B3C4D5E6F70418293A4B5C6D7E8F901", siteB.String()}, "countries": {"FR", "a_b/c"},
		})
		if !add.IsValid() {
			t.Fatal(add.Errors())
		}
		for name, want := range map[string]any{"country": "a_b/c", "home": siteB, "pickup": "alpha"} {
			if got := add.Cleaned(name); got != want {
				t.Errorf("cleaned %s = %#v, want %#v", name, got, want)
			}
		}
		if got, _ := add.Cleaned("sites").([]uuid.UUID); !slices.Equal(got, []uuid.UUID{siteA, siteB}) {
			t.Errorf("cleaned sites = %#v", add.Cleaned("sites"))
		}
		if got, _ := add.Cleaned("countries").([]string); !slices.Equal(got, []string{"FR", "a_b/c"}) {
			t.Errorf("cleaned countries = %#v", add.Cleaned("countries"))
		}
		v, err := add.Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ann := v.(*Visitor)
		got, err := orm.Get[Visitor](ctx, orm.For[Visitor](db), orm.Q{"pk": ann.ID})
		if err != nil {
			t.Fatal(err)
		}
		if got.Country.ID != "a_b/c" || got.Home.ID != siteB || got.Pickup.ID != "alpha" {
			t.Errorf("saved %+v", got)
		}
		sites, err := db.LoadM2MKeys(ctx, got, "sites")
		if err != nil || len(sites) != 2 {
			t.Errorf("saved sites %v %v", sites, err)
		}

		// The change form shows the keys as text, selected.
		change := newForm()
		if err := change.SetInstance(ctx, got); err != nil {
			t.Fatal(err)
		}
		resent := submit(t, change)
		want := url.Values{
			"name": {"Ann"}, "country": {"a_b/c"}, "home": {siteB.String()}, "pickup": {"alpha"},
			"sites": {siteA.String(), siteB.String()}, "countries": {"FR", "a_b/c"},
		}
		for k, w := range want {
			if g := resent[k]; !slices.Equal(g, w) {
				t.Errorf("rendered %s = %q, want %q", k, g, w)
			}
		}
		change.Bind(resent)
		if !change.IsValid() || change.HasChanged() {
			t.Errorf("the change form as rendered: errors %v, changed %q", change.Errors(), change.Changed())
		}

		// Values that are not keys, or keys of no object.
		bad := newForm()
		bad.Bind(url.Values{"name": {"Bob"}, "country": {"XX"}, "home": {"nope"}, "pickup": {siteA.String()},
			"sites": {uuid.Nil.String()}, "countries": {"FR", "ZZ"}})
		if bad.IsValid() {
			t.Fatal("a form of unknown keys is valid")
		}
		checkErrors(t, bad.Errors(), map[string][]string{
			"country":   {"Select a valid choice. That choice is not one of the available choices."},
			"home":      {"Select a valid choice. That choice is not one of the available choices."},
			"pickup":    {"Select a valid choice. That choice is not one of the available choices."},
			"sites":     {"Select a valid choice. " + uuid.Nil.String() + " is not one of the available choices."},
			"countries": {"Select a valid choice. ZZ is not one of the available choices."},
		})
		notUUID := newForm()
		notUUID.Bind(url.Values{"name": {"Bob"}, "country": {"FR"}, "sites": {"x"}})
		checkErrors(t, notUUID.Errors(), map[string][]string{"sites": {"“x” is not a valid value."}})

		// Read-only relations show the related objects' names.
		ro, err := form.ForModel(ctx, db, m, form.Options{Readonly: []string{"country", "home", "sites"}})
		if err != nil {
			t.Fatal(err)
		}
		if err := ro.SetInstance(ctx, got); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{"country": "Odd", "home": "beta", "sites": "alpha, beta"} {
			if text := readonlyText(t, ro, name); text != want {
				t.Errorf("read-only %s %q, want %q", name, text, want)
			}
		}
	})
}

// readonlyText is the text a read-only field of mf shows.
func readonlyText(t *testing.T, mf *form.ModelForm, name string) string {
	t.Helper()
	for _, bf := range mf.Fields() {
		if bf.Name == name {
			return bf.ReadonlyText()
		}
	}
	t.Fatalf("no field %s", name)
	return ""
}

// TestInlineFormSetOfUUIDParent: the forms of a UUID-keyed parent carry
// its hyphenated key; while the parent is added, a key its default gave
// it is not one yet (Django's InlineForeignKeyField).
func TestInlineFormSetOfUUIDParent(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedTravel(t, db)
		sm, vm := modelOf(t, db, Site{}), modelOf(t, db, Visitor{})
		alpha, err := orm.Get[Site](ctx, orm.For[Site](db), orm.Q{"pk": siteA})
		if err != nil {
			t.Fatal(err)
		}
		opts := form.ModelFormSetOptions{FKName: "home", Form: form.Options{Fields: []string{"name", "country"}}}
		opts.Extra = 1
		inline := func(parent any, adding bool) *form.ModelFormSet {
			o := opts
			o.ParentAdding = adding
			fs, err := form.NewInlineFormSet(ctx, db, parent, vm, o)
			if err != nil {
				t.Fatal(err)
			}
			return fs
		}
		fs := inline(alpha, false)
		if got := submit(t, fs.Forms()[0])["visitor_set-0-home"]; !slices.Equal(got, []string{siteA.String()}) {
			t.Errorf("hidden parent key %q", got)
		}
		data := url.Values{"visitor_set-TOTAL_FORMS": {"1"}, "visitor_set-INITIAL_FORMS": {"0"},
			"visitor_set-0-name": {"Ann"}, "visitor_set-0-country": {"FR"}, "visitor_set-0-home": {siteA.String()}}
		fs.Bind(data)
		if !fs.IsValid() {
			t.Fatal(fs.Errors())
		}
		if _, err := fs.Save(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := orm.For[Visitor](db).Filter(orm.Q{"home": siteA, "name": "Ann"}).Count(ctx); err != nil || n != 1 {
			t.Errorf("%d visitors of alpha (%v)", n, err)
		}
		// Another site's key is refused.
		fs = inline(alpha, false)
		data.Set("visitor_set-0-home", siteB.String())
		fs.Bind(data)
		if fs.IsValid() || len(fs.Errors()) == 0 || !slices.Contains(fs.Errors()[0]["home"], "The inline value did not match the parent instance.") {
			t.Errorf("a row of another parent: %v", fs.Errors())
		}

		// A parent being added: its default key is not shown, not
		// required, and the saved parent's key is set on save.
		site := sm.New().(*Site)
		if site.ID == uuid.Nil {
			t.Fatal("New gave no default key")
		}
		fs = inline(site, true)
		if got := submit(t, fs.Forms()[0])["visitor_set-0-home"]; !slices.Equal(got, []string{""}) {
			t.Errorf("hidden parent key while adding %q", got)
		}
		data.Set("visitor_set-0-home", "")
		data.Set("visitor_set-0-name", "Bob")
		fs.Bind(data)
		if !fs.IsValid() {
			t.Fatal(fs.Errors())
		}
		site.Slug, site.Country = "gamma", orm.FKTo[Country]("FR")
		if err := db.Save(ctx, site); err != nil {
			t.Fatal(err)
		}
		if _, err := fs.Save(ctx); err != nil {
			t.Fatal(err)
		}
		if n, err := orm.For[Visitor](db).Filter(orm.Q{"home": site.ID, "name": "Bob"}).Count(ctx); err != nil || n != 1 {
			t.Errorf("%d visitors of the new site (%v)", n, err)
		}
	})
}

// TestModelFormSetOfUUIDKeys: a formset of UUID-keyed objects names its
// rows by their hyphenated keys (or the hex digits alone), and a
// one-to-one field to a UUID key cleans to one.
func TestModelFormSetOfUUIDKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedTravel(t, db)
		sm := modelOf(t, db, Site{})
		newSet := func() *form.ModelFormSet {
			fs, err := form.NewModelFormSet(ctx, db, db.Query(sm).OrderBy("slug"), form.ModelFormSetOptions{Form: form.Options{Fields: []string{"slug"}}})
			if err != nil {
				t.Fatal(err)
			}
			return fs
		}
		fs := newSet()
		if got := submit(t, fs.Forms()[1])["form-1-id"]; !slices.Equal(got, []string{siteB.String()}) {
			t.Errorf("hidden key %q", got)
		}
		data := url.Values{"form-TOTAL_FORMS": {"2"}, "form-INITIAL_FORMS": {"2"},
			"form-0-id": {siteA.String()}, "form-0-slug": {"alpha"},
			"form-1-id": {strings.ReplaceAll(siteB.String(), "-", "")}, "form-1-slug": {"beta-2"}}
		fs.Bind(data)
		if !fs.IsValid() {
			t.Fatal(fs.Errors())
		}
		if _, err := fs.Save(ctx); err != nil {
			t.Fatal(err)
		}
		if b, err := orm.Get[Site](ctx, orm.For[Site](db), orm.Q{"pk": siteB}); err != nil || b.Slug != "beta-2" {
			t.Errorf("site b after the save: %+v %v", b, err)
		}
		// A key of no row in the query set.
		fs = newSet()
		data.Set("form-1-id", uuid.New().String())
		fs.Bind(data)
		if fs.IsValid() {
			t.Error("a row of an unknown key is valid")
		}

		bm := modelOf(t, db, Badge{})
		mf, err := form.ForModel(ctx, db, bm, form.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := submit(t, mf)["site"]; !slices.Equal(got, []string{""}) {
			t.Errorf("an empty one-to-one sends %q", got)
		}
		mf.Bind(url.Values{"site": {siteA.String()}})
		if !mf.IsValid() || mf.Cleaned("site") != siteA {
			t.Fatalf("one-to-one: %v %#v", mf.Errors(), mf.Cleaned("site"))
		}
		v, err := mf.Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if b := v.(*Badge); b.Site.ID != siteA || !b.Site.Valid {
			t.Errorf("saved badge %+v", b)
		}
		again, err := form.ForModel(ctx, db, bm, form.Options{})
		if err != nil {
			t.Fatal(err)
		}
		again.Bind(url.Values{"site": {siteA.String()}})
		checkErrors(t, again.Errors(), map[string][]string{"site": {"Badge with this Site already exists."}})
	})
}
