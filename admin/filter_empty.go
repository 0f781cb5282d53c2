package admin

import (
	"fmt"
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// emptySpec is Django's EmptyFieldListFilter: <path>__isempty=1 keeps the
// rows whose value is empty — "" for a text field, NULL for a nullable
// one, no related row for a many-to-many or reverse relation — and 0 the
// others. Any other value is errLookup.
type emptySpec struct {
	fieldSpec
	value string
	set   bool
}

// emptyAllowed reports whether a field can be empty at all: a text
// field, a nullable field, a many-to-many or reverse relation.
func emptyAllowed(f *orm.Field, reverse bool) bool {
	return reverse || f.Kind == orm.KindManyToMany || f.Null || stringsAllowed(f)
}

func newEmptySpec(base fieldSpec, params url.Values) (*emptySpec, error) {
	s := &emptySpec{fieldSpec: base}
	if !emptyAllowed(s.field, s.reverse) {
		return nil, fmt.Errorf("admin: %s: list filter %q: the field can be neither empty nor NULL", s.model.Label(), s.path)
	}
	kwarg := s.path + "__isempty"
	s.expected = []string{kwarg}
	if vs, ok := params[kwarg]; ok {
		s.value, s.set = vs[len(vs)-1], true
		delete(params, kwarg)
	}
	empty := s.condition()
	s.add("All", nil, []string{kwarg}, !s.set, nil)
	s.add("Empty", one(kwarg, "1"), nil, s.set && s.value == "1", empty)
	s.add("Not empty", one(kwarg, "0"), nil, s.set && s.value == "0", orm.Not(empty))
	return s, nil
}

// condition is what "empty" means for the field.
func (s *emptySpec) condition() orm.Expr {
	var alts []orm.Expr
	if !s.reverse && stringsAllowed(s.field) {
		alts = append(alts, orm.Q{s.path: ""})
	}
	if s.reverse || s.field.Null || s.field.Kind == orm.KindManyToMany {
		alts = append(alts, orm.Q{s.path + "__isnull": true})
	}
	return orm.Or(alts...)
}

// Queryset keeps the empty rows for 1, the others for 0.
func (s *emptySpec) Queryset(r *http.Request, qs orm.QuerySet) (orm.QuerySet, error) {
	switch {
	case !s.set:
		return qs, nil
	case s.value == "1":
		return qs.Filter(s.condition()), nil
	case s.value == "0":
		return qs.Exclude(s.condition()), nil
	}
	return qs, fmt.Errorf("%w: %s=%q", errLookup, s.path+"__isempty", s.value)
}
