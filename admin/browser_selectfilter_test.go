package admin_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"

	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// boxTexts is the text of the options a two-box chooser's box lists.
func boxTexts(p *browser.Page, id string) string {
	return browser.Eval[string](p, `Array.from(document.getElementById("`+id+`").options, o => o.text).join(" ")`)
}

// waitBox waits, up to browser.Timeout, for the box to list want (the
// endpoint answering), and returns what it lists.
func waitBox(p *browser.Page, id, want string) string {
	deadline := time.Now().Add(browser.Timeout)
	for {
		got := boxTexts(p, id)
		if got == want || time.Now().After(deadline) {
			return got
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestBrowserSelectFilter uses selectfilter.js as a person would: filter
// the available writers, choose one with the arrow and one with a
// double-click, remove one, choose all, remove the chosen ones a filter
// finds, and save.
func TestBrowserSelectFilter(t *testing.T) {
	f := newLibWith(t, "sqlite", twoBoxAdmins(true))
	ws := map[string]*Writer{}
	for _, name := range []string{"Ann", "Bea", "Cal", "Dee", "Eve"} {
		ws[name] = &Writer{Name: name, Active: true}
		f.insert(ws[name])
	}
	opt := func(box, name string) string {
		return "#id_writers_" + box + ` option[value="` + key(ws[name].ID) + `"]`
	}
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/lib/title/add/")

	p.WaitVisible("#id_writers_from")
	if browser.Eval[bool](p, `document.getElementById("id_writers").checkVisibility()`) {
		t.Error("the plain select is still shown beside the boxes")
	}
	if got := words(p.Text(".field-writers .selector-available h2")); got != "Available writers" {
		t.Errorf("heading %q", got)
	}
	if got := boxTexts(p, "id_writers_from"); got != "Ann Bea Cal Dee Eve" {
		t.Errorf("available %q", got)
	}
	p.Click("#id_writers_available_input")
	p.Type("#id_writers_available_input", "e")
	if got := boxTexts(p, "id_writers_from"); got != "Bea Dee Eve" {
		t.Errorf("filtered available %q", got)
	}
	p.Click(opt("from", "Bea"))
	p.Click("#id_writers_add")
	p.DoubleClick(opt("from", "Dee"))
	if got := boxTexts(p, "id_writers_to"); got != "Bea Dee" {
		t.Errorf("chosen %q", got)
	}
	p.Click(opt("to", "Bea"))
	p.Click("#id_writers_remove")
	if got, avail := boxTexts(p, "id_writers_to"), boxTexts(p, "id_writers_from"); got != "Dee" || avail != "Bea Eve" {
		t.Errorf("after removing: chosen %q, available %q", got, avail)
	}
	p.Type("#id_writers_available_input", kb.Backspace)
	p.Click("#id_writers_add_all")
	if got, avail := boxTexts(p, "id_writers_to"), boxTexts(p, "id_writers_from"); got != "Ann Bea Cal Dee Eve" || avail != "" {
		t.Errorf("after choosing all: chosen %q, available %q", got, avail)
	}
	p.Click("#id_writers_selected_input")
	p.Type("#id_writers_selected_input", "a")
	p.Click("#id_writers_remove_all")
	p.Type("#id_writers_selected_input", kb.Backspace)
	if got := boxTexts(p, "id_writers_to"); got != "Dee Eve" {
		t.Errorf("after removing the filtered: chosen %q", got)
	}
	if got := browser.Eval[string](p, `Array.from(document.getElementById("id_writers").selectedOptions, o => o.text).join(" ")`); got != "Dee Eve" {
		t.Errorf("the form's select holds %q", got)
	}
	p.Click("#id_name")
	p.Type("#id_name", "Odes")
	p.Click(`input[name="_save"]`)
	p.WaitURL(base + "/admin/lib/title/")
	title, err := orm.Get[Title](context.Background(), orm.For[Title](f.app.DB), orm.Q{"name": "Odes"})
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := f.app.DB.LoadM2M(context.Background(), title, "writers"); !slices.Equal(ids, []int64{ws["Dee"].ID, ws["Eve"].ID}) {
		t.Errorf("saved writers %v", ids)
	}
}

// TestBrowserSelectFilterSearch checks the chooser of a relation past
// SelectMaxChoices: the available box is filled from the autocomplete
// endpoint, its filter searches, and the chosen reader is saved.
func TestBrowserSelectFilterSearch(t *testing.T) {
	f := newLibWith(t, "sqlite", twoBoxAdmins(true))
	bea := &Writer{Name: "Bea", Active: true}
	f.insert(&Writer{Name: "Ann", Active: true}, bea, &Writer{Name: "Cal", Active: true})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/lib/review/add/")

	p.WaitVisible("#id_readers_from option")
	if got := boxTexts(p, "id_readers_from"); got != "Ann Bea Cal" {
		t.Errorf("available %q", got)
	}
	if browser.Eval[bool](p, `document.getElementById("id_readers_more").checkVisibility()`) {
		t.Error("More results is offered for a single page")
	}
	if !browser.Eval[bool](p, `document.querySelector(".field-readers .selector").classList.contains("stacked")`) {
		t.Error("FilterVertical's boxes are not stacked")
	}
	p.Click("#id_readers_available_input")
	p.Type("#id_readers_available_input", "be")
	if got := waitBox(p, "id_readers_from", "Bea"); got != "Bea" {
		t.Errorf("searched available %q", got)
	}
	p.DoubleClick(`#id_readers_from option[value="` + key(bea.ID) + `"]`)
	if got := boxTexts(p, "id_readers_to"); got != "Bea" {
		t.Errorf("chosen %q", got)
	}
	p.Click(`input[name="_save"]`)
	p.WaitURL(base + "/admin/lib/review/")
	rv, err := orm.Get[Review](context.Background(), orm.For[Review](f.app.DB), orm.Q{})
	if err != nil {
		t.Fatal(err)
	}
	if ids, _ := f.app.DB.LoadM2M(context.Background(), rv, "readers"); !slices.Equal(ids, []int64{bea.ID}) {
		t.Errorf("saved readers %v", ids)
	}
}

// TestBrowserSelectFilterAdd: the two-box chooser has Django's "+" link;
// a writer added in its popup comes back among the chosen, and is saved.
func TestBrowserSelectFilterAdd(t *testing.T) {
	f := newLibWith(t, "sqlite", twoBoxAdmins(true))
	f.insert(&Writer{Name: "Ann", Active: true})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/lib/title/add/")
	p.WaitVisible("#id_writers_from")
	popup := p.Popup(func() { p.Click("#add_id_writers") })
	popup.WaitVisible("#id_name")
	popup.Type("#id_name", "Zoe")
	popup.Click(`input[name="_save"]`)
	p.WaitTrue(`Array.from(document.getElementById("id_writers_to").options).some(o => o.text === "Zoe")`)
	if got := boxTexts(p, "id_writers_to"); got != "Zoe" {
		t.Errorf("chosen %q after the popup", got)
	}
	p.Type("#id_name", "Added with a writer")
	p.ClickLoad(`input[name="_save"]`)
	p.WaitVisible(".messagelist .success")
	title, err := orm.Get[Title](context.Background(), orm.For[Title](f.app.DB), orm.Q{"name": "Added with a writer"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := f.app.DB.LoadM2M(context.Background(), title, "writers")
	zoe, _ := orm.Get[Writer](context.Background(), orm.For[Writer](f.app.DB), orm.Q{"name": "Zoe"})
	if err != nil || zoe == nil || !slices.Equal(ids, []int64{zoe.ID}) {
		t.Errorf("the title's writers %v (%v), want Zoe's", ids, err)
	}
}
