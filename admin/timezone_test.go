package admin_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The lending app holds loans whose times Django stored with TIME_ZONE
// "Europe/Paris": the ten hand-made loans of the django-interop fixture,
// around the 2021 daylight-saving changes and around midnight.

type Loan struct {
	ID       int64
	Name     string `orm:"max_length=20"`
	LoanedAt time.Time
	Returned *time.Time `orm:"null,blank"`
}

func (l *Loan) String() string { return l.Name }

// fixtureLoans are loans 1–10 of the fixture's lending_loan, their
// loaned_at as stored (UTC).
var fixtureLoans = []struct {
	id int64
	at string
}{
	{1, "2021-03-28 00:30:00"}, {2, "2021-03-28 01:30:00"}, {3, "2021-03-27 23:30:00"},
	{4, "2021-10-31 00:30:00"}, {5, "2021-10-31 01:30:00"}, {6, "2021-10-30 22:15:00"},
	{7, "2021-12-31 23:45:00"}, {8, "2021-06-30 22:10:00"}, {9, "2021-01-15 23:00:00"},
	{10, "2021-07-14 21:59:59.123456"},
}

// newLending starts a site whose zone is Europe/Paris, unless the
// request carries a cookie "tz" naming another (the per-request hook).
func newLending(t *testing.T, dialect string) (*staffroom.App, *webtest.Client, *time.Location) {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	hook := func(r *http.Request) *time.Location {
		c, err := r.Cookie("tz")
		if err != nil || c.Value == "" {
			return nil
		}
		loc, err := time.LoadLocation(c.Value)
		if err != nil {
			return nil
		}
		return loc
	}
	app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect), TimeZone: paris, TimeZoneFor: hook},
		[]orm.AppConfig{{Name: "lending", Models: []any{Loan{}}}},
		func(site *admin.Site) error {
			back := admin.Column("back", func(l *Loan) *time.Time { return l.Returned }) // a computed instant
			return site.Register(Loan{}, &admin.ModelAdmin{ListDisplay: []any{"name", "loaned_at", back}, DateHierarchy: "loaned_at",
				ListFilter: []any{"loaned_at"}, Ordering: []string{"id"}, ReadonlyFields: []string{"returned"}})
		})
	ctx := context.Background()
	for _, l := range fixtureLoans {
		at, err := orm.ParseDateTime(l.at)
		if err != nil {
			t.Fatal(err)
		}
		loan := &Loan{ID: l.id, Name: "loan " + key(l.id), LoanedAt: at}
		if l.id == 7 {
			back := time.Date(2022, 1, 20, 23, 10, 0, 0, time.UTC) // 00:10 on the 21st in Paris
			loan.Returned = &back
		}
		if err := app.DB.Insert(ctx, loan); err != nil {
			t.Fatal(err)
		}
	}
	return app, c, paris
}

