package admin

import (
	"errors"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// The change list's reserved query parameters (contract §2.1).
const (
	paramPage    = "p"
	paramAll     = "all"
	paramOrder   = "o"
	paramSearch  = "q"
	paramError   = "e"
	paramFilters = "_changelist_filters"
)

// listQuery is the change list's query string, parsed once.
type listQuery struct {
	page    int // 1-based; 1 when absent or not a number
	all     bool
	order   []orderItem
	search  string
	errFlag bool
	filters url.Values // every other parameter: field lookups
	raw     url.Values // the whole query, for building links
}

// orderItem is one "[-]N" entry of the o parameter.
type orderItem struct {
	col  int
	desc bool
}

// parseListQuery reads a change list's query string. Unparsable o entries
// are skipped, as Django does; a NUL in the search term is reported.
func parseListQuery(q url.Values) (listQuery, string) {
	lq := listQuery{page: 1, filters: url.Values{}, raw: url.Values{}}
	var note string
	for k, vs := range q {
		if k == paramError {
			lq.errFlag = true
			continue
		}
		lq.raw[k] = vs
		switch k {
		case paramPage:
			if n, err := strconv.Atoi(vs[len(vs)-1]); err == nil {
				lq.page = n
			}
		case paramAll:
			lq.all = true
		case paramOrder:
			lq.order = parseOrder(vs[len(vs)-1])
		case paramSearch:
			lq.search = vs[len(vs)-1]
			if strings.ContainsRune(lq.search, 0) {
				lq.search, note = "", "Null characters are not allowed."
				delete(lq.raw, k)
			}
		case paramFilters, "_popup", "_to_field":
		default:
			lq.filters[k] = vs
		}
	}
	return lq, note
}

func parseOrder(s string) []orderItem {
	var out []orderItem
	seen := map[int]bool{}
	for _, part := range strings.Split(s, ".") {
		desc := strings.HasPrefix(part, "-")
		n, err := strconv.Atoi(strings.TrimPrefix(part, "-"))
		if err != nil || n < 0 || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, orderItem{col: n, desc: desc})
	}
	return out
}

// encodeOrder writes o's value back.
func encodeOrder(items []orderItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = strconv.Itoa(it.col)
		if it.desc {
			parts[i] = "-" + parts[i]
		}
	}
	return strings.Join(parts, ".")
}

// link builds a change list query string from the current one, without
// the page, with keys in set replaced and keys in remove dropped; keys are
// sorted as Django sorts them.
func (lq listQuery) link(set map[string]string, remove ...string) string {
	v := url.Values{}
	for k, vs := range lq.raw {
		if k == paramPage {
			continue
		}
		v[k] = vs
	}
	for _, k := range remove {
		delete(v, k)
	}
	for k, val := range set {
		v.Set(k, val)
	}
	return "?" + v.Encode() // Encode sorts by key
}

// changelistPage is the data of change_list.html.
type changelistPage struct {
	basePage
	AppLabel, ModelName    string
	VerboseName            string
	VerboseNamePlural      string
	AddURL                 string
	Searchable             bool
	Query                  string
	ShowResultCount        bool
	ResultCount, FullCount int64
	Headers                []header
	SortCount              int
	Rows                   [][]cell
	PageLinks              []pageLink
	ShowAllURL             string
	HiddenParams           []hiddenParam
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

// changelist serves the change list: search, lookups from the query
// string, sorting and pagination, at a fixed number of queries whatever
// the page size.
func (v *modelView) changelist(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return &httpError{http.StatusMethodNotAllowed, "method not allowed"}
	}
	if !v.admin.HasViewPermission(r, nil) {
		return errForbidden
	}
	lq, note := parseListQuery(r.URL.Query())
	if note != "" {
		flash.Add(r, flash.Error, note)
	}
	if err := v.lookupsAllowed(r, lq.filters); err != nil {
		return err
	}
	page, err := v.buildChangelist(r, lq)
	var fe *orm.FieldError
	var ve *orm.ValueError
	if errors.As(err, &fe) || errors.As(err, &ve) || errors.Is(err, errBadPage) {
		if lq.errFlag {
			p := &errorPage{basePage: v.site.basePage(r, "Database error")}
			v.site.render(w, r, http.StatusOK, v.site.tmpl.lookup("", "", "invalid_setup.html"), p)
			return nil
		}
		http.Redirect(w, r, r.URL.Path+"?"+paramError+"=1", http.StatusFound)
		return nil
	}
	if err != nil {
		return err
	}
	v.site.render(w, r, http.StatusOK, v.site.tmpl.lookup(v.model.App.Label, v.model.ModelName, "change_list.html"), page)
	return nil
}

