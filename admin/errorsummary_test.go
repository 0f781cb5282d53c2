package admin_test

import (
	"net/url"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
)

// TestErrorSummary: a form sent back with errors keeps Django's error
// note, and under it a summary (role="alert") with a link per field in
// error to that field's input; every input of a field in error, one
// radio button each for a group, is aria-invalid and described by its
// error list, and help is linked to its field with or without errors.
func TestErrorSummary(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ma := &admin.ModelAdmin{RadioFields: map[string]admin.RadioLayout{"size": admin.Horizontal, "owner": admin.Vertical}}
		f := newKits(t, dialect, registerKits(ma))
		f.insert(&Shelf{Name: "Top"})
		page := f.root.Get("/admin/kits/kit/add/")
		expectStatus(t, page, 200)
		if got := page.Find("#id_spares").AttrOr("aria-describedby", ""); got != "id_spares_helptext" {
			t.Errorf("the many-to-many select is described by %q, want its help id_spares_helptext", got)
		}
		if page.Find(".errornote-region, .error-summary, [aria-invalid]").Length() != 0 {
			t.Error("a fresh form shows an error summary or invalid fields")
		}
		webtest.CheckErrorLinks(t, page)

		r := f.root.Submit(page, "#kit_form", url.Values{"title": {""}, "slug": {"kit"}, "size": {"x"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text("p.errornote"); got != "Please correct the errors below." {
			t.Errorf("error note %q", got)
		}
		if got := r.Find(".errornote-region").AttrOr("role", ""); got != "alert" {
			t.Errorf("the error note's region has role %q, want alert", got)
		}
		links := webtest.CheckErrorLinks(t, r)
		want := map[string]string{
			"#id_title":   "Title: This field is required.",
			"#id_size_0":  "Size: Select a valid choice. x is not one of the available choices.",
			"#id_owner_0": "Owner: This field is required.",
		}
		if len(links) != len(want) {
			t.Errorf("summary links %q, want %q", links, want)
		}
		for href, text := range want {
			if links[href] != text {
				t.Errorf("summary link %s reads %q, want %q", href, links[href], text)
			}
		}
		if n := r.Find(`#id_size input[type="radio"][aria-invalid="true"][aria-describedby="id_size_error"]`).Length(); n != 3 {
			t.Errorf("%d of the 3 size buttons are invalid and described by the error", n)
		}
		if got := r.Find("#id_spares").AttrOr("aria-describedby", ""); got != "id_spares_helptext" {
			t.Errorf("after errors elsewhere the select is described by %q", got)
		}
	})
}

// TestErrorSummaryInlines: the errors of tabular and stacked inline forms
// are linked from the summary by their inline ids, named by the inline
// and the form's number, and their inputs are aria-invalid.
func TestErrorSummaryInlines(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := shelfWithNotes(t, dialect)
		page := f.root.Get("/admin/notes/shelf/1/change/")
		expectStatus(t, page, 200)
		r := f.root.Submit(page, "#shelf_form", url.Values{"name": {""}, "note_set-1-title": {""}, "note_set-2-0-title": {""}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text("p.errornote"); got != "Please correct the errors below." {
			t.Errorf("error note %q", got)
		}
		links := webtest.CheckErrorLinks(t, r)
		want := map[string]string{
			"#id_name":               "Name: This field is required.",
			"#id_note_set-1-title":   "Note #2: Title: This field is required.",
			"#id_note_set-2-0-title": "Note #1: Title: This field is required.",
		}
		if len(links) != len(want) {
			t.Errorf("summary links %q, want %q", links, want)
		}
		for href, text := range want {
			if links[href] != text {
				t.Errorf("summary link %s reads %q, want %q", href, links[href], text)
			}
		}
		for _, id := range []string{"id_note_set-1-title", "id_note_set-2-0-title"} {
			if got := r.Find("#"+id).AttrOr("aria-invalid", ""); got != "true" {
				t.Errorf("#%s aria-invalid=%q", id, got)
			}
		}
	})
}

// TestHeadingOrderStackedInline: a change form with tabular and stacked
// inlines has one h1 and skips no heading level (the blank form "Add
// another" copies, hidden, left out).
func TestHeadingOrderStackedInline(t *testing.T) {
	f := shelfWithNotes(t, "sqlite")
	page := f.root.Get("/admin/notes/shelf/1/change/")
	expectStatus(t, page, 200)
	var levels []string
	page.Find("h1, h2, h3, h4, h5, h6").Each(func(_ int, h *goquery.Selection) {
		if h.Closest(".empty-form").Length() == 0 {
			levels = append(levels, goquery.NodeName(h)+" "+words(h.Text()))
		}
	})
	if len(levels) < 4 || levels[0] != "h1 Change shelf" {
		t.Fatalf("headings %q, want h1 Change shelf first and the inlines'", levels)
	}
	last := 0
	for _, h := range levels {
		n := int(h[1] - '0')
		if n == 1 && last != 0 || n > last+1 {
			t.Errorf("%q after an h%d (%q)", h, last, levels)
		}
		last = n
	}
}
