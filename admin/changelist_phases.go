package admin

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// ChangeList is one request's change list, Django's ChangeList: the query
// string parsed once, then decided in named phases — list filters consume
// their parameters, the date hierarchy turns its own into a range, the
// remaining lookups are checked (LookupAllowed) and applied, the search
// term narrows the rows, DISTINCT is decided, the rows are counted and
// paginated, and the ordering is chosen — before anything renders.
type ChangeList struct {
	ma  Admin
	a   *ModelAdmin
	req *http.Request
	q   listQuery

	// Columns are the resolved GetListDisplay entries; Links names the
	// columns linking to the change page; SortableBy names the columns
	// that may be sorted.
	Columns    []*column
	Links      []string
	SortableBy []string
	// Actions are GetActions; when there are any, the action checkbox
	// column comes first and is index 0 of the o parameter.
	Actions []Action
	// FilterSpecs are the list filters made for this request; Lookups
	// are the lookup parameters no filter consumed.
	FilterSpecs []FilterSpec
	Lookups     url.Values
	// HasActiveFilters reports whether a filter consumed a parameter.
	HasActiveFilters bool
	// AddFacets reports whether the filters show counts (ShowFacets).
	AddFacets bool
	specs     []FilterSpec // every filter, shown or not
	// RootQueryset is GetQueryset; Queryset is it filtered, searched and
	// made distinct when needed.
	RootQueryset, Queryset orm.QuerySet
	// Ordering is the ORDER BY, with the tiebreaker; Sorted lists the
	// columns the rows are sorted by, in priority order.
	Ordering []string
	Sorted   []orderItem
	// ResultCount counts Queryset; FullResultCount counts RootQueryset
	// when it is shown (ShowFullResultCount), else -1.
	ResultCount, FullResultCount int64
	// CountKind and FullCountKind tell whether the counts are exact or,
	// past the admin's ExactCountLimit, estimates or lower bounds.
	CountKind, FullCountKind CountKind
	// Page is the 1-based page shown, NumPages the number of pages;
	// ShowAll is set when every row fits on the page ("Show all").
	Page, NumPages int
	ShowAll        bool
	CanShowAll     bool
	Paginator      Paginator
	// Results are the objects of the page.
	Results []any
	// DateHierarchy is the date drill-down, when the admin has one.
	DateHierarchy *dateHierarchyNav
	// Formset is the list_editable formset of a POST that failed to
	// validate, shown again with its errors.
	Formset *form.ModelFormSet

	datePeriod   datePeriod   // the period the parameters chose
	dateQueryset orm.QuerySet // Queryset before DISTINCT, for aggregates
	// undated is the queryset just before the date hierarchy's period
	// narrowed it, when it did (see seekBase).
	undated    orm.QuerySet
	hasUndated bool
	// commonSearch is set when the search matches so many rows that
	// reading them in an index's order finds what a page needs sooner than
	// gathering every match (see searchIsCommon): the date hierarchy then
	// seeks its periods in the date's index. scanText makes the page and
	// those seeks test each row's text as it is read, past SQLite's
	// substring index, which would gather them all.
	commonSearch, scanText bool
	// rootEstimate is RootQueryset's estimate once listRows asked for it.
	rootEstimate                   int64
	rootEstimated, hasRootEstimate bool
}

// errLookup marks a lookup parameter the change list cannot apply (an
// unknown field, a bad value, a bad page): the view answers with ?e=1.
var errLookup = errors.New("admin: incorrect lookup parameters")

