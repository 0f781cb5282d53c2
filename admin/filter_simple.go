package admin

import (
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// Spec implements ListFilter: the filter takes the last value of its
// parameter.
func (f *SimpleListFilter) Spec(r *http.Request, params url.Values, m *orm.Model, ma Admin) (FilterSpec, error) {
	s := &simpleSpec{f: f, lookups: f.Lookups(r, ma)}
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
}

func (s *simpleSpec) Title() string                { return s.f.Title }
func (s *simpleSpec) HasOutput() bool              { return len(s.lookups) > 0 }
func (s *simpleSpec) ExpectedParameters() []string { return []string{s.f.ParameterName} }

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
	for _, l := range s.lookups {
		out = append(out, FilterChoice{Display: l[1], Selected: s.set && s.value == l[0],
			QueryString: link(url.Values{s.f.ParameterName: {l[0]}}, []string{s.f.ParameterName})})
	}
	return out
}
