package orm_test

import (
	"context"
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
		name, err := db.CreateColumnIndex(ctx, book, book.Field("pubdate"))
		must(t, err)
		if name == "" {
			t.Error("no index name")
		}
		cols, err = db.LeadingIndexColumns(ctx, book.Table)
		must(t, err)
		if !cols["pubdate"] {
			t.Errorf("after CreateColumnIndex: %v", cols)
		}
		if ok, err := db.HasTable(ctx, book.Table); err != nil || !ok {
			t.Errorf("HasTable(%s) = %v, %v", book.Table, ok, err)
		}
		if ok, err := db.HasTable(ctx, "no_such_table"); err != nil || ok {
			t.Errorf("HasTable(no_such_table) = %v, %v", ok, err)
		}
		if _, err := db.CreateColumnIndex(ctx, book, book.Field("authors")); err == nil {
			t.Error("an index on a many-to-many field gave no error")
		}
	})
}
