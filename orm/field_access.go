package orm

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/shopspring/decimal"
)

// Value is obj's struct field that holds f, as an addressable
// reflect.Value, read without copying the value into an interface as Get
// does (a nullable field's is the pointer). ok is false for a relation
// and for a field of an embedded link: Get alone reads those.
func (f *Field) Value(obj any) (v reflect.Value, ok bool) {
	switch f.Kind {
	case KindForeignKey, KindOneToOne, KindManyToMany, KindGenericForeignKey:
		return reflect.Value{}, false
	}
	if f.embed != nil {
		return reflect.Value{}, false
	}
	return reflect.ValueOf(obj).Elem().FieldByIndex(f.index), true
}

// Get returns the Go value of the field in obj (a pointer to the struct).
// A foreign key or one-to-one gives its key: an orm.ForeignKey's int64 (0
// for NULL), an orm.ForeignKeyTo's K (nil for NULL); a many-to-many its
// IDs ([]int64, or []K for ManyToManyTo), a generic foreign key the object
// DB.GenericObject loaded (or nil); a nullable field gives nil or the
// dereferenced value.
func (f *Field) Get(obj any) any {
	if f.embed != nil {
		return f.linkGet(obj)
	}
	v := reflect.ValueOf(obj).Elem().FieldByIndex(f.index)
	switch f.Kind {
	case KindForeignKey, KindOneToOne:
		k, ok := v.Addr().Interface().(fkPointer).key()
		if !ok && f.zeroNull {
			return int64(0)
		}
		return k
	case KindManyToMany:
		return v.Addr().Interface().(m2mPointer).keyList()
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

// keyOf returns the key a foreign key of obj holds, and false when it is
// NULL.
func (f *Field) keyOf(obj any) (any, bool) {
	if f.embed != nil {
		v := f.linkGet(obj)
		return v, !f.IsNullKey(v)
	}
	return reflect.ValueOf(obj).Elem().FieldByIndex(f.index).Addr().Interface().(fkPointer).key()
}

// IsNullKey reports whether v, a value of a foreign key as Get gives it,
// is NULL: nil, or 0 for an orm.ForeignKey or orm.OneToOne.
func (f *Field) IsNullKey(v any) bool {
	return v == nil || f.zeroNull && isZeroKey(v)
}

// RelatedObject returns the object a foreign key of obj points at when the
// query that read obj loaded it (SelectRelated), or nil. A parent link
// gives the parent struct embedded in obj (a *Item inside a Book).
func (f *Field) RelatedObject(obj any) any {
	if !f.IsForeignKey() {
		return nil
	}
	if f.embed != nil {
		return f.parentObject(obj)
	}
	return reflect.ValueOf(obj).Elem().FieldByIndex(f.index).Addr().Interface().(fkPointer).object()
}

// Set stores a Go value (of the type Parse returns, or nil for NULL) into
// the field of obj. A relation takes its key in any form the key field
// reads (a UUID's text, an integer's digits); an orm.ForeignKey also
// takes 0 or "" for NULL.
func (f *Field) Set(obj any, val any) error {
	if f.embed != nil {
		return f.linkSet(obj, val)
	}
	v := reflect.ValueOf(obj).Elem().FieldByIndex(f.index)
	switch f.Kind {
	case KindForeignKey, KindOneToOne:
		if s, ok := val.(string); ok && s == "" && f.zeroNull {
			val = nil // an empty integer key is NULL, as it always was; "" is a text key's value
		}
		n, err := f.normalize(val)
		if err != nil {
			return err
		}
		if f.IsNullKey(n) {
			n = nil
		}
		if err := v.Addr().Interface().(fkPointer).setKey(n); err != nil {
			return &ValueError{Field: f.Name, Value: val, Err: err}
		}
		return nil
	case KindManyToMany:
		keys, err := f.normalizeKeys(val)
		if err != nil {
			return err
		}
		if err := v.Addr().Interface().(m2mPointer).setKeys(keys); err != nil {
			return &ValueError{Field: f.Name, Value: val, Err: err}
		}
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
	if !f.ptr && setDirect(v, val) {
		return nil
	}
	rv := reflect.ValueOf(val)
	target := v.Type()
	if f.ptr {
		target = target.Elem()
	}
	if rv.Type() == target && !f.ptr {
		v.Set(rv) // the value already has the field's type
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

// setDirect stores a value of the types rows mostly hold in a field of
// that type (or a named type of its kind, as Convert would) without
// reflect's general assignment: a row of a hundred objects sets a
// thousand fields. It returns false for other values and fields.
func setDirect(v reflect.Value, val any) bool {
	switch x := val.(type) {
	case string:
		if v.Kind() == reflect.String {
			v.SetString(x)
			return true
		}
	case bool:
		if v.Kind() == reflect.Bool {
			v.SetBool(x)
			return true
		}
	case time.Time:
		if p, ok := v.Addr().Interface().(*time.Time); ok {
			*p = x
			return true
		}
	case decimal.Decimal:
		if p, ok := v.Addr().Interface().(*decimal.Decimal); ok {
			*p = x
			return true
		}
	}
	return setNumber(v, val)
}

// setNumber stores an int64 in a signed integer field or a float64 in a
// float field of another width or a named type, as Convert would, but
// without the value Convert allocates; false for other values and fields.
func setNumber(v reflect.Value, val any) bool {
	switch x := val.(type) {
	case int64:
		switch v.Kind() {
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			v.SetInt(x)
			return true
		}
	case float64:
		switch v.Kind() {
		case reflect.Float32, reflect.Float64:
			v.SetFloat(x)
			return true
		}
	}
	return false
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

// normalizeKeys reads the keys of a many-to-many value: a slice of keys
// of any type the related primary key accepts, or nil for none.
func (f *Field) normalizeKeys(val any) ([]any, error) {
	if val == nil {
		return nil, nil
	}
	rv := reflect.ValueOf(val)
	if rv.Kind() != reflect.Slice {
		return nil, &ValueError{Field: f.Name, Value: val, Err: fmt.Errorf("want a list of keys, got %T", val)}
	}
	if rv.IsNil() {
		return nil, nil
	}
	pk := f.Related.PK
	out := make([]any, rv.Len())
	for i := range out {
		n, err := pk.normalize(rv.Index(i).Interface())
		if err != nil {
			return nil, &ValueError{Field: f.Name, Value: val, Err: err}
		}
		if n == nil {
			return nil, &ValueError{Field: f.Name, Value: val, Err: fmt.Errorf("a many-to-many relation holds no NULL keys")}
		}
		out[i] = n
	}
	return out, nil
}
