package orm

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// HasNaturalKey reports whether the model declares Meta.NaturalKey.
func (m *Model) HasNaturalKey() bool { return len(m.Meta.NaturalKey) > 0 }

// checkNaturalKey validates Meta.NaturalKey once relations are resolved:
// every path must follow foreign keys and end at a field with a column.
func (m *Model) checkNaturalKey() error {
	for _, path := range m.Meta.NaturalKey {
		if _, _, err := m.naturalKeyPath(path); err != nil {
			return fmt.Errorf("orm: model %s: natural key %q: %w", m.Label(), path, err)
		}
	}
	return nil
}

// naturalKeyPath resolves one natural key path into the foreign keys it
// follows and the field it ends at.
func (m *Model) naturalKeyPath(path string) (hops []*Field, last *Field, err error) {
	parts := strings.Split(path, "__")
	cur := m
	for i, part := range parts {
		f := cur.Field(part)
		if f == nil {
			return nil, nil, fmt.Errorf("%s has no field %q", cur.Name, part)
		}
		if i == len(parts)-1 {
			if !f.Concrete() {
				return nil, nil, fmt.Errorf("%s.%s is a many-to-many field", cur.Name, part)
			}
			return hops, f, nil
		}
		if f.Kind != KindForeignKey || f.Related == nil {
			return nil, nil, fmt.Errorf("%s.%s is not a foreign key", cur.Name, part)
		}
		hops = append(hops, f)
		cur = f.Related
	}
	return nil, nil, errors.New("empty path")
}

// naturalKeyFields returns the field each natural key path ends at.
func (m *Model) naturalKeyFields() []*Field {
	out := make([]*Field, len(m.Meta.NaturalKey))
	for i, path := range m.Meta.NaturalKey {
		_, out[i], _ = m.naturalKeyPath(path)
	}
	return out
}

// naturalKeyJoins returns the foreign key paths the natural key crosses,
// shortest first, for SelectRelated.
func (m *Model) naturalKeyJoins() []string {
	seen := map[string]bool{}
	var out []string
	for _, path := range m.Meta.NaturalKey {
		parts := strings.Split(path, "__")
		for k := 1; k < len(parts); k++ {
			p := strings.Join(parts[:k], "__")
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return strings.Count(out[i], "__") < strings.Count(out[j], "__") })
	return out
}

// naturalKeyOf reads the natural key of obj. Foreign keys are followed
// through the objects SelectRelated loaded; a related object that was not
// loaded is read from the database.
func (db *DB) naturalKeyOf(ctx context.Context, m *Model, obj any) ([]any, error) {
	key := make([]any, 0, len(m.Meta.NaturalKey))
	for _, path := range m.Meta.NaturalKey {
		hops, last, err := m.naturalKeyPath(path)
		if err != nil {
			return nil, err
		}
		cur := obj
		for _, fk := range hops {
			if cur, err = db.follow(ctx, fk, cur); err != nil {
				return nil, err
			}
			if cur == nil {
				break
			}
		}
		var v any
		if cur != nil {
			v = last.Get(cur)
		}
		if last.IsForeignKey() && last.IsNullKey(v) {
			v = nil // a NULL foreign key
		}
		key = append(key, v)
	}
	return key, nil
}

// follow returns the object the foreign key fk of obj points at, or nil
// when the key is NULL.
func (db *DB) follow(ctx context.Context, fk *Field, obj any) (any, error) {
	if rel := fk.RelatedObject(obj); rel != nil {
		return rel, nil
	}
	id, ok := fk.keyOf(obj)
	if !ok {
		return nil, nil
	}
	return db.Query(fk.Related).Get(ctx, Q{fk.Target().Name: id})
}

// GetByNaturalKey returns the object of model m whose natural key is key
// (Django's get_by_natural_key), or an error wrapping ErrNotFound.
func (db *DB) GetByNaturalKey(ctx context.Context, m *Model, key ...any) (any, error) {
	if !m.HasNaturalKey() {
		return nil, fmt.Errorf("orm: %s has no natural key (Meta.NaturalKey)", m.Label())
	}
	if len(key) != len(m.Meta.NaturalKey) {
		return nil, fmt.Errorf("orm: %s: a natural key has %d values (%s), got %d",
			m.Label(), len(m.Meta.NaturalKey), strings.Join(m.Meta.NaturalKey, ", "), len(key))
	}
	q := Q{}
	for i, path := range m.Meta.NaturalKey {
		q[path] = key[i]
	}
	return db.Query(m).Get(ctx, q)
}

// naturalKeyBatch is how many primary keys one natural key query reads.
const naturalKeyBatch = 500

// naturalKeys returns the natural keys of the rows of m with the given
// primary keys, by pkKey of the primary key, in as few queries as the
// batch size allows.
func (db *DB) naturalKeys(ctx context.Context, m *Model, pks []any) (map[any][]any, error) {
	out := make(map[any][]any, len(pks))
	for start := 0; start < len(pks); start += naturalKeyBatch {
		batch := pks[start:min(start+naturalKeyBatch, len(pks))]
		// The batch is read whole before any key is computed: following a
		// key that the join did not load queries again, which a
		// connection cannot do while it streams rows.
		objs, err := db.Query(m).SelectRelated(m.naturalKeyJoins()...).Filter(Q{"pk__in": batch}).OrderBy().All(ctx)
		if err != nil {
			return nil, err
		}
		for _, obj := range objs {
			key, err := db.naturalKeyOf(ctx, m, obj)
			if err != nil {
				return nil, err
			}
			out[pkKey(m.PK.Get(obj))] = key
		}
	}
	return out, nil
}
