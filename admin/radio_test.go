package admin_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
)

// TestRadioFields: fields of RadioFields are radio buttons, laid out as
// Django's ("radiolist inline" for horizontal), with a "None" choice
// first only when the field may be left blank; the choice saves.
func TestRadioFields(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ma := &admin.ModelAdmin{RadioFields: map[string]admin.RadioLayout{
			"size": admin.Horizontal, "colour": admin.Vertical, "shelf": admin.Vertical, "owner": admin.Horizontal}}
		f := newKits(t, dialect, registerKits(ma))
		f.insert(&Shelf{Name: "Top"}, &Shelf{Name: "Bottom"})
		page := f.root.Get("/admin/kits/kit/add/")
		expectStatus(t, page, 200)
		for _, tc := range []struct {
			name, class string
			labels      []string
		}{
			{"size", "radiolist inline", []string{"Small", "Medium", "Large"}},
			{"colour", "radiolist", []string{"None", "Red", "Green"}},
			{"shelf", "radiolist", []string{"None", "Top", "Bottom"}},
			{"owner", "radiolist inline", []string{"Top", "Bottom"}},
		} {
			list := page.Find("div#id_" + tc.name)
			if got, _ := list.Attr("class"); got != tc.class {
				t.Errorf("%s: class %q, want %q", tc.name, got, tc.class)
			}
			var labels []string
			list.Find("label").Each(func(_ int, s *goquery.Selection) { labels = append(labels, strings.TrimSpace(s.Text())) })
			if strings.Join(labels, "|") != strings.Join(tc.labels, "|") {
				t.Errorf("%s: choices %q, want %q", tc.name, labels, tc.labels)
			}
			if n := list.Find(`input[type="radio"][name="` + tc.name + `"]`).Length(); n != len(tc.labels) {
				t.Errorf("%s: %d radio buttons, want %d", tc.name, n, len(tc.labels))
			}
			if _, has := page.Find(".field-" + tc.name + " label").First().Attr("for"); has {
				t.Errorf("%s: the label points at one button", tc.name) // Django's id_for_label is ""
			}
		}
		top := page.Find(`#id_owner input[type="radio"]`).First().AttrOr("value", "")
		r := f.root.Submit(page, "#kit_form", url.Values{"title": {"Kit"}, "slug": {"kit"}, "size": {"m"}, "owner": {top}}, "_save")
		if r.StatusCode != 302 {
			t.Fatalf("add: %d %s %s", r.StatusCode, r.Text(".errornote"), r.Text("ul.errorlist"))
		}
		k := f.kit("Kit")
		if k.Size != "m" || k.Colour != "" || key(k.Owner.ID) != top || !k.Shelf.IsNull() {
			t.Fatalf("saved %+v", k)
		}
		// A required field left unanswered and a value not among the
		// choices are refused.
		r = f.root.Submit(page, "#kit_form", url.Values{"title": {"Kit 2"}, "slug": {"kit2"}, "size": {"x"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text("ul.errorlist"); !strings.Contains(got, "Select a valid choice") || !strings.Contains(got, "This field is required.") {
			t.Fatalf("errors %q", got)
		}
		// The change page checks the saved choice.
		change := f.root.Get("/admin/kits/kit/" + key(k.ID) + "/change/")
		if v := change.Find(`#id_size input[checked]`).AttrOr("value", ""); v != "m" {
			t.Fatalf("checked size %q", v)
		}
	})
}
