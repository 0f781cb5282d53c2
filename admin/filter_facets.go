package admin

import (
	"fmt"

	"github.com/staffroom/staffroom/orm"
)

// facets counts the rows behind each filter choice when the change list
// shows counts (Django 5's show_facets: always with FacetsAlways, on
// ?_facets=True with FacetsAllow, never with FacetsNever). Each filter
// costs one query, whatever its number of choices: a conditional
// COUNT(DISTINCT pk) per choice over the rows the other filters, the
// remaining lookups and the search leave (Django's get_facet_queryset).
func (cl *ChangeList) facets() error {
	switch cl.a.ShowFacets {
	case FacetsAlways:
		cl.AddFacets = true
	case FacetsAllow:
		cl.AddFacets = cl.q.facets
	}
	if !cl.AddFacets {
		return nil
	}
	for i, spec := range cl.specs {
		fs, ok := spec.(facetSpec)
		if !ok || !spec.HasOutput() {
			continue
		}
		conds, err := fs.facetConds()
		if err != nil {
			return fmt.Errorf("%w: %v", errLookup, err)
		}
		if len(conds) == 0 {
			continue
		}
		qs, err := cl.facetQueryset(i)
		if err != nil {
			return err
		}
		items := make([]any, len(conds))
		for k, cond := range conds {
			items[k] = orm.Named(fmt.Sprintf("c%d", k), orm.Count("pk", orm.Distinct(), orm.Where(cond)))
		}
		res, err := qs.OrderBy().Aggregate(cl.req.Context(), items...)
		if err != nil {
			return lookupError(err)
		}
		counts := make([]int64, len(conds))
		for k := range conds {
			counts[k], _ = res[fmt.Sprintf("c%d", k)].(int64)
		}
		fs.setFacetCounts(counts)
	}
	return nil
}

// facetQueryset is the change list's query set without the filter skip.
func (cl *ChangeList) facetQueryset(skip int) (orm.QuerySet, error) {
	qs := cl.RootQueryset
	for j, other := range cl.specs {
		if j == skip {
			continue
		}
		var err error
		if qs, err = other.Queryset(cl.req, qs); err != nil {
			return qs, fmt.Errorf("%w: %v", errLookup, err)
		}
	}
	qs = qs.Filter(filterExprs(cl.Lookups)...)
	qs, _, err := cl.ma.GetSearchResults(cl.req, qs, cl.q.search)
	return qs, err
}
