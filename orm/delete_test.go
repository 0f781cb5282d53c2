package orm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// The models of Django's on_delete documentation, and a few more.

type Artist struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

func (a *Artist) String() string { return a.Name }

type Genre struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

func (g *Genre) String() string { return g.Name }

type Album struct {
	ID     int64
	Title  string                 `orm:"max_length=50"`
	Artist orm.ForeignKey[Artist] `orm:"on_delete=cascade"`
	Genres orm.ManyToMany[Genre]
}

func (a *Album) String() string { return a.Title }

type Song struct {
	ID     int64
	Title  string                 `orm:"max_length=50"`
	Artist orm.ForeignKey[Artist] `orm:"on_delete=cascade"`
	Album  orm.ForeignKey[Album]  `orm:"on_delete=restrict"`
}

func (s *Song) String() string { return s.Title }

type RecordLabel struct {
	ID   int64
	Name string `orm:"max_length=50"`
}

type Record struct {
	ID       int64
	Title    string                      `orm:"max_length=50"`
	Artist   orm.ForeignKey[Artist]      `orm:"on_delete=cascade"`
	Producer orm.ForeignKey[Artist]      `orm:"null,on_delete=set_null,related_name=produced"`
	Label    orm.ForeignKey[RecordLabel] `orm:"on_delete=set_default,default=1"`
}

func (r *Record) String() string { return r.Title }

type Award struct {
	ID    int64
	Name  string                `orm:"max_length=50"`
	Album orm.ForeignKey[Album] `orm:"null,on_delete=protect"`
}

type Fan struct {
	ID        int64
	Favourite orm.ForeignKey[Artist] `orm:"null,on_delete=do_nothing"`
}

type Section struct {
	ID     int64
	Name   string                  `orm:"max_length=50"`
	Parent orm.ForeignKey[Section] `orm:"null,on_delete=cascade,related_name=children"`
}

func (c *Section) String() string { return c.Name }

func musicRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	models := []any{Artist{}, Genre{}, Album{}, Song{}, RecordLabel{}, Record{}, Award{}, Fan{}, Section{}}
	if _, err := reg.Register(orm.AppConfig{Name: "music", Models: models}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// music holds the rows of one test.
type music struct {
	artists []*Artist
	albums  []*Album
	songs   []*Song
	records []*Record
	labels  []*RecordLabel
}

// seedMusic makes two artists; the first has two albums (the first in two
// genres) and a song on each, the second an album with a song by the
// first. Record 1 is by the second artist, produced by the first; record
// 2 is by the first, on label 2.
func seedMusic(t *testing.T, ctx context.Context, db *orm.DB) *music {
	t.Helper()
	m := &music{}
	insert := func(obj any) {
		if err := db.Insert(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"Unsigned", "Blue Note"} {
		l := &RecordLabel{Name: name}
		insert(l)
		m.labels = append(m.labels, l)
	}
	for _, name := range []string{"Ann", "Bob"} {
		a := &Artist{Name: name}
		insert(a)
		m.artists = append(m.artists, a)
	}
	for i, title := range []string{"First", "Second", "Bob's"} {
		al := &Album{Title: title, Artist: orm.FK[Artist](m.artists[i/2].ID)}
		insert(al)
		m.albums = append(m.albums, al)
	}
	for i, title := range []string{"Song 1", "Song 2", "Guest song"} {
		s := &Song{Title: title, Artist: orm.FK[Artist](m.artists[0].ID), Album: orm.FK[Album](m.albums[i].ID)}
		insert(s)
		m.songs = append(m.songs, s)
	}
	jazz, blues := &Genre{Name: "Jazz"}, &Genre{Name: "Blues"}
	insert(jazz)
	insert(blues)
	if err := db.SetM2M(ctx, m.albums[0], "genres", []int64{jazz.ID, blues.ID}); err != nil {
		t.Fatal(err)
	}
	m.records = []*Record{
		{Title: "Record 1", Artist: orm.FK[Artist](m.artists[1].ID), Producer: orm.FK[Artist](m.artists[0].ID), Label: orm.FK[RecordLabel](m.labels[1].ID)},
		{Title: "Record 2", Artist: orm.FK[Artist](m.artists[0].ID), Label: orm.FK[RecordLabel](m.labels[1].ID)},
	}
	insert(m.records[0])
	insert(m.records[1])
	return m
}

// tree renders a deletion's nested objects, Django's deleted_objects.
func tree(nodes []*orm.DeleteNode) string {
	var parts []string
	for _, n := range nodes {
		s := n.Model.Name + ":" + n.Model.String(n.Object)
		if len(n.Links) > 0 {
			var links []string
			for _, l := range n.Links {
				links = append(links, orm.Capfirst(l.VerboseName())+": "+l.String())
			}
			s += "{" + strings.Join(links, ";") + "}"
		}
		if len(n.Children) > 0 {
			s += "[" + tree(n.Children) + "]"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}

func TestCollectCascadeRestrictSetNull(t *testing.T) {
	testdb.Run(t, musicRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		m := seedMusic(t, ctx, db)
		d, err := db.Collect(ctx, m.artists[0])
		if err != nil {
			t.Fatal(err)
		}
		// The songs are restricted through their albums, but the cascade
		// from their artist deletes them too, so nothing blocks.
		want := "Artist:Ann[Album:First{Album-genre relationship: Album_genres object (1);Album-genre relationship: Album_genres object (2)}, Album:Second, Song:Song 1, Song:Song 2, Song:Guest song, Record:Record 2]"
		if got := tree(d.Roots); got != want {
			t.Errorf("tree:\n got %s\nwant %s", got, want)
		}
		if got := countsOf(d); got != "artists:1 albums:2 songs:3 records:1 album-genre_relationships:2" {
			t.Errorf("counts %s", got)
		}
		if len(d.Protected) != 0 {
			t.Errorf("protected: %+v", d.Protected)
		}
		if len(d.Updates) != 1 || d.Updates[0].Field.Name != "producer" || d.Updates[0].Value != nil || d.Updates[0].Objects[0].(*Record).Title != "Record 1" {
			t.Errorf("updates: %+v", d.Updates)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		left := map[string]orm.QuerySet{"artists": orm.For[Artist](db), "albums": orm.For[Album](db), "songs": orm.For[Song](db), "records": orm.For[Record](db), "genres": orm.For[Genre](db)}
		for name, want := range map[string]int64{"artists": 1, "albums": 1, "songs": 0, "records": 1, "genres": 2} {
			if n, err := left[name].Count(ctx); err != nil || n != want {
				t.Errorf("%s left: %d %v, want %d", name, n, err, want)
			}
		}
		r, err := orm.Get[Record](ctx, orm.For[Record](db), orm.Q{"pk": m.records[0].ID})
		if err != nil || !r.Producer.IsNull() {
			t.Errorf("set null: %+v %v", r, err)
		}
	})
}

func TestCollectRestrictBlocks(t *testing.T) {
	testdb.Run(t, musicRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		m := seedMusic(t, ctx, db)
		// Bob's album holds Ann's guest song, restricted: deleting Bob
		// does not delete Ann, so the song blocks.
		d, err := db.Collect(ctx, m.artists[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Protected) != 1 || d.Protected[0].Reason != orm.Restrict || d.Protected[0].Object.(*Song).Title != "Guest song" || d.Protected[0].Field.Name != "album" {
			t.Errorf("protected: %+v", d.Protected)
		}
		var re *orm.RestrictedError
		if err := db.Execute(ctx, d); !errors.As(err, &re) || len(re.Objects) != 1 || re.Fields[0] != "Song.album" {
			t.Errorf("execute: %v", err)
		}
		if err := db.Delete(ctx, m.albums[0]); !errors.As(err, &re) {
			t.Errorf("deleting an album with songs: %v", err)
		}
		// Deleting both artists removes the song through a cascade.
		if err := db.Delete(ctx, m.artists[1], m.artists[0]); err != nil {
			t.Errorf("deleting both: %v", err)
		}
		if n, _ := orm.For[Song](db).Count(ctx); n != 0 {
			t.Errorf("%d songs left", n)
		}
	})
}

func TestCollectProtectAndSetDefault(t *testing.T) {
	testdb.Run(t, musicRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		m := seedMusic(t, ctx, db)
		if err := db.Insert(ctx, &Award{Name: "Gold", Album: orm.FK[Album](m.albums[1].ID)}); err != nil {
			t.Fatal(err)
		}
		var pe *orm.ProtectedError
		if err := db.Delete(ctx, m.artists[0]); !errors.As(err, &pe) || len(pe.Objects) != 1 || pe.Fields[0] != "Award.album" {
			t.Errorf("protected: %v", err)
		}
		if n, _ := orm.For[Album](db).Count(ctx); n != 3 {
			t.Errorf("a protected delete removed albums: %d left", n)
		}
		d, err := db.Collect(ctx, m.labels[1])
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Updates) != 1 || d.Updates[0].Value != int64(1) || len(d.Updates[0].Objects) != 2 || countsOf(d) != "record_labels:1" {
			t.Errorf("set default: %+v %s", d.Updates, countsOf(d))
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		records, _ := orm.All[Record](ctx, orm.For[Record](db))
		for _, r := range records {
			if r.Label.ID != m.labels[0].ID {
				t.Errorf("record %s label %d, want the default", r.Title, r.Label.ID)
			}
		}
	})
}

func TestCollectDoNothing(t *testing.T) {
	testdb.Run(t, musicRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seedMusic(t, ctx, db)
		cy := &Artist{Name: "Cy"}
		if err := db.Insert(ctx, cy); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, &Fan{Favourite: orm.FK[Artist](cy.ID)}); err != nil {
			t.Fatal(err)
		}
		d, err := db.Collect(ctx, cy)
		if err != nil {
			t.Fatal(err)
		}
		if got := tree(d.Roots); got != "Artist:Cy" || len(d.Updates) != 0 || len(d.Protected) != 0 {
			t.Errorf("do_nothing rows collected: %s %+v %+v", got, d.Updates, d.Protected)
		}
		// The database's own constraint refuses the delete.
		if err := db.Execute(ctx, d); err == nil {
			t.Error("the database accepted a dangling key")
		}
		if n, _ := orm.For[Artist](db).Count(ctx); n != 3 {
			t.Errorf("rolled back: %d artists", n)
		}
	})
}

// TestCollectBatches checks the number of queries depends on the depth of
// the cascade and the relations, not on the number of objects: each
// relation costs one query per batch of 500 objects.
func TestCollectBatches(t *testing.T) {
	testdb.Run(t, musicRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		queries := func(albums int) int64 {
			a := &Artist{Name: fmt.Sprint("artist with ", albums)}
			if err := db.Insert(ctx, a); err != nil {
				t.Fatal(err)
			}
			err := db.Atomic(ctx, func(ctx context.Context) error {
				for i := 0; i < albums; i++ {
					if err := db.Insert(ctx, &Album{Title: fmt.Sprint(i), Artist: orm.FK[Artist](a.ID)}); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			var c orm.QueryCounter
			d, err := db.Collect(orm.WithQueryCounter(ctx, &c), a)
			if err != nil || len(d.Roots[0].Children) != albums {
				t.Fatalf("collect: %v", err)
			}
			return c.Count()
		}
		// Level 0 (the artist): albums, songs, records, produced records.
		// Level 1 (the albums): genre links, songs, awards.
		few, many := queries(3), queries(501)
		if few != 4+3 || many != 4+2*3 {
			t.Errorf("queries: %d for 3 albums, %d for 501", few, many)
		}
	})
}

func TestCollectSelfReference(t *testing.T) {
	testdb.Run(t, musicRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		var parent int64
		var all []*Section
		for _, name := range []string{"root", "child", "grandchild", "great-grandchild"} {
			c := &Section{Name: name, Parent: orm.FK[Section](parent)}
			if err := db.Insert(ctx, c); err != nil {
				t.Fatal(err)
			}
			parent = c.ID
			all = append(all, c)
		}
		sibling := &Section{Name: "sibling", Parent: orm.FK[Section](all[0].ID)}
		if err := db.Insert(ctx, sibling); err != nil {
			t.Fatal(err)
		}
		d, err := db.Collect(ctx, all[0])
		if err != nil {
			t.Fatal(err)
		}
		want := "Section:root[Section:child[Section:grandchild[Section:great-grandchild]], Section:sibling]"
		if got := tree(d.Roots); got != want || countsOf(d) != "sections:5" {
			t.Errorf("tree %s, counts %s", got, countsOf(d))
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Section](db).Count(ctx); n != 0 {
			t.Errorf("%d sections left", n)
		}
	})
}

func TestCollectThroughToField(t *testing.T) {
	testdb.Run(t, relationsRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		uk := &Land{Code: 44, Name: "United Kingdom"}
		if err := db.Insert(ctx, uk); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"London", "Leeds"} {
			if err := db.Insert(ctx, &Town{Name: name, Country: orm.FK[Land](44)}); err != nil {
				t.Fatal(err)
			}
		}
		d, err := db.Collect(ctx, uk)
		if err != nil {
			t.Fatal(err)
		}
		if got := countsOf(d); got != "lands:1 towns:2" {
			t.Errorf("cascade through to_field: %s", got)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Town](db).Count(ctx); n != 0 {
			t.Errorf("%d cities left", n)
		}
	})
}
