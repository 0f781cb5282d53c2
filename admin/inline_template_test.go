package admin_test

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// inlineTemplates holds an inline template that wraps the stock tabular
// layout and says how many forms the inline has.
var inlineTemplates = fstest.MapFS{"admin/notes/shelf_notes.html": {Data: []byte(
	`<section class="my-notes" data-prefix="{{.Prefix}}"><p class="my-count">{{len .Forms}} {{.VerboseNamePlural}}</p>` +
		`{{template "inline_tabular" .}}</section>`)}}

// TestInlineTemplate: an inline's Template renders it in place of the
// stock layout, with the inline's data and the stock parts it calls; the
// other inline keeps the stock layout, and the form still saves.
func TestInlineTemplate(t *testing.T) {
	app, c := newSiteOn(t, "sqlite", inlineTemplates, func(site *admin.Site) error {
		custom := admin.Tabular(Note{})
		custom.Fields, custom.Template = []string{"title"}, "admin/notes/shelf_notes.html"
		stacked := admin.Stacked(Note{})
		stacked.Fields = []string{"title", "body"}
		if err := site.Register(Shelf{}, &admin.ModelAdmin{Inlines: []admin.Inline{custom, stacked}}); err != nil {
			return err
		}
		return site.Register(Note{}, nil)
	})
	f := &fixture{t: t, app: app, root: c}
	shelf := &Shelf{Name: "Top"}
	f.insert(shelf)
	alpha := &Note{Title: "alpha"}
	alpha.Shelf.ID = shelf.ID
	f.insert(alpha)

	page := c.Get("/admin/notes/shelf/" + key(shelf.ID) + "/change/")
	expectStatus(t, page, 200)
	if got := page.Text(`section.my-notes[data-prefix="note_set"] .my-count`); got != "4 Notes" {
		t.Errorf("the custom template's count %q, want 4 Notes (one saved, three blank)", got)
	}
	if n := page.Find(`section.my-notes #note_set-group[data-inline-type="tabular"] input[name="note_set-0-title"]`).Length(); n != 1 {
		t.Error("the custom template lost the stock tabular rows it calls")
	}
	if n := page.Find(`section.my-notes`).Length(); n != 1 {
		t.Errorf("%d custom sections, want 1 (the stacked inline keeps the stock layout)", n)
	}
	if n := page.Find(`#note_set-2-group[data-inline-type="stacked"]`).Not("section.my-notes *").Length(); n != 1 {
		t.Error("the stacked inline is not in its stock layout")
	}

	r := c.Submit(page, "#shelf_form", url.Values{"note_set-1-title": {"beta"}}, "_save")
	expectStatus(t, r, 302)
	notes, err := orm.All[Note](context.Background(), orm.For[Note](app.DB).Filter(orm.Q{"shelf": shelf.ID}).OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 2 || notes[1].Title != "beta" {
		t.Errorf("saved notes %v", notes)
	}

	// A broken inline template fails at start-up, naming the file.
	bad := fstest.MapFS{"admin/bad_inline.html": {Data: []byte(`{{.Nope`)}}
	p := staffroom.Project{Name: "test", Apps: []orm.AppConfig{{Name: "notes", Models: []any{Shelf{}, Note{}}}},
		Admin: func(site *admin.Site) error {
			in := admin.Stacked(Note{})
			in.Template = "admin/bad_inline.html"
			return site.Register(Shelf{}, &admin.ModelAdmin{Inlines: []admin.Inline{in}})
		}}
	_, err = staffroom.New(p, staffroom.Config{Database: testdb.URL(t, "sqlite"), SecretKey: "k", Templates: bad,
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}}})
	if err == nil || !strings.Contains(err.Error(), "admin/bad_inline.html") {
		t.Errorf("a broken inline template: %v", err)
	}
}
