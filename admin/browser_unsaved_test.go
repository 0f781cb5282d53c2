package admin_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/browser"
)

// TestBrowserUnsavedWarning: leaving a change form asks for confirmation
// once a field is edited (unsaved.js), and only then; saving does not ask.
func TestBrowserUnsavedWarning(t *testing.T) {
	app, _ := newSite(t, nil, registerNotes)
	note := &Note{Title: "first"}
	if err := app.DB.Insert(context.Background(), note); err != nil {
		t.Fatal(err)
	}
	base := serve(t, app.Handler)
	change := base + "/admin/notes/note/" + key(note.ID) + "/change/"
	home := `.breadcrumbs a[href="/admin/"]`
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	d := p.Dialogs(false)

	p.Open(change)
	p.Follow(home)
	if got := d.Opened(); len(got) != 0 {
		t.Fatalf("leaving an unedited form opened %q", got)
	}

	p.Open(change)
	p.Type("#id_body", "draft")
	p.Click(home)
	waitDialogs(t, d, 1)
	if got := p.URL(); got != change {
		t.Fatalf("after dismissing the warning the page is %s, want %s", got, change)
	}
	d.Accept(true)
	p.Click(home)
	p.WaitURL(base + "/admin/")
	if got := d.Opened(); !slices.Equal(got, []string{"beforeunload", "beforeunload"}) {
		t.Errorf("dialogs opened: %q", got)
	}
	if got := (&fixture{t: t, app: app}).note("first"); got.Body != "" {
		t.Errorf("leaving saved the body %q", got.Body)
	}

	p.Open(change)
	p.Type("#id_body", "saved")
	p.Click(`input[name="_save"]`)
	p.WaitURL(base + "/admin/notes/note/")
	if got := d.Opened(); len(got) != 2 {
		t.Errorf("saving opened a dialog: %q", got)
	}
	if got := (&fixture{t: t, app: app}).note("first"); got.Body != "saved" {
		t.Errorf("saved body %q", got.Body)
	}
}

// waitDialogs waits until n dialogs have opened.
func waitDialogs(t *testing.T, d *browser.Dialogs, n int) {
	t.Helper()
	deadline := time.Now().Add(browser.Timeout)
	for len(d.Opened()) < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d dialogs opened, want %d", len(d.Opened()), n)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
