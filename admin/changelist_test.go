package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// doneFilter is a list filter written in Go, Django's SimpleListFilter.
var doneFilter = &admin.SimpleListFilter{
	Title: "state", ParameterName: "state",
	Lookups: func(r *http.Request, ma admin.Admin) [][2]string {
		return [][2]string{{"done", "Done"}, {"open", "Open"}}
	},
	Queryset: func(r *http.Request, qs orm.QuerySet, v string) (orm.QuerySet, error) {
		return qs.Filter(orm.Q{"done": v == "done"}), nil
	},
}

func TestSimpleListFilter(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, func(s *admin.Site) error {
			return s.Register(Note{}, &admin.ModelAdmin{ListFilter: []any{doneFilter}, Ordering: []string{"title"}, SearchFields: []string{"title"}})
		})
		f.insert(&Note{Title: "a", Done: true}, &Note{Title: "b"}, &Note{Title: "c", Done: true})
		list := f.root.Get("/admin/notes/note/")
		expectStatus(t, list, 200)
		if got := list.Text("#changelist-filter details summary"); got != "By state" {
			t.Errorf("filter title %q", got)
		}
		if got := list.Text("#changelist-filter li.selected"); got != "All" {
			t.Errorf("selected %q", got)
		}
		if list.Find(`#changelist-filter-extra-actions a:contains("Clear all filters")`).Length() != 0 {
			t.Error("“Clear all filters” without an active filter")
		}
		href, _ := list.Find(`#changelist-filter a:contains("Done")`).Attr("href")
		if href != "?state=done" {
			t.Errorf("choice link %q", href)
		}
		done := f.root.Get("/admin/notes/note/" + href)
		if got := done.Text("#result_list tbody th"); got != "a c" {
			t.Errorf("filtered rows %q", got)
		}
		if got := done.Text("#changelist-filter li.selected"); got != "Done" {
			t.Errorf("selected %q", got)
		}
		if clear, _ := done.Find(`#changelist-filter-extra-actions a:contains("Clear all filters")`).Attr("href"); clear != "?" {
			t.Errorf("clear all filters %q", clear)
		}
		if got := done.Text("#changelist-search .small"); got != "2 results (3 total)" {
			t.Errorf("result count %q", got)
		}
	})
}

func TestChangeListAcceptsPost(t *testing.T) {
	f := newFixture(t, "sqlite", registerNotes)
	f.insert(&Note{Title: "a"})
	r := f.root.Post("/admin/notes/note/?q=a", url.Values{"csrfmiddlewaretoken": {f.root.Cookie("csrftoken")}})
	expectStatus(t, r, 200)
	if got := r.Text("#result_list tbody th"); got != "a" {
		t.Errorf("rows %q", got)
	}
	if r := f.root.Post("/admin/notes/note/", url.Values{}); r.StatusCode != http.StatusForbidden {
		t.Errorf("a POST without the CSRF token: %d", r.StatusCode)
	}
}

// Database refusals of what the user typed answer as invalid lookups do,
// never 500 (issue 9, finding 6).
func TestUserInputTheDatabaseRefuses(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, registerNotes)
		f.insert(&Note{Title: "a"}, &Note{Title: "b"})
		r := f.root.Get("/admin/notes/note/?title__regex=((")
		if r.StatusCode != 302 || r.Location() != "/admin/notes/note/?e=1" {
			t.Errorf("a bad regular expression: %d %s", r.StatusCode, r.Location())
		}
		long := strings.Repeat("ab", 50000)
		r = f.root.Get("/admin/notes/note/?q=" + long)
		expectStatus(t, r, 200)
		if got := r.Text(".messagelist li.error"); !strings.Contains(got, "The search was cut to its first 256 characters") {
			t.Errorf("no message for a cut search: %q", got)
		}
		if v, _ := r.Find("#searchbar").Attr("value"); len(v) != admin.MaxSearchLength {
			t.Errorf("the search box holds %d characters", len(v))
		}
		words := strings.TrimSpace(strings.Repeat("a ", 100))
		r = f.root.Get("/admin/notes/note/?q=" + url.QueryEscape(words))
		if v, _ := r.Find("#searchbar").Attr("value"); len(strings.Fields(v)) != admin.MaxSearchWords {
			t.Errorf("the search keeps %d words", len(strings.Fields(v)))
		}
	})
}
