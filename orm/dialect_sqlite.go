package orm

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"
)

// SQLite is the dialect for SQLite through a pure-Go driver registered as
// "sqlite" (package orm/sqliteext registers it). Dates and times are stored
// as text in the format Django uses, so Django's SQLite databases read and
// write as-is.
type SQLite struct {
	// CaseFold is set by Open when the connection has the function
	// staffroom_casefold (package orm/sqliteext registers it): the
	// case-insensitive lookups then fold every letter, not only ASCII ones
	// as SQLite's LIKE does.
	CaseFold bool
}

// CaseFoldFunction is the SQL function the SQLite dialect folds case with
// when the program registers it.
const CaseFoldFunction = "staffroom_casefold"

func (d SQLite) fold(expr string) string {
	if d.CaseFold {
		return CaseFoldFunction + "(" + expr + ")"
	}
	return expr
}

// Name implements Dialect.
func (SQLite) Name() string { return "sqlite" }

// DriverName implements Dialect.
func (SQLite) DriverName() string { return "sqlite" }

// Quote implements Dialect.
func (SQLite) Quote(ident string) string { return quoteDouble(ident) }

// qualify implements qualifier.
func (SQLite) qualify(table, column string) string { return qualifyWith(`"`, table, column) }

// writeQuoted implements qualifier.
func (SQLite) writeQuoted(sb *strings.Builder, ident string) { writeQuotedWith(sb, `"`, ident) }

// Placeholder implements Dialect.
func (SQLite) Placeholder(n int) string { return questionMark(n) }

// Returning implements Dialect.
func (SQLite) Returning() bool { return true }

// AutoIncrement implements Dialect.
func (SQLite) AutoIncrement() string { return "PRIMARY KEY AUTOINCREMENT" }

// InlineForeignKeys implements Dialect: SQLite cannot add a constraint to
// an existing table.
func (SQLite) InlineForeignKeys() bool { return true }

// MaxNameLength implements Dialect.
func (SQLite) MaxNameLength() int { return 0 }

// LimitOffset implements Dialect.
func (SQLite) LimitOffset(limit, offset int) string {
	if limit < 0 && offset > 0 {
		return " LIMIT -1 OFFSET " + strconv.Itoa(offset)
	}
	return standardLimitOffset(limit, offset)
}

// TablesSQL implements Dialect.
func (SQLite) TablesSQL() string {
	return `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\_%' ESCAPE '\'`
}

// ColumnsSQL implements Dialect.
func (SQLite) ColumnsSQL() string { return "SELECT name FROM pragma_table_info(?)" }

// IndexesSQL implements Dialect.
func (SQLite) IndexesSQL() string { return "SELECT name FROM pragma_index_list(?)" }

// ColumnType implements Dialect, with Django's SQLite types.
func (SQLite) ColumnType(f *Field) string {
	switch f.Kind {
	case KindAuto, KindBigAuto:
		return "integer"
	case KindChar, KindSlug, KindEmail, KindURL, KindFile, KindImage:
		return fmt.Sprintf("varchar(%d)", f.MaxLength)
	case KindText, KindJSON:
		return "text"
	case KindInteger:
		return "integer"
	case KindPositiveInteger:
		return "integer unsigned"
	case KindPositiveSmallInteger:
		return "smallint unsigned"
	case KindPositiveBigInteger:
		return "bigint unsigned"
	case KindTime:
		return "time"
	case KindDuration:
		return "bigint"
	case KindUUID:
		return "char(32)"
	case KindBinary:
		return "BLOB"
	case KindGenericIPAddress:
		return "char(39)"
	case KindBigInteger:
		return "bigint"
	case KindSmallInteger:
		return "smallint"
	case KindBoolean:
		return "bool"
	case KindDate:
		return "date"
	case KindDateTime:
		return "datetime"
	case KindDecimal:
		return "decimal"
	case KindFloat:
		return "real"
	case KindForeignKey, KindOneToOne:
		return SQLite{}.ColumnType(keyColumn(f, false))
	}
	return "text"
}

