package admin_test

import (
	"context"
	"slices"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// inlineChooserAdmins registers Title with an inline of its reviews whose
// readers are chosen in the two-box chooser: horizontal in a tabular
// inline, vertical in a stacked one.
func inlineChooserAdmins(tabular bool) func(*admin.Site) error {
	return func(site *admin.Site) error {
		if err := site.Register(Writer{}, &admin.ModelAdmin{Ordering: []string{"name"}}); err != nil {
			return err
		}
		zero := 0
		var in admin.Inline
		if tabular {
			t := admin.Tabular(Review{})
			t.Fields, t.Extra, t.FilterHorizontal = []string{"readers"}, &zero, []string{"readers"}
			in = t
		} else {
			s := admin.Stacked(Review{})
			s.Fields, s.Extra, s.FilterVertical = []string{"readers"}, &zero, []string{"readers"}
			in = s
		}
		return site.Register(Title{}, &admin.ModelAdmin{Inlines: []admin.Inline{in}})
	}
}

// TestBrowserInlineSelectFilter adds a review row with "Add another" in
// a tabular and a stacked inline, chooses two readers in the row's
// two-box chooser (built for the new row, not for the empty form it is
// copied from) and saves.
func TestBrowserInlineSelectFilter(t *testing.T) {
	for _, tc := range []struct {
		name    string
		tabular bool
	}{{"tabular", true}, {"stacked", false}} {
		t.Run(tc.name, func(t *testing.T) {
			f := newLibWith(t, "sqlite", inlineChooserAdmins(tc.tabular))
			ws := map[string]*Writer{}
			for _, name := range []string{"Ann", "Bea", "Cid"} {
				ws[name] = &Writer{Name: name, Active: true}
				f.insert(ws[name])
			}
			title := &Title{Name: "Odes"}
			f.insert(title)
			base := serve(t, f.app.Handler)
			p := chrome.Page(t)
			p.Login(base, "/admin/login/", "root", "pw")
			p.Open(base + "/admin/lib/title/" + key(title.ID) + "/change/")

			if n := browser.Eval[int](p, `document.querySelectorAll("#review_set-group .selector").length`); n != 0 {
				t.Errorf("%d choosers before adding a row, want none (not even in the empty form)", n)
			}
			p.Click("#review_set-group .add-row a")
			p.WaitVisible("#id_review_set-0-readers_from")
			if n := browser.Eval[int](p, `document.querySelectorAll("#review_set-group .selector").length`); n != 1 {
				t.Errorf("%d choosers after adding a row, want 1", n)
			}
			stacked := browser.Eval[bool](p, `document.querySelector("#review_set-0 .selector").classList.contains("stacked")`)
			if stacked == tc.tabular {
				t.Errorf("stacked boxes %v, want %v", stacked, !tc.tabular)
			}
			if got := boxTexts(p, "id_review_set-0-readers_from"); got != "Ann Bea Cid" {
				t.Errorf("available %q", got)
			}
			opt := func(name string) string {
				return `#id_review_set-0-readers_from option[value="` + key(ws[name].ID) + `"]`
			}
			p.DoubleClick(opt("Ann"))
			p.Click(opt("Cid"))
			p.Click("#id_review_set-0-readers_add")
			if got := boxTexts(p, "id_review_set-0-readers_to"); got != "Ann Cid" {
				t.Errorf("chosen %q", got)
			}

			p.ClickLoad(`#title_form input[name="_save"]`)
			if got := p.URL(); got != base+"/admin/lib/title/" {
				t.Fatalf("after saving: %s (%s)", got, p.Text("#content"))
			}
			ctx := context.Background()
			reviews, err := orm.All[Review](ctx, orm.For[Review](f.app.DB).Filter(orm.Q{"title": title.ID}))
			if err != nil {
				t.Fatal(err)
			}
			if len(reviews) != 1 {
				t.Fatalf("%d reviews saved, want 1", len(reviews))
			}
			if ids, _ := f.app.DB.LoadM2M(ctx, reviews[0], "readers"); !slices.Equal(ids, []int64{ws["Ann"].ID, ws["Cid"].ID}) {
				t.Errorf("saved readers %v", ids)
			}
		})
	}
}
