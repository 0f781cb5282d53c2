package orm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// selfLinks reads the pairs of a join table, sorted.
func selfLinks(t *testing.T, db *orm.DB, table string) [][2]int64 {
	t.Helper()
	rows, err := db.QueryRaw(context.Background(), `SELECT from_member_id, to_member_id FROM `+db.Dialect().Quote(table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out [][2]int64
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] < out[j][1] })
	return out
}

func pairs(list [][]int64) [][2]int64 {
	out := make([][2]int64, len(list))
	for i, p := range list {
		out[i] = [2]int64{p[0], p[1]}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] || out[i][0] == out[j][0] && out[i][1] < out[j][1] })
	return out
}

// TestSelfManyToMany works on members shaped as the Django lending
// library's: friends, a symmetrical relation of Member to itself (each
// friendship stored twice), and sponsors, a non-symmetrical one whose
// reverse side is sponsored_members. The model is declared in the test
// so that its Go name, and so Django's names of its join columns, are
// Member's.
func TestSelfManyToMany(t *testing.T) {
	type Member struct {
		ID        int64
		FirstName string                 `orm:"max_length=60"`
		LastName  string                 `orm:"max_length=60"`
		Friends   orm.ManyToMany[Member] `orm:"blank"`
		Sponsors  orm.ManyToMany[Member] `orm:"blank,symmetrical=false,related_name=sponsored_members"`
	}
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "library", Models: []any{Member{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	m, _ := reg.GetModel("library.member")
	friends, sponsors := m.Field("friends"), m.Field("sponsors")
	if !friends.Symmetrical || sponsors.Symmetrical {
		t.Fatalf("symmetrical: friends %v, sponsors %v; want Django's default for a relation to self, and the tag's false", friends.Symmetrical, sponsors.Symmetrical)
	}
	if friends.Through != "library_member_friends" || friends.ThroughFrom != "from_member_id" || friends.ThroughTo != "to_member_id" {
		t.Errorf("friends join table %s (%s, %s)", friends.Through, friends.ThroughFrom, friends.ThroughTo)
	}
	if !friends.ReverseHidden() || friends.RelatedName != "friends_rel_+" {
		t.Errorf("a symmetrical relation has a reverse side: related name %q", friends.RelatedName)
	}
	if m.RelatedByName("sponsored_members") != sponsors {
		t.Error("sponsors has no reverse side named sponsored_members")
	}
	if m.RelatedByName("member") != nil {
		t.Error("the symmetrical relation is reachable backwards as \"member\"")
	}

	links := struct{ Friends, Sponsors [][]int64 }{}
	raw, err := os.ReadFile("testdata/library-member-links.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &links); err != nil {
		t.Fatal(err)
	}
	fixture, err := os.ReadFile("testdata/library-members-self.json")
	if err != nil {
		t.Fatal(err)
	}

	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		// Django's dumpdata lists each friendship on both sides; loading
		// writes exactly the rows Django's database holds.
		if _, err := db.LoadData(ctx, bytes.NewReader(fixture)); err != nil {
			t.Fatal(err)
		}
		if got, want := selfLinks(t, db, "library_member_friends"), pairs(links.Friends); !slices.Equal(got, want) {
			t.Fatalf("friends rows after loaddata\n got %v\nwant %v (Django's)", got, want)
		}
		if got, want := selfLinks(t, db, "library_member_sponsors"), pairs(links.Sponsors); !slices.Equal(got, want) {
			t.Fatalf("sponsors rows after loaddata\n got %v\nwant %v (Django's)", got, want)
		}
		// And dumping gives the lists back.
		var out bytes.Buffer
		if err := db.DumpData(ctx, &out, orm.DumpOptions{Models: []string{"library.member"}}); err != nil {
			t.Fatal(err)
		}
		if got, want := m2mLists(t, out.Bytes()), m2mLists(t, fixture); got != want {
			t.Errorf("dumpdata lists\n got %s\nwant %s", got, want)
		}

		get := func(id int64) *Member {
			t.Helper()
			obj, err := orm.Get[Member](ctx, orm.For[Member](db), orm.Q{"pk": id})
			if err != nil {
				t.Fatal(err)
			}
			return obj
		}
		// Either side reads the friendship.
		m71, m13 := get(71), get(13)
		if ids, err := db.LoadM2M(ctx, m71, "friends"); err != nil || !slices.Equal(ids, []int64{13, 79}) {
			t.Errorf("71's friends %v, %v; want [13 79]", ids, err)
		}
		if ids, err := db.LoadM2M(ctx, m13, "friends"); err != nil || !slices.Equal(ids, []int64{71}) {
			t.Errorf("13's friends %v, %v; want [71]", ids, err)
		}

		// Adding a friendship writes both rows; adding it again changes nothing.
		m1 := get(1)
		if err := db.AddM2MKeys(ctx, m1, "friends", int64(2)); err != nil {
			t.Fatal(err)
		}
		if err := db.AddM2MKeys(ctx, get(2), "friends", int64(1)); err != nil {
			t.Fatal(err)
		}
		rows := selfLinks(t, db, "library_member_friends")
		if !slices.Contains(rows, [2]int64{1, 2}) || !slices.Contains(rows, [2]int64{2, 1}) || len(rows) != len(links.Friends)+2 {
			t.Errorf("after adding 1–2 twice: %v", rows)
		}
		if !slices.Equal(m1.Friends.IDs, []int64{2}) {
			t.Errorf("member 1 holds friends %v after the add", m1.Friends.IDs)
		}

		// SetM2M keeps both directions: 71 drops 13 and gains 1.
		if err := db.SetM2M(ctx, m71, "friends", []int64{79, 1}); err != nil {
			t.Fatal(err)
		}
		rows = selfLinks(t, db, "library_member_friends")
		for _, p := range [][2]int64{{13, 71}, {71, 13}} {
			if slices.Contains(rows, p) {
				t.Errorf("row %v is left after 71 dropped 13", p)
			}
		}
		for _, p := range [][2]int64{{1, 71}, {71, 1}, {71, 79}, {79, 71}} {
			if !slices.Contains(rows, p) {
				t.Errorf("row %v is missing after SetM2M", p)
			}
		}
		if ids, _ := db.LoadM2M(ctx, get(1), "friends"); !slices.Equal(ids, []int64{2, 71}) {
			t.Errorf("1's friends %v, want [2 71]", ids)
		}
		if ids, _ := db.LoadM2M(ctx, m13, "friends"); len(ids) != 0 {
			t.Errorf("13's friends %v after 71 dropped them, want none", ids)
		}

		// Removing from the other side deletes both rows.
		if err := db.RemoveM2MKeys(ctx, get(79), "friends", int64(71)); err != nil {
			t.Fatal(err)
		}
		rows = selfLinks(t, db, "library_member_friends")
		if slices.Contains(rows, [2]int64{71, 79}) || slices.Contains(rows, [2]int64{79, 71}) {
			t.Errorf("71–79 is left after 79 removed 71: %v", rows)
		}

		// Filters across the symmetrical relation see it from both sides.
		names := func(q orm.QuerySet) []string {
			t.Helper()
			objs, err := orm.All[Member](ctx, q.OrderBy("pk"))
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, o := range objs {
				out = append(out, fmt.Sprint(o.ID))
			}
			return out
		}
		last := get(2).LastName
		if got := names(orm.For[Member](db).Filter(orm.Q{"friends__last_name": last})); !slices.Equal(got, []string{"1"}) {
			t.Errorf("friends of %s: %v, want [1]", last, got)
		}
		if got := names(orm.For[Member](db).Filter(orm.Q{"friends": 1})); !slices.Equal(got, []string{"2", "71"}) {
			t.Errorf("friends of member 1: %v, want [2 71]", got)
		}

		// The non-symmetrical relation: one row per link, from the member to
		// their sponsor; sponsored_members goes backwards.
		m237 := get(237)
		if ids, _ := db.LoadM2M(ctx, m237, "sponsors"); !slices.Equal(ids, []int64{61}) {
			t.Errorf("237's sponsors %v, want [61]", ids)
		}
		if ids, _ := db.LoadM2M(ctx, get(61), "sponsors"); len(ids) != 0 {
			t.Errorf("61's sponsors %v: a non-symmetrical link was read backwards", ids)
		}
		if err := db.AddM2MKeys(ctx, m237, "sponsors", int64(8)); err != nil {
			t.Fatal(err)
		}
		if got, want := selfLinks(t, db, "library_member_sponsors"), pairs(append(links.Sponsors, []int64{237, 8})); !slices.Equal(got, want) {
			t.Errorf("sponsors rows %v, want %v", got, want)
		}
		sponsor := get(61)
		if got := names(orm.For[Member](db).Filter(orm.Q{"sponsored_members__last_name": m237.LastName})); !slices.Equal(got, []string{"8", "61"}) {
			t.Errorf("sponsors of %s by sponsored_members__last_name: %v, want [8 61]", m237.LastName, got)
		}
		if got := names(orm.For[Member](db).Filter(orm.Q{"sponsors__last_name": sponsor.LastName})); !slices.Equal(got, []string{"237"}) {
			t.Errorf("members sponsored by %s: %v, want [237]", sponsor.LastName, got)
		}
		if got := names(orm.For[Member](db).Filter(orm.Q{"sponsored_members": 177})); !slices.Equal(got, []string{"237"}) {
			t.Errorf("sponsor of 177: %v, want [237]", got)
		}

		// Deleting a member removes its rows on both sides of both tables.
		d, err := db.Collect(ctx, get(71))
		if err != nil {
			t.Fatal(err)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		for _, p := range selfLinks(t, db, "library_member_friends") {
			if p[0] == 71 || p[1] == 71 {
				t.Errorf("row %v is left after deleting 71", p)
			}
		}
		if ids, _ := db.LoadM2M(ctx, get(1), "friends"); !slices.Equal(ids, []int64{2}) {
			t.Errorf("1's friends %v after deleting 71, want [2]", ids)
		}
	})
}

// m2mLists reads the friends and sponsors of each member of a fixture,
// each list sorted, as one comparable text.
func m2mLists(t *testing.T, data []byte) string {
	t.Helper()
	var objs []struct {
		PK     int64
		Fields struct{ Friends, Sponsors []int64 }
	}
	if err := json.Unmarshal(data, &objs); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, o := range objs {
		slices.Sort(o.Fields.Friends)
		slices.Sort(o.Fields.Sponsors)
		fmt.Fprintf(&b, "%d:%v/%v ", o.PK, o.Fields.Friends, o.Fields.Sponsors)
	}
	return b.String()
}

// Tagged symmetrical where it means nothing, or given a reverse name a
// symmetrical relation cannot have, a field is refused.
func TestSelfManyToManyRefused(t *testing.T) {
	type Peer struct {
		ID    int64
		Peers orm.ManyToMany[Peer] `orm:"related_name=peered"`
	}
	type Solo struct{ ID int64 }
	type Tagged struct {
		ID    int64
		Solos orm.ManyToMany[Solo] `orm:"symmetrical"`
	}
	type Odd struct {
		ID    int64
		Peers orm.ManyToMany[Odd] `orm:"symmetrical=maybe"`
	}
	for _, c := range []struct {
		models []any
		want   string
	}{
		{[]any{Peer{}}, "symmetrical=false"},
		{[]any{Solo{}, Tagged{}}, "symmetrical applies to a many-to-many field to its own model"},
		{[]any{Odd{}}, "want symmetrical or symmetrical=false"},
	} {
		reg := orm.NewRegistry()
		_, err := reg.Register(orm.AppConfig{Name: "peers", Models: c.models})
		if err == nil {
			err = reg.Ready()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: %v, want an error saying %q", c.models[len(c.models)-1], err, c.want)
		}
	}
}

// A symmetrical relation through a model of its own writes both rows as
// instances of that model, with its defaults, as Django's does.
func TestSelfManyToManyThrough(t *testing.T) {
	type Pal struct {
		ID    int64
		Name  string              `orm:"max_length=20"`
		Bonds orm.ManyToMany[Pal] `orm:"through=Bond,blank"`
	}
	type Bond struct {
		ID       int64
		FromPal  orm.ForeignKey[Pal] `orm:"on_delete=cascade,related_name=+"`
		ToPal    orm.ForeignKey[Pal] `orm:"on_delete=cascade,related_name=+"`
		Strength int32               `orm:"default=3"`
	}
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "pals", Models: []any{Pal{}, Bond{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		a, b := &Pal{Name: "a"}, &Pal{Name: "b"}
		for _, p := range []*Pal{a, b} {
			if err := db.Insert(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.SetM2M(ctx, a, "bonds", []int64{b.ID}); err != nil {
			t.Fatal(err)
		}
		bonds, err := orm.All[Bond](ctx, orm.For[Bond](db).OrderBy("id"))
		if err != nil {
			t.Fatal(err)
		}
		if len(bonds) != 2 || bonds[0].FromPal.ID != a.ID || bonds[0].ToPal.ID != b.ID || bonds[1].FromPal.ID != b.ID || bonds[1].ToPal.ID != a.ID || bonds[1].Strength != 3 {
			t.Fatalf("bonds %+v, want a→b and b→a with the default strength", bonds)
		}
		if ids, _ := db.LoadM2M(ctx, b, "bonds"); !slices.Equal(ids, []int64{a.ID}) {
			t.Errorf("b's bonds %v", ids)
		}
		if err := db.RemoveM2MKeys(ctx, b, "bonds", a.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Bond](db).Count(ctx); n != 0 {
			t.Errorf("%d bonds left after b removed a", n)
		}
	})
}
