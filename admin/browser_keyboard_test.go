package admin_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom/internal/browser"
)

// The command palette (palette.js) and the keyboard shortcuts
// (shortcuts.js), used from the keyboard alone.

func TestBrowserPalette(t *testing.T) {
	f := newShop(t, "sqlite", registerShop(volumeAdmin()))
	for _, title := range []string{"Dune", "Dune Messiah", "Emma"} {
		f.insert(&Volume{Title: title, InStock: true})
	}
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/")

	p.Press("k", browser.Ctrl)
	p.WaitVisible("#palette-input")
	if got := p.Focused(); got != "palette-input" {
		t.Fatalf("Ctrl-K left the focus on %q", got)
	}
	// With no term the models are offered; Escape closes and gives the
	// focus back.
	p.WaitTrue(`document.querySelectorAll("#palette-list [role=option]").length > 0`)
	if got := p.Text("#palette-list"); !strings.Contains(got, "Volumes") {
		t.Errorf("models offered: %q", got)
	}
	p.Press(kb.Escape)
	p.WaitNotVisible("#palette")
	p.WaitTrue(`document.activeElement !== document.getElementById("palette-input")`)

	// With a term typed, one Escape still closes it (a search input's
	// Escape would only clear the term).
	p.Press("k", browser.Ctrl)
	p.WaitVisible("#palette-input")
	p.Type("#palette-input", "vol")
	p.Press(kb.Escape)
	p.WaitNotVisible("#palette")

	// A term finds objects; the arrows choose one and Enter opens it.
	p.Press("k", browser.Meta)
	p.WaitVisible("#palette-input")
	p.Type("#palette-input", "dune")
	p.WaitTrue(`Array.from(document.querySelectorAll("#palette-list [role=option]")).filter((o) => o.textContent.startsWith("Dune")).length === 2`)
	if got := browser.Eval[string](p, `document.getElementById("palette-input").getAttribute("aria-activedescendant")`); got != "palette-option-0" {
		t.Errorf("active option %q", got)
	}
	p.Press(kb.ArrowDown)
	want := browser.Eval[string](p, `document.getElementById("palette-option-1").textContent`)
	if !strings.HasPrefix(want, "Dune") {
		t.Fatalf("second option %q", want)
	}
	p.Press(kb.Enter)
	p.WaitTrue(`location.pathname.endsWith("/change/")`)
	if got := p.Text("#content h2"); !strings.HasPrefix(want, got) || got == "" {
		t.Errorf("Enter opened %q, want the page of %q", got, want)
	}
}

func TestBrowserShortcuts(t *testing.T) {
	f := newShop(t, "sqlite", registerShop(volumeAdmin()))
	for _, title := range []string{"a", "b", "c"} {
		f.insert(&Volume{Title: title, InStock: true})
	}
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")

	// j twice reaches the second row, x selects it, k goes back up.
	p.Press("j")
	p.Press("j")
	p.Press("x")
	if got := actionBoxes(p); got != ".x." {
		t.Errorf("after j j x the boxes are %q, want .x.", got)
	}
	if got := p.Text(".actions .action-counter"); got != "1 of 3 selected" {
		t.Errorf("the counter reads %q", got)
	}
	p.Press("k")
	if got := browser.Eval[string](p, `document.activeElement.closest("tr").querySelector("th").textContent`); got != "a" {
		t.Errorf("k moved to row %q", got)
	}
	// Typing in the search box is not a shortcut.
	p.Click("#searchbar")
	p.Press("x")
	if got := actionBoxes(p); got != ".x." {
		t.Errorf("typing x in the search box changed the boxes: %q", got)
	}
	// "?" shows the help; its switch turns single keys off.
	p.Click("#result_list tbody tr:nth-child(3) input.action-select")
	p.Press("?", browser.Shift)
	p.WaitVisible("#shortcuts-help")
	p.Click("#shortcuts-single")
	p.Press(kb.Escape)
	p.WaitNotVisible("#shortcuts-help")
	p.WaitTrue(`document.activeElement.matches("#result_list tbody tr:nth-child(3) input")`)
	p.Press("j")
	if got := browser.Eval[bool](p, `document.activeElement.matches("#result_list tbody tr:nth-child(3) input")`); !got {
		t.Error("j moved with single-key shortcuts off")
	}
	p.Press("?", browser.Shift)
	if browser.Eval[bool](p, `document.getElementById("shortcuts-help").open`) {
		t.Error("? opened the help with single-key shortcuts off")
	}
	p.Press("/", browser.Ctrl) // the help, to turn them back on
	p.WaitVisible("#shortcuts-help")
	p.Click("#shortcuts-single")
	p.Press(kb.Escape)
	p.WaitNotVisible("#shortcuts-help")
	p.WaitTrue(`document.activeElement.matches("#result_list tbody tr:nth-child(3) input")`) // back where it was

	// Enter on a row opens it; Ctrl-S saves the form and keeps editing.
	p.Press("k")
	p.Press(kb.Enter)
	p.WaitTrue(`location.pathname.endsWith("/change/")`)
	p.WaitVisible("#id_title")
	p.Click("#id_title")
	p.Press(kb.End)
	p.Press(" (revised)")
	p.Press("s", browser.Ctrl)
	p.WaitVisible(".messagelist .success")
	if !strings.HasSuffix(p.URL(), "/change/") {
		t.Errorf("Ctrl-S left the form for %s", p.URL())
	}
	if got := f.volumes(); !strings.Contains(strings.Join(got, "|"), "b (revised)") {
		t.Errorf("after Ctrl-S the volumes are %v", got)
	}
}
