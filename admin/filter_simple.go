package admin

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// Spec implements ListFilter: the filter takes the last value of its
// parameter.
func (f *SimpleListFilter) Spec(r *http.Request, params url.Values, m *orm.Model, ma Admin) (FilterSpec, error) {
	s := &simpleSpec{f: f, lookups: f.Lookups(r, ma), r: r, m: m, ma: ma}
	if vs, ok := params[f.ParameterName]; ok {
		s.value, s.set = vs[len(vs)-1], true
		delete(params, f.ParameterName)
	}
	return s, nil
}

// simpleSpec is a SimpleListFilter made for one request.
type simpleSpec struct {
	f       *SimpleListFilter
	lookups [][2]string
	value   string
	set     bool
	r       *http.Request
	m       *orm.Model
	ma      Admin
	counts  []int64 // facet counts, one per lookup; nil when not shown
}

func (s *simpleSpec) Title() string                { return s.f.Title }
func (s *simpleSpec) HasOutput() bool              { return len(s.lookups) > 0 }
func (s *simpleSpec) ExpectedParameters() []string { return []string{s.f.ParameterName} }
func (s *simpleSpec) filterTemplate() string       { return s.f.Template }

// Queryset narrows qs by the chosen value; with none, qs is left alone.
func (s *simpleSpec) Queryset(r *http.Request, qs orm.QuerySet) (orm.QuerySet, error) {
	if !s.set || s.f.Queryset == nil {
		return qs, nil
	}
	return s.f.Queryset(r, qs, s.value)
}

// Choices are "All" (the parameter removed) and one per lookup, selected
// when it is the parameter's value.
func (s *simpleSpec) Choices(link func(set url.Values, remove []string) string) []FilterChoice {
	out := []FilterChoice{{Display: "All", Selected: !s.set, QueryString: link(nil, []string{s.f.ParameterName})}}
	for i, l := range s.lookups {
		display := l[1]
		if i < len(s.counts) {
			display = fmt.Sprintf("%s (%d)", display, s.counts[i])
		}
		out = append(out, FilterChoice{Display: display, Selected: s.set && s.value == l[0],
			QueryString: link(url.Values{s.f.ParameterName: {l[0]}}, []string{s.f.ParameterName})})
	}
	return out
}

// facetConds implements facetSpec: a lookup's rows are those its
// Queryset keeps of the model's, as Django counts
// Q(pk__in=queryset(...)).
func (s *simpleSpec) facetConds() ([]orm.Expr, error) {
	base := s.ma.base().site.db.Query(s.m)
	out := make([]orm.Expr, len(s.lookups))
	for i, l := range s.lookups {
		qs, err := s.f.Queryset(s.r, base, l[0])
		if err != nil {
			return nil, err
		}
		out[i] = orm.Q{"pk__in": qs.OrderBy()}
	}
	return out, nil
}

func (s *simpleSpec) setFacetCounts(counts []int64) { s.counts = counts }
