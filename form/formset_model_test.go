package form_test

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Poll struct {
	ID       int64
	Question string `orm:"max_length=100"`
}

func (p *Poll) String() string { return p.Question }

type PollChoice struct {
	ID    int64
	Poll  orm.ForeignKey[Poll] `orm:"on_delete=cascade"`
	Text  string               `orm:"max_length=50"`
	Votes int32                `orm:"default=0"`
}

func (c *PollChoice) String() string { return c.Text }

func (PollChoice) Meta() orm.Meta {
	return orm.Meta{UniqueTogether: [][]string{{"poll", "text"}}, VerboseName: "choice"}
}

// Ballot protects the choice it was cast for.
type Ballot struct {
	ID     int64
	Choice orm.ForeignKey[PollChoice] `orm:"on_delete=protect"`
	Voter  string                     `orm:"max_length=50"`
}

func (b *Ballot) String() string { return b.Voter }

type Person struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

type Letter struct {
	ID        int64
	Sender    orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=sent"`
	Recipient orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=received"`
	Body      string                 `orm:"type=text"`
}

type Note struct {
	ID     int64
	Person orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=notes+"`
	Text   string                 `orm:"max_length=50"`
}

type Profile struct {
	ID     int64
	Person orm.OneToOne[Person] `orm:"on_delete=cascade"`
	Bio    string               `orm:"max_length=50"`
}

func formsetRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	models := []any{Poll{}, PollChoice{}, Ballot{}, Person{}, Letter{}, Note{}, Profile{}, Tag{}}
	if _, err := reg.Register(orm.AppConfig{Name: "polls", Models: models}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// tagFixture is a database with tags a, b, c and x.
type tagFixture struct {
	ctx  context.Context
	db   *orm.DB
	tags *orm.Model
	ids  map[string]int64
}

func newTagFixture(t *testing.T, db *orm.DB) *tagFixture {
	t.Helper()
	fx := &tagFixture{ctx: context.Background(), db: db, tags: modelOf(t, db, Tag{}), ids: map[string]int64{}}
	for _, slug := range []string{"a", "b", "c", "x"} {
		tag := &Tag{Slug: slug}
		if err := db.Insert(fx.ctx, tag); err != nil {
			t.Fatal(err)
		}
		fx.ids[slug] = tag.ID
	}
	return fx
}

// formset returns the formset over the tags a, b and c (x is left out).
func (fx *tagFixture) formset(t testing.TB, opts form.ModelFormSetOptions) *form.ModelFormSet {
	t.Helper()
	fs, err := form.NewModelFormSet(fx.ctx, fx.db, fx.db.Query(fx.tags).Filter(orm.Q{"slug__in": []string{"a", "b", "c"}}), opts)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// slugs returns the slugs in the database, by primary key.
func (fx *tagFixture) slugs(t testing.TB) string {
	t.Helper()
	objs, err := fx.db.Query(fx.tags).OrderBy("pk").All(fx.ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, o := range objs {
		out = append(out, o.(*Tag).Slug)
	}
	return strings.Join(out, " ")
}

// post is the submission of the rendered formset: every form as shown.
func (fx *tagFixture) post(total, initial int, forms ...[]string) url.Values {
	data := management(total, initial)
	for i, kv := range forms {
		for j := 0; j+1 < len(kv); j += 2 {
			data.Set("form-"+id(int64(i))+"-"+kv[j], kv[j+1])
		}
	}
	return data
}

func TestModelFormSetRendering(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newTagFixture(t, db)
		fs := fx.formset(t, form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 2, CanDelete: true}})
		forms := fs.Forms()
		if len(forms) != 5 || len(fs.InitialForms()) != 3 || len(fs.ExtraForms()) != 2 || len(fs.Objects()) != 3 {
			t.Fatalf("%d forms", len(forms))
		}
		if got := string(forms[1].Field("id").Widget()); got != `<input type="hidden" name="form-1-id" value="`+id(fx.ids["b"])+`" id="id_form-1-id">` {
			t.Errorf("hidden key: %s", got)
		}
		if got := string(forms[1].Field("slug").Widget()); got != `<input type="text" name="form-1-slug" value="b" class="vTextField" maxlength="50" id="id_form-1-slug">` {
			t.Errorf("field: %s", got)
		}
		if got := string(forms[3].Field("id").Widget()); got != `<input type="hidden" name="form-3-id" id="id_form-3-id">` {
			t.Errorf("an extra form's key is empty: %s", got)
		}
		if !strings.Contains(string(fs.ManagementForm()), `name="form-INITIAL_FORMS" value="3"`) {
			t.Errorf("management form: %s", fs.ManagementForm())
		}
		empty, err := fs.EmptyForm()
		if err != nil || !strings.Contains(string(empty.Field("slug").Widget()), `name="form-__prefix__-slug"`) {
			t.Errorf("empty form: %v", err)
		}
		page, err := fs.Render()
		if err != nil || !strings.Contains(string(page), `<input type="hidden" name="form-0-id" value="`+id(fx.ids["a"])+`" id="id_form-0-id">`) {
			t.Errorf("render: %v\n%s", err, page)
		}
	})
}

