package admin_test

import (
	"context"
	"encoding/json"
	"net/url"
	"testing"

	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// relatedLinks are the ids of the links beside a relation's widget.
func relatedLinks(r *webtest.Response, field string) map[string]string {
	out := map[string]string{}
	for _, kind := range []string{"add", "change", "view", "delete"} {
		a := r.Find(".related-widget-wrapper #" + kind + "_id_" + field)
		if a.Length() == 0 {
			continue
		}
		href, ok := a.Attr("href")
		if !ok {
			href = "(template " + a.AttrOr("data-href-template", "") + ")"
		}
		out[kind] = href
		if a.AttrOr("data-popup", "") != "yes" {
			out[kind] += " (no data-popup)"
		}
	}
	return out
}

func TestRelatedWidgetWrapperLinks(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin()))
		shelf := &Shelf{Name: "Top"}
		f.insert(shelf)
		n := &Note{Title: "n", Shelf: orm.FK[Shelf](shelf.ID)}
		f.insert(n)
		const params = "?_to_field=id&_popup=1"
		sid := key(shelf.ID)

		page := f.root.Get("/admin/notes/note/" + key(n.ID) + "/change/")
		expectStatus(t, page, 200)
		got := relatedLinks(page, "shelf")
		want := map[string]string{
			"add":    "/admin/notes/shelf/add/" + params,
			"change": "/admin/notes/shelf/" + sid + "/change/" + params,
			"delete": "/admin/notes/shelf/" + sid + "/delete/" + params,
		}
		if len(got) != len(want) || got["add"] != want["add"] || got["change"] != want["change"] || got["delete"] != want["delete"] {
			t.Errorf("superuser's links %q, want %q", got, want)
		}
		if page.Find(".related-widget-wrapper[data-model-ref=shelf] select#id_shelf").Length() != 1 {
			t.Error("the select is not inside the wrapper")
		}
		if tmpl := page.Find("#change_id_shelf").AttrOr("data-href-template", ""); tmpl != "/admin/notes/shelf/__fk__/change/"+params {
			t.Errorf("change link template %q", tmpl)
		}
		if page.Find(`script[src*="related_objects.js"]`).Length() != 1 {
			t.Error("related_objects.js not loaded")
		}
		// No choice yet: the links to the chosen one have no href.
		add := f.root.Get("/admin/notes/note/add/")
		if got := relatedLinks(add, "shelf"); got["change"] != "(template /admin/notes/shelf/__fk__/change/"+params+")" || got["add"] == "" {
			t.Errorf("add form's links %q", got)
		}

		// Per permission on the related model.
		viewer := f.staff("viewer", "change_note", "view_shelf")
		if got := relatedLinks(viewer.Get("/admin/notes/note/"+key(n.ID)+"/change/"), "shelf"); len(got) != 1 || got["view"] != "/admin/notes/shelf/"+sid+"/change/"+params {
			t.Errorf("a user who may only view shelves: %q", got)
		}
		adder := f.staff("adder", "change_note", "add_shelf", "delete_shelf")
		if got := relatedLinks(adder.Get("/admin/notes/note/"+key(n.ID)+"/change/"), "shelf"); len(got) != 2 || got["add"] == "" || got["delete"] == "" {
			t.Errorf("a user who may add and delete shelves: %q", got)
		}
		none := f.staff("none", "change_note")
		if got := relatedLinks(none.Get("/admin/notes/note/"+key(n.ID)+"/change/"), "shelf"); len(got) != 0 {
			t.Errorf("a user with no permission on shelves: %q", got)
		}

		// A to_field relation links with that field; a cascading one has
		// no delete link.
		vol := f.root.Get("/admin/shop/volume/add/")
		if got := relatedLinks(vol, "publisher"); got["add"] != "/admin/shop/publisher/add/?_to_field=number&_popup=1" || got["delete"] != "" {
			t.Errorf("volume's publisher links %q", got)
		}
	})
}

