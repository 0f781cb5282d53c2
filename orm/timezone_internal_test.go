package orm

import (
	"slices"
	"testing"
	"time"
)

// TestZoneTransitions: the transitions found by jumping with ZoneBounds
// (and scanning by day where it stops advancing) are every change of
// offset a scan of each hour of 1900–2100 sees, to the second.
func TestZoneTransitions(t *testing.T) {
	for _, name := range []string{"Europe/Paris", "America/New_York", "America/Sao_Paulo", "Australia/Lord_Howe", "Asia/Tokyo", "Pacific/Kiritimati"} {
		loc, err := time.LoadLocation(name)
		if err != nil {
			t.Skip("no time zone database:", err)
		}
		got := zoneTransitions(loc)
		var want transitions
		offset := func(t time.Time) int { _, o := t.In(loc).Zone(); return o }
		want.offsets = []int{offset(zoneSpan[0])}
		for h := zoneSpan[0]; h.Before(zoneSpan[1]); h = h.Add(time.Hour) {
			if o := offset(h); o != want.offsets[len(want.offsets)-1] {
				at := h.Add(-time.Hour)
				for offset(at) != o {
					at = at.Add(time.Second)
				}
				want.at = append(want.at, at)
				want.offsets = append(want.offsets, o)
			}
		}
		if !slices.Equal(got.offsets, want.offsets) || !slices.EqualFunc(got.at, want.at, time.Time.Equal) {
			t.Errorf("%s: %d transitions, the hourly scan sees %d", name, len(got.at), len(want.at))
			continue
		}
		again, _ := time.LoadLocation(name)
		if tr := zoneTransitions(again); len(tr.at) != len(got.at) {
			t.Errorf("%s: the cache by name gave %d transitions", name, len(tr.at))
		}
	}
	if !isUTC(time.UTC) || !isUTC(time.FixedZone("Z", 0)) || isUTC(time.FixedZone("X", 3600)) {
		t.Error("isUTC")
	}
}

func BenchmarkZoneTransitionsUncached(b *testing.B) {
	loc, _ := time.LoadLocation("Europe/Paris")
	for i := 0; i < b.N; i++ {
		transitionsMu.Lock()
		clear(transitionsCache)
		transitionsMu.Unlock()
		zoneTransitions(loc)
	}
}
