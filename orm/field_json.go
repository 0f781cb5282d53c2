package orm

import (
	"encoding/json"
	"errors"
	"reflect"
)

// A JSONField holds any Go value, encoded with encoding/json: text on
// SQLite (with a JSON_VALID check, as Django makes it), jsonb on PostgreSQL
// and json on MySQL and MariaDB. Reading decodes into the field's own Go
// type.

var errJSON = errors.New("value must be valid JSON")

// jsonType is the Go type a JSON value decodes into.
func (f *Field) jsonType() reflect.Type {
	if f.ptr {
		return f.goType.Elem()
	}
	return f.goType
}

// decodeJSON decodes data into a new value of the field's Go type.
func (f *Field) decodeJSON(data []byte) (any, error) {
	p := reflect.New(f.jsonType())
	if err := json.Unmarshal(data, p.Interface()); err != nil {
		return nil, errJSON
	}
	return p.Elem().Interface(), nil
}

// normalizeJSON encodes a value for the database: json.RawMessage ready to
// send, or nil for SQL NULL (a nil value in a null field).
func (f *Field) normalizeJSON(v any) (any, error) {
	if isNilValue(v) && f.Null {
		return nil, nil
	}
	if raw, ok := v.(json.RawMessage); ok && raw != nil {
		if !json.Valid(raw) {
			return nil, &ValueError{Field: f.Name, Value: string(raw), Err: errJSON}
		}
		return raw, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return nil, &ValueError{Field: f.Name, Value: v, Err: err}
	}
	return json.RawMessage(b), nil
}

// jsonFromDB decodes a JSON column's text.
func (f *Field) jsonFromDB(src any) (any, error) {
	switch x := src.(type) {
	case []byte:
		return f.decodeJSON(x)
	case string:
		return f.decodeJSON([]byte(x))
	}
	b, err := json.Marshal(src)
	if err != nil {
		return nil, err
	}
	return f.decodeJSON(b)
}

// isNilValue reports whether v is nil or a nil map, slice, pointer or
// interface.
func isNilValue(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice, reflect.Pointer, reflect.Interface:
		return rv.IsNil()
	}
	return false
}
