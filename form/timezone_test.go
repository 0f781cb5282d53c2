package form

import (
	"strings"
	"testing"
	"time"
)

func parisZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestDateTimeInZone: a date-time field in Europe/Paris reads a typed time
// as Paris's, shows the instant on Paris's clocks, and refuses a time the
// clocks skipped (2021-03-28 02:30) or showed twice (2021-10-31 02:30)
// with Django's message; an explicit offset is taken as given.
func TestDateTimeInZone(t *testing.T) {
	loc := parisZone(t)
	fields := map[string]*Field{
		"input": DateTimeField("when", "", InTimeZone(loc)),
		"split": SplitDateTimeField("when", "", InTimeZone(loc)),
	}
	gap := "2021-03-28 02:30:00 couldn’t be interpreted in time zone Europe/Paris; it may be ambiguous or it may not exist."
	fold := "2021-10-31 02:30:00 couldn’t be interpreted in time zone Europe/Paris; it may be ambiguous or it may not exist."
	for name, f := range fields {
		values := func(date, clock string) []string {
			if name == "split" {
				return []string{date, clock}
			}
			return []string{date + "T" + clock}
		}
		cases := []struct {
			in   []string
			want time.Time
			err  string
		}{
			{values("2021-03-28", "01:30"), time.Date(2021, 3, 28, 0, 30, 0, 0, time.UTC), ""},
			{values("2021-03-28", "03:30"), time.Date(2021, 3, 28, 1, 30, 0, 0, time.UTC), ""},
			{values("2021-03-28", "02:30"), time.Time{}, gap},
			{values("2021-10-31", "02:30"), time.Time{}, fold},
			{values("2021-10-31", "03:00"), time.Date(2021, 10, 31, 2, 0, 0, 0, time.UTC), ""},
			{values("2021-07-14", "23:59:59.123456"), time.Date(2021, 7, 14, 21, 59, 59, 123456000, time.UTC), ""},
			{[]string{"2021-10-31T02:30+01:00"}, time.Date(2021, 10, 31, 1, 30, 0, 0, time.UTC), ""},
			{[]string{"2021-03-28 02:30"}, time.Time{}, gap},
		}
		for _, c := range cases {
			v, err := f.Clean(c.in)
			if c.err != "" {
				if err == nil || err.Error() != c.err {
					t.Errorf("%s %q: %v, %v; want the error %q", name, c.in, v, err, c.err)
				}
				continue
			}
			if err != nil || !v.(time.Time).Equal(c.want) {
				t.Errorf("%s %q: %v, %v; want %v", name, c.in, v, err, c.want)
			}
		}
		shown := strings.Join(f.Format(time.Date(2021, 3, 28, 1, 30, 0, 0, time.UTC)), " ")
		want := map[string]string{"input": "2021-03-28T03:30", "split": "2021-03-28 03:30:00"}[name]
		if shown != want {
			t.Errorf("%s shows %q, want %q", name, shown, want)
		}
	}
	// Without a zone, UTC as before.
	v, err := DateTimeField("when", "").Clean([]string{"2021-03-28T02:30"})
	if err != nil || !v.(time.Time).Equal(time.Date(2021, 3, 28, 2, 30, 0, 0, time.UTC)) {
		t.Errorf("UTC field: %v, %v", v, err)
	}
	if got := FormatDateTimeIn(time.Date(2021, 12, 31, 23, 45, 0, 0, time.UTC), loc); got != "Jan. 1, 2022, 12:45 a.m." {
		t.Errorf("FormatDateTimeIn: %q", got)
	}
}
