package project_test

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/bookstore/polls"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// TestQuestionChoices drives the question page's choice inline: a
// question added with two choices in one POST, then changed with a choice
// changed, one added and one deleted, each save logged with Django's
// change message; an error anywhere keeps everything unsaved.
func TestQuestionChoices(t *testing.T) { eachDialect(t, questionChoices) }

func questionChoices(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", password)

	add := c.Get("/admin/polls/question/add/")
	expect(t, add, 200)
	if n := add.Find("#choice_set-group tr.form-row:not(.empty-form)").Length(); n != 3 {
		t.Errorf("the add page shows %d blank choices, want 3 (Extra)", n)
	}
	if add.Find(`#choice_set-empty input[name="choice_set-__prefix__-choice_text"]`).Length() != 1 {
		t.Error("no empty form with __prefix__ for Add another")
	}
	if add.Find(`script[src*="admin/js/inlines"]`).Length() != 1 {
		t.Error("the page with an inline does not load inlines.js")
	}
	r := c.Submit(add, "#question_form", url.Values{"question_text": {"What's up?"}, "pub_date": {"2024-05-01T10:00"},
		"choice_set-0-choice_text": {"Not much"}, "choice_set-1-choice_text": {"The sky"}}, "")
	expect(t, r, 302)
	q := question(t, app, "What's up?")
	if got := choiceTexts(t, app, q); !slices.Equal(got, []string{"Not much", "The sky"}) {
		t.Fatalf("choices after adding %v", got)
	}
	entries := logEntries(t, app)
	last := entries[len(entries)-1]
	wantMsg := `[{"added": {}}, {"added": {"name": "choice", "object": "Not much"}}, {"added": {"name": "choice", "object": "The sky"}}]`
	if last.ChangeMessage != wantMsg {
		t.Errorf("addition message %s, want %s", last.ChangeMessage, wantMsg)
	}

	changeURL := fmt.Sprintf("/admin/polls/question/%d/change/", q.ID)
	change := c.Get(changeURL)
	if n := change.Find("#choice_set-group tr.has_original").Length(); n != 2 {
		t.Fatalf("the change page shows %d choices, want 2", n)
	}
	if change.Find(`input[name="choice_set-1-DELETE"]`).Length() != 1 {
		t.Error("no delete box for a saved choice")
	}
	r = c.Submit(change, "#question_form", url.Values{"question_text": {"What's new?"},
		"choice_set-0-choice_text": {"Not much at all"}, "choice_set-1-DELETE": {"on"},
		"choice_set-2-choice_text": {"Just hacking"}}, "")
	expect(t, r, 302)
	if got := choiceTexts(t, app, q); !slices.Equal(got, []string{"Not much at all", "Just hacking"}) {
		t.Fatalf("choices after the change %v", got)
	}
	entries = logEntries(t, app)
	last = entries[len(entries)-1]
	wantMsg = `[{"changed": {"fields": ["Question text"]}}, {"added": {"name": "choice", "object": "Just hacking"}}, ` +
		`{"changed": {"name": "choice", "object": "Not much at all", "fields": ["Choice text"]}}, {"deleted": {"name": "choice", "object": "The sky"}}]`
	if last.ChangeMessage != wantMsg {
		t.Errorf("change message %s, want %s", last.ChangeMessage, wantMsg)
	}
	wantText := "Changed Question text. Added choice “Just hacking”. Changed Choice text for choice “Not much at all”. Deleted choice “The sky”."
	if got := last.Message(); got != wantText {
		t.Errorf("change message text %q, want %q", got, wantText)
	}

	// An error in an inline keeps the question's change unsaved too.
	change = c.Get(changeURL)
	r = c.Submit(change, "#question_form", url.Values{"question_text": {"Changed?"},
		"choice_set-0-choice_text": {"Changed too"}, "choice_set-2-choice_text": {"New"}, "choice_set-2-votes": {"many"}}, "")
	expect(t, r, 200)
	if got := r.Text("p.errornote"); got != "Please correct the error below." {
		t.Errorf("error note %q", got)
	}
	if r.Find("#choice_set-2 ul.errorlist").Length() != 1 {
		t.Error("the inline form's error is not shown by its field")
	}
	// The parent's error and the inline's count together.
	r = c.Submit(change, "#question_form", url.Values{"question_text": {""}, "choice_set-2-votes": {"many"}}, "")
	expect(t, r, 200)
	if got := r.Text("p.errornote"); got != "Please correct the errors below." {
		t.Errorf("error note %q with two errors", got)
	}
	if q2 := question(t, app, "What's new?"); q2.ID != q.ID {
		t.Error("the question changed")
	}
	if got := choiceTexts(t, app, q); !slices.Equal(got, []string{"Not much at all", "Just hacking"}) {
		t.Errorf("choices after failed submissions %v", got)
	}
	if n := len(logEntries(t, app)); n != len(entries) {
		t.Errorf("%d log entries after failed submissions, want %d", n, len(entries))
	}
}

