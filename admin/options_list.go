package admin

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"

	"github.com/staffroom/staffroom/orm"
)

// GetQueryset implements Admin: every object of the model, in the
// admin's ordering.
func (a *ModelAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	qs := a.site.db.Query(a.model)
	if ordering := a.self.GetOrdering(r); len(ordering) > 0 {
		qs = qs.OrderBy(ordering...)
	}
	return qs
}

// GetListDisplay implements Admin: ListDisplay, else the object's string.
func (a *ModelAdmin) GetListDisplay(r *http.Request) []any {
	if len(a.ListDisplay) == 0 {
		return []any{"__str__"}
	}
	return a.ListDisplay
}

// GetListDisplayLinks implements Admin: ListDisplayLinks, else the first
// column of listDisplay.
func (a *ModelAdmin) GetListDisplayLinks(r *http.Request, listDisplay []any) []string {
	if a.ListDisplayLinks != nil || len(listDisplay) == 0 {
		return a.ListDisplayLinks
	}
	return []string{columnName(listDisplay[0])}
}

// GetListFilter implements Admin: ListFilter.
func (a *ModelAdmin) GetListFilter(r *http.Request) []any { return a.ListFilter }

// GetListSelectRelated implements Admin: ListSelectRelated.
func (a *ModelAdmin) GetListSelectRelated(r *http.Request) []string { return a.ListSelectRelated }

// GetSearchFields implements Admin: SearchFields.
func (a *ModelAdmin) GetSearchFields(r *http.Request) []string { return a.SearchFields }

// GetSortableBy implements Admin: SortableBy, else every column of
// GetListDisplay.
func (a *ModelAdmin) GetSortableBy(r *http.Request) []string {
	if a.SortableBy != nil {
		return a.SortableBy
	}
	display := a.self.GetListDisplay(r)
	out := make([]string, len(display))
	for i, item := range display {
		out[i] = columnName(item)
	}
	return out
}

// GetOrdering implements Admin: Ordering, else the model's.
func (a *ModelAdmin) GetOrdering(r *http.Request) []string {
	if len(a.Ordering) > 0 {
		return a.Ordering
	}
	return a.model.Meta.Ordering
}

// GetPaginator implements Admin: pages of perPage objects by offset.
func (a *ModelAdmin) GetPaginator(r *http.Request, qs orm.QuerySet, perPage int) Paginator {
	return &queryPaginator{ctx: r.Context(), qs: qs, perPage: perPage,
		limit: a.exactCountLimit(r.URL.Query().Get(paramCount) == "exact")}
}

// allowedAction reports whether the user holds every permission act asks
// for, through the registered admin's Has*Permission methods.
func (a *ModelAdmin) allowedAction(r *http.Request, act Action) bool {
	for _, p := range act.Permissions {
		var ok bool
		switch p {
		case "view":
			ok = a.self.HasViewPermission(r, nil)
		case "add":
			ok = a.self.HasAddPermission(r)
		case "change":
			ok = a.self.HasChangePermission(r, nil)
		case "delete":
			ok = a.self.HasDeletePermission(r, nil)
		}
		if !ok {
			return false
		}
	}
	return true
}

// GetSearchResults implements Admin with Django's rules: the term is split
// into words (quoted phrases kept together); every word must match at
// least one of GetSearchFields. The bool reports whether a search field
// crosses a multi-valued relation, so that rows may repeat.
func (a *ModelAdmin) GetSearchResults(r *http.Request, qs orm.QuerySet, term string) (orm.QuerySet, bool, error) {
	fields := a.self.GetSearchFields(r)
	if len(fields) == 0 || strings.TrimSpace(term) == "" {
		return qs, false, nil
	}
	var terms []orm.Expr
	for _, word := range smartSplit(term) {
		var alts []orm.Expr
		for _, sf := range fields {
			cond, err := searchCondition(r.Context(), qs, searchLookup(sf), word)
			if err != nil {
				return qs, false, err
			}
			if cond != nil {
				alts = append(alts, cond)
			}
		}
		if len(alts) == 0 {
			// No field can match the word: neither can any row.
			alts = append(alts, orm.Q{"pk__in": []any{}})
		}
		terms = append(terms, orm.Or(alts...))
	}
	qs = qs.Filter(terms...)
	dup, err := qs.NeedsDistinct()
	return qs, dup, err
}

