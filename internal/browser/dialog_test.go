package browser_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/browser"
)

func TestDialogs(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`<!doctype html><title>t</title>
<button id="ask" onclick="document.getElementById('answer').textContent = confirm('Sure?')">Ask</button>
<span id="answer"></span>`))
	}))
	t.Cleanup(srv.Close)
	p := chrome.Page(t)
	d := p.Dialogs(true)
	p.Open(srv.URL)
	p.Click("#ask")
	waitText(t, p, "#answer", "true")
	d.Accept(false)
	p.Click("#ask")
	waitText(t, p, "#answer", "false")
	if got := d.Opened(); !slices.Equal(got, []string{"confirm", "confirm"}) {
		t.Errorf("dialogs opened: %q", got)
	}
}

// waitText waits until the element's text is want.
func waitText(t *testing.T, p *browser.Page, selector, want string) {
	t.Helper()
	deadline := time.Now().Add(browser.Timeout)
	for p.Text(selector) != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s reads %q, want %q", selector, p.Text(selector), want)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
