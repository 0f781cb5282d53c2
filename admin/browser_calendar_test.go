package admin_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp/kb"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// calendar.js used with the keyboard in a real browser: Today, the
// calendar's arrow keys, Page Up, Enter and Escape, and Now.
func TestBrowserCalendar(t *testing.T) {
	app, _ := newDiary(t, "sqlite", "day")
	base := serve(t, app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/diary/event/add/")
	value := func(id string) string { return browser.Eval[string](p, `document.getElementById("`+id+`").value`) }
	active := func() string {
		return browser.Eval[string](p, `document.activeElement.dataset.date || document.activeElement.id || document.activeElement.className`)
	}
	today := time.Now().UTC().Format("2006-01-02")

	p.Click(".field-day .datetimeshortcut")
	if got := value("id_day"); got != today {
		t.Errorf("Today filled in %q, want %q", got, today)
	}

	browser.Eval[bool](p, `document.getElementById("id_day").value = "2024-02-29", true`)
	p.Click(".field-day .date-icon")
	if got := p.Text(".calendarbox h2"); got != "February 2024" {
		t.Errorf("calendar caption %q", got)
	}
	if got := active(); got != "2024-02-29" {
		t.Errorf("the calendar opened with the focus on %q", got)
	}
	p.Type(".calendar-day[tabindex='0']", kb.ArrowRight)
	if got := active(); got != "2024-03-01" || p.Text(".calendarbox h2") != "March 2024" {
		t.Errorf("after → the focus is on %q in %q", got, p.Text(".calendarbox h2"))
	}
	p.Type(".calendar-day[tabindex='0']", kb.ArrowUp+kb.PageUp)
	if got := active(); got != "2024-01-23" {
		t.Errorf("after ↑ and Page Up the focus is on %q, want 2024-01-23", got)
	}
	p.Type(".calendar-day[tabindex='0']", kb.Enter)
	if got := value("id_day"); got != "2024-01-23" {
		t.Errorf("Enter chose %q", got)
	}
	if n := browser.Eval[int](p, `document.querySelectorAll(".calendarbox").length`); n != 0 || active() != "id_day" {
		t.Errorf("after choosing: %d calendars open, the focus on %q", n, active())
	}

	p.Click(".field-day .date-icon")
	p.Type(".calendar-day[tabindex='0']", kb.Escape)
	if n := browser.Eval[int](p, `document.querySelectorAll(".calendarbox").length`); n != 0 || active() != "date-icon" {
		t.Errorf("after Escape: %d calendars open, the focus on %q", n, active())
	}

	// A date-time is a date and a time input, Django's AdminSplitDateTime,
	// each with its shortcuts.
	p.Click(".field-at .datetime .datetimeshortcut")
	if got := value("id_at_0"); got != today {
		t.Errorf("Today filled in %q", got)
	}
	p.Click(".field-at .vTimeField + .datetimeshortcuts .datetimeshortcut")
	if got := value("id_at_1"); len(got) != 8 || got[2] != ':' || got[5] != ':' {
		t.Errorf("Now filled in %q", got)
	}
	if typ := browser.Eval[string](p, `document.getElementById("id_day").type`); typ != "text" {
		t.Errorf("the date input is a %q input, not text in the site's format", typ)
	}
	p.Type("#id_name", "Launch")
	p.ClickLoad(`input[name="_save"]`)
	p.WaitVisible(".messagelist .success")
	ev, err := orm.Get[Event](context.Background(), orm.For[Event](app.DB), orm.Q{"name": "Launch"})
	if err != nil {
		t.Fatal(err)
	}
	if got := ev.At.Format("2006-01-02"); got != today || ev.Day.Format("2006-01-02") != "2024-01-23" {
		t.Errorf("saved day %s at %s", ev.Day, ev.At)
	}
}

// Alarm has a time of day, for the clock.
type Alarm struct {
	ID    int64
	Rings time.Time `orm:"type=time"`
}

// The clock of a time input, with the keyboard: Tab to a time, Enter.
func TestBrowserClock(t *testing.T) {
	f := newProject(t, "sqlite", []orm.AppConfig{{Name: "alarms", Models: []any{Alarm{}}}}, func(s *admin.Site) error {
		return s.Register(Alarm{}, nil)
	})
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/alarms/alarm/add/")
	p.Click(".field-rings .clock-icon")
	if got := browser.Eval[string](p, `document.activeElement.textContent`); got != "Now" {
		t.Errorf("the clock opened with the focus on %q", got)
	}
	p.Type(".clockbox .clock-time", kb.Tab+kb.Tab+kb.Tab+kb.Enter)
	if got := browser.Eval[string](p, `document.getElementById("id_rings").value`); got != "12:00" && got != "12:00:00" {
		t.Errorf("Noon filled in %q", got)
	}
	p.Click(".field-rings .datetimeshortcut")
	if got := browser.Eval[string](p, `document.getElementById("id_rings").value`); len(got) < 5 || got[2] != ':' {
		t.Errorf("Now filled in %q", got)
	}
}

// In a site whose time zone is far from UTC (Kiritimati, UTC+14), Today
// and Now are that zone's, so a date-time filled in by them and saved is
// now, not fourteen hours away.
func TestBrowserCalendarInZone(t *testing.T) {
	zone, err := time.LoadLocation("Pacific/Kiritimati")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	app, _ := newDiaryIn(t, "sqlite", "day", zone)
	base := serve(t, app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/diary/event/add/")
	p.Click(".field-day .datetimeshortcut")
	p.Click(".field-at .datetime .datetimeshortcut")
	p.Click(".field-at .vTimeField + .datetimeshortcuts .datetimeshortcut")
	if got, want := browser.Eval[string](p, `document.getElementById("id_at_0").value`), time.Now().In(zone).Format("2006-01-02"); got != want {
		t.Errorf("Today filled in %q, want Kiritimati's %q", got, want)
	}
	p.Type("#id_name", "Zoned")
	p.ClickLoad(`input[name="_save"]`)
	p.WaitVisible(".messagelist .success")
	ev, err := orm.Get[Event](context.Background(), orm.For[Event](app.DB), orm.Q{"name": "Zoned"})
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(ev.At); d < -time.Minute || d > 2*time.Minute {
		t.Errorf("Today and Now saved %v, %v from now", ev.At, d)
	}
}
