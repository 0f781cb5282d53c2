package orm

import (
	"time"
)

// dateRangeLookups are the lookups a year or date part compares by, which
// a range of the column itself can answer.
var dateRangeLookups = map[string]bool{"": true, "exact": true, "gt": true, "gte": true, "lt": true, "lte": true, "range": true}

// asRange compiles a comparison of a column's year (of a date or datetime
// column) or date (of a datetime column) with a literal as a range of the
// column itself, as Django's YearLookup does for years: pubdate__year=2020
// is pubdate >= 2020-01-01 AND pubdate < 2021-01-01, which an index on
// the column serves, where EXTRACT(YEAR FROM pubdate) = 2020 is computed
// on every row. Datetimes are stored in UTC; the periods of a datetime
// column are those of the compiler's zone, whose first instants (local
// midnight, see StartOfDay) become the bounds, so a local day of 23 or
// 25 hours is a range of that length. ok is false when the lookup is not
// of that shape.
func (c *compiler) asRange(t target, value any) (sql string, ok bool, err error) {
	if len(t.transforms) != 1 || t.annotation != nil || !dateRangeLookups[t.lookup] || value == nil {
		return "", false, nil
	}
	if _, isExpr := value.(Expression); isExpr {
		return "", false, nil
	}
	f, part := t.field, t.transforms[0]
	loc := time.UTC
	if f.Kind == KindDateTime {
		loc = c.zone()
	}
	switch {
	case part == "year" && (f.Kind == KindDate || f.Kind == KindDateTime):
	case part == "date" && f.Kind == KindDateTime:
	default:
		return "", false, nil
	}
	// start gives the first instant of the period a value names, next the
	// first instant of the following one.
	start := func(v any) (time.Time, error) {
		if part == "year" {
			n, err := (&Field{Name: f.Name + "__year", Kind: KindInteger}).normalize(v)
			if err != nil {
				return time.Time{}, err
			}
			y, _ := toInt64(n)
			if y < 1 || y > 9998 {
				return time.Time{}, &ValueError{Field: f.Name + "__year", Value: v, Err: errYearRange}
			}
			return StartOfDay(int(y), time.January, 1, loc), nil
		}
		d, err := (&Field{Name: f.Name + "__date", Kind: KindDate}).normalize(v)
		if err != nil {
			return time.Time{}, err
		}
		day := d.(time.Time)
		return StartOfDay(day.Year(), day.Month(), day.Day(), loc), nil
	}
	// next reads the period's local date from its start (which StartOfDay
	// may have moved past midnight) and starts the following one.
	next := func(s time.Time) time.Time {
		s = s.In(loc)
		if part == "year" {
			return StartOfDay(s.Year()+1, time.January, 1, loc)
		}
		return StartOfDay(s.Year(), s.Month(), s.Day()+1, loc)
	}
	bound := func(op string, at time.Time) (string, error) {
		v, err := c.value(f, at)
		if err != nil {
			return "", err
		}
		return t.col + op + v, nil
	}
	between := func(lo, hi time.Time) (string, error) {
		a, err := bound(" >= ", lo)
		if err != nil {
			return "", err
		}
		b, err := bound(" < ", hi)
		if err != nil {
			return "", err
		}
		return "(" + a + " AND " + b + ")", nil
	}
	if t.lookup == "range" {
		items, err := listOf(value)
		if err != nil || len(items) != 2 {
			return "", true, &ValueError{Field: f.Name, Value: value, Err: errRangeTwo}
		}
		lo, err := start(items[0])
		if err != nil {
			return "", true, err
		}
		hi, err := start(items[1])
		if err != nil {
			return "", true, err
		}
		sql, err := between(lo, next(hi))
		return sql, true, err
	}
	s, err := start(value)
	if err != nil {
		return "", true, err
	}
	switch t.lookup {
	case "gt":
		sql, err = bound(" >= ", next(s))
	case "gte":
		sql, err = bound(" >= ", s)
	case "lt":
		sql, err = bound(" < ", s)
	case "lte":
		sql, err = bound(" < ", next(s))
	default:
		sql, err = between(s, next(s))
	}
	return sql, true, err
}
