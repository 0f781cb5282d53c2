package admin

import (
	"strings"
	"testing"
)

// DISTINCT only when a filter's parameters cross a multi-valued
// relation: a many-to-many filter without parameters joins nothing
// (contract item 24, test_no_distinct_for_m2m_in_list_filter_without_params).
func TestFilterDistinct(t *testing.T) {
	for _, c := range []struct {
		filter, query string
		distinct      bool
	}{
		{"tags", "", false},
		{"tags", "tags__id__exact=1", true},
		{"tags", "tags__isnull=True", true},
		{"parent", "parent__id__exact=1", false},
		{"rank", "rank=3&rank=4", false},
	} {
		a := phaseAdmin(t, &ModelAdmin{ListFilter: []any{c.filter}})
		cl := changeList(t, a, c.query)
		qs, err := cl.applyFilters(cl.RootQueryset)
		if err == nil {
			qs, err = cl.applySearch(qs)
		}
		if err != nil {
			t.Fatalf("%s ?%s: %v", c.filter, c.query, err)
		}
		if s, _ := sqlOf(t, qs); strings.Contains(s, "DISTINCT") != c.distinct {
			t.Errorf("%s ?%s: %s", c.filter, c.query, s)
		}
		if !cl.HasActiveFilters == (c.query != "") {
			t.Errorf("%s ?%s: HasActiveFilters %v", c.filter, c.query, cl.HasActiveFilters)
		}
	}
}
