package orm_test

import (
	"bufio"
	"context"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Loan is the fixture's lending_loan, reduced to its datetimes.
type Loan struct {
	ID         int64
	LoanedAt   time.Time
	ReturnedAt *time.Time
}

func paris(t testing.TB) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// parisLoans reads the 900 loans Django stored with TIME_ZONE
// "Europe/Paris" (testdata/paris_loans.csv, copied from the
// django-interop fixture's lending_loan).
func parisLoans(t testing.TB) []Loan {
	t.Helper()
	f, err := os.Open("testdata/paris_loans.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []Loan
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		cols := strings.Split(line, ",")
		id, err := strconv.ParseInt(cols[0], 10, 64)
		must(t, err)
		at, err := orm.ParseDateTime(cols[1])
		must(t, err)
		l := Loan{ID: id, LoanedAt: at}
		if cols[2] != "" {
			back, err := orm.ParseDateTime(cols[2])
			must(t, err)
			l.ReturnedAt = &back
		}
		out = append(out, l)
	}
	must(t, sc.Err())
	return out
}

// openZoned opens a fresh database of dialect d whose site zone is loc,
// holding the fixture's loans.
func openZoned(t *testing.T, d string, loc *time.Location, loans []Loan) *orm.DB {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "lending", Models: []any{Loan{}}}); err != nil {
		t.Fatal(err)
	}
	db, err := orm.Open(testdb.URL(t, d), reg, orm.Options{TimeZone: loc})
	must(t, err)
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	must(t, db.Migrate(ctx))
	objs := make([]any, len(loans))
	for i := range loans {
		objs[i] = &loans[i]
	}
	must(t, db.BulkCreate(ctx, objs, 300))
	return db
}

func loanIDs(t testing.TB, ctx context.Context, qs orm.QuerySet) []int64 {
	t.Helper()
	objs, err := qs.OrderBy("id").All(ctx)
	must(t, err)
	ids := []int64{}
	for _, o := range objs {
		ids = append(ids, o.(*Loan).ID)
	}
	return ids
}

