package orm_test

import (
	"testing"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// FuzzParseDuration checks ParseDuration never panics and that what it
// accepts, written by FormatDuration, reads back the same.
func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"3 days, 04:05:06", "-1 23:59:59.999999", "15:30", "P4DT1H15M20.5S", "-PT5M",
		"1 year 2 mons 3 days -04:05:06.000007", "1h30m", "106751 23:47:16.854775", "-106752 00:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := orm.ParseDuration(s)
		if err != nil {
			return
		}
		if d%time.Microsecond != 0 {
			t.Fatalf("%q: %v is finer than a microsecond", s, d)
		}
		back, err := orm.ParseDuration(orm.FormatDuration(d))
		if err != nil || back != d {
			t.Fatalf("%q: %v written as %q reads as %v, %v", s, d, orm.FormatDuration(d), back, err)
		}
	})
}

// FuzzParseTime checks ParseTime never panics and keeps to a day.
func FuzzParseTime(f *testing.F) {
	for _, s := range []string{"13:04", "1:2:3", "23:59:59.999999", "00:00:00,1234567", "24:00", "-1:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tm, err := orm.ParseTime(s)
		if err != nil {
			return
		}
		if tm.Year() != 1 || tm.YearDay() != 1 || tm.Location() != time.UTC {
			t.Fatalf("%q: %v is not a time of day", s, tm)
		}
	})
}
