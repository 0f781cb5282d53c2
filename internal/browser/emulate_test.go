package browser_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

const mediaPage = `<!doctype html><meta name="viewport" content="width=device-width, initial-scale=1">
<title>t</title>
<style>
#print { display: none; }
@media print { #print { display: block; } #screen { display: none; } }
</style>
<p id="screen">screen</p><p id="print">print</p>`

// TestEmulation checks that Viewport, Media and PrefersColorScheme
// change what the page's media queries see, and that Media keeps the
// colour scheme.
func TestEmulation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, mediaPage)
	}))
	defer srv.Close()

	p := chrome.Page(t)
	p.Viewport(360, 740, true)
	p.PrefersColorScheme("dark")
	p.Open(srv.URL + "/")
	if w := browser.Eval[int](p, "window.innerWidth"); w != 360 {
		t.Errorf("window.innerWidth = %d, want 360", w)
	}
	if !browser.Eval[bool](p, `matchMedia("(pointer: coarse)").matches`) {
		t.Error("a mobile viewport has no coarse pointer")
	}
	p.Media("print")
	if !browser.Eval[bool](p, `matchMedia("print").matches && matchMedia("(prefers-color-scheme: dark)").matches`) {
		t.Error("after Media(print): not print, or the dark scheme lost")
	}
	p.WaitVisible("#print")
	p.WaitNotVisible("#screen")
	p.Media("")
	p.WaitVisible("#screen")
	p.Viewport(1000, 700, false)
	if w := browser.Eval[int](p, "window.innerWidth"); w != 1000 {
		t.Errorf("window.innerWidth = %d, want 1000", w)
	}
}