// newChangeList decides the change list of r: every phase in turn.
func newChangeList(r *http.Request, ma Admin, q listQuery) (*ChangeList, error) {
	cl := &ChangeList{ma: ma, a: ma.base(), req: r, q: q}
	var err error
	display := ma.GetListDisplay(r)
	if cl.Columns, err = cl.a.resolveColumns(display); err != nil {
		return nil, err
	}
	cl.Links = ma.GetListDisplayLinks(r, display)
	cl.SortableBy = ma.GetSortableBy(r)
	cl.Actions = ma.GetActions(r)
	if err := cl.checkLookups(); err != nil {
		return nil, err
	}
	cl.RootQueryset = ma.GetQueryset(r)
	qs, err := cl.applyFilters(cl.RootQueryset)
	if err != nil {
		return nil, err
	}
	if qs, err = cl.applyLookups(qs); err != nil {
		return nil, err
	}
	if qs, err = cl.applySearch(qs); err != nil {
		return nil, err
	}
	cl.Queryset = qs
	if err := cl.facets(); err != nil {
		return nil, err
	}
	if err := cl.count(); err != nil {
		return nil, err
	}
	if err := cl.paginate(); err != nil {
		return nil, err
	}
	cl.Ordering, cl.Sorted = cl.ordering()
	cl.commonSearch = cl.searchIsCommon()
	if cl.scanText = cl.commonSearch && cl.a.site.db.Dialect().Name() == "sqlite"; cl.scanText {
		cl.Queryset = cl.Queryset.WithoutSubstringIndex()
		cl.dateQueryset = cl.dateQueryset.WithoutSubstringIndex()
	}
	return cl, nil
}

// searchIsCommon reports whether the search matches so many rows that the
// page is found sooner by reading rows in the order of an index and
// testing each row than by gathering every match first (as SQLite's
// substring index does, orm.QuerySet.WithoutSubstringIndex, and a
// PostgreSQL planner told the term is rare). A page of P rows among M
// matches of N rows reads about P·N/M rows in order, gathering reads M:
// past M² = 2·P·N (14,000 of 1,000,000 rows, for 100 a page), when the
// ordering's first column leads an index, reading in order wins. The
// count (or its estimate) said what M is; the rows are the same either
// way.
func (cl *ChangeList) searchIsCommon() bool {
	if strings.TrimSpace(cl.q.search) == "" || len(cl.Ordering) == 0 {
		return false
	}
	n, ok := cl.listRows()
	if !ok {
		return false
	}
	m, p := cl.ResultCount, int64(cl.Paginator.PerPage())
	if m*m < 2*p*n {
		return false
	}
	first := strings.TrimPrefix(cl.Ordering[0], "-")
	f := cl.a.model.Field(first)
	if first == "pk" || f == cl.a.model.PK {
		return true
	}
	return f != nil && f.Concrete() && f.Model == cl.a.model.ConcreteModel() && cl.a.site.leadsIndex(cl.req.Context(), f)
}

// checkLookups refuses, with a 400, a lookup LookupAllowed refuses:
// following a relation could leak data the change list does not show.
func (cl *ChangeList) checkLookups() error {
	keys := make([]string, 0, len(cl.q.filters))
	for k := range cl.q.filters {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, key := range keys {
		if !cl.ma.LookupAllowed(cl.req, key, strings.Join(cl.q.filters[key], ",")) {
			return badRequest("Filtering by " + key + " not allowed")
		}
	}
	return nil
}

// applyFilters makes the list filters of GetListFilter, each consuming its
// parameters, and narrows qs by each; then the date hierarchy turns its
// parameters into a range. What is left are plain lookups.
func (cl *ChangeList) applyFilters(qs orm.QuerySet) (orm.QuerySet, error) {
	params := url.Values{}
	for k, vs := range cl.q.filters {
		params[k] = vs
	}
	before := len(params)
	for _, entry := range cl.ma.GetListFilter(cl.req) {
		lf, ok := listFilterOf(entry)
		if !ok {
			return qs, fmt.Errorf("admin: %s: list filter %v (%T) is not a field path or a ListFilter", cl.a.model.Label(), entry, entry)
		}
		spec, err := lf.Spec(cl.req, params, cl.a.model, cl.ma)
		if err != nil {
			return qs, err
		}
		if qs, err = spec.Queryset(cl.req, qs); err != nil {
			return qs, fmt.Errorf("%w: %v", errLookup, err)
		}
		cl.specs = append(cl.specs, spec)
		if spec.HasOutput() {
			cl.FilterSpecs = append(cl.FilterSpecs, spec)
		}
	}
	cl.HasActiveFilters = len(params) < before
	qs, params, err := cl.applyDateHierarchy(qs, params)
	if err != nil {
		return qs, err
	}
	cl.Lookups = params
	return qs, nil
}

// applyLookups applies the lookups no filter consumed: a comma separates
// __in values, "", "false" and "0" make __isnull false, and a repeated key
// means OR (contract §2.1).
func (cl *ChangeList) applyLookups(qs orm.QuerySet) (orm.QuerySet, error) {
	qs = qs.Filter(filterExprs(cl.Lookups)...)
	if _, _, err := qs.SQL(); err != nil {
		return qs, fmt.Errorf("%w: %v", errLookup, err)
	}
	return qs, nil
}

// filterExprs turns lookup parameters into expressions.
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
			switch {
			case strings.HasSuffix(k, "__in"):
				value = strings.Split(val, ",")
			case strings.HasSuffix(k, "__isnull"):
				switch strings.ToLower(val) {
				case "", "false", "0":
					value = false
				default:
					value = true
				}
			}
			alts = append(alts, orm.Q{k: value})
		}
		out = append(out, orm.Or(alts...))
	}
	return out
}

