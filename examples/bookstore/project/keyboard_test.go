package project_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// The example used from the keyboard alone, in Chromium: no click, only
// Tab, Shift-Tab, Enter, Space, the arrows and typing. Every element the
// focus passes shows a focus ring.

// maxTabs bounds the Tab presses looking for one element, past every
// link of the header, the sidebar and a page of change-list rows.
const maxTabs = 400

// tabTo presses Tab (Shift-Tab when back) until the element matching
// selector has the focus, checking that each element on the way shows
// a focus ring.
func tabTo(t *testing.T, p *browser.Page, selector string, back bool) {
	t.Helper()
	var mods []kb.Modifier
	if back {
		mods = append(mods, browser.Shift)
	}
	for range maxTabs {
		p.Press(kb.Tab, mods...)
		p.CheckFocusRing(fmt.Sprintf("tabbing to %s on %s", selector, p.URL()))
		if browser.Eval[bool](p, fmt.Sprintf(`document.activeElement.matches(%q)`, selector)) {
			return
		}
	}
	t.Fatalf("%d presses of Tab never reached %s on %s", maxTabs, selector, p.URL())
}

// focusedIs fails the test unless the element with the focus matches
// selector.
func focusedIs(t *testing.T, p *browser.Page, selector, step string) {
	t.Helper()
	if !browser.Eval[bool](p, fmt.Sprintf(`document.activeElement.matches(%q)`, selector)) {
		t.Fatalf("%s: the focus is on %q, want %s", step, p.Focused(), selector)
	}
	p.CheckFocusRing(step)
}

// keyboardLogin signs in from the login page by keyboard. The page
// opens with the focus in the username (autofocus, as Django's); the
// skip link comes first in the Tab order, before the site's name, then
// the username, the password, the password-reset link and the button.
func keyboardLogin(t *testing.T, p *browser.Page, base string) {
	t.Helper()
	p.Open(base + "/admin/login/?next=/admin/")
	p.WaitVisible("#login-form")
	// Chromium applies autofocus a task after the form shows.
	p.WaitTrue(`document.activeElement !== null && document.activeElement.id === "id_username"`)
	focusedIs(t, p, "#id_username", "login page loaded")
	p.Press(kb.Tab, browser.Shift)
	focusedIs(t, p, "#site-name a", "login, Shift-Tab from the username")
	p.Press(kb.Tab, browser.Shift)
	focusedIs(t, p, "a.skip-to-content-link", "login, Shift-Tab again")
	if browser.Eval[bool](p, `(() => { const all = Array.from(document.querySelectorAll("a[href], input:not([type=hidden]), button, select, textarea")); return all[0] !== document.activeElement; })()`) {
		t.Error("the skip link is not the page's first focusable element")
	}
	for _, step := range []struct{ selector, typed string }{
		{"#site-name a", ""},
		{"#id_username", "admin"},
		{"#id_password", password},
		{".password-reset-link a", ""},
		{`#login-form input[type="submit"]`, ""},
	} {
		p.Press(kb.Tab)
		focusedIs(t, p, step.selector, "login")
		if step.typed != "" {
			p.Press(step.typed)
		}
	}
	p.Press(kb.Enter)
	p.WaitTrue(`location.pathname === "/admin/"`)
}

func TestKeyboardLogin(t *testing.T) {
	app := newApp(t, "sqlite")
	base := serveHTTP(t, app)
	p := chrome.Page(t)
	keyboardLogin(t, p, base)
	if got := p.Text("#content h1"); got != "Site administration" {
		t.Errorf("after logging in with Enter the page reads %q", got)
	}
	// The skip link leads past the header into the main content.
	p.Open(base + "/admin/bookstore/book/")
	p.Press(kb.Tab)
	focusedIs(t, p, "a.skip-to-content-link", "skip link")
	p.Press(kb.Enter)
	p.WaitTrue(`document.activeElement.id === "content-start"`)
	p.Press(kb.Tab)
	if browser.Eval[bool](p, `document.activeElement.closest("header, nav.breadcrumbs, #nav-sidebar") !== null`) {
		t.Errorf("Tab after the skip link went back to %q in the navigation", p.Focused())
	}
	p.CheckFocusRing("after the skip link")
	p.CheckJSErrors("keyboard login")
}