// TestChoiceInlinePermissions: a user who may change questions but only
// view choices sees them as text, without blank or delete rows, and a
// forged submission changes, adds and deletes no choice.
func TestChoiceInlinePermissions(t *testing.T) { eachDialect(t, choiceInlinePermissions) }

func choiceInlinePermissions(t *testing.T, app *staffroom.App) {
	q := seedQuestion(t, app, "Tabs or spaces?", "Tabs", "Spaces")
	c := staffClient(t, app, "viewer", "view_question", "change_question", "view_choice")
	changeURL := fmt.Sprintf("/admin/polls/question/%d/change/", q.ID)
	page := c.Get(changeURL)
	expect(t, page, 200)
	if got := page.Text("#choice_set-0 td.field-choice_text p"); got != "Tabs" {
		t.Errorf("read-only choice shows %q", got)
	}
	if page.Find(`input[name="choice_set-0-choice_text"]`).Length() != 0 {
		t.Error("a view-only choice is editable")
	}
	if page.Find("#choice_set-empty").Length() != 0 || page.Find("#choice_set-group tr.form-row").Length() != 2 {
		t.Error("blank choices offered to a user who may not add")
	}
	if page.Find(`input[name$="-DELETE"]`).Length() != 0 || page.Find("th.delete").Length() != 0 {
		t.Error("delete boxes offered to a user who may not delete")
	}
	r := c.Submit(page, "#question_form", url.Values{"question_text": {"Tabs!"},
		"choice_set-0-choice_text": {"Hacked"}, "choice_set-1-DELETE": {"on"},
		"choice_set-TOTAL_FORMS": {"3"}, "choice_set-2-choice_text": {"Forged"}}, "")
	expect(t, r, 302)
	if got := choiceTexts(t, app, q); !slices.Equal(got, []string{"Tabs", "Spaces"}) {
		t.Errorf("a forged submission changed the choices: %v", got)
	}
	if got := question(t, app, "Tabs!"); got.ID != q.ID {
		t.Error("the question's own change was not saved")
	}
	// Without any permission on choices the inline is absent.
	other := staffClient(t, app, "nochoices", "view_question", "change_question")
	if r := other.Get(changeURL); r.Find("#choice_set-group").Length() != 0 || strings.Contains(r.Body, "choice_set-TOTAL_FORMS") {
		t.Error("an inline without permissions is shown")
	}
}

// TestChoiceInlinePages: an inline of more than 50 objects shows them a
// page at a time, and a submission edits the page it showed.
func TestChoiceInlinePages(t *testing.T) { eachDialect(t, choiceInlinePages) }

func choiceInlinePages(t *testing.T, app *staffroom.App) {
	texts := make([]string, 60)
	for i := range texts {
		texts[i] = fmt.Sprintf("Choice %02d", i+1)
	}
	q := seedQuestion(t, app, "So many?", texts...)
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", password)
	changeURL := fmt.Sprintf("/admin/polls/question/%d/change/", q.ID)
	first := c.Get(changeURL)
	if n := first.Find("#choice_set-group tr.has_original").Length(); n != 50 {
		t.Errorf("page 1 shows %d choices, want 50", n)
	}
	if first.Find("#choice_set-group p.paginator a").Length() != 1 {
		t.Error("no link to the second page")
	}
	second := c.Get(changeURL + "?choice_set-page=2")
	if n := second.Find("#choice_set-group tr.has_original").Length(); n != 10 {
		t.Errorf("page 2 shows %d choices, want 10", n)
	}
	if got := second.Text("#choice_set-0 td.original p"); got != "Choice 51" {
		t.Errorf("page 2 starts with %q", got)
	}
	if v, _ := second.Find("#id_choice_set-INITIAL_FORMS").Attr("value"); v != "10" {
		t.Errorf("INITIAL_FORMS %s on page 2, want 10", v)
	}
	r := c.Submit(second, "#question_form", url.Values{"choice_set-9-choice_text": {"Choice sixty"}}, "_continue")
	expect(t, r, 302)
	got := choiceTexts(t, app, q)
	if len(got) != 60 || got[59] != "Choice sixty" || got[0] != "Choice 01" {
		t.Errorf("after saving page 2: %d choices, last %q", len(got), got[len(got)-1])
	}
}

