package admin_test

import (
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
)

// activeID is the id of the element that has the focus.
func activeID(p *browser.Page) string {
	return browser.Eval[string](p, `document.activeElement ? document.activeElement.id : ""`)
}

// TestBrowserFocus: a fresh add form starts in its first field, a change
// form leaves the focus alone, and a form sent back with an error puts
// the focus in the first field in error (change_form.js).
func TestBrowserFocus(t *testing.T) {
	app, _ := newSiteOn(t, "sqlite", nil, func(site *admin.Site) error {
		return site.Register(Note{}, &admin.ModelAdmin{Fields: []string{"body", "title", "done"}})
	})
	note := &Note{Title: "kept"}
	(&fixture{t: t, app: app}).insert(note)
	base := serve(t, app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")

	p.Open(base + "/admin/notes/note/add/")
	p.WaitTrue(`document.activeElement && document.activeElement.id !== ""`)
	if got := activeID(p); got != "id_body" {
		t.Errorf("a fresh add form focuses %q, want the first field id_body", got)
	}
	p.Type("#id_body", "no title")
	p.ClickLoad(`#note_form input[name="_save"]`)
	if n := browser.Eval[int](p, `document.querySelectorAll(".errornote").length`); n != 1 {
		t.Fatalf("the form came back with %d error notes, want 1 (%s)", n, p.URL())
	}
	p.WaitTrue(`document.activeElement && document.activeElement.id !== ""`)
	if got := activeID(p); got != "id_title" {
		t.Errorf("after an error the focus is on %q, want the field in error id_title", got)
	}

	p.Open(base + "/admin/notes/note/" + key(note.ID) + "/change/")
	if got := activeID(p); got != "" {
		t.Errorf("a change form focuses %q, want no field", got)
	}
	browser.Eval[bool](p, `document.getElementById("id_title").value = "", true`)
	p.Click("#id_body")
	p.ClickLoad(`#note_form input[name="_save"]`)
	p.WaitTrue(`document.activeElement && document.activeElement.id !== ""`)
	if got := activeID(p); got != "id_title" {
		t.Errorf("after an error on the change form the focus is on %q, want id_title", got)
	}
}
