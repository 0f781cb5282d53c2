package admin

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"sort"
	"strconv"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// changelistPage is the data of change_list.html.
type changelistPage struct {
	Context
	AppLabel, ModelName    string
	VerboseName            string
	VerboseNamePlural      string
	AddURL                 string
	Searchable             bool
	SearchHelpText         string
	Query                  string
	ShowResultCount        bool
	ShowFullResultCount    bool
	ResultCount, FullCount int64
	Headers                []header
	SortCount              int
	Rows                   [][]cell
	PageLinks              []pageLink
	ShowAllURL             string
	HiddenParams           []hiddenParam
	Filters                []filterBox
	filterSidebar
	DateHierarchy *dateHierarchyNav
}

type header struct {
	Text                      string
	Class                     string
	Sortable                  bool
	SortPriority              int
	Ascending                 bool
	URL, RemoveURL, ToggleURL string
}

type hiddenParam struct{ Name, Value string }

type pageLink struct {
	Number   int
	URL      string
	Current  bool
	Ellipsis bool
	End      bool
}

// changelist serves the change list, Django's changelist_view: GET and
// POST (which actions and list_editable post to; with neither, a POST
// shows the list as a GET does).
func (v *modelView) changelist(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodPost {
		w.Header().Set("Allow", "GET, HEAD, POST")
		return &httpError{http.StatusMethodNotAllowed, "method not allowed"}
	}
	if !hasViewOrChange(v.admin, r, nil) {
		return errForbidden
	}
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
	}
	q, note := parseListQuery(r.URL.Query())
	if note != "" {
		flash.Add(r, flash.Error, note)
	}
	cl, err := newChangeList(r, v.admin, q)
	if err == nil {
		err = cl.rows()
	}
	if err == nil {
		err = cl.buildDateHierarchy(r.Context())
	}
	if errors.Is(err, errLookup) || errors.Is(err, errBadPage) {
		if q.errFlag {
			p := &errorPage{Context: v.site.pageContext(r, "Database error")}
			v.site.render(w, r, http.StatusOK, v.site.tmpl.lookup("", "", "invalid_setup.html"), p)
			return nil
		}
		http.Redirect(w, r, r.URL.Path+"?"+paramError+"=1", http.StatusFound)
		return nil
	}
	if err != nil {
		return err
	}
	p := v.changelistPage(r, cl)
	v.site.render(w, r, http.StatusOK, v.site.tmpl.choose(v.base.ChangeListTemplate, v.model.App.Label, v.model.ModelName, "change_list.html"), p)
	return nil
}

var errBadPage = errors.New("admin: page out of range")

// changelistPage lays out a decided change list.
func (v *modelView) changelistPage(r *http.Request, cl *ChangeList) *changelistPage {
	m, q := v.model, cl.q
	p := &changelistPage{
		Context:  v.site.pageContext(r, "Select "+m.VerboseName+" to change"),
		AppLabel: m.App.Label, ModelName: m.ModelName, VerboseName: m.VerboseName, VerboseNamePlural: m.VerboseNamePlural,
		Searchable: len(v.admin.GetSearchFields(r)) > 0, SearchHelpText: v.base.SearchHelpText, Query: q.search,
		ShowResultCount: cl.filtered() && cl.ResultCount != cl.FullResultCount, ShowFullResultCount: cl.FullResultCount >= 0,
		ResultCount: cl.ResultCount, FullCount: cl.FullResultCount, Headers: cl.headers(),
		DateHierarchy: cl.DateHierarchy,
	}
	if !v.admin.HasChangePermission(r, nil) {
		p.Title = "Select " + m.VerboseName + " to view"
	}
	p.Breadcrumbs = []Crumb{{"Home", v.site.cfg.Prefix}, {m.App.VerboseName, v.appURL()}, {orm.Capfirst(m.VerboseNamePlural), ""}}
	for _, h := range p.Headers {
		if h.SortPriority > 0 {
			p.SortCount++
		}
	}
	if v.admin.HasAddPermission(r) {
		p.AddURL = v.url("add/") + v.preserved(q)
	}
	for k, vs := range q.raw {
		if k != paramSearch && k != paramPage {
			for _, val := range vs {
				p.HiddenParams = append(p.HiddenParams, hiddenParam{k, val})
			}
		}
	}
	sort.Slice(p.HiddenParams, func(i, j int) bool { return p.HiddenParams[i].Name < p.HiddenParams[j].Name })
	for _, obj := range cl.Results {
		p.Rows = append(p.Rows, v.row(cl, obj))
	}
	if cl.NumPages > 1 && !cl.ShowAll {
		p.PageLinks = pageLinks(q, cl.Page, cl.NumPages)
		if cl.CanShowAll {
			p.ShowAllURL = q.link(map[string]string{paramAll: ""})
		}
	}
	p.Filters, p.filterSidebar = v.filterBoxes(cl)
	return p
}

