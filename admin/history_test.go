package admin_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

// TestHistoryPages: an object's history is listed oldest first (newest
// last, as Django's), 100 entries a page, with the JSON change messages
// written out.
func TestHistoryPages(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newFixture(t, dialect, registerNotes)
		note := &Note{Title: "Busy"}
		f.insert(note)
		ctx := context.Background()
		root, err := orm.Get[auth.User](ctx, orm.For[auth.User](f.app.DB), orm.Q{"username": "root"})
		if err != nil {
			t.Fatal(err)
		}
		ct, err := orm.Get[contenttype.ContentType](ctx, orm.For[contenttype.ContentType](f.app.DB), orm.Q{"app_label": "notes", "model": "note"})
		if err != nil {
			t.Fatal(err)
		}
		id := key(note.ID)
		start := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
		messages := []string{`[{"added": {}}]`, `[{"changed": {"fields": ["Title", "Body"]}}]`, `[]`, `Renamed by hand`}
		const n = 250
		entries := make([]any, n)
		for i := range entries {
			entries[i] = &admin.LogEntry{ActionTime: start.Add(time.Duration(i) * time.Minute), ObjectID: &id, ObjectRepr: "Busy",
				ChangeMessage: messages[i%len(messages)], ContentType: orm.FK[contenttype.ContentType](ct.ID),
				User: orm.FK[auth.User](root.ID), ActionFlag: admin.Change}
		}
		if err := f.app.DB.BulkCreate(ctx, entries, 100); err != nil {
			t.Fatal(err)
		}
		rows := func(page int) *goquery.Selection {
			r := f.root.Get("/admin/notes/note/" + id + "/history/?p=" + strconv.Itoa(page))
			expectStatus(t, r, 200)
			if page == 1 {
				if got := words(r.Text("p.paginator")); got != "1 2 3 250 entries" {
					t.Errorf("paginator %q", got)
				}
			}
			return r.Find("#change-history tbody tr")
		}
		first := rows(1)
		if first.Length() != 100 {
			t.Fatalf("page 1: %d rows", first.Length())
		}
		want := []string{"Added.", "Changed Title and Body.", "No fields changed.", "Renamed by hand"}
		for i := range want {
			if got := words(first.Eq(i).Find("td").Last().Text()); got != want[i] {
				t.Errorf("row %d: %q, want %q", i, got, want[i])
			}
		}
		last := rows(3)
		if last.Length() != 50 {
			t.Fatalf("page 3: %d rows", last.Length())
		}
		newest := words(last.Last().Find("th").Text())
		oldest := words(first.First().Find("th").Text())
		if newest == oldest || !strings.Contains(oldest, "2024") {
			t.Errorf("oldest %q, newest %q", oldest, newest)
		}
		if got := words(last.Last().Find("td").Last().Text()); got != want[(n-1)%len(want)] {
			t.Errorf("newest message %q", got)
		}
	})
}