var errBadPage = errors.New("admin: page out of range")

// lookupsAllowed refuses, with a 400, lookups that follow a relation, which
// could leak data the change list does not show (Django's lookup_allowed;
// with no list_filter yet, no relation-spanning lookup is declared).
func (v *modelView) lookupsAllowed(r *http.Request, filters url.Values) error {
	for key, values := range filters {
		if la, ok := v.admin.(LookupAllower); ok && !la.LookupAllowed(r, key, strings.Join(values, ",")) {
			return badRequest("Filtering by " + key + " not allowed")
		}
		parts := strings.Split(key, "__")
		if len(parts) == 1 {
			continue
		}
		var target *orm.Model
		if f := v.model.Field(parts[0]); f != nil && f.IsRelation() {
			target = f.Related
		} else if rel := v.model.RelatedByName(parts[0]); rel != nil {
			target = rel.Model // a reverse relation
		}
		if target == nil {
			continue // a local field: its lookups are always allowed
		}
		// The related key itself (author__id__exact, book__isnull) stays
		// on this side of the relation; anything further spans it.
		next := target.Field(parts[1])
		if next == target.PK || (len(parts) == 2 && next == nil) {
			continue
		}
		return badRequest("Filtering by " + key + " not allowed")
	}
	return nil
}

// filterExprs turns the query's lookups into expressions: a comma
// separates __in values and a repeated key means OR.
func filterExprs(filters url.Values) []orm.Expr {
	keys := make([]string, 0, len(filters))
	for k := range filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []orm.Expr
	for _, k := range keys {
		var alts []orm.Expr
		for _, val := range filters[k] {
			var value any = val
			if strings.HasSuffix(k, "__in") {
				value = strings.Split(val, ",")
			}
			alts = append(alts, orm.Q{k: value})
		}
		out = append(out, orm.Or(alts...))
	}
	return out
}

func (v *modelView) buildChangelist(r *http.Request, lq listQuery) (*changelistPage, error) {
	ctx := r.Context()
	a, m := v.base, v.model
	root := v.admin.GetQueryset(r)
	qs := root.Filter(filterExprs(lq.filters)...)
	qs, distinct, err := v.admin.GetSearchResults(r, qs, lq.search)
	if err != nil {
		return nil, err
	}
	if !distinct {
		// Lookups or search terms across a multi-valued relation repeat
		// rows; Django's change list then asks for DISTINCT.
		if distinct, err = qs.NeedsDistinct(); err != nil {
			return nil, err
		}
	}
	if distinct {
		qs = qs.Distinct()
	}
	count, err := qs.Count(ctx)
	if err != nil {
		return nil, err
	}
	full := count
	filtered := len(lq.filters) > 0 || strings.TrimSpace(lq.search) != ""
	if filtered {
		if full, err = root.Count(ctx); err != nil {
			return nil, err
		}
	}
	perPage, numPages := a.perPage(), int((count+int64(a.perPage())-1)/int64(a.perPage()))
	showAll := lq.all && count <= int64(a.maxShowAll())
	if numPages < 1 {
		numPages = 1
	}
	if lq.page < 1 || lq.page > numPages {
		if numPages > 1 {
			return nil, errBadPage
		}
		lq.page = 1
	}
	ordering, headers := v.ordering(r, lq)
	rowsQS := qs.OrderBy(ordering...).SelectRelated(v.selectRelated()...)
	if !showAll {
		rowsQS = rowsQS.Offset((lq.page - 1) * perPage).Limit(perPage)
	}
	objs, err := rowsQS.All(ctx)
	if err != nil {
		return nil, err
	}
	p := &changelistPage{
		basePage: v.site.basePage(r, "Select "+m.VerboseName+" to change"),
		AppLabel: m.App.Label, ModelName: m.ModelName, VerboseName: m.VerboseName, VerboseNamePlural: m.VerboseNamePlural,
		Searchable: len(a.SearchFields) > 0, Query: lq.search, ShowResultCount: filtered && count != full,
		ResultCount: count, FullCount: full, Headers: headers,
	}
	if !v.admin.HasChangePermission(r, nil) {
		p.Title = "Select " + m.VerboseName + " to view"
	}
	p.Breadcrumbs = []crumb{{"Home", v.site.cfg.Prefix}, {m.App.VerboseName, v.appURL()}, {orm.Capfirst(m.VerboseNamePlural), ""}}
	for _, h := range headers {
		if h.SortPriority > 0 {
			p.SortCount++
		}
	}
	if v.admin.HasAddPermission(r) {
		p.AddURL = v.url("add/") + v.preserved(lq)
	}
	for k, vs := range lq.raw {
		if k != paramSearch && k != paramPage {
			for _, val := range vs {
				p.HiddenParams = append(p.HiddenParams, hiddenParam{k, val})
			}
		}
	}
	sort.Slice(p.HiddenParams, func(i, j int) bool { return p.HiddenParams[i].Name < p.HiddenParams[j].Name })
	for _, obj := range objs {
		p.Rows = append(p.Rows, v.row(obj, lq))
	}
	if numPages > 1 && !showAll {
		p.PageLinks = pageLinks(lq, lq.page, numPages)
	}
	if numPages > 1 && !showAll && count <= int64(a.maxShowAll()) {
		p.ShowAllURL = lq.link(map[string]string{paramAll: ""})
	}
	return p, nil
}

