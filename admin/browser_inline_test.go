package admin_test

import (
	"context"
	"slices"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// TestBrowserInlineAddRemove: "Add another" copies the empty form up to
// MaxNum, "Remove" drops an unsaved row and renumbers the next, and the
// rows left are saved.
func TestBrowserInlineAddRemove(t *testing.T) {
	app, _ := newSiteOn(t, "sqlite", nil, func(site *admin.Site) error {
		in := admin.Tabular(Note{})
		zero := 0
		in.Fields, in.Extra, in.MaxNum = []string{"title"}, &zero, 3
		if err := site.Register(Shelf{}, &admin.ModelAdmin{Inlines: []admin.Inline{in}}); err != nil {
			return err
		}
		return site.Register(Note{}, nil)
	})
	ctx := context.Background()
	shelf := &Shelf{Name: "Top"}
	if err := app.DB.Insert(ctx, shelf); err != nil {
		t.Fatal(err)
	}
	alpha := &Note{Title: "alpha"}
	alpha.Shelf.ID = shelf.ID
	if err := app.DB.Insert(ctx, alpha); err != nil {
		t.Fatal(err)
	}
	base := serve(t, app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/notes/shelf/" + key(shelf.ID) + "/change/")

	total := func() string { v, _ := p.Attr("#id_note_set-TOTAL_FORMS", "value"); return v }
	totalNow := func() string {
		return browser.Eval[string](p, `document.getElementById("id_note_set-TOTAL_FORMS").value`)
	}
	if got := total(); got != "1" {
		t.Fatalf("TOTAL_FORMS %s before adding", got)
	}
	add := "#note_set-group tr.add-row a"
	p.Click(add)
	p.WaitVisible(`#note_set-1 input[name="note_set-1-title"]`)
	p.Type(`input[name="note_set-1-title"]`, "beta")
	p.Click(add)
	p.WaitVisible(`#note_set-2 input[name="note_set-2-title"]`)
	p.Type(`input[name="note_set-2-title"]`, "gamma")
	if got := totalNow(); got != "3" {
		t.Errorf("TOTAL_FORMS %s after two additions", got)
	}
	if browser.Eval[bool](p, `document.querySelector("#note_set-group tr.add-row").checkVisibility()`) {
		t.Error("Add another is still offered at MaxNum")
	}
	p.Click("#note_set-1 a.inline-deletelink")
	if got := totalNow(); got != "2" {
		t.Errorf("TOTAL_FORMS %s after removing a row", got)
	}
	if got := browser.Eval[string](p, `document.querySelector("#note_set-1 input[type=text]").name + "=" + document.querySelector("#note_set-1 input[type=text]").value`); got != "note_set-1-title=gamma" {
		t.Errorf("the row after the removed one is %s, want it renumbered", got)
	}
	p.WaitVisible("#note_set-group tr.add-row")
	p.Click(`input[name="_save"]`)
	p.WaitURL(base + "/admin/notes/shelf/")
	notes, err := orm.All[Note](ctx, orm.For[Note](app.DB).Filter(orm.Q{"shelf": shelf.ID}).OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, n := range notes {
		titles = append(titles, n.Title)
	}
	if !slices.Equal(titles, []string{"alpha", "gamma"}) {
		t.Errorf("saved notes %v, want alpha and gamma", titles)
	}
}
