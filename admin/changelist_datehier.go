package admin

import (
	"context"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// The date hierarchy (Django's date_hierarchy, contract §2.7) narrows the
// change list by year, month and day of DateHierarchy, and shows links to
// drill down. The chosen period always reaches SQL as a range,
// `col >= from AND col < to`, which an index on the column serves; never
// as a function of each row. Date fields use plain dates; date-time
// fields use the request's time zone (the site's, or Config.TimeZoneFor's),
// so a day is a local day, across DST changes too.

// maxDateYears bounds the year links: with more years than that, the
// latest are shown.
const maxDateYears = 100

// dateHierarchyNav is the drill-down shown above the result table: a
// link back up one level, then the periods of the level shown.
type dateHierarchyNav struct {
	Back    *dateLink
	Choices []dateLink
}

// dateLink is one entry of the drill-down; a choice without URL is the
// day chosen, shown as text.
type dateLink struct{ Title, URL string }

// ChoicesHTML is the drill-down's list items, rendered here rather than
// by the template for the reason filterBox.ChoicesHTML gives; empty, for
// the template to range over Choices, when a link is not a plain query
// string.
func (nav dateHierarchyNav) ChoicesHTML() template.HTML {
	var sb strings.Builder
	for _, c := range nav.Choices {
		sb.WriteString("<li>")
		if c.URL == "" {
			sb.WriteString(templateEscaper.Replace(c.Title))
		} else if !writeLink(&sb, c.URL, c.Title) {
			return ""
		}
		sb.WriteString("</li>")
	}
	return template.HTML(sb.String())
}

// datePeriod is a chosen year, month and day; zero means not chosen.
type datePeriod struct{ year, month, day int }

// dateHierarchyPeriod reads the date hierarchy's parameters of field
// from params, as Django's ChangeList does: they are consumed only with a
// year (a month alone stays a plain lookup); the last value of a key
// counts; a value that is not a number of a real date is errLookup. It
// returns params without them.
func dateHierarchyPeriod(field string, params url.Values) (datePeriod, url.Values, error) {
	keys := [3]string{field + "__year", field + "__month", field + "__day"}
	if _, ok := params[keys[0]]; !ok {
		return datePeriod{}, params, nil
	}
	var n [3]int
	for i, k := range keys {
		vs, ok := params[k]
		if !ok {
			continue
		}
		v, err := strconv.Atoi(vs[len(vs)-1])
		if err != nil || v < 1 {
			return datePeriod{}, nil, fmt.Errorf("%w: date hierarchy %s=%q", errLookup, k, vs[len(vs)-1])
		}
		n[i] = v
	}
	p := datePeriod{n[0], n[1], n[2]}
	m, d := max(p.month, 1), max(p.day, 1)
	if p.year > 9999 || m > 12 || time.Date(p.year, time.Month(m), d, 0, 0, 0, 0, time.UTC).Day() != d {
		return datePeriod{}, nil, fmt.Errorf("%w: date hierarchy %d-%d-%d is not a date", errLookup, p.year, m, d)
	}
	out := url.Values{}
	for k, vs := range params {
		if k != keys[0] && k != keys[1] && k != keys[2] {
			out[k] = vs
		}
	}
	return p, out, nil
}

// bounds is the period's [from, to) in loc: a day, a month or a year (a
// day given without a month is a day of January, as in Django).
func (p datePeriod) bounds(loc *time.Location) (from, to time.Time) {
	from = orm.StartOfDay(p.year, time.Month(max(p.month, 1)), max(p.day, 1), loc)
	switch {
	case p.day > 0:
		to = orm.StartOfDay(p.year, time.Month(max(p.month, 1)), p.day+1, loc)
	case p.month > 0:
		to = orm.StartOfDay(p.year, time.Month(p.month)+1, 1, loc)
	default:
		to = orm.StartOfDay(p.year+1, time.January, 1, loc)
	}
	return from, to
}

// dateLocation is where the periods of a date hierarchy field are
// counted: the request's time zone for date-times, plain dates (UTC) for
// dates.
func (cl *ChangeList) dateLocation(ctx context.Context, f *orm.Field) *time.Location {
	if f != nil && f.Kind == orm.KindDateTime {
		return cl.a.site.zone(ctx)
	}
	return time.UTC
}

// applyDateHierarchy is the date hierarchy phase: it consumes the
// hierarchy's parameters and narrows qs to the chosen period with a
// range.
func (cl *ChangeList) applyDateHierarchy(qs orm.QuerySet, params url.Values) (orm.QuerySet, url.Values, error) {
	dh := cl.a.DateHierarchy
	if dh == "" {
		return qs, params, nil
	}
	p, rest, err := dateHierarchyPeriod(dh, params)
	if err != nil || p.year == 0 {
		return qs, rest, err
	}
	cl.datePeriod = p
	cl.undated, cl.hasUndated = qs, true
	f, _ := fieldPath(cl.a.model, dh)
	from, to := p.bounds(cl.dateLocation(cl.req.Context(), f))
	return qs.Filter(orm.Q{dh + "__gte": from, dh + "__lt": to}), rest, nil
}

// buildDateHierarchy computes the drill-down from the decided change
// list, Django's date_hierarchy tag: with no period chosen, the first
// and last dates pick the level (one year → its months, one month → its
// days); then the periods of that level that hold rows become links.
// Each link removes every parameter of the hierarchy before adding its
// own.
func (cl *ChangeList) buildDateHierarchy(ctx context.Context) error {
	dh := cl.a.DateHierarchy
	if dh == "" {
		return nil
	}
	f, _ := fieldPath(cl.a.model, dh)
	loc := cl.dateLocation(ctx, f)
	qs := cl.dateQueryset
	p := cl.datePeriod
	_, hasMonth := cl.q.filters[dh+"__month"]
	_, hasDay := cl.q.filters[dh+"__day"]
	// Seeks in the date's index find the periods when nothing else
	// narrows the list; another filter or a search picks few rows, which
	// an index of its own may find faster than seeks that each read the
	// date's entries until one row passes.
	seek := f != nil && f.Model == qs.Model().ConcreteModel() && cl.seekable(ctx, dh, f)
	var first, last time.Time
	var periods []time.Time
	drilled := false
	if p.year == 0 && !hasMonth && !hasDay && !seek && (f == nil || f.Kind != orm.KindDateTime) {
		// Reading the rows anyway, one DISTINCT per level tells what the
		// first and last dates would: one year held means its months are
		// shown, one month its days. A narrowed list mostly stops at the
		// years, one pass over its rows rather than three.
		var err error
		if periods, p, err = drillDates(ctx, qs, dh); err != nil {
			return lookupError(err)
		}
		drilled = true
	} else if p.year == 0 && !hasMonth && !hasDay {
		var ok bool
		var err error
		if first, last, ok, err = dateSpan(ctx, qs, dh, loc); err != nil {
			return lookupError(err)
		}
		if ok && first.Year() == last.Year() {
			p.year = first.Year()
			if first.Month() == last.Month() {
				p.month = int(first.Month())
			}
		}
	}
	link := func(set datePeriod) string {
		v := url.Values{}
		for i, n := range []int{set.year, set.month, set.day} {
			if n > 0 {
				v.Set(dh+"__"+[]string{"year", "month", "day"}[i], strconv.Itoa(n))
			}
		}
		return cl.q.filterLink(v, []string{dh + "__"})
	}
	nav := &dateHierarchyNav{}
	cl.DateHierarchy = nav
	switch {
	case p.year > 0 && p.month > 0 && p.day > 0:
		day := time.Date(p.year, time.Month(p.month), p.day, 0, 0, 0, 0, time.UTC)
		nav.Back = &dateLink{day.Format("January 2006"), link(datePeriod{year: p.year, month: p.month})}
		nav.Choices = []dateLink{{Title: day.Format("January 2")}}
		return nil
	case p.year > 0 && p.month > 0:
		nav.Back = &dateLink{strconv.Itoa(p.year), link(datePeriod{year: p.year})}
	case p.year > 0:
		nav.Back = &dateLink{"All dates", link(datePeriod{})}
	}
	if !drilled {
		var err error
		if seek {
			if qs, err = cl.seekBase(); err != nil {
				return lookupError(err)
			}
		}
		if periods, err = datePeriods(ctx, seek, qs, dh, f, loc, p, first, last); err != nil {
			return lookupError(err)
		}
	}
	for _, t := range periods {
		switch {
		case p.month > 0:
			nav.Choices = append(nav.Choices, dateLink{t.Format("January 2"), link(datePeriod{p.year, p.month, t.Day()})})
		case p.year > 0:
			nav.Choices = append(nav.Choices, dateLink{t.Format("January 2006"), link(datePeriod{year: p.year, month: int(t.Month())})})
		default:
			nav.Choices = append(nav.Choices, dateLink{strconv.Itoa(t.Year()), link(datePeriod{year: t.Year()})})
		}
	}
	return nil
}

// dateSpan is the first and last value of field over qs, in loc; ok is
// false when there is none. With an index on the column, the database
// reads both from its ends.
//
// Each end is a query of its own: SQLite reads a lone MIN or MAX from one
// end of an index, but MIN and MAX together from every row.
func dateSpan(ctx context.Context, qs orm.QuerySet, field string, loc *time.Location) (first, last time.Time, ok bool, err error) {
	lo, err := qs.Aggregate(ctx, orm.Min(field).As("first"))
	if err != nil {
		return first, last, false, err
	}
	hi, err := qs.Aggregate(ctx, orm.Max(field).As("last"))
	if err != nil {
		return first, last, false, err
	}
	first, ok1 := lo["first"].(time.Time)
	last, ok2 := hi["last"].(time.Time)
	return first.In(loc), last.In(loc), ok1 && ok2, nil
}

// datePeriods lists the periods of the level below p that hold rows of
// qs, each as its first instant, in order: the years (p has no year),
// the months of p's year or the days of p's month.
//
// For a date field that is Dates, one query whose WHERE is the range
// already applied and whose truncation is only in the select list. The
// database truncates date-times in UTC, which would misplace rows near
// midnight in another zone; so for a date-time field the periods are
// local [from, to) ranges made here, and one query counts each with a
// conditional aggregate.
//
// With seek (the column leads an index), skipPeriods finds them instead,
// a seek in the index per period held, rather than reading every row.
func datePeriods(ctx context.Context, seek bool, qs orm.QuerySet, field string, f *orm.Field, loc *time.Location, p datePeriod, first, last time.Time) ([]time.Time, error) {
	kind := "year"
	switch {
	case p.month > 0:
		kind = "day"
	case p.year > 0:
		kind = "month"
	}
	if seek {
		return skipPeriods(ctx, qs, field, loc, p, kind, first, last)
	}
	if f == nil || f.Kind != orm.KindDateTime {
		dates, err := qs.Dates(ctx, field, kind, false)
		if kind == "year" && len(dates) > maxDateYears {
			dates = dates[len(dates)-maxDateYears:]
		}
		return dates, err
	}
	var starts []time.Time
	switch kind {
	case "day":
		for d := orm.StartOfDay(p.year, time.Month(p.month), 1, loc); int(d.Month()) == p.month; d = nextPeriod(d, "day") {
			starts = append(starts, d)
		}
	case "month":
		for m := 1; m <= 12; m++ {
			starts = append(starts, orm.StartOfDay(p.year, time.Month(m), 1, loc))
		}
	default:
		if first.IsZero() {
			var ok bool
			var err error
			if first, last, ok, err = dateSpan(ctx, qs, field, loc); err != nil || !ok {
				return nil, err
			}
		}
		for y := max(first.Year(), last.Year()-maxDateYears+1); y <= last.Year(); y++ {
			starts = append(starts, orm.StartOfDay(y, time.January, 1, loc))
		}
	}
	return occupied(ctx, qs, field, starts, kind)
}

// drillDates lists the periods of a date field's rows of qs when no
// period is chosen, going down a level while only one period is held:
// the years; the months of the only year; the days of the only month. It
// returns the periods and the period they are within.
func drillDates(ctx context.Context, qs orm.QuerySet, field string) ([]time.Time, datePeriod, error) {
	var p datePeriod
	dates, err := qs.Dates(ctx, field, "year", false)
	if err != nil || len(dates) != 1 {
		if len(dates) > maxDateYears {
			dates = dates[len(dates)-maxDateYears:]
		}
		return dates, p, err
	}
	p.year = dates[0].Year()
	from, to := p.bounds(time.UTC)
	within := qs.Filter(orm.Q{field + "__gte": from, field + "__lt": to})
	if dates, err = within.Dates(ctx, field, "month", false); err != nil || len(dates) != 1 {
		return dates, p, err
	}
	p.month = int(dates[0].Month())
	from, to = p.bounds(time.UTC)
	dates, err = qs.Filter(orm.Q{field + "__gte": from, field + "__lt": to}).Dates(ctx, field, "day", false)
	return dates, p, err
}

// nextPeriod is the start of the day, month or year (kind) after the one
// starting at t.
func nextPeriod(t time.Time, kind string) time.Time {
	y, m, d := t.Date()
	switch kind {
	case "day":
		return orm.StartOfDay(y, m, d+1, t.Location())
	case "month":
		return orm.StartOfDay(y, m+1, 1, t.Location())
	}
	return orm.StartOfDay(y+1, time.January, 1, t.Location())
}

// occupied keeps the periods beginning at starts that hold rows of qs,
// counting each period's rows in one query.
func occupied(ctx context.Context, qs orm.QuerySet, field string, starts []time.Time, kind string) ([]time.Time, error) {
	items := make([]any, len(starts))
	for i, s := range starts {
		items[i] = orm.Count(field, orm.Where(orm.Q{field + "__gte": s, field + "__lt": nextPeriod(s, kind)})).As("p" + strconv.Itoa(i))
	}
	if len(items) == 0 {
		return nil, nil
	}
	counts, err := qs.Aggregate(ctx, items...)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for i, s := range starts {
		if n, _ := counts["p"+strconv.Itoa(i)].(int64); n > 0 {
			out = append(out, s)
		}
	}
	return out, nil
}

// skipPeriods lists the periods of kind within p (the years, within the
// latest maxDateYears) that hold rows of qs: every period between the
// first and last value is probed with an EXISTS in one statement
// (orm.QuerySet.ExistsEach), which an index on the column answers with a
// seek per period, where reading the rows would scan the table.
func skipPeriods(ctx context.Context, qs orm.QuerySet, field string, loc *time.Location, p datePeriod, kind string, first, last time.Time) ([]time.Time, error) {
	var from, to time.Time
	switch kind {
	case "day", "month":
		from, to = p.bounds(loc)
	default:
		if first.IsZero() {
			var ok bool
			var err error
			if first, last, ok, err = dateSpan(ctx, qs, field, loc); err != nil || !ok {
				return nil, err
			}
		}
		from = orm.StartOfDay(max(first.Year(), last.Year()-maxDateYears+1), time.January, 1, loc)
		to = orm.StartOfDay(last.Year()+1, time.January, 1, loc)
	}
	var starts []time.Time
	var bounds []any // each period's start, then the last one's end
	s := from
	for ; s.Before(to) && len(starts) < maxDateYears; s = nextPeriod(s, kind) {
		starts = append(starts, s)
		bounds = append(bounds, s)
	}
	bounds = append(bounds, s)
	held, err := qs.OrderBy(field).ExistsEach(ctx, orm.HalfOpenRanges(field, bounds...)...)
	if err != nil {
		return nil, err
	}
	var out []time.Time
	for i, s := range starts {
		if held[i] {
			out = append(out, s)
		}
	}
	return out, nil
}

// seekBase is the queryset the seeks for periods narrow: the list's,
// built again without the chosen period's range, which each seek's
// narrower range implies. With both, a database may bound its index
// range by the period's start rather than the seek's, and read from there
// at every seek.
func (cl *ChangeList) seekBase() (orm.QuerySet, error) {
	if !cl.hasUndated {
		return cl.dateQueryset, nil
	}
	qs := cl.undated.Filter(filterExprs(cl.Lookups)...)
	qs, _, err := cl.ma.GetSearchResults(cl.req, qs, cl.q.search)
	if cl.scanText {
		qs = qs.WithoutSubstringIndex()
	}
	return qs, err
}

// seekable reports whether an index serves seeks for the periods of the
// date hierarchy's field f: one that f's column leads, when nothing else
// narrows the list, or only a search common enough to be tested row by
// row (searchIsCommon: each seek reads few rows before one matches); or, when
// the list is narrowed to one value of one column (a foreign key, say:
// one publisher's books), one that starts with that column and then f's.
func (cl *ChangeList) seekable(ctx context.Context, dh string, f *orm.Field) bool {
	if !cl.narrowedBeyondDates(dh) || cl.commonSearch && !cl.filteredBeyondDates(dh) {
		return cl.a.site.leadsIndex(ctx, f)
	}
	if strings.TrimSpace(cl.q.search) != "" || len(cl.q.filters) != 1 {
		return false
	}
	for k, vs := range cl.q.filters {
		col := equalityColumn(f.Model, k)
		return col != "" && len(vs) == 1 && cl.a.site.indexLeads(ctx, f.Model.Table, col+","+f.Column)
	}
	return false
}

// equalityColumn is the column of m a lookup compares for equality —
// "pages", "pages__exact", a foreign key's "publisher", "publisher__exact",
// "publisher__id__exact" or "publisher_id__exact" — or "" for another
// lookup.
func equalityColumn(m *orm.Model, lookup string) string {
	parts := strings.Split(strings.TrimSuffix(lookup, "__exact"), "__")
	f := m.Field(parts[0])
	if f == nil {
		if name, ok := strings.CutSuffix(parts[0], "_id"); ok {
			if fk := m.Field(name); fk != nil && fk.IsForeignKey() && len(parts) == 1 {
				return fk.Column
			}
		}
		return ""
	}
	switch {
	case !f.Concrete():
		return ""
	case len(parts) == 1:
		return f.Column
	case len(parts) == 2 && f.IsForeignKey() && f.Related != nil:
		if key := f.ToField; key == parts[1] || key == "" && (parts[1] == "pk" || parts[1] == f.Related.PK.Name) {
			return f.Column
		}
	}
	return ""
}

// narrowedBeyondDates reports whether the list is narrowed by a search or
// by a lookup other than the date hierarchy's own.
func (cl *ChangeList) narrowedBeyondDates(dh string) bool {
	return strings.TrimSpace(cl.q.search) != "" || cl.filteredBeyondDates(dh)
}

// filteredBeyondDates reports whether a lookup other than the date
// hierarchy's own narrows the list.
func (cl *ChangeList) filteredBeyondDates(dh string) bool {
	for k := range cl.q.filters {
		if !strings.HasPrefix(k, dh+"__") {
			return true
		}
	}
	return false
}
