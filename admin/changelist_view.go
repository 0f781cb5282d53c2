package admin

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
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
	// ResultCountText and FullCountText say the counts in words when they
	// are not exact ("About 1250000", "More than 100000"); ExactCountURL
	// then counts them exactly.
	ResultCountText, FullCountText string
	ExactCountURL                  string
	Headers                        []header
	SortCount                      int
	// HeadersHTML is Headers rendered, as the template would (see
	// headersHTML); empty when a link must go through the template.
	HeadersHTML template.HTML
	Rows        []resultRow
	// rowIcons are the yes and no icons' URLs, for the rows' yes/no
	// cells (see RowsHTML).
	rowIcons [2]string
	// columns are the rows' columns, for each cell's class.
	columns []*column
	// TopActions and BottomActions are the action bars, when shown.
	TopActions, BottomActions *actionBar
	// The list_editable formset: its management form, the rows' hidden
	// fields, the error note and the Save button.
	ManagementForm template.HTML
	HiddenFields   template.HTML
	NonFormErrors  template.HTML
	ErrorNote      string
	ShowSave       bool
	IsPopup        bool
	// RowWidth counts a row's cells, the checkbox included.
	RowWidth  int
	PageLinks []pageLink
	// PageLinksHTML is PageLinks rendered, as the template would (see
	// pageLinksHTML).
	PageLinksHTML template.HTML
	ShowAllURL    string
	// NextURL is the next page's, starting after this page's last row
	// where the ordering allows (keyset paging); "" on the last page.
	NextURL       string
	HiddenParams  []hiddenParam
	Filters       []filterBox
	DateHierarchy *dateHierarchyNav
	Media         Media // the admin's, linked after the page's own
	filterSidebar
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

// resultRow is one object's row: its cells, the value of its action
// checkbox, its list_editable form's own errors, and in a popup the value
// its link hands back to the opener.
type resultRow struct {
	Cells      []cell
	Link       string // the object's change page, for the cells that link
	PK         string
	Repr       string
	Errors     template.HTML
	PopupValue string
}

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
	if err := v.checkToField(r); err != nil {
		return err
	}
	q, note := parseListQuery(r.URL.Query())
	if note != "" {
		flash.Add(r, flash.Error, note)
	}
	cl, err := newChangeList(r, v.admin, q)
	if err == nil && r.Method == http.MethodPost {
		if done, err := v.changelistPost(w, r, cl); done || err != nil {
			return err
		}
	}
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
	if err := v.changelistFormset(r, cl); err != nil {
		return err
	}
	p := v.changelistPage(r, cl)
	v.site.renderChangeList(w, r, v.site.tmpl.choose(v.base.ChangeListTemplate, v.model.App.Label, v.model.ModelName, "change_list.html"), p)
	return nil
}

var errBadPage = errors.New("admin: page out of range")

// changelistPost answers the POSTs of the change list: an action, or a
// list_editable save; done is false when the page is to be shown (a POST
// of neither, or a formset with errors).
func (v *modelView) changelistPost(w http.ResponseWriter, r *http.Request, cl *ChangeList) (done bool, err error) {
	if done, err := v.postActions(w, r, cl); done || err != nil {
		return done, err
	}
	if !r.PostForm.Has(fieldSave) || len(v.base.ListEditable) == 0 || isPopup(r) {
		return false, nil
	}
	fields := v.editable(r)
	if fields == nil {
		return true, errForbidden
	}
	return v.saveEditable(w, r, cl, fields)
}

// changelistFormset gives the page its list_editable formset: the one of
// a POST that failed, whose rows are then the rows shown, else one over
// the page's rows.
func (v *modelView) changelistFormset(r *http.Request, cl *ChangeList) error {
	fields := v.editable(r)
	var err error
	switch {
	case cl.Formset != nil:
		cl.Results, err = v.formsetRows(r, cl)
	case fields != nil && len(cl.Results) > 0:
		cl.Formset, err = v.pageFormset(r, cl, fields)
	}
	return err
}

