package admin

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// DefaultListFilterMaxChoices is how many choices a filter over a
// relation or over a field's distinct values lists at most when
// ModelAdmin.ListFilterMaxChoices is not set.
const DefaultListFilterMaxChoices = 100

// Spec implements ListFilter: the filter of kind ff.Kind over ff.Path,
// the kind chosen by the field when it is FilterAuto, as Django chooses a
// FieldListFilter for a list_filter entry.
func (ff FieldFilter) Spec(r *http.Request, params url.Values, m *orm.Model, ma Admin) (FilterSpec, error) {
	f, reverse := fieldPath(m, ff.Path)
	if f == nil {
		return nil, fmt.Errorf("admin: %s: list filter %q: no such field path", m.Label(), ff.Path)
	}
	base := fieldSpec{r: r, ma: ma, a: ma.base(), model: m, path: ff.Path, field: f, reverse: reverse,
		template: ff.Template, title: f.VerboseName}
	if reverse {
		base.title = ff.Path // a reverse relation has no verbose name; Django shows the path
	}
	kind := ff.Kind
	if kind == FilterAuto {
		kind = autoFilterKind(f, reverse)
	}
	switch kind {
	case FilterBoolean:
		return newBooleanSpec(base, params), nil
	case FilterChoices:
		return newChoicesSpec(base, params), nil
	case FilterDate:
		return newDateSpec(base, params), nil
	case FilterRelated, FilterRelatedOnly:
		return newRelatedSpec(base, params, kind == FilterRelatedOnly)
	case FilterEmpty:
		return newEmptySpec(base, params)
	case FilterAllValues:
		return newAllValuesSpec(base, params)
	}
	return nil, fmt.Errorf("admin: %s: list filter %q: unknown kind %d", m.Label(), ff.Path, int(kind))
}

// autoFilterKind chooses the filter of a field as Django's registry of
// FieldListFilters does, first match first: a relation (forward or
// reverse), a boolean, a field with choices, a date or date-time, and
// the distinct values of anything else.
func autoFilterKind(f *orm.Field, reverse bool) FieldFilterKind {
	switch {
	case reverse || f.IsRelation():
		return FilterRelated
	case f.Kind == orm.KindBoolean:
		return FilterBoolean
	case len(f.Choices) > 0:
		return FilterChoices
	case f.Kind == orm.KindDate || f.Kind == orm.KindDateTime:
		return FilterDate
	}
	return FilterAllValues
}

// listFilterOf turns a ListFilter entry into a ListFilter: a field path
// is a FieldFilter of the automatic kind.
func listFilterOf(entry any) (ListFilter, bool) {
	if path, ok := entry.(string); ok {
		return FieldFilter{Path: path}, true
	}
	lf, ok := entry.(ListFilter)
	return lf, ok
}

// fieldSpec is what every field filter holds, Django's FieldListFilter:
// the field the path reaches, the parameters it consumed, and the
// choices it offers, each with the condition it stands for (for facet
// counts).
type fieldSpec struct {
	r        *http.Request
	ma       Admin
	a        *ModelAdmin
	model    *orm.Model
	path     string
	field    *orm.Field // the path's last field; for a reverse relation, the foreign key pointing back
	reverse  bool
	title    string
	template string

	expected []string
	used     url.Values // the consumed parameters, applied as lookups
	choices  []fieldChoice
	counts   []int64 // facet counts, one per choice but "All"; nil when not shown
	more     *filterMore
}

// fieldChoice is one link of a field filter: the parameters it sets and
// removes, whether it is selected, and the rows it stands for (nil for
// "All").
type fieldChoice struct {
	display  string
	set      url.Values
	remove   []string
	selected bool
	cond     orm.Expr
}

func (s *fieldSpec) Title() string                { return s.title }
func (s *fieldSpec) HasOutput() bool              { return true }
func (s *fieldSpec) ExpectedParameters() []string { return s.expected }
func (s *fieldSpec) filterTemplate() string       { return s.template }

// consume takes the filter's parameters out of params.
func (s *fieldSpec) consume(params url.Values, expected ...string) {
	s.expected, s.used = expected, url.Values{}
	for _, p := range expected {
		if vs, ok := params[p]; ok {
			s.used[p] = vs
			delete(params, p)
		}
	}
}

