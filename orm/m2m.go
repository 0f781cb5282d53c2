package orm

import (
	"context"
	"fmt"
)

// LoadM2M fills the IDs of the many-to-many field name of obj.
func (db *DB) LoadM2M(ctx context.Context, obj any, name string) ([]int64, error) {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return nil, err
	}
	f := m.Field(name)
	if f == nil || f.Kind != KindManyToMany {
		return nil, &FieldError{Model: m.Name, Path: name, Msg: "not a many-to-many field"}
	}
	d := db.dialect
	query := "SELECT " + d.Quote(f.ThroughTo) + " FROM " + d.Quote(f.Through) + " WHERE " + d.Quote(f.ThroughFrom) + " = " + d.Placeholder(1) + " ORDER BY " + d.Quote(f.ThroughTo)
	rows, err := db.QueryRaw(ctx, query, m.PK.Get(obj))
	if err != nil {
		return nil, fmt.Errorf("orm: load %s.%s: %w", m.Label(), name, err)
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	_ = f.Set(obj, ids)
	return ids, nil
}

// SetM2M makes the many-to-many field name of obj hold exactly ids, adding
// and removing join rows as needed, and stores ids in obj. With a through
// model, each new row is an instance of it made by Model.New, so its other
// fields get their defaults, as Django's add() with a through model does.
func (db *DB) SetM2M(ctx context.Context, obj any, name string, ids []int64) error {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return err
	}
	f := m.Field(name)
	if f == nil || f.Kind != KindManyToMany {
		return &FieldError{Model: m.Name, Path: name, Msg: "not a many-to-many field"}
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		current, err := db.LoadM2M(ctx, obj, name)
		if err != nil {
			return err
		}
		want := map[int64]bool{}
		for _, id := range ids {
			want[id] = true
		}
		have := map[int64]bool{}
		d, pk := db.dialect, m.PK.Get(obj)
		for _, id := range current {
			have[id] = true
			if !want[id] {
				q := "DELETE FROM " + d.Quote(f.Through) + " WHERE " + d.Quote(f.ThroughFrom) + " = " + d.Placeholder(1) + " AND " + d.Quote(f.ThroughTo) + " = " + d.Placeholder(2)
				if _, err := db.Exec(ctx, q, pk, id); err != nil {
					return fmt.Errorf("orm: set %s.%s: %w", m.Label(), name, err)
				}
			}
		}
		for _, id := range ids {
			if have[id] {
				continue
			}
			have[id] = true
			if err := db.addLink(ctx, f, pk, id); err != nil {
				return fmt.Errorf("orm: set %s.%s: %w", m.Label(), name, err)
			}
		}
		return f.Set(obj, ids)
	})
}

// addLink inserts one join row: directly into the orm's own join table, or
// as a new instance of the through model.
func (db *DB) addLink(ctx context.Context, f *Field, from any, to int64) error {
	if tm := f.ThroughModel; tm != nil {
		link := tm.New()
		if err := tm.columnField(f.ThroughFrom).Set(link, from); err != nil {
			return err
		}
		if err := tm.columnField(f.ThroughTo).Set(link, to); err != nil {
			return err
		}
		return db.Insert(ctx, link)
	}
	d := db.dialect
	q := "INSERT INTO " + d.Quote(f.Through) + " (" + d.Quote(f.ThroughFrom) + ", " + d.Quote(f.ThroughTo) + ") VALUES (" + d.Placeholder(1) + ", " + d.Placeholder(2) + ")"
	_, err := db.Exec(ctx, q, from, to)
	return err
}

// columnField returns the concrete field with the given column, or nil.
func (m *Model) columnField(column string) *Field {
	for _, f := range m.columns {
		if f.Column == column {
			return f
		}
	}
	return nil
}
