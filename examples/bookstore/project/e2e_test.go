package project_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/project"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"

	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

const password = "correct horse battery staple"

// eachDialect runs fn as a subtest on every configured database.
func eachDialect(t *testing.T, fn func(t *testing.T, app *staffroom.App)) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, newApp(t, d)) })
	}
}

// newApp returns the example, migrated, with a little demo data and the
// superuser "admin", on a fresh database of the dialect.
func newApp(t *testing.T, dialect string) *staffroom.App {
	t.Helper()
	return newAppWith(t, dialect, staffroom.Config{})
}

// newAppWith is newApp with settings of cfg; the database (unless cfg
// names one), the secret key and cheap hashers are filled in.
func newAppWith(t *testing.T, dialect string, cfg staffroom.Config) *staffroom.App {
	t.Helper()
	ctx := context.Background()
	if cfg.Database == "" {
		cfg.Database = testdb.URL(t, dialect)
	}
	if cfg.SecretKey == "" {
		cfg.SecretKey = "test-secret-key-not-for-production"
	}
	cfg.Hashers = auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 1000}}
	app, err := staffroom.New(project.Project(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	if _, err := app.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	if err := bookstore.Seed(ctx, app.DB, 30, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := staffroom.CreateUser(ctx, app, "admin", "admin@example.com", password, true); err != nil {
		t.Fatal(err)
	}
	return app
}

// login signs a client in through the login form.
func login(t *testing.T, c *webtest.Client, username, pw string) *webtest.Response {
	t.Helper()
	page := c.Get("/admin/login/?next=/admin/")
	return c.Submit(page, "#login-form", url.Values{"username": {username}, "password": {pw}}, "")
}

func count[T any](t *testing.T, app *staffroom.App, q orm.Q) int64 {
	t.Helper()
	n, err := orm.For[T](app.DB).Filter(q).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func logEntries(t *testing.T, app *staffroom.App) []*admin.LogEntry {
	t.Helper()
	entries, err := orm.All[admin.LogEntry](context.Background(), orm.For[admin.LogEntry](app.DB).OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func expect(t *testing.T, r *webtest.Response, status int) {
	t.Helper()
	if r.StatusCode != status {
		t.Fatalf("%s %s: status %d, want %d\n%s", r.Request.Method, r.Request.URL, r.StatusCode, status, r.Body)
	}
}

func expectRedirect(t *testing.T, r *webtest.Response, location string) {
	t.Helper()
	expect(t, r, 302)
	if got := r.Location(); got != location {
		t.Fatalf("%s %s: redirect to %q, want %q", r.Request.Method, r.Request.URL, got, location)
	}
}

// TestWalkingSkeleton drives the whole path as a browser would: log in,
// add a publisher and a book, find the book by search, edit it, read its
// history, delete it after the confirmation page, log out.
func TestWalkingSkeleton(t *testing.T) { eachDialect(t, walkingSkeleton) }

func walkingSkeleton(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)

	expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
	page := c.Get("/admin/login/?next=/admin/")
	expect(t, page, 200)
	if page.Find("#login-form input[name=csrfmiddlewaretoken]").Length() != 1 || page.Find("#login-form input[name=next][value='/admin/']").Length() != 1 {
		t.Fatalf("login form lacks the token or next:\n%s", page.Body)
	}
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	if c.Cookie("sessionid") == "" {
		t.Fatal("no session cookie after login")
	}

	index := c.Get("/admin/")
	expect(t, index, 200)
	if got := index.Text("#content h1"); got != "Site administration" {
		t.Errorf("index title %q", got)
	}
	if got, title := index.Text("#site-name"), index.Text("title"); got != "Bookstore administration" || title != "Site administration | Bookstore admin" {
		t.Errorf("the project's branding: header %q, title %q", got, title)
	}
	for _, href := range []string{"/admin/bookstore/book/", "/admin/bookstore/publisher/add/", "/admin/polls/question/"} {
		if index.Find(`a[href="`+href+`"]`).Length() == 0 {
			t.Errorf("index has no link to %s", href)
		}
	}

	// Add a publisher.
	add := c.Get("/admin/bookstore/publisher/add/")
	expect(t, add, 200)
	r := c.Submit(add, "#publisher_form", url.Values{"name": {"Staffroom Press"}}, "_save")
	expectRedirect(t, r, "/admin/bookstore/publisher/")
	list := c.Follow(r)
	if got := list.Text(".messagelist li.success"); got != "The publisher “Staffroom Press” was added successfully." {
		t.Errorf("message %q", got)
	}
	pub, err := orm.Get[bookstore.Publisher](context.Background(), orm.For[bookstore.Publisher](app.DB), orm.Q{"name": "Staffroom Press"})
	if err != nil {
		t.Fatal(err)
	}
	if again := c.Get("/admin/bookstore/publisher/"); again.Find(".messagelist").Length() != 0 {
		t.Error("the success message was shown twice")
	}

	// Add a book, continuing to its change page.
	add = c.Get("/admin/bookstore/book/add/")
	expect(t, add, 200)
	if add.Find(`#book_form select[name=publisher].admin-autocomplete`).Length() != 1 {
		t.Fatal("the publisher field is not an autocomplete select")
	}
	found := c.Get("/admin/autocomplete/?app_label=bookstore&model_name=book&field_name=publisher&term=staffroom")
	if want := `{"results":[{"id":"` + itoa(pub.ID) + `","text":"Staffroom Press"}],"pagination":{"more":false}}`; strings.TrimSpace(found.Body) != want {
		t.Fatalf("the publisher autocomplete does not find the new publisher: %s", found.Body)
	}
	// The authors are chosen in the two-box chooser, by searching too.
	if authors := add.Find("#book_form select[name=authors].selectfilter"); authors.Length() != 1 || authors.AttrOr("data-ajax--url", "") != "/admin/autocomplete/" {
		t.Fatal("the authors field is not a searching two-box chooser")
	}
	firstAuthor, err := orm.For[bookstore.Author](app.DB).OrderBy("id").First(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	authorID := itoa(firstAuthor.(*bookstore.Author).ID)
	r = c.Submit(add, "#book_form", url.Values{
		"name": {"Concurrency in Staffrooms"}, "pages": {"321"}, "price": {"29.90"}, "rating": {"4.5"},
		"pubdate": {"2026-11-21"}, "publisher": {itoa(pub.ID)}, "authors": {authorID},
	}, "_continue")
	expect(t, r, 302)
	book, err := orm.Get[bookstore.Book](context.Background(), orm.For[bookstore.Book](app.DB), orm.Q{"name": "Concurrency in Staffrooms"})
	if err != nil {
		t.Fatal(err)
	}
	changeURL := "/admin/bookstore/book/" + itoa(book.ID) + "/change/"
	expectRedirect(t, r, changeURL)
	if book.Pages != 321 || !book.Price.Equal(decimal.RequireFromString("29.90")) || book.Publisher.ID != pub.ID || book.Pubdate.Format("2006-01-02") != "2026-11-21" {
		t.Errorf("saved book: %+v", book)
	}
	if ids, _ := app.DB.LoadM2M(context.Background(), book, "authors"); len(ids) != 1 || itoa(ids[0]) != authorID {
		t.Errorf("authors saved: %v, want [%s]", ids, authorID)
	}
	change := c.Follow(r)
	if !strings.Contains(change.Text(".messagelist"), "was added successfully. You may edit it again below.") {
		t.Errorf("continue message: %q", change.Text(".messagelist"))
	}

	// Find it in the change list by searching its publisher's name.
	list = c.Get("/admin/bookstore/book/?q=" + url.QueryEscape("staffroom press"))
	expect(t, list, 200)
	if got := list.Text("#changelist h1, #content h1"); got != "Select book to change" {
		t.Errorf("change list title %q", got)
	}
	if n := list.Find("#result_list tbody tr").Length(); n != 1 {
		t.Fatalf("search found %d rows, want 1:\n%s", n, list.Body)
	}
	if got := list.Text("#result_list tbody tr th a"); got != "Concurrency in Staffrooms" {
		t.Errorf("row link text %q", got)
	}
	if !strings.Contains(list.Text("#changelist-search .small"), "1 result (31 total)") {
		t.Errorf("result count: %q", list.Text("#changelist-search .small"))
	}

	// Edit the price.
	change = c.Get(changeURL)
	if v, _ := change.Find("#id_price").Attr("value"); v != "29.90" {
		t.Errorf("price field shows %q", v)
	}
	r = c.Submit(change, "#book_form", url.Values{"price": {"19.90"}}, "_save")
	expectRedirect(t, r, "/admin/bookstore/book/")
	book, _ = orm.Get[bookstore.Book](context.Background(), orm.For[bookstore.Book](app.DB), orm.Q{"pk": book.ID})
	if !book.Price.Equal(decimal.RequireFromString("19.90")) {
		t.Errorf("price after edit: %s", book.Price)
	}

	// Two fields at once: the message lists them in the form's order.
	change = c.Get(changeURL)
	r = c.Submit(change, "#book_form", url.Values{"pubdate": {"2001-02-03"}, "publisher": {itoa(pub.ID - 1)}}, "_continue")
	expect(t, c.Follow(r), 200)

	// History: the addition and the changes.
	history := c.Get("/admin/bookstore/book/" + itoa(book.ID) + "/history/")
	expect(t, history, 200)
	if got := history.Text("#change-history tbody td:last-child"); got != "Added. Changed Price. Changed Publisher and Pubdate." {
		t.Errorf("history actions %q", got)
	}
	entries := logEntries(t, app)
	last := entries[len(entries)-1]
	if last.ActionFlag != admin.Change || last.ChangeMessage != `[{"changed": {"fields": ["Publisher", "Pubdate"]}}]` || *last.ObjectID != itoa(book.ID) {
		t.Errorf("change log entry %+v", last)
	}

	// Delete after the confirmation page.
	confirm := c.Get("/admin/bookstore/book/" + itoa(book.ID) + "/delete/")
	expect(t, confirm, 200)
	if !strings.Contains(confirm.Text("#content"), "Are you sure you want to delete the book “Concurrency in Staffrooms”?") {
		t.Errorf("confirmation text: %s", confirm.Text("#content"))
	}
	if got := confirm.Text("#content ul li"); !strings.Contains(got, "Books: 1") || !strings.Contains(got, "Book-author relationships: 1") {
		t.Errorf("summary: %q", got)
	}
	r = c.Submit(confirm, "#content form", nil, "")
	expectRedirect(t, r, "/admin/bookstore/book/")
	if got := c.Follow(r).Text(".messagelist"); got != "The book “Concurrency in Staffrooms” was deleted successfully." {
		t.Errorf("delete message %q", got)
	}
	if count[bookstore.Book](t, app, orm.Q{"pk": book.ID}) != 0 {
		t.Error("the book was not deleted")
	}
	entries = logEntries(t, app)
	if last := entries[len(entries)-1]; last.ActionFlag != admin.Deletion || last.ObjectRepr != "Concurrency in Staffrooms" {
		t.Errorf("deletion log entry %+v", last)
	}

	// Log out (POST only), then the admin asks for a login again.
	index = c.Get("/admin/")
	out := c.Submit(index, "#logout-form", nil, "")
	expect(t, out, 200)
	if !strings.Contains(out.Body, "Thanks for spending some quality time with the web site today.") {
		t.Errorf("logged-out page:\n%s", out.Body)
	}
	expectRedirect(t, c.Get("/admin/bookstore/book/"), "/admin/login/?next=/admin/bookstore/book/")
}

func itoa(n int64) string { return strings.TrimSpace(decimal.NewFromInt(n).String()) }

func mustRequest(t *testing.T, method, target string, values url.Values) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(values.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}