// LookupAllowed implements Admin as Django's lookup_allowed does: the
// lookup is walked field by field, and its "relation parts" — the first
// field, then each field reached across a relation that is not the
// related model's own key — are collected. A lookup with at most one
// relation part (a local field, a relation's own key such as
// publisher__id__exact, book__isnull) is allowed; one that follows a
// relation further could leak data the change list does not show, and is
// allowed only when a list filter or the date hierarchy declares that
// path (with or without its last part).
func (a *ModelAdmin) LookupAllowed(r *http.Request, lookup, value string) bool {
	parts := strings.Split(lookup, "__")
	var relParts []string
	m := a.model
	var prev *orm.Field // the relation that led to m; nil at the start
	last := ""
	for _, part := range parts {
		last = part
		f, next := m.Field(part), (*orm.Model)(nil)
		switch {
		case f != nil && (f.IsRelation() || f.Kind == orm.KindGenericRelation):
			next = f.Related
		case f == nil:
			if rev := m.RelatedByName(part); rev != nil {
				f, next = rev, rev.Model
			}
		}
		if f == nil {
			break // a lookup or a transform
		}
		if prev == nil || (f != m.PK && (prev.ToField == "" || part != prev.ToField)) {
			relParts = append(relParts, part)
		}
		if next == nil {
			break
		}
		prev, m = f, next
	}
	if len(relParts) <= 1 {
		return true
	}
	path := strings.Join(relParts, "__")
	for _, declared := range a.declaredPaths(r) {
		if declared == path || declared == path+"__"+last {
			return true
		}
	}
	return false
}

// declaredPaths lists the field paths the list filters and the date
// hierarchy filter by.
func (a *ModelAdmin) declaredPaths(r *http.Request) []string {
	var out []string
	for _, f := range a.self.GetListFilter(r) {
		switch x := f.(type) {
		case string:
			out = append(out, x)
		case FieldFilter:
			out = append(out, x.Path)
		case *SimpleListFilter:
			out = append(out, x.ParameterName)
		}
	}
	if a.DateHierarchy != "" {
		out = append(out, a.DateHierarchy)
	}
	return out
}

// searchLookup turns a search_fields entry into a lookup path, as
// Django's construct_search does: "^f" starts with, "=f" equals, "@f" is
// the database's full-text search (the orm's search lookup: full text on
// PostgreSQL, every word on the others), a path already ending in a
// lookup is used as it is, and anything else contains — all but the
// lookups given case-insensitive.
func searchLookup(sf string) string {
	switch {
	case strings.HasPrefix(sf, "^"):
		return sf[1:] + "__istartswith"
	case strings.HasPrefix(sf, "="):
		return sf[1:] + "__iexact"
	case strings.HasPrefix(sf, "@"):
		return sf[1:] + "__search"
	}
	if i := strings.LastIndex(sf, "__"); i >= 0 && searchLookups[sf[i+2:]] {
		return sf
	}
	return sf + "__icontains"
}

// searchCondition is the condition that the search field's lookup
// matches word. Across a foreign key or one-to-one field it is "the key is
// among those of the related rows that match", which selects the same
// rows as a join would (the relation gives each row one related row at
// most) and lets the database use an index for each of the search's
// alternatives: the related table's own (a full-text or substring index
// of its column, say) and the key's index here, where the join's OR would
// read every row. The related keys are read first and named in the query
// when they are few (maxInlineKeys), so that the planner knows how many
// rows they pick — none, often — rather than guessing a share of the
// table; more than that stay a subquery. With no related row matching
// it is nil: the alternative cannot match.
func searchCondition(ctx context.Context, qs orm.QuerySet, lookup, word string) (orm.Expr, error) {
	parts := strings.Split(lookup, "__")
	f := qs.Model().Field(parts[0])
	if f == nil || !f.IsForeignKey() || f.Related == nil || len(parts) < 3 || qs.DB() == nil {
		return orm.Q{lookup: word}, nil
	}
	key := f.ToField
	if key == "" {
		key = f.Related.PK.Name
	}
	sub := qs.DB().Query(f.Related).Filter(orm.Q{strings.Join(parts[1:], "__"): word}).Values(key)
	rows, err := sub.Limit(maxInlineKeys + 1).Tuples(ctx)
	if err != nil {
		return nil, err
	}
	switch {
	case len(rows) > maxInlineKeys:
		return orm.Q{parts[0] + "__in": sub}, nil
	case len(rows) == 0:
		// No related row matches: the alternative is left out, rather
		// than kept as a false condition that would stop the database
		// from serving the others' OR by their indexes.
		return nil, nil
	}
	keys := make([]any, len(rows))
	for i, row := range rows {
		keys[i] = row[0]
	}
	return orm.Q{parts[0] + "__in": keys}, nil
}

