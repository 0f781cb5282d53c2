package orm

import (
	"strings"
	"testing"
	"time"
)

// TestQualify: a dialect's one-string qualified column is the column its
// Quote gives, and what writeQuoted writes is what Quote gives, names
// holding quote characters included.
func TestQualify(t *testing.T) {
	names := []string{"book", "T1", `we"ird`, "back`tick", `"`, "", "U3T0"}
	for _, d := range []Dialect{SQLite{}, SQLite{CaseFold: true}, Postgres{}, MySQL{}} {
		q, ok := d.(qualifier)
		if !ok {
			t.Fatalf("%s does not qualify", d.Name())
		}
		for _, table := range names {
			for _, column := range names {
				want := d.Quote(table) + "." + d.Quote(column)
				if got := q.qualify(table, column); got != want {
					t.Errorf("%s: qualify(%q, %q) = %s, want %s", d.Name(), table, column, got, want)
				}
			}
			var sb strings.Builder
			if q.writeQuoted(&sb, table); sb.String() != d.Quote(table) {
				t.Errorf("%s: writeQuoted(%q) wrote %s, want %s", d.Name(), table, sb.String(), d.Quote(table))
			}
		}
	}
}

// TestParseDateTimeSkipsOnlyMisfits: skipping the layouts layoutMayFit
// rules out reads every value as trying them all in turn does.
func TestParseDateTimeSkipsOnlyMisfits(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	inputs := []string{
		"2020-01-02", "2020-01-02 03:04", "2020-01-02T03:04", "2020-01-02 03:04:05",
		"2020-01-02T03:04:05", "2020-01-02 03:04:05.123456", "2020-01-02T03:04:05.1",
		"2020-01-02T03:04:05Z", "2020-01-02T03:04:05.5+02:00", "2020-01-02 03:04:05-07:00",
		"2020-01-02 03:04:05Z", "2020-01-02 03:04:05.999+05:30", "2020-01-02t03:04:05z",
		"2020-01-02 03:04:05 +02:00", "2020-01-02x03:04", "2020-1-2", "20200102", "",
		"2020-01-02 ", " 2020-01-02 03:04 ", "2020-01-02T03:04Z", "2020-01-02 03:04+01:00",
		"12345-01-02 03:04", "2020-01-02 03:04:05.123456789123",
	}
	for _, loc := range []*time.Location{time.UTC, paris} {
		for _, in := range inputs {
			var want time.Time
			wantErr := true
			for _, layout := range dateTimeLayouts {
				if tm, err := time.ParseInLocation(layout, strings.TrimSpace(in), loc); err == nil {
					want, wantErr = tm.UTC(), false
					break
				}
			}
			got, err := ParseDateTimeIn(in, loc)
			if (err != nil) != wantErr || !got.Equal(want) {
				t.Errorf("ParseDateTimeIn(%q, %s) = %v, %v; want %v (error %v)", in, loc, got, err, want, wantErr)
			}
		}
	}
}
