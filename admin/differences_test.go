package admin_test

import (
	"net/url"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
)

// Differences from Django that users saw, each pinned (issue 8 §5).

func TestRecentActionsSeparateWords(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, registerNotes)
		add := f.root.Get("/admin/notes/shelf/add/")
		expectStatus(t, f.root.Submit(add, "#shelf_form", url.Values{"name": {"Staffroom Press Ltd"}}, "_save"), 302)
		index := f.root.Get("/admin/")
		if got := index.Text("#recent-actions-module li"); got != "Added: Staffroom Press Ltd Shelf" {
			t.Errorf("recent action %q", got)
		}
	})
}

func TestLoginFormPostsToItsOwnURL(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, registerNotes)
		anon := webtest.New(t, f.app.Handler)
		page := anon.Get("/admin/login/?next=/admin/notes/note/%3Fq%3Dx")
		if action, _ := page.Find("#login-form").Attr("action"); action != "/admin/login/?next=/admin/notes/note/%3Fq%3Dx" {
			t.Errorf("login form action %q", action)
		}
		r := anon.Submit(page, "#login-form", url.Values{"username": {"root"}, "password": {"pw"}}, "")
		if r.StatusCode != 302 || r.Location() != "/admin/notes/note/?q=x" {
			t.Errorf("login: %d %s", r.StatusCode, r.Location())
		}
	})
}

func TestSaveAndContinueOnlyForThoseWhoMaySee(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, registerNotes)
		addOnly := f.staff("adder", "add_shelf")
		page := addOnly.Get("/admin/notes/shelf/add/")
		expectStatus(t, page, 200)
		if page.Find(`input[name="_continue"]`).Length() != 0 {
			t.Error("an add-only user is offered “Save and continue editing”")
		}
		if page.Find(`input[name="_save"]`).Length() != 1 {
			t.Error("no Save button")
		}
		r := addOnly.Submit(page, "#shelf_form", url.Values{"name": {"x"}}, "_save")
		if r.StatusCode != 302 || r.Location() != "/admin/" {
			t.Errorf("an add-only user goes to the index after adding: %d %s", r.StatusCode, r.Location())
		}
		viewer := f.staff("viewer", "add_shelf", "view_shelf")
		if viewer.Get("/admin/notes/shelf/add/").Find(`input[name="_continue"]`).Length() != 1 {
			t.Error("a user who may view is not offered “Save and continue editing”")
		}
	})
}

func TestEmailInput(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, func(s *admin.Site) error { return nil })
		page := f.root.Get("/admin/auth/user/1/change/")
		expectStatus(t, page, 200)
		if typ, _ := page.Find("#id_email").Attr("type"); typ != "email" {
			t.Errorf("email input type %q", typ)
		}
	})
}
