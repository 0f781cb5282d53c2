package orm

import (
	"context"
	"sync"
	"time"
)

// Time zones, as Django's USE_TZ = True has them: a datetime column holds
// an instant in UTC, and the site's zone (Options.TimeZone, Django's
// TIME_ZONE), or the zone a request activated (WithTimeZone, Django's
// timezone.activate), says which wall clock the date parts of the column
// are read on. With a zone, loaned_at__date = 2021-03-28 means the local
// day, from local midnight to the next, which may last 23 or 25 hours;
// loaned_at__month = 7 compares the month the zone's clocks showed; Dates
// and DateTimes truncate on those clocks. Without one, every clock is UTC.
//
// PostgreSQL reads a named zone's clocks from its own time zone data
// (AT TIME ZONE). MySQL's CONVERT_TZ needs the server's time zone tables,
// which are often not loaded, and SQLite has none; on those the offset
// is computed from Go's zone data, as a search of the zone's transitions
// written in SQL, so every database agrees with what Go shows.

// zoneKey is the context key of the active time zone.
type zoneKey struct{}

// WithTimeZone returns a context in which the queries of any DB read
// date parts of datetime columns on the clocks of loc (Django's
// timezone.activate for one request); a nil loc keeps the site's zone.
func WithTimeZone(ctx context.Context, loc *time.Location) context.Context {
	if loc == nil {
		return ctx
	}
	return context.WithValue(ctx, zoneKey{}, loc)
}

// ActiveTimeZone returns the zone WithTimeZone set on ctx, if any.
func ActiveTimeZone(ctx context.Context) (*time.Location, bool) {
	if ctx == nil {
		return nil, false
	}
	loc, ok := ctx.Value(zoneKey{}).(*time.Location)
	return loc, ok
}

// TimeZone returns the site's time zone (Options.TimeZone; UTC when none
// was given), Django's TIME_ZONE.
func (db *DB) TimeZone() *time.Location {
	if db == nil || db.zone == nil {
		return time.UTC
	}
	return db.zone
}

// CurrentTimeZone returns the zone queries run with in ctx: the one
// WithTimeZone activated, or else the site's, Django's
// get_current_timezone.
func (db *DB) CurrentTimeZone(ctx context.Context) *time.Location {
	if loc, ok := ActiveTimeZone(ctx); ok {
		return loc
	}
	return db.TimeZone()
}

// isUTC reports whether loc's clocks are UTC's at every instant.
func isUTC(loc *time.Location) bool {
	if loc == nil || loc == time.UTC {
		return true
	}
	tr := zoneTransitions(loc)
	return len(tr.at) == 0 && tr.offsets[0] == 0
}

// StartOfDay returns the first instant of a local day in loc: midnight,
// or, in the zones whose clocks jumped over midnight that day, the
// instant of the jump. Go's time.Date leaves the choice open for a time
// that does not exist.
func StartOfDay(year int, month time.Month, day int, loc *time.Location) time.Time {
	t := time.Date(year, month, day, 0, 0, 0, 0, loc)
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t
	}
	want := time.Date(year, month, day, 0, 0, 0, 0, time.UTC) // normalized date
	start, end := t.ZoneBounds()
	if t.Day() == want.Day() {
		return start // t is after the jump: the day began with it
	}
	return end // t is on the previous day's clock: the day begins when it ends
}

// zoneSpan bounds the transitions the SQL offset search holds; instants
// outside it take the offset at its nearer end.
var zoneSpan = [2]time.Time{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)}

// transitions are a zone's changes of UTC offset within zoneSpan: from
// at[i] on, the offset is offsets[i+1] seconds; before at[0] it is
// offsets[0].
type transitions struct {
	at      []time.Time
	offsets []int
}

var (
	transitionsMu    sync.Mutex
	transitionsCache = map[any]transitions{}
)