// TestKeyboardChangeList selects a row with Space, chooses the delete
// action with the arrows and confirms with Enter; sorts by a column and
// follows a filter with Enter.
func TestKeyboardChangeList(t *testing.T) {
	app := newApp(t, "sqlite")
	base := serveHTTP(t, app)
	p := chrome.Page(t)
	keyboardLogin(t, p, base)
	p.Open(base + "/admin/bookstore/book/")
	before := bookCount(t, app)

	tabTo(t, p, "#result_list tbody tr:first-child input.action-select", false)
	name := browser.Eval[string](p, `document.activeElement.closest("tr").querySelector("th").textContent.trim()`)
	p.Press(" ")
	if !browser.Eval[bool](p, `document.activeElement.checked`) {
		t.Fatal("Space did not tick the row's box")
	}
	p.WaitTrue(`document.querySelector(".action-counter").textContent.startsWith("1 of")`)
	tabTo(t, p, `select[name="action"]`, true)
	for range 5 {
		if browser.Eval[string](p, `document.activeElement.value`) == "delete_selected" {
			break
		}
		p.Press(kb.ArrowDown)
	}
	if got := browser.Eval[string](p, `document.activeElement.value`); got != "delete_selected" {
		t.Fatalf("the arrows chose the action %q", got)
	}
	tabTo(t, p, `button[name="index"]`, false)
	p.Press(kb.Enter)
	p.WaitVisible(".delete-selected-confirmation")
	tabTo(t, p, `.delete-selected-confirmation input[type="submit"]`, false)
	p.Press(kb.Enter)
	p.WaitVisible(".messagelist .success")
	if got := bookCount(t, app); got != before-1 {
		t.Errorf("after deleting %q by keyboard there are %d books, want %d", name, got, before-1)
	}

	// Sort by a column: its header's link, with Enter.
	tabTo(t, p, "#result_list thead th.sortable .text a", false)
	col := browser.Eval[string](p, `document.activeElement.textContent.trim()`)
	p.Press(kb.Enter)
	// The address changes before the sorted page replaces the old one:
	// wait for the new page's sorted header, then compare.
	p.WaitTrue(`new URLSearchParams(location.search).has("o") && document.querySelector("#result_list thead th.sorted .text a") !== null`)
	if got := browser.Eval[string](p, `document.querySelector("#result_list thead th.sorted .text a").textContent.trim()`); got != col {
		t.Errorf("Enter on %q sorted by %q", col, got)
	}
	// Follow a filter.
	tabTo(t, p, `#changelist-filter details[data-filter-title="publisher"] li:nth-child(2) a`, false)
	p.Press(kb.Enter)
	p.WaitTrue(`location.search.includes("publisher__id__exact") && document.readyState === "complete"`)
	if n := browser.Eval[int](p, `document.querySelectorAll('#changelist-filter details[data-filter-title="publisher"] li.selected:not(:first-child)').length`); n == 0 {
		t.Error("the filter followed by Enter is not marked selected")
	}
	p.CheckJSErrors("keyboard change list")
}

