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

// MySQL is the dialect for MySQL and MariaDB through
// github.com/go-sql-driver/mysql, registered as "mysql". Types are
// Django's; tables use InnoDB and utf8mb4.
type MySQL struct{}

// Name implements Dialect.
func (MySQL) Name() string { return "mysql" }

// DriverName implements Dialect.
func (MySQL) DriverName() string { return "mysql" }

// Quote implements Dialect.
func (MySQL) Quote(ident string) string { return "`" + strings.ReplaceAll(ident, "`", "``") + "`" }

// qualify implements qualifier.
func (MySQL) qualify(table, column string) string { return qualifyWith("`", table, column) }

// writeQuoted implements qualifier.
func (MySQL) writeQuoted(sb *strings.Builder, ident string) { writeQuotedWith(sb, "`", ident) }

// Placeholder implements Dialect.
func (MySQL) Placeholder(n int) string { return questionMark(n) }

// Returning implements Dialect: MySQL has no INSERT ... RETURNING.
func (MySQL) Returning() bool { return false }

// AutoIncrement implements Dialect.
func (MySQL) AutoIncrement() string { return "PRIMARY KEY AUTO_INCREMENT" }

// InlineForeignKeys implements Dialect.
func (MySQL) InlineForeignKeys() bool { return false }

// MaxNameLength implements Dialect.
func (MySQL) MaxNameLength() int { return 64 }

// LimitOffset implements Dialect: MySQL needs a LIMIT before an OFFSET.
func (MySQL) LimitOffset(limit, offset int) string {
	if limit < 0 && offset > 0 {
		return " LIMIT 18446744073709551615 OFFSET " + strconv.Itoa(offset)
	}
	return standardLimitOffset(limit, offset)
}

// ColumnType implements Dialect.
func (MySQL) ColumnType(f *Field) string {
	switch f.Kind {
	case KindAuto, KindInteger:
		return "integer"
	case KindBigAuto, KindBigInteger:
		return "bigint"
	case KindChar, KindSlug, KindEmail, KindURL, KindFile, KindImage:
		return fmt.Sprintf("varchar(%d)", f.MaxLength)
	case KindText:
		return "longtext"
	case KindSmallInteger:
		return "smallint"
	case KindPositiveInteger:
		return "integer UNSIGNED"
	case KindPositiveSmallInteger:
		return "smallint UNSIGNED"
	case KindPositiveBigInteger:
		return "bigint UNSIGNED"
	case KindTime:
		return "time(6)"
	case KindDuration:
		return "bigint"
	case KindUUID:
		return "char(32)"
	case KindJSON:
		return "json"
	case KindBinary:
		return "longblob"
	case KindGenericIPAddress:
		return "char(39)"
	case KindBoolean:
		return "bool"
	case KindDate:
		return "date"
	case KindDateTime:
		return "datetime(6)"
	case KindDecimal:
		return fmt.Sprintf("numeric(%d, %d)", f.MaxDigits, f.Places)
	case KindFloat:
		return "double precision"
	case KindForeignKey, KindOneToOne:
		return MySQL{}.ColumnType(keyColumn(f, true))
	}
	return "longtext"
}

// ToDB implements Dialect. Times are sent as UTC text, which a DATETIME
// column stores as it is.
func (MySQL) ToDB(f *Field, v any) any {
	switch x := v.(type) {
	case time.Time:
		switch f.Kind {
		case KindDate:
			return formatDate(x)
		case KindTime:
			return formatTime(x)
		}
		return x.UTC().Format(DateTimeLayout)
	case decimal.Decimal:
		return FormatDecimal(x, f.Places)
	case time.Duration:
		return x.Microseconds()
	case uuid.UUID:
		return uuidHex(x)
	case json.RawMessage:
		return string(x)
	}
	return v
}

// FromDB implements Dialect.
func (MySQL) FromDB(f *Field, src any) (any, error) { return fromDBCommon(f, src) }

// Match implements Dialect with Django's MySQL operators: the column's
// case-insensitive collation for the i-lookups, LIKE BINARY otherwise.
func (MySQL) Match(col, param, lookup, value string) (string, any) {
	pattern := likePattern(lookup, value)
	if caseInsensitive(lookup) {
		return col + " LIKE " + param, pattern
	}
	return col + " LIKE BINARY " + param, pattern
}

// TablesSQL implements Dialect.
func (MySQL) TablesSQL() string {
	return "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE'"
}

// ColumnsSQL implements Dialect.
func (MySQL) ColumnsSQL() string {
	return "SELECT column_name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?"
}

// IndexesSQL implements Dialect.
func (MySQL) IndexesSQL() string {
	return "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ?"
}