// last returns the last value of a consumed parameter, and whether it was
// given (Django's get_last_value_from_parameters).
func (s *fieldSpec) last(p string) (string, bool) {
	vs := s.used[p]
	if len(vs) == 0 {
		return "", false
	}
	return vs[len(vs)-1], true
}

// has reports whether the consumed parameter p holds v among its values:
// several values of one parameter OR together, and each is selected.
func (s *fieldSpec) has(p, v string) bool {
	for _, x := range s.used[p] {
		if x == v {
			return true
		}
	}
	return false
}

// Queryset narrows qs by the consumed parameters as lookups: a repeated
// parameter ORs its values, different ones AND together. The values are
// bound parameters; one the field cannot take fails when the query is
// built, and the change list answers ?e=1.
func (s *fieldSpec) Queryset(r *http.Request, qs orm.QuerySet) (orm.QuerySet, error) {
	if len(s.used) == 0 {
		return qs, nil
	}
	return qs.Filter(filterExprs(s.used)...), nil
}

// Choices lays the choices out as links, with their facet counts when
// the change list shows them ("Label (N)").
func (s *fieldSpec) Choices(link func(set url.Values, remove []string) string) []FilterChoice {
	out := make([]FilterChoice, 0, len(s.choices))
	n := 0
	for _, c := range s.choices {
		display := c.display
		if c.cond != nil {
			if n < len(s.counts) {
				display = fmt.Sprintf("%s (%d)", display, s.counts[n])
			}
			n++
		}
		out = append(out, FilterChoice{Display: display, Selected: c.selected, QueryString: link(c.set, c.remove)})
	}
	return out
}

// add appends a choice.
func (s *fieldSpec) add(display string, set url.Values, remove []string, selected bool, cond orm.Expr) {
	s.choices = append(s.choices, fieldChoice{display: display, set: set, remove: remove, selected: selected, cond: cond})
}

// facetConds implements facetSpec: the condition of every choice but
// "All", in order.
func (s *fieldSpec) facetConds() ([]orm.Expr, error) {
	var out []orm.Expr
	for _, c := range s.choices {
		if c.cond != nil {
			out = append(out, c.cond)
		}
	}
	return out, nil
}

func (s *fieldSpec) setFacetCounts(counts []int64) { s.counts = counts }

// moreChoices implements truncatedSpec.
func (s *fieldSpec) moreChoices() *filterMore { return s.more }

// maxChoices is how many choices a filter over many values lists.
func (s *fieldSpec) maxChoices() int {
	if s.a.ListFilterMaxChoices > 0 {
		return s.a.ListFilterMaxChoices
	}
	return DefaultListFilterMaxChoices
}

// emptyValue is the label of the empty choice, the admin's
// empty_value_display.
func (s *fieldSpec) emptyValue() string { return s.a.emptyValue() }

// one makes a one-parameter set.
func one(key, value string) url.Values { return url.Values{key: {value}} }

// filterMore is set on a filter that lists only the first of its
// choices: where to see them all (the related model's change list), and
// the parameter a search box would set once the autocomplete script
// serves it.
type filterMore struct {
	Limit int
	URL   string
	Param string
}

// facetSpec is a filter that can count the rows of each choice.
type facetSpec interface {
	facetConds() ([]orm.Expr, error)
	setFacetCounts([]int64)
}

// truncatedSpec is a filter that may list only some of its choices.
type truncatedSpec interface {
	moreChoices() *filterMore
}

// templatedSpec is a filter rendered by a template of its own.
type templatedSpec interface {
	filterTemplate() string
}

// stringsAllowed reports whether the field stores text, where "" is a
// value of its own (Django's empty_strings_allowed).
func stringsAllowed(f *orm.Field) bool { return f.Kind.IsString() }

// entryTemplate returns the template a ListFilter entry names for its
// box, "" for the default.
func entryTemplate(entry any) string {
	switch x := entry.(type) {
	case FieldFilter:
		return x.Template
	case *SimpleListFilter:
		if x != nil {
			return x.Template
		}
	}
	return ""
}
