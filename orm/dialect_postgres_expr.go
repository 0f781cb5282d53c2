package orm

// utc reads a timestamptz column in UTC whatever the session's time zone.
func pgUTC(col string, datetime bool) string {
	if datetime {
		return "(" + col + " AT TIME ZONE 'UTC')"
	}
	return col
}

var pgParts = map[string]string{
	"year": "year", "month": "month", "day": "day", "hour": "hour", "minute": "minute", "second": "second",
	"week": "week", "iso_year": "isoyear", "quarter": "quarter", "iso_week_day": "isodow",
}

// Extract implements Dialect.
func (Postgres) Extract(part, col string, datetime bool) string {
	v := pgUTC(col, datetime)
	switch part {
	case "date":
		return v + "::date"
	case "week_day":
		return "(EXTRACT(dow FROM " + v + ")::integer + 1)"
	}
	return "EXTRACT(" + pgParts[part] + " FROM " + v + ")::integer"
}

// Trunc implements Dialect. A plain date-time (a WallClock) truncated to
// an hour, minute or second stays a date-time.
func (Postgres) Trunc(kind, col string, datetime bool) string {
	t := "DATE_TRUNC('" + kind + "', " + pgUTC(col, datetime) + ")"
	if datetime || kind == "hour" || kind == "minute" || kind == "second" {
		return t
	}
	return t + "::date"
}

// WallClock implements Dialect with PostgreSQL's own zone data when the
// zone has a name, else with the offset.
func (Postgres) WallClock(col string, name, offset func() string) string {
	if n := name(); n != "" {
		return "(" + col + " AT TIME ZONE " + n + ")"
	}
	return "(" + pgUTC(col, true) + " + " + offset() + " * INTERVAL '1 second')"
}

// MatchExpr implements Dialect.
func (Postgres) MatchExpr(col, expr, lookup string) string {
	pattern := likeAround(lookup, expr, "||")
	if lookup == "iexact" {
		return "UPPER(" + col + "::text) = UPPER(" + expr + ")"
	}
	if caseInsensitive(lookup) {
		return "UPPER(" + col + "::text) LIKE UPPER(" + pattern + ")"
	}
	return col + "::text LIKE " + pattern
}

// Regex implements Dialect with PostgreSQL's POSIX operators.
func (Postgres) Regex(col, param string, insensitive bool) (string, string) {
	if insensitive {
		return col + "::text ~* " + param, ""
	}
	return col + "::text ~ " + param, ""
}

// Search implements Dialect with PostgreSQL's full-text search.
func (Postgres) Search(col, param string) (string, bool) {
	return PostgresSearchVector(col) + " @@ plainto_tsquery('simple', " + param + ")", true
}

// PostgresSearchVector is the text search vector the search lookup
// compares on PostgreSQL, with the 'simple' configuration (words as
// written, in any language, without stemming) named so that the
// expression is immutable: a GIN index on exactly it serves the lookup,
//
//	CREATE INDEX ... ON book USING GIN (to_tsvector('simple', COALESCE("name"::text, '')))
//
// which `migrate --admin-indexes` makes for an admin's "@name" search
// field.
func PostgresSearchVector(col string) string {
	return "to_tsvector('simple', COALESCE(" + col + "::text, ''))"
}
