package browser_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom/internal/browser"
)

var chrome browser.Shared

func TestMain(m *testing.M) {
	code := m.Run()
	chrome.Close()
	os.Exit(code)
}

const page = `<!doctype html><title>t</title>
<p id="greeting" data-kind="plain">Hello, <b>world</b></p>
<button id="show" onclick="document.getElementById('hidden').hidden = false">Show</button>
<p id="hidden" hidden>Now you see me</p>
<p><label><input type="checkbox" id="box"> box</label> <span id="shift"></span></p>
<select id="menu"><option value="">-</option><option value="b">B</option></select> <span id="chosen"></span>
<script>
document.getElementById("box").addEventListener("click", (e) => { document.getElementById("shift").textContent = e.shiftKey; });
document.getElementById("menu").addEventListener("change", (e) => { document.getElementById("chosen").textContent = e.target.value; });
</script>
<a href="/next?x=1">It's next</a>
<form method="post" action="/"><button id="post">Post</button></form> <span id="posts">%d</span>
<a href="/" id="same" title="this page again"></a>`

func TestPage(t *testing.T) {
	var posts atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			posts.Add(1)
			http.Redirect(w, r, "/", http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/next" {
			fmt.Fprintf(w, `<!doctype html><p id="where">%s</p>`, r.URL.RawQuery)
			return
		}
		fmt.Fprintf(w, page, posts.Load())
	}))
	defer srv.Close()

	p := chrome.Page(t)
	p.Open(srv.URL + "/")
	if got := p.Text("#greeting"); got != "Hello, world" {
		t.Errorf("text %q", got)
	}
	if v, ok := p.Attr("#greeting", "data-kind"); v != "plain" || !ok {
		t.Errorf("attr %q %v", v, ok)
	}
	if _, ok := p.Attr("#greeting", "title"); ok {
		t.Error("a missing attribute exists")
	}
	if browser.Eval[bool](p, `document.getElementById("hidden").checkVisibility()`) {
		t.Error("the hidden paragraph is visible")
	}
	p.ShiftClick("#box")
	if got := p.Text("#shift"); got != "true" || !browser.Eval[bool](p, `document.getElementById("box").checked`) {
		t.Errorf("after a shift-click: shiftKey %q", got)
	}
	p.Select("#menu", "b")
	if got := p.Text("#chosen"); got != "b" {
		t.Errorf("after choosing b: %q", got)
	}
	p.Click("#show")
	p.WaitVisible("#hidden")
	p.ClickLink("It's next")
	if got := p.Text("#where"); got != "x=1" || p.URL() != srv.URL+"/next?x=1" {
		t.Errorf("after the link: %q at %s", got, p.URL())
	}
	p.Back()
	if got := p.URL(); got != srv.URL+"/" {
		t.Errorf("back at %s", got)
	}
	p.ClickLoad("#post")
	if got := p.Text("#posts"); got != "1" {
		t.Errorf("after posting the form the page reads %s posts", got)
	}
	p.Follow("#same")
	p.ClickLoad("#post")
	if got := p.Text("#posts"); got != "2" {
		t.Errorf("after posting again the page reads %s posts", got)
	}
}

// TestPagesAreIsolated checks each test's page has its own cookies.
func TestPagesAreIsolated(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/set" {
			http.SetCookie(w, &http.Cookie{Name: "c", Value: "1", Path: "/"})
		}
		c, _ := r.Cookie("c")
		fmt.Fprintf(w, `<!doctype html><p id="c">%v</p>`, c != nil)
	}))
	defer srv.Close()
	a := chrome.Page(t)
	a.Open(srv.URL + "/set")
	a.Open(srv.URL + "/")
	b := chrome.Page(t)
	b.Open(srv.URL + "/")
	if got := a.Text("#c") + b.Text("#c"); got != "truefalse" {
		t.Errorf("cookies seen by the two pages: %s", got)
	}
}

func TestFocusRing(t *testing.T) {
	base := serveHTML(t, map[string]string{"/": `<!doctype html><html lang="en"><title>f</title>
<style>#bare:focus { outline: none; } #shadow:focus { outline: none; box-shadow: 0 0 0 3px blue; }</style>
<main><button id="plain">plain</button><button id="bare">bare</button><button id="shadow">shadow</button></main></html>`})
	p := chrome.Page(t)
	p.Open(base + "/")
	if got := p.FocusRing(); got != "" {
		t.Errorf("nothing focused: ring %q", got)
	}
	for _, tc := range []struct {
		id   string
		want string // the ring's prefix; "" for none
	}{{"plain", "outline "}, {"bare", ""}, {"shadow", "box-shadow "}} {
		p.Press(kb.Tab)
		if got := p.Focused(); got != tc.id {
			t.Fatalf("Tab reached %q, want %q", got, tc.id)
		}
		got := p.FocusRing()
		if tc.want == "" && got != "" || tc.want != "" && !strings.HasPrefix(got, tc.want) {
			t.Errorf("#%s: ring %q, want %q…", tc.id, got, tc.want)
		}
	}
}
