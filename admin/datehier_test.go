package admin_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The diary app is the date hierarchy's fixture: events with a date and
// a date-time, and tickets that reach a date through a relation.

type Event struct {
	ID   int64
	Name string    `orm:"max_length=50"`
	Day  time.Time `orm:"type=date"`
	At   time.Time `orm:"null"`
}

func (e *Event) String() string { return e.Name }

type Ticket struct {
	ID    int64
	Code  string                `orm:"max_length=20"`
	Event orm.ForeignKey[Event] `orm:"on_delete=cascade"`
}

func (t *Ticket) String() string { return t.Code }

// newDiary is newSiteWith over the notes and diary apps: events drill
// down by eventHierarchy ("day" or "at"), tickets by "event__day".
func newDiary(t *testing.T, dialect, eventHierarchy string) (*staffroom.App, *webtest.Client) {
	t.Helper()
	return newDiaryIn(t, dialect, eventHierarchy, nil)
}

// newDiaryIn is newDiary with the site's time zone loc.
func newDiaryIn(t *testing.T, dialect, eventHierarchy string, loc *time.Location) (*staffroom.App, *webtest.Client) {
	t.Helper()
	return startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), TimeZone: loc},
		[]orm.AppConfig{notesApp(), {Name: "diary", Models: []any{Event{}, Ticket{}}}},
		func(site *admin.Site) error {
			if err := registerNotes(site); err != nil {
				return err
			}
			if err := site.Register(Event{}, &admin.ModelAdmin{ListDisplay: []any{"name", "day"}, DateHierarchy: eventHierarchy}); err != nil {
				return err
			}
			return site.Register(Ticket{}, &admin.ModelAdmin{ListDisplay: []any{"code", "event"}, DateHierarchy: "event__day"})
		})
}

// diaryEvents are five events over three years, named for their date.
func diaryEvents(t *testing.T, app *staffroom.App) []*Event {
	t.Helper()
	var out []*Event
	for _, d := range []string{"2022-05-01", "2023-01-15", "2023-03-02", "2023-03-20", "2024-12-31"} {
		day, _ := time.Parse(time.DateOnly, d)
		e := &Event{Name: "e" + d, Day: day}
		if err := app.DB.Insert(context.Background(), e); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

// dateNav is the drill-down of a page: the back link ("" when none) and
// each choice as "title=url" (a choice without a link is its title).
func dateNav(r *webtest.Response) (back string, choices []string) {
	r.Find("#date-hierarchy .date-back a").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		back = words(s.Text()) + "=" + href
	})
	r.Find("#date-hierarchy li:not(.date-back)").Each(func(_ int, s *goquery.Selection) {
		if a := s.Find("a"); a.Length() > 0 {
			href, _ := a.Attr("href")
			choices = append(choices, words(a.Text())+"="+href)
			return
		}
		choices = append(choices, words(s.Text()))
	})
	return back, choices
}

func rowNames(r *webtest.Response) []string {
	var out []string
	r.Find("#result_list tbody th").Each(func(_ int, s *goquery.Selection) { out = append(out, words(s.Text())) })
	return out
}

func TestDateHierarchyDrillDown(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		drillDown(t, dialect, false)
		// With an index on the column, the periods are found by a seek
		// each (skipPeriods), not by reading the rows: the same links.
		drillDown(t, dialect, true)
	})
}

