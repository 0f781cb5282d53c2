package project_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

const staffLoginError = "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive."

func TestLoginRefusals(t *testing.T) { eachDialect(t, loginRefusals) }

func loginRefusals(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	clerk, err := staffroom.CreateUser(ctx, app, "clerk", "", "clerk password", false)
	if err != nil {
		t.Fatal(err)
	}
	inactive, err := staffroom.CreateUser(ctx, app, "gone", "", "gone password", true)
	if err != nil {
		t.Fatal(err)
	}
	inactive.IsActive = false
	if err := app.DB.Update(ctx, inactive, "is_active"); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, user, pw string }{
		{"wrong password", "admin", "not the password"},
		{"unknown user", "nobody", password},
		{"not staff", clerk.Username, "clerk password"},
		{"inactive", inactive.Username, "gone password"},
		{"empty password", "admin", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := webtest.New(t, app.Handler)
			r := login(t, c, tc.user, tc.pw)
			expect(t, r, 200)
			if tc.pw == "" {
				if got := r.Text("#login-form .errorlist"); got != "This field is required." {
					t.Errorf("error %q", got)
				}
			} else if got := r.Text(".errornote"); got != staffLoginError {
				t.Errorf("error %q", got)
			}
			if v, _ := r.Find("#id_username").Attr("value"); v != tc.user {
				t.Errorf("typed username not kept: %q", v)
			}
			expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
		})
	}
}

func TestCSRFRefusal(t *testing.T) { eachDialect(t, cSRFRefusal) }

func cSRFRefusal(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	before := count[bookstore.Publisher](t, app, orm.Q{})
	add := c.Get("/admin/bookstore/publisher/add/")

	r := c.Submit(add, "#publisher_form", url.Values{"name": {"Forged"}, "csrfmiddlewaretoken": nil}, "_save")
	expect(t, r, 403)
	if !strings.Contains(r.Body, "CSRF verification failed. Request aborted.") || !strings.Contains(r.Body, "CSRF token missing.") {
		t.Errorf("403 page does not say why:\n%s", r.Body)
	}
	r = c.Submit(add, "#publisher_form", url.Values{"name": {"Forged"}, "csrfmiddlewaretoken": {strings.Repeat("a", 64)}}, "_save")
	expect(t, r, 403)

	// A page of another origin posting with a valid token is refused too.
	action, values := add.FormValues("#publisher_form")
	values.Set("name", "Forged")
	req := mustRequest(t, "POST", action, values)
	req.Header.Set("Origin", "https://evil.example")
	r = c.Do(req)
	expect(t, r, 403)
	if !strings.Contains(r.Body, "Origin checking failed") {
		t.Errorf("origin refusal:\n%s", r.Body)
	}
	if got := count[bookstore.Publisher](t, app, orm.Q{}); got != before {
		t.Errorf("publishers changed from %d to %d", before, got)
	}
}

func TestUnknownObjectAndURLs(t *testing.T) { eachDialect(t, unknownObjectAndURLs) }

func unknownObjectAndURLs(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)
	anon := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")

	for _, path := range []string{"/admin/bookstore/book/999999/change/", "/admin/bookstore/book/999999/delete/", "/admin/bookstore/book/999999/history/", "/admin/bookstore/book/not-a-number/change/"} {
		r := c.Get(path)
		expectRedirect(t, r, "/admin/")
		id := strings.Split(path, "/")[4]
		// The message is stored as Django words it and shown capitalised,
		// as Django's base template shows messages.
		want := "Book with ID “" + id + "” doesn’t exist. Perhaps it was deleted?"
		if got := c.Follow(r).Text(".messagelist li.warning"); got != want {
			t.Errorf("%s: warning %q, want %q", path, got, want)
		}
	}
	expectRedirect(t, c.Get("/admin/bookstore/book/1/"), "/admin/bookstore/book/1/change/")
	r := c.Get("/admin/bookstore/book")
	if r.StatusCode != 301 || r.Location() != "/admin/bookstore/book/" {
		t.Errorf("missing slash: %d %s", r.StatusCode, r.Location())
	}
	expect(t, c.Get("/admin/bookstore/nosuchmodel/"), 404)
	expect(t, c.Get("/admin/nosuchapp/"), 404)
	// Anonymous visitors cannot tell registered models from others.
	expectRedirect(t, anon.Get("/admin/nosuchapp/thing/"), "/admin/login/?next=/admin/nosuchapp/thing/")
	expectRedirect(t, anon.Get("/admin/bookstore/book/1/change/"), "/admin/login/?next=/admin/bookstore/book/1/change/")
	// A lookup across a relation that no filter declares is refused.
	expect(t, c.Get("/admin/bookstore/book/?publisher__name__startswith=A"), 400)
	expect(t, c.Get("/admin/bookstore/publisher/?book__name__startswith=A"), 400) // a reverse relation
	expect(t, c.Get("/admin/bookstore/author/?book__price__gt=10"), 400)          // a reverse many-to-many
	expect(t, c.Get("/admin/bookstore/publisher/?book__isnull=true"), 200)
	expect(t, c.Get("/admin/bookstore/book/?authors__id__exact=1"), 200)
	// A bad lookup or value sends the list back with ?e=1.
	expectRedirect(t, c.Get("/admin/bookstore/book/?pages__gt=many"), "/admin/bookstore/book/?e=1")
	expectRedirect(t, c.Get("/admin/bookstore/book/?nosuchfield=1"), "/admin/bookstore/book/?e=1")
	expect(t, c.Get("/admin/bookstore/book/?pages__gt=100"), 200)
}

