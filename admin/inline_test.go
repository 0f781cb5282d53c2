package admin_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
)

// registerShelfInlines registers shelves with two inlines of their notes,
// a tabular one and a stacked one, which share the prefix note_set.
func registerShelfInlines(site *admin.Site) error {
	stacked := admin.Stacked(Note{})
	one := 1
	stacked.Extra, stacked.Classes, stacked.ShowChangeLink = &one, []string{"collapse"}, true
	stacked.VerboseNamePlural = "notes in full"
	tabular := admin.Tabular(Note{})
	tabular.Fields = []string{"title", "done"}
	if err := site.Register(Shelf{}, &admin.ModelAdmin{Inlines: []admin.Inline{tabular, stacked}}); err != nil {
		return err
	}
	return site.Register(Note{}, nil)
}

// shelfWithNotes makes the fixture with a shelf holding two notes.
func shelfWithNotes(t *testing.T, dialect string) *fixture {
	f := newFixture(t, dialect, registerShelfInlines)
	shelf := &Shelf{Name: "Top shelf"}
	f.insert(shelf)
	for _, title := range []string{"alpha", "beta"} {
		n := &Note{Title: title, Body: "About " + title}
		n.Shelf.ID = shelf.ID
		f.insert(n)
	}
	return f
}

// TestInlinePrefixes: two inlines of one relation are note_set and
// note_set-2, each with its own management form, and a change in the
// second is saved and logged.
func TestInlinePrefixes(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := shelfWithNotes(t, dialect)
		c := f.root
		page := c.Get("/admin/notes/shelf/1/change/")
		expectStatus(t, page, 200)
		for _, sel := range []string{"#note_set-group", "#note_set-2-group", `input[name="note_set-TOTAL_FORMS"]`,
			`input[name="note_set-2-TOTAL_FORMS"]`, `#note_set-2-0 [name="note_set-2-0-body"]`, `#note_set-2-empty`} {
			if page.Find(sel).Length() != 1 {
				t.Errorf("no %s on the page", sel)
			}
		}
		if got := words(page.Text("#note_set-2-group h2")); got != "Notes in full" {
			t.Errorf("stacked heading %q", got)
		}
		if href, _ := page.Find("#note_set-2-0 a.inlinechangelink").Attr("href"); href != "/admin/notes/note/1/change/" {
			t.Errorf("change link %q", href)
		}
		if page.Find("#note_set-0 td.field-body").Length() != 0 {
			t.Error("the tabular inline shows a field left out of its Fields")
		}
		r := c.Submit(page, "#shelf_form", url.Values{"note_set-2-0-title": {"alpha two"}}, "")
		expectStatus(t, r, 302)
		if n := f.note("alpha two"); n.Body != "About alpha" {
			t.Errorf("note after save %+v", n)
		}
		r = c.Get("/admin/notes/shelf/1/history/")
		if got := words(r.Text("#change-history tbody")); !strings.Contains(got, "Changed Title for note “alpha two”.") {
			t.Errorf("history %q", got)
		}
	})
}

// TestInlineViewOnlyParent: a user who may only view the shelf sees its
// inlines read-only, with no blank forms.
func TestInlineViewOnlyParent(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := shelfWithNotes(t, dialect)
		c := f.staff("viewer", "view_shelf", "view_note", "add_note", "change_note", "delete_note")
		page := c.Get("/admin/notes/shelf/1/change/")
		expectStatus(t, page, 200)
		if page.Find(`input[name="note_set-0-title"]`).Length() != 0 || page.Find(".empty-form").Length() != 0 ||
			page.Find(`input[name$="-DELETE"]`).Length() != 0 {
			t.Error("the inlines of a view-only shelf are editable")
		}
		if got := page.Text("#note_set-0 td.field-title p"); got != "alpha" {
			t.Errorf("read-only title %q", got)
		}
	})
}

// TestGoldenPagesInlines keeps the page of a shelf with its tabular and
// stacked inlines, refreshed with TestGoldenPages' -update.
func TestGoldenPagesInlines(t *testing.T) {
	f := shelfWithNotes(t, "sqlite")
	golden(t, "change_inlines", f.root.Get("/admin/notes/shelf/1/change/"))
}
