package admin_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// TestBrowserAutocomplete uses autocomplete.js as a person would: typing
// searches, the list loads its next page when scrolled to its end, a click or Enter
// chooses, and the form saves the choice.
func TestBrowserAutocomplete(t *testing.T) {
	f := newLib(t, "sqlite")
	for i := range 25 {
		f.insert(&Writer{Name: fmt.Sprintf("Writer %02d", i), Active: true})
	}
	f.insert(&Writer{Name: "Zed", Active: true}, &Imprint{Code: 7, Prefix: 1, Name: "Seven"})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/lib/title/add/")

	if browser.Eval[bool](p, `document.getElementById("id_editor").checkVisibility()`) {
		t.Error("the select is still shown beside the combobox")
	}
	if got, _ := p.Attr("label[for=id_editor_autocomplete]", "for"); got != "id_editor_autocomplete" {
		t.Error("the label does not name the combobox")
	}
	// Typing opens the first page; scrolling to its end loads the next.
	p.Click("#id_editor_autocomplete")
	p.Type("#id_editor_autocomplete", "writer")
	p.WaitVisible("#id_editor_autocomplete_listbox li.autocomplete-option")
	if n := browser.Eval[int](p, `document.querySelectorAll("#id_editor_autocomplete_listbox li.autocomplete-option").length`); n != 20 {
		t.Errorf("first page: %d options, want 20", n)
	}
	if got, _ := p.Attr("#id_editor_autocomplete", "aria-expanded"); got != "true" {
		t.Errorf("aria-expanded %q", got)
	}
	// (Scrolled by script: a click on "More results" would first scroll
	// it into view, which loads the page too, and could land on its
	// first option.)
	browser.Eval[bool](p, `(l => (l.scrollTop = l.scrollHeight, l.dispatchEvent(new Event("scroll")), true))(document.getElementById("id_editor_autocomplete_listbox"))`)
	p.WaitVisible("#id_editor_autocomplete_listbox li.autocomplete-option:nth-child(25)")
	p.Click("#id_editor_autocomplete_listbox li.autocomplete-option:nth-child(22)")
	if got := browser.Eval[string](p, `document.getElementById("id_editor").selectedOptions[0].text`); got != "Writer 21" {
		t.Errorf("chosen editor %q", got)
	}

	// The keyboard: a search, ArrowDown to the option, Enter chooses it
	// without submitting the form.
	p.Click("#id_writers_autocomplete")
	p.Type("#id_writers_autocomplete", "zed")
	p.WaitVisible("#id_writers_autocomplete_listbox li.autocomplete-option")
	p.Type("#id_writers_autocomplete", kb.ArrowDown+kb.Enter)
	p.WaitVisible(".autocomplete-chosen-item")
	if got := words(p.Text(".field-writers .autocomplete-chosen-item")); got != "Zed ×" {
		t.Errorf("chosen writers %q", got)
	}
	p.Click("#id_name")
	p.Type("#id_name", "Odes")
	p.Click(`input[name="_save"]`)
	p.WaitURL(base + "/admin/lib/title/")
	title, err := orm.Get[Title](context.Background(), orm.For[Title](f.app.DB), orm.Q{"name": "Odes"})
	if err != nil {
		t.Fatal(err)
	}
	writers, _ := f.app.DB.LoadM2M(context.Background(), title, "writers")
	if editor, _ := orm.Get[Writer](context.Background(), orm.For[Writer](f.app.DB), orm.Q{"pk": title.Editor.ID}); editor == nil || editor.Name != "Writer 21" || len(writers) != 1 {
		t.Errorf("saved editor %v writers %v", editor, writers)
	}
}
