package admin_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// twoBoxAdmins registers the lib app with the two-box chooser: Title's
// writers side by side (FilterHorizontal), a Review's readers stacked
// (FilterVertical) past a SelectMaxChoices of two, so that they are
// searched for; writers are searchable when search is set.
func twoBoxAdmins(search bool) func(*admin.Site) error {
	return func(site *admin.Site) error {
		writers := &admin.ModelAdmin{Ordering: []string{"name"}}
		if search {
			writers.SearchFields = []string{"name"}
		}
		if err := site.Register(Writer{}, writers); err != nil {
			return err
		}
		if err := site.Register(Title{}, &admin.ModelAdmin{FilterHorizontal: []string{"writers"}}); err != nil {
			return err
		}
		return site.Register(Review{}, &admin.ModelAdmin{FilterVertical: []string{"readers"}, SelectMaxChoices: 2})
	}
}

// TestFilterHorizontal checks the two-box chooser's markup and that the
// form saves through it: a select of class "selectfilter" listing every
// writer, with SelectFilter2's attributes and selectfilter.js; past
// SelectMaxChoices a "selectfilterstacked" one holding only the chosen
// readers, with the autocomplete endpoint's attributes.
func TestFilterHorizontal(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newLibWith(t, dialect, twoBoxAdmins(true))
		c := f.root
		ws := []*Writer{{Name: "Ann", Active: true}, {Name: "Bea", Active: true}, {Name: "Cal", Active: true}}
		f.insert(ws[0], ws[1], ws[2])

		page := c.Get("/admin/lib/title/add/")
		expectStatus(t, page, 200)
		sel := page.Find("select#id_writers")
		if !sel.HasClass("selectfilter") || sel.AttrOr("data-field-name", "") != "writers" || sel.AttrOr("data-is-stacked", "") != "0" {
			t.Errorf("writers select: %s", page.Find(".field-writers").Text())
		}
		if _, ok := sel.Attr("multiple"); !ok || sel.Find("option").Length() != 3 || sel.Is("[data-ajax--url]") {
			t.Errorf("writers options: %q", sel.Text())
		}
		if page.Find(`script[src*="selectfilter"]`).Length() != 1 || page.Find(`script[src*="autocomplete"]`).Length() != 0 {
			t.Error("the page does not load selectfilter.js alone")
		}
		if !strings.Contains(page.Text(".field-writers .help"), "Hold down") {
			t.Error("the multiple select lost its hint")
		}
		r := c.Submit(page, "#title_form", url.Values{"name": {"Odes"}, "writers": {key(ws[0].ID), key(ws[2].ID)}}, "_save")
		expectStatus(t, r, 302)
		title, err := orm.Get[Title](context.Background(), orm.For[Title](f.app.DB), orm.Q{"name": "Odes"})
		if err != nil {
			t.Fatal(err)
		}
		if ids, _ := f.app.DB.LoadM2M(context.Background(), title, "writers"); !slices.Equal(ids, []int64{ws[0].ID, ws[2].ID}) {
			t.Errorf("saved writers %v", ids)
		}
		change := c.Get("/admin/lib/title/" + key(title.ID) + "/change/")
		if got := words(change.Text("select#id_writers option[selected]")); got != "Ann Cal" {
			t.Errorf("chosen writers %q", got)
		}

		// Past SelectMaxChoices: only the chosen readers, and the endpoint.
		page = c.Get("/admin/lib/review/add/")
		expectStatus(t, page, 200)
		sel = page.Find("select#id_readers")
		if !sel.HasClass("selectfilterstacked") || sel.AttrOr("data-is-stacked", "") != "1" || sel.Find("option").Length() != 0 {
			t.Errorf("readers select: %s", page.Find(".field-readers").Text())
		}
		for attr, want := range map[string]string{"data-ajax--url": "/admin/autocomplete/", "data-app-label": "lib",
			"data-model-name": "review", "data-relation-name": "readers", "data-field-name": "readers"} {
			if got := sel.AttrOr(attr, ""); got != want {
				t.Errorf("readers %s=%q, want %q", attr, got, want)
			}
		}
		got := decodeAutocomplete(t, c.Get("/admin/autocomplete/?app_label=lib&model_name=review&field_name=readers&term=b"))
		if len(got.Results) != 1 || got.Results[0].Text != "Bea" {
			t.Errorf("the endpoint finds %s", got.texts())
		}
		r = c.Submit(page, "#review_form", url.Values{"readers": {key(ws[1].ID), key(ws[2].ID)}}, "_save")
		expectStatus(t, r, 302)
		rv, err := orm.Get[Review](context.Background(), orm.For[Review](f.app.DB), orm.Q{})
		if err != nil {
			t.Fatal(err)
		}
		if ids, _ := f.app.DB.LoadM2M(context.Background(), rv, "readers"); !slices.Equal(ids, []int64{ws[1].ID, ws[2].ID}) {
			t.Errorf("saved readers %v", ids)
		}
		change = c.Get("/admin/lib/review/" + key(rv.ID) + "/change/")
		if got := words(change.Text("select#id_readers option[selected]")); got != "Bea Cal" || change.Find("select#id_readers option").Length() != 2 {
			t.Errorf("chosen readers %q", change.Text("select#id_readers"))
		}
		for _, m := range f.app.Site.Check() {
			if m.Option == "readers" {
				t.Errorf("a searched two-box chooser is warned of: %s", m)
			}
		}
	})
}

