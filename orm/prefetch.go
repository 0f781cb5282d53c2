package orm

import (
	"context"
	"fmt"
	"reflect"
)

// prefetch loads the named many-to-many fields of objs with one query per
// field: the related objects, in the related model's order, joined with
// the join table's owner column.
func (db *DB) prefetch(ctx context.Context, m *Model, objs []any, fields []string) error {
	if len(objs) == 0 {
		return nil
	}
	for _, name := range fields {
		f := m.Field(name)
		if f == nil || f.Kind != KindManyToMany {
			return &FieldError{Model: m.Name, Path: name, Msg: "PrefetchRelated takes many-to-many fields"}
		}
		if err := db.prefetchField(ctx, m, f, objs); err != nil {
			return err
		}
	}
	return nil
}

func (db *DB) prefetchField(ctx context.Context, m *Model, f *Field, objs []any) error {
	keys := make([]any, len(objs))
	byKey := map[int64][]any{}
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
	order, _, err := target.compileOrder(c)
	if err != nil {
		return err
	}
	query := "SELECT " + joinComma(cols) + c.from() + " WHERE " + marks
	if order != "" {
		query += " ORDER BY " + order
	}
	scols := make([]selectCol, len(f.Related.columns))
	for i, rf := range f.Related.columns {
		scols[i] = selectCol{field: rf}
	}
	ownerField := &Field{Name: f.ThroughFrom, Kind: KindBigInteger}
	err = target.scan(ctx, query, c.args, len(cols), func(raw []any) error {
		k, err := db.dialect.FromDB(ownerField, raw[0])
		if err != nil {
			return err
		}
		obj, err := target.build(scols, make([]*Field, len(scols)), raw[1:])
		if err != nil {
			return err
		}
		byKey[k.(int64)] = append(byKey[k.(int64)], obj)
		return nil
	})
	if err != nil {
		return err
	}
	for _, o := range objs {
		k, _ := toInt64(m.PKValue(o))
		related := byKey[k]
		ids := make([]int64, len(related))
		for i, r := range related {
			ids[i], _ = toInt64(f.Related.PKValue(r))
		}
		rv := reflect.ValueOf(o).Elem().FieldByIndex(f.index).Addr().Interface().(m2mPointer)
		rv.setIDs(ids)
		rv.setObjects(append([]any{}, related...))
	}
	return nil
}

func joinComma(items []string) string {
	out := ""
	for i, it := range items {
		if i > 0 {
			out += ", "
		}
		out += it
	}
	return out
}