func drillDown(t *testing.T, dialect string, indexed bool) {
	app, logged := newDiary(t, dialect, "day")
	diaryEvents(t, app)
	if indexed {
		m, _ := app.DB.Registry().ModelOf(Event{})
		if _, err := app.DB.CreateIndex(context.Background(), m, m.Field("day")); err != nil {
			t.Fatal(err)
		}
	}
	c, n := countingClient(t, app, logged)
	const list = "/admin/diary/event/"
	for _, step := range []struct {
		query string
		back  string
		nav   []string
		rows  int
	}{
		{"?o=1", "", []string{"2022=?day__year=2022&o=1", "2023=?day__year=2023&o=1", "2024=?day__year=2024&o=1"}, 5},
		{"?day__year=2023&o=1", "‹ All dates=?o=1", []string{"January 2023=?day__month=1&day__year=2023&o=1", "March 2023=?day__month=3&day__year=2023&o=1"}, 3},
		{"?day__month=3&day__year=2023&o=1&p=1", "‹ 2023=?day__year=2023&o=1", []string{"March 2=?day__day=2&day__month=3&day__year=2023&o=1", "March 20=?day__day=20&day__month=3&day__year=2023&o=1"}, 2},
		{"?day__day=20&day__month=3&day__year=2023&o=1", "‹ March 2023=?day__month=3&day__year=2023&o=1", []string{"March 20"}, 1},
		// The level is picked from the data: one year shows its months,
		// one month its days, with the links back up.
		{"?name__endswith=23-01-15", "‹ 2023=?day__year=2023&name__endswith=23-01-15", []string{"January 15=?day__day=15&day__month=1&day__year=2023&name__endswith=23-01-15"}, 1},
		{"?name__in=e2023-01-15,e2023-03-02", "‹ All dates=?name__in=e2023-01-15%2Ce2023-03-02", []string{"January 2023=?day__month=1&day__year=2023&name__in=e2023-01-15%2Ce2023-03-02", "March 2023=?day__month=3&day__year=2023&name__in=e2023-01-15%2Ce2023-03-02"}, 2},
		{"?name=nothing", "", nil, 0},
	} {
		r := c.Get(list + step.query)
		expectStatus(t, r, 200)
		back, nav := dateNav(r)
		if back != step.back || !slices.Equal(nav, step.nav) {
			t.Errorf("%s: back %q, choices %q\nwant %q, %q", step.query, back, nav, step.back, step.nav)
		}
		if n := len(rowNames(r)); n != step.rows {
			t.Errorf("%s: %d rows, want %d", step.query, n, step.rows)
		}
	}
	for _, st := range n.Statements() {
		// A list narrowed by another lookup (name) keeps the one query
		// over its rows; an index on the date alone would scan for them.
		narrowed := strings.Contains(st.Query, `"name"`) || strings.Contains(st.Query, "`name`")
		if distinct := strings.Contains(strings.ToUpper(st.Query), "DISTINCT"); indexed && distinct && !narrowed {
			t.Errorf("with an index, the periods are still read from the rows: %s", st.Query)
		}
	}
}

func TestDateHierarchyBadValues(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		_, c := newDiary(t, dialect, "day")
		for _, q := range []string{"day__year=x", "day__year=2023&day__month=13", "day__year=2023&day__month=2&day__day=30", "day__year=", "day__year=2023&day__day=z"} {
			r := c.Get("/admin/diary/event/?" + q + "&o=1")
			if r.StatusCode != 302 || r.Location() != "/admin/diary/event/?e=1" {
				t.Errorf("%s: %d %q, want a redirect to ?e=1", q, r.StatusCode, r.Location())
			}
		}
	})
}

func TestDateHierarchyRelated(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app, c := newDiary(t, dialect, "day")
		events := diaryEvents(t, app)
		for i, e := range events {
			tk := &Ticket{Code: "t" + key(int64(i))}
			tk.Event.ID = e.ID
			if err := app.DB.Insert(context.Background(), tk); err != nil {
				t.Fatal(err)
			}
		}
		r := c.Get("/admin/diary/ticket/")
		expectStatus(t, r, 200)
		if _, nav := dateNav(r); !slices.Equal(nav, []string{"2022=?event__day__year=2022", "2023=?event__day__year=2023", "2024=?event__day__year=2024"}) {
			t.Errorf("years %q", nav)
		}
		r = c.Get("/admin/diary/ticket/?event__day__year=2023&event__day__month=3")
		expectStatus(t, r, 200)
		if back, nav := dateNav(r); back != "‹ 2023=?event__day__year=2023" || len(nav) != 2 {
			t.Errorf("days: %q %q", back, nav)
		}
		if rows := rowNames(r); !slices.Equal(rows, []string{"t3", "t2"}) {
			t.Errorf("rows %q", rows)
		}
	})
}

