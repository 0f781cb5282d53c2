package project_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// TestBigRelations is issue 11's done-when check: with 10,000 authors and
// 1,000 publishers the book change form lists neither (publisher is an
// autocomplete field; the authors' two-box chooser searches) and stays
// under 100 KB;
// the publisher is found by searching and saved, and a store's books are
// edited as raw ids.
func TestBigRelations(t *testing.T) { eachDialect(t, bigRelations) }

func bigRelations(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	objs := make([]any, 0, 11000)
	for i := range 10000 {
		objs = append(objs, &bookstore.Author{Name: fmt.Sprintf("Author %05d", i), Age: 40})
	}
	for i := range 1000 {
		objs = append(objs, &bookstore.Publisher{Name: fmt.Sprintf("Press %04d", i)})
	}
	if err := app.DB.BulkCreate(ctx, objs[:10000], 0); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.BulkCreate(ctx, objs[10000:], 0); err != nil {
		t.Fatal(err)
	}
	if n, err := orm.For[bookstore.Author](app.DB).Count(ctx); err != nil || n < 10000 {
		t.Fatalf("%d authors (%v)", n, err)
	}
	book, err := orm.For[bookstore.Book](app.DB).OrderBy("id").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	b := book.(*bookstore.Book)
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")

	change := c.Get("/admin/bookstore/book/" + itoa(b.ID) + "/change/")
	expect(t, change, 200)
	if size := len(change.Body); size >= 100*1024 {
		t.Errorf("the book change form is %d bytes, want under 100 KB", size)
	}
	pub := change.Find("select#id_publisher.admin-autocomplete")
	if pub.Length() != 1 || pub.Find("option").Length() != 1 || pub.Find("option[selected]").AttrOr("value", "") != itoa(b.Publisher.ID) {
		t.Errorf("publisher: %s", change.Find(".field-publisher").Text())
	}
	if change.Find("select#id_authors.selectfilter[data-relation-name=authors]").Length() != 1 || strings.Contains(change.Body, "Author 0") {
		t.Errorf("authors: %s", change.Find(".field-authors").Text())
	}

	// Searching for a publisher and saving it.
	r := c.Get("/admin/autocomplete/?app_label=bookstore&model_name=book&field_name=publisher&term=press+0999")
	expect(t, r, 200)
	var found struct {
		Results []struct{ ID, Text string }
	}
	if err := json.Unmarshal([]byte(r.Body), &found); err != nil || len(found.Results) != 1 || found.Results[0].Text != "Press 0999" {
		t.Fatalf("autocomplete: %s (%v)", r.Body, err)
	}
	r = c.Submit(change, "#book_form", url.Values{"publisher": {found.Results[0].ID}}, "_save")
	expect(t, r, 302)
	saved, err := orm.Get[bookstore.Book](ctx, orm.For[bookstore.Book](app.DB), orm.Q{"pk": b.ID})
	if err != nil || itoa(saved.Publisher.ID) != found.Results[0].ID {
		t.Errorf("saved publisher %d, want %s (%v)", saved.Publisher.ID, found.Results[0].ID, err)
	}

	// A store's books, as raw ids with a lookup link.
	store, err := orm.For[bookstore.Store](app.DB).OrderBy("id").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	storeURL := "/admin/bookstore/store/" + itoa(store.(*bookstore.Store).ID) + "/change/"
	page := c.Get(storeURL)
	expect(t, page, 200)
	books := page.Find("input#id_books.vManyToManyRawIdAdminField")
	if books.Length() != 1 || page.Find("a#lookup_id_books").AttrOr("href", "") != "/admin/bookstore/book/?_popup=1&_to_field=id" {
		t.Fatalf("books: %s", page.Find(".field-books").Text())
	}
	r = c.Submit(page, "#store_form", url.Values{"books": {itoa(b.ID) + ",99999"}}, "_save")
	expect(t, r, 200)
	if got := r.Text(".field-books .errorlist"); got != "Select a valid choice. 99999 is not one of the available choices." {
		t.Errorf("unknown book: %q", got)
	}
	r = c.Submit(page, "#store_form", url.Values{"books": {itoa(b.ID)}}, "_save")
	expect(t, r, 302)
	if ids, err := app.DB.LoadM2M(ctx, store, "books"); err != nil || len(ids) != 1 || ids[0] != b.ID {
		t.Errorf("store books %v (%v)", ids, err)
	}
}