// row renders one object's cells; the link columns point at its change
// page, keeping the change list's filters.
func (v *modelView) row(cl *ChangeList, obj any) []cell {
	href := v.objectURL(obj, "change/") + v.preserved(cl.q)
	cells := make([]cell, len(cl.Columns))
	for i, c := range cl.Columns {
		cells[i] = c.value(v.model, obj)
		if cells[i].Unknown {
			icon, _ := v.site.static.url("admin/img/icon-unknown.svg") // embedded: always found
			cells[i].HTML = template.HTML(`<img src="` + template.HTMLEscapeString(icon) + `" alt="None">`)
		}
		cells[i].IsTH = i == 0
		if containsName(cl.Links, c.name) {
			cells[i].Link = href
		}
	}
	return cells
}

// headers computes the column headers' sort links from the decided
// ordering: clicking a column makes it the primary sort (toggling it when
// it already is) and keeps the others; remove and toggle links too.
func (cl *ChangeList) headers() []header {
	q := cl.q
	headers := make([]header, len(cl.Columns))
	for i, c := range cl.Columns {
		h := header{Text: c.header, Class: "column-" + cssName(c.name), Sortable: cl.sortable(i)}
		if !h.Sortable {
			headers[i] = h
			continue
		}
		h.Class = "sortable " + h.Class
		var others []orderItem
		for pos, it := range cl.Sorted {
			if it.col == i {
				h.SortPriority, h.Ascending = pos+1, !it.desc
				continue
			}
			others = append(others, it)
		}
		primary := orderItem{col: i}
		if h.SortPriority > 0 {
			h.Class += " sorted"
			if h.Ascending {
				h.Class += " ascending"
			} else {
				h.Class += " descending"
			}
			primary.desc = h.Ascending
			toggled := make([]orderItem, len(cl.Sorted))
			for pos, it := range cl.Sorted {
				if it.col == i {
					it.desc = !it.desc
				}
				toggled[pos] = it
			}
			h.RemoveURL = q.link(map[string]string{paramOrder: encodeOrder(others)})
			h.ToggleURL = q.link(map[string]string{paramOrder: encodeOrder(toggled)})
		}
		h.URL = q.link(map[string]string{paramOrder: encodeOrder(append([]orderItem{primary}, others...))})
		headers[i] = h
	}
	return headers
}

// filterLink builds a filter's link from the current query: without the
// page and the error flag, without every key starting with one of the
// removed prefixes, with set added; keys sorted (contract §2.2).
func (lq listQuery) filterLink(set url.Values, remove []string) string {
	v := url.Values{}
	for k, vs := range lq.raw {
		if k == paramPage || k == paramError {
			continue
		}
		drop := false
		for _, prefix := range remove {
			if len(k) >= len(prefix) && k[:len(prefix)] == prefix {
				drop = true
			}
		}
		if !drop {
			v[k] = vs
		}
	}
	for k, vs := range set {
		v[k] = vs
	}
	return "?" + v.Encode()
}

// pageLinks is Django's elided page range (3 on each side of the current
// page, 2 at the ends).
func pageLinks(lq listQuery, current, numPages int) []pageLink {
	const onEachSide, onEnds = 3, 2
	var nums []int // 0 marks an ellipsis
	rng := func(lo, hi int) {
		for i := lo; i <= hi; i++ {
			nums = append(nums, i)
		}
	}
	if numPages <= (onEachSide+onEnds)*2 {
		rng(1, numPages)
	} else {
		if current > 1+onEachSide+onEnds+1 {
			rng(1, onEnds)
			nums = append(nums, 0)
			rng(current-onEachSide, current)
		} else {
			rng(1, current)
		}
		if current < numPages-onEachSide-onEnds-1 {
			rng(current+1, current+onEachSide)
			nums = append(nums, 0)
			rng(numPages-onEnds+1, numPages)
		} else {
			rng(current+1, numPages)
		}
	}
	links := make([]pageLink, len(nums))
	for i, n := range nums {
		if n == 0 {
			links[i] = pageLink{Ellipsis: true}
			continue
		}
		links[i] = pageLink{Number: n, Current: n == current, End: n == numPages,
			URL: lq.link(map[string]string{paramPage: strconv.Itoa(n)})}
	}
	return links
}