// TestDateHierarchyLocalTime checks a date-time field drills down by the
// local days of the site's time zone: an event at 23:30 on New Year's Eve in New York
// belongs to the old year there, though it is already the new year in
// UTC.
func TestDateHierarchyLocalTime(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	eachDialect(t, func(t *testing.T, dialect string) {
		for _, indexed := range []bool{false, true} {
			localTime(t, dialect, ny, indexed)
		}
	})
}

func localTime(t *testing.T, dialect string, ny *time.Location, indexed bool) {
	app, c := newDiaryIn(t, dialect, "at", ny)
	if indexed {
		m, _ := app.DB.Registry().ModelOf(Event{})
		if _, err := app.DB.CreateIndex(context.Background(), m, m.Field("at")); err != nil {
			t.Fatal(err)
		}
	}
	for i, at := range []time.Time{time.Date(2023, 12, 31, 23, 30, 0, 0, ny), time.Date(2024, 1, 1, 0, 30, 0, 0, ny)} {
		if err := app.DB.Insert(context.Background(), &Event{Name: "n" + key(int64(i)), Day: at, At: at}); err != nil {
			t.Fatal(err)
		}
	}
	r := c.Get("/admin/diary/event/")
	if _, nav := dateNav(r); !slices.Equal(nav, []string{"2023=?at__year=2023", "2024=?at__year=2024"}) {
		t.Errorf("years %q", nav)
	}
	r = c.Get("/admin/diary/event/?at__year=2023")
	if back, nav := dateNav(r); back != "‹ All dates=?" || !slices.Equal(nav, []string{"December 2023=?at__month=12&at__year=2023"}) || !slices.Equal(rowNames(r), []string{"n0"}) {
		t.Errorf("2023: %q %q rows %q", back, nav, rowNames(r))
	}
	r = c.Get("/admin/diary/event/?at__year=2024&at__month=1")
	if _, nav := dateNav(r); !slices.Equal(nav, []string{"January 1=?at__day=1&at__month=1&at__year=2024"}) || !slices.Equal(rowNames(r), []string{"n1"}) {
		t.Errorf("January 2024: %q rows %q", nav, rowNames(r))
	}
}

// TestDateHierarchySeeks: with an index of (column, date), a list narrowed
// to one value of that column still finds its periods by seeks; and the
// seeks within a chosen period bound the index range by their own start
// only, not also by the period's.
func TestDateHierarchySeeks(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app, logged := newDiary(t, dialect, "day")
		diaryEvents(t, app)
		m, _ := app.DB.Registry().ModelOf(Event{})
		ctx := context.Background()
		if _, err := app.DB.CreateIndex(ctx, m, m.Field("day")); err != nil {
			t.Fatal(err)
		}
		if _, err := app.DB.CreateIndex(ctx, m, m.Field("name"), m.Field("day")); err != nil {
			t.Fatal(err)
		}
		c, n := countingClient(t, app, logged)
		for _, step := range []struct {
			query string
			nav   []string
		}{
			{"?name=e2023-03-20", []string{"March 20=?day__day=20&day__month=3&day__year=2023&name=e2023-03-20"}},
			{"?day__year=2023", []string{"January 2023=?day__month=1&day__year=2023", "March 2023=?day__month=3&day__year=2023"}},
		} {
			before := len(n.Statements())
			r := c.Get("/admin/diary/event/" + step.query)
			expectStatus(t, r, 200)
			if _, nav := dateNav(r); !slices.Equal(nav, step.nav) {
				t.Errorf("%s: choices %q, want %q", step.query, nav, step.nav)
			}
			seeks := 0
			for _, st := range n.Statements()[before:] {
				q := strings.ToUpper(st.Query)
				if strings.Contains(q, "DISTINCT") {
					t.Errorf("%s: the periods are read from the rows: %s", step.query, st.Query)
				}
				if strings.Contains(q, "EXISTS(") && strings.Contains(q, ">=") {
					seeks++
					if strings.Count(q, ">=") > strings.Count(q, "EXISTS(") {
						t.Errorf("%s: a seek bounded twice from below: %s", step.query, st.Query)
					}
				}
			}
			if seeks == 0 {
				t.Errorf("%s: no seek among %d statements", step.query, len(n.Statements())-before)
			}
		}
	})
}

