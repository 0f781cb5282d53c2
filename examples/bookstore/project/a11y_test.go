package project_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/polls"
	"github.com/staffroom/staffroom/examples/bookstore/reviews"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// The example in a real headless Chromium; see internal/browser for when
// these tests run.
var chrome browser.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	chrome.Close()
	os.Exit(code)
}

// TestBrowserAccessibility visits every page kind of the example, in the
// light theme and in the dark theme the operating system asks for, and
// fails on any serious or critical axe-core violation of WCAG 2.2 A/AA
// and on any JavaScript error in the console. The dark theme chosen with
// the header's toggle, the same colours under another selector, is
// checked on a few pages.
func TestBrowserAccessibility(t *testing.T) {
	app := newApp(t, "sqlite")
	ctx := context.Background()
	if err := polls.Seed(ctx, app.DB); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Seed(ctx, app.DB); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(app.Handler)
	t.Cleanup(srv.Close)
	ids := a11yObjects(t, app)

	for _, theme := range []struct {
		name   string
		scheme string // the operating system's preference
		toggle bool   // choose dark with the theme toggle
	}{
		{"light", "light", false},
		{"dark", "dark", false},
		{"toggled-dark", "light", true},
	} {
		t.Run(theme.name, func(t *testing.T) {
			p := chrome.Page(t)
			p.PrefersColorScheme(theme.scheme)
			a := &audit{t: t, p: p, base: srv.URL, theme: theme.name, dark: theme.scheme == "dark"}
			a.visit("login", "/admin/login/?next=/admin/")
			p.Login(srv.URL, "/admin/login/", "admin", password)
			if !theme.toggle {
				a.pages(ids)
				return
			}
			// auto → light → dark, remembered for the next pages.
			p.Click("button.theme-toggle")
			p.Click("button.theme-toggle")
			p.WaitTrue(`document.documentElement.dataset.theme === "dark"`)
			a.dark = true
			a.visit("index", "/admin/")
			a.visit("change list", "/admin/bookstore/book/?q=the")
			a.visit("change form with an inline", fmt.Sprintf("/admin/polls/question/%d/change/", ids.question))
			a.visit("popup change list", "/admin/bookstore/author/?_popup=1")
		})
	}
}

// a11yIDs are the keys of objects the audited pages show.
type a11yIDs struct {
	book, question, review int64
}

