package orm_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Person struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

func (p *Person) String() string { return p.Name }

type Profile struct {
	ID     int64
	Person orm.OneToOne[Person] `orm:"on_delete=cascade"`
	Bio    string               `orm:"type=text,blank"`
}

type Land struct {
	ID   int64
	Code int32  `orm:"unique"`
	Name string `orm:"max_length=50"`
}

type Town struct {
	ID      int64
	Name    string               `orm:"max_length=50"`
	Country orm.ForeignKey[Land] `orm:"on_delete=cascade,to_field=code,related_name=cities"`
}

type Club struct {
	ID      int64
	Name    string                 `orm:"max_length=50"`
	Members orm.ManyToMany[Person] `orm:"through=Membership,related_name=clubs"`
}

type Membership struct {
	ID     int64
	Person orm.ForeignKey[Person] `orm:"on_delete=cascade"`
	Club   orm.ForeignKey[Club]   `orm:"on_delete=cascade"`
	Role   string                 `orm:"max_length=20,default=member"`
}

type Tag struct {
	ID          int64
	Label       string                                  `orm:"type=slug"`
	ContentType orm.ForeignKey[contenttype.ContentType] `orm:"null,on_delete=cascade"`
	ObjectID    string                                  `orm:"max_length=40,blank"`
	Object      orm.GenericForeignKey                   `orm:"ct_field=content_type"`
}

func relationsRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	for _, app := range []orm.AppConfig{
		contenttype.App(),
		{Name: "people", Models: []any{Person{}, Profile{}, Land{}, Town{}, Club{}, Membership{}, Tag{}}},
	} {
		if _, err := reg.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestRelationMetadata(t *testing.T) {
	reg := relationsRegistry(t)
	get := func(label string) *orm.Model {
		m, err := reg.GetModel(label)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	person, profile, city, club, membership := get("people.Person"), get("people.Profile"), get("people.Town"), get("people.Club"), get("people.Membership")
	o2o := profile.Field("person")
	if o2o.Kind != orm.KindOneToOne || !o2o.Unique || o2o.Column != "person_id" || !o2o.IsForeignKey() || o2o.RelatedAccessor != "profile" {
		t.Errorf("one-to-one: %+v", o2o)
	}
	country := city.Field("country")
	if country.Target() != get("people.Land").Field("code") || (orm.SQLite{}).ColumnType(country) != "integer" {
		t.Errorf("to_field target %v, type %s", country.Target(), orm.SQLite{}.ColumnType(country))
	}
	members := club.Field("members")
	if members.ThroughModel != membership || members.Through != "people_membership" || members.ThroughFrom != "club_id" || members.ThroughTo != "person_id" {
		t.Errorf("through: %v %s(%s, %s)", members.ThroughModel, members.Through, members.ThroughFrom, members.ThroughTo)
	}
	reverse := map[string]*orm.Field{"profile": o2o, "clubs": members, "membership": membership.Field("person"), "club": nil, "tag": nil}
	for name, want := range reverse {
		if got := person.RelatedByName(name); got != want {
			t.Errorf("Person.RelatedByName(%q) = %v, want %v", name, got, want)
		}
	}
	if got := get("people.Land").RelatedByName("cities"); got != country {
		t.Errorf("related_name: %v", got)
	}
	if got := membership.Field("person").RelatedAccessor; got != "membership_set" {
		t.Errorf("default accessor %q", got)
	}
	gfk := get("people.Tag").Field("object")
	if gfk.Kind != orm.KindGenericForeignKey || gfk.Concrete() || gfk.Editable || gfk.GenericObjectID.Name != "object_id" || gfk.GenericContentType.Name != "content_type" {
		t.Errorf("generic foreign key: %+v", gfk)
	}
}

func TestOneToOneAndToField(t *testing.T) {
	testdb.Run(t, relationsRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		ann := &Person{Name: "Ann"}
		if err := db.Insert(ctx, ann); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Profile{Person: orm.O2O[Person](ann.ID), Bio: "hi"}); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Profile{Person: orm.O2O[Person](ann.ID)}); err == nil {
			t.Error("a second profile for one person was accepted")
		}
		p, err := orm.Get[Profile](ctx, orm.For[Profile](db).SelectRelated("person"), orm.Q{"person__name": "Ann"})
		if err != nil {
			t.Fatal(err)
		}
		if who, ok := p.Person.Get(); !ok || who.Name != "Ann" {
			t.Errorf("select_related over a one-to-one: %v", who)
		}
		for _, c := range []*Land{{Code: 44, Name: "United Kingdom"}, {Code: 33, Name: "France"}} {
			if err := db.Insert(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		london := &Town{Name: "London", Country: orm.FK[Land](44)}
		if err := db.Insert(ctx, london); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Town{Name: "Nowhere", Country: orm.FK[Land](99)}); err == nil {
			t.Error("a key to no country's code was accepted")
		}
		c, err := orm.Get[Town](ctx, orm.For[Town](db).SelectRelated("country"), orm.Q{"country__name": "United Kingdom"})
		if err != nil {
			t.Fatal(err)
		}
		if k, ok := c.Country.Get(); !ok || k.Code != 44 || c.Country.ID != 44 {
			t.Errorf("to_field join: %+v", c.Country)
		}
		for _, q := range []orm.Q{{"country": 44}, {"country__code": 44}, {"country__code__in": []int{44, 1}}} {
			if n, err := orm.For[Town](db).Filter(q).Count(ctx); err != nil || n != 1 {
				t.Errorf("%v: %d %v", q, n, err)
			}
		}
	})
}