// TestFilterVerticalWithoutSearch checks a two-box chooser past
// SelectMaxChoices whose related admin cannot search degrades to a raw
// id input, as a select does, and Site.Check warns of it.
func TestFilterVerticalWithoutSearch(t *testing.T) {
	f := newLibWith(t, "sqlite", twoBoxAdmins(false))
	f.insert(&Writer{Name: "Ann"}, &Writer{Name: "Bea"}, &Writer{Name: "Cal"})
	page := f.root.Get("/admin/lib/review/add/")
	expectStatus(t, page, 200)
	if page.Find("input#id_readers.vManyToManyRawIdAdminField").Length() != 1 || page.Find("select#id_readers").Length() != 0 {
		t.Errorf("readers: %s", page.Find(".field-readers").Text())
	}
	var warned bool
	for _, m := range f.app.Site.Check() {
		warned = warned || m.ID == "staffroom.W002" && m.Option == "readers"
	}
	if !warned {
		t.Error("no staffroom.W002 for the readers")
	}
}

// TestInlineFilterHorizontal checks an inline's FilterHorizontal and
// FilterVertical: the forms of a tabular and a stacked inline, and their
// empty form, render the two-box chooser's select, and the page loads
// selectfilter.js.
func TestInlineFilterHorizontal(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tabular bool
		class   string
	}{{"tabular", true, "selectfilter"}, {"stacked", false, "selectfilterstacked"}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newLibWith(t, "sqlite", inlineChooserAdmins(tc.tabular))
			f.insert(&Writer{Name: "Ann", Active: true}, &Writer{Name: "Bea", Active: true})
			title := &Title{Name: "Odes"}
			f.insert(title)
			review := &Review{}
			review.Title.ID = title.ID
			f.insert(review)
			page := f.root.Get("/admin/lib/title/" + key(title.ID) + "/change/")
			expectStatus(t, page, 200)
			for _, id := range []string{"id_review_set-0-readers", "id_review_set-__prefix__-readers"} {
				sel := page.Find("select#" + id)
				if !sel.HasClass(tc.class) || sel.AttrOr("data-field-name", "") != "readers" || sel.Find("option").Length() != 2 {
					t.Errorf("%s: class %q, %d options", id, sel.AttrOr("class", ""), sel.Find("option").Length())
				}
			}
			if page.Find(`script[src*="selectfilter"]`).Length() != 1 {
				t.Error("the page does not load selectfilter.js")
			}
		})
	}
}