func TestInvalidFormValueKeepsInput(t *testing.T) { eachDialect(t, invalidFormValueKeepsInput) }

func invalidFormValueKeepsInput(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	books := count[bookstore.Book](t, app, orm.Q{})
	add := c.Get("/admin/bookstore/book/add/")
	r := c.Submit(add, "#book_form", url.Values{"name": {"Half a book"}, "pages": {"many"}, "price": {"12.345"}, "pubdate": {"21/21/2026"}}, "_save")
	expect(t, r, 200)
	if got := r.Text("#id_pages_error"); got != "Enter a whole number." {
		t.Errorf("pages error %q", got)
	}
	if got := r.Text("#id_price_error"); got != "Ensure that there are no more than 2 decimal places." {
		t.Errorf("price error %q", got)
	}
	if got := r.Text(".field-publisher .errorlist"); got != "This field is required." {
		t.Errorf("publisher error %q", got)
	}
	if got := r.Text(".errornote"); got != "Please correct the errors below." {
		t.Errorf("error note %q", got)
	}
	if v, _ := r.Find("#id_name").Attr("value"); v != "Half a book" {
		t.Errorf("typed name not kept: %q", v)
	}
	if v, _ := r.Find("#id_pages").Attr("value"); v != "many" {
		t.Errorf("typed pages not kept: %q", v)
	}
	if got := count[bookstore.Book](t, app, orm.Q{}); got != books {
		t.Errorf("books changed from %d to %d", books, got)
	}
	if n := len(logEntries(t, app)); n != 0 {
		t.Errorf("%d log entries written for a failed form", n)
	}
}

func TestPermissions(t *testing.T) { eachDialect(t, permissions) }

func permissions(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	viewer, err := staffroom.CreateUser(ctx, app, "viewer", "", "viewer password", false)
	if err != nil {
		t.Fatal(err)
	}
	viewer.IsStaff = true
	if err := app.DB.Update(ctx, viewer, "is_staff"); err != nil {
		t.Fatal(err)
	}
	perm, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](app.DB), orm.Q{"codename": "view_book"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.DB.SetM2M(ctx, viewer, "user_permissions", []int64{perm.ID}); err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "viewer", "viewer password"), "/admin/")
	index := c.Get("/admin/")
	if index.Find(`a[href="/admin/bookstore/book/"]`).Length() == 0 || index.Find(`a[href="/admin/bookstore/publisher/"]`).Length() != 0 {
		t.Errorf("index shows the wrong models:\n%s", index.Text("#content-main"))
	}
	list := c.Get("/admin/bookstore/book/")
	expect(t, list, 200)
	if got := list.Text("#content h1"); got != "Select book to view" {
		t.Errorf("title %q", got)
	}
	expect(t, c.Get("/admin/bookstore/book/add/"), 403)
	expect(t, c.Get("/admin/bookstore/publisher/"), 403)
	id, _ := list.Find("#result_list tbody tr th a").First().Attr("href")
	view := c.Get(id)
	expect(t, view, 200)
	if got := view.Text("#content h1"); got != "View book" || view.Find("input[name=_save]").Length() != 0 {
		t.Errorf("view-only page: %q, save button %d", got, view.Find("input[name=_save]").Length())
	}
	r := c.Submit(view, "#book_form", url.Values{"name": {"Renamed"}}, "_save")
	expect(t, r, 403)
	expect(t, c.Get(strings.Replace(id, "/change/", "/delete/", 1)), 403)
}
