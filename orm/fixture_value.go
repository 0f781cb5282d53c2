package orm

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
)

// fromJSON converts a value decoded from a fixture (with numbers kept as
// json.Number) into the field's canonical Go value, as Parse gives it.
func (f *Field) fromJSON(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		if !f.Null {
			return nil, errors.New("null is not allowed: the field is not null")
		}
		return nil, nil
	case string:
		return f.Parse(x)
	case json.Number:
		return f.Parse(x.String())
	case bool:
		if f.Kind == KindBoolean {
			return x, nil
		}
	}
	return nil, &ValueError{Field: f.Name, Value: v, Err: fmt.Errorf("want a %s value", f.Kind)}
}

// missingKeyError is a natural key that names no row. Saving waits for
// such a row to be loaded later in the fixture.
type missingKeyError struct {
	model *Model
	key   []any
}

// Error names the model and the key.
func (e *missingKeyError) Error() string {
	b, _ := json.Marshal(e.key)
	return fmt.Sprintf("no %s.%s has the natural key %s", e.model.App.Label, e.model.ModelName, b)
}

// Unwrap makes the error match ErrNotFound.
func (e *missingKeyError) Unwrap() error { return ErrNotFound }

// foreignKey returns the primary key a foreign key value names: null, the
// target's primary key, or its natural key.
func (l *loader) foreignKey(ctx context.Context, f *Field, v any) (int64, error) {
	if v == nil {
		if !f.Null {
			return 0, errors.New("null is not allowed: the field is not null")
		}
		return 0, nil
	}
	return l.key(ctx, f.Related, v)
}

// key returns the primary key of the row of m that v names: its primary
// key, or its natural key as an array.
func (l *loader) key(ctx context.Context, m *Model, v any) (int64, error) {
	if list, ok := v.([]any); ok {
		return l.byNaturalKey(ctx, m, list)
	}
	val, err := m.PK.fromJSON(v)
	if err != nil {
		return 0, err
	}
	id, ok := toInt64(val)
	if !ok || id == 0 {
		return 0, &ValueError{Field: m.PK.Name, Value: v, Err: errors.New("want a non-zero integer primary key")}
	}
	return id, nil
}

// byNaturalKey looks up the row of m with the natural key raw.
func (l *loader) byNaturalKey(ctx context.Context, m *Model, raw []any) (int64, error) {
	if !m.HasNaturalKey() {
		return 0, fmt.Errorf("%s.%s has no natural key (Meta.NaturalKey): give its primary key", m.App.Label, m.ModelName)
	}
	key := make([]any, len(raw))
	for i, v := range raw {
		switch x := v.(type) {
		case nil, string, bool:
			key[i] = x
		case json.Number:
			key[i] = x.String()
		default:
			return 0, fmt.Errorf("a natural key holds single values, got %v", raw)
		}
	}
	cacheKey := fmt.Sprintf("%s %q", m.Label(), key)
	if id, ok := l.found[cacheKey]; ok {
		return id, nil
	}
	obj, err := l.db.GetByNaturalKey(ctx, m, key...)
	if errors.Is(err, ErrNotFound) {
		return 0, &missingKeyError{model: m, key: raw}
	}
	if err != nil {
		return 0, err
	}
	id, ok := toInt64(m.PK.Get(obj))
	if !ok {
		return 0, fmt.Errorf("%s has a primary key that is not an integer", m.Label())
	}
	l.found[cacheKey] = id
	return id, nil
}

// saveM2M sets the many-to-many fields the fixture gives for a saved
// object. It runs once every object is saved, so the lists may name any
// of them.
func (l *loader) saveM2M(ctx context.Context, it *fixtureItem) error {
	for _, f := range it.model.Fields {
		raw, given := it.fields[f.Name]
		if f.Kind != KindManyToMany || !given {
			continue
		}
		list, ok := raw.([]any)
		if !ok {
			return it.fail(f.Name, fmt.Errorf("want a list of keys, got %v", raw))
		}
		ids := make([]int64, 0, len(list))
		for _, v := range list {
			if v == nil {
				return it.fail(f.Name, errors.New("null in a list of keys"))
			}
			id, err := l.key(ctx, f.Related, v)
			if err != nil {
				return it.fail(f.Name, err)
			}
			ids = append(ids, id)
		}
		if err := l.db.SetM2M(ctx, it.obj, f.Name, ids); err != nil {
			return it.fail(f.Name, err)
		}
	}
	return nil
}
