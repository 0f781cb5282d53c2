package orm_test

import (
	"context"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

func TestLeadingIndexColumnsAndCreate(t *testing.T) {
	reg := registry(t)
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		book, _ := reg.GetModel("bookstore.Book")
		cols, err := db.LeadingIndexColumns(ctx, book.Table)
		must(t, err)
		if !cols["id"] || !cols["publisher_id"] || cols["pubdate"] || cols["name"] {
			t.Fatalf("leading columns before: %v", cols)
		}
		name, err := db.CreateIndex(ctx, book, book.Field("pubdate"))
		must(t, err)
		if name == "" {
			t.Error("no index name")
		}
		cols, err = db.LeadingIndexColumns(ctx, book.Table)
		must(t, err)
		if !cols["pubdate"] {
			t.Errorf("after CreateIndex: %v", cols)
		}
		if cols["publisher_id,pubdate"] {
			t.Error("a pair before its index was made")
		}
		if _, err := db.CreateIndex(ctx, book, book.Field("publisher"), book.Field("pubdate")); err != nil {
			t.Fatal(err)
		}
		if cols, err = db.LeadingIndexColumns(ctx, book.Table); err != nil || !cols["publisher_id,pubdate"] || !cols["publisher_id"] {
			t.Errorf("after a two-column index: %v %v", cols, err)
		}
		if ok, err := db.HasTable(ctx, book.Table); err != nil || !ok {
			t.Errorf("HasTable(%s) = %v, %v", book.Table, ok, err)
		}
		if ok, err := db.HasTable(ctx, "no_such_table"); err != nil || ok {
			t.Errorf("HasTable(no_such_table) = %v, %v", ok, err)
		}
		if _, err := db.CreateIndex(ctx, book, book.Field("authors")); err == nil {
			t.Error("an index on a many-to-many field gave no error")
		}
	})
}

// TestSearchIndex: on PostgreSQL the search lookup's vector has a GIN
// index the planner uses; elsewhere there is none to make.
func TestSearchIndex(t *testing.T) {
	reg := registry(t)
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		book, _ := reg.GetModel("bookstore.Book")
		name := book.Field("name")
		has, err := db.HasSearchIndex(ctx, book, name)
		must(t, err)
		if has {
			t.Fatal("a search index before one was made")
		}
		switch db.Dialect().Name() {
		case "mysql":
			mysqlFullText(t, ctx, db, book, name)
			return
		case "sqlite":
			return // TestSQLiteFullText
		}
		if _, err := db.CreateSearchIndex(ctx, book, name); err != nil {
			t.Fatal(err)
		}
		if has, err := db.HasSearchIndex(ctx, book, name); err != nil || !has {
			t.Fatalf("after CreateSearchIndex: %v %v", has, err)
		}
		// The planner takes it for the search lookup (sequential scans
		// off, so that a tiny table does not hide the choice).
		sql, args, err := orm.For[Book](db).Filter(orm.Q{"name__search": "go"}).SQL()
		must(t, err)
		if plan := explainNoSeqScan(t, ctx, db, sql, args); !strings.Contains(plan, "_fts") {
			t.Errorf("the search does not use the index:\n%s", plan)
		}
	})
}

