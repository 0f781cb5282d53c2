package admin

import (
	"net/url"

	"github.com/staffroom/staffroom/orm"
)

// relatedSpec is Django's RelatedFieldListFilter (and, with only set,
// RelatedOnlyFieldListFilter): one link per related object,
// <path>__<target>__exact=<key>, and an empty choice <path>__isnull=True
// for a nullable foreign key, a many-to-many or a reverse relation. It is
// shown when it has more than one choice.
type relatedSpec struct {
	fieldSpec
	n int // the number of choices but "All"
}

func (s *relatedSpec) HasOutput() bool { return s.n > 1 }

// relatedTarget returns the model a relation filter lists and the field
// whose value the filter compares: a foreign key's to_field (else the
// primary key), the primary key of a many-to-many's or a reverse
// relation's model.
func relatedTarget(f *orm.Field, reverse bool) (*orm.Model, *orm.Field) {
	switch {
	case reverse:
		return f.Model, f.Model.PK
	case f.IsForeignKey() && f.Target() != nil:
		return f.Related, f.Target()
	}
	return f.Related, f.Related.PK
}

// newRelatedSpec lists the related objects in the related admin's
// ordering (GetOrdering), else the model's; only those the field's
// LimitChoicesTo allows, and with only set those the admin's rows refer
// to. At most ListFilterMaxChoices are listed; past that the filter
// offers a link to the related change list instead of the rest.
func newRelatedSpec(base fieldSpec, params url.Values, only bool) (*relatedSpec, error) {
	s := &relatedSpec{fieldSpec: base}
	target, key := relatedTarget(s.field, s.reverse)
	exact, isnull := s.path+"__"+key.Name+"__exact", s.path+"__isnull"
	s.consume(params, exact, isnull)
	_, exactSet := s.used[exact]
	null, nullSet := s.last(isnull)

	site := s.a.site
	qs := site.db.Query(target)
	if !s.reverse && len(s.field.LimitChoicesTo) > 0 {
		qs = qs.Filter(s.field.LimitChoicesTo)
	}
	related := site.registered(target)
	if related != nil {
		if ordering := related.GetOrdering(s.r); len(ordering) > 0 {
			qs = qs.OrderBy(ordering...)
		}
	}
	if only {
		qs = qs.Filter(orm.Q{"pk__in": s.ma.GetQueryset(s.r).OrderBy().Values(s.path + "__pk")})
	}
	limit := s.maxChoices()
	objs, err := qs.Limit(limit + 1).All(s.r.Context())
	if err != nil {
		return nil, err
	}
	if len(objs) > limit {
		objs = objs[:limit]
		s.more = &filterMore{Limit: limit, Param: exact}
		if related != nil && hasViewOrChange(related, s.r, nil) {
			s.more.URL = site.modelURL(target, "")
		}
	}
	s.add("All", nil, []string{exact, isnull}, !exactSet && !nullSet, nil)
	removeNull := []string{isnull} // every choice's, read only
	for _, obj := range objs {
		v, ok := plainKey(key, obj)
		if !ok {
			v = key.Format(key.Get(obj))
		}
		s.add(target.String(obj), one(exact, v), removeNull, s.has(exact, v), orm.Q{exact: v})
	}
	s.n = len(objs)
	if s.reverse || s.field.Kind == orm.KindManyToMany || s.field.Null {
		s.add(s.emptyValue(), one(isnull, "True"), []string{exact}, nullSet && null != "", orm.Q{isnull: true})
		s.n++
	}
	return s, nil
}