func TestThroughModel(t *testing.T) {
	testdb.Run(t, relationsRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		if ok, _ := db.HasTable(ctx, "people_club_members"); ok {
			t.Error("migrate made a join table for a through model")
		}
		ann, bob := &Person{Name: "Ann"}, &Person{Name: "Bob"}
		chess := &Club{Name: "Chess"}
		for _, obj := range []any{ann, bob, chess} {
			if err := db.Insert(ctx, obj); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetM2M(ctx, chess, "members", []int64{ann.ID, bob.ID}); err != nil {
			t.Fatal(err)
		}
		rows, err := orm.All[Membership](ctx, orm.For[Membership](db).OrderBy("person"))
		if err != nil || len(rows) != 2 || rows[0].Role != "member" || rows[1].Person.ID != bob.ID {
			t.Fatalf("memberships %+v, %v", rows, err)
		}
		if err := db.SetM2M(ctx, chess, "members", []int64{bob.ID}); err != nil {
			t.Fatal(err)
		}
		if ids, err := db.LoadM2M(ctx, chess, "members"); err != nil || len(ids) != 1 || ids[0] != bob.ID {
			t.Errorf("members %v, %v", ids, err)
		}
		d, err := db.Collect(ctx, bob)
		if err != nil {
			t.Fatal(err)
		}
		if got := countsOf(d); got != "persons:1 memberships:1" {
			t.Errorf("counts %s", got)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Membership](db).Count(ctx); n != 0 {
			t.Errorf("%d memberships left", n)
		}
	})
}

func TestGenericForeignKey(t *testing.T) {
	testdb.Run(t, relationsRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		ann := &Person{Name: "Ann"}
		uk := &Land{Code: 44, Name: "United Kingdom"}
		for _, obj := range []any{ann, uk} {
			if err := db.Insert(ctx, obj); err != nil {
				t.Fatal(err)
			}
		}
		tags := []*Tag{{Label: "friend"}, {Label: "home"}}
		for i, target := range []any{ann, uk} {
			if err := db.SetGenericObject(ctx, tags[i], "object", target); err != nil {
				t.Fatal(err)
			}
			if err := db.Insert(ctx, tags[i]); err != nil {
				t.Fatal(err)
			}
		}
		ct, err := contenttype.New(db).ForModel(ctx, orm.For[Person](db).Model())
		if err != nil || tags[0].ContentType.ID != ct.ID || tags[0].ObjectID != strconv.FormatInt(ann.ID, 10) {
			t.Errorf("content type %v (%v), tag %+v", ct, err, tags[0])
		}
		for i, want := range []string{"Ann", "United Kingdom"} {
			fresh, err := orm.Get[Tag](ctx, orm.For[Tag](db), orm.Q{"pk": tags[i].ID})
			if err != nil {
				t.Fatal(err)
			}
			obj, err := db.GenericObject(ctx, fresh, "object")
			if err != nil {
				t.Fatal(err)
			}
			var name string
			switch o := obj.(type) {
			case *Person:
				name = o.Name
			case *Land:
				name = o.Name
			}
			if cached, ok := fresh.Object.Get(); name != want || !ok || cached != obj {
				t.Errorf("generic object %#v, want %s", obj, want)
			}
		}
		// PrefetchRelated loads every tag's object: one query for the
		// tags, one for their content types, one per content type.
		bare := &Tag{Label: "nothing"}
		if err := db.Insert(ctx, bare); err != nil {
			t.Fatal(err)
		}
		counter := &orm.QueryCounter{}
		all, err := orm.All[Tag](orm.WithQueryCounter(ctx, counter), orm.For[Tag](db).OrderBy("id").PrefetchRelated("object"))
		if err != nil {
			t.Fatal(err)
		}
		if n := counter.Count(); n != 4 {
			t.Errorf("prefetching two kinds of objects took %d queries, want 4", n)
		}
		for i, want := range []string{"Ann", "United Kingdom", ""} {
			obj, ok := all[i].Object.Get()
			var name string
			switch o := obj.(type) {
			case *Person:
				name = o.Name
			case *Land:
				name = o.Name
			}
			if name != want || ok != (want != "") {
				t.Errorf("prefetched tag %d: %#v %v, want %q", i, obj, ok, want)
			}
		}
		if _, err := db.GenericObject(ctx, &Tag{}, "object"); !errors.Is(err, orm.ErrNotFound) {
			t.Errorf("empty generic key: %v", err)
		}
		if err := db.Delete(ctx, ann); err != nil {
			t.Fatal(err)
		}
		if _, err := db.GenericObject(ctx, tags[0], "object"); !errors.Is(err, orm.ErrNotFound) {
			t.Errorf("deleted target: %v", err)
		}
		if err := db.SetGenericObject(ctx, tags[1], "object", nil); err != nil || !tags[1].ContentType.IsNull() || tags[1].ObjectID != "" {
			t.Errorf("cleared: %+v %v", tags[1], err)
		}
		if _, err := db.GenericObject(ctx, tags[1], "label"); err == nil {
			t.Error("GenericObject on a slug field")
		}
	})
}

func countsOf(d *orm.Deletion) string {
	var parts []string
	for _, c := range d.Counts {
		parts = append(parts, strings.ReplaceAll(c.Name, " ", "_")+":"+strconv.Itoa(c.Count))
	}
	return strings.Join(parts, " ")
}