// applySearch narrows qs by the search term through GetSearchResults, and
// asks for DISTINCT when the search or a lookup crosses a multi-valued
// relation.
func (cl *ChangeList) applySearch(qs orm.QuerySet) (orm.QuerySet, error) {
	qs, dup, err := cl.ma.GetSearchResults(cl.req, qs, cl.q.search)
	if err != nil {
		return qs, err
	}
	if !dup {
		if dup, err = qs.NeedsDistinct(); err != nil {
			return qs, fmt.Errorf("%w: %v", errLookup, err)
		}
	}
	cl.dateQueryset = qs
	if dup {
		qs = qs.Distinct()
	}
	return qs, nil
}

// filtered reports whether lookups or a search narrow the rows.
func (cl *ChangeList) filtered() bool {
	return len(cl.q.filters) > 0 || strings.TrimSpace(cl.q.search) != ""
}

// showFullResultCount is Django's show_full_result_count (default true).
func (cl *ChangeList) showFullResultCount() bool {
	return cl.a.ShowFullResultCount == nil || *cl.a.ShowFullResultCount
}

// count counts the rows through the paginator and, when the list is
// filtered and the admin shows it, the unfiltered total; past the admin's
// ExactCountLimit both are estimates (see countBounded), so that neither
// reads the whole of a big table.
func (cl *ChangeList) count() error {
	cl.Paginator = cl.ma.GetPaginator(cl.req, cl.Queryset, cl.a.perPage())
	n, err := cl.Paginator.Count()
	if err != nil {
		return lookupError(err)
	}
	cl.ResultCount, cl.FullResultCount, cl.CountKind = n, -1, CountExact
	if k, ok := cl.Paginator.(CountKinder); ok {
		cl.CountKind = k.CountKind()
	}
	switch {
	case !cl.filtered():
		cl.FullResultCount, cl.FullCountKind = n, cl.CountKind
	case cl.showFullResultCount():
		cl.FullResultCount, cl.FullCountKind, err = countBounded(cl.req.Context(), cl.RootQueryset, cl.a.exactCountLimit(cl.q.exact))
		if err != nil {
			return err
		}
	}
	return nil
}

// lookupError marks the database's refusal of a lookup value (a string
// where a number belongs, a bad regular expression, a pattern too
// complex) as errLookup.
func lookupError(err error) error {
	var fe *orm.FieldError
	var ve *orm.ValueError
	if errors.As(err, &fe) || errors.As(err, &ve) || orm.IsDataError(err) {
		return fmt.Errorf("%w: %v", errLookup, err)
	}
	return err
}

// paginate chooses the page: "Show all" when asked and the rows fit in
// ListMaxShowAll; a page out of range is errLookup unless everything fits
// on one page.
func (cl *ChangeList) paginate() error {
	pages, err := cl.Paginator.NumPages()
	if err != nil {
		return err
	}
	cl.NumPages = pages
	cl.CanShowAll = cl.ResultCount <= int64(cl.a.maxShowAll())
	cl.ShowAll = cl.q.all && cl.CanShowAll
	cl.Page = cl.q.page
	if cl.Page < 1 || cl.Page > pages && cl.CountKind == CountExact {
		if pages > 1 {
			return fmt.Errorf("%w: page %d of %d", errLookup, cl.Page, pages)
		}
		cl.Page = 1
	}
	return nil
}

