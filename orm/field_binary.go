package orm

import (
	"encoding/base64"
	"errors"
	"strings"
)

// A BinaryField holds []byte: BLOB on SQLite, bytea on PostgreSQL, longblob
// on MySQL. It is not editable unless tagged editable, as in Django. As
// text (fixtures, Format) it is standard base64.

func parseBinary(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(s))
	if err != nil {
		return nil, errors.New("not base64 data")
	}
	return b, nil
}

// normalizeBinary keeps bytes as they are; nil is NULL in a null field and
// empty bytes otherwise.
func (f *Field) normalizeBinary(v any) (any, error) {
	switch x := v.(type) {
	case nil:
		return nil, nil
	case []byte:
		if x == nil {
			if f.Null {
				return nil, nil
			}
			return []byte{}, nil
		}
		return x, nil
	case string:
		return f.Parse(x)
	}
	return nil, &ValueError{Field: f.Name, Value: v, Err: errors.New("want []byte")}
}

func binaryFromDB(src any) (any, error) {
	switch x := src.(type) {
	case []byte:
		return append([]byte{}, x...), nil
	case string:
		return []byte(x), nil
	}
	return nil, errors.New("unexpected value for binary data")
}
