package admin_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/internal/pagecheck"
	"github.com/staffroom/staffroom/orm"
)

// The admin as a person uses it, in a real headless Chromium: each test
// serves the app on 127.0.0.1, signs in through the login form and
// clicks. See internal/browser for when these tests run.

var chrome browser.Shared

func TestMain(m *testing.M) {
	code := pagecheck.Run(m) // every change list written in Go is compared with its template's
	chrome.Close()
	os.Exit(code)
}

// serve serves the app's handler on 127.0.0.1 for the test.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// rowCount is how many rows the change list shows.
func rowCount(p *browser.Page) int {
	return browser.Eval[int](p, `document.querySelectorAll("#result_list tbody tr").length`)
}

func TestBrowserDateHierarchy(t *testing.T) {
	app, _ := newDiary(t, "sqlite", "day")
	diaryEvents(t, app)
	base := serve(t, app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/diary/event/")

	in2023, err := orm.For[Event](app.DB).Filter(orm.Q{"day__year": 2023}).Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []struct {
		click, nav string
		rows       int
	}{
		{"2023", "‹ All dates January 2023 March 2023", int(in2023)},
		{"March 2023", "‹ 2023 March 2 March 20", 2},
		{"March 20", "‹ March 2023 March 20", 1},
		{"‹ March 2023", "‹ 2023 March 2 March 20", 2},
		{"‹ 2023", "‹ All dates January 2023 March 2023", 3},
		{"‹ All dates", "2022 2023 2024", 5},
	} {
		p.ClickLink(step.click)
		if got := words(p.Text("#date-hierarchy")); got != step.nav {
			t.Errorf("after %q: the drill-down reads %q, want %q", step.click, got, step.nav)
		}
		if n := rowCount(p); n != step.rows {
			t.Errorf("after %q: %d rows, want %d (%s)", step.click, n, step.rows, p.URL())
		}
	}
}

func TestBrowserCollapsibleFieldset(t *testing.T) {
	app, _ := newSiteOn(t, "sqlite", nil, func(site *admin.Site) error {
		return site.Register(Note{}, &admin.ModelAdmin{Fieldsets: []admin.Fieldset{
			{Lines: [][]string{{"title"}}},
			{Name: "Advanced options", Classes: []string{"collapse"}, Lines: [][]string{{"body"}, {"done"}}},
		}})
	})
	note := &Note{Title: "first"}
	if err := app.DB.Insert(context.Background(), note); err != nil {
		t.Fatal(err)
	}
	base := serve(t, app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/notes/note/" + key(note.ID) + "/change/")

	if browser.Eval[bool](p, `document.getElementById("id_body").checkVisibility()`) {
		t.Fatal("the collapsed fieldset's fields are visible before a click")
	}
	p.Click("fieldset.collapse summary")
	p.WaitVisible("#id_body")
	if _, open := p.Attr("fieldset.collapse details", "open"); !open {
		t.Error("the details element is not open after the click")
	}
	p.Click("#id_body")
	p.Type("#id_body", "written in the folded fieldset")
	p.Click(`input[name="_save"]`)
	p.WaitURL(base + "/admin/notes/note/")
	if got := (&fixture{t: t, app: app}).note("first").Body; got != "written in the folded fieldset" {
		t.Errorf("saved body %q", got)
	}
}
