package orm_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Country struct {
	ID   int64
	Code string `orm:"max_length=2,unique"`
	Name string `orm:"max_length=100"`
}

func (Country) Meta() orm.Meta { return orm.Meta{NaturalKey: []string{"code"}} }

type City struct {
	ID      int64
	Name    string                  `orm:"max_length=100"`
	Country orm.ForeignKey[Country] `orm:"on_delete=cascade"`
}

func (City) Meta() orm.Meta {
	return orm.Meta{NaturalKey: []string{"name", "country__code"}, UniqueTogether: [][]string{{"name", "country"}}}
}

type Category struct {
	ID     int64
	Name   string                   `orm:"max_length=50,unique"`
	Parent orm.ForeignKey[Category] `orm:"null,on_delete=set_null"`
}

func (Category) Meta() orm.Meta { return orm.Meta{NaturalKey: []string{"name"}} }

type Trip struct {
	ID       int64
	Title    string  `orm:"max_length=100"`
	Notes    *string `orm:"type=text"`
	Starts   time.Time
	Day      time.Time       `orm:"type=date"`
	Price    decimal.Decimal `orm:"max_digits=8,decimal_places=2"`
	Score    float64
	Seats    int16
	Booked   bool
	Origin   orm.ForeignKey[City]     `orm:"null,on_delete=set_null,related_name=departures"`
	Category orm.ForeignKey[Category] `orm:"null,on_delete=set_null"`
	Cities   orm.ManyToMany[City]
}

type Ticket struct {
	Code string               `orm:"primary_key,max_length=20"`
	Trip orm.ForeignKey[Trip] `orm:"on_delete=cascade"`
}

