package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom/internal/browser"
)

// The navigation sidebar's toggle and model filter (nav_sidebar.js).

// visibleModels lists the sidebar's model names a person can see.
func visibleModels(p *browser.Page) string {
	return browser.Eval[string](p, `Array.from(document.querySelectorAll("#nav-sidebar tbody th")).filter((th) => th.checkVisibility()).map((th) => th.textContent.trim()).join(",")`)
}

func TestBrowserNavSidebarToggle(t *testing.T) {
	f := newShop(t, "sqlite", registerShop(volumeAdmin()))
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	page := base + "/admin/shop/volume/"
	p.Open(page)
	p.WaitVisible("#nav-sidebar")
	p.WaitVisible("#toggle-nav-sidebar")
	if v, _ := p.Attr("#toggle-nav-sidebar", "aria-controls"); v != "nav-sidebar" {
		t.Errorf("aria-controls %q", v)
	}
	if v, _ := p.Attr("#toggle-nav-sidebar", "aria-expanded"); v != "true" {
		t.Errorf("aria-expanded %q on a first visit, want true", v)
	}

	// From the keyboard: Tab from the breadcrumbs' last link reaches the
	// toggle, and Enter folds the sidebar away.
	browser.Eval[bool](p, `(document.querySelector(".breadcrumbs a:last-of-type").focus(), true)`)
	p.Press(kb.Tab)
	if got := p.Focused(); got != "toggle-nav-sidebar" {
		t.Fatalf("Tab after the breadcrumbs reached %q, want the toggle", got)
	}
	p.Press(kb.Enter)
	p.WaitNotVisible("#nav-sidebar")
	if v, _ := p.Attr("#toggle-nav-sidebar", "aria-expanded"); v != "false" {
		t.Errorf("aria-expanded %q after folding, want false", v)
	}
	if w := browser.Eval[float64](p, `document.getElementById("content-start").getBoundingClientRect().left`); w > 40 {
		t.Errorf("the content starts %vpx from the left with the sidebar folded", w)
	}

	// Remembered: the next page starts folded, on another model too.
	p.Open(page)
	p.WaitVisible("#toggle-nav-sidebar")
	p.WaitTrue(`document.getElementById("toggle-nav-sidebar").getAttribute("aria-expanded") === "false"`)
	p.WaitNotVisible("#nav-sidebar")
	p.Open(base + "/admin/shop/publisher/")
	p.WaitVisible("#toggle-nav-sidebar")
	p.WaitNotVisible("#nav-sidebar")

	// Space opens it again, and that is remembered as well.
	browser.Eval[bool](p, `(document.getElementById("toggle-nav-sidebar").focus(), true)`)
	p.Press(" ")
	p.WaitVisible("#nav-sidebar")
	p.Open(page)
	p.WaitVisible("#nav-sidebar")
	if v, _ := p.Attr("#toggle-nav-sidebar", "aria-expanded"); v != "true" {
		t.Errorf("aria-expanded %q after reopening and reloading, want true", v)
	}
}

func TestBrowserNavSidebarFilter(t *testing.T) {
	f := newShop(t, "sqlite", registerShop(volumeAdmin()))
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/publisher/")
	p.WaitVisible("#nav-filter")
	all := visibleModels(p)
	if !strings.Contains(all, "Volumes") || !strings.Contains(all, "Notes") {
		t.Fatalf("the sidebar lists %q", all)
	}
	if v, _ := p.Attr("#nav-filter", "placeholder"); v != "Start typing to filter…" {
		t.Errorf("placeholder %q", v)
	}

	// Typing keeps only the models whose name holds the text, and the
	// apps that still have one.
	p.Type("#nav-filter", "VOL")
	p.WaitTrue(`!document.querySelector("#nav-sidebar .app-notes").checkVisibility()`)
	if got := visibleModels(p); got != "Volumes" {
		t.Errorf("after typing VOL the sidebar shows %q, want Volumes", got)
	}

	// Escape empties the box and brings every model back.
	p.Press(kb.Escape)
	p.WaitTrue(`document.getElementById("nav-filter").value === ""`)
	if got := visibleModels(p); got != all {
		t.Errorf("after Escape the sidebar shows %q, want %q", got, all)
	}

	// Nothing matching says so.
	p.Type("#nav-filter", "zzz")
	p.WaitTrue(`document.querySelector(".nav-filter-status").textContent === "No models match."`)
	if got := visibleModels(p); got != "" {
		t.Errorf("after typing zzz the sidebar shows %q", got)
	}
	p.Press(kb.Escape)

	// Enter opens the one model left.
	p.Type("#nav-filter", "volu")
	p.WaitTrue(`document.querySelectorAll("#nav-sidebar tbody tr:not([hidden])").length === 1`)
	p.Press(kb.Enter)
	p.WaitURL(base + "/admin/shop/volume/")
}