// maxInlineKeys is how many related keys a search across a foreign key
// names in its query at most.
const maxInlineKeys = 1000

// searchLookups are the lookups a search field may end in.
var searchLookups = map[string]bool{
	"exact": true, "iexact": true, "contains": true, "icontains": true, "startswith": true, "istartswith": true,
	"endswith": true, "iendswith": true, "regex": true, "iregex": true, "search": true,
}

// smartSplit splits a search term on white space, keeping quoted phrases
// together and unquoting them.
func smartSplit(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, unquotePhrase(cur.String()))
		}
		cur.Reset()
		inWord = false
	}
	runes := []rune(s)
	for i := 0; i < len(runes); i++ {
		c := runes[i]
		switch {
		case quote != 0:
			cur.WriteRune(c)
			if c == '\\' && i+1 < len(runes) {
				i++
				cur.WriteRune(runes[i])
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			inWord = true
			cur.WriteRune(c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush()
		default:
			inWord = true
			cur.WriteRune(c)
		}
	}
	flush()
	return out
}

func unquotePhrase(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		q := string(s[0])
		return strings.ReplaceAll(strings.ReplaceAll(s[1:len(s)-1], `\`+q, q), `\\`, `\`)
	}
	return s
}

// perPage and maxShowAll apply the defaults.
func (a *ModelAdmin) perPage() int {
	if a.ListPerPage > 0 {
		return a.ListPerPage
	}
	return 100
}

func (a *ModelAdmin) maxShowAll() int {
	if a.ListMaxShowAll > 0 {
		return a.ListMaxShowAll
	}
	return 200
}

// emptyValue is what this admin shows for empty values.
func (a *ModelAdmin) emptyValue() string {
	if a.EmptyValueDisplay != "" {
		return a.EmptyValueDisplay
	}
	return a.site.cfg.EmptyValueDisplay
}

// queryPaginator is the default Paginator: LIMIT/OFFSET pages of a query
// set, counted once, exactly up to limit rows (see countBounded).
type queryPaginator struct {
	ctx     context.Context
	qs      orm.QuerySet
	perPage int
	limit   int64

	once  sync.Once
	count int64
	kind  CountKind
	err   error
}

// CountKind implements CountKinder.
func (p *queryPaginator) CountKind() CountKind {
	_, _ = p.Count()
	return p.kind
}

func (p *queryPaginator) PerPage() int { return p.perPage }

func (p *queryPaginator) Count() (int64, error) {
	p.once.Do(func() { p.count, p.kind, p.err = countBounded(p.ctx, p.qs, p.limit) })
	return p.count, p.err
}

func (p *queryPaginator) NumPages() (int, error) {
	n, err := p.Count()
	if err != nil {
		return 0, err
	}
	return max(1, int((n+int64(p.perPage)-1)/int64(p.perPage))), nil
}

func (p *queryPaginator) Page(number int) (orm.QuerySet, error) {
	pages, err := p.NumPages()
	if err != nil {
		return orm.QuerySet{}, err
	}
	if number < 1 || number > pages && p.kind == CountExact {
		return orm.QuerySet{}, errBadPage
	}
	return p.qs.Offset((number - 1) * p.perPage).Limit(p.perPage), nil
}

// containsName reports whether names holds name.
func containsName(names []string, name string) bool { return slices.Contains(names, name) }
