package orm

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// Get returns the Go value of the field in obj (a pointer to the struct).
// A foreign key or one-to-one gives its int64 key (0 for NULL), a
// many-to-many its []int64 ids, a generic foreign key the object
// DB.GenericObject loaded (or nil); a nullable field gives nil or the
// dereferenced value.
func (f *Field) Get(obj any) any {
	v := reflect.ValueOf(obj).Elem().FieldByIndex(f.index)
	switch f.Kind {
	case KindForeignKey, KindOneToOne:
		return v.Addr().Interface().(fkPointer).keyID()
	case KindManyToMany:
		return v.Addr().Interface().(m2mPointer).ids()
	case KindGenericForeignKey:
		return v.Addr().Interface().(*GenericForeignKey).obj
	}
	if f.ptr {
		if v.IsNil() {
			return nil
		}
		return v.Elem().Interface()
	}
	return v.Interface()
}

// RelatedObject returns the object a foreign key of obj points at when the
// query that read obj loaded it (SelectRelated), or nil.
func (f *Field) RelatedObject(obj any) any {
	if !f.IsForeignKey() {
		return nil
	}
	return reflect.ValueOf(obj).Elem().FieldByIndex(f.index).Addr().Interface().(fkPointer).object()
}

// Set stores a Go value (of the type Parse returns, or nil for NULL) into
// the field of obj.
func (f *Field) Set(obj any, val any) error {
	v := reflect.ValueOf(obj).Elem().FieldByIndex(f.index)
	switch f.Kind {
	case KindForeignKey, KindOneToOne:
		id, _ := toInt64(val)
		v.Addr().Interface().(fkPointer).setKey(id)
		return nil
	case KindManyToMany:
		ids, _ := val.([]int64)
		v.Addr().Interface().(m2mPointer).setIDs(ids)
		return nil
	case KindGenericForeignKey:
		v.Addr().Interface().(*GenericForeignKey).obj = val
		return nil
	}
	if raw, ok := val.(json.RawMessage); ok && f.Kind == KindJSON && f.jsonType() != rawJSONType {
		dec, err := f.decodeJSON(raw)
		if err != nil {
			return &ValueError{Field: f.Name, Value: string(raw), Err: err}
		}
		val = dec
	}
	if val == nil {
		v.Set(reflect.Zero(v.Type()))
		return nil
	}
	rv := reflect.ValueOf(val)
	target := v.Type()
	if f.ptr {
		target = target.Elem()
	}
	if rv.Type() == target && !f.ptr {
		v.Set(rv) // the common case: the value already has the field's type
		return nil
	}
	if !convertible(rv.Type(), target) {
		return &ValueError{Field: f.Name, Value: val, Err: fmt.Errorf("cannot store %T in %s", val, target)}
	}
	rv = rv.Convert(target)
	if f.ptr {
		p := reflect.New(target)
		p.Elem().Set(rv)
		rv = p
	}
	v.Set(rv)
	return nil
}

// convertible is reflect's ConvertibleTo without the conversions that
// change meaning: an integer to a string (a rune) and a slice to an array
// of another length (a panic).
func convertible(from, to reflect.Type) bool {
	if to.Kind() == reflect.String && from.Kind() != reflect.String {
		return false
	}
	if from.Kind() == reflect.Slice && to.Kind() == reflect.Array {
		return false
	}
	return from.ConvertibleTo(to)
}
