package admin_test

import (
	"context"
	"testing"

	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// inPopup runs a script in the popup window opened for the field id,
// with the popup's document as d, once its page is loaded (not the
// about:blank it starts as). The popup is reached through its opener,
// as window.open("", name) returns the window of that name unchanged.
func inPopup(t *testing.T, p *browser.Page, id, script string) {
	t.Helper()
	w := `window.open("", "staffroom_related__` + id + `")`
	p.WaitTrue(`(() => { const d = ` + w + `.document; return d.readyState === "complete" && !!d.querySelector("#content"); })()`)
	browser.Eval[bool](p, `(() => { const d = `+w+`.document; `+script+`; return true; })()`)
}

// TestBrowserRelatedPopups adds a shelf through the "+" beside a note's
// shelf select, renames it through the change link, and saves the note
// with it.
func TestBrowserRelatedPopups(t *testing.T) {
	f := newFixture(t, "sqlite", registerNotes)
	f.insert(&Shelf{Name: "Old shelf"})
	note := &Note{Title: "n"}
	f.insert(note)
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/notes/note/" + key(note.ID) + "/change/")
	if _, ok := p.Attr("#change_id_shelf", "href"); ok {
		t.Error("the change link has an href with no shelf chosen")
	}

	p.Click("#add_id_shelf")
	inPopup(t, p, "id_shelf", `
		if (d.querySelector("#nav-sidebar, nav.breadcrumbs")) throw new Error("the popup shows the navigation");
		d.querySelector("#id_name").value = "New shelf";
		d.querySelector("#shelf_form input[name=_save]").click()`)
	p.WaitTrue(`document.querySelector("#id_shelf").selectedOptions[0].text === "New shelf"`)

	ctx := context.Background()
	shelf, err := orm.Get[Shelf](ctx, orm.For[Shelf](f.app.DB), orm.Q{"name": "New shelf"})
	if err != nil {
		t.Fatal(err)
	}
	if got := browser.Eval[string](p, `document.querySelector("#id_shelf").value`); got != key(shelf.ID) {
		t.Errorf("the select's value %q, want the new shelf's key %s", got, key(shelf.ID))
	}
	if href, _ := p.Attr("#change_id_shelf", "href"); href != "/admin/notes/shelf/"+key(shelf.ID)+"/change/?_to_field=id&_popup=1" {
		t.Errorf("the change link follows the choice: %q", href)
	}
	p.WaitTrue(`window.open("", "staffroom_related__id_shelf").location.href === "about:blank"`) // closed: a fresh window

	p.Click("#change_id_shelf")
	inPopup(t, p, "id_shelf", `
		d.querySelector("#id_name").value = "New shelf (renamed)";
		d.querySelector("#shelf_form input[name=_save]").click()`)
	p.WaitTrue(`document.querySelector("#id_shelf").selectedOptions[0].text === "New shelf (renamed)"`)

	p.ClickLoad("#note_form input[name=_save]")
	got, err := orm.Get[Note](ctx, orm.For[Note](f.app.DB), orm.Q{"pk": note.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Shelf.ID != shelf.ID {
		t.Errorf("the note's shelf is %v, want %d", got.Shelf.ID, shelf.ID)
	}
}
