package orm

import (
	"context"
	"fmt"
	"reflect"
)

// GenericRelation is the reverse of a generic foreign key, Django's
// contenttypes GenericRelation: the objects of the model T whose content
// type field names this object's model and whose object id field holds
// this object's primary key. It has no column. The two fields of T are
// named by content_type_field (default "content_type", a foreign key to
// the content type model) and object_id_field (default "object_id", of
// the same kind as this model's primary key: an integer, a string or a
// UUID):
//
//	Notes orm.GenericRelation[Note] `orm:"content_type_field=content_type,object_id_field=object_id"`
//
// It gives queries a path across it, restricted to this model's content
// type (Q{"notes__text__icontains": "late"}), and with related_query_name
// a path back from T (related_query_name=member: Q{"member__name": "Ana"}
// on Note); DB.LoadGenericRelation and
// DB.RelatedObjects load the objects; deleting an object deletes them
// with it, as Django's deletion collector does.
type GenericRelation[T any] struct {
	objs []*T
}

// Objects returns the related objects when DB.LoadGenericRelation loaded
// them, in T's order, and whether it did.
func (g GenericRelation[T]) Objects() ([]*T, bool) { return g.objs, g.objs != nil }

func (*GenericRelation[T]) genericRelatedType() reflect.Type { return reflect.TypeFor[T]() }
func (g *GenericRelation[T]) setGenericObjects(objs []any)   { g.objs = objectsOf[T](objs) }

// genericRelPointer is implemented by *GenericRelation.
type genericRelPointer interface {
	genericRelatedType() reflect.Type
	setGenericObjects([]any)
}

var genericRelPtrType = reflect.TypeFor[genericRelPointer]()

// setGenericRelationKind makes f a generic relation; as Django's, it is
// never edited in forms and may be blank.
func (f *Field) setGenericRelationKind(typ reflect.Type, explicit string) error {
	if f.ptr || explicit != "" {
		return fmt.Errorf("a generic relation is a plain orm.GenericRelation[T] without a type option")
	}
	f.relatedType = reflect.New(typ).Interface().(genericRelPointer).genericRelatedType()
	f.Kind, f.Editable, f.Blank = KindGenericRelation, false, true
	return nil
}

// resolveGenericRelation finds the related model of the generic relation f
// of m and the two fields of it that point back.
func (r *Registry) resolveGenericRelation(m *Model, f *Field) error {
	target := r.byType[f.relatedType]
	if target == nil {
		return fmt.Errorf("related model %s is not registered", f.relatedType)
	}
	f.Related = target
	if f.ctName == "" {
		f.ctName = "content_type"
	}
	if f.idName == "" {
		f.idName = "object_id"
	}
	ct := target.byName[f.ctName]
	if ct == nil || !ct.IsForeignKey() {
		return fmt.Errorf("content_type_field=%s: want a foreign key of %s to the content type model", f.ctName, target.Name)
	}
	ctModel := r.byType[ct.relatedType]
	if ctModel == nil || !isStringField(ctModel.Field("app_label")) || !isStringField(ctModel.Field("model")) {
		return fmt.Errorf("content_type_field=%s: %s is not a content type model (registered, with app_label and model fields)", f.ctName, ct.relatedType)
	}
	id := target.byName[f.idName]
	pk := m.PK
	if id == nil || !id.Concrete() || id.IsForeignKey() || !sameKeyKind(id, pk) {
		return fmt.Errorf("object_id_field=%s: want a field of %s holding %s's primary key (a %s)", f.idName, target.Name, m.Name, pk.Kind)
	}
	owner := m.contentTypeModel()
	if !plainName(owner.App.Label) || !plainName(owner.ModelName) {
		return fmt.Errorf("the content type %s.%s must be ASCII letters, digits and underscores to be joined", owner.App.Label, owner.ModelName)
	}
	f.GenericContentType, f.GenericObjectID = ct, id
	if f.RelatedQueryName != "" {
		// Django's related_query_name: the related model's objects reach
		// this one by that name in queries.
		f.RelatedAccessor = f.RelatedQueryName
		target.Related = append(target.Related, f)
	}
	return nil
}

// sameKeyKind reports whether id can hold the values of the key pk and be
// compared with its column: both integers, both strings, or both UUIDs.
func sameKeyKind(id, pk *Field) bool {
	switch {
	case pk.Kind.IsInteger():
		return id.Kind.IsInteger()
	case pk.Kind.IsString():
		return id.Kind.IsString()
	}
	return id.Kind == pk.Kind
}

// plainName reports whether s holds only ASCII letters, digits and
// underscores, so it can be written in SQL as a literal.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return s != ""
}

// contentTypeModel is the model whose content type the generic keys of
// m's objects hold: Django's for_concrete_model default.
func (m *Model) contentTypeModel() *Model { return m.ConcreteModel() }

