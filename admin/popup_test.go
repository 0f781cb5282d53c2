package admin_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

func TestPopupChangeList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(editableAdmin()))
		keys := seedVolumes(f)
		pub := &Publisher{Number: 4242, Name: "Pub"}
		f.insert(pub)
		c := f.root

		popup := c.Get("/admin/shop/volume/?_popup=1")
		expectStatus(t, popup, 200)
		if got := popup.Text("#content h1"); got != "Select volume" {
			t.Errorf("popup title %q", got)
		}
		if popup.Find(".actions, .action-select, input[name=form-TOTAL_FORMS], input[name=_save]").Length() != 0 {
			t.Error("a popup shows actions or list_editable")
		}
		link := popup.Find("#result_list tbody th a").First()
		if got := link.AttrOr("data-popup-opener", ""); got != keys["a"] {
			t.Errorf("data-popup-opener %q, want the key %q", got, keys["a"])
		}
		if got := popup.Find("input[name=_popup]").AttrOr("value", ""); got != "1" {
			t.Errorf("the search form keeps _popup: %q", got)
		}
		if r := c.Submit(popup, "#changelist-form", url.Values{"action": {"delete_selected"}, "index": {"0"}, "_selected_action": {keys["a"]}}, ""); r.StatusCode != 200 || len(f.volumes()) != 3 {
			t.Errorf("an action POST in a popup: %d", r.StatusCode)
		}

		// _to_field: the key always; another field only when a registered
		// model's foreign key targets it.
		byNumber := c.Get("/admin/shop/publisher/?_popup=1&_to_field=number")
		expectStatus(t, byNumber, 200)
		if got := byNumber.Find("#result_list tbody a").AttrOr("data-popup-opener", ""); got != "4242" {
			t.Errorf("to_field value %q", got)
		}
		expectStatus(t, c.Get("/admin/shop/publisher/?_popup=1&_to_field=id"), 200)
		for _, path := range []string{
			"/admin/shop/publisher/?_to_field=name",
			"/admin/shop/publisher/?_popup=1&_to_field=memo",
			"/admin/shop/publisher/?_to_field=nope",
			"/admin/notes/shelf/?_to_field=name",
			"/admin/shop/publisher/add/?_to_field=name",
			"/admin/shop/publisher/" + key(pub.ID) + "/change/?_to_field=name",
			"/admin/shop/publisher/" + key(pub.ID) + "/delete/?_to_field=name",
		} {
			r := c.Get(path)
			expectStatus(t, r, 400)
			if !strings.Contains(r.Body, "cannot be referenced") {
				t.Errorf("%s: %s", path, r.Text("#content"))
			}
		}
		for _, path := range []string{
			"/admin/shop/publisher/add/?_to_field=number",
			// The id is then the field's value, as Django's get_object
			// with from_field.
			"/admin/shop/publisher/4242/change/?_to_field=number",
			"/admin/shop/publisher/4242/delete/?_to_field=number",
		} {
			expectStatus(t, c.Get(path), 200)
		}
	})
}

func TestPreservedFilters(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin()))
		keys := seedVolumes(f)
		c := f.root
		const list = "/admin/shop/volume/?o=-1&q=b"
		const wrapped = "_changelist_filters=o%3D-1%26q%3Db"
		page := c.Get(list)
		change := page.Find("#result_list tbody th a").AttrOr("href", "")
		if change != "/admin/shop/volume/"+keys["b"]+"/change/?"+wrapped {
			t.Fatalf("row link %q", change)
		}
		if got := page.Find(".object-tools .addlink").AttrOr("href", ""); got != "/admin/shop/volume/add/?"+wrapped {
			t.Errorf("add link %q", got)
		}

		// change → save → back to the filtered list.
		form := c.Get(change)
		if got := form.Find("#volume_form").AttrOr("action", ""); got != "?"+wrapped {
			t.Errorf("form action %q", got)
		}
		history := form.Find("a.historylink").AttrOr("href", "")
		del := form.Find("a.deletelink").AttrOr("href", "")
		if !strings.HasSuffix(history, "/history/?"+wrapped) || !strings.HasSuffix(del, "/delete/?"+wrapped) {
			t.Errorf("history %q, delete %q", history, del)
		}
		if r := c.Submit(form, "#volume_form", url.Values{"price": {"12"}}, "_save"); r.Location() != list {
			t.Errorf("after save: %q", r.Location())
		}
		if r := c.Submit(form, "#volume_form", nil, "_continue"); r.Location() != "/admin/shop/volume/"+keys["b"]+"/change/?"+wrapped {
			t.Errorf("after save and continue: %q", r.Location())
		}
		// history → back.
		hist := c.Get(history)
		expectStatus(t, hist, 200)
		var crumbs []string
		for _, a := range hist.Find(".breadcrumbs a").EachIter() {
			crumbs = append(crumbs, a.AttrOr("href", ""))
		}
		if !slices.Contains(crumbs, list) || !slices.Contains(crumbs, change) {
			t.Errorf("history breadcrumbs %q", crumbs)
		}
		// add → save → back.
		add := c.Get("/admin/shop/volume/add/?" + wrapped)
		if r := c.Submit(add, "#volume_form", url.Values{"title": {"bb"}, "price": {"1"}}, "_save"); r.StatusCode != 302 || r.Location() != list {
			t.Errorf("after add: %d %q", r.StatusCode, r.Location())
		}
		// delete → back.
		confirm := c.Get(del)
		if r := c.Submit(confirm, "#content form", nil, ""); r.Location() != list {
			t.Errorf("after delete: %q", r.Location())
		}
	})
}

func TestPreserveFiltersOff(t *testing.T) {
	ma := volumeAdmin()
	ma.PreserveFilters = new(bool)
	f := newShop(t, "sqlite", registerShop(ma))
	keys := seedVolumes(f)
	c := f.root
	page := c.Get("/admin/shop/volume/?q=b")
	if got := page.Find("#result_list tbody th a").AttrOr("href", ""); got != "/admin/shop/volume/"+keys["b"]+"/change/" {
		t.Errorf("row link %q", got)
	}
	form := c.Get("/admin/shop/volume/" + keys["b"] + "/change/?_changelist_filters=q%3Db")
	if _, has := form.Find("#volume_form").Attr("action"); has {
		t.Error("the form action carries filters with PreserveFilters off")
	}
	if r := c.Submit(form, "#volume_form", nil, "_save"); r.Location() != "/admin/shop/volume/" {
		t.Errorf("after save: %q", r.Location())
	}
}
