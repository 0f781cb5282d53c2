package project_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/reviews"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// TestExampleChangeLists walks the example's change lists as a user of
// Django's admin would: the book list's filters and date drill-down, its
// actions (a CSV export, deleting with confirmation), the authors' filter
// by age, the reviews edited in the list, and a popup.
func TestExampleChangeLists(t *testing.T) { eachDialect(t, exampleChangeLists) }

func exampleChangeLists(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	if err := reviews.Seed(ctx, app.DB); err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")

	list := c.Get("/admin/bookstore/book/")
	expect(t, list, 200)
	if got := list.Text("#changelist-filter details summary"); got != "By publisher By pubdate" {
		t.Errorf("filters %q", got)
	}
	total := count[bookstore.Book](t, app, orm.Q{})

	// A publisher from the sidebar: every row is theirs.
	choice := list.Find(`#changelist-filter details[data-filter-title="publisher"] li a`).Eq(1)
	href, _ := choice.Attr("href")
	pubID := strings.TrimPrefix(href, "?publisher__id__exact=")
	byPub := c.Get("/admin/bookstore/book/" + href)
	expect(t, byPub, 200)
	want := count[bookstore.Book](t, app, orm.Q{"publisher": pubID})
	if got := byPub.Find("#result_list tbody tr").Length(); int64(got) != want {
		t.Errorf("publisher %s: %d rows, want %d", pubID, got, want)
	}

	// The date drill-down: a year's link shows that year's books.
	yearLink := list.Find("#date-hierarchy li a").First()
	yearHref, _ := yearLink.Attr("href")
	year, _ := strconv.Atoi(strings.TrimSpace(yearLink.Text()))
	inYear := c.Get("/admin/bookstore/book/" + yearHref)
	expect(t, inYear, 200)
	n, err := orm.For[bookstore.Book](app.DB).Filter(orm.Q{"pubdate__year": year}).Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := inYear.Find("#result_list tbody tr").Length(); int64(got) != n || n == 0 {
		t.Errorf("year %d: %d rows, want %d", year, got, n)
	}
	if inYear.Find("#date-hierarchy .date-back a").Length() != 1 {
		t.Error("no way back from a year")
	}

	// An action answering with its own response: a CSV of the selection.
	var ids []string
	list.Find("#result_list input.action-select").Slice(0, 2).Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		ids = append(ids, v)
	})
	csv := c.Submit(list, "#changelist-form", url.Values{"action": {"export_csv"}, "_selected_action": ids}, "index")
	expect(t, csv, 200)
	if ct := csv.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Errorf("export content type %q", ct)
	}
	if lines := strings.Split(strings.TrimSpace(csv.Body), "\n"); len(lines) != 3 || !strings.HasPrefix(lines[0], "id,name,publisher") {
		t.Errorf("export:\n%s", csv.Body)
	}

	// Nothing selected, or no action chosen: a warning and nothing done.
	r := c.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}}, "index")
	if got := c.Follow(r).Text(".messagelist li.warning"); !strings.HasPrefix(got, "Items must be selected in order to perform actions on them.") {
		t.Errorf("no selection: %q", got)
	}

	// Deleting with confirmation, logged.
	confirm := c.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": ids[:1]}, "index")
	expect(t, confirm, 200)
	if got := confirm.Text("#content h1"); got != "Are you sure?" && got != "Delete multiple objects" {
		t.Errorf("confirmation title %q", got)
	}
	r = c.Submit(confirm, "#content form", nil, "")
	expectRedirect(t, r, "/admin/bookstore/book/")
	if got := c.Follow(r).Text(".messagelist li.success"); got != "Successfully deleted 1 book." {
		t.Errorf("deletion message %q", got)
	}
	if count[bookstore.Book](t, app, orm.Q{}) != total-1 || count[bookstore.Book](t, app, orm.Q{"pk": ids[0]}) != 0 {
		t.Error("the selected book was not deleted")
	}
	if last := logEntries(t, app); len(last) == 0 || last[len(last)-1].ActionFlag != admin.Deletion {
		t.Error("no deletion in the log")
	}

	// The authors' ages, every distinct value a choice.
	authors := c.Get("/admin/bookstore/author/")
	if authors.Find(`#changelist-filter details[data-filter-title="age"] li`).Length() < 3 {
		t.Errorf("age choices: %q", authors.Text("#changelist-filter"))
	}

	// Reviews edited in the list: the rating of one row saved, logged.
	revs := c.Get("/admin/reviews/review/")
	expect(t, revs, 200)
	_, values := revs.FormValues("#changelist-form")
	values.Set("form-0-stars", "5")
	values.Set("_save", "Save")
	rowID := values.Get("form-0-id")
	before, err := orm.Get[reviews.Review](ctx, orm.For[reviews.Review](app.DB), orm.Q{"pk": rowID})
	if err != nil {
		t.Fatal(err)
	}
	r = c.Post("/admin/reviews/review/", values)
	expect(t, r, 302)
	after, err := orm.Get[reviews.Review](ctx, orm.For[reviews.Review](app.DB), orm.Q{"pk": rowID})
	if err != nil || after.Stars != 5 {
		t.Fatalf("stars after the save: %v %v", after, err)
	}
	wantMsg := "1 review was changed successfully."
	if before.Stars == 5 {
		wantMsg = ""
	}
	if got := c.Follow(r).Text(".messagelist li.success"); got != wantMsg {
		t.Errorf("list_editable message %q, want %q", got, wantMsg)
	}

	// A popup: no actions, rows carry what they return.
	popup := c.Get("/admin/bookstore/publisher/?_popup=1")
	expect(t, popup, 200)
	if popup.Find(".actions").Length() != 0 || popup.Find("a[data-popup-opener]").Length() == 0 {
		t.Error("the popup list shows actions, or its links return nothing")
	}
	expect(t, c.Get("/admin/bookstore/publisher/?_popup=1&_to_field=name"), 400)
}
