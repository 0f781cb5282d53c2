package admin_test

import (
	"net/url"
	"testing"

	"github.com/staffroom/staffroom/admin"
)

// TestPrepopulatedFields: on the add page the slug carries the data
// prepopulate.js reads and the page loads the script; on the change page
// (after the first save) neither, so the slug is never rewritten.
func TestPrepopulatedFields(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ma := &admin.ModelAdmin{PrepopulatedFields: map[string][]string{"slug": {"title", "size"}}}
		f := newKits(t, dialect, registerKits(ma))
		f.insert(&Shelf{Name: "Top"})
		add := f.root.Get("/admin/kits/kit/add/")
		expectStatus(t, add, 200)
		slug := add.Find("input#id_slug")
		for attr, want := range map[string]string{
			"data-dependency_ids":  `["#id_title","#id_size"]`,
			"data-dependency_list": `["title","size"]`,
			"data-maxlength":       "20",
			"data-allow-unicode":   "false",
		} {
			if got := slug.AttrOr(attr, "<none>"); got != want {
				t.Errorf("%s = %s, want %s", attr, got, want)
			}
		}
		if add.Find(`script[src*="/admin/js/prepopulate"]`).Length() != 1 {
			t.Error("the add page does not load prepopulate.js")
		}
		owner := add.Find(`#id_owner option`).Last().AttrOr("value", "")
		r := f.root.Submit(add, "#kit_form", url.Values{"title": {"Kit"}, "slug": {"kit"}, "size": {"s"}, "owner": {owner}}, "_save")
		expectStatus(t, r, 302)
		change := f.root.Get("/admin/kits/kit/" + key(f.kit("Kit").ID) + "/change/")
		expectStatus(t, change, 200)
		if _, has := change.Find("input#id_slug").Attr("data-dependency_ids"); has {
			t.Error("the change page prepopulates the slug")
		}
		if change.Find(`script[src*="prepopulate"]`).Length() != 0 {
			t.Error("the change page loads prepopulate.js")
		}
	})
}