// zoneTransitions lists loc's offset changes within zoneSpan, from Go's
// zone data. They are kept by zone name (time.LoadLocation makes a new
// Location each call) or, for a zone without an IANA name, by Location.
func zoneTransitions(loc *time.Location) transitions {
	var key any = loc
	if name := zoneName(loc); name != "" {
		key = name
	}
	transitionsMu.Lock()
	defer transitionsMu.Unlock()
	if tr, ok := transitionsCache[key]; ok {
		return tr
	}
	var tr transitions
	offset := func(t time.Time) int { _, o := t.In(loc).Zone(); return o }
	tr.offsets = append(tr.offsets, offset(zoneSpan[0]))
	// ZoneBounds jumps from one zone period to the next; past the zone
	// data's last explicit year it may stop advancing, and there the scan
	// goes a day at a time, each change narrowed to its second.
	for t := zoneSpan[0]; ; {
		_, end := t.In(loc).ZoneBounds()
		jump := end.After(t)
		next := t.Add(24 * time.Hour)
		if jump {
			next = end
		} else if !end.IsZero() && !end.Equal(t) {
			break
		}
		if end.IsZero() || !next.Before(zoneSpan[1]) {
			break
		}
		prev, o := tr.offsets[len(tr.offsets)-1], offset(next)
		if o != prev {
			at := next
			if !jump {
				lo, hi := t, next // offset(lo) == prev, offset(hi) != prev
				for hi.Sub(lo) > time.Second {
					mid := lo.Add(hi.Sub(lo) / 2).Truncate(time.Second)
					if offset(mid) == prev {
						lo = mid
					} else {
						hi = mid
					}
				}
				at = hi
			}
			tr.at = append(tr.at, at)
			tr.offsets = append(tr.offsets, o)
		}
		t = next
	}
	if len(transitionsCache) > 64 {
		clear(transitionsCache)
	}
	transitionsCache[key] = tr
	return tr
}

// zoneName returns loc's IANA name when the name loads as a zone of its
// own (so a database with zone data knows it), else "".
func zoneName(loc *time.Location) string {
	name := loc.String()
	if name == "" || name == "Local" || name == "UTC" {
		return ""
	}
	if _, err := time.LoadLocation(name); err != nil {
		return ""
	}
	return name
}

// zone returns the zone the compiler reads datetime columns in.
func (c *compiler) zone() *time.Location {
	if c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// zoned reports whether date parts of datetime columns need converting.
func (c *compiler) zoned() bool { return !isUTC(c.zone()) }

// wallClock returns a datetime column (an instant in UTC) as the naive
// date-time the zone's clocks showed, through the dialect.
func (c *compiler) wallClock(col string) string {
	loc := c.zone()
	name := func() string {
		if n := zoneName(loc); n != "" {
			return c.param(n)
		}
		return ""
	}
	return c.d.WallClock(col, name, func() string { return c.offsetSQL(col, loc) })
}

// offsetSQL is loc's UTC offset, in seconds, at the instant in col: a
// balanced search of the zone's transitions, each bound as a parameter,
// so a row compares about log2(n) of them.
func (c *compiler) offsetSQL(col string, loc *time.Location) string {
	tr := zoneTransitions(loc)
	instant := &Field{Name: "offset", Kind: KindDateTime}
	var build func(lo, hi int) string // offsets[lo..hi]; at[lo..hi-1] split them
	build = func(lo, hi int) string {
		if lo == hi {
			return c.param(int64(tr.offsets[lo]))
		}
		mid := (lo + hi + 1) / 2 // at[mid-1] starts offsets[mid]
		cond := col + " < " + c.param(c.d.ToDB(instant, tr.at[mid-1]))
		left := build(lo, mid-1)
		right := build(mid, hi)
		return "(CASE WHEN " + cond + " THEN " + left + " ELSE " + right + " END)"
	}
	return build(0, len(tr.offsets)-1)
}

// inZone reads a naive local date-time (what a truncation in the zone
// gives back) as the instant it names in loc.
func inZone(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
