package admin_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
)

// The action bar (actions.js) clicked through in a real browser.

// actionBoxes is which row checkboxes are ticked, in row order, as "x"
// (ticked) and "." (not).
func actionBoxes(p *browser.Page) string {
	return browser.Eval[string](p, `Array.from(document.querySelectorAll("#result_list input.action-select")).map((b) => b.checked ? "x" : ".").join("")`)
}

// selectedRows is the same for the rows' "selected" class.
func selectedRows(p *browser.Page) string {
	return browser.Eval[string](p, `Array.from(document.querySelectorAll("#result_list tbody tr")).map((r) => r.classList.contains("selected") ? "x" : ".").join("")`)
}

// visible reports whether the first element matching selector shows.
func visible(p *browser.Page, selector string) bool {
	return browser.Eval[bool](p, `(document.querySelector(`+strconv.Quote(selector)+`) || {checkVisibility: () => false}).checkVisibility()`)
}

// rowBox is the selector of the checkbox of the change list's row n,
// counted from 1.
func rowBox(n int) string {
	return "#result_list tbody tr:nth-child(" + strconv.Itoa(n) + ") input.action-select"
}

// actionState is what the top action bar and the rows show.
type actionState struct {
	boxes, rows  string // ticked boxes and "selected" rows, as actionBoxes
	toggle       bool   // the select-all box is ticked
	counter      string // the counter's text, "" when hidden
	question     string // the "Select all N ..." link's, "" when hidden
	all          string // the "All N selected" note's, "" when hidden
	clear        bool   // "Clear selection" shows
	selectAcross string // the select_across fields' values
}

func readActions(p *browser.Page) actionState {
	s := actionState{
		boxes: actionBoxes(p), rows: selectedRows(p),
		toggle:       browser.Eval[bool](p, `document.getElementById("action-toggle").checked`),
		clear:        visible(p, ".actions .clear"),
		selectAcross: browser.Eval[string](p, `Array.from(document.querySelectorAll("input.select-across")).map((i) => i.value).join()`),
	}
	for sel, text := range map[string]*string{".actions .action-counter": &s.counter, ".actions .question": &s.question, ".actions .all": &s.all} {
		if visible(p, sel) {
			*text = p.Text(sel)
		}
	}
	return s
}

func TestBrowserActionCheckboxes(t *testing.T) {
	ma := volumeAdmin()
	ma.ListPerPage = 5
	ma.ListFilter = []any{"in_stock"}
	f := newShop(t, "sqlite", registerShop(ma))
	for _, title := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		f.insert(&Volume{Title: title, InStock: true})
	}
	f.insert(&Volume{Title: "sold out", InStock: false})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")
	p.ClickLink("Yes") // the in-stock filter: 7 volumes, 5 on the page

	none := actionState{boxes: ".....", rows: ".....", counter: "0 of 5 selected", selectAcross: "0"}
	steps := []struct {
		what  string
		do    func()
		state actionState
	}{
		{"the page as loaded", func() {}, none},
		{"select all", func() { p.Click("#action-toggle") },
			actionState{boxes: "xxxxx", rows: "xxxxx", toggle: true, counter: "5 of 5 selected", question: "Select all 7 volumes", selectAcross: "0"}},
		{"select none", func() { p.Click("#action-toggle") }, none},
		{"tick row 2", func() { p.Click(rowBox(2)) },
			actionState{boxes: ".x...", rows: ".x...", counter: "1 of 5 selected", selectAcross: "0"}},
		{"shift-click row 4", func() { p.ShiftClick(rowBox(4)) },
			actionState{boxes: ".xxx.", rows: ".xxx.", counter: "3 of 5 selected", selectAcross: "0"}},
		{"untick row 4", func() { p.Click(rowBox(4)) },
			actionState{boxes: ".xx..", rows: ".xx..", counter: "2 of 5 selected", selectAcross: "0"}},
		{"shift-click row 2 unticks up to row 4", func() { p.ShiftClick(rowBox(2)) }, none},
		{"shift-click row 5 ticks down from row 1", func() { p.Click(rowBox(1)); p.ShiftClick(rowBox(5)) },
			actionState{boxes: "xxxxx", rows: "xxxxx", toggle: true, counter: "5 of 5 selected", question: "Select all 7 volumes", selectAcross: "0"}},
		{"select all 7", func() { p.ClickLink("Select all 7 volumes") },
			actionState{boxes: "xxxxx", rows: "xxxxx", toggle: true, all: "All 7 selected", clear: true, selectAcross: "1"}},
		{"untick row 1: not all 7 any more", func() { p.Click(rowBox(1)) },
			actionState{boxes: ".xxxx", rows: ".xxxx", counter: "4 of 5 selected", selectAcross: "0"}},
		{"tick it again, select all 7", func() { p.Click(rowBox(1)); p.ClickLink("Select all 7 volumes") },
			actionState{boxes: "xxxxx", rows: "xxxxx", toggle: true, all: "All 7 selected", clear: true, selectAcross: "1"}},
		{"clear selection", func() { p.ClickLink("Clear selection") }, none},
		{"tick rows 1 and 3, leave and come back", func() {
			p.Click(rowBox(1))
			p.Click(rowBox(3))
			p.ClickLink("2")
			p.Back()
		}, actionState{boxes: "x.x..", rows: "x.x..", counter: "2 of 5 selected", selectAcross: "0"}},
	}
	for _, step := range steps {
		step.do()
		if got := readActions(p); got != step.state {
			t.Errorf("%s:\n got %+v\nwant %+v", step.what, got, step.state)
		}
	}

	// Delete the whole filtered list, across its two pages.
	p.Click("#action-toggle")
	p.ClickLink("Select all 7 volumes")
	p.Select(".actions select[name=action]", "delete_selected")
	p.Click(".actions button[name=index]")
	p.WaitVisible("body.delete-selected-confirmation")
	if got := words(p.Text("#content")); !strings.Contains(got, "Volumes: 7") {
		t.Fatalf("the confirmation page reads %q", got)
	}
	p.Click(`#content input[type=submit]`)
	p.WaitURL(base + "/admin/shop/volume/?in_stock__exact=1")
	if got := p.Text(".messagelist li"); got != "Successfully deleted 7 volumes." {
		t.Errorf("the message after deleting: %q", got)
	}
	if got := f.volumes(); !slices.Equal(got, []string{"sold out"}) {
		t.Errorf("volumes left: %q", got)
	}
}

