package form_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Label points at an object of any model through the default fields.
type Label struct {
	ID          int64
	Text        string                                  `orm:"max_length=50"`
	ContentType orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ObjectID    int64                                   `orm:"type=positive"`
	Object      orm.GenericForeignKey
}

func (l *Label) String() string { return l.Text }

// Remark points at an object through fields of its own names, the object
// id held as text.
type Remark struct {
	ID     int64
	Body   string                                  `orm:"max_length=50"`
	Kind   orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	Target string                                  `orm:"max_length=40"`
	Object orm.GenericForeignKey                   `orm:"ct_field=kind,fk_field=target"`
}

func genericRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(contenttype.App()); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Register(orm.AppConfig{Name: "polls", Models: []any{Poll{}, Person{}, Label{}, Remark{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// labelState describes every label: "<content type model>:<object id>:<text>".
func labelState(t testing.TB, db *orm.DB) string {
	t.Helper()
	ctx := context.Background()
	labels, err := orm.All[Label](ctx, orm.For[Label](db).OrderBy("pk"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range labels {
		ct, err := orm.Get[contenttype.ContentType](ctx, orm.For[contenttype.ContentType](db), orm.Q{"pk": l.ContentType.ID})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, ct.Model+":"+id(l.ObjectID)+":"+l.Text)
	}
	return strings.Join(out, " ")
}

// labelData is a submission of a poll's labels: rows of "id" and "text".
func labelData(total, initial int, rows ...[]string) url.Values {
	const p = "polls-label-content_type-object_id-"
	data := url.Values{p + "TOTAL_FORMS": {id(int64(total))}, p + "INITIAL_FORMS": {id(int64(initial))}}
	for i, kv := range rows {
		for j := 0; j+1 < len(kv); j += 2 {
			data.Set(p+id(int64(i))+"-"+kv[j], kv[j+1])
		}
	}
	return data
}

// TestGenericInlineFormSet edits the labels of one poll: only its own
// are loaded (not those of the person with the same id), the forms leave
// the generic key out, and saving adds, changes and deletes with the key
// set to the poll's.
func TestGenericInlineFormSet(t *testing.T) {
	testdb.Run(t, genericRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		poll, other, person := &Poll{Question: "Tea?"}, &Poll{Question: "Coffee?"}, &Person{Name: "Ann"}
		for _, o := range []any{poll, other, person} {
			if err := db.Insert(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		if person.ID != poll.ID {
			t.Fatalf("the person's id %d is not the poll's %d", person.ID, poll.ID)
		}
		var labels []*Label
		for _, l := range []struct {
			text   string
			target any
		}{{"red", poll}, {"blue", poll}, {"green", other}, {"ann's", person}} {
			label := &Label{Text: l.text}
			if err := db.SetGenericObject(ctx, label, "object", l.target); err != nil {
				t.Fatal(err)
			}
			if err := db.Insert(ctx, label); err != nil {
				t.Fatal(err)
			}
			labels = append(labels, label)
		}
		p, o := id(poll.ID), id(other.ID)
		before := "poll:" + p + ":red poll:" + p + ":blue poll:" + o + ":green person:" + p + ":ann's"
		if got := labelState(t, db); got != before {
			t.Fatalf("fixture %s", got)
		}

		child := modelOf(t, db, Label{})
		opts := form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 2, CanDelete: true}}
		fs, err := form.NewGenericInlineFormSet(ctx, db, poll, child, opts)
		if err != nil {
			t.Fatal(err)
		}
		if fs.Prefix() != "polls-label-content_type-object_id" || fs.FK() != nil || fs.Parent() != poll {
			t.Errorf("prefix %q, fk %v", fs.Prefix(), fs.FK())
		}
		if len(fs.Objects()) != 2 || fs.Objects()[0].(*Label).Text != "red" || fs.Objects()[1].(*Label).Text != "blue" {
			t.Fatalf("objects %v", fs.Objects())
		}
		forms := fs.Forms()
		if got := strings.Join(names(forms[0].Fields()), " "); got != "text id DELETE" {
			t.Errorf("fields %s", got)
		}

		red, blue, green := id(labels[0].ID), id(labels[1].ID), id(labels[2].ID)
		// Another poll's label posted as an initial form is refused.
		fs, _ = form.NewGenericInlineFormSet(ctx, db, poll, child, opts)
		fs.Bind(labelData(2, 2, []string{"id", red, "text", "red"}, []string{"id", green, "text", "stolen"}))
		if fs.IsValid() {
			t.Error("another poll's label passed")
		}
		if _, err := fs.Save(ctx); err == nil || labelState(t, db) != before {
			t.Errorf("a tampered submission saved: %v", err)
		}

		fs, _ = form.NewGenericInlineFormSet(ctx, db, poll, child, opts)
		fs.Bind(labelData(4, 2, []string{"id", red, "text", "crimson"}, []string{"id", blue, "text", "blue", "DELETE", "on"},
			[]string{"text", "new"}, []string{"text", ""}))
		if !fs.IsValid() {
			t.Fatalf("%v %v", fs.Errors(), fs.NonFormErrors())
		}
		saved, err := fs.Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(saved.New) != 1 || len(saved.Changed) != 1 || len(saved.Deleted) != 1 || saved.Changed[0].Labels[0] != "Text" {
			t.Errorf("saved %+v", saved)
		}
		want := "poll:" + p + ":crimson poll:" + o + ":green person:" + p + ":ann's poll:" + p + ":new"
		if got := labelState(t, db); got != want {
			t.Errorf("database:\n got %s\nwant %s", got, want)
		}
	})
}

// TestGenericInlineFormSetNewParent: a formset of a parent not saved yet
// is empty; once the parent is saved, Save points the new objects at it,
// the object id as text, creating the parent model's content type row.
func TestGenericInlineFormSetNewParent(t *testing.T) {
	testdb.Run(t, genericRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		child := modelOf(t, db, Remark{})
		person := &Person{}
		opts := form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 1}, CtField: "kind", CtFkField: "target"}
		if _, err := form.NewGenericInlineFormSet(ctx, db, person, child, form.ModelFormSetOptions{}); err == nil {
			t.Error("a formset over content_type and object_id, which Remark lacks")
		}
		fs, err := form.NewGenericInlineFormSet(ctx, db, person, child, opts)
		if err != nil {
			t.Fatal(err)
		}
		if fs.Prefix() != "polls-remark-kind-target" || len(fs.Objects()) != 0 {
			t.Fatalf("prefix %q, %d objects", fs.Prefix(), len(fs.Objects()))
		}
		fs.Bind(url.Values{"polls-remark-kind-target-TOTAL_FORMS": {"1"}, "polls-remark-kind-target-INITIAL_FORMS": {"0"},
			"polls-remark-kind-target-0-body": {"first"}})
		if !fs.IsValid() {
			t.Fatalf("%v", fs.Errors())
		}
		if _, err := fs.Save(ctx); err == nil || !strings.Contains(err.Error(), "save the parent polls.Person first") {
			t.Errorf("saved before the parent: %v", err)
		}
		person.Name = "Bo"
		if err := db.Insert(ctx, person); err != nil {
			t.Fatal(err)
		}
		if n, err := db.Query(modelOf(t, db, contenttype.ContentType{})).Count(ctx); err != nil || n != 0 {
			t.Fatalf("%d content types before saving (%v)", n, err)
		}
		fs.SetParent(person)
		if _, err := fs.Save(ctx); err != nil {
			t.Fatal(err)
		}
		remarks, err := orm.All[Remark](ctx, orm.For[Remark](db))
		if err != nil || len(remarks) != 1 {
			t.Fatalf("remarks %v %v", remarks, err)
		}
		ct, err := orm.Get[contenttype.ContentType](ctx, orm.For[contenttype.ContentType](db), orm.Q{"pk": remarks[0].Kind.ID})
		if err != nil {
			t.Fatal(err)
		}
		if r := remarks[0]; r.Body != "first" || r.Target != id(person.ID) || ct.AppLabel != "polls" || ct.Model != "person" {
			t.Errorf("remark %+v of %+v", r, ct)
		}
		opts.Extra = 0
		fs, err = form.NewGenericInlineFormSet(ctx, db, person, child, opts)
		if err != nil || len(fs.Objects()) != 1 {
			t.Errorf("reloaded: %v, %v", fs, err)
		}
	})
}

// TestGenericKeyOfErrors: Django's errors for a content type field that
// is missing or not a foreign key to the content type, and a missing
// object id field.
func TestGenericKeyOfErrors(t *testing.T) {
	reg := genericRegistry(t)
	m, err := reg.ModelOf(Label{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ ct, fk, want string }{
		{"nope", "", "form: Label has no field named 'nope'"},
		{"text", "", "form: fk_name 'polls.Label.text' is not a ForeignKey to ContentType"},
		{"", "nope", "form: Label has no field named 'nope'"},
	} {
		if _, err := form.GenericKeyOf(m, c.ct, c.fk); err == nil || err.Error() != c.want {
			t.Errorf("GenericKeyOf(%q, %q): %v, want %s", c.ct, c.fk, err, c.want)
		}
	}
	k, err := form.GenericKeyOf(m, "", "")
	if err != nil || k.ContentType.Name != "content_type" || k.ObjectID.Name != "object_id" {
		t.Errorf("defaults: %+v %v", k, err)
	}
}