// changelistPage lays out a decided change list.
func (v *modelView) changelistPage(r *http.Request, cl *ChangeList) *changelistPage {
	m, q := v.model, cl.q
	p := &changelistPage{
		Context: v.site.pageContext(r, "Select "+m.VerboseName+" to change"), IsPopup: isPopup(r),
		AppLabel: m.App.Label, ModelName: m.ModelName, VerboseName: m.VerboseName, VerboseNamePlural: m.VerboseNamePlural,
		Searchable: len(v.admin.GetSearchFields(r)) > 0, SearchHelpText: v.base.SearchHelpText, Query: q.search,
		ShowResultCount: cl.filtered() && cl.ResultCount != cl.FullResultCount, ShowFullResultCount: cl.FullResultCount >= 0,
		ResultCount: cl.ResultCount, FullCount: cl.FullResultCount, Headers: cl.headers(),
		DateHierarchy: cl.DateHierarchy, Media: v.base.Media,
		ResultCountText: countText(cl.ResultCount, cl.CountKind), FullCountText: countText(cl.FullResultCount, cl.FullCountKind),
	}
	if cl.CountKind != CountExact || cl.FullResultCount >= 0 && cl.FullCountKind != CountExact {
		p.ExactCountURL = q.link(map[string]string{paramCount: "exact"})
	}
	switch {
	case p.IsPopup:
		p.Title, p.NavSidebar = "Select "+m.VerboseName, false
	case !v.admin.HasChangePermission(r, nil):
		p.Title = "Select " + m.VerboseName + " to view"
	}
	if !p.IsPopup {
		p.Breadcrumbs = []Crumb{{"Home", v.site.cfg.Prefix}, {m.App.VerboseName, v.appURL()}, {orm.Capfirst(m.VerboseNamePlural), ""}}
	}
	for _, h := range p.Headers {
		if h.SortPriority > 0 {
			p.SortCount++
		}
	}
	p.HeadersHTML = headersHTML(p.Headers, p.SortCount)
	if v.admin.HasAddPermission(r) {
		p.AddURL = v.url("add/") + v.preserved(q)
		if p.IsPopup {
			p.AddURL = v.url("add/") + "?" + popupQuery(r).Encode()
		}
	}
	for k, vs := range q.raw {
		if k != paramSearch && k != paramPage {
			for _, val := range vs {
				p.HiddenParams = append(p.HiddenParams, hiddenParam{k, val})
			}
		}
	}
	sort.Slice(p.HiddenParams, func(i, j int) bool { return p.HiddenParams[i].Name < p.HiddenParams[j].Name })
	v.resultRows(r, cl, p)
	p.TopActions, p.BottomActions = v.actionBars(cl)
	p.RowWidth = len(p.Headers)
	if p.checkbox() {
		p.RowWidth++
	}
	p.rowIcons[0], _ = v.site.static.url("admin/img/icon-yes.svg") // embedded: always found
	p.rowIcons[1], _ = v.site.static.url("admin/img/icon-no.svg")
	p.NextURL = cl.nextURL()
	if cl.NumPages > 1 && !cl.ShowAll {
		p.PageLinks = pageLinks(q, cl.Page, cl.NumPages)
		p.PageLinksHTML = pageLinksHTML(p.PageLinks)
		if cl.CanShowAll {
			p.ShowAllURL = q.link(map[string]string{paramAll: ""})
		}
	}
	p.Filters, p.filterSidebar = v.filterBoxes(cl)
	return p
}

// resultRows renders the page's rows, with their list_editable forms
// matched by primary key, and the formset's hidden fields and errors.
func (v *modelView) resultRows(r *http.Request, cl *ChangeList, p *changelistPage) {
	forms := map[string]*form.ModelForm{}
	var fields []string
	if fs := cl.Formset; fs != nil {
		fields = v.base.ListEditable
		p.ManagementForm = fs.ManagementForm()
		p.NonFormErrors = fs.NonFormErrorList()
		p.ShowSave = len(cl.Results) > 0
		if fs.IsBound() {
			switch n := fs.TotalErrorCount(); {
			case n == 1:
				p.ErrorNote = "Please correct the error below."
			case n > 1:
				p.ErrorNote = "Please correct the errors below."
			}
			if p.ErrorNote != "" {
				p.Title = "Error: " + p.Title
			}
		}
		var hidden strings.Builder
		for i, mf := range fs.Forms() {
			obj := mf.Instance()
			if obj == nil {
				continue
			}
			forms[fmt.Sprint(v.model.PKValue(obj))] = mf
			for _, bf := range mf.Fields() {
				if bf.IsHidden() {
					hidden.WriteString(string(bf.Widget()))
				}
			}
			version := v.rowVersion(fields, obj)
			if fs.IsBound() {
				version = r.PostForm.Get(fmt.Sprintf("%s-%d-%s", editablePrefix, i, versionField))
			}
			fmt.Fprintf(&hidden, `<input type="hidden" name="%s-%d-%s" value="%s">`, editablePrefix, i, versionField, template.HTMLEscapeString(version))
		}
		p.HiddenFields = template.HTML(hidden.String())
	}
	// A row's link is base, its id, "/change/" and keep (the page's
	// preserved filters): one string for each.
	base, keep, loc := v.url(""), v.preserved(cl.q), v.site.zone(cl.req.Context())
	p.Rows, p.columns = make([]resultRow, 0, len(cl.Results)), cl.Columns
	cells := make([]cell, len(cl.Results)*len(cl.Columns)) // one allocation for every row's
	for _, obj := range cl.Results {
		var mf *form.ModelForm
		if len(forms) > 0 {
			mf = forms[fmt.Sprint(v.model.PKValue(obj))]
		}
		n := len(cl.Columns)
		row := v.row(cl, obj, mf, base, keep, loc, cells[:n:n])
		cells = cells[n:]
		if p.IsPopup {
			row.PopupValue = v.popupValue(r, obj)
		}
		p.Rows = append(p.Rows, row)
	}
}

