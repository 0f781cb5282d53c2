package project_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

// TestBrowserPrint prints a change list and a change form, with the
// operating system in the dark theme: the header's tools, the nav
// sidebar, the filters, the action bar, the submit row and the object
// tools are left out; the results and the form's values are printed,
// dark on white, the table at the page's full width and its links
// without underlines.
func TestBrowserPrint(t *testing.T) {
	_, base, ids := servedExample(t)

	p := chrome.Page(t)
	p.PrefersColorScheme("dark")
	p.Login(base, "/admin/login/", "admin", password)

	p.Open(base + "/admin/bookstore/book/")
	p.WaitVisible("#nav-sidebar")
	screenOnly := []string{"#user-tools", ".palette-toggle", ".theme-toggle", "#toggle-nav-sidebar", "#nav-sidebar",
		"#changelist-filter", ".actions", ".object-tools", "#toolbar", ".breadcrumbs"}
	// On screen they all show; printed, none does.
	printed(t, p, "change list on screen", screenOnly, nil)
	p.Media("print")
	printed(t, p, "change list printed", []string{"#site-name", "#result_list", "#result_list tbody th a", "#result_list thead th.column-name"}, screenOnly)
	if w := browser.Eval[float64](p, `document.getElementById("result_list").getBoundingClientRect().width / window.innerWidth`); w < 0.9 {
		t.Errorf("the printed table is %.0f%% of the page's width, want it full", w*100)
	}
	if d := browser.Eval[string](p, `getComputedStyle(document.querySelector("#result_list tbody th a")).textDecorationLine`); d != "none" {
		t.Errorf("a printed result link is decorated %q", d)
	}
	lightOnPaper(t, p, "change list")

	p.Media("")
	p.Open(base + fmt.Sprintf("/admin/bookstore/book/%d/change/", ids.book))
	p.WaitVisible(".submit-row")
	formOnly := []string{".submit-row", ".object-tools", "#nav-sidebar", "#user-tools", ".datetimeshortcuts"}
	printed(t, p, "change form on screen", formOnly, nil)
	name := browser.Eval[string](p, `document.getElementById("id_name").value`)
	p.Media("print")
	printed(t, p, "change form printed", []string{".field-name label", "#id_name", "#id_pubdate", "#id_authors_to"}, formOnly)
	if got := browser.Eval[string](p, `document.getElementById("id_name").value`); got != name || name == "" {
		t.Errorf("the printed name reads %q, want %q", got, name)
	}
	lightOnPaper(t, p, "change form")
}

// printed fails t unless each selector of shown matches an element
// that is displayed and each of hidden one that exists but is not.
func printed(t *testing.T, p *browser.Page, where string, shown, hidden []string) {
	t.Helper()
	s, _ := json.Marshal(shown)
	h, _ := json.Marshal(hidden)
	problems := browser.Eval[[]string](p, fmt.Sprintf(`((shown, hidden) => [
  ...(shown || []).map((s) => { const e = document.querySelector(s); return !e ? s + ": missing" : e.checkVisibility() ? "" : s + ": not displayed"; }),
  ...(hidden || []).map((s) => { const e = document.querySelector(s); return !e ? s + ": missing" : e.checkVisibility() ? s + ": displayed" : ""; }),
].filter(Boolean))(%s, %s)`, s, h))
	for _, problem := range problems {
		t.Errorf("%s: %s", where, problem)
	}
}

// lightOnPaper fails t unless the printed page is white with dark text.
func lightOnPaper(t *testing.T, p *browser.Page, where string) {
	t.Helper()
	if browser.Eval[bool](p, darkPage) {
		t.Errorf("%s: printed on a dark background", where)
	}
	if got := browser.Eval[string](p, `getComputedStyle(document.body).color`); got != "rgb(0, 0, 0)" {
		t.Errorf("%s: printed text colour %s, want black", where, got)
	}
}