// TestTimeZoneLookups: with the site zone Europe/Paris, date parts of a
// datetime column are Paris's, as Django gives them with USE_TZ and
// TIME_ZONE: the fixture's counts (local 2021-03-28 has loans 1, 2, 3,
// 54 and 480, where UTC's has 1, 2, 54 and 480; local year 2022 only
// loan 7; local 2021-07-01 loan 8, UTC's loan 634), and every extracted
// part agrees with Go's reading of the 900 instants. WithTimeZone(UTC)
// brings back the UTC answers for one context.
func TestTimeZoneLookups(t *testing.T) {
	loc := paris(t)
	loans := parisLoans(t)
	if len(loans) != 900 {
		t.Fatalf("%d loans in testdata", len(loans))
	}
	differ := 0
	for _, l := range loans {
		if l.LoanedAt.In(loc).Format(time.DateOnly) != l.LoanedAt.UTC().Format(time.DateOnly) {
			differ++
		}
	}
	if differ != 68 {
		t.Fatalf("%d loans with a local date unlike UTC's, the fixture says 68", differ)
	}
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := openZoned(t, d, loc, slices.Clone(loans))
			ctx := context.Background()
			utc := orm.WithTimeZone(ctx, time.UTC)
			if db.TimeZone() != loc || db.CurrentTimeZone(utc) != time.UTC {
				t.Fatalf("zones %v, %v", db.TimeZone(), db.CurrentTimeZone(utc))
			}
			cases := []struct {
				q          orm.Q
				paris, utc []int64
			}{
				{orm.Q{"loaned_at__date": "2021-03-28"}, []int64{1, 2, 3, 54, 480}, []int64{1, 2, 54, 480}},
				{orm.Q{"loaned_at__date": "2021-10-31"}, []int64{4, 5, 6, 164}, []int64{4, 5}},
				{orm.Q{"loaned_at__year": 2022}, []int64{7}, []int64{}},
				{orm.Q{"loaned_at__year__gte": 2022}, []int64{7}, []int64{}},
				{orm.Q{"loaned_at__date": "2021-07-01"}, []int64{8}, []int64{634}},
				{orm.Q{"loaned_at__date__range": []string{"2021-07-01", "2021-07-01"}}, []int64{8}, []int64{634}},
				{orm.Q{"loaned_at__date": "2021-01-16", "loaned_at__hour": 0}, []int64{9}, []int64{}},
				// A date-time without an offset is one of the site's zone
				// (Django's default time zone), whatever the context's.
				{orm.Q{"loaned_at__gte": "2021-03-28 00:00", "loaned_at__lt": "2021-03-29"}, []int64{1, 2, 3, 54, 480}, []int64{1, 2, 3, 54, 480}},
				{orm.Q{"loaned_at__gte": "2021-03-28T00:00:00Z", "loaned_at__lt": "2021-03-29 00:00:00+00:00"}, []int64{1, 2, 54, 480}, []int64{1, 2, 54, 480}},
			}
			for _, c := range cases {
				qs := orm.For[Loan](db).Filter(c.q)
				if got := loanIDs(t, ctx, qs); !slices.Equal(got, c.paris) {
					t.Errorf("%v in Paris: %v, want %v", c.q, got, c.paris)
				}
				if got := loanIDs(t, utc, qs); !slices.Equal(got, c.utc) {
					t.Errorf("%v in UTC: %v, want %v", c.q, got, c.utc)
				}
			}

			// A local day is a range from local midnight to the next: 23
			// hours on the day the clocks jumped forward.
			_, args, err := orm.For[Loan](db).Filter(orm.Q{"loaned_at__date": "2021-03-28"}).SQL()
			must(t, err)
			var bounds []time.Time
			for _, a := range args {
				v, err := db.Dialect().FromDB(&orm.Field{Name: "b", Kind: orm.KindDateTime}, a)
				must(t, err)
				bounds = append(bounds, v.(time.Time))
			}
			if len(bounds) != 2 || !bounds[0].Equal(time.Date(2021, 3, 27, 23, 0, 0, 0, time.UTC)) || bounds[1].Sub(bounds[0]) != 23*time.Hour {
				t.Errorf("bounds of local 2021-03-28: %v", bounds)
			}

			// Extracted parts, each compared with Go's reading of every loan.
			parts := map[string]func(time.Time) int{
				"month":    func(t time.Time) int { return int(t.Month()) },
				"day":      func(t time.Time) int { return t.Day() },
				"hour":     func(t time.Time) int { return t.Hour() },
				"week_day": func(t time.Time) int { return int(t.Weekday()) + 1 },
				"minute":   func(t time.Time) int { return t.Minute() },
			}
			probes := map[string]int{"month": 7, "day": 1, "hour": 0, "week_day": 1, "minute": 30}
			for part, of := range parts {
				for _, zone := range []*time.Location{loc, time.UTC} {
					var want []int64
					for _, l := range loans {
						if of(l.LoanedAt.In(zone)) == probes[part] {
							want = append(want, l.ID)
						}
					}
					q := orm.Q{"loaned_at__" + part: probes[part]}
					got := loanIDs(t, orm.WithTimeZone(ctx, zone), orm.For[Loan](db).Filter(q))
					if !slices.Equal(got, want) && !(len(got) == 0 && len(want) == 0) {
						t.Errorf("%v in %v: %d loans, Go reads %d", q, zone, len(got), len(want))
					}
				}
			}
			// Extracted parts combine: July 1 in Paris is loan 8 and the
			// other loans of local July 1.
			got := loanIDs(t, ctx, orm.For[Loan](db).Filter(orm.Q{"loaned_at__month": 7, "loaned_at__day": 1, "loaned_at__year": 2021}))
			if !slices.Contains(got, 8) || slices.Contains(got, 634) {
				t.Errorf("local July 1 by parts: %v", got)
			}
			// A subquery runs in the zone of its query.
			sub := orm.For[Loan](db).Filter(orm.Q{"loaned_at__month": 1, "loaned_at__year": 2022}).Values("id")
			if got := loanIDs(t, ctx, orm.For[Loan](db).Filter(orm.Q{"id__in": sub})); !slices.Equal(got, []int64{7}) {
				t.Errorf("subquery in Paris: %v", got)
			}

			// Dates and DateTimes truncate on Paris's clocks.
			wantDays := map[string]bool{}
			for _, l := range loans {
				wantDays[l.LoanedAt.In(loc).Format(time.DateOnly)] = true
			}
			days, err := orm.For[Loan](db).Filter(orm.Q{"id__lte": 10}).Dates(ctx, "loaned_at", "day", false)
			must(t, err)
			var dayText []string
			for _, dd := range days {
				dayText = append(dayText, dd.Format(time.DateOnly))
			}
			wantTen := []string{"2021-01-16", "2021-03-28", "2021-07-01", "2021-07-14", "2021-10-31", "2022-01-01"}
			if !slices.Equal(dayText, wantTen) {
				t.Errorf("local days of loans 1-10: %v, want %v", dayText, wantTen)
			}
			all, err := orm.For[Loan](db).Dates(ctx, "loaned_at", "day", false)
			must(t, err)
			if len(all) != len(wantDays) {
				t.Errorf("%d local days, Go reads %d", len(all), len(wantDays))
			}
			years, err := orm.For[Loan](db).Dates(ctx, "loaned_at", "year", true)
			must(t, err)
			if len(years) == 0 || years[0].Year() != 2022 {
				t.Errorf("local years: %v", years)
			}
			utcYears, err := orm.For[Loan](db).Dates(utc, "loaned_at", "year", true)
			must(t, err)
			if len(utcYears) == 0 || utcYears[0].Year() != 2021 {
				t.Errorf("UTC years: %v", utcYears)
			}
			hours, err := orm.For[Loan](db).Filter(orm.Q{"id__in": []int64{1, 2, 7}}).DateTimes(ctx, "loaned_at", "hour", false)
			must(t, err)
			wantHours := []time.Time{time.Date(2021, 3, 28, 1, 0, 0, 0, loc), time.Date(2021, 3, 28, 3, 0, 0, 0, loc), time.Date(2022, 1, 1, 0, 0, 0, 0, loc)}
			if len(hours) != 3 {
				t.Fatalf("local hours: %v", hours)
			}
			for i, h := range hours {
				if !h.Equal(wantHours[i]) || h.Location() != loc {
					t.Errorf("local hour %d: %v, want %v", i, h, wantHours[i])
				}
			}

			// Weeks start on a local Monday: loan 84, Monday 2021-05-03
			// 01:33 in Paris, is Sunday in UTC, the week before.
			for _, c := range []struct {
				ctx  context.Context
				loc  *time.Location
				want time.Time
			}{{ctx, loc, time.Date(2021, 5, 3, 0, 0, 0, 0, loc)}, {utc, time.UTC, time.Date(2021, 4, 26, 0, 0, 0, 0, time.UTC)}} {
				weeks, err := orm.For[Loan](db).Filter(orm.Q{"id": 84}).Dates(c.ctx, "loaned_at", "week", false)
				must(t, err)
				if len(weeks) != 1 || weeks[0].Format(time.DateOnly) != c.want.Format(time.DateOnly) {
					t.Errorf("week of loan 84 in %v: %v", c.loc, weeks)
				}
				starts, err := orm.For[Loan](db).Filter(orm.Q{"id": 84}).DateTimes(c.ctx, "loaned_at", "week", false)
				must(t, err)
				if len(starts) != 1 || !starts[0].Equal(c.want) {
					t.Errorf("week start of loan 84 in %v: %v", c.loc, starts)
				}
			}

			// Summer time long after Go's zone data's last explicit year:
			// 2050-07-01 22:30 UTC is 00:30 on July 2 in Paris.
			must(t, db.Insert(ctx, &Loan{ID: 901, LoanedAt: time.Date(2050, 7, 1, 22, 30, 0, 0, time.UTC)}))
			if got := loanIDs(t, ctx, orm.For[Loan](db).Filter(orm.Q{"loaned_at__day": 2, "loaned_at__month": 7, "loaned_at__hour": 0})); !slices.Contains(got, 901) {
				t.Errorf("2050 summer time: %v", got)
			}
		})
	}
}