// travelRegistry holds the bookstore and reviews models of orm_test.go and
// a travel app whose models have natural keys, a self reference, a string
// primary key and every kind of value.
func travelRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	apps := []orm.AppConfig{
		{Name: "bookstore", Models: []any{Author{}, Publisher{}, Book{}, Store{}}},
		{Name: "reviews", Models: []any{Review{}}},
		{Name: "travel", Models: []any{Ticket{}, Trip{}, Category{}, City{}, Country{}}},
	}
	for _, a := range apps {
		if _, err := reg.Register(a); err != nil {
			t.Fatal(err)
		}
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

// travelFixture names rows before they appear (a city's country, a
// category's parent), by primary key and by natural key, and leaves out
// the primary key of objects that have a natural key.
const travelFixture = `[
 {"model": "travel.city", "pk": 10, "fields": {"name": "Paris", "country": ["fr"]}},
 {"model": "travel.city", "pk": 11, "fields": {"name": "Lyon", "country": 1}},
 {"model": "travel.country", "pk": 1, "fields": {"code": "fr", "name": "France"}},
 {"model": "travel.country", "fields": {"code": "it", "name": "Italy"}},
 {"model": "travel.country", "fields": {"code": "es", "name": "Spain"}},
 {"model": "travel.city", "fields": {"name": "Roma", "country": ["it"]}},
 {"model": "travel.category", "pk": 2, "fields": {"name": "City break", "parent": 1}},
 {"model": "travel.category", "pk": 1, "fields": {"name": "Europe", "parent": null}},
 {"model": "travel.trip", "pk": 7, "fields": {"title": "Two cities", "notes": "Bring \"shoes\"\nand a h\u00e4t", "starts": "2026-11-21T22:10:00.123456Z",
   "day": "2026-11-22", "price": "1234.5", "score": 4, "seats": 12, "booked": true, "origin": ["Paris", "fr"], "category": ["City break"],
   "cities": [["Roma", "it"], 11]}},
 {"model": "travel.trip", "pk": 8, "fields": {"title": "Quiet", "notes": null, "starts": "2026-01-02 03:04:05", "day": "2026-01-02",
   "price": 0, "score": 1e-05, "seats": 0, "booked": false, "origin": null, "category": null, "cities": []}},
 {"model": "travel.ticket", "pk": "A-1", "fields": {"trip": 7}}
]`

// travelDump is DumpData's output for the travel app after travelFixture,
// with natural foreign keys and an indent of 1.
const travelDump = `[
 {
  "model": "travel.country",
  "pk": 1,
  "fields": {
   "code": "fr",
   "name": "France"
  }
 },
 {
  "model": "travel.country",
  "pk": 2,
  "fields": {
   "code": "it",
   "name": "Italy"
  }
 },
 {
  "model": "travel.country",
  "pk": 3,
  "fields": {
   "code": "es",
   "name": "Spain"
  }
 },
 {
  "model": "travel.city",
  "pk": 10,
  "fields": {
   "name": "Paris",
   "country": [
    "fr"
   ]
  }
 },
 {
  "model": "travel.city",
  "pk": 11,
  "fields": {
   "name": "Lyon",
   "country": [
    "fr"
   ]
  }
 },
 {
  "model": "travel.city",
  "pk": 12,
  "fields": {
   "name": "Roma",
   "country": [
    "it"
   ]
  }
 },
 {
  "model": "travel.category",
  "pk": 1,
  "fields": {
   "name": "Europe",
   "parent": null
  }
 },
 {
  "model": "travel.category",
  "pk": 2,
  "fields": {
   "name": "City break",
   "parent": [
    "Europe"
   ]
  }
 },
 {
  "model": "travel.trip",
  "pk": 7,
  "fields": {
   "title": "Two cities",
   "notes": "Bring \"shoes\"\nand a hät",
   "starts": "2026-11-21T22:10:00.123Z",
   "day": "2026-11-22",
   "price": "1234.50",
   "score": 4.0,
   "seats": 12,
   "booked": true,
   "origin": [
    "Paris",
    "fr"
   ],
   "category": [
    "City break"
   ],
   "cities": [
    [
     "Lyon",
     "fr"
    ],
    [
     "Roma",
     "it"
    ]
   ]
  }
 },
 {
  "model": "travel.trip",
  "pk": 8,
  "fields": {
   "title": "Quiet",
   "notes": null,
   "starts": "2026-01-02T03:04:05Z",
   "day": "2026-01-02",
   "price": "0.00",
   "score": 1e-05,
   "seats": 0,
   "booked": false,
   "origin": null,
   "category": null,
   "cities": []
  }
 },
 {
  "model": "travel.ticket",
  "pk": "A-1",
  "fields": {
   "trip": 7
  }
 }
]
`

func dump(t *testing.T, db *orm.DB, opts orm.DumpOptions) string {
	t.Helper()
	var b bytes.Buffer
	if err := db.DumpData(context.Background(), &b, opts); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func load(t *testing.T, db *orm.DB, fixture string) int {
	t.Helper()
	n, err := db.LoadData(context.Background(), strings.NewReader(fixture))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLoadDataAndDumpData(t *testing.T) {
	testdb.Run(t, travelRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		// Rows already there are updated: by primary key, or by natural
		// key for an object without one.
		for _, c := range []*Country{{Code: "fr", Name: "Frankreich"}, {Code: "it", Name: "Italia"}} {
			if err := db.Insert(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		if n := load(t, db, travelFixture); n != 11 {
			t.Errorf("loaded %d objects, want 11", n)
		}
		if got := dump(t, db, orm.DumpOptions{Models: []string{"travel"}, NaturalForeign: true, Indent: 1}); got != travelDump {
			t.Errorf("dump:\n%s\nwant:\n%s", got, travelDump)
		}
		want := `[{"model": "travel.category", "pk": 1, "fields": {"name": "Europe", "parent": null}}, ` +
			`{"model": "travel.category", "pk": 2, "fields": {"name": "City break", "parent": 1}}, ` +
			`{"model": "travel.ticket", "pk": "A-1", "fields": {"trip": 7}}]` + "\n"
		got := dump(t, db, orm.DumpOptions{Models: []string{"travel"}, Exclude: []string{"travel.Trip", "travel.country", "travel.City"}})
		if got != want {
			t.Errorf("compact dump:\n%s\nwant:\n%s", got, want)
		}
		if got := dump(t, db, orm.DumpOptions{Models: []string{"travel.ticket", "TRAVEL.category"}}); got != want {
			t.Errorf("dump of two models:\n%s\nwant:\n%s", got, want)
		}
		for _, opts := range []orm.DumpOptions{{Models: []string{"nope"}}, {Models: []string{"travel.nope"}}, {Exclude: []string{"nope.Trip"}}} {
			if err := db.DumpData(ctx, io.Discard, opts); err == nil || !strings.HasPrefix(err.Error(), "orm: dumpdata: ") {
				t.Errorf("%+v: %v", opts, err)
			}
		}
		// New rows get keys past the loaded ones on every database.
		for _, obj := range []any{&City{Name: "Nice", Country: orm.FK[Country](1)}, &Category{Name: "Beach"}, &Trip{Title: "New"}} {
			if err := db.Insert(ctx, obj); err != nil {
				t.Fatalf("insert after loaddata: %v", err)
			}
		}
		if c, _ := orm.Get[City](ctx, orm.For[City](db), orm.Q{"name": "Nice"}); c == nil || c.ID != 13 {
			t.Errorf("new city = %+v, want id 13", c)
		}
	})
}

// TestDumpLoadRoundTrip dumps, loads the dump into an empty database and
// dumps again: the two dumps are the same, with and without natural keys.
func TestDumpLoadRoundTrip(t *testing.T) {
	reg := travelRegistry(t)
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			src := testdb.Open(t, d, reg)
			load(t, src, travelFixture)
			load(t, src, `[{"model": "bookstore.publisher", "pk": 3, "fields": {"name": "Acme"}},
				{"model": "bookstore.author", "pk": 5, "fields": {"name": "Ann", "age": 40}},
				{"model": "bookstore.book", "pk": 9, "fields": {"name": "Go", "pages": 300, "price": "12.5", "rating": 4.25,
				 "pubdate": "2020-02-29", "publisher": 3, "authors": [5]}},
				{"model": "reviews.review", "pk": 1, "fields": {"book": 9, "text": "ok", "created": "2026-11-21T22:10:00Z"}}]`)
			for _, opts := range []orm.DumpOptions{{}, {Indent: 2, NaturalForeign: true, NaturalPrimary: true}} {
				first := dump(t, src, opts)
				dst := testdb.Open(t, d, reg)
				load(t, dst, first)
				if second := dump(t, dst, opts); second != first {
					t.Errorf("%+v: the dump of the loaded dump differs:\n%s\nfirst:\n%s", opts, second, first)
				}
			}
		})
	}
}

func TestLoadDataErrors(t *testing.T) {
	testdb.Run(t, travelRegistry(t), func(t *testing.T, db *orm.DB) {
		good := `{"model": "travel.country", "pk": 1, "fields": {"code": "fr", "name": "France"}}`
		cases := []struct {
			name, fixture, want string
		}{
			{"not JSON", `{`, "orm: loaddata: want a JSON array of objects"},
			{"null", `null`, "want a JSON array of objects, got null"},
			{"trailing data", `[] []`, "unexpected data after the fixture's array"},
			{"not an object", `[` + good + `, 1]`, "orm: loaddata: object 2: want an object"},
			{"no model", `[{"pk": 1}]`, "object 1: no model"},
			{"unknown model", `[{"model": "travel.nope", "pk": 1}]`, `object 1 (travel.nope): no such model: app "travel" has no model "nope"`},
			{"unknown app", `[{"model": "nope.trip", "pk": 1}]`, `object 1 (nope.trip): no installed app with that label: "nope"`},
			{"unknown field", `[` + good + `, {"model": "travel.country", "pk": 2, "fields": {"naem": "x"}}]`, "object 2 (travel.country): field naem: Country has no such field"},
			{"bad date", `[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "day": "2026-13-01"}}]`, `object 1 (travel.trip): field day: invalid value "2026-13-01": not a date`},
			{"bad pk", `[{"model": "travel.trip", "pk": "one", "fields": {"title": "x"}}]`, `object 1 (travel.trip): field pk: invalid value "one"`},
			{"null in a not null field", `[{"model": "travel.trip", "pk": 1, "fields": {"title": null}}]`, "field title: null is not allowed"},
			{"list for a value", `[{"model": "travel.trip", "pk": 1, "fields": {"seats": [1]}}]`, "field seats: invalid value"},
			{"out of range", `[{"model": "travel.trip", "pk": 1, "fields": {"seats": 70000}}]`, "field seats: invalid value \"70000\": out of range"},
			{"missing natural key", `[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "origin": ["Nowhere", "xx"]}}]`,
				`object 1 (travel.trip): field origin: no travel.city has the natural key ["Nowhere","xx"]`},
			{"short natural key", `[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "origin": ["Paris"]}}]`, "field origin: travel.City: a natural key has 2 values"},
			{"no natural key", `[{"model": "bookstore.book", "pk": 1, "fields": {"publisher": ["Acme"]}}]`, "field publisher: bookstore.publisher has no natural key"},
			{"m2m not a list", `[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "cities": 3}}]`, "field cities: want a list of keys"},
			{"m2m missing key", `[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "cities": [["Oz", "xx"]]}}]`, `field cities: no travel.city has the natural key`},
			{"missing row", `[` + good + `, {"model": "travel.city", "pk": 1, "fields": {"name": "x", "country": 99}}]`, "object 2 (travel.city)"},
			{"missing m2m row", `[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "cities": [99]}}]`, "object 1 (travel.trip)"},
		}
		ctx := context.Background()
		for _, c := range cases {
			n, err := db.LoadData(ctx, strings.NewReader(c.fixture))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: got %d, %v\nwant an error containing %q", c.name, n, err, c.want)
			}
			var fe *orm.FixtureError
			if !errors.As(err, &fe) {
				t.Errorf("%s: %T is not a *orm.FixtureError", c.name, err)
			}
		}
		// Nothing of a failed fixture stays, not even its valid objects.
		for _, q := range []orm.QuerySet{orm.For[Country](db), orm.For[City](db), orm.For[Trip](db)} {
			if n, err := q.Count(ctx); err != nil || n != 0 {
				t.Errorf("%s: %d rows left after failed loads (%v)", q.Model().Name, n, err)
			}
		}
	})
}

