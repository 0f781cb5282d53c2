package project_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

// A 360-px phone, the narrowest the admin is laid out for.
const (
	phoneWidth  = 360
	phoneHeight = 740
)

// TestBrowserPhone visits every page kind of the example on a 360-px
// phone, in the light and the dark theme: the page itself never scrolls
// sideways (a wide change list scrolls inside its own box), the controls
// a person needs on each page are shown and inside the screen's width,
// and axe-core finds no serious or critical violation.
func TestBrowserPhone(t *testing.T) {
	_, base, ids := servedExample(t)
	book := fmt.Sprintf("/admin/bookstore/book/%d/", ids.book)

	for _, scheme := range []string{"light", "dark"} {
		t.Run(scheme, func(t *testing.T) {
			p := chrome.Page(t)
			p.Viewport(phoneWidth, phoneHeight, true)
			p.PrefersColorScheme(scheme)
			ph := &phone{audit: audit{t: t, p: p, base: base, theme: scheme + ", 360 px", dark: scheme == "dark"}}

			ph.page("login", "/admin/login/?next=/admin/", "#login-form input[name=username]", "#login-form [type=submit]")
			p.Login(base, "/admin/login/", "admin", password)
			ph.page("index", "/admin/", "#user-tools", "button.theme-toggle", "#logout-form button", ".module a.addlink")
			ph.page("app index", "/admin/bookstore/", "#user-tools", ".breadcrumbs", ".module a.changelink")
			ph.page("change list with filters and actions", "/admin/bookstore/book/",
				"#toggle-nav-sidebar", ".object-tools a.addlink", "#searchbar", "#changelist-search [type=submit]",
				`.actions select[name="action"]`, `.actions button[name="index"]`, ".results", "#changelist-filter-toggle", "p.paginator")
			ph.changeList()
			ph.page("search results", "/admin/bookstore/book/?q=the", "#searchbar", ".results")
			ph.page("editable change list", "/admin/reviews/review/", ".results", `p.paginator input[name="_save"]`, "#changelist-filter-toggle")
			ph.page("add form", "/admin/bookstore/book/add/", `.submit-row input[name="_save"]`, `.submit-row input[name="_addanother"]`, "#id_name")
			ph.page("change form with widgets", book+"change/",
				`.submit-row input[name="_save"]`, ".submit-row a.deletelink", ".object-tools a", "#id_name", ".field-pubdate .date-icon")
			ph.oneColumn()
			// Saved from the phone, so that the history has a row.
			p.ClickLoad(`.submit-row input[name="_continue"]`)
			p.WaitVisible("ul.messagelist")
			ph.fits("change form after saving", "ul.messagelist li")
			ph.page("change form with an inline", fmt.Sprintf("/admin/polls/question/%d/change/", ids.question),
				`.submit-row input[name="_save"]`, ".inline-group")
			ph.page("history", book+"history/", "#change-history tbody th")
			ph.page("delete confirmation", book+"delete/", `form input[type="submit"]`, "form a.cancel-link")
			ph.page("password change", "/admin/password_change/", "#id_old_password", `input[type="submit"]`)
			ph.page("popup change list", "/admin/bookstore/author/?_popup=1", ".results", "#searchbar")
		})
	}
}

// phone checks pages at a phone's width.
type phone struct{ audit }

// page opens the page at path, checks that nothing makes it wider than
// the screen, that each selector's element is visible and inside the
// screen's width, and runs the audit's checks (axe-core, the console).
func (ph *phone) page(name, path string, controls ...string) {
	ph.t.Helper()
	ph.open(path)
	ph.fits(name, controls...)
	ph.check(name)
}

// fits checks the page as it is now: no sideways scrolling, and the
// controls shown within the screen's width.
func (ph *phone) fits(name string, controls ...string) {
	ph.t.Helper()
	where := fmt.Sprintf("%s (%s, %s)", name, ph.theme, ph.p.URL())
	if w := browser.Eval[int](ph.p, "window.innerWidth"); w != phoneWidth {
		ph.t.Fatalf("%s: window.innerWidth %d, want %d", where, w, phoneWidth)
	}
	if wide := browser.Eval[string](ph.p, overflowing); wide != "" {
		ph.t.Errorf("%s: the page scrolls sideways; too wide: %s", where, wide)
	}
	list, _ := json.Marshal(controls)
	for _, problem := range browser.Eval[[]string](ph.p, fmt.Sprintf(unreachable, list)) {
		ph.t.Errorf("%s: %s", where, problem)
	}
}

