package admin

import (
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// newChoicesSpec is Django's ChoicesFieldListFilter: one link per choice
// (groups flattened), <path>__exact=<value>. The None choice — on a
// nullable field, the choice whose value is "" (a nullable field stores
// NULL for it) — comes last as <path>__isnull=True; on a field that is
// not nullable an empty-string choice is ?<path>__exact=.
func newChoicesSpec(s fieldSpec, params url.Values) *fieldSpec {
	exact, isnull := s.path+"__exact", s.path+"__isnull"
	s.consume(params, exact, isnull)
	_, exactSet := s.used[exact]
	_, nullSet := s.used[isnull]
	s.add("All", nil, []string{exact, isnull}, !exactSet && !nullSet, nil)
	noneTitle := ""
	for _, c := range s.field.Choices {
		if c.Value == "" && s.field.Null {
			noneTitle = c.Label
			continue
		}
		s.add(c.Label, one(exact, c.Value), []string{isnull}, s.has(exact, c.Value), orm.Q{exact: c.Value})
	}
	if noneTitle != "" {
		s.add(noneTitle, one(isnull, "True"), []string{exact}, nullSet, orm.Q{isnull: true})
	}
	return &s
}
