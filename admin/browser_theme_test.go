package admin_test

import (
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
)

// TestBrowserDjangoThemeVariables: a project's theme written with
// Django's variables (its admin docs' purple example) re-colours the
// admin, light and dark, as it does Django's.
func TestBrowserDjangoThemeVariables(t *testing.T) {
	f := newShop(t, "sqlite", registerShop(volumeAdmin()))
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")
	addLink := `getComputedStyle(document.querySelector(".object-tools a")).backgroundColor`
	link := `getComputedStyle(document.querySelector("#result_list a, .breadcrumbs a")).color`
	before := browser.Eval[string](p, addLink)
	// As a project's stylesheet would, on the root element.
	browser.Eval[bool](p, `(() => { const s = document.documentElement.style;
		s.setProperty("--primary", "#9774d5"); s.setProperty("--link-fg", "#7c449b"); return true; })()`)
	for _, theme := range []string{"light", "dark"} {
		browser.Eval[bool](p, `(document.documentElement.dataset.theme = "`+theme+`", true)`)
		if got := browser.Eval[string](p, addLink); got != "rgb(151, 116, 213)" {
			t.Errorf("%s: the add button is %s with --primary set (was %s)", theme, got, before)
		}
		if got := browser.Eval[string](p, link); got != "rgb(124, 68, 155)" {
			t.Errorf("%s: links are %s with --link-fg set", theme, got)
		}
	}
}
