package admin_test

import (
	"net/url"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom/admin"
)

// popupTemplates hold a named popup response template and a per-model
// override of admin/popup_response.html, each replacing one block.
var popupTemplates = fstest.MapFS{
	"admin/shelf_popup.html":                {Data: []byte(`{{define "popup_body"}}<p class="shelf-popup">Shelf saved: {{.Data}}</p>{{end}}`)},
	"admin/notes/note/popup_response.html":  {Data: []byte(`{{define "popup_body"}}<p class="note-popup">Note saved</p>{{end}}`)},
	"admin/notes/shelf/popup_response.html": {Data: []byte(`{{define "popup_body"}}<p class="shelf-model-file">beaten by the option</p>{{end}}`)},
}

// TestPopupResponseTemplate: a popup's answer uses the admin's
// PopupResponseTemplate (Django's popup_response_template) for add,
// change and delete, else the model's own popup_response.html; either
// keeps the script that hands the answer to the opener.
func TestPopupResponseTemplate(t *testing.T) {
	app, c := newSiteOn(t, "sqlite", popupTemplates, func(site *admin.Site) error {
		if err := site.Register(Shelf{}, &admin.ModelAdmin{PopupResponseTemplate: "admin/shelf_popup.html"}); err != nil {
			return err
		}
		return site.Register(Note{}, nil)
	})
	f := &fixture{t: t, app: app, root: c}

	add := c.Get("/admin/notes/shelf/add/?_to_field=id&_popup=1")
	r := c.Submit(add, "#shelf_form", url.Values{"name": {"Fresh"}}, "_save")
	got := popupAnswer(t, r)
	if r.Find("p.shelf-popup").Length() != 1 || r.Find("p.shelf-model-file").Length() != 0 {
		t.Errorf("the add answer does not use PopupResponseTemplate:\n%s", r.Body)
	}
	shelf := &Shelf{Name: "Old"}
	f.insert(shelf)
	change := c.Get("/admin/notes/shelf/" + key(shelf.ID) + "/change/?_to_field=id&_popup=1")
	r = c.Submit(change, "#shelf_form", url.Values{"name": {"Renamed"}}, "_save")
	if popupAnswer(t, r)["action"] != "change" || r.Find("p.shelf-popup").Length() != 1 {
		t.Errorf("the change answer does not use PopupResponseTemplate:\n%s", r.Body)
	}
	del := c.Get("/admin/notes/shelf/" + got["value"] + "/delete/?_to_field=id&_popup=1")
	r = c.Submit(del, "#content form", nil, "")
	if popupAnswer(t, r)["action"] != "delete" || r.Find("p.shelf-popup").Length() != 1 {
		t.Errorf("the delete answer does not use PopupResponseTemplate:\n%s", r.Body)
	}

	add = c.Get("/admin/notes/note/add/?_to_field=id&_popup=1")
	r = c.Submit(add, "#note_form", url.Values{"title": {"n"}}, "_save")
	popupAnswer(t, r)
	if r.Find("p.note-popup").Length() != 1 {
		t.Errorf("the note's answer does not use admin/notes/note/popup_response.html:\n%s", r.Body)
	}
}