func a11yObjects(t *testing.T, app *staffroom.App) a11yIDs {
	t.Helper()
	ctx := context.Background()
	book, err := orm.For[bookstore.Book](app.DB).OrderBy("id").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	question, err := orm.For[polls.Question](app.DB).OrderBy("id").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	review, err := orm.For[reviews.Review](app.DB).OrderBy("id").First(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return a11yIDs{book.(*bookstore.Book).ID, question.(*polls.Question).ID, review.(*reviews.Review).ID}
}

// audit checks the pages of one browser tab.
type audit struct {
	t     *testing.T
	p     *browser.Page
	base  string
	theme string
	dark  bool // whether the pages should be dark now
	seen  int
}

// pages visits every page kind after login, in the order a person might.
func (a *audit) pages(ids a11yIDs) {
	book := fmt.Sprintf("/admin/bookstore/book/%d/", ids.book)
	a.visit("index", "/admin/")
	a.visit("app index", "/admin/bookstore/")
	a.visit("change list with filters, date hierarchy and actions", "/admin/bookstore/book/")
	a.visit("search results", "/admin/bookstore/book/?q=the")
	a.visit("filtered change list", "/admin/reviews/review/?stars__exact=5")
	a.visit("editable change list", "/admin/reviews/review/")
	a.visit("add form with widgets", "/admin/bookstore/book/add/")
	a.visit("change form with widgets", book+"change/")
	// The widgets the scripts open: the calendar and the autocomplete's list.
	a.p.Click(".field-pubdate .date-icon")
	a.p.WaitVisible(".calendarbox")
	a.check("calendar open")
	a.p.Type(".calendar-day[tabindex='0']", kb.Escape)
	a.p.WaitTrue(`document.querySelector(".calendarbox") === null`)
	a.p.Click("#id_publisher_autocomplete")
	a.p.Type("#id_publisher_autocomplete", "a")
	a.p.WaitVisible("#id_publisher_autocomplete_listbox li.autocomplete-option")
	a.check("autocomplete open")
	// Typing made the form unsaved: leave it all the same.
	a.p.Dialogs(true)
	a.visit("change form with an inline", fmt.Sprintf("/admin/polls/question/%d/change/", ids.question))
	a.visit("change form with radio buttons", fmt.Sprintf("/admin/reviews/review/%d/change/", ids.review))
	a.visit("change form with raw id fields", "/admin/bookstore/store/add/")
	a.visit("history", book+"history/")
	a.visit("delete confirmation", book+"delete/")
	a.visit("password change", "/admin/password_change/")
	a.visit("popup add form", "/admin/bookstore/publisher/add/?_popup=1")
	a.expect(`input[name="_popup"]`, "a popup")
	a.visit("popup change list", "/admin/bookstore/author/?_popup=1")
	a.visit("not found", "/admin/no-such-page/")
	a.expect("body.status-404", "the 404 page")

	// A form sent empty: its errors.
	a.open("/admin/bookstore/book/add/")
	a.p.ClickLoad(`input[name="_save"]`)
	a.p.WaitVisible(".errornote")
	a.check("add form with errors")

	// Delete-selected confirmation, reached as a person does.
	a.open("/admin/bookstore/book/")
	a.p.Click("#result_list tbody tr:first-child input.action-select")
	a.p.Select(`select[name="action"]`, "delete_selected")
	a.p.ClickLoad(`#changelist-form button[name="index"]`)
	a.p.WaitVisible(".delete-selected-confirmation")
	a.check("delete selected confirmation")

	// A view-only form: sessions are viewed, never changed.
	a.open("/admin/sessions/session/")
	a.p.Follow("#result_list tbody tr:first-child th a")
	a.check("view-only form")
	if browser.Eval[int](a.p, `document.querySelectorAll("#content-main input:not([type=hidden]), #content-main select, #content-main textarea").length`) != 0 {
		a.t.Errorf("the session's page %s has inputs: not the view-only form", a.p.URL())
	}

	// Last, the page after logging out.
	a.p.ClickLoad("#logout-form button")
	a.check("logged out")
	if a.seen < 20 {
		a.t.Errorf("only %d pages audited", a.seen)
	}
}

// expect fails the test unless an element matches the selector: the
// page is the one meant.
func (a *audit) expect(selector, what string) {
	a.t.Helper()
	if !browser.Eval[bool](a.p, fmt.Sprintf("document.querySelector(%q) !== null", selector)) {
		a.t.Errorf("%s is not %s: no %s", a.p.URL(), what, selector)
	}
}

// visit opens the page at path and checks it.
func (a *audit) visit(name, path string) {
	a.t.Helper()
	a.open(path)
	a.check(name)
}

func (a *audit) open(path string) {
	a.t.Helper()
	a.p.Open(a.base + path)
	a.p.WaitVisible("body")
}

// darkPage is a JavaScript expression: whether the page's background is
// dark, its luminance under one half.
const darkPage = `(() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/[\d.]+/g).map(Number);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b < 128;
})()`

// check runs axe-core on the page as it is and reads its console.
func (a *audit) check(name string) {
	a.t.Helper()
	a.seen++
	where := fmt.Sprintf("%s (%s, %s)", name, a.theme, a.p.URL())
	if dark := browser.Eval[bool](a.p, darkPage); dark != a.dark {
		a.t.Errorf("%s: dark background %v, want %v", where, dark, a.dark)
	}
	a.p.CheckAccessibility(where)
	a.p.CheckJSErrors(where)
}