func seedQuestion(t *testing.T, app *staffroom.App, text string, choices ...string) *polls.Question {
	t.Helper()
	ctx := context.Background()
	q := &polls.Question{QuestionText: text, PubDate: time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)}
	if err := app.DB.Insert(ctx, q); err != nil {
		t.Fatal(err)
	}
	for _, ch := range choices {
		if err := app.DB.Insert(ctx, &polls.Choice{Question: orm.FK[polls.Question](q.ID), ChoiceText: ch}); err != nil {
			t.Fatal(err)
		}
	}
	return q
}

func question(t *testing.T, app *staffroom.App, text string) *polls.Question {
	t.Helper()
	q, err := orm.Get[polls.Question](context.Background(), orm.For[polls.Question](app.DB), orm.Q{"question_text": text})
	if err != nil {
		t.Fatalf("question %q: %v", text, err)
	}
	return q
}

func choiceTexts(t *testing.T, app *staffroom.App, q *polls.Question) []string {
	t.Helper()
	cs, err := orm.All[polls.Choice](context.Background(), orm.For[polls.Choice](app.DB).Filter(orm.Q{"question": q.ID}).OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(cs))
	for i, ch := range cs {
		out[i] = ch.ChoiceText
	}
	return out
}

// staffClient makes a staff user with the permissions named by codename
// and returns a client logged in as them.
func staffClient(t *testing.T, app *staffroom.App, username string, codenames ...string) *webtest.Client {
	t.Helper()
	ctx := context.Background()
	u, err := staffroom.CreateUser(ctx, app, username, "", password, false)
	if err != nil {
		t.Fatal(err)
	}
	u.IsStaff = true
	if err := app.DB.Update(ctx, u, "is_staff"); err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, code := range codenames {
		p, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](app.DB), orm.Q{"codename": code})
		if err != nil {
			t.Fatalf("permission %s: %v", code, err)
		}
		ids = append(ids, p.ID)
	}
	if err := app.DB.SetM2M(ctx, u, "user_permissions", ids); err != nil {
		t.Fatal(err)
	}
	c := webtest.New(t, app.Handler)
	if r := login(t, c, username, password); r.StatusCode != 302 {
		t.Fatalf("login %s: %d", username, r.StatusCode)
	}
	return c
}

// TestQuestionErrorLinks: a question sent back with errors in its split
// date-time and in a choice of its tabular inline links each error from
// the summary under the error note, and marks each input in error, both
// inputs of the date-time among them.
func TestQuestionErrorLinks(t *testing.T) {
	app := newApp(t, "sqlite")
	c := webtest.New(t, app.Handler)
	login(t, c, "admin", password)
	add := c.Get("/admin/polls/question/add/")
	expect(t, add, 200)
	r := c.Submit(add, "#question_form", url.Values{"question_text": {"Why?"}, "pub_date_0": {""}, "pub_date_1": {""},
		"choice_set-0-choice_text": {"Because"}, "choice_set-0-votes": {"many"}}, "")
	expect(t, r, 200)
	if got := r.Text("p.errornote"); got != "Please correct the errors below." {
		t.Errorf("error note %q", got)
	}
	links := webtest.CheckErrorLinks(t, r)
	for href, text := range map[string]string{
		"#id_pub_date_0":         "Date published: This field is required.",
		"#id_choice_set-0-votes": "Choice #1: Votes: Enter a whole number.",
	} {
		if links[href] != text {
			t.Errorf("summary link %s reads %q, want %q (links %q)", href, links[href], text, links)
		}
	}
	for _, id := range []string{"id_pub_date_0", "id_pub_date_1"} {
		in := r.Find("#" + id)
		if in.AttrOr("aria-invalid", "") != "true" || in.AttrOr("aria-describedby", "") != "id_pub_date_error" {
			t.Errorf("#%s: aria-invalid=%q aria-describedby=%q", id, in.AttrOr("aria-invalid", ""), in.AttrOr("aria-describedby", ""))
		}
	}
}
