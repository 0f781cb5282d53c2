package orm

var mysqlParts = map[string]string{
	"year": "YEAR", "month": "MONTH", "day": "DAYOFMONTH", "hour": "HOUR", "minute": "MINUTE", "second": "SECOND",
	"quarter": "QUARTER", "week_day": "DAYOFWEEK",
}

// Extract implements Dialect. The connection's time zone is UTC (see
// Open), so datetimes read as stored.
func (MySQL) Extract(part, col string, datetime bool) string {
	switch part {
	case "date":
		return "DATE(" + col + ")"
	case "iso_week_day":
		return "(WEEKDAY(" + col + ") + 1)"
	case "week":
		return "WEEK(" + col + ", 3)"
	case "iso_year":
		return "(YEARWEEK(" + col + ", 3) DIV 100)"
	}
	return mysqlParts[part] + "(" + col + ")"
}

// Trunc implements Dialect.
func (MySQL) Trunc(kind, col string, datetime bool) string {
	switch kind {
	case "year":
		return "MAKEDATE(YEAR(" + col + "), 1)"
	case "month":
		return "CAST(DATE_FORMAT(" + col + ", '%Y-%m-01') AS DATE)"
	case "week":
		return "DATE_SUB(DATE(" + col + "), INTERVAL WEEKDAY(" + col + ") DAY)"
	case "day":
		return "DATE(" + col + ")"
	case "hour":
		return "CAST(DATE_FORMAT(" + col + ", '%Y-%m-%d %H:00:00') AS DATETIME)"
	case "minute":
		return "CAST(DATE_FORMAT(" + col + ", '%Y-%m-%d %H:%i:00') AS DATETIME)"
	}
	return "CAST(DATE_FORMAT(" + col + ", '%Y-%m-%d %H:%i:%s') AS DATETIME)"
}

// WallClock implements Dialect with the offset computed from Go's zone
// data: CONVERT_TZ would need the server's time zone tables, which a
// MySQL or MariaDB server often lacks (it then answers NULL).
func (MySQL) WallClock(col string, name, offset func() string) string {
	return "DATE_ADD(" + col + ", INTERVAL " + offset() + " SECOND)"
}

// MatchExpr implements Dialect.
func (MySQL) MatchExpr(col, expr, lookup string) string {
	var pattern string
	switch lookup {
	case "contains", "icontains":
		pattern = "CONCAT('%', " + expr + ", '%')"
	case "startswith", "istartswith":
		pattern = "CONCAT(" + expr + ", '%')"
	case "endswith", "iendswith":
		pattern = "CONCAT('%', " + expr + ")"
	default:
		pattern = expr
	}
	if caseInsensitive(lookup) {
		return col + " LIKE " + pattern
	}
	return col + " LIKE BINARY " + pattern
}

// Regex implements Dialect, Django's MySQL operators.
func (MySQL) Regex(col, param string, insensitive bool) (string, string) {
	if insensitive {
		return col + " REGEXP " + param, ""
	}
	return col + " REGEXP BINARY " + param, ""
}

// Search implements Dialect: MATCH ... AGAINST needs a FULLTEXT index,
// which the compiler uses when the column has one (mysqlSearch); without
// it the compiler's fallback applies.
func (MySQL) Search(col, param string) (string, bool) { return "", false }