// bookCount is the number of books in the database.
func bookCount(t *testing.T, app *staffroom.App) int64 {
	t.Helper()
	n, err := orm.For[bookstore.Book](app.DB).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestKeyboardQuestionInline adds a question by keyboard: its text typed
// where the add form puts the focus, the folded "Date information"
// opened with Enter, the date chosen in the calendar with the arrows and
// the time in the clock, a choice typed in the inline, another row added
// with "Add another", a blank row removed, and the form saved with Enter.
func TestKeyboardQuestionInline(t *testing.T) {
	app := newApp(t, "sqlite")
	base := serveHTTP(t, app)
	p := chrome.Page(t)
	keyboardLogin(t, p, base)
	p.Open(base + "/admin/polls/question/add/")
	p.WaitTrue(`document.activeElement.id === "id_question_text"`)
	p.Press("Keyboard only?")

	tabTo(t, p, "fieldset.collapse summary", false)
	p.Press(kb.Enter)
	p.WaitTrue(`document.querySelector("fieldset.collapse details").open`)
	tabTo(t, p, ".field-pub_date .date-icon", false)
	p.Press(kb.Enter)
	p.WaitVisible(".calendarbox")
	focusedIs(t, p, ".calendarbox .calendar-day", "calendar opened")
	want := browser.Eval[string](p, `document.activeElement.closest("td").nextElementSibling ? "" : "edge"`)
	p.Press(kb.ArrowRight)
	focusedIs(t, p, ".calendarbox .calendar-day", "calendar, a day later")
	p.Press(kb.Enter)
	p.WaitTrue(`document.querySelector(".calendarbox") === null`)
	date := browser.Eval[string](p, `document.getElementById("id_pub_date_0").value`)
	if date == "" {
		t.Fatalf("the calendar chose no date (%s)", want)
	}
	focusedIs(t, p, "#id_pub_date_0", "calendar closed")
	tabTo(t, p, ".field-pub_date .clock-icon", false)
	p.Press(kb.Enter)
	p.WaitVisible(".clockbox")
	focusedIs(t, p, ".clockbox button", "clock opened")
	p.Press(kb.Enter)
	p.WaitTrue(`document.getElementById("id_pub_date_1").value !== ""`)

	tabTo(t, p, "#id_choice_set-0-choice_text", false)
	p.Press("Yes")
	tabTo(t, p, "#choice_set-group .add-row a", false)
	p.Press(kb.Enter)
	p.WaitTrue(`document.getElementById("id_choice_set-TOTAL_FORMS").value === "4"`)
	focusedIs(t, p, "#id_choice_set-3-choice_text", "Add another")
	p.Press("Maybe")
	tabTo(t, p, "#choice_set-1 a.inline-deletelink", true)
	p.Press(kb.Enter)
	p.WaitTrue(`document.getElementById("id_choice_set-TOTAL_FORMS").value === "3"`)
	focusedIs(t, p, "#choice_set-group .add-row a", "row removed")
	if got := browser.Eval[string](p, `document.getElementById("id_choice_set-2-choice_text").value`); got != "Maybe" {
		t.Errorf("after the removal the added row reads %q, want it renumbered 2 with Maybe", got)
	}

	tabTo(t, p, `#question_form input[name="_save"]`, false)
	p.Press(kb.Enter)
	p.WaitVisible(".messagelist .success")
	q := question(t, app, "Keyboard only?")
	if got := choiceTexts(t, app, q); strings.Join(got, "|") != "Yes|Maybe" {
		t.Errorf("saved choices %q, want Yes and Maybe", got)
	}
	if q.PubDate.IsZero() || q.Slug != "keyboard-only" {
		t.Errorf("saved question %+v: want a publication date and the slug typed from the text", q)
	}
	p.CheckJSErrors("keyboard question")
}

// TestKeyboardBookWidgets adds a book by keyboard through its widgets:
// the publisher's autocomplete (typing, ArrowDown, Enter), the authors'
// two-box chooser (an option picked with the arrows, moved with Enter,
// another with the Choose button), the publication date from the
// calendar, then Save with Enter.
func TestKeyboardBookWidgets(t *testing.T) {
	app := newApp(t, "sqlite")
	base := serveHTTP(t, app)
	p := chrome.Page(t)
	keyboardLogin(t, p, base)
	p.Open(base + "/admin/bookstore/book/add/")
	p.WaitTrue(`document.activeElement.id === "id_name"`)
	p.Press("Typed by keys")

	tabTo(t, p, "#id_publisher_autocomplete", false)
	p.Press("a")
	p.WaitVisible("#id_publisher_autocomplete_listbox li.autocomplete-option")
	p.Press(kb.ArrowDown)
	p.Press(kb.Enter)
	p.WaitTrue(`document.getElementById("id_publisher").value !== ""`)
	focusedIs(t, p, "#id_publisher_autocomplete", "publisher chosen")

	tabTo(t, p, "#id_authors_from", false)
	p.WaitTrue(`document.getElementById("id_authors_from").options.length > 2`)
	p.Press(kb.ArrowDown)
	first := browser.Eval[string](p, `document.activeElement.selectedOptions.length === 1 ? document.activeElement.selectedOptions[0].value : ""`)
	if first == "" {
		t.Fatal("ArrowDown selected no author in the Available box")
	}
	p.Press(kb.Enter)
	p.WaitTrue(`document.getElementById("id_authors_to").options.length === 1`)
	focusedIs(t, p, "#id_authors_from", "an author chosen with Enter")
	p.Press(kb.ArrowDown)
	second := browser.Eval[string](p, `document.activeElement.selectedOptions.length ? document.activeElement.selectedOptions[0].value : ""`)
	tabTo(t, p, "#id_authors_add", false)
	p.Press(kb.Enter)
	p.WaitTrue(`document.getElementById("id_authors_to").options.length === 2`)
	if got := browser.Eval[string](p, `Array.from(document.getElementById("id_authors").selectedOptions).map((o) => o.value).sort().join(",")`); got != sorted(first, second) {
		t.Errorf("the form's authors are %q, want %q", got, sorted(first, second))
	}

	for _, f := range []struct{ id, typed string }{{"#id_pages", "321"}, {"#id_price", "12.50"}, {"#id_rating", "4.5"}} {
		tabTo(t, p, f.id, false)
		p.Press(f.typed)
	}
	tabTo(t, p, ".field-pubdate .date-icon", false)
	p.Press(kb.Enter)
	p.WaitVisible(".calendarbox")
	p.Press(kb.ArrowLeft)
	p.Press(kb.Enter)
	p.WaitTrue(`document.querySelector(".calendarbox") === null && document.getElementById("id_pubdate").value !== ""`)

	tabTo(t, p, `#book_form input[name="_save"]`, false)
	p.Press(kb.Enter)
	p.WaitVisible(".messagelist .success")
	obj, err := orm.For[bookstore.Book](app.DB).Filter(orm.Q{"name": "Typed by keys"}).First(context.Background())
	if err != nil {
		t.Fatalf("the book typed by keyboard was not saved: %v", err)
	}
	b := obj.(*bookstore.Book)
	if b.Publisher.ID == 0 || b.Pages != 321 || b.Pubdate.IsZero() {
		t.Errorf("saved %+v", b)
	}
	authors := mustM2M(t, app, b, "authors")
	if len(authors) != 2 {
		t.Errorf("saved authors %v, want 2", authors)
	}
	p.CheckJSErrors("keyboard book")
}

// sorted joins two values in order with a comma.
func sorted(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + "," + b
}

// TestKeyboardRelatedPopup adds a publisher from the book form by
// keyboard: Enter on the "+" beside the publisher opens the popup with
// the focus in its first field; Enter there saves; the popup closes and
// the focus comes back to the publisher's combobox, which shows the new
// publisher.
func TestKeyboardRelatedPopup(t *testing.T) {
	app := newApp(t, "sqlite")
	base := serveHTTP(t, app)
	p := chrome.Page(t)
	keyboardLogin(t, p, base)
	p.Open(base + "/admin/bookstore/book/add/")
	p.WaitTrue(`document.activeElement.id === "id_name"`)
	tabTo(t, p, "#add_id_publisher", false)
	popup := p.Popup(func() { p.Press(kb.Enter) })
	popup.WaitTrue(`document.readyState === "complete" && document.activeElement && document.activeElement.id === "id_name"`)
	if got := browser.Eval[string](popup, `location.search`); !strings.Contains(got, "_popup=1") {
		t.Errorf("the popup opened %q, not a popup page", got)
	}
	popup.CheckFocusRing("the popup's first field")
	popup.Press("Pressed Keys Ltd")
	popup.Press(kb.Enter)

	p.WaitTrue(`document.getElementById("id_publisher").selectedOptions.length === 1 && document.getElementById("id_publisher").selectedOptions[0].text === "Pressed Keys Ltd"`)
	p.WaitTrue(`document.activeElement && document.activeElement.id === "id_publisher_autocomplete"`)
	p.CheckFocusRing("back from the popup")
	if got := browser.Eval[string](p, `document.getElementById("id_publisher_autocomplete").value`); got != "Pressed Keys Ltd" {
		t.Errorf("the combobox shows %q after the popup", got)
	}
	n, err := orm.For[bookstore.Publisher](app.DB).Filter(orm.Q{"name": "Pressed Keys Ltd"}).Count(context.Background())
	if err != nil || n != 1 {
		t.Errorf("publishers named by the popup: %d (%v), want 1", n, err)
	}
}
