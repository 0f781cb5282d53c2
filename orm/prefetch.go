package orm

import (
	"context"
	"fmt"
	"reflect"
	"strings"
)

// prefetch loads the named many-to-many fields of objs with one query per
// field: the related objects, in the related model's order, joined with
// the join table's owner column; and the named generic foreign keys with
// one query per content type among them.
func (db *DB) prefetch(ctx context.Context, m *Model, objs []any, fields []string) error {
	if len(objs) == 0 {
		return nil
	}
	for _, name := range fields {
		f := m.Field(name)
		if f != nil && f.Kind == KindGenericForeignKey {
			if err := db.prefetchGeneric(ctx, f, objs); err != nil {
				return err
			}
			continue
		}
		if f == nil || f.Kind != KindManyToMany {
			return &FieldError{Model: m.Name, Path: name, Msg: "PrefetchRelated takes many-to-many fields and generic foreign keys"}
		}
		if err := db.prefetchField(ctx, m, f, objs); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) prefetchField(ctx context.Context, m *Model, f *Field, objs []any) error {
	keys := make([]any, len(objs))
	byKey := map[string][]any{} // by the owner's formatted key
	for i, o := range objs {
		keys[i] = m.PKValue(o)
	}
	target := db.Query(f.Related)
	c := newCompiler(db, f.Related)
	through := c.newAlias()
	q := db.dialect.Quote
	owner := c.col(through, f.ThroughFrom)
	c.joinSQL = append(c.joinSQL, fmt.Sprintf(" INNER JOIN %s %s ON %s = %s",
		q(f.Through), q(through), c.col(through, f.ThroughTo), c.col(c.rootAlias, f.Related.PK.Column)))
	marks, err := c.in(owner, m.PK, keys)
	if err != nil {
		return err
	}
	target = target.clone()
	cols := []string{owner}
	for _, rf := range f.Related.columns {
		cols = append(cols, c.col(c.rootAlias, rf.Column))
	}
	order, err := target.compileOrder(c, nil)
	if err != nil {
		return err
	}
	query := "SELECT " + strings.Join(cols, ", ") + c.from() + " WHERE " + marks
	if order != "" {
		query += " ORDER BY " + order
	}
	scols := make([]selectCol, len(f.Related.columns))
	for i, rf := range f.Related.columns {
		scols[i] = selectCol{field: rf}
	}
	rb := target.newRowBuilder(scols)
	err = target.scan(ctx, query, c.args, len(cols), func(raw []any) error {
		k, err := db.dialect.FromDB(m.PK, raw[0])
		if err != nil {
			return err
		}
		obj, err := rb.build(raw[1:])
		if err != nil {
			return err
		}
		pk := m.PK.Format(k)
		byKey[pk] = append(byKey[pk], obj)
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range objs {
		related := byKey[m.PK.Format(m.PKValue(o))]
		ids := make([]any, len(related))
		for i, r := range related {
			if ids[i], err = f.Related.PK.normalize(f.Related.PKValue(r)); err != nil {
				return err
			}
		}
		rv := reflect.ValueOf(o).Elem().FieldByIndex(f.index).Addr().Interface().(m2mPointer)
		if err := rv.setKeys(ids); err != nil {
			return &ValueError{Field: f.Name, Value: ids, Err: err}
		}
		rv.setObjects(append([]any{}, related...))
	}
	return nil
}

// RelatedObjects loads, with one query, the objects that point at objs
// (pointers of model m) through the reverse relation name: the
// lower-cased name of a model with a foreign key or many-to-many field to
// m ("book" from a publisher or an author). The result maps each object's
// primary key to its related objects, in the related model's order;
// Django's prefetch_related for reverse relations.
func (db *DB) RelatedObjects(ctx context.Context, m *Model, objs []any, name string) (map[any][]any, error) {
	h, ok := relationNamed(m, name)
	if ok && h.kind == hopGeneric {
		return db.genericRelatedObjects(ctx, m, objs, h.field)
	}
	if !ok || h.kind == hopForeignKey || h.kind == hopManyToMany || h.kind == hopGenericRev {
		return nil, &FieldError{Model: m.Name, Path: name, Msg: "not a reverse relation (a forward many-to-many field is loaded by PrefetchRelated)"}
	}
	out := map[any][]any{}
	if len(objs) == 0 {
		return out, nil
	}
	keys := make([]any, len(objs))
	for i, o := range objs {
		keys[i] = m.PKValue(o)
	}
	related := db.Query(h.target)
	if h.kind == hopReverseFK || h.kind == hopReverseOne {
		err := related.Filter(Q{h.field.Name + "__in": keys}).Each(ctx, func(obj any) error {
			k := h.field.Get(obj)
			out[k] = append(out[k], obj)
			return nil
		})
		return out, err
	}
	// A reverse many-to-many: read the join rows, then the objects.
	f := h.field
	c := newCompiler(db, h.target)
	cond, err := c.in(db.dialect.Quote(f.ThroughTo), m.PK, keys)
	if err != nil {
		return nil, err
	}
	q := db.dialect.Quote
	rows, err := db.QueryRaw(ctx, "SELECT "+q(f.ThroughTo)+", "+q(f.ThroughFrom)+" FROM "+q(f.Through)+" WHERE "+cond, c.args...)
	if err != nil {
		return nil, fmt.Errorf("orm: related %s.%s: %w", m.Label(), name, err)
	}
	owners := map[string][]any{} // the owners' keys by the formatted key of the join row's other end
	var ids []any
	for rows.Next() {
		var rawOwner, rawID any
		if err := rows.Scan(&rawOwner, &rawID); err != nil {
			rows.Close()
			return nil, err
		}
		owner, err := db.dialect.FromDB(m.PK, rawOwner)
		if err != nil {
			rows.Close()
			return nil, err
		}
		id, err := db.dialect.FromDB(h.target.PK, rawID)
		if err != nil {
			rows.Close()
			return nil, err
		}
		k := h.target.PK.Format(id)
		owners[k] = append(owners[k], owner)
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(ids) == 0 {
		return out, nil
	}
	err = related.Filter(Q{"pk__in": ids}).Each(ctx, func(obj any) error {
		for _, owner := range owners[h.target.PK.Format(h.target.PKValue(obj))] {
			out[owner] = append(out[owner], obj)
		}
		return nil
	})
	return out, err
}