// genericJoin joins the related table of the generic relation f from the
// table aliased from: the rows whose object id is the object's key and
// whose content type is the row of f's model. The content type is found by
// a subquery on its app label and model name, which come from the model's
// metadata and are checked to be plain names when the registry is ready,
// so the join binds no argument and its place in the statement does not
// matter.
func (c *compiler) genericJoin(from, alias string, f *Field) string {
	q := c.d.Quote
	ct, id := f.GenericContentType, f.GenericObjectID
	ctm, owner := ct.Related, f.Model.contentTypeModel()
	sub := c.newAlias()
	return fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s AND %s = (SELECT %s FROM %s %s WHERE %s = '%s' AND %s = '%s')",
		q(f.Related.Table), q(alias), c.col(alias, id.Column), c.col(from, f.Model.PK.Column),
		c.col(alias, ct.Column), c.col(sub, ctm.PK.Column), q(ctm.Table), q(sub),
		c.col(sub, ctm.Field("app_label").Column), owner.App.Label, c.col(sub, ctm.Field("model").Column), owner.ModelName)
}

// genericReverseJoin joins, from the table of f's related model aliased
// from, the table of f's model: the row whose key the object id holds,
// when the content type is that model's. As genericJoin, it binds no
// argument.
func (c *compiler) genericReverseJoin(from, alias string, f *Field) string {
	q := c.d.Quote
	ct, id := f.GenericContentType, f.GenericObjectID
	ctm, owner := ct.Related, f.Model.contentTypeModel()
	sub := c.newAlias()
	return fmt.Sprintf(" LEFT OUTER JOIN %s %s ON %s = %s AND %s = (SELECT %s FROM %s %s WHERE %s = '%s' AND %s = '%s')",
		q(f.Model.Table), q(alias), c.col(alias, f.Model.PK.Column), c.col(from, id.Column),
		c.col(from, ct.Column), c.col(sub, ctm.PK.Column), q(ctm.Table), q(sub),
		c.col(sub, ctm.Field("app_label").Column), owner.App.Label, c.col(sub, ctm.Field("model").Column), owner.ModelName)
}

// genericFilter selects the related objects of the generic relation f that
// point at the objects of f's model with the given keys.
func (f *Field) genericFilter(keys []any) Q {
	owner := f.Model.contentTypeModel()
	ct, id := f.GenericContentType.Name, f.GenericObjectID.Name
	return Q{ct + "__app_label": owner.App.Label, ct + "__model": owner.ModelName, id + "__in": keys}
}

// LoadGenericRelation loads the objects of the generic relation name of
// obj, in the related model's order, keeps them in the field
// (GenericRelation.Objects) and returns them.
func (db *DB) LoadGenericRelation(ctx context.Context, obj any, name string) ([]any, error) {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return nil, err
	}
	f := m.Field(name)
	if f == nil || f.Kind != KindGenericRelation {
		return nil, &FieldError{Model: m.Name, Path: name, Msg: "not a generic relation"}
	}
	objs, err := db.Query(f.Related).Filter(f.genericFilter([]any{m.PKValue(obj)})).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("orm: load %s.%s: %w", m.Label(), name, err)
	}
	if objs == nil {
		objs = []any{}
	}
	v, err := m.structValue(obj)
	if err != nil {
		return nil, err
	}
	v.FieldByIndex(f.index).Addr().Interface().(genericRelPointer).setGenericObjects(objs)
	return objs, nil
}

// genericRelatedObjects is RelatedObjects across the generic relation f:
// the related objects of each of objs, by the object's primary key.
func (db *DB) genericRelatedObjects(ctx context.Context, m *Model, objs []any, f *Field) (map[any][]any, error) {
	out := map[any][]any{}
	owners := map[string]any{}
	keys := make([]any, 0, len(objs))
	for _, o := range objs {
		k := m.PKValue(o)
		owners[m.PK.Format(k)] = k
		keys = append(keys, k)
	}
	for _, batch := range batches(keys) {
		if len(batch) == 0 {
			break
		}
		err := db.Query(f.Related).Filter(f.genericFilter(batch)).Each(ctx, func(obj any) error {
			if k, ok := owners[f.GenericObjectID.Format(f.GenericObjectID.Get(obj))]; ok {
				out[k] = append(out[k], obj)
			}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("orm: related %s.%s: %w", m.Label(), f.Name, err)
		}
	}
	return out, nil
}

// collectGeneric adds to a deletion the objects of the generic relation f
// that point at the group's objects, with what cascades from them, as
// Django's collector does for a GenericRelation.
func (c *collector) collectGeneric(ctx context.Context, f *Field, group []*DeleteNode, next []*DeleteNode) ([]*DeleteNode, error) {
	parents := map[string]*DeleteNode{}
	keys := make([]any, 0, len(group))
	for _, n := range group {
		k := n.Model.PKValue(n.Object)
		parents[n.Model.PK.Format(k)] = n
		keys = append(keys, k)
	}
	for _, batch := range batches(keys) {
		deps, err := c.db.Query(f.Related).Filter(f.genericFilter(batch)).OrderBy("pk").All(ctx)
		if err != nil {
			return nil, err
		}
		for _, dep := range deps {
			parent := parents[f.GenericObjectID.Format(f.GenericObjectID.Get(dep))]
			if parent == nil {
				continue
			}
			if node := c.add(f.Related, dep, parent, parent.depth+1); node != nil {
				next = append(next, node)
			}
		}
	}
	return next, nil
}
