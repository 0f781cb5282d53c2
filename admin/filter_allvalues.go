package admin

import (
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// newAllValuesSpec is Django's AllValuesFieldListFilter, the last
// resort: one link per distinct value of the field, ordered by it, as
// <path>=<value> (no lookup suffix); NULL becomes the empty choice,
// <path>__isnull=True, last. The values come from the admin's GetQueryset
// when the field is the model's own, else from the whole table of the
// field's model. At most ListFilterMaxChoices are listed.
func newAllValuesSpec(base fieldSpec, params url.Values) (*fieldSpec, error) {
	s := &base
	exact, isnull := s.path, s.path+"__isnull"
	s.consume(params, exact, isnull)
	_, exactSet := s.used[exact]
	null, nullSet := s.last(isnull)

	f := s.field
	qs := s.a.site.db.Query(f.Model)
	if f.Model == s.model.ConcreteModel() { // a proxy's fields are its concrete model's
		qs = s.ma.GetQueryset(s.r)
	}
	limit := s.maxChoices()
	rows, err := qs.Values(f.Name).Distinct().OrderBy(f.Name).Limit(limit + 1).Tuples(s.r.Context())
	if err != nil {
		return nil, err
	}
	if len(rows) > limit {
		rows = rows[:limit]
		s.more = &filterMore{Limit: limit, Param: exact}
	}
	s.add("All", nil, []string{exact, isnull}, !exactSet && !nullSet, nil)
	withNull := false
	for _, row := range rows {
		if row[0] == nil {
			withNull = true
			continue
		}
		v := f.Format(row[0])
		s.add(v, one(exact, v), []string{isnull}, s.has(exact, v), orm.Q{exact: v})
	}
	if withNull {
		s.add(s.emptyValue(), one(isnull, "True"), []string{exact}, nullSet && null != "", orm.Q{isnull: true})
	}
	return s, nil
}
