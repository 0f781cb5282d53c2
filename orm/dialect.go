package orm

import (
	"strconv"
	"strings"
)

// Dialect is what differs between databases: identifier quoting, parameter
// placeholders, column types and value conversion. Rarer abilities are
// optional interfaces, as in database/sql/driver.
type Dialect interface {
	// Name is the URL scheme that selects the dialect: "sqlite".
	Name() string
	// DriverName is the database/sql driver the dialect expects.
	DriverName() string
	// Quote quotes an identifier taken from model metadata.
	Quote(ident string) string
	// Placeholder returns the n-th (1-based) bind parameter marker.
	Placeholder(n int) string
	// ColumnType returns the column definition type of a field.
	ColumnType(f *Field) string
	// ToDB converts a canonical Go value (see Field.Parse) into a driver value.
	ToDB(f *Field, v any) any
	// FromDB converts a scanned driver value into the canonical Go value.
	FromDB(f *Field, src any) (any, error)
	// Match returns the SQL for a text lookup (iexact, contains, icontains,
	// startswith, istartswith, endswith, iendswith) of the column expression
	// against the bound parameter param, and the argument to bind, with any
	// wildcard characters of value escaped.
	Match(col, param, lookup, value string) (string, any)
	// Returning reports whether INSERT ... RETURNING is supported.
	Returning() bool
}

// escapeLike escapes the LIKE wildcards in s with a backslash.
func escapeLike(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return r.Replace(s)
}

func quoteDouble(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

func questionMark(int) string { return "?" }

func dollar(n int) string { return "$" + strconv.Itoa(n) }

// likePattern builds the LIKE pattern for a text lookup, escaping value.
func likePattern(lookup, value string) string {
	v := escapeLike(value)
	switch lookup {
	case "contains", "icontains":
		return "%" + v + "%"
	case "startswith", "istartswith":
		return v + "%"
	case "endswith", "iendswith":
		return "%" + v
	}
	return v
}

// caseInsensitive reports whether a text lookup ignores case.
func caseInsensitive(lookup string) bool { return strings.HasPrefix(lookup, "i") }
