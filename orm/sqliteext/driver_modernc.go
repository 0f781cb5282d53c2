//go:build !ncruces

package sqliteext

import (
	"database/sql/driver"
	"fmt"

	"modernc.org/sqlite" // registers the driver "sqlite"

	"github.com/staffroom/staffroom/orm"
)

// Driver is the module of the SQLite driver this program is built with.
const Driver = "modernc.org/sqlite"

func registerFunctions() error {
	if err := sqlite.RegisterDeterministicScalarFunction("regexp", 2, regexpFunc); err != nil {
		return err
	}
	return sqlite.RegisterDeterministicScalarFunction(orm.CaseFoldFunction, 1, casefold)
}

// regexpFunc is SQLite's "X REGEXP Y", called as regexp(Y, X).
func regexpFunc(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	pattern, ok := text(args[0])
	if !ok {
		return nil, nil
	}
	value, ok := text(args[1])
	if !ok {
		return nil, nil
	}
	ok, err := matches(pattern, value)
	if err != nil {
		return nil, err
	}
	if ok {
		return int64(1), nil
	}
	return int64(0), nil
}

func casefold(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
	s, ok := text(args[0])
	if !ok {
		return args[0], nil
	}
	return fold(s), nil
}

func text(v driver.Value) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case []byte:
		return string(x), true
	case nil:
		return "", false
	}
	return fmt.Sprint(v), true
}