func TestModelFormSetSave(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newTagFixture(t, db)
		a, b, c := id(fx.ids["a"]), id(fx.ids["b"]), id(fx.ids["c"])
		data := fx.post(5, 3,
			[]string{"id", a, "slug", "a"},                        // unchanged
			[]string{"id", b, "slug", "b2"},                       // changed
			[]string{"id", c, "slug", "bad slug", "DELETE", "on"}, // deleted: its errors do not count
			[]string{"slug", "d"},                                 // new
			[]string{"slug", ""},                                  // blank: skipped
		)
		fs := fx.formset(t, form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 2, CanDelete: true}})
		fs.Bind(data)
		if !fs.IsValid() {
			t.Fatalf("errors %v %v", fs.Errors(), fs.NonFormErrors())
		}
		saved, err := fs.Save(fx.ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.New) != 1 || saved.New[0].(*Tag).Slug != "d" || len(saved.Deleted) != 1 || saved.Deleted[0].(*Tag).Slug != "c" ||
			len(saved.Changed) != 1 || !slices.Equal(saved.Changed[0].Fields, []string{"slug"}) || !slices.Equal(saved.Changed[0].Labels, []string{"Slug"}) {
			t.Errorf("saved %+v", saved)
		}
		if got := fx.slugs(t); got != "a b2 x d" {
			t.Errorf("database: %s", got)
		}

		// Duplicates among the forms, and a value another row holds.
		fs = fx.formset(t, form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 2}})
		fs.Bind(fx.post(3, 1, []string{"id", a, "slug", "a"}, []string{"slug", "new"}, []string{"slug", "new"}))
		if fs.IsValid() || !slices.Equal(fs.NonFormErrors(), []string{"Please correct the duplicate data for slug."}) {
			t.Errorf("duplicate new values: %q", fs.NonFormErrors())
		}
		checkErrors(t, fs.Errors()[2], map[string][]string{form.NonField: {"Please correct the duplicate values below."}})
		fs = fx.formset(t, form.ModelFormSetOptions{})
		fs.Bind(fx.post(1, 1, []string{"id", a, "slug", "x"}))
		if fs.IsValid() {
			t.Error("a slug another row holds")
		}
		checkErrors(t, fs.Errors()[0], map[string][]string{"slug": {"Tag with this Slug already exists."}})
		if _, err := fs.Save(fx.ctx); err == nil {
			t.Error("Save of an invalid formset")
		}
		if got := fx.slugs(t); got != "a b2 x d" {
			t.Errorf("an invalid formset changed the database: %s", got)
		}

		// Save joins the caller's transaction.
		fs = fx.formset(t, form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 1}})
		fs.Bind(fx.post(2, 1, []string{"id", a, "slug", "a9"}, []string{"slug", "e"})) // b2 has left the query set
		if !fs.IsValid() {
			t.Fatalf("%v %v", fs.Errors(), fs.NonFormErrors())
		}
		boom := errors.New("boom")
		err = db.Atomic(fx.ctx, func(ctx context.Context) error {
			if _, err := fs.Save(ctx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) || fx.slugs(t) != "a b2 x d" {
			t.Errorf("rolled back with the caller: %v, %s", err, fx.slugs(t))
		}
	})
}