func TestBrowserActionFromBottomBar(t *testing.T) {
	ma := volumeAdmin()
	ma.ActionsOnBottom = true
	f := newShop(t, "sqlite", registerShop(ma))
	for _, title := range []string{"a", "b", "c"} {
		f.insert(&Volume{Title: title, InStock: true})
	}
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")

	p.Click(rowBox(1))
	p.Click(rowBox(3))
	counters := browser.Eval[string](p, `Array.from(document.querySelectorAll(".actions .action-counter")).map((c) => c.textContent).join("|")`)
	if counters != "2 of 3 selected|2 of 3 selected" {
		t.Errorf("the two bars' counters: %q", counters)
	}
	bottom := "#changelist-form > .actions:last-of-type"
	p.Select(bottom+" select[name=action]", "mark_out_of_stock")
	p.Click(bottom + " button[name=index]")
	p.WaitVisible(".messagelist")
	if got := p.Text(".messagelist li"); got != "Xx marked" {
		t.Errorf("the message after the action: %q", got)
	}
	for title, want := range map[string]bool{"a": false, "b": true, "c": false} {
		if got := f.volume(title).InStock; got != want {
			t.Errorf("volume %s in stock: %v, want %v", title, got, want)
		}
	}
}

// answerConfirms makes the page's confirm dialogs answer yes or no, and
// keeps their messages for confirmed, in the tab's session storage so
// that they outlast the page.
func answerConfirms(p *browser.Page, yes bool) {
	browser.Eval[bool](p, `sessionStorage.setItem("confirmed", "[]");
		window.confirm = (text) => {
			sessionStorage.setItem("confirmed", JSON.stringify(JSON.parse(sessionStorage.getItem("confirmed")).concat([text])));
			return `+strconv.FormatBool(yes)+`;
		};
		true`)
}

// confirmed is the messages of the confirm dialogs since answerConfirms.
func confirmed(p *browser.Page) []string {
	return browser.Eval[[]string](p, `JSON.parse(sessionStorage.getItem("confirmed"))`)
}

func TestBrowserActionsWithEditedRows(t *testing.T) {
	ma := editableAdmin()
	ma.Actions = []admin.Action{markOutOfStock}
	f := newShop(t, "sqlite", registerShop(ma))
	seedVolumes(f) // a, b, c at 10, in stock; two to a page
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/shop/volume/")

	// An edited price, then Go: running the action would lose the edit.
	browser.Eval[bool](p, `(document.querySelector("input[name=form-0-price]").value = "") === ""`)
	p.Type("input[name=form-0-price]", "55")
	p.Click(rowBox(2))
	p.Select("select[name=action]", "mark_out_of_stock")
	answerConfirms(p, false)
	p.Click("button[name=index]")
	if got := confirmed(p); len(got) != 1 || !strings.Contains(got[0], "your unsaved changes will be lost") {
		t.Fatalf("confirm dialogs on Go with an edit: %q", got)
	}
	if !f.volume("b").InStock {
		t.Fatal("the action ran though the warning was refused")
	}
	answerConfirms(p, true)
	p.ClickLoad("button[name=index]")
	if b, a := f.volume("b"), f.volume("a"); b.InStock || a.Price != 10 {
		t.Errorf("after the accepted warning: b in stock %v, a's price %d (the edit is dropped)", b.InStock, a.Price)
	}

	// Save with an action chosen and nothing edited: Go was meant.
	p.Select("select[name=action]", "mark_out_of_stock")
	answerConfirms(p, false)
	p.Click(`input[name="_save"]`)
	if got := confirmed(p); len(got) != 1 || !strings.Contains(got[0], "looking for the Go button") {
		t.Fatalf("confirm dialogs on Save with an action chosen: %q", got)
	}
	// With an edit, the warning says it saves; yes saves the edit only.
	browser.Eval[bool](p, `(document.querySelector("input[name=form-0-price]").value = "") === ""`)
	p.Type("input[name=form-0-price]", "66")
	answerConfirms(p, true)
	p.ClickLoad(`input[name="_save"]`)
	if got := confirmed(p); len(got) != 1 || !strings.Contains(got[0], "Please click OK to save") {
		t.Errorf("confirm dialogs on Save with an action chosen and an edit: %q", got)
	}
	if a := f.volume("a"); a.Price != 66 || !a.InStock {
		t.Errorf("after Save: a's price %d, in stock %v", a.Price, a.InStock)
	}
}