func TestNaturalKeyValidation(t *testing.T) {
	cases := map[string]string{
		"nope":           `natural key "nope": Bad has no field "nope"`,
		"code__x":        `natural key "code__x": Bad.code is not a foreign key`,
		"country__nope":  `natural key "country__nope": Country has no field "nope"`,
		"cities":         `natural key "cities": Bad.cities is a many-to-many field`,
		"country__code":  "",
		"country__pk":    "",
		"country":        "",
		"code":           "",
		"country__name ": `has no field "name "`,
	}
	for path, want := range cases {
		reg := orm.NewRegistry()
		if _, err := reg.Register(orm.AppConfig{Name: "travel", Models: []any{Country{}, City{}}}); err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Register(orm.AppConfig{Name: "x", Models: []any{badNaturalKey(path)}}); err != nil {
			t.Fatal(err)
		}
		err := reg.Ready()
		if want == "" && err != nil || want != "" && (err == nil || !strings.Contains(err.Error(), want)) {
			t.Errorf("NaturalKey %q: Ready() = %v, want %q", path, err, want)
		}
	}
}

// badNaturalKey returns a model value whose Meta names path as its natural
// key. Meta is a method of the type, read from its zero value, so the path
// travels in a variable; the test sets it before each registration.
func badNaturalKey(path string) any {
	nk.path = path
	return Bad{}
}

