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
	case []any, map[string]any:
		if f.Kind == KindJSON { // a JSONField's list or object, as dumpdata writes it
			b, err := json.Marshal(x)
			if err != nil {
				return nil, &ValueError{Field: f.Name, Value: v, Err: err}
			}
			return json.RawMessage(b), nil
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

// foreignKey returns the key a foreign key value names: nil for null, the
// target's key (its primary key or to_field), or the key of the row a
// natural key names.
func (l *loader) foreignKey(ctx context.Context, f *Field, v any) (any, error) {
	if v == nil {
		if !f.Null {
			return nil, errors.New("null is not allowed: the field is not null")
		}
		return nil, nil
	}
	if list, ok := v.([]any); ok {
		obj, err := l.byNaturalKey(ctx, f.Related, list)
		if err != nil {
			return nil, err
		}
		return f.Target().Get(obj), nil
	}
	return l.keyValue(f.Target(), v)
}

// key returns the primary key of the row of m that v names: its primary
// key, or its natural key as an array.
func (l *loader) key(ctx context.Context, m *Model, v any) (any, error) {
	if list, ok := v.([]any); ok {
		obj, err := l.byNaturalKey(ctx, m, list)
		if err != nil {
			return nil, err
		}
		return m.PK.Get(obj), nil
	}
	return l.keyValue(m.PK, v)
}

// keyValue reads a key of the field f from the fixture: a number or a
// string (a UUID in either form). An integer key is never 0.
func (l *loader) keyValue(f *Field, v any) (any, error) {
	val, err := f.fromJSON(v)
	if err != nil {
		return nil, err
	}
	if val == nil || f.Kind.IsInteger() && isZeroKey(val) {
		return nil, &ValueError{Field: f.Name, Value: v, Err: errors.New("want a key that is not null or 0")}
	}
	return val, nil
}

// byNaturalKey looks up the row of m with the natural key raw.
func (l *loader) byNaturalKey(ctx context.Context, m *Model, raw []any) (any, error) {
	if !m.HasNaturalKey() {
		return nil, fmt.Errorf("%s.%s has no natural key (Meta.NaturalKey): give its primary key", m.App.Label, m.ModelName)
	}
	key := make([]any, len(raw))
	for i, v := range raw {
		switch x := v.(type) {
		case nil, string, bool:
			key[i] = x
		case json.Number:
			key[i] = x.String()
		default:
			return nil, fmt.Errorf("a natural key holds single values, got %v", raw)
		}
	}
	cacheKey := fmt.Sprintf("%s %q", m.Label(), key)
	if obj, ok := l.found[cacheKey]; ok {
		return obj, nil
	}
	obj, err := l.db.GetByNaturalKey(ctx, m, key...)
	if errors.Is(err, ErrNotFound) {
		return nil, &missingKeyError{model: m, key: raw}
	}
	if err != nil {
		return nil, err
	}
	l.found[cacheKey] = obj
	return obj, nil
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
		ids := make([]any, 0, len(list))
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
		if err := l.db.SetM2MKeys(ctx, it.obj, f.Name, ids); err != nil {
			return it.fail(f.Name, err)
		}
	}
	return nil
}
