package admin_test

import (
	"net/url"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/pagecheck"
	"github.com/staffroom/staffroom/internal/webtest"
)

// featureFilter is a filter box of the site's own template.
var featureFilter = fstest.MapFS{"admin/my_filter.html": {Data: []byte(
	`<div class="my-filter" data-title="{{.Title}}">{{range .Choices}}<a href="{{.QueryString}}"{{if .Selected}} class="on"{{end}}>{{.Display}}</a>{{end}}</div>`)}}

// featureAdmin shows every part of the change list: actions above and
// below, filters (one of its own template, with counts to show), a date
// hierarchy, search, list_editable and pages.
func featureAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{ListDisplay: []any{"title", "category", "pages", "pubdate"}, ListEditable: []string{"pages"},
		ListFilter:    []any{"available", "house", admin.FieldFilter{Path: "category", Template: "admin/my_filter.html"}},
		DateHierarchy: "pubdate", SearchFields: []string{"title"}, ActionsOnBottom: true, Ordering: []string{"title"},
		ListPerPage: 2, ShowFacets: admin.FacetsAllow, SearchHelpText: "By title & more"}
}

// TestChangeListWrittenInGo: the change list written in Go is the
// template's, byte for byte, with every part of the page shown.
func TestChangeListWrittenInGo(t *testing.T) {
	pagecheck.Enable()
	f := newLibrary(t, "sqlite", featureFilter, func(s *admin.Site) error { return s.Register(LibBook{}, featureAdmin()) })
	lib := f.library()
	c := f.root
	year := lib.dune.Pubdate.Format("2006")
	list := c.Get("/admin/library/libbook/")
	invalid := url.Values{"form-0-pages": {"x"}}
	for _, tc := range []struct {
		name string
		get  func() *webtest.Response
		want []string // selectors the page must show
	}{
		{"plain", func() *webtest.Response { return c.Get("/admin/library/libbook/") },
			[]string{"#changelist-filter .my-filter", "#date-hierarchy", ".paginator a", ".actions", "#searchbar_helptext"}},
		{"search", func() *webtest.Response { return c.Get("/admin/library/libbook/?q=e&_facets=True&available__exact=1") },
			[]string{"#changelist-search .small.quiet", "#changelist-filter-extra-actions a.hidelink", "input[type=hidden][name=available__exact]"}},
		{"date", func() *webtest.Response { return c.Get("/admin/library/libbook/?pubdate__year=" + year) },
			[]string{"#date-hierarchy .date-back"}},
		{"errors", func() *webtest.Response { return c.Submit(list, "#changelist-form", invalid, "_save") },
			[]string{".errornote", "#result_list .errorlist", "input[name=_save]"}},
		{"message", func() *webtest.Response {
			return c.Follow(c.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "index": {"0"}}, ""))
		}, []string{".messagelist li"}},
		{"popup", func() *webtest.Response { return c.Get("/admin/library/libbook/?_popup=1") },
			[]string{"body.popup", "#result_list a[data-popup-opener]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := pagecheck.Compared()
			r := tc.get()
			expectStatus(t, r, 200)
			if pagecheck.Compared() != before+1 {
				t.Error("the page was not written in Go")
			}
			if d := pagecheck.Mismatch(); d != "" {
				t.Fatal(d)
			}
			for _, sel := range tc.want {
				if r.Find(sel).Length() == 0 {
					t.Errorf("no %s", sel)
				}
			}
		})
	}
}

// TestChangeListOverridden: a site that overrides the change list or
// base.html, at any level, has its page rendered by the templates.
func TestChangeListOverridden(t *testing.T) {
	pagecheck.Enable()
	mine := []byte(`{{define "object-tools"}}<p id="mine">overridden</p>{{end}}`)
	footer := []byte(`{{define "footer"}}<p id="mine">overridden</p>{{end}}`)
	named := []byte(`{{template "base" .}}{{define "content"}}<p id="mine">overridden</p>{{end}}`)
	for _, tc := range []struct {
		name  string
		files fstest.MapFS
		named string // ChangeListTemplate
	}{
		{"site", fstest.MapFS{"admin/change_list.html": {Data: mine}}, ""},
		{"base", fstest.MapFS{"admin/base.html": {Data: footer}}, ""},
		{"app", fstest.MapFS{"admin/library/change_list.html": {Data: mine}}, ""},
		{"model", fstest.MapFS{"admin/library/libbook/change_list.html": {Data: mine}}, ""},
		{"option", fstest.MapFS{"admin/mine.html": {Data: named}}, "admin/mine.html"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range featureFilter {
				tc.files[k] = v
			}
			a := featureAdmin()
			a.ChangeListTemplate = tc.named
			f := newLibrary(t, "sqlite", tc.files, func(s *admin.Site) error { return s.Register(LibBook{}, a) })
			f.library()
			before := pagecheck.Compared()
			r := f.root.Get("/admin/library/libbook/")
			expectStatus(t, r, 200)
			if r.Text("#mine") != "overridden" {
				t.Errorf("the override is not on the page:\n%s", r.Body)
			}
			if pagecheck.Compared() != before {
				t.Error("the page was written in Go, past the override")
			}
		})
	}
}
