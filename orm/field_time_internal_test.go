package orm

import (
	"testing"
	"time"
)

// formatDate and formatDateTime write what time.Format writes, for the
// years they write themselves and the ones they leave to Format.
func TestFormatDateLikeFormat(t *testing.T) {
	east := time.FixedZone("east", 5*3600+30*60)
	times := []time.Time{
		{},
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-12, 3, 4, 5, 6, 7, 0, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC),
		time.Date(999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(2024, 2, 29, 9, 8, 7, 123456789, time.UTC),
		time.Date(2024, 2, 29, 1, 0, 0, 500, east),
		time.Date(2003, 10, 9, 10, 30, 0, 10000, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, east),
		time.Now(),
	}
	for at := time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC); at.Year() < 10002; at = at.Add(97*24*time.Hour + 3601001*time.Microsecond) {
		times = append(times, at)
	}
	for _, at := range times {
		if got, want := formatDate(at), at.Format(DateLayout); got != want {
			t.Errorf("formatDate(%v) = %q, want %q", at, got, want)
		}
		layout := "2006-01-02 15:04:05"
		if at.Nanosecond()/1000 != 0 {
			layout += ".000000"
		}
		if got, want := formatDateTime(at), at.UTC().Format(layout); got != want {
			t.Errorf("formatDateTime(%v) = %q, want %q", at, got, want)
		}
	}
}
