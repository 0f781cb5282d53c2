package orm

import (
	"context"
	"errors"
	"fmt"
)

// saveChild saves a multi-table child: its parent (and the parent's
// parents) first, then its own row with the parent's key, as Django's
// save_parents and save_table do.
func (db *DB) saveChild(ctx context.Context, m *Model, obj any) error {
	link := m.parentLink
	parent := link.parentObject(obj)
	adding := link.parentModel.adding(parent)
	if err := db.Save(ctx, parent); err != nil {
		return err
	}
	if adding {
		return db.insertRow(ctx, m, obj)
	}
	return db.saveRow(ctx, m, obj)
}

// adding reports whether saving obj inserts a new row: its key, or its
// topmost parent's, is unset.
func (m *Model) adding(obj any) bool {
	if link := m.parentLink; link != nil {
		return link.parentModel.adding(link.parentObject(obj))
	}
	return m.pkUnset(obj)
}

// saveRow writes obj's row of m's own table, not its parents': an update,
// or an insert when no row has its key.
func (db *DB) saveRow(ctx context.Context, m *Model, obj any) error {
	if len(m.columns) == 1 { // the key alone: nothing to update, only to find
		n, err := db.Query(m).Filter(Q{"pk": m.PKValue(obj)}).Count(ctx)
		if err != nil || n > 0 {
			return err
		}
		return db.insertRow(ctx, m, obj)
	}
	err := db.updateRow(ctx, m, obj, nil)
	if errors.Is(err, ErrNotFound) {
		return db.insertRow(ctx, m, obj)
	}
	return err
}

// saveRaw saves an object as a fixture gives it, Django's save_base(raw=True):
// a multi-table child writes only its own row, its parent's fields coming
// in the parent's own entry.
func (db *DB) saveRaw(ctx context.Context, obj any) error {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return err
	}
	if m.parentLink == nil {
		return db.Save(ctx, obj)
	}
	return db.saveRow(ctx, m, obj)
}

// updateChild writes a multi-table child's fields: those of its parents
// through the parent's Update, its own to its row. With no names it
// writes every field of both.
func (db *DB) updateChild(ctx context.Context, m *Model, obj any, fields []string) error {
	var own, inherited []string
	for _, name := range fields {
		f := m.Field(name)
		if f == nil || !f.Concrete() {
			return &FieldError{Model: m.Name, Path: name, Msg: "not a concrete field"}
		}
		if f.Inherited() {
			inherited = append(inherited, f.Name)
		} else {
			own = append(own, f.Name)
		}
	}
	link := m.parentLink
	if len(fields) == 0 || len(inherited) > 0 {
		if err := db.Update(ctx, link.parentObject(obj), inherited...); err != nil {
			return err
		}
	}
	if len(fields) > 0 && len(own) == 0 {
		return nil
	}
	if len(m.columns) == 1 {
		return nil // the key alone, which the parent's update found
	}
	return db.updateRow(ctx, m, obj, own)
}

// updateInherited is QuerySet.Update on a multi-table child: the rows'
// keys are read first, then the parents' fields are set on the parent
// rows and the child's own on its rows, each by key (MySQL cannot update a
// table a subquery of the same statement reads). It returns the number
// of rows matched.
func (q QuerySet) updateInherited(ctx context.Context, values map[string]any) (int64, error) {
	own, inherited := map[string]any{}, map[string]any{}
	for name, v := range values {
		f := q.model.Field(name)
		if f == nil || !f.Concrete() || f.PrimaryKey {
			return 0, &FieldError{Model: q.model.Name, Path: name, Msg: "Update sets concrete, non-key fields"}
		}
		if f.Inherited() {
			inherited[name] = v
		} else {
			own[name] = v
		}
	}
	rows, err := q.OrderBy().Values("pk").Tuples(ctx)
	if err != nil {
		return 0, err
	}
	keys := make([]any, len(rows))
	for i, r := range rows {
		keys[i] = r[0]
	}
	parent := q.model.parentLink.parentModel
	err = q.db.Atomic(ctx, func(ctx context.Context) error {
		for _, batch := range batches(keys) {
			if len(batch) == 0 {
				continue
			}
			if len(inherited) > 0 {
				if _, err := q.db.Query(parent).Filter(Q{"pk__in": batch}).Update(ctx, inherited); err != nil {
					return err
				}
			}
			if len(own) > 0 {
				if _, err := q.db.Query(q.model).Filter(Q{"pk__in": batch}).updateTable(ctx, own); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("orm: update %s: %w", q.model.Label(), err)
	}
	return int64(len(keys)), nil
}

// collectParents adds, for the children of a multi-table model among a
// level's objects, their parent objects to the deletion as further roots,
// as Django's collector deletes a child's parent rows with it; the parent
// then cascades to what points at it.
func (c *collector) collectParents(group []*DeleteNode, next []*DeleteNode) []*DeleteNode {
	link := group[0].Model.parentLink
	if link == nil {
		return next
	}
	for _, n := range group {
		if node := c.add(link.parentModel, link.parentObject(n.Object), nil, 0); node != nil {
			c.d.Roots = append(c.d.Roots, node)
			next = append(next, node)
		}
	}
	return next
}
