package orm

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
)

// A UUIDField holds a uuid.UUID: char(32) of lower-case hex on SQLite and
// MySQL, as Django stores uuid.hex, and a native uuid on PostgreSQL.

// parseUUID reads a UUID with or without hyphens, in braces or as a URN.
func parseUUID(s string) (uuid.UUID, error) {
	u, err := uuid.Parse(strings.TrimSpace(s))
	if err != nil {
		return uuid.UUID{}, fmt.Errorf("“%s” is not a valid UUID", s)
	}
	return u, nil
}

// uuidHex is the 32 hex digits Django writes to a char(32) column.
func uuidHex(u uuid.UUID) string { return strings.ReplaceAll(u.String(), "-", "") }

// uuidFromDB reads a UUID column: text in either form, or 16 raw bytes.
func uuidFromDB(src any) (any, error) {
	switch x := src.(type) {
	case uuid.UUID:
		return x, nil
	case [16]byte:
		return uuid.UUID(x), nil
	case []byte:
		if len(x) == 16 {
			return uuid.FromBytes(x)
		}
		return parseUUID(string(x))
	case string:
		return parseUUID(x)
	}
	return nil, fmt.Errorf("unexpected %T for a UUID", src)
}