// TestTimeZoneChangeList: with the site's zone Europe/Paris, the change
// list's lookups, date hierarchy and cells are Paris's, and a request the
// hook puts in UTC gets UTC's.
func TestTimeZoneChangeList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		_, c, _ := newLending(t, dialect)
		const list = "/admin/lending/loan/"
		for _, step := range []struct {
			query, tz string
			rows      []string
		}{
			{"?loaned_at__date=2021-03-28", "", []string{"loan 1", "loan 2", "loan 3"}},
			{"?loaned_at__date=2021-03-28", "UTC", []string{"loan 1", "loan 2"}},
			{"?loaned_at__year=2022", "", []string{"loan 7"}},
			{"?loaned_at__year=2022", "UTC", nil},
			{"?loaned_at__day=1&loaned_at__month=7&loaned_at__year=2021", "", []string{"loan 8"}},
			{"?loaned_at__date=2021-07-01", "", []string{"loan 8"}},
			{"?loaned_at__date=2021-10-31", "", []string{"loan 4", "loan 5", "loan 6"}},
			{"?loaned_at__hour=0", "", []string{"loan 3", "loan 6", "loan 7", "loan 8", "loan 9"}},
		} {
			c.SetCookie("tz", step.tz)
			r := c.Get(list + step.query)
			expectStatus(t, r, 200)
			if got := rowNames(r); !slices.Equal(got, step.rows) {
				t.Errorf("%s (tz %q): rows %q, want %q", step.query, step.tz, got, step.rows)
			}
		}

		checkLocalDrillDown(t, c)
		c.SetCookie("tz", "")
		r := c.Get(list + "?loaned_at__month=3&loaned_at__year=2021&loaned_at__day=28")
		if got := rowNames(r); !slices.Equal(got, []string{"loan 1", "loan 2", "loan 3"}) {
			t.Errorf("local March 28 by the drill-down: %q", got)
		}

		// A cell shows Paris's clocks: loan 2 is 03:30 summer time, loan 7
		// a quarter to one on New Year's Day.
		r = c.Get(list)
		cells := map[string]string{}
		r.Find("#result_list tbody tr").Each(func(_ int, s *goquery.Selection) {
			cells[words(s.Find("th").Text())] = words(s.Find("td.field-loaned_at").Text())
		})
		for name, want := range map[string]string{"loan 2": "March 28, 2021, 3:30 a.m.", "loan 7": "Jan. 1, 2022, 12:45 a.m.", "loan 5": "Oct. 31, 2021, 2:30 a.m."} {
			if cells[name] != want {
				t.Errorf("%s shows %q, want %q", name, cells[name], want)
			}
		}
		// A computed column's instant too: loan 7 came back ten past
		// midnight on the 21st in Paris (23:10 UTC on the 20th).
		r.Find("#result_list tbody tr").Each(func(_ int, s *goquery.Selection) {
			cells[words(s.Find("th").Text())] = words(s.Find("td.field-back").Text())
		})
		for name, want := range map[string]string{"loan 7": "Jan. 21, 2022, 12:10 a.m.", "loan 2": "-"} {
			if cells[name] != want {
				t.Errorf("%s came back %q, want %q", name, cells[name], want)
			}
		}
		c.SetCookie("tz", "UTC")
		r = c.Get(list + "?loaned_at__year=2021&loaned_at__month=12")
		if got := words(r.Find("td.field-loaned_at").First().Text()); got != "Dec. 31, 2021, 11:45 p.m." {
			t.Errorf("loan 7 in UTC shows %q", got)
		}
		c.SetCookie("tz", "")
	})
}

// checkLocalDrillDown checks the date hierarchy of the ten loans: it counts
// local dates, local year 2022 holding loan 7, local July 2021 loan 8
// (UTC's June), and local March 2021 only the 28th (loan 3 is the 27th in
// UTC); a request the hook puts in UTC counts UTC's.
func checkLocalDrillDown(t *testing.T, c *webtest.Client) {
	t.Helper()
	const list = "/admin/lending/loan/"
	for _, step := range []struct {
		query, tz string
		nav       []string
	}{
		{"", "", []string{"2021=?loaned_at__year=2021", "2022=?loaned_at__year=2022"}},
		// In UTC all ten are in 2021: one year shows its months.
		{"", "UTC", []string{"January 2021=?loaned_at__month=1&loaned_at__year=2021",
			"March 2021=?loaned_at__month=3&loaned_at__year=2021", "June 2021=?loaned_at__month=6&loaned_at__year=2021",
			"July 2021=?loaned_at__month=7&loaned_at__year=2021", "October 2021=?loaned_at__month=10&loaned_at__year=2021",
			"December 2021=?loaned_at__month=12&loaned_at__year=2021"}},
		{"?loaned_at__year=2021", "", []string{"January 2021=?loaned_at__month=1&loaned_at__year=2021",
			"March 2021=?loaned_at__month=3&loaned_at__year=2021", "July 2021=?loaned_at__month=7&loaned_at__year=2021",
			"October 2021=?loaned_at__month=10&loaned_at__year=2021"}},
		{"?loaned_at__year=2021", "UTC", []string{"January 2021=?loaned_at__month=1&loaned_at__year=2021",
			"March 2021=?loaned_at__month=3&loaned_at__year=2021", "June 2021=?loaned_at__month=6&loaned_at__year=2021",
			"July 2021=?loaned_at__month=7&loaned_at__year=2021", "October 2021=?loaned_at__month=10&loaned_at__year=2021",
			"December 2021=?loaned_at__month=12&loaned_at__year=2021"}},
		{"?loaned_at__month=3&loaned_at__year=2021", "", []string{"March 28=?loaned_at__day=28&loaned_at__month=3&loaned_at__year=2021"}},
		{"?loaned_at__month=3&loaned_at__year=2021", "UTC", []string{"March 27=?loaned_at__day=27&loaned_at__month=3&loaned_at__year=2021",
			"March 28=?loaned_at__day=28&loaned_at__month=3&loaned_at__year=2021"}},
	} {
		c.SetCookie("tz", step.tz)
		r := c.Get(list + step.query)
		expectStatus(t, r, 200)
		if _, nav := dateNav(r); !slices.Equal(nav, step.nav) {
			t.Errorf("%s (tz %q): choices %q\nwant %q", step.query, step.tz, nav, step.nav)
		}
	}
	c.SetCookie("tz", "")
}

