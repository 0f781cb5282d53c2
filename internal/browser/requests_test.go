package browser_test

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
)

// TestCheckSameOrigin: a page that loads an image from another server,
// here another port of 127.0.0.1, fails the check; one that loads only
// its own files and data: URLs passes.
func TestCheckSameOrigin(t *testing.T) {
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/gif")
		w.Write(gif)
	}))
	t.Cleanup(other.Close)
	base := serveHTML(t, map[string]string{
		"/foreign": `<!doctype html><title>foreign</title><img alt="" src="` + other.URL + `/pixel.gif"><p id="done">done</p>`,
		"/own": `<!doctype html><title>own</title><img alt="" src="/pixel.gif">
<img alt="" src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p id="done">done</p>`,
	})
	r := &recorder{TB: t}
	p := chrome.Page(r)
	p.Open(base + "/foreign")
	p.WaitTrue(`Array.from(document.images).every((i) => i.complete)`)
	p.CheckSameOrigin("foreign", base)
	if len(r.errors) != 1 || !strings.Contains(r.errors[0], other.URL+"/pixel.gif") || !strings.Contains(r.errors[0], "foreign: ") {
		t.Errorf("the page with another server's image reported %q, want one error naming it", r.errors)
	}

	r.errors = nil
	p.Open(base + "/own")
	p.WaitTrue(`Array.from(document.images).every((i) => i.complete)`)
	reqs := p.Requests()
	// The browser may ask for /favicon.ico of its own accord, before or
	// after; the page comes before its image.
	if page, img := slices.Index(reqs, base+"/own"), slices.Index(reqs, base+"/pixel.gif"); page < 0 || img < page {
		t.Errorf("requests of /own: %q, want the page and then its image", reqs)
	}
	p.Open(base + "/own")
	p.WaitTrue(`Array.from(document.images).every((i) => i.complete)`)
	p.CheckSameOrigin("own", base)
	if len(r.errors) != 0 {
		t.Errorf("a page loading only its own server's files failed the check: %q", r.errors)
	}
	p.JSErrors() // /pixel.gif is a 404 here; not the point
	r.end()
}

// gif is a 1×1 transparent GIF.
var gif = []byte("GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;")
