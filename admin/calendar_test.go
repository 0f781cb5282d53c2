package admin_test

import (
	"testing"

	"github.com/staffroom/staffroom/admin"
)

// TestCalendarScript: a form with date or time inputs loads calendar.js;
// one without, or with them read-only only, does not.
func TestCalendarScript(t *testing.T) {
	_, c := newDiary(t, "sqlite", "day")
	if c.Get("/admin/diary/event/add/").Find(`script[src*="/admin/js/calendar"]`).Length() != 1 {
		t.Error("a form with a date input does not load calendar.js")
	}
	f := newKits(t, "sqlite", registerKits(&admin.ModelAdmin{}))
	if f.root.Get("/admin/kits/kit/add/").Find(`script[src*="calendar"]`).Length() != 0 {
		t.Error("a form without date inputs loads calendar.js")
	}
}
