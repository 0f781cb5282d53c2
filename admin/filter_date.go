package admin

import (
	"net/url"
	"strings"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// newDateSpec is Django's DateFieldListFilter: Any date, Today, Past 7
// days, This month and This year as [<path>__gte, <path>__lt) ranges, and
// for a nullable field No date and Has date (<path>__isnull). "Today" is
// the day of the request's time zone (the site's, or Config.TimeZoneFor's),
// for a date field too, as Django's localtime(now()).date(): dates are written YYYY-MM-DD, and
// date-times as local midnight with its offset, "2024-10-17
// 00:00:00+02:00", as Django writes an aware datetime. A choice is
// selected when the parameters starting with "<path>__" are exactly its
// own.
func newDateSpec(s fieldSpec, params url.Values) *fieldSpec {
	generic := s.path + "__"
	current := map[string]string{}
	for k, vs := range params {
		if strings.HasPrefix(k, generic) {
			current[k] = vs[len(vs)-1]
		}
	}
	since, until, isnull := generic+"gte", generic+"lt", generic+"isnull"
	expected := []string{since, until}
	if s.field.Null {
		expected = append(expected, isnull)
	}
	s.consume(params, expected...)

	loc := s.a.site.zone(s.r.Context())
	now := time.Now().In(loc)
	day := func(y int, m time.Month, d int) time.Time { return orm.StartOfDay(y, m, d, loc) }
	today := day(now.Year(), now.Month(), now.Day())
	format := func(t time.Time) string {
		if s.field.Kind == orm.KindDateTime {
			return t.Format("2006-01-02 15:04:05-07:00")
		}
		return t.Format("2006-01-02")
	}
	between := func(from, to time.Time) map[string]string {
		return map[string]string{since: format(from), until: format(to)}
	}
	y, m, d := now.Date()
	tomorrow := day(y, m, d+1)
	firstOfMonth := day(y, m, 1)
	firstOfYear := day(y, time.January, 1)
	links := []dateChoice{
		{"Any date", map[string]string{}},
		{"Today", between(today, tomorrow)},
		{"Past 7 days", between(day(y, m, d-7), tomorrow)},
		{"This month", between(firstOfMonth, day(y, m+1, 1))},
		{"This year", between(firstOfYear, day(y+1, time.January, 1))},
	}
	if s.field.Null {
		links = append(links, dateChoice{"No date", map[string]string{isnull: "True"}},
			dateChoice{"Has date", map[string]string{isnull: "False"}})
	}
	for _, l := range links {
		set := url.Values{}
		for k, v := range l.set {
			set[k] = []string{v}
		}
		var cond orm.Expr
		if len(set) > 0 {
			cond = orm.And(filterExprs(set)...)
		}
		s.add(l.title, set, []string{generic}, sameParams(current, l.set), cond)
	}
	return &s
}

// dateChoice is a choice of the date filter: its title and parameters.
type dateChoice struct {
	title string
	set   map[string]string
}

// sameParams reports whether two parameter sets are equal.
func sameParams(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
