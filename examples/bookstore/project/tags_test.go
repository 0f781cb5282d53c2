package project_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// TestBookTags drives the book page's generic inline of tagged items: a
// tag added there points at the book through its content type and id,
// and the change is logged with Django's message.
func TestBookTags(t *testing.T) { eachDialect(t, bookTags) }

func bookTags(t *testing.T, app *staffroom.App) {
	const prefix = "bookstore-taggeditem-content_type-object_id"
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", password)
	book, err := orm.For[bookstore.Book](app.DB).OrderBy("id").First(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	id := book.(*bookstore.Book).ID
	page := c.Get(fmt.Sprintf("/admin/bookstore/book/%d/change/", id))
	expect(t, page, 200)
	if got, _ := page.Find(`input[name="` + prefix + `-TOTAL_FORMS"]`).Attr("value"); got != "1" {
		t.Fatalf("TOTAL_FORMS %q, want 1 (Extra)", got)
	}
	r := c.Submit(page, "#book_form", url.Values{prefix + "-0-tag": {"classic"}}, "")
	expect(t, r, 302)
	items, err := orm.All[bookstore.TaggedItem](context.Background(), orm.For[bookstore.TaggedItem](app.DB))
	if err != nil || len(items) != 1 {
		t.Fatalf("tagged items %v, %v", items, err)
	}
	ct, err := app.Types.ByID(context.Background(), items[0].ContentType.ID)
	if err != nil {
		t.Fatal(err)
	}
	if it := items[0]; it.Tag != "classic" || it.ObjectID != id || ct.AppLabel != "bookstore" || ct.Model != "book" {
		t.Errorf("tagged item %+v of %+v", it, ct)
	}
	entries := logEntries(t, app)
	if got, want := entries[len(entries)-1].ChangeMessage, `[{"added": {"name": "tagged item", "object": "classic"}}]`; got != want {
		t.Errorf("change message %s, want %s", got, want)
	}
	page = c.Get(fmt.Sprintf("/admin/bookstore/book/%d/change/", id))
	if got, _ := page.Find(`input[name="` + prefix + `-0-tag"]`).Attr("value"); got != "classic" {
		t.Errorf("the tag on the book's page %q", got)
	}
}
