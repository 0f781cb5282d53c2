package admin_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// TestSeenAsANewUser: what a first look at the admin turned up — floats
// shown as Django shows them, join rows named on the delete page, the
// cursor on the first field in error.
func TestSeenAsANewUser(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ma := &admin.ModelAdmin{ListDisplay: []any{"title", "weight"}}
		f := newKits(t, dialect, registerKits(ma))
		top, bottom := &Shelf{Name: "Top"}, &Shelf{Name: "Bottom"}
		f.insert(top, bottom)
		kit := &Kit{Title: "Heavy", Slug: "heavy", Size: "l", Owner: orm.FK[Shelf](top.ID), Weight: 5}
		f.insert(kit)
		if err := f.app.DB.SetM2M(context.Background(), kit, "spares", []int64{top.ID, bottom.ID}); err != nil {
			t.Fatal(err)
		}
		changeURL := "/admin/kits/kit/" + key(kit.ID) + "/change/"

		// A whole float reads "5.0", in the input and in the list.
		change := f.root.Get(changeURL)
		if v := change.Find("input#id_weight").AttrOr("value", ""); v != "5.0" {
			t.Errorf("weight input %q, want 5.0", v)
		}
		if v := f.root.Get("/admin/kits/kit/").Text("td.field-weight"); v != "5.0" {
			t.Errorf("weight column %q, want 5.0", v)
		}

		// The delete page names each join row as Django's does.
		del := f.root.Get("/admin/kits/kit/" + key(kit.ID) + "/delete/")
		expectStatus(t, del, 200)
		var items []string
		del.Find("#content ul li ul li").Each(func(_ int, s *goquery.Selection) { items = append(items, words(s.Text())) })
		if len(items) != 2 || !strings.HasPrefix(items[0], "Kit-shelf relationship: Kit_spares object (") || strings.HasSuffix(items[0], ": ") {
			t.Errorf("join rows listed as %q", items)
		}
		if !strings.Contains(del.Text("#content ul"), "Kit-shelf relationships: 2") {
			t.Errorf("summary %q", del.Text("#content ul"))
		}

		// After a failed save the first field in error has the focus.
		r := f.root.Submit(change, "#kit_form", url.Values{"title": {""}, "weight": {"heavy"}}, "_save")
		expectStatus(t, r, 200)
		focused := r.Find("[autofocus]")
		if focused.Length() != 1 || focused.AttrOr("name", "") != "title" {
			t.Errorf("autofocus on %d elements, the first %q", focused.Length(), focused.AttrOr("name", ""))
		}
		if change.Find("[autofocus]").Length() != 0 {
			t.Error("a page without errors sets autofocus")
		}
	})
}