var nk struct{ path string }

type Bad struct {
	ID      int64
	Code    string                  `orm:"max_length=2"`
	Country orm.ForeignKey[Country] `orm:"on_delete=cascade"`
	Cities  orm.ManyToMany[City]
}

func (Bad) Meta() orm.Meta { return orm.Meta{NaturalKey: []string{nk.path}} }

// FuzzLoadData feeds LoadData arbitrary bytes: each input loads, or fails
// with a *FixtureError and leaves nothing behind; none panics.
func FuzzLoadData(f *testing.F) {
	seeds := []string{
		travelFixture, `[]`, `{`, `null`, `[1]`, `[{"model": "travel.trip"}]`,
		`[{"model": "travel.trip", "pk": 1, "fields": {"title": "x", "cities": [["Roma", "it"], 1, null, {}]}}]`,
		`[{"model": "travel.city", "fields": {"name": "x", "country": [null]}}]`,
		`[{"model": "travel.category", "pk": 1, "fields": {"name": "a", "parent": 1}}]`,
		`[{"model": "travel.ticket", "fields": {"trip": 1e99}}]`,
		`[{"model": "bookstore.book", "pk": -1, "fields": {"price": "1e400", "rating": 1e400, "pubdate": true}}]`,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	db := testdb.Open(f, "sqlite", travelRegistry(f))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := db.LoadData(context.Background(), bytes.NewReader(data))
		if err == nil {
			return
		}
		var fe *orm.FixtureError
		if n != 0 || !errors.As(err, &fe) {
			t.Errorf("LoadData(%q) = %d, %v (%T)", data, n, err, err)
		}
	})
}
