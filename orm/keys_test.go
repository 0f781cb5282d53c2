package orm_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// The models of these tests are keyed as the Django lending library's
// are: a country by its two-letter code, a branch by a UUID, and the
// relations to both, including a many-to-many to the UUID model and one
// from it.

type Nation struct {
	Code string `orm:"primary_key,max_length=2,verbose_name='ISO code'"`
	Name string `orm:"max_length=80,unique"`
}

func (Nation) Meta() orm.Meta {
	return orm.Meta{Table: "library_country", Ordering: []string{"name"}}
}

type Branch struct {
	ID       uuid.UUID                        `orm:"primary_key,default=uuid4,editable=false"`
	Name     string                           `orm:"max_length=100"`
	Slug     string                           `orm:"type=slug,max_length=100,unique"`
	City     string                           `orm:"max_length=80"`
	Address  string                           `orm:"type=text,blank"`
	OpenedOn *time.Time                       `orm:"type=date,blank"`
	IsOpen   bool                             `orm:"default=true"`
	Country  orm.ForeignKeyTo[Nation, string] `orm:"on_delete=protect,related_name=branches"`
	Staff    orm.ManyToMany[Member]           `orm:"blank,related_name=workplaces"`
}

func (Branch) Meta() orm.Meta {
	return orm.Meta{Table: "library_branch", Ordering: []string{"name"}, NaturalKey: []string{"slug"}}
}

type OpeningHours struct {
	ID      int64
	Weekday uint16                              `orm:"choices=1:Monday|2:Tuesday|3:Wednesday"`
	Branch  orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=cascade,related_name=opening_hours"`
}

func (OpeningHours) Meta() orm.Meta {
	return orm.Meta{UniqueTogether: [][]string{{"branch", "weekday"}}}
}

