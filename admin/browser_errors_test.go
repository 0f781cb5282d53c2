package admin_test

import (
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
)

// TestBrowserErrorSummary: a form sent back with errors passes axe-core,
// puts the focus in its first field in error, and each link of its error
// summary, clicked or followed with Enter, puts the focus in its field:
// a radio button, and for a select that autocomplete.js replaced, the
// combobox standing for it.
func TestBrowserErrorSummary(t *testing.T) {
	f := newKits(t, "sqlite", func(site *admin.Site) error {
		if err := site.Register(Shelf{}, &admin.ModelAdmin{SearchFields: []string{"name"}}); err != nil {
			return err
		}
		return site.Register(Kit{}, &admin.ModelAdmin{RadioFields: map[string]admin.RadioLayout{"size": admin.Horizontal},
			AutocompleteFields: []string{"owner"}, FilterHorizontal: []string{"spares"}})
	})
	f.insert(&Shelf{Name: "Top"})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/kits/kit/add/")
	p.WaitVisible("#id_owner_autocomplete")
	p.ClickLoad(`#kit_form input[name="_save"]`)
	p.WaitVisible(".error-summary")
	if got := browser.Eval[string](p, `document.querySelector(".errornote-region").getAttribute("role")`); got != "alert" {
		t.Errorf("the error region's role is %q, want alert", got)
	}
	p.CheckAccessibility("add form with an error summary")
	p.WaitTrue(`document.activeElement && document.activeElement.id !== ""`)
	if got := activeID(p); got != "id_title" {
		t.Errorf("after the errors the focus is on %q, want the first field in error id_title", got)
	}

	p.Click(`.error-summary a[href="#id_owner"]`)
	p.WaitTrue(`document.activeElement.id === "id_owner_autocomplete"`)

	// From the keyboard: Tab back to the summary, Enter on a link.
	browser.Eval[bool](p, `document.querySelector('.error-summary a[href="#id_slug"]').focus(), true`)
	p.Press(kb.Tab)
	if got := browser.Eval[string](p, `document.activeElement.getAttribute("href") || ""`); got != "#id_size_0" {
		t.Fatalf("Tab from the slug's link reached %q, want the size's link", got)
	}
	p.Press(kb.Enter)
	p.WaitTrue(`document.activeElement.id === "id_size_0"`)
	if got := browser.Eval[string](p, `document.activeElement.getAttribute("aria-describedby")`); got != "id_size_error" {
		t.Errorf("the radio button is described by %q", got)
	}
	// Enter on a link to a text input puts the focus there and does not
	// submit the form from it.
	browser.Eval[bool](p, `window.stayed = true, document.querySelector('.error-summary a[href="#id_slug"]').focus(), true`)
	p.Press(kb.Enter)
	p.WaitTrue(`document.activeElement && document.activeElement.id === "id_slug"`)
	p.Press("kit")
	if !browser.Eval[bool](p, `window.stayed === true && document.getElementById("id_slug").value === "kit"`) {
		t.Error("Enter on the summary's link to a text input left the page")
	}
	p.CheckJSErrors("error summary")
}
