package project_test

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/polls"
	"github.com/staffroom/staffroom/examples/bookstore/reviews"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/internal/pagecheck"
	"github.com/staffroom/staffroom/orm"
)

// The example in a real headless Chromium; see internal/browser for when
// these tests run.
var chrome browser.Shared

func TestMain(m *testing.M) {
	code := pagecheck.Run(m) // every change list written in Go is compared with its template's
	chrome.Close()
	os.Exit(code)
}

// TestBrowserAccessibility visits every page kind of the example, in the
// light theme and in the dark theme the operating system asks for, and on
// a 360-pixel phone, and fails on any serious or critical axe-core
// violation of WCAG 2.2 A/AA, on any JavaScript error in the console and
// on any request to another server than the example's. The dark theme
// chosen with the header's toggle, the same colours under another
// selector, is checked on a few pages.
//
// Each page kind is saved as a full-page screenshot in each of the three,
// <page-kind>-<light|dark|phone>.png in browser.ScreenshotDir, for a
// reviewer to look at.
func TestBrowserAccessibility(t *testing.T) {
	_, base, ids := servedExample(t)
	shots := &screenshots{dir: browser.ScreenshotDir(t), since: time.Now()}

	skipped := false
	for _, theme := range []struct {
		name   string
		scheme string // the operating system's preference
		phone  bool   // a phone's viewport
		toggle bool   // choose dark with the theme toggle
	}{
		{"light", "light", false, false},
		{"dark", "dark", false, false},
		{"phone", "light", true, false},
		{"toggled-dark", "light", false, true},
	} {
		t.Run(theme.name, func(t *testing.T) {
			defer func() { skipped = skipped || t.Skipped() }() // without axe-core, say
			p := chrome.Page(t)
			p.PrefersColorScheme(theme.scheme)
			if theme.phone {
				p.Viewport(browser.PhoneWidth, browser.PhoneHeight, true)
			}
			a := &audit{t: t, p: p, base: base, theme: theme.name, dark: theme.scheme == "dark"}
			if !theme.toggle {
				a.shots = shots
			}
			a.visit("login", "/admin/login/?next=/admin/")
			p.Login(base, "/admin/login/", "admin", password)
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
	if skipped {
		t.Skip("a walk was skipped, so the screenshots are not all there")
	}
	shots.verify(t)
}

// screenshots are the files the audits save.
type screenshots struct {
	dir   string
	since time.Time // when the test began: older files are a past run's
	mu    sync.Mutex
	saved []string
	spent time.Duration // taking and writing them
}

// take saves the page as the page kind's screenshot in the theme.
func (s *screenshots) take(p *browser.Page, kind, theme string) {
	start := time.Now()
	path := filepath.Join(s.dir, browser.Slug(kind)+"-"+theme+".png")
	p.Screenshot(path)
	s.mu.Lock()
	s.saved = append(s.saved, path)
	s.spent += time.Since(start)
	s.mu.Unlock()
}

// verify fails the test unless each theme saved the same page kinds, each
// one a PNG written by this run, as wide as the page and not blank.
func (s *screenshots) verify(t *testing.T) {
	t.Helper()
	if t.Failed() {
		return // a walk that stopped early saved fewer
	}
	kinds := map[string][]string{} // theme → page kinds
	for _, path := range s.saved {
		name := strings.TrimSuffix(filepath.Base(path), ".png")
		i := strings.LastIndex(name, "-")
		kind, theme := name[:i], name[i+1:]
		kinds[theme] = append(kinds[theme], kind)
		fi, err := os.Stat(path)
		if err != nil {
			t.Errorf("screenshot %s: %v", path, err)
			continue
		}
		if fi.ModTime().Before(s.since.Add(-time.Second)) {
			t.Errorf("screenshot %s is older than this run", path)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		width := 1280 // the browser window's
		if theme == "phone" {
			width = browser.PhoneWidth
		}
		switch {
		case err != nil:
			t.Errorf("screenshot %s is not a PNG: %v", path, err)
		case img.Bounds().Dx() != width || img.Bounds().Dy() < 300:
			t.Errorf("screenshot %s is %v, want %d wide (no sideways scrolling) and a page high", path, img.Bounds().Size(), width)
		case colours(img) < 4:
			t.Errorf("screenshot %s is blank: %d colours", path, colours(img))
		}
	}
	for _, theme := range []string{"dark", "phone"} {
		if !slices.Equal(kinds[theme], kinds["light"]) {
			t.Errorf("screenshots in %s: %v, want the light theme's %v", theme, kinds[theme], kinds["light"])
		}
	}
	if len(kinds["light"]) < 25 {
		t.Errorf("%d page kinds in screenshots, want every one", len(kinds["light"]))
	}
	t.Logf("%d screenshots in %s, taken in %v", len(s.saved), s.dir, s.spent.Round(time.Millisecond))
}

// a11yIDs are the keys of objects the audited pages show.
type a11yIDs struct {
	book, question, review int64
}

// servedExample is the example with every app's demo data, served on
// 127.0.0.1 for a browser: the app, its URL, and the objects whose pages
// the walks visit.
func servedExample(t *testing.T) (*staffroom.App, string, a11yIDs) {
	t.Helper()
	app := newApp(t, "sqlite")
	ctx := context.Background()
	if err := polls.Seed(ctx, app.DB); err != nil {
		t.Fatal(err)
	}
	if err := reviews.Seed(ctx, app.DB); err != nil {
		t.Fatal(err)
	}
	return app, serveHTTP(t, app), a11yObjects(t, app)
}

// serveHTTP serves the app on 127.0.0.1 until the test ends and returns
// its URL.
func serveHTTP(t *testing.T, app *staffroom.App) string {
	t.Helper()
	srv := httptest.NewServer(app.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
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
	dark  bool         // whether the pages should be dark now
	shots *screenshots // where to save each page kind, or nil
	seen  int
}

// pages visits every page kind after login, in the order a person might.
func (a *audit) pages(ids a11yIDs) {
	book := fmt.Sprintf("/admin/bookstore/book/%d/", ids.book)
	a.visit("index", "/admin/")
	// The command palette, open on any page, with results.
	a.p.Press("k", browser.Ctrl)
	a.p.WaitVisible("#palette-input")
	a.p.Type("#palette-input", "the")
	a.p.WaitTrue(`document.querySelectorAll("#palette-list [role=option]").length > 1`)
	a.check("command palette")
	a.p.Press(kb.Escape)
	a.p.WaitNotVisible("#palette")
	a.visit("app index", "/admin/bookstore/")
	a.visit("change list with filters, date hierarchy and actions", "/admin/bookstore/book/")
	// The keyboard shortcuts' help, which "?" opens.
	a.p.Press("?", browser.Shift)
	a.p.WaitVisible("#shortcuts-help")
	a.check("keyboard shortcuts help")
	a.p.Press(kb.Escape)
	a.p.WaitNotVisible("#shortcuts-help")
	a.visit("search results", "/admin/bookstore/book/?q=the")
	a.visit("filtered change list", "/admin/reviews/review/?stars__exact=5")
	a.visit("editable change list", "/admin/reviews/review/")
	a.visit("add form with widgets", "/admin/bookstore/book/add/")
	a.visit("change form with widgets", book+"change/")
	// The widgets the scripts open: the two-box chooser's search, the
	// calendar and the autocomplete's list.
	a.p.Click("#id_authors_available_input")
	a.p.Type("#id_authors_available_input", "a")
	a.p.WaitTrue(`document.querySelectorAll("#id_authors_from option").length > 1`)
	a.check("two-box chooser searched")
	a.p.Click(".field-pubdate .date-icon")
	a.p.WaitVisible(".calendarbox")
	a.unclipped(".calendarbox")
	a.check("calendar open")
	a.p.Type(".calendar-day[tabindex='0']", kb.Escape)
	a.p.WaitTrue(`document.querySelector(".calendarbox") === null`)
	a.p.Click("#id_publisher_autocomplete")
	a.p.Type("#id_publisher_autocomplete", "a")
	a.p.WaitVisible("#id_publisher_autocomplete_listbox li.autocomplete-option")
	a.unclipped("#id_publisher_autocomplete_listbox")
	a.check("autocomplete open")
	// Typing made the form unsaved: leave it all the same.
	a.p.Dialogs(true)
	a.visit("change form with an inline", fmt.Sprintf("/admin/polls/question/%d/change/", ids.question))
	// The clock of its date-time's time input, in a collapsed fieldset.
	a.p.Click("details:has(.field-pub_date) > summary")
	a.p.Click(".field-pub_date .clock-icon")
	a.p.WaitVisible(".clockbox")
	a.unclipped(".clockbox")
	a.check("clock open")
	a.p.Click(".clockbox .calendar-cancel-button")
	a.p.WaitTrue(`document.querySelector(".clockbox") === null`)
	a.visit("change form with radio buttons", fmt.Sprintf("/admin/reviews/review/%d/change/", ids.review))
	a.visit("change form with raw id fields", "/admin/bookstore/store/add/")
	a.visit("history", book+"history/")
	a.visit("delete confirmation", book+"delete/")
	a.visit("password change", "/admin/password_change/")
	a.visit("password change done", "/admin/password_change/done/")
	a.visit("two-factor authentication", "/admin/two_factor/")
	a.visit("two-factor setup", "/admin/two_factor/setup/")
	a.expect("form", "the two-factor setup")
	a.visit("popup add form", "/admin/bookstore/publisher/add/?_popup=1")
	a.expect(`input[name="_popup"]`, "a popup")
	a.visit("popup change list", "/admin/bookstore/author/?_popup=1")
	a.visit("not found", "/admin/no-such-page/")
	a.expect("body.status-404", "the 404 page")
	// Sessions are never added, even by a superuser.
	a.visit("permission denied", "/admin/sessions/session/add/")
	a.expect("body.status-403", "the 403 page")

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
	if a.seen < 30 {
		a.t.Errorf("only %d pages audited", a.seen)
	}
}

// colours counts the colours of a grid of the image's pixels: a page
// shows many, a blank image one.
func colours(img image.Image) int {
	seen := map[color.Color]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 8 {
		for x := b.Min.X; x < b.Max.X; x += 8 {
			seen[img.At(x, y)] = true
		}
	}
	return len(seen)
}

// expect fails the test unless an element matches the selector: the
// page is the one meant.
func (a *audit) expect(selector, what string) {
	a.t.Helper()
	if !browser.Eval[bool](a.p, fmt.Sprintf("document.querySelector(%q) !== null", selector)) {
		a.t.Errorf("%s is not %s: no %s", a.p.URL(), what, selector)
	}
}

// clipper is a JavaScript function: the first element around the one
// matching its selector that clips it (cuts off part of it, as overflow:
// hidden does), as "tag.class", or "" when none does.
const clipper = `((selector) => {
  const box = document.querySelector(selector);
  const r = box.getBoundingClientRect();
  for (let a = box.parentElement; a && a !== document.body; a = a.parentElement) {
    const s = getComputedStyle(a);
    if (s.overflowX === "visible" && s.overflowY === "visible") continue;
    const c = a.getBoundingClientRect();
    if (r.top < c.top - 1 || r.bottom > c.bottom + 1 || r.left < c.left - 1 || r.right > c.right + 1 || a.scrollTop > 0) {
      return a.tagName.toLowerCase() + "." + a.className.replaceAll(" ", ".");
    }
  }
  return "";
})`

// unclipped fails the test when what a widget opened, the element
// matching the selector, is cut off by an element around it.
func (a *audit) unclipped(selector string) {
	a.t.Helper()
	if by := browser.Eval[string](a.p, fmt.Sprintf("%s(%q)", clipper, selector)); by != "" {
		a.t.Errorf("%s (%s): %s is clipped by %s", a.p.URL(), a.theme, selector, by)
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
	a.p.CheckSameOrigin(where, a.base)
	if a.shots != nil {
		a.shots.take(a.p, name, a.theme)
	}
}
