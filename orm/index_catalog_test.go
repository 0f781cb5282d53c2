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
			if _, err := db.CreateSearchIndex(ctx, book, name); err == nil {
				t.Error("a search index made on a database without them")
			}
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
		conn, err := db.SQL().Conn(ctx)
		must(t, err)
		defer conn.Close()
		_, err = conn.ExecContext(ctx, "SET enable_seqscan = off")
		must(t, err)
		rows, err := conn.QueryContext(ctx, "EXPLAIN "+sql, args...)
		must(t, err)
		defer rows.Close()
		var plan []string
		for rows.Next() {
			var line string
			must(t, rows.Scan(&line))
			plan = append(plan, line)
		}
		if joined := strings.Join(plan, "\n"); !strings.Contains(joined, "_fts") {
			t.Errorf("the search does not use the index:\n%s", joined)
		}
	})
}