// TestTimeZoneDateHierarchyIndexed: with an index on the column, the
// periods are found by seeks (skipPeriods), in the zone too.
func TestTimeZoneDateHierarchyIndexed(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app, c, _ := newLending(t, dialect)
		m, _ := app.DB.Registry().ModelOf(Loan{})
		if _, err := app.DB.CreateIndex(context.Background(), m, m.Field("loaned_at")); err != nil {
			t.Fatal(err)
		}
		checkLocalDrillDown(t, c)
	})
}

// TestTimeZoneDateFilter: the date filter's "Today" is Paris's day: a
// loan at 00:30 Paris time today, still yesterday in UTC, is in it.
func TestTimeZoneDateFilter(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app, c, paris := newLending(t, dialect)
		now := time.Now().In(paris)
		early := orm.StartOfDay(now.Year(), now.Month(), now.Day(), paris).Add(30 * time.Minute)
		if err := app.DB.Insert(context.Background(), &Loan{ID: 11, Name: "early", LoanedAt: early}); err != nil {
			t.Fatal(err)
		}
		for _, tz := range []string{"", "UTC"} {
			c.SetCookie("tz", tz)
			r := c.Get("/admin/lending/loan/")
			href, ok := r.Find(`#changelist-filter a:contains("Today")`).Attr("href")
			if !ok {
				t.Fatalf("no Today link:\n%s", r.Body)
			}
			q, err := url.ParseQuery(strings.TrimPrefix(href, "?"))
			if err != nil {
				t.Fatal(err)
			}
			loc := paris
			if tz == "UTC" {
				loc = time.UTC
			}
			wantFrom := orm.StartOfDay(time.Now().In(loc).Year(), time.Now().In(loc).Month(), time.Now().In(loc).Day(), loc).Format("2006-01-02 15:04:05-07:00")
			if q.Get("loaned_at__gte") != wantFrom {
				t.Errorf("tz %q: Today from %q, want %q", tz, q.Get("loaned_at__gte"), wantFrom)
			}
			rows := rowNames(c.Get("/admin/lending/loan/" + href))
			inToday := slices.Contains(rows, "early")
			if inUTCToday := early.UTC().Format(time.DateOnly) == time.Now().UTC().Format(time.DateOnly); tz == "UTC" && inToday != inUTCToday || tz == "" && !inToday {
				t.Errorf("tz %q: Today lists %q", tz, rows)
			}
		}
	})
}