// popupAnswer reads the JSON a popup_response page carries.
func popupAnswer(t *testing.T, r *webtest.Response) map[string]string {
	t.Helper()
	expectStatus(t, r, 200)
	s := r.Find(`script[data-popup-response][src*="popup_response.js"]`)
	if s.Length() != 1 {
		t.Fatalf("not a popup response:\n%s", r.Body)
	}
	if r.Find("script:not([src])").Length() != 0 {
		t.Error("the popup response has an inline script")
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(s.AttrOr("data-popup-response", "")), &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRelatedPopupResponses(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin()))
		c := f.root
		ctx := context.Background()

		// Add, in a popup: no navigation, the popup fields kept.
		page := c.Get("/admin/notes/shelf/add/?_to_field=id&_popup=1")
		expectStatus(t, page, 200)
		if page.Find("#nav-sidebar, nav.breadcrumbs").Length() != 0 || !page.Find("body").HasClass("popup") {
			t.Error("a popup shows the navigation")
		}
		if page.Find("input[name=_continue], input[name=_addanother]").Length() != 0 {
			t.Error("a popup offers buttons that leave it")
		}
		if page.Find("#shelf_form input[name=_popup]").AttrOr("value", "") != "1" || page.Find("#shelf_form input[name=_to_field]").AttrOr("value", "") != "id" {
			t.Error("the popup form does not post _popup and _to_field")
		}
		// Posted to a URL without the query: the hidden fields suffice.
		_, values := page.FormValues("#shelf_form")
		values.Set("name", "Fresh")
		values.Set("_save", "1")
		got := popupAnswer(t, c.Post("/admin/notes/shelf/add/", values))
		shelf, err := orm.Get[Shelf](ctx, orm.For[Shelf](f.app.DB), orm.Q{"name": "Fresh"})
		if err != nil {
			t.Fatal(err)
		}
		if got["value"] != key(shelf.ID) || got["obj"] != "Fresh" || len(got) != 2 {
			t.Errorf("add answer %q", got)
		}

		// Change, by a to_field value.
		pub := &Publisher{Number: 4242, Name: "Pub"}
		f.insert(pub)
		page = c.Get("/admin/shop/publisher/4242/change/?_to_field=number&_popup=1")
		expectStatus(t, page, 200)
		if page.Find("a.deletelink").Length() != 0 {
			t.Error("a popup's change form links to the delete page")
		}
		got = popupAnswer(t, c.Submit(page, "#publisher_form", url.Values{"number": {"4343"}, "name": {"Pub2"}}, "_save"))
		if got["action"] != "change" || got["value"] != "4242" || got["new_value"] != "4343" || got["obj"] != "Pub2" {
			t.Errorf("change answer %q", got)
		}

		// Delete.
		page = c.Get("/admin/notes/shelf/" + key(shelf.ID) + "/delete/?_to_field=id&_popup=1")
		expectStatus(t, page, 200)
		if page.Find("#nav-sidebar, nav.breadcrumbs").Length() != 0 {
			t.Error("a popup's delete page shows the navigation")
		}
		_, values = page.FormValues("#content form")
		got = popupAnswer(t, c.Post("/admin/notes/shelf/"+key(shelf.ID)+"/delete/", values))
		if got["action"] != "delete" || got["value"] != key(shelf.ID) {
			t.Errorf("delete answer %q", got)
		}
		if n, _ := orm.For[Shelf](f.app.DB).Count(ctx); n != 0 {
			t.Errorf("%d shelves left", n)
		}

		// A field no relation targets cannot be referenced, on any view.
		for _, path := range []string{
			"/admin/notes/shelf/add/?_to_field=name&_popup=1",
			"/admin/shop/publisher/4343/change/?_to_field=name&_popup=1",
			"/admin/shop/publisher/4343/delete/?_to_field=name&_popup=1",
		} {
			expectStatus(t, c.Get(path), 400)
		}
		page = c.Get("/admin/notes/shelf/add/?_popup=1")
		expectStatus(t, c.Submit(page, "#shelf_form", url.Values{"name": {"x"}, "_to_field": {"name"}}, "_save"), 400)
	})
}