// ordering decides the ORDER BY (contract §2.4): the sortable columns the
// o parameter names, else GetOrdering, then the ordering of GetQueryset's
// queryset, then the tiebreaker; and the
// columns the rows are sorted by, for the headers.
func (cl *ChangeList) ordering() ([]string, []orderItem) {
	var active []orderItem
	var names []string
	if len(cl.q.order) > 0 {
		for _, it := range cl.q.order {
			it.col -= cl.orderOffset()
			if it.col >= 0 && it.col < len(cl.Columns) && cl.sortable(it.col) {
				active = append(active, it)
				names = append(names, flip(cl.Columns[it.col].order, it.desc))
			}
		}
	} else {
		names = append(names, cl.ma.GetOrdering(cl.req)...)
		for _, n := range names {
			for i, c := range cl.Columns {
				if cl.sortable(i) && strings.TrimPrefix(n, "-") == strings.TrimPrefix(c.order, "-") {
					active = append(active, orderItem{col: i, desc: strings.HasPrefix(n, "-") != strings.HasPrefix(c.order, "-")})
				}
			}
		}
	}
	// Then the order GetQueryset gave its queryset (the admin's ordering,
	// by default), which sorts ties of the columns chosen.
	if cl.RootQueryset.Ordered() {
		for _, n := range cl.RootQueryset.Ordering() {
			if !slices.ContainsFunc(names, func(m string) bool { return strings.TrimPrefix(m, "-") == strings.TrimPrefix(n, "-") }) {
				names = append(names, n)
			}
		}
	}
	return totalOrdering(cl.a.model, names), active
}

// orderOffset is the o parameter's index of the first column: 1 when
// the action checkbox column comes first (contract §2.1).
func (cl *ChangeList) orderOffset() int {
	if len(cl.Actions) > 0 {
		return 1
	}
	return 0
}

// encodeOrder writes the o parameter of items, whose columns count from
// the first of Columns.
func (cl *ChangeList) encodeOrder(items []orderItem) string {
	shifted := make([]orderItem, len(items))
	for i, it := range items {
		shifted[i] = orderItem{col: it.col + cl.orderOffset(), desc: it.desc}
	}
	return encodeOrder(shifted)
}

// sortable reports whether column i may be sorted: it has a field to sort
// by and GetSortableBy names it.
func (cl *ChangeList) sortable(i int) bool {
	c := cl.Columns[i]
	return c.order != "" && containsName(cl.SortableBy, c.name)
}

// rows loads the page's objects, joining the foreign keys shown and those
// of GetListSelectRelated: a fixed number of queries whatever the page
// size.
func (cl *ChangeList) rows() error {
	keys, few, err := cl.keysFirst()
	if err != nil {
		return lookupError(err)
	}
	if few && len(keys) == 0 {
		cl.Results = nil // the count found none: no page to read
		return nil
	}
	qs := cl.Queryset.OrderBy(cl.Ordering...)
	if page, ok := cl.keysetPage(); ok {
		qs = page.OrderBy(cl.Ordering...)
	} else if !cl.ShowAll {
		page, err := cl.Paginator.Page(cl.Page)
		if err != nil {
			return err
		}
		qs = page.OrderBy(cl.Ordering...)
		if cl.scanText {
			qs = qs.WithoutSubstringIndex()
		}
	}
	if few {
		qs = qs.Filter(orm.Q{"pk__in": keys})
	} else if !cl.ShowAll && cl.pageByKeys() {
		qs = cl.RootQueryset.Filter(orm.Q{"pk__in": qs.Values("pk")}).OrderBy(cl.Ordering...)
	}
	objs, err := qs.SelectRelated(cl.selectRelated()...).All(cl.req.Context())
	if err != nil {
		return lookupError(err)
	}
	cl.Results = objs
	return nil
}

