package orm

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The orm's own share of an admin change list, without a database: the
// statements compiled and the objects built from rows as a driver gives
// them, so a change in the orm's CPU shows apart from the SQL's.

type benchPublisher struct {
	ID   int64
	Name string `orm:"max_length=300"`
}

type benchBook struct {
	ID        int64
	Name      string `orm:"max_length=300"`
	Pages     int32
	Price     decimal.Decimal `orm:"max_digits=10,decimal_places=2"`
	Rating    float64
	Pubdate   time.Time `orm:"type=date"`
	Added     time.Time
	Publisher ForeignKey[benchPublisher] `orm:"on_delete=cascade"`
}

// benchDB is a DB of the given dialect with the bench models, and no
// connection: compiling and building need none.
func benchDB(tb testing.TB, d Dialect) (*DB, *Model) {
	tb.Helper()
	reg := NewRegistry()
	if _, err := reg.Register(AppConfig{Name: "bench", Models: []any{benchPublisher{}, benchBook{}}}); err != nil {
		tb.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		tb.Fatal(err)
	}
	m, err := reg.ModelOf(benchBook{})
	if err != nil {
		tb.Fatal(err)
	}
	return &DB{dialect: d, reg: reg}, m
}

// yearConds are the admin date hierarchy's probes: one range of the
// field per year, n of them.
func yearConds(n int) []Expr {
	conds := make([]Expr, n)
	for i := range conds {
		lo := time.Date(1990+i, 1, 1, 0, 0, 0, 0, time.UTC)
		conds[i] = Q{"pubdate__gte": lo, "pubdate__lt": lo.AddDate(1, 0, 0)}
	}
	return conds
}

// BenchmarkExistsEachSQL compiles the date hierarchy's statement of 35
// EXISTS over a filtered, ordered query.
func BenchmarkExistsEachSQL(b *testing.B) {
	db, m := benchDB(b, SQLite{})
	q := db.Query(m).Filter(Q{"publisher__id__exact": 3}).OrderBy("pubdate")
	conds := yearConds(35)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := q.existsEachSQL(time.UTC, conds); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCompileFiltered compiles a change list's page query: a filter
// across a relation, an ordering, a related object joined.
func BenchmarkCompileFiltered(b *testing.B) {
	db, m := benchDB(b, SQLite{})
	q := db.Query(m).Filter(Q{"publisher__name__icontains": "orchard", "pages__gt": 100}).
		OrderBy("-pubdate", "-id").SelectRelated("publisher").Limit(100)
	b.ReportAllocs()
	for b.Loop() {
		c := newCompiler(db, m)
		if _, _, err := q.compileObjects(c); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBuildRows builds 100 books, each with its publisher joined,
// from rows holding what the SQLite driver gives.
func BenchmarkBuildRows(b *testing.B) {
	db, m := benchDB(b, SQLite{})
	q := db.Query(m).SelectRelated("publisher")
	cols, rows := benchRows(b, db, q, 100)
	b.ReportAllocs()
	for b.Loop() {
		rb := q.newRowBuilder(cols)
		for _, raw := range rows {
			if _, err := rb.build(raw); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// benchRows compiles q and makes n rows of driver values for its columns.
func benchRows(tb testing.TB, db *DB, q QuerySet, n int) ([]selectCol, [][]any) {
	tb.Helper()
	_, cols, err := q.compileObjects(newCompiler(db, q.model))
	if err != nil {
		tb.Fatal(err)
	}
	rows := make([][]any, n)
	for i := range rows {
		raw := make([]any, len(cols))
		for j, sc := range cols {
			raw[j] = benchValue(sc.field, i)
		}
		rows[i] = raw
	}
	return cols, rows
}

// benchValue is a value of the field as modernc.org/sqlite reads it.
func benchValue(f *Field, i int) any {
	switch f.Kind {
	case KindChar:
		return "The Wandering Orchard"
	case KindDecimal, KindFloat:
		return 22.42 + float64(i)
	case KindDate:
		return time.Date(2003, 1, 9, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
	case KindDateTime:
		return time.Date(2003, 1, 9, 10, 30, 0, 0, time.UTC).AddDate(0, 0, i)
	}
	return int64(i + 1)
}

// BenchmarkParseDateTime reads a datetime as SQLite and MySQL text holds
// it.
func BenchmarkParseDateTime(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseDateTime("2020-01-02 03:04:05.123456"); err != nil {
			b.Fatal(err)
		}
	}
}
