package orm_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Jotting is a note about any object, shaped as the Django library's Note:
// a generic foreign key over content_type and a positive integer
// object_id. Reader and Visit declare the reverse, as Member and Loan
// declare notes; a Visit cascades from its reader, and a Stamp from its
// jotting, so a delete reaches across the generic relation and beyond.
type Jotting struct {
	ID          int64
	Text        string                                  `orm:"type=text"`
	ContentType orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ObjectID    uint32                                  `orm:"type=positive"`
	Object      orm.GenericForeignKey
}

func (Jotting) Meta() orm.Meta { return orm.Meta{Ordering: []string{"text"}} }

type Stamp struct {
	ID      int64
	Jotting orm.ForeignKey[Jotting] `orm:"on_delete=cascade"`
}

type Reader struct {
	ID    int64
	Name  string                       `orm:"max_length=60"`
	Notes orm.GenericRelation[Jotting] `orm:"content_type_field=content_type,object_id_field=object_id,related_query_name=reader"`
}

type Visit struct {
	ID     int64
	Reader orm.ForeignKey[Reader]       `orm:"on_delete=cascade"`
	Notes  orm.GenericRelation[Jotting] // the default field names
}

func jottingRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(contenttype.App()); err != nil {
		t.Fatal(err)
	}
	if _, err := reg.Register(orm.AppConfig{Name: "library", Models: []any{Jotting{}, Stamp{}, Reader{}, Visit{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestGenericRelationDeclared(t *testing.T) {
	reg := jottingRegistry(t)
	reader, _ := reg.GetModel("library.reader")
	jot, _ := reg.GetModel("library.jotting")
	f := reader.Field("notes")
	if f.Kind != orm.KindGenericRelation || f.Concrete() || f.Editable || !f.Blank || f.Related != jot {
		t.Errorf("notes: kind %s, concrete %v, editable %v, blank %v, related %v", f.Kind, f.Concrete(), f.Editable, f.Blank, f.Related)
	}
	if f.GenericContentType != jot.Field("content_type") || f.GenericObjectID != jot.Field("object_id") {
		t.Error("the generic relation does not name the note's content type and object id")
	}
	for _, c := range reader.ConcreteFields() {
		if c == f {
			t.Error("the generic relation has a column")
		}
	}

	type Pin struct {
		ID    int64
		Label string              `orm:"max_length=9"`
		Code  string              `orm:"max_length=9"`
		Kind  orm.ForeignKey[Pin] `orm:"on_delete=cascade"`
	}
	type WrongCT struct {
		ID   int64
		Pins orm.GenericRelation[Pin] `orm:"content_type_field=label"`
	}
	type NotCT struct {
		ID   int64
		Pins orm.GenericRelation[Pin] `orm:"content_type_field=kind,object_id_field=label"`
	}
	type TextKey struct {
		Code  string                       `orm:"primary_key,max_length=9"`
		Notes orm.GenericRelation[Jotting] // object_id is an integer
	}
	type Pointer struct {
		ID    int64
		Notes *orm.GenericRelation[Jotting]
	}
	type Clash struct {
		ID    int64
		Notes orm.GenericRelation[Jotting] `orm:"related_query_name=text"`
	}
	type Chosen struct {
		ID    int64
		Notes orm.GenericRelation[Jotting] `orm:"choices=a:A"`
	}
	for _, c := range []struct {
		models []any
		want   string
	}{
		{[]any{Pin{}, WrongCT{}}, "content_type_field=label: want a foreign key of Pin to the content type model"},
		{[]any{Pin{}, NotCT{}}, "is not a content type model"},
		{[]any{TextKey{}}, "object_id_field=object_id: want a field of Jotting holding TextKey's primary key (a CharField)"},
		{[]any{Pointer{}}, "a generic relation is a plain orm.GenericRelation[T]"},
		{[]any{Chosen{}}, "tag option choices does not apply to GenericRelation"},
		{[]any{Clash{}}, `reverse name "text" on Jotting clashes with field Jotting.text`},
		{[]any{WrongCT{}}, "related model orm_test.Pin is not registered"},
	} {
		reg := orm.NewRegistry()
		_, err := reg.Register(contenttype.App())
		if err == nil {
			_, err = reg.Register(orm.AppConfig{Name: "library", Models: append([]any{Jotting{}}, c.models...)})
		}
		if err == nil {
			err = reg.Ready()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: %v, want an error saying %q", c.models[len(c.models)-1], err, c.want)
		}
	}
}

func TestGenericRelation(t *testing.T) {
	testdb.Run(t, jottingRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		r1, r2, r3 := &Reader{Name: "Ana"}, &Reader{Name: "Céline"}, &Reader{Name: "Noé"}
		for _, r := range []*Reader{r1, r2, r3} {
			if err := db.Insert(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		v1 := &Visit{Reader: orm.FK[Reader](r2.ID)}
		if err := db.Insert(ctx, v1); err != nil {
			t.Fatal(err)
		}
		if v1.ID != r1.ID {
			t.Fatalf("visit %d and reader %d should share an id, so that only the content type tells their notes apart", v1.ID, r1.ID)
		}
		jot := func(text string, about any) *Jotting {
			t.Helper()
			j := &Jotting{Text: text}
			if err := db.SetGenericObject(ctx, j, "object", about); err != nil {
				t.Fatal(err)
			}
			if err := db.Insert(ctx, j); err != nil {
				t.Fatal(err)
			}
			return j
		}
		jot("Late return, twice", r1)
		jot("Asked for large print", r1)
		lateFee := jot("Late fee waived", v1)
		jot("Lost card", r2)
		if err := db.Insert(ctx, &Stamp{Jotting: orm.FK[Jotting](lateFee.ID)}); err != nil {
			t.Fatal(err)
		}

		ids := func(q orm.QuerySet) []int64 {
			t.Helper()
			objs, err := q.OrderBy("pk").All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var out []int64
			for _, o := range objs {
				switch o := o.(type) {
				case *Reader:
					out = append(out, o.ID)
				case *Visit:
					out = append(out, o.ID)
				}
			}
			return out
		}
		// The join is restricted by content type: the visit's note about
		// a late fee has the object id of r1, but is not r1's.
		readers, visits := orm.For[Reader](db), orm.For[Visit](db)
		if got := ids(readers.Filter(orm.Q{"notes__text__icontains": "late fee"})); len(got) != 0 {
			t.Errorf("readers with a note on a late fee: %v, want none (that note is a visit's)", got)
		}
		if got := ids(readers.Filter(orm.Q{"notes__text__icontains": "LATE"}).Distinct()); !slices.Equal(got, []int64{r1.ID}) {
			t.Errorf("readers with a note on lateness: %v, want [%d]", got, r1.ID)
		}
		if got := ids(visits.Filter(orm.Q{"notes__text__icontains": "late"})); !slices.Equal(got, []int64{v1.ID}) {
			t.Errorf("visits with a note on lateness: %v, want [%d]", got, v1.ID)
		}
		if got := ids(readers.Filter(orm.Q{"notes__isnull": true})); !slices.Equal(got, []int64{r3.ID}) {
			t.Errorf("readers without notes: %v, want [%d]", got, r3.ID)
		}
		if got := ids(readers.Exclude(orm.Q{"notes__text__icontains": "late"})); !slices.Equal(got, []int64{r2.ID, r3.ID}) {
			t.Errorf("readers without a note on lateness: %v, want [%d %d]", got, r2.ID, r3.ID)
		}
		if got := ids(readers.Filter(orm.Q{"notes": lateFee.ID})); len(got) != 0 {
			t.Errorf("readers whose notes include the visit's note: %v, want none", got)
		}
		if n, err := readers.Filter(orm.Q{"notes__text__icontains": "a"}).Count(ctx); err != nil || n != 3 {
			t.Errorf("count of joined rows: %d, %v; want 3 (two notes of r1, one of r2)", n, err)
		}

		// related_query_name leads back from the notes, by content type too.
		textsOf := func(q orm.QuerySet) []string {
			t.Helper()
			objs, err := orm.All[Jotting](ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, j := range objs {
				out = append(out, j.Text)
			}
			return out
		}
		jots := orm.For[Jotting](db)
		if got := textsOf(jots.Filter(orm.Q{"reader__name": "Ana"})); !slices.Equal(got, []string{"Asked for large print", "Late return, twice"}) {
			t.Errorf("notes about Ana: %v, want her two (not the visit's with her id)", got)
		}
		if got := textsOf(jots.Filter(orm.Q{"reader": r1.ID})); len(got) != 2 {
			t.Errorf("notes about reader %d: %v, want 2", r1.ID, got)
		}
		if got := textsOf(jots.Filter(orm.Q{"reader__isnull": true})); !slices.Equal(got, []string{"Late fee waived"}) {
			t.Errorf("notes about no reader: %v, want the visit's", got)
		}
		if got := textsOf(jots.Exclude(orm.Q{"reader__name__startswith": "C"})); len(got) != 3 {
			t.Errorf("notes not about Céline: %v, want 3", got)
		}

		// Loading the objects, for one and for several.
		objs, err := db.LoadGenericRelation(ctx, r1, "notes")
		if err != nil || len(objs) != 2 {
			t.Fatalf("r1's notes: %v, %v", objs, err)
		}
		if got, ok := r1.Notes.Objects(); !ok || len(got) != 2 || got[0].Text != "Asked for large print" || got[1].Text != "Late return, twice" {
			t.Errorf("r1.Notes.Objects() = %v, %v; want its two notes in text order", got, ok)
		}
		if got, ok := r3.Notes.Objects(); ok || got != nil {
			t.Error("r3's notes count as loaded before they were")
		}
		if _, err := db.LoadGenericRelation(ctx, r3, "notes"); err != nil {
			t.Fatal(err)
		}
		if got, ok := r3.Notes.Objects(); !ok || len(got) != 0 {
			t.Errorf("r3's loaded notes %v, %v; want loaded and empty", got, ok)
		}
		if _, err := db.LoadGenericRelation(ctx, r1, "name"); err == nil {
			t.Error("LoadGenericRelation of a plain field gave no error")
		}
		m, _ := db.Registry().GetModel("library.reader")
		byReader, err := db.RelatedObjects(ctx, m, []any{r1, r2, r3}, "notes")
		if err != nil {
			t.Fatal(err)
		}
		if len(byReader[r1.ID]) != 2 || len(byReader[r2.ID]) != 1 || len(byReader[r3.ID]) != 0 || byReader[r2.ID][0].(*Jotting).Text != "Lost card" {
			t.Errorf("related objects by reader: %v", byReader)
		}

		// Deleting r2 deletes its note, its visit, the visit's note and
		// that note's stamp; the summary lists them in Django's order,
		// the generic relations' objects after the reverse relations'.
		d, err := db.Collect(ctx, r2)
		if err != nil {
			t.Fatal(err)
		}
		if got := countsOf(d); got != "readers:1 visits:1 jottings:2 stamps:1" {
			t.Errorf("deletion counts %s", got)
		}
		if len(d.Roots) != 1 || len(d.Roots[0].Children) != 2 {
			t.Fatalf("deletion tree: %+v", d.Roots)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		left, err := orm.All[Jotting](ctx, orm.For[Jotting](db))
		if err != nil {
			t.Fatal(err)
		}
		var texts []string
		for _, j := range left {
			texts = append(texts, j.Text)
		}
		if !slices.Equal(texts, []string{"Asked for large print", "Late return, twice"}) {
			t.Errorf("notes left %v, want r1's two", texts)
		}
		if n, _ := orm.For[Stamp](db).Count(ctx); n != 0 {
			t.Errorf("%d stamps left", n)
		}
	})
}
