package admin_test

import (
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
)

// prepopulate.js typed through in a real browser: the slug follows the
// title as typed, stops once the user edits it, and is left alone on the
// change page.
func TestBrowserPrepopulate(t *testing.T) {
	ma := &admin.ModelAdmin{PrepopulatedFields: map[string][]string{"slug": {"title"}}}
	f := newKits(t, "sqlite", registerKits(ma))
	f.insert(&Shelf{Name: "Top"})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/kits/kit/add/")
	slug := func() string { return browser.Eval[string](p, `document.getElementById("id_slug").value`) }

	p.Type("#id_title", "  Déjà Vu: the Ünïcode Edition, 2nd!  ")
	if got, want := slug(), "deja-vu-the-unicode"; got != want { // cut to 20, the trailing hyphen dropped
		t.Errorf("slug %q, want %q", got, want)
	}
	p.Type("#id_slug", "x")
	p.Type("#id_title", " more")
	if got := slug(); got != "deja-vu-the-unicodex" {
		t.Errorf("after the user's edit the slug became %q", got)
	}

	p.Select("#id_size", "s")
	p.Select("#id_owner", browser.Eval[string](p, `document.querySelector("#id_owner option:last-child").value`))
	browser.Eval[bool](p, `document.getElementById("id_slug").value = "kept", true`)
	p.ClickLoad(`input[name="_continue"]`)
	p.Type("#id_title", " again")
	if got := slug(); got != "kept" {
		t.Errorf("on the change page the slug became %q", got)
	}
}
