package project_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

// outline is a JavaScript expression: the page's landmarks and its
// headings in document order, as a screen reader's lists of them show
// them ("h2 Filter"); headings the page does not show are left out.
const outline = `(() => {
  const count = (sel) => document.querySelectorAll(sel).length;
  const top = (sel) => Array.from(document.querySelectorAll(sel)).filter((e) => !e.parentElement.closest("main, article, aside, nav, section")).length;
  return {
    main: count("main, [role=main]"),
    banner: top("header"),
    contentinfo: top("footer"),
    navs: Array.from(document.querySelectorAll("nav")).map((n) => n.getAttribute("aria-label") || (n.getAttribute("aria-labelledby") && document.getElementById(n.getAttribute("aria-labelledby")).textContent) || ""),
    headings: Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6")).filter((h) => h.checkVisibility()).map((h) => h.tagName.toLowerCase() + " " + h.textContent.trim().replace(/\s+/g, " ")),
    h1InMain: Array.from(document.querySelectorAll("h1")).every((h) => h.closest("main") !== null),
  };
})()`

// pageOutline is what outline returns.
type pageOutline struct {
	Main, Banner, Contentinfo int
	Navs                      []string
	Headings                  []string
	H1InMain                  bool
}

// TestBrowserLandmarksAndHeadings walks the landmarks and headings of the
// main page kinds: one main, one banner header, one footer, the
// breadcrumbs and the sidebar as labelled navigation; one h1, in the
// main content and first of its headings, and no heading more than one
// level below the one before it.
func TestBrowserLandmarksAndHeadings(t *testing.T) {
	_, base, ids := servedExample(t)
	book := fmt.Sprintf("/admin/bookstore/book/%d/", ids.book)
	p := chrome.Page(t)
	// The login and logged-out pages, which have no navigation, too.
	p.Open(base + "/admin/login/")
	login := browser.Eval[pageOutline](p, outline)
	if login.Main != 1 || login.Banner != 1 || login.Contentinfo != 1 {
		t.Errorf("login: %+v, want one main, header and footer", login)
	}
	checkHeadings(t, "login", login, "Log in", nil)
	p.Login(base, "/admin/login/", "admin", password)
	for _, pg := range []struct {
		name, path string
		h1         string
		headings   []string // some headings the page must have, in order
	}{
		{"index", "/admin/", "Site administration", []string{"h2 Recent actions", "h3 My actions"}},
		{"app index", "/admin/bookstore/", "Bookstore administration", nil},
		{"change list", "/admin/bookstore/book/", "Select book to change", []string{"h2 Filter", "h3 By publisher"}},
		{"change form with an inline", fmt.Sprintf("/admin/polls/question/%d/change/", ids.question), "Change question",
			[]string{"h2 Date information", "h2 Choices"}},
		{"change form with widgets", book + "change/", "Change book", []string{"h2 Available authors", "h2 Chosen authors"}},
		{"delete confirmation", book + "delete/", "Are you sure?", []string{"h2 Summary", "h2 Objects"}},
		{"history", book + "history/", "Change history", nil},
		{"password change", "/admin/password_change/", "Password change", nil},
	} {
		p.Open(base + pg.path)
		p.WaitVisible("body")
		got := browser.Eval[pageOutline](p, outline)
		where := pg.name + " (" + pg.path + ")"
		if got.Main != 1 || got.Banner != 1 || got.Contentinfo != 1 {
			t.Errorf("%s: %d main, %d banner headers, %d footers; want one each", where, got.Main, got.Banner, got.Contentinfo)
		}
		// As Django's, the index and app index pages have no breadcrumbs
		// or sidebar: they list the models themselves.
		if pg.name != "index" && !contains(got.Navs, "Breadcrumbs") || !strings.Contains(pg.name, "index") && !contains(got.Navs, "Sidebar") {
			t.Errorf("%s: navigation landmarks %q, want the breadcrumbs and the sidebar among them", where, got.Navs)
		}
		checkHeadings(t, where, got, pg.h1, pg.headings)
	}
	p.ClickLoad("#logout-form button")
	p.WaitVisible("body")
	checkHeadings(t, "logged out", browser.Eval[pageOutline](p, outline), "Logged out", nil)
}

// checkHeadings asserts the heading outline of one page.
func checkHeadings(t *testing.T, where string, got pageOutline, h1 string, want []string) {
	t.Helper()
	if len(got.Headings) == 0 || !strings.HasPrefix(got.Headings[0], "h1 "+h1) {
		t.Errorf("%s: headings %q, want an h1 %q first", where, got.Headings, h1)
	}
	if !got.H1InMain {
		t.Errorf("%s: an h1 outside the main landmark", where)
	}
	level := 0
	h1s := 0
	for _, h := range got.Headings {
		n := int(h[1] - '0')
		if n == 1 {
			h1s++
		}
		if n > level+1 {
			t.Errorf("%s: %q follows an h%d: a level skipped (%q)", where, h, level, got.Headings)
		}
		level = n
	}
	if h1s != 1 {
		t.Errorf("%s: %d h1 headings, want 1 (%q)", where, h1s, got.Headings)
	}
	i := 0
	for _, h := range got.Headings {
		if i < len(want) && strings.HasPrefix(h, want[i]) {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("%s: headings %q lack %q in order", where, got.Headings, want[i:])
	}
}
