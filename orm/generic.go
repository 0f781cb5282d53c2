package orm

import (
	"context"
	"errors"
	"fmt"
)

// GenericObject loads the object the generic foreign key name of obj
// points at: it reads the content type row its ct_field names, finds the
// registered model of that row's app_label and model, and gets the object
// whose primary key its fk_field holds. The object is also kept in the
// field (GenericForeignKey.Get). A key that points nowhere — no content
// type, an empty object id, a model no longer installed, a deleted object
// — gives an error wrapping ErrNotFound.
func (db *DB) GenericObject(ctx context.Context, obj any, name string) (any, error) {
	m, f, err := db.genericField(obj, name)
	if err != nil {
		return nil, err
	}
	ctID, _ := toInt64(f.GenericContentType.Get(obj))
	id := f.GenericObjectID.Get(obj)
	if ctID == 0 || isEmpty(id) {
		return nil, fmt.Errorf("%w: %s.%s points nowhere", ErrNotFound, m.Label(), name)
	}
	target, err := db.contentTypeModel(ctx, f.GenericContentType.Related, ctID)
	if err != nil {
		return nil, fmt.Errorf("orm: %s.%s: %w", m.Label(), name, err)
	}
	related, err := db.GetByPK(ctx, target, id)
	if err != nil {
		return nil, fmt.Errorf("orm: %s.%s: %w", m.Label(), name, err)
	}
	_ = f.Set(obj, related)
	return related, nil
}

// SetGenericObject points the generic foreign key name of obj at target (a
// pointer to a registered model's struct, or nil to clear it), finding
// the content type row of target's model and creating it when missing. It
// sets the two fields in obj; saving obj writes them.
func (db *DB) SetGenericObject(ctx context.Context, obj any, name string, target any) error {
	m, f, err := db.genericField(obj, name)
	if err != nil {
		return err
	}
	ct, id := f.GenericContentType, f.GenericObjectID
	if target == nil {
		_ = ct.Set(obj, nil)
		_ = f.Set(obj, nil)
		return id.Set(obj, nil)
	}
	tm, _, err := db.modelValue(target)
	if err != nil {
		return err
	}
	ctID, err := db.ContentTypeID(ctx, ct.Related, tm.contentTypeModel())
	if err != nil {
		return fmt.Errorf("orm: %s.%s: %w", m.Label(), name, err)
	}
	pk := tm.PKValue(target)
	var idValue any = pk
	if id.Kind.IsString() {
		idValue = tm.PK.Format(pk)
	}
	if err := id.Set(obj, idValue); err != nil {
		return fmt.Errorf("orm: %s.%s: %w", m.Label(), name, err)
	}
	_ = ct.Set(obj, ctID)
	return f.Set(obj, target)
}

func (db *DB) genericField(obj any, name string) (*Model, *Field, error) {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return nil, nil, err
	}
	f := m.Field(name)
	if f == nil || f.Kind != KindGenericForeignKey {
		return nil, nil, &FieldError{Model: m.Name, Path: name, Msg: "not a generic foreign key"}
	}
	return m, f, nil
}

// contentTypeModel returns the installed model a content type row names.
func (db *DB) contentTypeModel(ctx context.Context, ctModel *Model, id int64) (*Model, error) {
	row, err := db.GetByPK(ctx, ctModel, id)
	if err != nil {
		return nil, fmt.Errorf("content type %d: %w", id, err)
	}
	return db.modelOfContentType(ctModel, row)
}

// modelOfContentType returns the installed model a row of ctModel names
// by its app_label and model.
func (db *DB) modelOfContentType(ctModel *Model, row any) (*Model, error) {
	app, _ := ctModel.Field("app_label").Get(row).(string)
	model, _ := ctModel.Field("model").Get(row).(string)
	target, err := db.reg.GetModel(app + "." + model)
	if err != nil {
		return nil, fmt.Errorf("%w: content type %v names %s.%s, which is not installed", ErrNotFound, ctModel.PKValue(row), app, model)
	}
	return target, nil
}

// ContentTypeID returns the primary key of the row of ctModel, a content
// type model (such as contenttype.ContentType), naming model m, and
// inserts the row when missing — what a generic foreign key to an object
// of m stores.
func (db *DB) ContentTypeID(ctx context.Context, ctModel *Model, m *Model) (int64, error) {
	q := Q{"app_label": m.App.Label, "model": m.ModelName}
	row, err := db.Query(ctModel).Get(ctx, q)
	if errors.Is(err, ErrNotFound) {
		row = ctModel.New()
		_ = ctModel.Field("app_label").Set(row, m.App.Label)
		_ = ctModel.Field("model").Set(row, m.ModelName)
		err = db.Insert(ctx, row)
	}
	if err != nil {
		return 0, fmt.Errorf("content type of %s: %w", m.Label(), err)
	}
	id, _ := toInt64(ctModel.PKValue(row))
	return id, nil
}

// prefetchGeneric loads the objects the generic foreign key f of objs
// point at, Django's prefetch of a GenericForeignKey: one query for the
// content types named, then one per content type for its objects. A key
// pointing nowhere (a model not installed, a deleted object) leaves the
// field empty, as GenericObject's ErrNotFound would.
func (db *DB) prefetchGeneric(ctx context.Context, f *Field, objs []any) error {
	ct, id := f.GenericContentType, f.GenericObjectID
	byType := map[int64][]any{} // content type → the objects' ids
	var types []any
	for _, o := range objs {
		ctID, _ := toInt64(ct.Get(o))
		if v := id.Get(o); ctID != 0 && !isEmpty(v) {
			if _, ok := byType[ctID]; !ok {
				types = append(types, ctID)
			}
			byType[ctID] = append(byType[ctID], v)
		}
	}
	if len(types) == 0 {
		return nil
	}
	rows, err := db.Query(ct.Related).Filter(Q{"pk__in": types}).All(ctx)
	if err != nil {
		return fmt.Errorf("orm: prefetch %s: %w", f.Name, err)
	}
	found := map[string]any{}     // "content type id/object key" → object
	targets := map[int64]*Model{} // content type id → its model
	for _, row := range rows {
		ctID, _ := toInt64(ct.Related.PKValue(row))
		target, err := db.modelOfContentType(ct.Related, row)
		if err != nil {
			continue // a model no longer installed: nothing to point at
		}
		targets[ctID] = target
		keys := make([]any, 0, len(byType[ctID]))
		for _, v := range byType[ctID] {
			k, err := target.PK.normalize(v)
			if err != nil {
				continue // an id no key of the model can be
			}
			keys = append(keys, k)
		}
		err = db.Query(target).Filter(Q{"pk__in": keys}).Each(ctx, func(obj any) error {
			found[fmt.Sprint(ctID)+"/"+target.PK.Format(target.PKValue(obj))] = obj
			return nil
		})
		if err != nil {
			return fmt.Errorf("orm: prefetch %s: %w", f.Name, err)
		}
	}
	for _, o := range objs {
		ctID, _ := toInt64(ct.Get(o))
		target := targets[ctID]
		if target == nil {
			continue
		}
		k, err := target.PK.normalize(id.Get(o))
		if err != nil {
			continue
		}
		if obj, ok := found[fmt.Sprint(ctID)+"/"+target.PK.Format(k)]; ok {
			_ = f.Set(o, obj)
		}
	}
	return nil
}