// TestTimeZoneChangeForm: the change form shows Paris's clocks and reads
// them: a time the clocks skipped is refused with Django's message, a
// normal one is stored as its UTC instant.
func TestTimeZoneChangeForm(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		app, c, _ := newLending(t, dialect)
		// A read-only date-time shows Paris's clocks.
		ro := c.Get("/admin/lending/loan/7/change/")
		expectStatus(t, ro, 200)
		if got := words(ro.Text(".field-returned .readonly")); got != "Jan. 21, 2022, 12:10 a.m." {
			t.Errorf("read-only returned shows %q", got)
		}
		page := c.Get("/admin/lending/loan/2/change/")
		expectStatus(t, page, 200)
		_, values := page.FormValues("#loan_form")
		if values.Get("loaned_at_0") != "2021-03-28" || values.Get("loaned_at_1") != "03:30:00" {
			t.Errorf("loan 2 shown as %q %q, want Paris's 2021-03-28 03:30:00", values.Get("loaned_at_0"), values.Get("loaned_at_1"))
		}
		r := c.Submit(page, "#loan_form", url.Values{"loaned_at_0": {"2021-03-28"}, "loaned_at_1": {"02:30:00"}}, "_save")
		expectStatus(t, r, 200)
		want := "2021-03-28 02:30:00 couldn’t be interpreted in time zone Europe/Paris; it may be ambiguous or it may not exist."
		if got := r.Text(".field-loaned_at .errorlist"); got != want {
			t.Errorf("gap time: error %q, want %q", got, want)
		}
		r = c.Submit(page, "#loan_form", url.Values{"loaned_at_0": {"2021-10-31"}, "loaned_at_1": {"02:30:00"}}, "_save")
		if got := r.Text(".field-loaned_at .errorlist"); !strings.HasPrefix(got, "2021-10-31 02:30:00 couldn’t be interpreted") {
			t.Errorf("fold time: error %q", got)
		}
		l, err := orm.Get[Loan](context.Background(), orm.For[Loan](app.DB), orm.Q{"id": 2})
		if err != nil {
			t.Fatal(err)
		}
		if !l.LoanedAt.Equal(time.Date(2021, 3, 28, 1, 30, 0, 0, time.UTC)) {
			t.Errorf("a refused form changed the loan: %v", l.LoanedAt)
		}
		r = c.Submit(page, "#loan_form", url.Values{"loaned_at_0": {"2021-07-01"}, "loaned_at_1": {"00:10:00"}}, "_save")
		expectStatus(t, r, 302)
		l, err = orm.Get[Loan](context.Background(), orm.For[Loan](app.DB), orm.Q{"id": 2})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2021, 6, 30, 22, 10, 0, 0, time.UTC); !l.LoanedAt.Equal(want) {
			t.Errorf("stored %v, want %v", l.LoanedAt.UTC(), want)
		}
		// In a request the hook puts in UTC, the same input is UTC's.
		c.SetCookie("tz", "UTC")
		page = c.Get("/admin/lending/loan/2/change/")
		_, values = page.FormValues("#loan_form")
		if values.Get("loaned_at_0") != "2021-06-30" || values.Get("loaned_at_1") != "22:10:00" {
			t.Errorf("UTC form shows %q %q", values.Get("loaned_at_0"), values.Get("loaned_at_1"))
		}
		r = c.Submit(page, "#loan_form", url.Values{"loaned_at_0": {"2021-03-28"}, "loaned_at_1": {"02:30:00"}}, "_save")
		expectStatus(t, r, 302)
		l, err = orm.Get[Loan](context.Background(), orm.For[Loan](app.DB), orm.Q{"id": 2})
		if err != nil {
			t.Fatal(err)
		}
		if want := time.Date(2021, 3, 28, 2, 30, 0, 0, time.UTC); !l.LoanedAt.Equal(want) {
			t.Errorf("stored in UTC %v, want %v", l.LoanedAt.UTC(), want)
		}
		// The history shows its times on Paris's clocks.
		c.SetCookie("tz", "")
		h := c.Get("/admin/lending/loan/2/history/")
		expectStatus(t, h, 200)
		when := words(h.Find("#change-history tbody th").First().Text())
		entries, err := orm.All[admin.LogEntry](context.Background(), orm.For[admin.LogEntry](app.DB).OrderBy("id"))
		if err != nil || len(entries) == 0 {
			t.Fatalf("log entries: %v, %v", entries, err)
		}
		paris, _ := time.LoadLocation("Europe/Paris")
		if want := form.FormatDateTimeIn(entries[0].ActionTime, paris); when != want {
			t.Errorf("history time %q, want Paris's %q", when, want)
		}
	})
}
