package orm

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// Dates returns the distinct dates of a date or datetime field, truncated
// to kind ("year", "month", "week" or "day"), in ascending order (or
// descending when desc is set), Django's dates(). The admin's date
// drill-down is built on it.
func (q QuerySet) Dates(ctx context.Context, field, kind string, desc bool) ([]time.Time, error) {
	switch kind {
	case "year", "month", "week", "day":
	default:
		return nil, q.errf("dates: kind must be year, month, week or day, got %q", kind)
	}
	return q.truncated(ctx, field, kind, desc, false)
}

// DateTimes is Dates for a datetime field, with kinds down to "hour",
// "minute" and "second", Django's datetimes(). The truncation is on the
// clocks of the current zone (see WithTimeZone), and the times returned
// are in it. On a datetime field, Dates gives the zone's dates too.
func (q QuerySet) DateTimes(ctx context.Context, field, kind string, desc bool) ([]time.Time, error) {
	switch kind {
	case "year", "month", "week", "day", "hour", "minute", "second":
	default:
		return nil, q.errf("datetimes: unknown kind %q", kind)
	}
	return q.truncated(ctx, field, kind, desc, true)
}

func (q QuerySet) truncated(ctx context.Context, field, kind string, desc, datetime bool) ([]time.Time, error) {
	c := newCompiler(q.db, q.model)
	c.loc = q.db.CurrentTimeZone(ctx)
	b, err := q.compileBody(c)
	if err != nil {
		return nil, err
	}
	t, err := c.resolve(field)
	if err != nil {
		return nil, err
	}
	if t.field == nil || (t.field.Kind != KindDate && t.field.Kind != KindDateTime) || t.lookup != "" {
		return nil, &FieldError{Model: q.model.Name, Path: field, Msg: "not a date or datetime field"}
	}
	if datetime && t.field.Kind != KindDateTime {
		return nil, &FieldError{Model: q.model.Name, Path: field, Msg: "DateTimes needs a datetime field"}
	}
	expr := c.d.Trunc(kind, t.col, t.field.Kind == KindDateTime)
	zoned := t.field.Kind == KindDateTime && c.zoned()
	if zoned {
		n := len(c.args)
		wall := c.wallClock(t.col)
		expr = c.d.Trunc(kind, wall, false)
		if c.d.Placeholder(1) == "?" {
			// Positional parameters: the select list's come first, once
			// for each time the truncation names the column (MySQL's week
			// names it twice).
			var sel []any
			for range strings.Count(expr, wall) {
				sel = append(sel, c.args[n:]...)
			}
			c.args = append(sel, c.args[:n]...)
		}
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	query := "SELECT DISTINCT " + expr + c.from()
	var where body
	where.where = append(b.where, t.col+" IS NOT NULL")
	where.having = b.having
	query += clauses(&where) + " ORDER BY 1" + dir
	outKind := KindDate
	if datetime {
		outKind = KindDateTime
	}
	out := []time.Time{}
	err = q.scan(ctx, query, c.args, 1, func(raw []any) error {
		v, err := q.db.dialect.FromDB(&Field{Name: field, Kind: outKind}, raw[0])
		if err != nil {
			return err
		}
		tv, ok := v.(time.Time)
		if !ok {
			return fmt.Errorf("orm: dates: unexpected %T", v)
		}
		if zoned && datetime {
			tv = inZone(tv, c.zone())
		}
		out = append(out, tv)
		return nil
	})
	return out, err
}

func clauses(b *body) string {
	var sb strings.Builder
	writeClauses(&sb, b, nil)
	return sb.String()
}