// TestCommonSearchReadsInOrder: a search matching so many rows that a
// page is found sooner by reading the rows in the ordering's index
// (M² ≥ 2·P·N) reads the page and seeks the date hierarchy's periods
// without SQLite's substring index, which still serves the count and a
// rarer term; the rows and periods shown are the same either way.
func TestCommonSearchReadsInOrder(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app, logged := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect)},
			[]orm.AppConfig{notesApp(), {Name: "diary", Models: []any{Event{}, Ticket{}}}},
			func(site *admin.Site) error {
				if err := registerNotes(site); err != nil {
					return err
				}
				return site.Register(Event{}, &admin.ModelAdmin{ListDisplay: []any{"name", "day"}, DateHierarchy: "day",
					SearchFields: []string{"name"}, Ordering: []string{"-day"}, ListPerPage: 2})
			})
		ctx := context.Background()
		// 12 harvest fairs and 8 winter balls, 2021 to 2024.
		for i := range 20 {
			name := fmt.Sprintf("Harvest fair %02d", i)
			if i%5 >= 3 {
				name = fmt.Sprintf("Winter ball %02d", i)
			}
			day := time.Date(2021+i%4, time.Month(1+i%12), 1+i, 0, 0, 0, 0, time.UTC)
			if err := app.DB.Insert(ctx, &Event{Name: name, Day: day}); err != nil {
				t.Fatal(err)
			}
		}
		m, _ := app.DB.Registry().ModelOf(Event{})
		if _, err := app.DB.CreateIndex(ctx, m, m.Field("day")); err != nil {
			t.Fatal(err)
		}
		type page struct{ rows, nav []string }
		show := func(c *webtest.Client, q string) page {
			r := c.Get("/admin/diary/event/?q=" + q)
			expectStatus(t, r, 200)
			_, nav := dateNav(r)
			return page{rowNames(r), nav}
		}
		terms := []string{"harvest", "ball", "fair+2"}
		before := map[string]page{}
		for _, q := range terms {
			before[q] = show(logged, q)
		}
		if want := []string{"Harvest fair 11", "Harvest fair 07"}; !slices.Equal(before["harvest"].rows, want) {
			t.Fatalf("harvest: rows %q, want %q", before["harvest"].rows, want)
		}
		if len(before["harvest"].nav) != 4 {
			t.Fatalf("harvest: periods %q, want the four years", before["harvest"].nav)
		}
		if dialect != "sqlite" {
			return
		}
		if _, err := app.DB.CreateSubstringIndex(ctx, m, m.Field("name")); err != nil {
			t.Fatal(err)
		}
		c, n := countingClient(t, app, logged)
		for _, q := range terms {
			at := len(n.Statements())
			if got := show(c, q); !slices.Equal(got.rows, before[q].rows) || !slices.Equal(got.nav, before[q].nav) {
				t.Errorf("%s with the substring index: %+v, before %+v", q, got, before[q])
			}
			// harvest: 12 of 20 rows, 144 ≥ 2·2·20, read in order; ball
			// (8: 64) and "fair 2" (3) through the substring index.
			common := q == "harvest"
			var pageRead, counted, seeks bool
			for _, st := range n.Statements()[at:] {
				s := strings.ToUpper(st.Query)
				trgm := strings.Contains(s, "_TRGM")
				switch {
				case strings.Contains(s, "COUNT(") && !strings.Contains(s, "EXISTS("):
					counted = counted || trgm
				case strings.Contains(s, "EXISTS(") && strings.Contains(s, ">="):
					seeks = true
					if trgm {
						t.Errorf("%s: a seek reads the substring index: %s", q, st.Query)
					}
				case strings.Contains(s, "LIMIT") && strings.Contains(s, "ORDER BY"):
					pageRead = true
					if trgm == common {
						t.Errorf("%s: the page through the substring index: %v, want %v: %s", q, trgm, !common, st.Query)
					}
				}
			}
			if !pageRead || !counted || seeks != common {
				t.Errorf("%s: page read %v, counted through the substring index %v, seeks %v (want %v)", q, pageRead, counted, seeks, common)
			}
		}
	})
}
