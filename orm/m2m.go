package orm

import (
	"context"
	"fmt"
)

// LoadM2M fills the IDs of the many-to-many field name of obj, whose
// related model has an integer primary key, and returns them. LoadM2MKeys
// reads keys of any type.
func (db *DB) LoadM2M(ctx context.Context, obj any, name string) ([]int64, error) {
	keys, err := db.LoadM2MKeys(ctx, obj, name)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(keys))
	for i, k := range keys {
		n, ok := toInt64(k)
		if !ok {
			return nil, fmt.Errorf("orm: load %s: the related primary key is a %T, not an integer: use LoadM2MKeys", name, k)
		}
		ids[i] = n
	}
	return ids, nil
}

// LoadM2MKeys fills the IDs of the many-to-many field name of obj and
// returns them as the related primary key's values (int64, uuid.UUID,
// string), in key order.
func (db *DB) LoadM2MKeys(ctx context.Context, obj any, name string) ([]any, error) {
	m, f, err := db.m2mField(obj, name)
	if err != nil {
		return nil, err
	}
	d := db.dialect
	pk, err := db.keyArg(m.PK, m.PK.Get(obj))
	if err != nil {
		return nil, err
	}
	query := "SELECT " + d.Quote(f.ThroughTo) + " FROM " + d.Quote(f.Through) + " WHERE " + d.Quote(f.ThroughFrom) + " = " + d.Placeholder(1) + " ORDER BY " + d.Quote(f.ThroughTo)
	rows, err := db.QueryRaw(ctx, query, pk)
	if err != nil {
		return nil, fmt.Errorf("orm: load %s.%s: %w", m.Label(), name, err)
	}
	defer rows.Close()
	keys := []any{}
	for rows.Next() {
		var raw any
		if err := rows.Scan(&raw); err != nil {
			return nil, err
		}
		k, err := d.FromDB(f.Related.PK, raw)
		if err != nil {
			return nil, fmt.Errorf("orm: load %s.%s: %w", m.Label(), name, err)
		}
		keys = append(keys, k)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if err := f.Set(obj, keys); err != nil {
		return nil, err
	}
	return keys, nil
}

// SetM2M makes the many-to-many field name of obj hold exactly ids, adding
// and removing join rows as needed, and stores ids in obj. With a through
// model, each new row is an instance of it made by Model.New, so its other
// fields get their defaults, as Django's add() with a through model does.
// SetM2MKeys takes keys of any type.
func (db *DB) SetM2M(ctx context.Context, obj any, name string, ids []int64) error {
	keys := make([]any, len(ids))
	for i, id := range ids {
		keys[i] = id
	}
	return db.SetM2MKeys(ctx, obj, name, keys)
}

// SetM2MKeys is SetM2M for keys of any type the related primary key
// accepts: uuid.UUID or its text (with or without hyphens) for a UUID key,
// strings for a text key, integers.
// For a symmetrical relation each link is written and removed in both
// directions, as Django's set() does.
func (db *DB) SetM2MKeys(ctx context.Context, obj any, name string, keys []any) error {
	m, f, err := db.m2mField(obj, name)
	if err != nil {
		return err
	}
	want, err := f.normalizeKeys(keys)
	if err != nil {
		return err
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		current, err := db.LoadM2MKeys(ctx, obj, name)
		if err != nil {
			return err
		}
		rel := f.Related.PK
		wanted := map[string]bool{}
		for _, k := range want {
			wanted[rel.Format(k)] = true
		}
		have := map[string]bool{}
		for _, k := range current {
			have[rel.Format(k)] = true
			if !wanted[rel.Format(k)] {
				if err := db.removeLink(ctx, f, m.PK.Get(obj), k); err != nil {
					return fmt.Errorf("orm: set %s.%s: %w", m.Label(), name, err)
				}
			}
		}
		for _, k := range want {
			if have[rel.Format(k)] {
				continue
			}
			have[rel.Format(k)] = true
			if err := db.addLinks(ctx, f, m.PK.Get(obj), k); err != nil {
				return fmt.Errorf("orm: set %s.%s: %w", m.Label(), name, err)
			}
		}
		return f.Set(obj, want)
	})
}

// m2mField returns obj's model and its many-to-many field name.
func (db *DB) m2mField(obj any, name string) (*Model, *Field, error) {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return nil, nil, err
	}
	f := m.Field(name)
	if f == nil || f.Kind != KindManyToMany {
		return nil, nil, &FieldError{Model: m.Name, Path: name, Msg: "not a many-to-many field"}
	}
	return m, f, nil
}

// keyArg converts a key of the field f into the value bound for it.
func (db *DB) keyArg(f *Field, v any) (any, error) {
	n, err := f.normalize(v)
	if err != nil {
		return nil, err
	}
	return db.dialect.ToDB(f, n), nil
}

// addLink inserts one join row: directly into the orm's own join table, or
// as a new instance of the through model.
func (db *DB) addLink(ctx context.Context, f *Field, from, to any) error {
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
	fromArg, err := db.keyArg(f.Model.PK, from)
	if err != nil {
		return err
	}
	toArg, err := db.keyArg(f.Related.PK, to)
	if err != nil {
		return err
	}
	q := "INSERT INTO " + d.Quote(f.Through) + " (" + d.Quote(f.ThroughFrom) + ", " + d.Quote(f.ThroughTo) + ") VALUES (" + d.Placeholder(1) + ", " + d.Placeholder(2) + ")"
	_, err = db.Exec(ctx, q, fromArg, toArg)
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
