package admin

import (
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// newBooleanSpec is Django's BooleanFieldListFilter: <path>__exact=1 or 0,
// and <path>__isnull=True for a nullable field ("Unknown"); the labels
// come from the field's choices when it has them.
func newBooleanSpec(s fieldSpec, params url.Values) *fieldSpec {
	exact, isnull := s.path+"__exact", s.path+"__isnull"
	s.consume(params, exact, isnull)
	val, _ := s.last(exact)
	null, nullSet := s.last(isnull)
	labels := map[string]string{"1": "Yes", "0": "No", "": "Unknown"}
	for _, c := range s.field.Choices {
		switch v, err := s.field.Parse(c.Value); {
		case c.Value == "":
			labels[""] = c.Label
		case err == nil && v == true:
			labels["1"] = c.Label
		case err == nil && v == false:
			labels["0"] = c.Label
		}
	}
	s.add("All", nil, []string{exact, isnull}, val == "" && !nullSet, nil)
	s.add(labels["1"], one(exact, "1"), []string{isnull}, val == "1" && !nullSet, orm.Q{exact: true})
	s.add(labels["0"], one(exact, "0"), []string{isnull}, val == "0" && !nullSet, orm.Q{exact: false})
	if s.field.Null {
		s.add(labels[""], one(isnull, "True"), []string{exact}, null == "True", orm.Q{isnull: true})
	}
	return &s
}
