package orm

import (
	"strconv"
	"strings"
)

// Dialect is what differs between databases: identifier quoting, parameter
// placeholders, column types, value conversion, text matching and the
// catalogue queries migrate needs.
type Dialect interface {
	// Name is the dialect's name: "sqlite", "postgres" or "mysql".
	Name() string
	// DriverName is the database/sql driver the dialect expects.
	DriverName() string
	// Quote quotes an identifier taken from model metadata.
	Quote(ident string) string
	// Placeholder returns the n-th (1-based) bind parameter marker.
	Placeholder(n int) string
	// ColumnType returns the column type of a field, e.g. "varchar(300)".
	ColumnType(f *Field) string
	// AutoIncrement is what follows the type of an auto primary key column
	// after NOT NULL, e.g. "PRIMARY KEY AUTOINCREMENT".
	AutoIncrement() string
	// InlineForeignKeys reports whether foreign keys are declared in the
	// column definition (SQLite) rather than added by ALTER TABLE once
	// every table exists.
	InlineForeignKeys() bool
	// MaxNameLength is the longest identifier the database takes (0: no
	// limit), for Django's index name truncation.
	MaxNameLength() int
	// ToDB converts a canonical Go value (see Field.Parse) into a driver value.
	ToDB(f *Field, v any) any
	// FromDB converts a scanned driver value into the canonical Go value.
	FromDB(f *Field, src any) (any, error)
	// Match returns the SQL for a text lookup (iexact, contains, icontains,
	// startswith, istartswith, endswith, iendswith) of the column expression
	// against the bound parameter param, and the argument to bind, with any
	// wildcard characters of value escaped.
	Match(col, param, lookup, value string) (string, any)
	// MatchExpr is Match against another expression's SQL instead of a
	// bound value (its wildcards are not escaped).
	MatchExpr(col, expr, lookup string) string
	// Regex returns a regular-expression match of col against the bound
	// pattern param, and a prefix the pattern needs (e.g. "(?i)").
	Regex(col, param string, insensitive bool) (string, string)
	// Search returns a full-text match of col against the bound words, and
	// false when the database has none for a plain column (the compiler
	// then requires every word to occur).
	Search(col, param string) (string, bool)
	// Extract returns a date part of a date or datetime column (year,
	// month, day, week_day, iso_week_day, week, iso_year, quarter, hour,
	// minute, second) as an integer, or its date ("date"), in UTC.
	Extract(part, col string, datetime bool) string
	// Trunc truncates a date or datetime column to the start of its year,
	// month, week (Monday), day, hour, minute or second, in UTC.
	Trunc(kind, col string, datetime bool) string
	// WallClock returns a datetime column (an instant) as the naive
	// date-time the clocks of a time zone showed, which Extract and Trunc
	// then take as a plain date-time (datetime false). name binds the
	// zone's IANA name and returns its placeholder, or "" when the zone has
	// none; offset binds the zone's UTC offset in seconds at the column's
	// instant as an SQL expression. Each binds only when called.
	WallClock(col string, name, offset func() string) string
	// LimitOffset returns the LIMIT/OFFSET clause; limit < 0 means none.
	LimitOffset(limit, offset int) string
	// Returning reports whether INSERT ... RETURNING is supported.
	Returning() bool
	// TablesSQL lists the tables of the current database or schema, one
	// name per row.
	TablesSQL() string
	// ColumnsSQL lists the columns of a table, one name per row; the table
	// name is the one bound parameter.
	ColumnsSQL() string
	// IndexesSQL lists the index names of a table, one per row; the table
	// name is the one bound parameter.
	IndexesSQL() string
}

// keyColumn is a field with the column type of a foreign key to f's
// target: keyKind with the target's sizes (a varchar(2) key gives a
// varchar(2) column).
func keyColumn(f *Field, keepPositive bool) *Field {
	c := &Field{Kind: keyKind(f, keepPositive)}
	if t := f.KeyField(); t != nil {
		c.MaxLength, c.MaxDigits, c.Places = t.MaxLength, t.MaxDigits, t.Places
	}
	return c
}

// keyKind is the kind whose column type a foreign key to f's target has,
// Django's rel_db_type: an auto key's plain integer, and a positive
// integer's signed one unless keepPositive (MySQL keeps the type of the
// target, UNSIGNED included).
func keyKind(f *Field, keepPositive bool) Kind {
	t := f.target
	if t == nil && f.Related != nil {
		t = f.Related.PK
	}
	if t == nil {
		return KindBigInteger
	}
	t = t.linkedKey()
	switch k := t.Kind; {
	case k == KindAuto:
		return KindInteger
	case k == KindBigAuto:
		return KindBigInteger
	case k.IsPositive() && !keepPositive:
		return map[Kind]Kind{KindPositiveInteger: KindInteger, KindPositiveSmallInteger: KindSmallInteger, KindPositiveBigInteger: KindBigInteger}[k]
	default:
		return k
	}
}

// escapeLike escapes the LIKE wildcards in s with a backslash.
func escapeLike(s string) string { return likeEscaper.Replace(s) }

// likeEscaper is made once: a Replacer builds its tables on first use,
// which cost more than the replacing.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// qualifier is a dialect that writes identifiers making fewer strings:
// qualify makes a qualified column, Quote(table) + "." + Quote(column),
// as one string rather than three; writeQuoted writes Quote(ident) into
// a statement being built, making none. Columns and table names are most
// of what a statement quotes.
type qualifier interface {
	qualify(table, column string) string
	writeQuoted(sb *strings.Builder, ident string)
}

// qualifyWith is qualify for a dialect that quotes with the quote
// character doubled inside (quote is `"` or "`").
func qualifyWith(quote, table, column string) string {
	if strings.Contains(table, quote) || strings.Contains(column, quote) {
		return quoteWith(quote, table) + "." + quoteWith(quote, column)
	}
	return quote + table + quote + "." + quote + column + quote
}

// writeQuotedWith is writeQuoted for a dialect that quotes with the quote
// character doubled inside.
func writeQuotedWith(sb *strings.Builder, quote, ident string) {
	if strings.Contains(ident, quote) {
		sb.WriteString(quoteWith(quote, ident))
		return
	}
	sb.WriteString(quote)
	sb.WriteString(ident)
	sb.WriteString(quote)
}

func quoteWith(quote, ident string) string {
	return quote + strings.ReplaceAll(ident, quote, quote+quote) + quote
}

func quoteDouble(ident string) string {
	return `"` + strings.ReplaceAll(ident, `"`, `""`) + `"`
}

// quoteSingle writes s as an SQL string literal, for DDL, where values
// cannot be bound.
func quoteSingle(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

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

// standardLimitOffset is LIMIT n OFFSET m, with OFFSET alone when there is
// no limit.
func standardLimitOffset(limit, offset int) string {
	var b strings.Builder
	if limit >= 0 {
		b.WriteString(" LIMIT " + strconv.Itoa(limit))
	}
	if offset > 0 {
		b.WriteString(" OFFSET " + strconv.Itoa(offset))
	}
	return b.String()
}