// TestSubstringIndex: CreateSubstringIndex gives SQLite a trigram table and
// PostgreSQL a pg_trgm index; the text lookups find exactly the rows they
// find without it (the index only narrows what the lookup then tests),
// the query goes through it where it may, and SQLite's triggers keep it in
// step.
func TestSubstringIndex(t *testing.T) {
	reg := registry(t)
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		seed(t, ctx, db) // Go in Action, The Go Programming Language, Django for Pros, Zoë et les GO
		for _, n := range []string{"100% Go_lang", `Say "Go"`, "ZOË'S GUIDE", "Straße der Gophers"} {
			must(t, db.Insert(ctx, &Book{Name: n, Publisher: orm.FK[Publisher](1)}))
		}
		book, _ := reg.GetModel("bookstore.Book")
		name := book.Field("name")
		lookups := []orm.Q{
			{"name__icontains": "go"}, {"name__icontains": "GO PRO"}, {"name__icontains": "ang"},
			{"name__icontains": "zoë"}, {"name__icontains": "ZOË"}, {"name__icontains": "0% go_"},
			{"name__icontains": `"go"`}, {"name__icontains": "strasse"}, {"name__icontains": "xyz"},
			{"name__contains": "Go"}, {"name__contains": "Zoë"}, {"name__istartswith": "the go"},
			{"name__iendswith": "PROS"}, {"name__iexact": "go in action"}, {"name__startswith": "Go "},
		}
		results := func() []string {
			t.Helper()
			var out []string
			for _, q := range lookups {
				got, err := orm.All[Book](ctx, orm.For[Book](db).Filter(q).OrderBy("name"))
				must(t, err)
				out = append(out, names(got))
			}
			return out
		}
		without := results()
		if has, err := db.HasSubstringIndex(ctx, book, name); err != nil || has {
			t.Fatalf("a substring index before one was made: %v %v", has, err)
		}
		if db.Dialect().Name() == "mysql" {
			if _, err := db.CreateSubstringIndex(ctx, book, name); err == nil {
				t.Error("a substring index made on a database without them")
			}
			return
		}
		if _, err := db.CreateSubstringIndex(ctx, book, name); err != nil {
			t.Fatal(err)
		}
		if has, err := db.HasSubstringIndex(ctx, book, name); err != nil || !has {
			t.Fatalf("after CreateSubstringIndex: %v %v", has, err)
		}
		for i, got := range results() {
			if got != without[i] {
				t.Errorf("%v with the index = %q, without = %q", lookups[i], got, without[i])
			}
		}
		if db.Dialect().Name() == "postgres" {
			sql, args, err := orm.For[Book](db).Filter(orm.Q{"name__icontains": "programming"}).SQL()
			must(t, err)
			if plan := explainNoSeqScan(t, ctx, db, sql, args); !strings.Contains(plan, "_trgm") {
				t.Errorf("icontains does not use the trigram index:\n%s", plan)
			}
			return
		}
		for _, c := range []struct {
			q       orm.Q
			through bool
		}{
			{orm.Q{"name__icontains": "programming"}, true},
			{orm.Q{"name__contains": "Zoë"}, true},    // case-sensitive: any text
			{orm.Q{"name__icontains": "zoë"}, false},  // FTS5's folding is not the lookup's beyond ASCII
			{orm.Q{"name__icontains": "go"}, false},   // shorter than a trigram
			{orm.Q{"pages__icontains": "123"}, false}, // no index on that column
		} {
			sql, _, err := orm.For[Book](db).Filter(c.q).SQL()
			must(t, err)
			if got := strings.Contains(sql, "bookstore_book_name_trgm"); got != c.through {
				t.Errorf("%v through the trigram table: %v, want %v: %s", c.q, got, c.through, sql)
			}
		}
		// Without the index the same rows come, each row's text tested.
		for i, q := range lookups {
			qs := orm.For[Book](db).Filter(q).OrderBy("name").WithoutSubstringIndex()
			sql, _, err := qs.SQL()
			must(t, err)
			if strings.Contains(sql, "_trgm") {
				t.Errorf("%v WithoutSubstringIndex still reads the trigram table: %s", q, sql)
			}
			got, err := orm.All[Book](ctx, qs)
			must(t, err)
			if names(got) != without[i] {
				t.Errorf("%v WithoutSubstringIndex = %q, want %q", q, names(got), without[i])
			}
		}
		search := func(term string) string {
			t.Helper()
			got, err := orm.All[Book](ctx, orm.For[Book](db).Filter(orm.Q{"name__icontains": term}).OrderBy("name"))
			must(t, err)
			return names(got)
		}
		keptInStep(t, ctx, db, search)
	})
}

// explainNoSeqScan is PostgreSQL's plan of sql with sequential scans off,
// so that a tiny table does not hide the planner's choice of index.
func explainNoSeqScan(t *testing.T, ctx context.Context, db *orm.DB, sql string, args []any) string {
	t.Helper()
	conn, err := db.SQL().Conn(ctx)
	must(t, err)
	defer conn.Close()
	_, err = conn.ExecContext(ctx, "SET enable_seqscan = off")
	must(t, err)
	defer conn.ExecContext(ctx, "SET enable_seqscan = on")
	rows, err := conn.QueryContext(ctx, "EXPLAIN "+sql, args...)
	must(t, err)
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var line string
		must(t, rows.Scan(&line))
		plan = append(plan, line)
	}
	return strings.Join(plan, "\n")
}

// mysqlFullText: MySQL's FULLTEXT index of the column serves the search
// lookup — every word required, each also a prefix, operators taken as
// text, words shorter than the index's tokens left out — and the search
// without it matches each word anywhere, as before.
func mysqlFullText(t *testing.T, ctx context.Context, db *orm.DB, book *orm.Model, name *orm.Field) {
	t.Helper()
	seed(t, ctx, db) // Go in Action, The Go Programming Language, Django for Pros, Zoë et les GO
	search := func(term string) string {
		t.Helper()
		got, err := orm.All[Book](ctx, orm.For[Book](db).Filter(orm.Q{"name__search": term}).OrderBy("name"))
		must(t, err)
		return names(got)
	}
	if got := search("programming"); got != "The Go Programming Language" {
		t.Fatalf("without the index: %q", got)
	}
	if _, err := db.CreateSearchIndex(ctx, book, name); err != nil {
		t.Fatal(err)
	}
	if has, err := db.HasSearchIndex(ctx, book, name); err != nil || !has {
		t.Fatalf("after CreateSearchIndex: %v %v", has, err)
	}
	sql, _, err := orm.For[Book](db).Filter(orm.Q{"name__search": "programming"}).SQL()
	must(t, err)
	if !strings.Contains(sql, "MATCH (") || !strings.Contains(sql, "IN BOOLEAN MODE") {
		t.Fatalf("the search does not use the FULLTEXT index: %s", sql)
	}
	for _, c := range []struct{ term, want string }{
		{"programming", "The Go Programming Language"},
		{"PROGRAM", "The Go Programming Language"}, // a prefix, any case
		{"language program", "The Go Programming Language"},
		{"action programming", ""},                                                       // every word required
		{"zoë", "Zoë et les GO"},                                                         // accents as the column's collation compares
		{`+action -(go) "`, "Go in Action"},                                              // operators are text
		{"go", "Django for Pros|Go in Action|The Go Programming Language|Zoë et les GO"}, // too short: the plain search
	} {
		if got := search(c.term); got != c.want {
			t.Errorf("search %q = %q, want %q", c.term, got, c.want)
		}
	}
}
