package browser_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

// serveHTML serves each path's HTML on 127.0.0.1; other paths are 404s.
func serveHTML(t *testing.T, pages map[string]string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte(body))
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestAxe(t *testing.T) {
	base := serveHTML(t, map[string]string{
		"/bad": `<!doctype html><html><title>bad</title>
<main><h1>Bad</h1>
<p id="pale" style="color:#bbb;background:#fff">Too pale to read</p>
<input type="checkbox" id="unlabelled">
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" id="noalt">
</main><p id="outside">Outside every landmark</p></html>`,
		"/good": `<!doctype html><html lang="en"><title>good</title>
<main><h1>Good</h1><p style="color:#222;background:#fff">Dark on light</p>
<label><input type="checkbox"> Labelled</label></main></html>`,
	})
	p := chrome.Page(t)
	p.Open(base + "/bad")
	got := map[string]browser.Violation{}
	for _, v := range p.Axe() {
		got[v.Rule] = v
	}
	for rule, target := range map[string]string{
		"color-contrast": "#pale",
		"label":          "#unlabelled",
		"image-alt":      "#noalt",
		"html-has-lang":  "html",
	} {
		v, ok := got[rule]
		if !ok {
			t.Errorf("axe misses %s on /bad; it found %v", rule, got)
			continue
		}
		if !v.Serious() || len(v.Nodes) != 1 || v.Nodes[0].Target != target || v.Help == "" || !strings.HasPrefix(v.HelpURL, "https://") {
			t.Errorf("%s: %+v, want one serious node %s with help", rule, v, target)
		}
		if s := v.String(); !strings.Contains(s, rule) || !strings.Contains(s, target) {
			t.Errorf("%s: String() = %q lacks the rule or the target", rule, s)
		}
	}
	// Only the tags asked for: "region" (content outside landmarks) is a
	// best practice, left out by default.
	if _, ok := got["region"]; ok {
		t.Error("a best-practice rule ran without being asked for")
	}
	best := p.Axe("best-practice")
	if !slices.ContainsFunc(best, func(v browser.Violation) bool { return v.Rule == "region" }) {
		t.Errorf("Axe(best-practice) misses region on /bad: %v", best)
	}
	if slices.ContainsFunc(best, func(v browser.Violation) bool { return v.Rule == "color-contrast" }) {
		t.Error("Axe(best-practice) ran a WCAG rule")
	}

	p.Open(base + "/good")
	if vs := p.Axe(); len(vs) != 0 {
		t.Errorf("violations on /good: %v", vs)
	}
}

func TestJSErrors(t *testing.T) {
	base := serveHTML(t, map[string]string{
		"/errors": `<!doctype html><title>errors</title>
<script>console.error("told", 42); console.log("not an error");</script>
<script>window.undefinedFunction();</script>
<script>Promise.reject(new Error("nobody caught me"));</script>
<script src="/missing.js"></script>
<p id="done">done</p>`,
		"/clean": `<!doctype html><title>clean</title><script>console.log("fine"); console.warn("only a warning");</script><p id="done">ok</p>`,
	})
	p := chrome.Page(t)
	p.Open(base + "/errors")
	p.WaitVisible("#done")
	p.WaitTrue(`true`) // one more round trip, for the last events
	errs := strings.Join(p.JSErrors(), "\n")
	for _, want := range []string{
		"console.error: told 42",
		"uncaught Uncaught TypeError: window.undefinedFunction is not a function",
		"nobody caught me",
		"/missing.js",
	} {
		if !strings.Contains(errs, want) {
			t.Errorf("the errors lack %q:\n%s", want, errs)
		}
	}
	if strings.Contains(errs, "not an error") || strings.Contains(errs, "favicon") {
		t.Errorf("console.log was taken for an error:\n%s", errs)
	}
	if again := p.JSErrors(); len(again) != 0 {
		t.Errorf("JSErrors did not clear: %v", again)
	}

	p.Open(base + "/clean")
	p.WaitVisible("#done")
	if errs := p.JSErrors(); len(errs) != 0 {
		t.Errorf("errors on a clean page: %v", errs)
	}

	// A 404 page is the server's answer, not a failed load; what it
	// loads in turn still counts.
	p.Open(base + "/no-such-page")
	p.WaitTrue(`document.readyState === "complete"`)
	if errs := p.JSErrors(); len(errs) != 0 {
		t.Errorf("errors on a 404 page: %v", errs)
	}
}

// recorder is a test that records its errors and cleanups instead of
// failing, to see what a Page does to the test that owns it.
type recorder struct {
	testing.TB
	errors   []string
	cleanups []func()
}

func (r *recorder) Errorf(format string, args ...any) {
	r.errors = append(r.errors, fmt.Sprintf(format, args...))
}
func (r *recorder) Cleanup(f func()) { r.cleanups = append(r.cleanups, f) }
func (r *recorder) Failed() bool     { return false } // no screenshot
func (r *recorder) end() {
	for i := len(r.cleanups) - 1; i >= 0; i-- {
		r.cleanups[i]()
	}
}

func TestUncheckedJSErrorsFail(t *testing.T) {
	base := serveHTML(t, map[string]string{
		"/throws": `<!doctype html><title>throws</title><script>null.x</script><p id="done">done</p>`,
	})
	r := &recorder{TB: t}
	p := chrome.Page(r)
	p.Open(base + "/throws")
	p.WaitVisible("#done")
	p.WaitTrue(`true`)
	r.end()
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], "JavaScript error in the console: uncaught Uncaught TypeError") {
		t.Errorf("the page's end reported %q, want the uncaught TypeError", r.errors)
	}
}
