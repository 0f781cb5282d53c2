// Package browser drives a real headless Chromium from Go tests, for what
// only a browser shows: JavaScript behaviour, what is visible, what a
// click does. It uses chromedp, which talks the DevTools protocol to the
// browser over a pipe.
//
// A test package starts one browser, lazily, and closes it in TestMain:
//
//	var chrome browser.Shared
//
//	func TestMain(m *testing.M) {
//		code := m.Run()
//		chrome.Close()
//		os.Exit(code)
//	}
//
// and each test gets a fresh page, in its own browser context (its own
// cookies and storage), from chrome.Page(t). The pages must only visit
// servers on this machine, such as an httptest.NewServer on 127.0.0.1.
//
// The browser is $STAFFROOM_BROWSER, else chromium, chromium-browser or
// google-chrome on the PATH. A test that cannot start one is skipped with
// the reason, unless $STAFFROOM_REQUIRE_BROWSER is set (as CI sets it):
// then it fails.
//
// Each page records the JavaScript errors of its console (JSErrors,
// CheckJSErrors), and can be checked for accessibility with axe-core
// (Axe, CheckAccessibility), read from the file $STAFFROOM_AXE names.
// It records every address the page asks the network for (Requests,
// CheckSameOrigin), so a test can tell a page loads nothing from another
// server. Screenshot saves the whole page as a PNG, into ScreenshotDir
// for those a reviewer should see, and Viewport and PrefersColorScheme
// show the page as a phone or a dark system theme would.
package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The environment variables the package reads.
const (
	EnvBrowser = "STAFFROOM_BROWSER"         // the browser's executable
	EnvRequire = "STAFFROOM_REQUIRE_BROWSER" // non-empty: fail, not skip, without a browser or axe-core
	EnvAxe     = "STAFFROOM_AXE"             // axe-core's axe.min.js, for Page.Axe
	// EnvScreenshots is the folder of the screenshots tests keep as
	// artifacts; see ScreenshotDir.
	EnvScreenshots = "STAFFROOM_SCREENSHOTS"
)

// Timeout bounds each step of a page (a navigation, a wait, a click), so
// a missing element fails the test quickly with the step named.
const Timeout = 10 * time.Second

// Shared is one browser for a test package, started by the first Page
// and stopped by Close. Its zero value is ready to use.
type Shared struct {
	once   sync.Once
	ctx    context.Context // the browser's, parent of every page
	cancel context.CancelFunc
	err    error
}

// Page returns a fresh page for t, in a browser context of its own,
// closed when t ends. Without a browser it skips t, or fails it when
// $STAFFROOM_REQUIRE_BROWSER is set. When t ends, the JavaScript errors
// its pages showed and it did not take with JSErrors fail it; when t
// fails, a screenshot of the page is saved and its path logged.
func (s *Shared) Page(t testing.TB) *Page {
	t.Helper()
	s.once.Do(s.start)
	if s.err != nil {
		if os.Getenv(EnvRequire) != "" {
			t.Fatalf("browser: %v (%s is set, so a browser is required)", s.err, EnvRequire)
		}
		t.Skipf("browser: %v; install Debian's chromium or set %s to run the browser tests", s.err, EnvBrowser)
	}
	ctx, cancel := chromedp.NewContext(s.ctx, chromedp.WithNewBrowserContext())
	p := &Page{t: t, ctx: ctx, console: new(console), reqs: new(requests)}
	t.Cleanup(func() {
		// No page may show a JavaScript error: those a test has not
		// taken with JSErrors fail it.
		for _, e := range p.console.take() {
			t.Errorf("browser: JavaScript error in the console: %s", e)
		}
		if t.Failed() {
			p.screenshot()
		}
		cancel()
	})
	// Open the tab now, so a test's first step is not charged for it.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("browser: open a page: %v", err)
	}
	if err := p.console.listen(ctx); err != nil {
		t.Fatalf("browser: listen to the page's console: %v", err)
	}
	if err := p.reqs.listen(ctx); err != nil {
		t.Fatalf("browser: listen to the page's requests: %v", err)
	}
	return p
}

// Close stops the browser, if one was started.
func (s *Shared) Close() {
	if s.cancel != nil {
		s.cancel()
	}
}

// start launches the browser and waits until it answers.
func (s *Shared) start() {
	path, err := execPath()
	if err != nil {
		s.err = err
		return
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-domain-reliability", true),
		// Back loads the page again, with the form state the browser
		// keeps, rather than showing it from the back-forward cache,
		// whose restores chromedp does not see as a page load.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,BackForwardCache"), // chromedp's defaults and this
		// Only this machine: any host name but 127.0.0.1 fails to resolve.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
		chromedp.WindowSize(1280, 900),
	)
	if os.Geteuid() == 0 {
		// Chromium's sandbox refuses to run as root (CI and containers).
		opts = append(opts, chromedp.NoSandbox)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	s.ctx, s.cancel = ctx, func() { cancelCtx(); cancelAlloc() }
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		err = errors.New("no answer in 30s")
	}
	if err != nil {
		s.cancel()
		s.err = fmt.Errorf("cannot start %s: %w", path, err)
	}
}