// row renders one object's cells, its values on the clocks of loc; the
// link columns point at its change page below base (the model's URL),
// keeping the change list's filters (keep, the query string of the page's
// preserved filters), and the columns of mf's fields hold its widgets.
// cells, one per column, are the row's to fill.
func (v *modelView) row(cl *ChangeList, obj any, mf *form.ModelForm, base, keep string, loc *time.Location, cells []cell) resultRow {
	id := v.site.objectID(v.model, obj)
	href := base + objectPath(id) + "/change/" + keep // as objectURL makes it, with keep
	row := resultRow{Cells: cells, PK: id, Repr: v.model.String(obj), Link: href}
	for i, c := range cl.Columns {
		row.Cells[i] = c.value(v.model, obj, loc)
		if row.Cells[i].Bool == cellUnknown {
			icon, _ := v.site.static.url("admin/img/icon-unknown.svg") // embedded: always found
			row.Cells[i].HTML = template.HTML(`<img src="` + template.HTMLEscapeString(icon) + `" alt="None">`)
		}
		row.Cells[i].Link = containsName(cl.Links, c.name)
		if mf == nil || c.field == nil {
			continue
		}
		if bf := mf.Field(c.field.Name); bf != nil && !bf.IsHidden() {
			row.Cells[i] = cell{HTML: bf.ErrorList() + bf.LabelledWidget()}
		}
	}
	if mf != nil {
		row.Errors = mf.NonFieldErrorList()
		if len(mf.NonFieldErrors()) == 0 {
			row.Errors = ""
		}
	}
	return row
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
			h.RemoveURL = q.link(map[string]string{paramOrder: cl.encodeOrder(others)})
			h.ToggleURL = q.link(map[string]string{paramOrder: cl.encodeOrder(toggled)})
		}
		h.URL = q.link(map[string]string{paramOrder: cl.encodeOrder(append([]orderItem{primary}, others...))})
		headers[i] = h
	}
	return headers
}