// TestModelFormSetTampering posts what the page never offers — keys of rows
// outside the formset, keys in extra forms, counts that disagree — and
// checks each is refused with an error and changes nothing.
func TestModelFormSetTampering(t *testing.T) {
	testdb.Run(t, formsetRegistry(t), func(t *testing.T, db *orm.DB) {
		fx := newTagFixture(t, db)
		a, b, c, x := id(fx.ids["a"]), id(fx.ids["b"]), id(fx.ids["c"]), id(fx.ids["x"])
		invalid := []string{"Select a valid choice. That choice is not one of the available choices."}
		cases := []struct {
			name    string
			opts    form.FormSetOptions
			data    url.Values
			form    int
			errs    map[string][]string
			nonForm []string
		}{
			{"the key of a row outside the query set", form.FormSetOptions{}, fx.post(3, 3, []string{"id", a, "slug", "a"}, []string{"id", x, "slug", "owned"},
				[]string{"id", c, "slug", "c"}), 1, map[string][]string{"id": invalid}, nil},
			{"a key that names no row", form.FormSetOptions{}, fx.post(1, 1, []string{"id", "99999", "slug", "z"}), 0, map[string][]string{"id": invalid}, nil},
			{"a key that is not a number", form.FormSetOptions{}, fx.post(1, 1, []string{"id", "1 OR 1=1", "slug", "z"}), 0, map[string][]string{"id": invalid}, nil},
			{"no key in an initial form", form.FormSetOptions{}, fx.post(1, 1, []string{"slug", "z"}), 0, map[string][]string{"id": required}, nil},
			{"a key in an extra form", form.FormSetOptions{Extra: 1}, fx.post(4, 3, []string{"id", a, "slug", "a"}, []string{"id", b, "slug", "b"},
				[]string{"id", c, "slug", "c"}, []string{"id", a, "slug", "stolen"}), 3, map[string][]string{"id": invalid}, nil},
			{"a key alone in an extra form", form.FormSetOptions{Extra: 1}, fx.post(1, 0, []string{"id", x}), 0, map[string][]string{"id": invalid, "slug": required}, nil},
			{"initial forms posted as extra", form.FormSetOptions{}, fx.post(1, 0, []string{"id", a, "slug", "moved"}), 0, map[string][]string{"id": invalid}, nil},
			{"a deleted form with a foreign key", form.FormSetOptions{CanDelete: true}, fx.post(1, 1, []string{"id", x, "slug", "x", "DELETE", "on"}), 0,
				map[string][]string{"id": invalid}, nil},
			{"the same key twice", form.FormSetOptions{}, fx.post(2, 2, []string{"id", a, "slug", "a"}, []string{"id", a, "slug", "a2"}), 1,
				map[string][]string{form.NonField: {"Please correct the duplicate values below."}}, []string{"Please correct the duplicate data for id."}},
			{"more forms than the cap", form.FormSetOptions{MaxNum: 3, AbsoluteMax: 3}, fx.post(50, 3, []string{"id", a, "slug", "a"}, []string{"id", b, "slug", "b"},
				[]string{"id", c, "slug", "c"}, []string{"slug", "new"}), -1, nil, []string{"Please submit at most 3 forms."}},
			{"a missing management form", form.FormSetOptions{}, with(fx.post(1, 1, []string{"id", a, "slug", "zz"}), "form-TOTAL_FORMS", ""), -1, nil,
				[]string{"ManagementForm data is missing or has been tampered with. Missing fields: form-TOTAL_FORMS. You may need to file a bug report if the issue persists."}},
		}
		before := fx.slugs(t)
		for _, c := range cases {
			fs := fx.formset(t, form.ModelFormSetOptions{FormSetOptions: c.opts})
			fs.Bind(c.data)
			if fs.IsValid() {
				t.Errorf("%s: valid", c.name)
			}
			if c.form >= 0 {
				checkErrors(t, fs.Errors()[c.form], c.errs)
			}
			if got := fs.NonFormErrors(); !slices.Equal(got, c.nonForm) {
				t.Errorf("%s: non-form errors %q, want %q", c.name, got, c.nonForm)
			}
			if fs.TotalErrorCount() == 0 {
				t.Errorf("%s: no error counted", c.name)
			}
			if _, err := fs.Save(fx.ctx); err == nil {
				t.Errorf("%s: saved", c.name)
			}
			if got := fx.slugs(t); got != before {
				t.Fatalf("%s: the database changed: %s", c.name, got)
			}
		}
	})
}

// TestModelFormSetQueries checks a page of forms loads the choices of each
// relation field once, whatever the number of forms.
func TestModelFormSetQueries(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		for _, name := range []string{"One", "Two", "Three"} {
			fx.insert(t, &Book{Name: name, Publisher: orm.FK[Publisher](fx.pubs[0].ID)})
		}
		var counter orm.QueryCounter
		ctx := orm.WithQueryCounter(context.Background(), &counter)
		opts := form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 2}, Form: form.Options{Fields: []string{"name", "publisher", "authors"}}}
		fs, err := form.NewModelFormSet(ctx, db, db.Query(fx.book), opts)
		if err != nil {
			t.Fatal(err)
		}
		page, err := fs.Render()
		if err != nil {
			t.Fatal(err)
		}
		// The books, one many-to-many load per book, then the publishers and
		// the authors once for all five forms.
		if n := counter.Count(); n != 1+3+2 {
			t.Errorf("%d queries", n)
		}
		if got := strings.Count(string(page), `<option value="`+id(fx.authors[0].ID)+`">Zed</option>`); got != 5 {
			t.Errorf("every form offers the authors: %d", got)
		}
	})
}