// execPath finds the browser to run.
func execPath() (string, error) {
	if p := os.Getenv(EnvBrowser); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvBrowser, p, err)
		}
		return p, nil
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	return "", errors.New("no Chromium found on the PATH")
}

// Page is one browser tab of a test. Each method runs one step, waiting
// for what it needs at most Timeout, and fails the test when the step
// fails.
type Page struct {
	t       testing.TB
	ctx     context.Context
	console *console // its JavaScript errors
	reqs    *requests
	axe     string // axe-core's source, once read
	media   media  // what Media and PrefersColorScheme emulate
}

// do runs the steps with a timeout, failing the test with what on error.
func (p *Page) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("browser: %s: %v", what, err)
	}
}

// run runs one step that returns a value: a read, repeated when the
// page navigated under it (a link just clicked loads the next page while
// the read looks at this one).
func run[T any](p *Page, what string, a chromedp.Action[T]) T {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	for {
		v, err := chromedp.Run(ctx, a)
		if err == nil {
			return v
		}
		if !navigated(err) || ctx.Err() != nil {
			p.t.Fatalf("browser: %s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// wait runs a step that only waits, repeated as run repeats reads.
func (p *Page) wait(what string, step chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	for {
		err := chromedp.Do(ctx, step)
		if err == nil {
			return
		}
		if !navigated(err) || ctx.Err() != nil {
			p.t.Fatalf("browser: %s: %v", what, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// navigated reports whether err is the browser telling that the page
// changed while a command ran — harmless for a read or a wait, which is
// then asked again of the new page. A node found in the page before and
// gone when read ("No node with given id found") is the same: the next
// page replaced the document between the two.
func navigated(err error) bool {
	return strings.Contains(err.Error(), "Inspected target navigated or closed") ||
		strings.Contains(err.Error(), "Cannot find context with specified id") ||
		strings.Contains(err.Error(), "No node with given id found")
}

// Open loads the page at address and waits for its document.
func (p *Page) Open(address string) {
	p.t.Helper()
	p.do("open "+address, chromedp.Navigate(address))
}

// Back goes back one page in the tab's history, as the browser's Back
// button does, and waits for the page.
func (p *Page) Back() {
	p.t.Helper()
	p.do("go back", chromedp.NavigateBack())
}

// Login signs in through the admin's login form at baseURL + path
// ("/admin/login/"), as a person does, and waits for the page after it.
func (p *Page) Login(baseURL, path, username, password string) {
	p.t.Helper()
	p.Open(baseURL + path)
	p.do("log in as "+username,
		chromedp.SendKeys(chromedp.CSS("#login-form input[name=username]"), username),
		chromedp.SendKeys(chromedp.CSS("#login-form input[name=password]"), password),
		chromedp.Click(chromedp.CSS(`#login-form [type=submit]`)),
		chromedp.WaitNotPresent(chromedp.CSS("#login-form")),
	)
}

// Click clicks the first element matching the CSS selector with the
// mouse, once it is visible. It does not wait for a page the click may
// load: follow it with WaitURL or WaitVisible.
func (p *Page) Click(selector string) {
	p.t.Helper()
	p.do("click "+selector, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible))
}

// DoubleClick double-clicks the first element matching the CSS selector
// with the mouse, once it is visible.
func (p *Page) DoubleClick(selector string) {
	p.t.Helper()
	p.do("double-click "+selector, chromedp.DoubleClick(chromedp.CSS(selector), chromedp.NodeVisible))
}

// ClickLoad clicks the first element matching the CSS selector, as
// Click does, and waits for the page the click loads: a form's submit
// button, or a link to the page already shown, which WaitURL cannot
// tell from the page before.
func (p *Page) ClickLoad(selector string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector), chromedp.NodeVisible)); err != nil {
		p.t.Fatalf("browser: click %s and wait for its page: %v", selector, err)
	}
}

// ShiftClick clicks the first element matching the CSS selector with
// the Shift key held, as a person extends a selection.
func (p *Page) ShiftClick(selector string) {
	p.t.Helper()
	click := func(ctx context.Context, t *chromedp.Target, nodes []*chromedp.Node) (chromedp.Void, error) {
		if len(nodes) == 0 {
			return chromedp.Void{}, fmt.Errorf("no element matches %s", selector)
		}
		return chromedp.MouseClickNode(nodes[0], chromedp.ButtonModifiers(chromedp.ModifierShift))(ctx, t)
	}
	p.do("shift-click "+selector, chromedp.QueryAfter(chromedp.CSS(selector), click, chromedp.NodeVisible))
}

// Select chooses the option whose value is value in the <select>
// matching the CSS selector, and sends the change event a person's
// choice sends. It fails the test when no option has that value.
func (p *Page) Select(selector, value string) {
	p.t.Helper()
	p.do("choose "+value+" in "+selector, chromedp.SetValue(chromedp.CSS(selector), value, chromedp.NodeVisible))
	if got := run(p, "read "+selector, chromedp.Value(chromedp.CSS(selector))); got != value {
		p.t.Fatalf("browser: %s has no option %q", selector, value)
	}
	quoted, _ := json.Marshal(selector) // a JavaScript string literal
	run(p, "send change to "+selector, chromedp.Evaluate[bool](
		"document.querySelector("+string(quoted)+").dispatchEvent(new Event('change', {bubbles: true}))"))
}

// Type types text into the element matching the CSS selector, key by
// key, after what it holds.
func (p *Page) Type(selector, text string) {
	p.t.Helper()
	p.do("type into "+selector, chromedp.SendKeys(chromedp.CSS(selector), text, chromedp.NodeVisible))
}

// ClickLink clicks, with the mouse, the link whose text (spaces folded)
// is text, and waits for the page it loads.
func (p *Page) ClickLink(text string) {
	p.t.Helper()
	follow(p, strconv.Quote(text), chromedp.Search("//a[normalize-space()="+xpathString(text)+"]"))
}

// Follow clicks, with the mouse, the link matching the CSS selector
// (one without text, such as an icon) and waits for the page it loads.
func (p *Page) Follow(selector string) {
	p.t.Helper()
	follow(p, selector, chromedp.CSS(selector))
}

// follow clicks the link and waits for the address of its href.
func follow[S chromedp.Selectable](p *Page, what string, link S) {
	p.t.Helper()
	href := run(p, "find the link "+what, chromedp.AttributeValue(link, "href", chromedp.NodeVisible))
	base, err := url.Parse(p.URL())
	if err != nil || !href.Exists {
		p.t.Fatalf("browser: the link %s has no href (on %s)", what, base)
	}
	target, err := base.Parse(href.Value)
	if err != nil {
		p.t.Fatalf("browser: the link %s: %v", what, err)
	}
	p.do("click the link "+what, chromedp.Click(link, chromedp.NodeVisible))
	p.WaitURL(target.String())
}

// xpathString quotes s as an XPath string literal.
func xpathString(s string) string {
	if !strings.Contains(s, "'") {
		return "'" + s + "'"
	}
	if !strings.Contains(s, `"`) {
		return `"` + s + `"`
	}
	return "concat('" + strings.ReplaceAll(s, "'", `', "'", '`) + "')"
}

// WaitURL waits until the page's address is want and its body is
// there.
func (p *Page) WaitURL(want string) {
	p.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		got := run(p, "read the address", chromedp.Location())
		if got == want {
			p.wait("wait for "+want, chromedp.WaitReady(chromedp.CSS("body")))
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("browser: address %s, want %s", got, want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// URL is the page's address.
func (p *Page) URL() string {
	p.t.Helper()
	return run(p, "read the address", chromedp.Location())
}

// Text is the rendered text of the first element matching the selector
// (only what is visible, as innerText).
func (p *Page) Text(selector string) string {
	p.t.Helper()
	return run(p, "text of "+selector, chromedp.Text(chromedp.CSS(selector), chromedp.NodeReady))
}

// Attr is the attribute name of the first element matching the
// selector; ok reports whether the element has it.
func (p *Page) Attr(selector, name string) (value string, ok bool) {
	p.t.Helper()
	r := run(p, "attribute "+name+" of "+selector, chromedp.AttributeValue(chromedp.CSS(selector), name, chromedp.NodeReady))
	return r.Value, r.Exists
}

// WaitVisible waits until an element matching the selector is visible.
func (p *Page) WaitVisible(selector string) {
	p.t.Helper()
	p.wait("wait until "+selector+" is visible", chromedp.WaitVisible(chromedp.CSS(selector)))
}

// WaitNotVisible waits until the element matching the selector is
// hidden (or gone).
func (p *Page) WaitNotVisible(selector string) {
	p.t.Helper()
	p.wait("wait until "+selector+" is hidden", chromedp.WaitNotVisible(chromedp.CSS(selector)))
}

// Eval evaluates a JavaScript expression in the page and returns its
// value, decoded into T.
func Eval[T any](p *Page, expression string) T {
	p.t.Helper()
	return run(p, "evaluate "+expression, chromedp.Evaluate[T](expression))
}

// WaitTrue waits until a JavaScript expression is true in the page,
// for what a script does after an event the test cannot wait on.
func (p *Page) WaitTrue(expression string) {
	p.t.Helper()
	deadline := time.Now().Add(Timeout)
	for !Eval[bool](p, expression) {
		if time.Now().After(deadline) {
			p.t.Fatalf("browser: wait until %s: still false after %v", expression, Timeout)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]+`)

// screenshot saves the whole page as a PNG in a folder that outlives the
// test (t.TempDir is removed with it) and logs where.
func (p *Page) screenshot() {
	ctx, cancel := context.WithTimeout(p.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("browser: no screenshot: %v", err)
		return
	}
	dir, err := os.MkdirTemp("", "staffroom-browser-")
	if err == nil {
		path := filepath.Join(dir, unsafeName.ReplaceAllString(p.t.Name(), "_")+".png")
		if err = os.WriteFile(path, png, 0o644); err == nil {
			p.t.Logf("browser: screenshot of the page at failure: %s", path)
			return
		}
	}
	p.t.Logf("browser: screenshot not saved: %v", err)
}