type Member struct {
	ID                int64
	Name              string                              `orm:"max_length=60"`
	Country           orm.ForeignKeyTo[Nation, string]    `orm:"on_delete=protect,related_name=members"`
	Birthplace        orm.ForeignKeyTo[Nation, string]    `orm:"null,blank,on_delete=set_null,related_name=natives"`
	HomeBranch        orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"null,blank,on_delete=set_null,related_name=home_members"`
	PreferredBranches orm.ManyToManyTo[Branch, uuid.UUID] `orm:"blank,related_name=fans"`
	Pickup            orm.ForeignKeyTo[Branch, string]    `orm:"null,blank,to_field=slug,on_delete=cascade,related_name=pickups"`
}

// Desk is one-to-one with a branch; Shelf has an integer key the
// application sets.
type Desk struct {
	ID     int64
	Branch orm.OneToOneTo[Branch, uuid.UUID] `orm:"on_delete=cascade"`
	Phone  string                            `orm:"max_length=20"`
}

type Shelf struct {
	Number int64                               `orm:"primary_key=explicit"`
	Label  string                              `orm:"max_length=20"`
	Branch orm.ForeignKeyTo[Branch, uuid.UUID] `orm:"on_delete=cascade"`
}

func keysRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	app := orm.AppConfig{Name: "library", Models: []any{Nation{}, Branch{}, OpeningHours{}, Member{}, Desk{}, Shelf{}}}
	if _, err := reg.Register(app); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// Two of the fixture's branch ids, as Django stored them.
var (
	forneyID = uuid.MustParse("f7fb46ff67c14a4abfa76c21752fd89b")
	havelID  = uuid.MustParse("6021923ada714e72953b8d334312d7bf")
)

// seedKeys makes two countries, three branches (two with ids of their
// own, one with a generated id) and returns the branches.
func seedKeys(t *testing.T, db *orm.DB) (forney, havel, sagan *Branch) {
	t.Helper()
	ctx := context.Background()
	for _, n := range []*Nation{{Code: "FR", Name: "France"}, {Code: "CZ", Name: "Czechia"}, {Code: "BE", Name: "Belgium"}} {
		if err := db.Insert(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	forney = &Branch{ID: forneyID, Name: "Bibliothèque Forney", Slug: "forney", City: "Paris", Country: orm.FKTo[Nation]("FR")}
	havel = &Branch{ID: havelID, Name: "Bibliothèque Václav Havel", Slug: "havel", City: "Paris", Country: orm.FKTo[Nation]("FR")}
	sagan = &Branch{Name: "Médiathèque Françoise Sagan", Slug: "sagan", City: "Praha", Country: orm.FKTo[Nation]("CZ")}
	for _, b := range []*Branch{forney, havel, sagan} {
		if err := db.Save(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	return forney, havel, sagan
}

func TestTextAndUUIDPrimaryKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		_, _, sagan := seedKeys(t, db)
		if sagan.ID == uuid.Nil || sagan.ID.Version() != 4 {
			t.Errorf("Save gave the new branch the id %s, want a random UUID", sagan.ID)
		}
		// The three forms of a UUID name the same row.
		for _, pk := range []any{havelID, havelID.String(), strings.ReplaceAll(havelID.String(), "-", "")} {
			got, err := orm.Get[Branch](ctx, orm.For[Branch](db), orm.Q{"pk": pk})
			if err != nil || got.ID != havelID || got.Country.ID != "FR" || !got.Country.Valid {
				t.Errorf("pk %v: %+v %v", pk, got, err)
			}
		}
		// Save with a key of the application's: update when the row is
		// there, insert when it is not (Django's save).
		cz := &Nation{Code: "CZ", Name: "Czech Republic"}
		if err := db.Save(ctx, cz); err != nil {
			t.Fatal(err)
		}
		if err := db.Save(ctx, &Nation{Code: "DE", Name: "Germany"}); err != nil {
			t.Fatal(err)
		}
		names, err := orm.For[Nation](db).Values("name").Tuples(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(names); got != 4 || names[1][0] != "Czech Republic" {
			t.Errorf("countries by name after two saves: %v", names)
		}
		if err := db.Insert(ctx, &Nation{Code: "DE", Name: "Deutschland"}); err == nil {
			t.Error("a second row with the key DE was inserted")
		}
		// A UUID key the application sets is kept; saving again updates.
		sagan.City = "Paris"
		if err := db.Save(ctx, sagan); err != nil {
			t.Fatal(err)
		}
		if n, err := orm.For[Branch](db).Filter(orm.Q{"city": "Paris"}).Count(ctx); err != nil || n != 3 {
			t.Errorf("%d branches in Paris after the update (%v), want 3", n, err)
		}
		// BulkCreate gives unset UUID keys their default too.
		bulk := []any{
			&Branch{Name: "Bulk one", Slug: "bulk-1", City: "Lyon", Country: orm.FKTo[Nation]("FR")},
			&Branch{Name: "Bulk two", Slug: "bulk-2", City: "Lyon", Country: orm.FKTo[Nation]("FR")},
		}
		if err := db.BulkCreate(ctx, bulk, 0); err != nil {
			t.Fatal(err)
		}
		one, two := bulk[0].(*Branch).ID, bulk[1].(*Branch).ID
		if one == uuid.Nil || one == two {
			t.Errorf("bulk ids %s %s", one, two)
		}
		if n, err := orm.For[Branch](db).Filter(orm.Q{"pk__in": []uuid.UUID{one, two}}).Count(ctx); err != nil || n != 2 {
			t.Errorf("bulk-created branches found by key: %d %v", n, err)
		}
		// An explicit integer key: no auto increment, 0 is a key like any.
		for _, s := range []*Shelf{{Number: 0, Label: "zero", Branch: orm.FKTo[Branch](havelID)}, {Number: 42, Label: "answer", Branch: orm.FKTo[Branch](havelID)}} {
			if err := db.Save(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Save(ctx, &Shelf{Number: 42, Label: "renamed", Branch: orm.FKTo[Branch](havelID)}); err != nil {
			t.Fatal(err)
		}
		shelves, err := orm.All[Shelf](ctx, orm.For[Shelf](db).OrderBy("number"))
		if err != nil {
			t.Fatal(err)
		}
		if len(shelves) != 2 || shelves[0].Number != 0 || shelves[1].Label != "renamed" {
			t.Errorf("shelves: %+v %+v", shelves[0], shelves[len(shelves)-1])
		}
		if m := mustModel(t, db, "library.shelf"); m.PK.IsAuto() || m.PK.Kind != orm.KindBigInteger {
			t.Errorf("primary_key=explicit gave a %s", m.PK.Kind)
		}
	})
}

func TestRelationsToTextAndUUIDKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		forney, havel, sagan := seedKeys(t, db)
		for _, h := range []*OpeningHours{
			{Weekday: 1, Branch: orm.FKTo[Branch](forney.ID)}, {Weekday: 2, Branch: orm.FKTo[Branch](forney.ID)},
			{Weekday: 1, Branch: orm.FKTo[Branch](sagan.ID)},
		} {
			if err := db.Insert(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.Insert(ctx, &OpeningHours{Weekday: 3, Branch: orm.FKTo[Branch](uuid.New())}); err == nil {
			t.Error("a key to no branch was accepted")
		}
		if err := db.Insert(ctx, &OpeningHours{Weekday: 3}); err == nil || !strings.Contains(err.Error(), "required foreign key") {
			t.Errorf("a NULL required key: %v", err)
		}
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](havel.ID), Pickup: orm.FKTo[Branch]("forney")}
		bob := &Member{Name: "Bob", Country: orm.FKTo[Nation]("CZ"), Birthplace: orm.FKTo[Nation]("BE")}
		for _, m := range []*Member{ann, bob} {
			if err := db.Insert(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		count := func(qs orm.QuerySet, q orm.Q) int64 {
			t.Helper()
			n, err := qs.Filter(q).Count(ctx)
			if err != nil {
				t.Fatalf("%v: %v", q, err)
			}
			return n
		}
		hours := orm.For[OpeningHours](db)
		members := orm.For[Member](db)
		for q, want := range map[string]struct {
			qs   orm.QuerySet
			q    orm.Q
			want int64
		}{
			"across the UUID key":       {hours, orm.Q{"branch__name": "Bibliothèque Forney"}, 2},
			"the key's own field":       {hours, orm.Q{"branch__id": forneyID}, 2},
			"the key as hex text":       {hours, orm.Q{"branch": strings.ReplaceAll(forneyID.String(), "-", "")}, 2},
			"the key in a list":         {hours, orm.Q{"branch__in": []uuid.UUID{forney.ID, sagan.ID}}, 3},
			"two hops":                  {hours, orm.Q{"branch__country__name": "Czechia"}, 1},
			"text key list":             {members, orm.Q{"country__code__in": []string{"FR", "BE"}}, 1},
			"text key":                  {members, orm.Q{"country": "CZ"}, 1},
			"a NULL text key":           {members, orm.Q{"birthplace__isnull": true}, 1},
			"a NULL UUID key":           {members, orm.Q{"home_branch__isnull": true}, 1},
			"to_field":                  {members, orm.Q{"pickup__name": "Bibliothèque Forney"}, 1},
			"to_field value":            {members, orm.Q{"pickup": "forney"}, 1},
			"reverse over the UUID key": {orm.For[Branch](db), orm.Q{"opening_hours__weekday": 1}, 2},
			"reverse over the text key": {orm.For[Nation](db), orm.Q{"members__name": "Bob"}, 1},
		} {
			if got := count(want.qs, want.q); got != want.want {
				t.Errorf("%s %v: %d rows, want %d", q, want.q, got, want.want)
			}
		}
		// A NULL key reads back as NULL, never as "" or uuid.Nil.
		gotBob, err := orm.Get[Member](ctx, members, orm.Q{"name": "Bob"})
		if err != nil {
			t.Fatal(err)
		}
		if !gotBob.HomeBranch.IsNull() || gotBob.Pickup.IsNull() == false || gotBob.Birthplace.ID != "BE" {
			t.Errorf("Bob's keys: %+v %+v %+v", gotBob.HomeBranch, gotBob.Pickup, gotBob.Birthplace)
		}
		if f := mustModel(t, db, "library.member").Field("home_branch"); f.Get(gotBob) != nil {
			t.Errorf("Field.Get of a NULL UUID key: %v", f.Get(gotBob))
		}
		// select_related through both kinds of key, and ordering by them.
		got, err := orm.All[OpeningHours](ctx, hours.SelectRelated("branch__country").OrderBy("-branch__name", "weekday"))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 3 {
			t.Fatalf("%d opening hours", len(got))
		}
		b, ok := got[0].Branch.Get()
		if !ok || b.ID != sagan.ID || b.Name != sagan.Name {
			t.Errorf("first by -branch__name: %+v", b)
		}
		if c, ok := b.Country.Get(); !ok || c.Name != "Czechia" {
			t.Errorf("the branch's country: %+v", c)
		}
		byKey, err := orm.All[OpeningHours](ctx, hours.OrderBy("branch", "weekday"))
		if err != nil {
			t.Fatal(err)
		}
		if first := byKey[0].Branch.ID; strings.ReplaceAll(first.String(), "-", "") > strings.ReplaceAll(byKey[2].Branch.ID.String(), "-", "") {
			t.Errorf("ordered by the key: %v before %v", first, byKey[2].Branch.ID)
		}
		// One-to-one to the UUID model.
		if err := db.Insert(ctx, &Desk{Branch: orm.O2OTo[Branch](havel.ID), Phone: "01"}); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Desk{Branch: orm.O2OTo[Branch](havel.ID), Phone: "02"}); err == nil {
			t.Error("a second desk for one branch was accepted")
		}
		desk, err := orm.Get[Desk](ctx, orm.For[Desk](db).SelectRelated("branch"), orm.Q{"branch__slug": "havel"})
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := desk.Branch.Get(); !ok || b.ID != havelID {
			t.Errorf("desk's branch: %+v", desk.Branch)
		}
		if n := count(orm.For[Branch](db), orm.Q{"desk__phone": "01"}); n != 1 {
			t.Errorf("reverse one-to-one: %d", n)
		}
		// Setting a key through Field.Set takes any form of it.
		f := mustModel(t, db, "library.openinghours").Field("branch")
		h := &OpeningHours{}
		if err := f.Set(h, havelID.String()); err != nil || h.Branch.ID != havelID || !h.Branch.Valid {
			t.Errorf("Set from text: %+v %v", h.Branch, err)
		}
		if err := f.Set(h, "not a uuid"); err == nil {
			t.Error("Set accepted a key that is not a UUID")
		}
		if err := f.Set(h, nil); err != nil || h.Branch.Valid {
			t.Errorf("Set(nil): %+v %v", h.Branch, err)
		}
	})
}

func TestManyToManyWithUUIDKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		forney, havel, sagan := seedKeys(t, db)
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR")}
		bob := &Member{Name: "Bob", Country: orm.FKTo[Nation]("FR")}
		for _, m := range []*Member{ann, bob} {
			if err := db.Insert(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		// Keys in any form the UUID field reads.
		if err := db.SetM2MKeys(ctx, ann, "preferred_branches", []any{havel.ID, forney.ID.String()}); err != nil {
			t.Fatal(err)
		}
		if len(ann.PreferredBranches.IDs) != 2 {
			t.Errorf("SetM2MKeys stored %v", ann.PreferredBranches.IDs)
		}
		if err := db.SetM2MKeys(ctx, bob, "preferred_branches", []any{sagan.ID, havel.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2MKeys(ctx, bob, "preferred_branches", []any{sagan.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2MKeys(ctx, bob, "preferred_branches", []any{"zzz"}); err == nil {
			t.Error("SetM2MKeys took a key that is not a UUID")
		}
		keys, err := db.LoadM2MKeys(ctx, bob, "preferred_branches")
		if err != nil || len(keys) != 1 || keys[0] != sagan.ID {
			t.Errorf("Bob's branches: %v %v", keys, err)
		}
		if _, err := db.LoadM2M(ctx, bob, "preferred_branches"); err == nil {
			t.Error("LoadM2M gave integers for UUID keys")
		}
		n, err := orm.For[Member](db).Filter(orm.Q{"preferred_branches__slug": "havel"}).Count(ctx)
		if err != nil || n != 1 {
			t.Errorf("members who prefer Havel: %d %v", n, err)
		}
		if n, err := orm.For[Branch](db).Filter(orm.Q{"fans__name": "Ann"}).Count(ctx); err != nil || n != 2 {
			t.Errorf("Ann's branches by the reverse relation: %d %v", n, err)
		}
		got, err := orm.All[Member](ctx, orm.For[Member](db).PrefetchRelated("preferred_branches").OrderBy("name"))
		if err != nil {
			t.Fatal(err)
		}
		objs, ok := got[0].PreferredBranches.Objects()
		if !ok || len(objs) != 2 || objs[0].Name != forney.Name || objs[1].Name != havel.Name {
			t.Errorf("Ann's prefetched branches: %v", objs)
		}
		if ids := got[0].PreferredBranches.IDs; len(ids) != 2 || ids[0] != forney.ID {
			t.Errorf("Ann's prefetched ids: %v", ids)
		}
		m := mustModel(t, db, "library.branch")
		fans, err := db.RelatedObjects(ctx, m, []any{havel, sagan}, "fans")
		if err != nil {
			t.Fatal(err)
		}
		if len(fans[havel.ID]) != 1 || len(fans[sagan.ID]) != 1 || fans[sagan.ID][0].(*Member).Name != "Bob" {
			t.Errorf("fans by branch: %v", fans)
		}
		// From the UUID model to an integer one: the []int64 API works.
		if err := db.SetM2M(ctx, havel, "staff", []int64{bob.ID, ann.ID}); err != nil {
			t.Fatal(err)
		}
		staff, err := db.LoadM2M(ctx, havel, "staff")
		if err != nil || len(staff) != 2 || staff[0] != ann.ID {
			t.Errorf("Havel's staff: %v %v", staff, err)
		}
		branches, err := orm.All[Branch](ctx, orm.For[Branch](db).PrefetchRelated("staff").Filter(orm.Q{"staff__name": "Bob"}))
		if err != nil || len(branches) != 1 || len(branches[0].Staff.IDs) != 2 {
			t.Errorf("branches with Bob on staff: %v %v", branches, err)
		}
	})
}

func TestDeleteThroughTextAndUUIDKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		forney, havel, sagan := seedKeys(t, db)
		for _, h := range []*OpeningHours{{Weekday: 1, Branch: orm.FKTo[Branch](forney.ID)}, {Weekday: 2, Branch: orm.FKTo[Branch](forney.ID)}, {Weekday: 1, Branch: orm.FKTo[Branch](havel.ID)}} {
			if err := db.Insert(ctx, h); err != nil {
				t.Fatal(err)
			}
		}
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](forney.ID), Birthplace: orm.FKTo[Nation]("BE"), Pickup: orm.FKTo[Branch]("havel")}
		if err := db.Insert(ctx, ann); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2MKeys(ctx, ann, "preferred_branches", []any{forney.ID, sagan.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, forney, "staff", []int64{ann.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Shelf{Number: 7, Label: "seven", Branch: orm.FKTo[Branch](forney.ID)}); err != nil {
			t.Fatal(err)
		}
		// The branch takes its hours, shelves and join rows with it and
		// leaves Ann without a home branch.
		d, err := db.Collect(ctx, forney)
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, c := range d.Counts {
			counts[c.Name] = c.Count
		}
		want := map[string]int{"branchs": 1, "opening hourss": 2, "shelfs": 1, "member-branch relationships": 1, "branch-member relationships": 1}
		for name, n := range want {
			if counts[name] != n {
				t.Errorf("Collect counts %v, want %v", d.Counts, want)
				break
			}
		}
		if len(d.Updates) != 1 || d.Updates[0].Field.Name != "home_branch" || len(d.Updates[0].Objects) != 1 {
			t.Errorf("updates: %+v", d.Updates)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		got, err := orm.Get[Member](ctx, orm.For[Member](db), orm.Q{"pk": ann.ID})
		if err != nil {
			t.Fatal(err)
		}
		if !got.HomeBranch.IsNull() {
			t.Errorf("home branch after its delete: %+v", got.HomeBranch)
		}
		if keys, err := db.LoadM2MKeys(ctx, got, "preferred_branches"); err != nil || len(keys) != 1 || keys[0] != sagan.ID {
			t.Errorf("preferred branches after the delete: %v %v", keys, err)
		}
		if n, _ := orm.For[OpeningHours](db).Count(ctx); n != 1 {
			t.Errorf("%d opening hours left, want 1", n)
		}
		// PROTECT through a text key; SET_NULL through another.
		var prot *orm.ProtectedError
		if err := db.Delete(ctx, &Nation{Code: "FR"}); !errors.As(err, &prot) || len(prot.Objects) != 2 {
			t.Errorf("deleting France: %v", err)
		}
		if err := db.Delete(ctx, &Nation{Code: "BE"}); err != nil {
			t.Fatal(err)
		}
		got, _ = orm.Get[Member](ctx, orm.For[Member](db), orm.Q{"pk": ann.ID})
		if !got.Birthplace.IsNull() || got.Country.ID != "FR" {
			t.Errorf("Ann after Belgium went: %+v %+v", got.Birthplace, got.Country)
		}
		// CASCADE through to_field: Havel takes the member picking up there.
		if err := db.Delete(ctx, havel); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Member](db).Count(ctx); n != 0 {
			t.Errorf("%d members left after their pickup branch went", n)
		}
	})
}

func TestDumpAndLoadUUIDKeys(t *testing.T) {
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		forney, havel, _ := seedKeys(t, db)
		ann := &Member{Name: "Ann", Country: orm.FKTo[Nation]("FR"), HomeBranch: orm.FKTo[Branch](forney.ID), Pickup: orm.FKTo[Branch]("havel")}
		if err := db.Insert(ctx, ann); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2MKeys(ctx, ann, "preferred_branches", []any{havel.ID, forney.ID}); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &OpeningHours{Weekday: 2, Branch: orm.FKTo[Branch](havel.ID)}); err != nil {
			t.Fatal(err)
		}
		var plain bytes.Buffer
		if err := db.DumpData(ctx, &plain, orm.DumpOptions{Models: []string{"library.nation", "library.branch", "library.member"}}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{
			`{"model": "library.nation", "pk": "CZ", "fields": {"name": "Czechia"}}`,
			`"pk": "f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b"`,
			`"country": "FR"`,
			`"home_branch": "f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b"`,
			`"preferred_branches": ["6021923a-da71-4e72-953b-8d334312d7bf", "f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b"]`,
			`"pickup": "havel"`,
			`"birthplace": null`,
		} {
			if !strings.Contains(plain.String(), want) {
				t.Errorf("dump lacks %s:\n%s", want, plain.String())
			}
		}
		var natural bytes.Buffer
		if err := db.DumpData(ctx, &natural, orm.DumpOptions{NaturalForeign: true}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{`"home_branch": ["forney"]`, `"preferred_branches": [["havel"], ["forney"]]`, `"branch": ["havel"]`} {
			if !strings.Contains(natural.String(), want) {
				t.Errorf("natural dump lacks %s:\n%s", want, natural.String())
			}
		}
		// Both load into an empty database and dump the same again.
		for name, dump := range map[string]string{"plain": plain.String(), "natural": natural.String()} {
			other := testdb.Open(t, db.Dialect().Name(), keysRegistry(t))
			if _, err := other.LoadData(ctx, strings.NewReader(dump)); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			var again bytes.Buffer
			opts := orm.DumpOptions{NaturalForeign: name == "natural"}
			if name == "plain" {
				opts.Models = []string{"library.nation", "library.branch", "library.member"}
			}
			if err := other.DumpData(ctx, &again, opts); err != nil {
				t.Fatal(err)
			}
			if again.String() != dump {
				t.Errorf("%s: the reloaded dump differs:\n%s\nwant\n%s", name, again.String(), dump)
			}
		}
	})
}

// TestKeyColumnTypes checks the columns migrate makes for the keys on each
// database: Django's types.
func TestKeyColumnTypes(t *testing.T) {
	want := map[string]map[string]string{
		"sqlite":   {"library_branch.id": "char(32)", "library_branch.country_id": "varchar(2)", "library_member.home_branch_id": "char(32)", "library_member_preferred_branches.branch_id": "char(32)", "library_member.pickup_id": "varchar(100)", "library_shelf.number": "bigint", "library_branch_staff.branch_id": "char(32)"},
		"postgres": {"library_branch.id": "uuid", "library_branch.country_id": "character varying(2)", "library_member.home_branch_id": "uuid", "library_member_preferred_branches.branch_id": "uuid", "library_member.pickup_id": "character varying(100)", "library_shelf.number": "bigint", "library_branch_staff.branch_id": "uuid"},
		"mysql":    {"library_branch.id": "char(32)", "library_branch.country_id": "varchar(2)", "library_member.home_branch_id": "char(32)", "library_member_preferred_branches.branch_id": "char(32)", "library_member.pickup_id": "varchar(100)", "library_shelf.number": "bigint", "library_branch_staff.branch_id": "char(32)"},
	}
	testdb.Run(t, keysRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		dialect := db.Dialect().Name()
		for col, typ := range want[dialect] {
			table, column, _ := strings.Cut(col, ".")
			var query string
			switch dialect {
			case "sqlite":
				query = "SELECT type FROM pragma_table_info(?) WHERE name = ?"
			case "postgres":
				query = "SELECT CASE WHEN character_maximum_length IS NULL THEN data_type ELSE data_type || '(' || character_maximum_length || ')' END FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2"
			case "mysql":
				query = "SELECT column_type FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ? AND column_name = ?"
			}
			rows, err := db.QueryRaw(ctx, query, table, column)
			if err != nil {
				t.Fatal(err)
			}
			var got string
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				got = string(b)
			}
			rows.Close()
			got = strings.TrimSuffix(got, "(20)") // MySQL 5.7 writes bigint's display width
			if got != typ {
				t.Errorf("%s: %q, want %q", col, got, typ)
			}
		}
		// The UUID is stored as Django stores it: hex without hyphens on
		// SQLite and MySQL.
		if _, _, _ = seedKeys(t, db); dialect != "postgres" {
			var id, country string
			rows, err := db.QueryRaw(ctx, "SELECT id, country_id FROM library_branch WHERE slug = 'forney'")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				if err := rows.Scan(&id, &country); err != nil {
					t.Fatal(err)
				}
			}
			rows.Close()
			if id != "f7fb46ff67c14a4abfa76c21752fd89b" || country != "FR" {
				t.Errorf("stored %q %q", id, country)
			}
		}
	})
}

func mustModel(t testing.TB, db *orm.DB, label string) *orm.Model {
	t.Helper()
	m, err := db.Registry().GetModel(label)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestDjangoMadeUUIDRows reads and writes rows of tables Django made on
// SQLite, with Django's DDL and rows (testdata/django-library-keys.sql):
// UUIDs stored as 32 hex digits, text keys, NULL dates.
func TestDjangoMadeUUIDRows(t *testing.T) {
	ctx := context.Background()
	script, err := os.ReadFile(filepath.Join("testdata", "django-library-keys.sql"))
	if err != nil {
		t.Fatal(err)
	}
	db, err := orm.Open(testdb.URL(t, "sqlite"), keysRegistry(t), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ctx, string(script)); err != nil {
		t.Fatal(err)
	}
	forney, err := orm.Get[Branch](ctx, orm.For[Branch](db).SelectRelated("country"), orm.Q{"pk": "f7fb46ff-67c1-4a4a-bfa7-6c21752fd89b"})
	if err != nil {
		t.Fatal(err)
	}
	if forney.ID != forneyID || forney.Name != "Bibliothèque Forney" || forney.OpenedOn != nil || !forney.IsOpen {
		t.Errorf("Forney: %+v", forney)
	}
	if c, ok := forney.Country.Get(); !ok || c.Code != "FR" || c.Name != "France" {
		t.Errorf("Forney's country: %+v", forney.Country)
	}
	duras := uuid.MustParse("77828ee6-ad6a-44d6-ba46-e958ce367c8e")
	hours, err := orm.All[OpeningHours](ctx, orm.For[OpeningHours](db).Filter(orm.Q{"branch__city": "Paris", "branch": duras}).OrderBy("weekday"))
	if err != nil {
		t.Fatal(err)
	}
	if len(hours) != 6 || hours[0].Weekday != 2 || hours[0].Branch.ID != duras {
		t.Errorf("Duras's opening hours: %d, first %+v", len(hours), hours)
	}
	names, err := orm.For[Branch](db).Filter(orm.Q{"country__code__in": []string{"DE", "BE"}}).Values("name").Tuples(ctx)
	if err != nil || len(names) != 2 || names[0][0] != "Bibliothèque Muntpunt" {
		t.Errorf("branches in Belgium and Germany by name: %v %v", names, err)
	}
	// What the orm writes, Django reads: hex without hyphens.
	forney.Name = "Bibliothèque Forney (Hôtel de Sens)"
	if err := db.Save(ctx, forney); err != nil {
		t.Fatal(err)
	}
	added := &Branch{Name: "Bibliothèque Kandinsky", Slug: "kandinsky", City: "Paris", Country: orm.FKTo[Nation]("FR")}
	if err := db.Save(ctx, added); err != nil {
		t.Fatal(err)
	}
	rows, err := db.QueryRaw(ctx, `SELECT id, name FROM library_branch WHERE id IN (?, ?) ORDER BY name`,
		strings.ReplaceAll(forneyID.String(), "-", ""), strings.ReplaceAll(added.ID.String(), "-", ""))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, name string
		if err := rows.Scan(&id, &name); err != nil {
			t.Fatal(err)
		}
		got = append(got, id+" "+name)
	}
	rows.Close()
	want := []string{"f7fb46ff67c14a4abfa76c21752fd89b Bibliothèque Forney (Hôtel de Sens)", strings.ReplaceAll(added.ID.String(), "-", "") + " Bibliothèque Kandinsky"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("stored rows %q, want %q", got, want)
	}
	if n, err := orm.For[Branch](db).Count(ctx); err != nil || n != 11 {
		t.Errorf("%d branches (%v), want 11: the save of Forney inserted a row", n, err)
	}
}

// LibraryBranch and LibraryCountry are the models inspectdb writes for
// two of the Django tables: the UUID key read as the text it is stored as.
type LibraryBranch struct {
	ID      string                                   `orm:"primary_key,max_length=32"`
	Name    string                                   `orm:"max_length=100"`
	Country orm.ForeignKeyTo[LibraryCountry, string] `orm:"on_delete=do_nothing"`
}

func (LibraryBranch) Meta() orm.Meta { return orm.Meta{Table: "library_branch"} }

type LibraryCountry struct {
	Code string `orm:"primary_key,max_length=2"`
	Name string `orm:"max_length=80"`
}

func (LibraryCountry) Meta() orm.Meta { return orm.Meta{Table: "library_country"} }

func TestInspectDjangoTextAndUUIDKeys(t *testing.T) {
	ctx := context.Background()
	script, err := os.ReadFile(filepath.Join("testdata", "django-library-keys.sql"))
	if err != nil {
		t.Fatal(err)
	}
	url := testdb.URL(t, "sqlite")
	db, err := orm.Open(url, orm.NewRegistry(), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(ctx, string(script)); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := db.Inspect(ctx, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"orm.ForeignKeyTo[LibraryCountry, string] `orm:\"on_delete=do_nothing\"`",
		"Branch  orm.ForeignKeyTo[LibraryBranch, uuid.UUID] `orm:\"on_delete=do_nothing\"`",
		"ID       uuid.UUID  `orm:\"primary_key\"`",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("inspectdb lacks %s:\n%s", want, out.String())
		}
	}
	// Models like those read the rows.
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "library", Models: []any{LibraryBranch{}, LibraryCountry{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	inspected, err := orm.Open(url, reg, orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer inspected.Close()
	b, err := orm.Get[LibraryBranch](ctx, orm.For[LibraryBranch](inspected).SelectRelated("country"), orm.Q{"pk": "f7fb46ff67c14a4abfa76c21752fd89b"})
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := b.Country.Get(); !ok || c.Name != "France" || b.Name != "Bibliothèque Forney" {
		t.Errorf("inspected branch: %+v %+v", b, c)
	}
}

// TestKeyTypeChecks: Ready refuses a relation whose Go key type cannot
// hold the target's key.
func TestKeyTypeChecks(t *testing.T) {
	type WrongKey struct {
		ID     int64
		Branch orm.ForeignKeyTo[Branch, string] `orm:"on_delete=cascade"`
	}
	type IntToUUID struct {
		ID     int64
		Branch orm.ForeignKey[Branch] `orm:"on_delete=cascade"`
	}
	type IntM2M struct {
		ID       int64
		Branches orm.ManyToMany[Branch]
	}
	type TextToInt struct {
		ID     int64
		Member orm.ForeignKeyTo[Member, string] `orm:"on_delete=cascade"`
	}
	type ExplicitText struct {
		Code string `orm:"primary_key=explicit,max_length=3"`
	}
	for _, c := range []struct {
		model any
		want  string
	}{
		{WrongKey{}, "field Branch: the primary key of Branch is a UUIDField: its key type is uuid.UUID, not string"},
		{IntToUUID{}, "field Branch: the primary key of Branch is a UUIDField, and an orm.ForeignKey holds an integer: use orm.ForeignKeyTo[Branch, uuid.UUID]"},
		{IntM2M{}, "field Branches: the primary key of Branch is a UUIDField, and an orm.ManyToMany holds an integer: use orm.ManyToManyTo[Branch, uuid.UUID]"},
		{TextToInt{}, "field Member: the primary key of Member is a BigAutoField: its key type is int64, not string"},
		{ExplicitText{}, "primary_key=explicit applies to integer fields"},
	} {
		reg := orm.NewRegistry()
		_, err := reg.Register(orm.AppConfig{Name: "library", Models: []any{Nation{}, Branch{}, OpeningHours{}, Member{}, Desk{}, Shelf{}, c.model}})
		if err == nil {
			err = reg.Ready()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: %v, want %q", c.model, err, c.want)
		}
	}
}

// TestIntegerKeySetUnchanged: orm.ForeignKey keeps its int64 values
// through Field.Get and Field.Set, 0 and "" being NULL.
func TestIntegerKeySetUnchanged(t *testing.T) {
	reg := keysRegistry(t)
	m, err := reg.GetModel("library.branch")
	if err != nil {
		t.Fatal(err)
	}
	staff := m.Field("staff")
	b := &Branch{}
	if err := staff.Set(b, []int64{3, 1}); err != nil || len(b.Staff.IDs) != 2 || b.Staff.IDs[0] != 3 {
		t.Errorf("Set []int64: %v %v", b.Staff.IDs, err)
	}
	if got, ok := staff.Get(b).([]int64); !ok || len(got) != 2 {
		t.Errorf("Get of a ManyToMany: %#v", staff.Get(b))
	}
	if staff.Format(staff.Get(b)) != "3,1" {
		t.Errorf("Format: %q", staff.Format(staff.Get(b)))
	}
	desk, err := reg.GetModel("library.desk")
	if err != nil {
		t.Fatal(err)
	}
	// A one-to-one to a UUID key gives nil for NULL; ForeignKey gives 0.
	if v := desk.Field("branch").Get(&Desk{}); v != nil {
		t.Errorf("NULL OneToOneTo: %#v", v)
	}
	type Plain struct {
		ID     int64
		Member orm.ForeignKey[Member] `orm:"null,on_delete=set_null"`
	}
	reg2 := orm.NewRegistry()
	if _, err := reg2.Register(orm.AppConfig{Name: "library", Models: []any{Nation{}, Branch{}, OpeningHours{}, Member{}, Desk{}, Shelf{}, Plain{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg2.Ready(); err != nil {
		t.Fatal(err)
	}
	pm, _ := reg2.GetModel("library.plain")
	f := pm.Field("member")
	p := &Plain{}
	for _, v := range []any{int64(5), "7", 9} {
		if err := f.Set(p, v); err != nil || p.Member.ID == 0 {
			t.Errorf("Set(%#v): %+v %v", v, p.Member, err)
		}
	}
	for _, v := range []any{nil, int64(0), ""} {
		p.Member = orm.FK[Member](4)
		if err := f.Set(p, v); err != nil || !p.Member.IsNull() || f.Get(p) != int64(0) {
			t.Errorf("Set(%#v): %+v %v", v, p.Member, err)
		}
	}
	if err := f.Set(p, "x"); err == nil {
		t.Error("an integer key took \"x\"")
	}
}