// ToDB implements Dialect.
func (SQLite) ToDB(f *Field, v any) any {
	switch x := v.(type) {
	case time.Time:
		switch f.Kind {
		case KindDate:
			return formatDate(x)
		case KindTime:
			return formatTime(x)
		}
		return formatDateTime(x)
	case decimal.Decimal:
		return FormatDecimal(x, f.Places)
	case time.Duration:
		return x.Microseconds()
	case uuid.UUID:
		return uuidHex(x)
	case json.RawMessage:
		return string(x)
	case bool:
		if x {
			return int64(1)
		}
		return int64(0)
	}
	return v
}

// FromDB implements Dialect.
func (SQLite) FromDB(f *Field, src any) (any, error) {
	return fromDBCommon(f, src)
}

// Match implements Dialect. LIKE in SQLite ignores ASCII case, so the
// case-sensitive lookups use GLOB with the value's glob characters escaped.
func (d SQLite) Match(col, param, lookup, value string) (string, any) {
	if caseInsensitive(lookup) {
		if isASCII(value) {
			// LIKE folds ASCII letters itself, much faster than calling the
			// folding function on every row; a pure-ASCII pattern only
			// matches letters that fold to ASCII.
			return col + " LIKE " + param + ` ESCAPE '\'`, likePattern(lookup, value)
		}
		return d.fold(col) + " LIKE " + d.fold(param) + ` ESCAPE '\'`, likePattern(lookup, value)
	}
	g := globEscaper.Replace(value)
	switch lookup {
	case "contains":
		g = "*" + g + "*"
	case "startswith":
		g += "*"
	case "endswith":
		g = "*" + g
	}
	return col + " GLOB " + param, g
}

var globEscaper = strings.NewReplacer("[", "[[]", "*", "[*]", "?", "[?]")

// fromDBCommon converts the driver values every dialect may return.
func fromDBCommon(f *Field, src any) (any, error) {
	if src == nil {
		return nil, nil
	}
	if k := f.otherKey(); k != nil {
		f = k
	}
	if v, ok, err := fromDBKind(f, src); ok {
		return v, err
	}
	if b, ok := src.([]byte); ok {
		src = string(b)
	}
	// A value already of the kind's Go type is returned as it came, not
	// boxed again: a row of a hundred objects is read without allocating
	// for its text and numbers.
	switch {
	case f.Kind.IsString():
		switch x := src.(type) {
		case string:
			return src, nil
		case time.Time:
			return x.Format(DateTimeLayout), nil
		default:
			return fmt.Sprint(x), nil
		}
	case f.Kind.IsInteger() || f.IsForeignKey():
		if _, ok := src.(int64); ok {
			return src, nil
		}
		if n, ok := toInt64(src); ok {
			return n, nil
		}
		if s, ok := src.(string); ok {
			return f.Parse(s)
		}
	}
	switch f.Kind {
	case KindBoolean:
		switch x := src.(type) {
		case bool:
			return src, nil
		case string:
			return f.Parse(x)
		}
		if n, ok := toInt64(src); ok {
			return n != 0, nil
		}
	case KindFloat:
		switch x := src.(type) {
		case float64:
			return src, nil
		case string:
			return f.Parse(x)
		}
		if n, ok := toInt64(src); ok {
			return float64(n), nil
		}
	case KindDecimal:
		switch x := src.(type) {
		case float64:
			return decimalFromFloat(x, int32(f.Places)), nil
		case string:
			return f.Parse(x)
		}
		if n, ok := toInt64(src); ok {
			return decimal.NewFromInt(n), nil
		}
	case KindDate:
		switch x := src.(type) {
		case time.Time:
			if isUTCMidnight(x) {
				return src, nil
			}
			return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), nil
		case string:
			return ParseDate(x)
		}
	case KindDateTime:
		switch x := src.(type) {
		case time.Time:
			if x.Location() == time.UTC {
				return src, nil
			}
			return x.UTC(), nil
		case string:
			return ParseDateTime(x)
		}
	}
	return nil, &ValueError{Field: f.Name, Value: src, Err: fmt.Errorf("unexpected %T from the database", src)}
}

// isUTCMidnight reports whether t is a date as fromDBCommon makes it:
// midnight in UTC.
func isUTCMidnight(t time.Time) bool {
	if t.Location() != time.UTC {
		return false
	}
	h, m, sec := t.Clock()
	return h == 0 && m == 0 && sec == 0 && t.Nanosecond() == 0
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
