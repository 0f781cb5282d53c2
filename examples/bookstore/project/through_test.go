package project_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/orm"
)

// TestAuthorBooksInline drives the author page's inline of Book.authors'
// join table, Django's Book.authors.through: its prefix is Django's for an
// auto-created model, it lists the author's pairs, and one POST adds a
// book and removes another, logged with Django's change message.
func TestAuthorBooksInline(t *testing.T) { eachDialect(t, authorBooksInline) }

func authorBooksInline(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	author, books := throughFixture(t, app)
	if err := app.DB.SetM2M(ctx, books[0], "authors", []int64{author.ID}); err != nil {
		t.Fatal(err)
	}
	c := staffClient(t, app, "editor", "view_author", "change_author", "view_book", "change_book")
	changeURL := fmt.Sprintf("/admin/bookstore/author/%d/change/", author.ID)
	page := c.Get(changeURL)
	expect(t, page, 200)
	if page.Find(`#Book_authors-group input[name="Book_authors-TOTAL_FORMS"]`).Length() != 1 {
		t.Fatalf("no management form with the prefix Book_authors:\n%s", page.Body)
	}
	if got := page.Text("#Book_authors-group h2"); got != "Books" {
		t.Errorf("inline heading %q", got)
	}
	if n := page.Find("#Book_authors-group tr.has_original").Length(); n != 1 {
		t.Errorf("%d saved pairs shown, want 1", n)
	}
	sel := page.Find(`select[name="Book_authors-0-book"]`)
	if sel.Length() != 1 || sel.Find("option").Length() > 2 {
		t.Errorf("the book is not chosen by autocomplete: %d selects, %d options", sel.Length(), sel.Find("option").Length())
	}
	if v, _ := sel.Find("option[selected]").Attr("value"); v != strconv.FormatInt(books[0].ID, 10) {
		t.Errorf("the saved pair's book is %q", v)
	}

	r := c.Submit(page, "#author_form", url.Values{"Book_authors-0-DELETE": {"on"},
		"Book_authors-1-book": {strconv.FormatInt(books[1].ID, 10)}}, "")
	expect(t, r, 302)
	if got := bookIDsOf(t, app, author); !slices.Equal(got, []int64{books[1].ID}) {
		t.Fatalf("the author's books after the save: %v, want [%d]", got, books[1].ID)
	}
	entries := logEntries(t, app)
	last := entries[len(entries)-1]
	tm, _ := app.DB.Registry().ModelOf(orm.Through{Model: &bookstore.Book{}, Field: "authors"})
	rows, _ := app.DB.Query(tm).Filter(orm.Q{"author": author.ID}).All(ctx)
	if len(rows) != 1 {
		t.Fatalf("%d pairs", len(rows))
	}
	added := tm.String(rows[0])
	want := `[{"added": {"name": "book-author relationship", "object": "` + added + `"}}, ` +
		`{"deleted": {"name": "book-author relationship", "object": "Book_authors object (`
	if len(last.ChangeMessage) < len(want) || last.ChangeMessage[:len(want)] != want {
		t.Errorf("change message %s, want it to start %s", last.ChangeMessage, want)
	}

	// A pair twice is refused, as the join table's unique pair demands.
	page = c.Get(changeURL)
	r = c.Submit(page, "#author_form", url.Values{"Book_authors-1-book": {strconv.FormatInt(books[1].ID, 10)}}, "")
	expect(t, r, 200)
	if r.Find("#Book_authors-group .errorlist").Length() == 0 {
		t.Errorf("no error for the same book twice:\n%s", r.Find("#Book_authors-group").Text())
	}
	if got := bookIDsOf(t, app, author); !slices.Equal(got, []int64{books[1].ID}) {
		t.Errorf("the author's books after a refused save: %v", got)
	}
}

// TestAuthorBooksInlinePermissions: the join table has no permissions of
// its own; as in Django, editing it takes the change permission on Book,
// and seeing it the view permission.
func TestAuthorBooksInlinePermissions(t *testing.T) { eachDialect(t, authorBooksInlinePermissions) }

func authorBooksInlinePermissions(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	author, books := throughFixture(t, app)
	if err := app.DB.SetM2M(ctx, books[0], "authors", []int64{author.ID}); err != nil {
		t.Fatal(err)
	}
	changeURL := fmt.Sprintf("/admin/bookstore/author/%d/change/", author.ID)

	viewer := staffClient(t, app, "viewer", "view_author", "change_author", "view_book")
	page := viewer.Get(changeURL)
	expect(t, page, 200)
	if page.Find("#Book_authors-group tr.has_original").Length() != 1 {
		t.Fatal("a user who may view books does not see the author's pair")
	}
	if page.Find(`select[name="Book_authors-0-book"]`).Length() != 0 || page.Find(`input[name="Book_authors-0-DELETE"]`).Length() != 0 {
		t.Error("a user who may only view books can edit or delete a pair")
	}
	if page.Find(`#Book_authors-group tr.form-row:not(.has_original):not(.empty-form)`).Length() != 0 {
		t.Error("a user who may only view books is offered a blank pair")
	}
	r := viewer.Submit(page, "#author_form", url.Values{"Book_authors-TOTAL_FORMS": {"2"},
		"Book_authors-0-DELETE": {"on"}, "Book_authors-1-book": {strconv.FormatInt(books[1].ID, 10)}}, "")
	if r.StatusCode != 302 && r.StatusCode != 200 {
		t.Fatalf("forged save: %d", r.StatusCode)
	}
	if got := bookIDsOf(t, app, author); !slices.Equal(got, []int64{books[0].ID}) {
		t.Errorf("a forged save by a viewer changed the pairs: %v", got)
	}

	blind := staffClient(t, app, "blind", "view_author", "change_author")
	page = blind.Get(changeURL)
	expect(t, page, 200)
	if page.Find("#Book_authors-group").Length() != 0 {
		t.Error("a user with no permission on books sees the inline")
	}
}

// throughFixture adds an author and two books of their own.
func throughFixture(t *testing.T, app *staffroom.App) (*bookstore.Author, []*bookstore.Book) {
	t.Helper()
	ctx := context.Background()
	pub := &bookstore.Publisher{Name: "Through Press"}
	author := &bookstore.Author{Name: "Ursula", Age: 70}
	for _, obj := range []any{pub, author} {
		if err := app.DB.Insert(ctx, obj); err != nil {
			t.Fatal(err)
		}
	}
	var books []*bookstore.Book
	for _, name := range []string{"The Dispossessed", "The Lathe of Heaven"} {
		b := &bookstore.Book{Name: name, Pages: 300, Price: decimal.NewFromInt(12), Publisher: orm.FK[bookstore.Publisher](pub.ID)}
		if err := app.DB.Insert(ctx, b); err != nil {
			t.Fatal(err)
		}
		books = append(books, b)
	}
	return author, books
}

// bookIDsOf lists the ids of the books author wrote, in order.
func bookIDsOf(t *testing.T, app *staffroom.App, author *bookstore.Author) []int64 {
	t.Helper()
	books, err := orm.All[bookstore.Book](context.Background(), orm.For[bookstore.Book](app.DB).Filter(orm.Q{"authors": author.ID}).OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, b := range books {
		ids = append(ids, b.ID)
	}
	return ids
}