// pageByKeys reports whether the page of a big SQLite table is read by
// its keys: a subquery picks the page's keys in the ordering's order,
// and the rows are those keys'. SQLite's planner reads an index in order
// for ORDER BY ... LIMIT only when the index serves all but the last
// terms or covers the columns read; a descending click on a sorted column
// meets neither (its index keeps the admin's ordering in the other
// direction), and SQLite 3.54 then sorted all 1,000,000 books, 1.8 s.
// The keys alone are covered by that index, which it reads in order,
// sorting only ties: 3 ms. The ordering must name the model's own
// columns, which the keys' subquery selects without joins or
// annotations.
func (cl *ChangeList) pageByKeys() bool {
	if cl.a.site.db.Dialect().Name() != "sqlite" || len(cl.Ordering) == 0 {
		return false
	}
	if n, ok := cl.listRows(); !ok || !cl.a.site.isBig(n) {
		return false
	}
	m := cl.a.model
	for _, name := range cl.Ordering {
		name = strings.TrimPrefix(name, "-")
		if name == "pk" {
			continue
		}
		if f := m.Field(name); f == nil || !f.Concrete() || f.Model != m.ConcreteModel() {
			return false
		}
	}
	return true
}

// listRows is the number of rows of the list before filters and search:
// FullResultCount when it was counted, else the database's estimate,
// asked once; ok is false when there is neither.
func (cl *ChangeList) listRows() (int64, bool) {
	if cl.FullResultCount >= 0 {
		return cl.FullResultCount, true
	}
	if !cl.rootEstimated {
		cl.rootEstimated = true
		cl.rootEstimate, cl.hasRootEstimate, _ = cl.RootQueryset.Estimate(cl.req.Context())
	}
	return cl.rootEstimate, cl.hasRootEstimate
}

// fewRows is the most rows of a narrowed list of a big table whose keys
// are read first (see keysFirst), and fewShare the least number of the
// table's rows for each of them: a list of one row in a hundred or more
// is found soon enough in the ordering's index (a hundred rows read for
// each shown), and reading its keys, up to 5,000 values sent back as
// parameters, costs more than it saves.
const (
	fewRows  = 5_000
	fewShare = 100
)

// keysFirst reads the keys of a narrowed list of few rows out of a big
// table by its filters alone, for the page to be read among them: few is
// set when it did. Asked for the first rows in the ordering's order, a
// planner that expects the filters to pass often enough reads the
// ordering's index and tests each row on the way; PostgreSQL read all
// 10,000,000 books that way for a search no book matched (45 s), where
// the trigram index names the matches at once. The count said how few
// there are (none: the page is not read at all); the page's query keeps
// the filters, and so its rows, and gains the keys, which lead any
// planner to them.
func (cl *ChangeList) keysFirst() (keys []any, few bool, err error) {
	if !cl.filtered() || cl.ShowAll || cl.CountKind != CountExact || cl.ResultCount > fewRows {
		return nil, false, nil
	}
	ctx := cl.req.Context()
	if n, ok := cl.listRows(); !ok || !cl.a.site.isBig(n) || cl.ResultCount*fewShare > n {
		return nil, false, nil
	}
	if cl.ResultCount == 0 {
		return nil, true, nil
	}
	rows, err := cl.Queryset.OrderBy().Values("pk").Tuples(ctx)
	if err != nil {
		return nil, false, err
	}
	keys = make([]any, len(rows))
	for i, r := range rows {
		keys[i] = r[0]
	}
	return keys, true, nil
}

// selectRelated lists the foreign keys to join: those shown as columns
// and GetListSelectRelated.
func (cl *ChangeList) selectRelated() []string {
	paths := append([]string(nil), cl.ma.GetListSelectRelated(cl.req)...)
	for _, c := range cl.Columns {
		if c.field != nil && c.field.IsForeignKey() && !containsName(paths, c.field.Name) {
			paths = append(paths, c.field.Name)
		}
	}
	return paths
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
func totalOrdering(m *orm.Model, names []string) []string {
	for _, n := range names {
		f := m.Field(strings.TrimPrefix(n, "-"))
		if strings.TrimPrefix(n, "-") == "pk" || f != nil && (f.PrimaryKey || f.Unique && !f.Null) {
			return names
		}
	}
	set := map[string]bool{}
	for _, n := range names {
		set[strings.TrimPrefix(n, "-")] = true
	}
	for _, group := range m.Meta.UniqueTogether {
		all := true
		for _, name := range group {
			f := m.Field(name)
			all = all && set[name] && !f.Null
		}
		if all {
			return names
		}
	}
	return append(names, "-pk")
}
