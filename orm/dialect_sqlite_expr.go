package orm

// SQLite keeps dates as text, so date parts come from strftime.

var sqliteParts = map[string]string{
	"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S",
	"week": "%V", "iso_year": "%G",
}

// Extract implements Dialect.
func (SQLite) Extract(part, col string, datetime bool) string {
	switch part {
	case "date":
		return "date(" + col + ")"
	case "week_day":
		return "(CAST(strftime('%w', " + col + ") AS INTEGER) + 1)"
	case "iso_week_day":
		return "CAST(strftime('%u', " + col + ") AS INTEGER)"
	case "quarter":
		return "((CAST(strftime('%m', " + col + ") AS INTEGER) + 2) / 3)"
	}
	return "CAST(strftime('" + sqliteParts[part] + "', " + col + ") AS INTEGER)"
}

// Trunc implements Dialect.
func (SQLite) Trunc(kind, col string, datetime bool) string {
	switch kind {
	case "year":
		return "strftime('%Y-01-01', " + col + ")"
	case "month":
		return "strftime('%Y-%m-01', " + col + ")"
	case "week":
		return "date(" + col + ", '-6 days', 'weekday 1')"
	case "day":
		return "date(" + col + ")"
	case "hour":
		return "strftime('%Y-%m-%d %H:00:00', " + col + ")"
	case "minute":
		return "strftime('%Y-%m-%d %H:%M:00', " + col + ")"
	}
	return "strftime('%Y-%m-%d %H:%M:%S', " + col + ")"
}

// WallClock implements Dialect: SQLite has no zone data, so the offset,
// computed from Go's, is added as a modifier ("3600 seconds"); the
// fraction of a second is dropped, which no date part needs.
func (SQLite) WallClock(col string, name, offset func() string) string {
	return "datetime(" + col + ", " + offset() + " || ' seconds')"
}

// MatchExpr implements Dialect.
func (d SQLite) MatchExpr(col, expr, lookup string) string {
	pattern := likeAround(lookup, expr, "||")
	if caseInsensitive(lookup) {
		return d.fold(col) + " LIKE " + d.fold(pattern) + ` ESCAPE '\'`
	}
	return col + " GLOB " + globAround(lookup, expr)
}

// Regex implements Dialect. SQLite has no regular expressions of its own:
// the program registers a REGEXP function (package orm/sqliteext does),
// which takes Go's syntax; "(?i)" makes it case-insensitive.
func (SQLite) Regex(col, param string, insensitive bool) (string, string) {
	if insensitive {
		return col + " REGEXP " + param, "(?i)"
	}
	return col + " REGEXP " + param, ""
}

// Search implements Dialect: no full-text search on a plain column (FTS5
// needs its own table), so the compiler's fallback applies.
func (SQLite) Search(col, param string) (string, bool) { return "", false }

// likeAround wraps an SQL expression in the wildcards of a text lookup.
func likeAround(lookup, expr, concat string) string {
	switch lookup {
	case "contains", "icontains":
		return "'%' " + concat + " " + expr + " " + concat + " '%'"
	case "startswith", "istartswith":
		return expr + " " + concat + " '%'"
	case "endswith", "iendswith":
		return "'%' " + concat + " " + expr
	}
	return expr
}

func globAround(lookup, expr string) string {
	switch lookup {
	case "contains":
		return "'*' || " + expr + " || '*'"
	case "startswith":
		return expr + " || '*'"
	case "endswith":
		return "'*' || " + expr
	}
	return expr
}