// filterLink builds a filter's link from the current query: without the
// page and the error flag, without every key starting with one of the
// removed prefixes, with set added; keys sorted (contract §2.2).
func (lq listQuery) filterLink(set url.Values, remove []string) string {
	// As url.Values.Encode would write the merged values, without making
	// them: a page's filters make dozens of these links.
	keys := make([]string, 0, len(lq.raw)+len(set))
	for k := range lq.raw {
		if _, replaced := set[k]; !replaced && k != paramPage && k != paramError && !hasAnyPrefix(k, remove) {
			keys = append(keys, k)
		}
	}
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	size := 1
	for _, k := range keys {
		vs, ok := set[k]
		if !ok {
			vs = lq.raw[k]
		}
		for _, v := range vs {
			size += len(k) + len(v) + 2
		}
	}
	var b strings.Builder
	b.Grow(size + size/8) // room for a few escapes: one allocation
	b.WriteByte('?')
	for _, k := range keys {
		vs, ok := set[k]
		if !ok {
			vs = lq.raw[k]
		}
		key := url.QueryEscape(k)
		for _, v := range vs {
			if b.Len() > 1 {
				b.WriteByte('&')
			}
			b.WriteString(key)
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}

// hasAnyPrefix reports whether s starts with one of prefixes.
func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
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

// checkbox reports whether the rows have an action checkbox: when an
// action bar is shown.
func (p *changelistPage) checkbox() bool { return p.TopActions != nil || p.BottomActions != nil }

// RowsHTML is Rows rendered: the table's body, for the template. A
// hundred rows of several cells are thousands of escaping calls in a
// template, most of a page's time; Go writes them in a fraction. The page
// written in Go (changelist_page.go) has writeRows write them straight
// into the page.
func (p *changelistPage) RowsHTML() template.HTML {
	var b strings.Builder
	b.Grow(len(p.Rows) * 512)
	p.writeRows(&b)
	return template.HTML(b.String())
}

// stringWriter is where writeRows and writeHTMLEscaped write: a page's
// buffer or a builder.
type stringWriter interface {
	WriteString(s string) (int, error)
}

// writeRows writes the rows of the result table: an error row above a
// row whose list_editable form has errors, the action checkbox, then the
// cells, each escaped as the template would escape it.
func (p *changelistPage) writeRows(b stringWriter) {
	checkbox, yesIcon, noIcon := p.checkbox(), p.rowIcons[0], p.rowIcons[1]
	// Piece by piece: a concatenation would be a string made and dropped
	// for every cell.
	w := func(s string) { b.WriteString(s) }
	esc := func(s string) { writeHTMLEscaped(b, s) }
	for _, row := range p.Rows {
		if row.Errors != "" {
			w(`<tr><td colspan="` + strconv.Itoa(p.RowWidth) + `">` + string(row.Errors) + "</td></tr>")
		}
		w("<tr>")
		if checkbox {
			w(`<td class="action-checkbox"><input type="checkbox" name="_selected_action" value="`)
			esc(row.PK)
			w(`" class="action-select" aria-label="Select this object for an action - `)
			esc(row.Repr)
			w(`"></td>`)
		}
		for i, c := range row.Cells {
			tag := "td"
			if i == 0 {
				tag = "th"
			}
			w("<")
			w(tag)
			w(` class="`)
			esc(p.columns[i].class)
			w(`">`)
			if c.Link {
				w(`<a href="`)
				esc(row.Link)
				w(`"`)
				if row.PopupValue != "" {
					w(` data-popup-opener="`)
					esc(row.PopupValue)
					w(`"`)
				}
				w(">")
			}
			switch {
			case c.HTML != "":
				w(string(c.HTML))
			case c.Bool == cellYes:
				w(`<img src="`)
				esc(yesIcon)
				w(`" alt="True">`)
			case c.Bool == cellNo:
				w(`<img src="`)
				esc(noIcon)
				w(`" alt="False">`)
			default:
				esc(c.Text)
			}
			if c.Link {
				w("</a>")
			}
			w("</")
			w(tag)
			w(">")
		}
		w("</tr>\n")
	}
}

// headersHTML renders the column headers byte for byte as the
// change list template's range over Headers does: some seventy template
// actions for six columns, most of them escaped through reflection. It
// is empty, for the template to render them, when a sort link is not a
// plain query string.
func headersHTML(headers []header, sortCount int) template.HTML {
	var b strings.Builder
	w := b.WriteString
	esc := func(s string) { w(templateEscaper.Replace(s)) }
	for _, h := range headers {
		w("\n            <th scope=\"col\" class=\"")
		esc(h.Class)
		w("\">\n              ")
		if !h.Sortable {
			w(`<div class="text"><span>`)
			esc(h.Text)
			w("</span></div>\n              <div class=\"clear\"></div>\n            </th>\n          ")
			continue
		}
		if h.SortPriority > 0 {
			remove, okRemove := plainHref(h.RemoveURL)
			toggle, okToggle := plainHref(h.ToggleURL)
			if !okRemove || !okToggle {
				return ""
			}
			w("<div class=\"sortoptions\">\n                <a class=\"sortremove\" href=\"")
			w(remove)
			w("\" title=\"Remove from sorting\"></a>\n                ")
			if sortCount > 1 {
				n := strconv.Itoa(h.SortPriority)
				w(`<span class="sortpriority" title="Sorting priority: ` + n + `">` + n + "</span>")
			}
			w("\n                <a href=\"")
			w(toggle)
			w("\" class=\"toggle ")
			if h.Ascending {
				w("ascending")
			} else {
				w("descending")
			}
			w("\" title=\"Toggle sorting\"></a>\n              </div>")
		}
		w("\n              <div class=\"text\">")
		if !writeLink(&b, h.URL, h.Text) {
			return ""
		}
		w("</div>\n              <div class=\"clear\"></div>\n            </th>\n          ")
	}
	return template.HTML(b.String())
}

// pageLinksHTML renders the paginator's page links byte for byte as the
// change list template's range over PageLinks does; empty, for the
// template to render them, when a link is not a plain query string.
func pageLinksHTML(links []pageLink) template.HTML {
	var b strings.Builder
	for _, l := range links {
		switch {
		case l.Ellipsis:
			b.WriteString(`<span class="ellipsis">…</span> `)
		case l.Current:
			b.WriteString(`<span class="this-page">` + strconv.Itoa(l.Number) + "</span> ")
		default:
			href, ok := plainHref(l.URL)
			if !ok {
				return ""
			}
			b.WriteString(`<a href="` + href + `"`)
			if l.End {
				b.WriteString(` class="end"`)
			}
			b.WriteString(">" + strconv.Itoa(l.Number) + "</a> ")
		}
	}
	return template.HTML(b.String())
}

// countText says a count that is not exact: "About 1250000" for an
// estimate, "More than 100000" for a lower bound; "" for an exact one.
func countText(n int64, kind CountKind) string {
	switch kind {
	case CountEstimated:
		return "About " + strconv.FormatInt(n, 10)
	case CountAtLeast:
		return "More than " + strconv.FormatInt(n-1, 10)
	}
	return ""
}