// TestStartOfDay: a local day starts at midnight, or at the jump when the
// clocks skipped midnight (São Paulo, 2018-11-04, 00:00 → 01:00).
func TestStartOfDay(t *testing.T) {
	sp, err := time.LoadLocation("America/Sao_Paulo")
	must(t, err)
	got := orm.StartOfDay(2018, time.November, 4, sp)
	if want := time.Date(2018, 11, 4, 3, 0, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("São Paulo 2018-11-04 starts at %v, want %v", got.UTC(), want)
	}
	if got := orm.StartOfDay(2021, time.March, 28, paris(t)); !got.Equal(time.Date(2021, 3, 27, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("Paris 2021-03-28 starts at %v", got.UTC())
	}
}

// TestFixtureDateTimesInZone: loaddata reads a date-time with an offset
// ("…Z", as dumpdata writes them) as that instant, and one without as the
// site's clocks say it, as Django's loaddata reads a naive datetime with
// USE_TZ — in the spring gap, the clocks' next valid instant.
func TestFixtureDateTimesInZone(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			db := openZoned(t, d, paris(t), nil)
			ctx := context.Background()
			fixture := `[
{"model": "lending.loan", "pk": 1, "fields": {"loaned_at": "2021-03-28T01:30:00Z", "returned_at": "2021-04-10 11:00:00"}},
{"model": "lending.loan", "pk": 2, "fields": {"loaned_at": "2021-10-31T02:30:00+01:00", "returned_at": "2021-03-28 02:30:00"}}
]`
			_, err := db.LoadData(ctx, strings.NewReader(fixture))
			must(t, err)
			loans, err := orm.All[Loan](ctx, orm.For[Loan](db).OrderBy("id"))
			must(t, err)
			utc := func(p *time.Time) string { return p.UTC().Format("2006-01-02 15:04") }
			for i, want := range [][2]string{{"2021-03-28 01:30", "2021-04-10 09:00"}, {"2021-10-31 01:30", "2021-03-28 01:30"}} {
				if got := [2]string{utc(&loans[i].LoanedAt), utc(loans[i].ReturnedAt)}; got != want {
					t.Errorf("loan %d in UTC: %v, want %v", loans[i].ID, got, want)
				}
			}
		})
	}
}