// selectRelated lists the foreign keys to join: those shown as columns and
// ListSelectRelated.
func (v *modelView) selectRelated() []string {
	paths := append([]string(nil), v.base.ListSelectRelated...)
	for _, c := range v.base.cols {
		if c.field != nil && c.field.IsForeignKey() {
			paths = append(paths, c.field.Name)
		}
	}
	return paths
}

// row renders one object's cells; the link columns point at its change
// page, keeping the change list's filters.
func (v *modelView) row(obj any, lq listQuery) []cell {
	links := v.base.ListDisplayLinks
	if len(links) == 0 {
		links = []string{v.base.cols[0].name}
	}
	href := v.objectURL(obj, "change/") + v.preserved(lq)
	cells := make([]cell, len(v.base.cols))
	for i, c := range v.base.cols {
		cells[i] = c.value(v.model, obj)
		cells[i].IsTH = i == 0
		for _, l := range links {
			if l == c.name {
				cells[i].Link = href
			}
		}
	}
	return cells
}

// ordering decides the change list's ORDER BY and the column headers'
// sort links (contract §2.4).
func (v *modelView) ordering(r *http.Request, lq listQuery) ([]string, []header) {
	cols := v.base.cols
	var active []orderItem
	var names []string
	if len(lq.order) > 0 {
		for _, it := range lq.order {
			if it.col < len(cols) && cols[it.col].order != "" {
				active = append(active, it)
				names = append(names, flip(cols[it.col].order, it.desc))
			}
		}
	} else {
		names = append(names, v.admin.GetOrdering(r)...)
		for _, n := range names {
			for i, c := range cols {
				if c.order != "" && strings.TrimPrefix(n, "-") == strings.TrimPrefix(c.order, "-") {
					active = append(active, orderItem{col: i, desc: strings.HasPrefix(n, "-") != strings.HasPrefix(c.order, "-")})
				}
			}
		}
	}
	names = v.totalOrdering(names)
	headers := make([]header, len(cols))
	for i, c := range cols {
		h := header{Text: c.header, Class: "column-" + cssName(c.name), Sortable: c.order != ""}
		if !h.Sortable {
			headers[i] = h
			continue
		}
		h.Class = "sortable " + h.Class
		var others []orderItem
		for pos, it := range active {
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
			toggled := make([]orderItem, len(active))
			for pos, it := range active {
				if it.col == i {
					it.desc = !it.desc
				}
				toggled[pos] = it
			}
			h.RemoveURL = lq.link(map[string]string{paramOrder: encodeOrder(others)})
			h.ToggleURL = lq.link(map[string]string{paramOrder: encodeOrder(toggled)})
		}
		h.URL = lq.link(map[string]string{paramOrder: encodeOrder(append([]orderItem{primary}, others...))})
		headers[i] = h
	}
	return names, headers
}

// flip reverses a possibly "-"-prefixed ordering path when desc is set.
func flip(path string, desc bool) string {
	if !desc {
		return path
	}
	if strings.HasPrefix(path, "-") {
		return path[1:]
	}
	return "-" + path
}

// totalOrdering appends "-pk" unless the ordering already names the
// primary key or a non-null unique field, so pages never overlap.
func (v *modelView) totalOrdering(names []string) []string {
	for _, n := range names {
		f := v.model.Field(strings.TrimPrefix(n, "-"))
		if f != nil && (f.PrimaryKey || f.Unique && !f.Null) {
			return names
		}
	}
	set := map[string]bool{}
	for _, n := range names {
		set[strings.TrimPrefix(n, "-")] = true
	}
	for _, group := range v.model.Meta.UniqueTogether {
		all := true
		for _, name := range group {
			f := v.model.Field(name)
			all = all && set[name] && !f.Null
		}
		if all {
			return names
		}
	}
	return append(names, "-pk")
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
