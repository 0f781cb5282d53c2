package orm

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// A DurationField holds a time.Duration with microsecond precision: a
// bigint of microseconds on SQLite and MySQL, an interval on PostgreSQL,
// as Django stores it.

const (
	usPerSecond = int64(time.Second / time.Microsecond)
	usPerDay    = 86400 * usPerSecond
	maxDays     = int64(math.MaxInt64/int64(time.Microsecond)) / usPerDay
)

var (
	errDuration   = errors.New("not a duration ([DD] [[HH:]MM:]ss[.uuuuuu])")
	daysPrefix    = regexp.MustCompile(`^(-?\d+) (?:days?, )?`)
	isoDuration   = regexp.MustCompile(`^([-+]?)P(?:(\d+(?:[.,]\d+)?)D)?(?:T(?:(\d+(?:[.,]\d+)?)H)?(?:(\d+(?:[.,]\d+)?)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$`)
	clockWithFrac = regexp.MustCompile(`^(\d+)(?:[.,](\d{1,6})\d{0,6})?$`)
)

// ParseDuration reads a duration in the formats Django's parse_duration
// accepts — "[DD] [[HH:]MM:]ss[.uuuuuu]" with an optional "days, " after
// the day count, ISO 8601 ("P4DT1H15M20S", "-PT5M") and PostgreSQL's
// interval output ("3 days 04:05:06") — and, failing those, Go's own
// ("1h30m").
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if us, ok := parseStandardDuration(s); ok {
		return microseconds(us)
	}
	if us, ok := parseISODuration(s); ok {
		return microseconds(us)
	}
	if us, err := parsePGInterval(s); err == nil {
		return microseconds(us)
	}
	if d, err := time.ParseDuration(s); err == nil && s != "" {
		return d.Truncate(time.Microsecond), nil
	}
	return 0, errDuration
}

// microseconds converts an exact count of microseconds, rounded to a
// whole one, into a Duration, refusing what a Duration cannot hold.
func microseconds(us decimal.Decimal) (time.Duration, error) {
	us = us.Round(0)
	if us.Abs().GreaterThan(decimal.NewFromInt(maxDays * usPerDay)) {
		return 0, fmt.Errorf("a duration is at most %d days", maxDays)
	}
	return time.Duration(us.IntPart()) * time.Microsecond, nil
}

var (
	decSecond = decimal.NewFromInt(usPerSecond)
	decMinute = decimal.NewFromInt(60 * usPerSecond)
	decHour   = decimal.NewFromInt(3600 * usPerSecond)
	decDay    = decimal.NewFromInt(usPerDay)
)

// parseStandardDuration reads Django's own format, which its
// duration_string writes: the days carry their sign, the clock its own.
func parseStandardDuration(s string) (decimal.Decimal, bool) {
	days := decimal.Zero
	if m := daysPrefix.FindStringSubmatch(s); m != nil {
		days = decimal.RequireFromString(m[1])
		s = s[len(m[0]):]
	}
	neg := false
	if rest, ok := strings.CutPrefix(s, "-"); ok {
		neg, s = true, rest
	}
	parts := strings.Split(s, ":")
	if len(parts) > 3 || s == "" {
		return decimal.Zero, false
	}
	m := clockWithFrac.FindStringSubmatch(parts[len(parts)-1])
	if m == nil {
		return decimal.Zero, false
	}
	clock := decimal.RequireFromString(m[1]).Mul(decSecond)
	if m[2] != "" {
		frac, _ := fraction(m[2])
		clock = clock.Add(decimal.NewFromInt(int64(frac)))
	}
	unit := decMinute
	for i := len(parts) - 2; i >= 0; i-- {
		n, err := strconv.ParseUint(parts[i], 10, 32)
		if err != nil {
			return decimal.Zero, false
		}
		clock = clock.Add(decimal.NewFromInt(int64(n)).Mul(unit))
		unit = unit.Mul(decimal.NewFromInt(60))
	}
	if neg {
		clock = clock.Neg()
	}
	return days.Mul(decDay).Add(clock), true
}

// parseISODuration reads ISO 8601's PnDTnHnMnS; its sign covers it all.
func parseISODuration(s string) (decimal.Decimal, bool) {
	m := isoDuration.FindStringSubmatch(s)
	if m == nil {
		return decimal.Zero, false
	}
	us := decimal.Zero
	for i, unit := range []decimal.Decimal{decDay, decHour, decMinute, decSecond} {
		if m[i+2] != "" {
			us = us.Add(decimal.RequireFromString(strings.Replace(m[i+2], ",", ".", 1)).Mul(unit))
		}
	}
	if m[1] == "-" {
		us = us.Neg()
	}
	return us, true
}

// pgUnits are the words of PostgreSQL's interval output, in days; a month
// counts 30 days and a year 365, as Python's drivers read them.
var pgUnits = map[string]int64{"year": 365, "years": 365, "mon": 30, "mons": 30, "day": 1, "days": 1}

// parsePGInterval reads PostgreSQL's default interval output, "1 year 2
// mons 3 days -04:05:06.000007", as microseconds.
func parsePGInterval(s string) (decimal.Decimal, error) {
	words := strings.Fields(s)
	if len(words) == 0 {
		return decimal.Zero, errDuration
	}
	us := decimal.Zero
	for i := 0; i < len(words); i++ {
		w := words[i]
		if strings.Contains(w, ":") {
			clock, err := parsePGClock(w)
			if err != nil || i != len(words)-1 {
				return decimal.Zero, errDuration
			}
			us = us.Add(clock)
			continue
		}
		n, err := strconv.ParseInt(w, 10, 64)
		if err != nil || i+1 >= len(words) || pgUnits[words[i+1]] == 0 {
			return decimal.Zero, errDuration
		}
		us = us.Add(decimal.NewFromInt(n).Mul(decimal.NewFromInt(pgUnits[words[i+1]])).Mul(decDay))
		i++
	}
	return us, nil
}

// parsePGClock reads "[-+]HH:MM:SS[.ffffff]" (hours may exceed 24).
func parsePGClock(w string) (decimal.Decimal, error) {
	neg := false
	switch w[0] {
	case '-':
		neg, w = true, w[1:]
	case '+':
		w = w[1:]
	}
	if len(strings.Split(w, ":")) != 3 {
		return decimal.Zero, errDuration
	}
	us, ok := parseStandardDuration(w)
	if !ok {
		return decimal.Zero, errDuration
	}
	if neg {
		us = us.Neg()
	}
	return us, nil
}

// FormatDuration writes d as Django's duration_string does, the format
// ParseDuration reads first: "[D ]HH:MM:SS[.ffffff]", where the day count
// carries the sign of a negative duration and the clock is never negative
// ("-1 23:59:59.999999" for minus one microsecond).
func FormatDuration(d time.Duration) string {
	us := d.Microseconds()
	days := us / usPerDay
	rem := us % usPerDay
	if rem < 0 {
		days--
		rem += usPerDay
	}
	secs := rem / usPerSecond
	s := fmt.Sprintf("%02d:%02d:%02d", secs/3600, secs/60%60, secs%60)
	if days != 0 {
		s = strconv.FormatInt(days, 10) + " " + s
	}
	if frac := rem % usPerSecond; frac != 0 {
		s += fmt.Sprintf(".%06d", frac)
	}
	return s
}