// overflowing is a JavaScript expression: "" when the document is no
// wider than the window, else the widest elements that stick out
// (outside any box that scrolls), to tell what to fix.
const overflowing = `(() => {
  if (document.documentElement.scrollWidth <= window.innerWidth) return "";
  const scrolls = (e) => { for (let a = e.parentElement; a; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === "auto" || o === "scroll" || o === "hidden") return true; } return false; };
  const out = Array.from(document.body.querySelectorAll("*"))
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !scrolls(e))
    .map((e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "") + (e.className && typeof e.className === "string" ? "." + e.className.trim().split(/\s+/).join(".") : "") + " right=" + Math.round(e.getBoundingClientRect().right));
  return "scrollWidth " + document.documentElement.scrollWidth + ": " + (out.slice(0, 8).join(", ") || "?");
})()`

// unreachable is a JavaScript expression over a JSON list of selectors:
// what is wrong with each one's first element — missing, hidden, or
// sticking out of the screen's width.
const unreachable = `((selectors) => selectors.flatMap((s) => {
  const e = document.querySelector(s);
  if (!e) return [s + ": missing"];
  if (!e.checkVisibility({visibilityProperty: true, opacityProperty: true})) return [s + ": not visible"];
  const r = e.getBoundingClientRect();
  if (r.width === 0 || r.height === 0) return [s + ": no size"];
  if (r.left < -0.5 || r.right > window.innerWidth + 0.5) return [s + ": outside the screen, left " + Math.round(r.left) + " right " + Math.round(r.right)];
  return [];
}))(%s)`

// changeList checks, on the change list just opened, that the filters
// start folded and open from their button, that the nav sidebar opens
// from its toggle, and that the table scrolls in its own box.
func (ph *phone) changeList() {
	ph.t.Helper()
	p := ph.p
	where := "change list (" + ph.theme + ")"
	if v, _ := p.Attr("#changelist-filter-toggle", "aria-expanded"); v != "false" {
		ph.t.Errorf("%s: the filter toggle's aria-expanded is %q, want false: filters folded on a phone", where, v)
	}
	if browser.Eval[bool](p, `document.querySelector("#changelist-filter details").checkVisibility()`) {
		ph.t.Errorf("%s: the filters show before their button is pressed", where)
	}
	p.Click("#changelist-filter-toggle")
	p.WaitVisible("#changelist-filter details summary")
	ph.fits("change list, filters open", "#changelist-filter details summary", "#changelist-filter li a")

	if browser.Eval[bool](p, `document.getElementById("nav-sidebar").checkVisibility()`) {
		ph.t.Errorf("%s: the nav sidebar shows before its toggle is pressed", where)
	}
	p.Click("#toggle-nav-sidebar")
	p.WaitVisible("#nav-sidebar")
	ph.fits("change list, nav sidebar open", "#nav-filter", "#nav-sidebar .current-model a")
	ph.check("change list, filters and nav sidebar open")

	// The result table is wider than the phone and scrolls inside .results.
	if !browser.Eval[bool](p, `(() => { const r = document.querySelector(".results"); return r.scrollWidth > r.clientWidth && getComputedStyle(r).overflowX === "auto"; })()`) {
		ph.t.Errorf("%s: the result table does not scroll inside its box", where)
	}

	// A window made wide shows the filters and the sidebar beside the
	// results, without their buttons' folding; made narrow again, both
	// start folded.
	p.Viewport(1100, 800, false)
	p.WaitNotVisible("#changelist-filter-toggle")
	p.WaitVisible("#changelist-filter details summary")
	p.WaitVisible("#nav-sidebar")
	if !browser.Eval[bool](p, `(() => { const f = document.getElementById("changelist-filter").getBoundingClientRect(), r = document.querySelector(".changelist-form-container").getBoundingClientRect(); return f.left >= r.right && f.top < r.bottom; })()`) {
		ph.t.Errorf("%s: on a wide window the filters are not beside the results", where)
	}
	p.Viewport(phoneWidth, phoneHeight, true)
	p.WaitVisible("#changelist-filter-toggle")
	p.WaitNotVisible("#changelist-filter details summary")
	p.WaitNotVisible("#nav-sidebar")
}

// oneColumn checks, on the change form just opened, that the labels sit
// above their inputs.
func (ph *phone) oneColumn() {
	ph.t.Helper()
	got := browser.Eval[string](ph.p, `(() => {
  const label = document.querySelector(".field-name label"), input = document.getElementById("id_name");
  const l = label.getBoundingClientRect(), i = input.getBoundingClientRect();
  return l.bottom <= i.top + 1 && i.width > window.innerWidth / 2 ? "" : "label " + JSON.stringify(l) + " input " + JSON.stringify(i);
})()`)
	if got != "" {
		ph.t.Errorf("change form (%s): the name's label is not above a wide input: %s", ph.theme, strings.TrimSpace(got))
	}
}
