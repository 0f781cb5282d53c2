package project_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// TestSessionsInTheAdmin is the spec's article: the session model shown in
// the admin with the decoded user, read-only; a superuser sees who is
// logged in and logs one of them out by deleting their session. Unlike
// the article, the key is never shown: rows are named by the session's
// public ID and digest.
func TestSessionsInTheAdmin(t *testing.T) { eachDialect(t, sessionsInTheAdmin) }

func sessionsInTheAdmin(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	victim, err := staffroom.CreateUser(ctx, app, "victim", "", "victim password", false)
	if err != nil {
		t.Fatal(err)
	}
	victim.IsStaff = true
	if err := app.DB.Update(ctx, victim, "is_staff"); err != nil {
		t.Fatal(err)
	}
	anon := app.Sessions.Session(ctx, "")
	anon.Set("cart", "3 books")
	if err := anon.Save(ctx); err != nil {
		t.Fatal(err)
	}
	boss, v := webtest.New(t, app.Handler), webtest.New(t, app.Handler)
	expectRedirect(t, login(t, v, "victim", "victim password"), "/admin/")
	expectRedirect(t, login(t, boss, "admin", password), "/admin/")
	expect(t, v.Get("/admin/"), 200)

	list := boss.Get("/admin/sessions/session/")
	expect(t, list, 200)
	if got := list.Text("#result_list thead th"); got != "Session User Address Browser Expire date" {
		t.Errorf("columns %q", got)
	}
	users := map[string]string{} // user column -> change URL
	list.Find("#result_list tbody tr").Each(func(_ int, row *goquery.Selection) {
		href, _ := row.Find("th a").Attr("href")
		users[strings.TrimSpace(row.Find("td.field-user").Text())] = href
	})
	for _, who := range []string{"victim", "admin", "Anonymous"} {
		if users[who] == "" {
			t.Fatalf("no session of %s listed: %v", who, users)
		}
	}
	key := v.Cookie("sessionid")
	if id := strings.Split(users["victim"], "/")[4]; admin.Unquote(id) != app.Sessions.ID(key) {
		t.Errorf("the victim's row %q is not their session", id)
	}
	change := boss.Get(users["victim"])
	expect(t, change, 200)
	if change.Find("#session_form input:not([type=hidden]), #session_form textarea").Length() != 0 {
		t.Error("the session can be edited")
	}
	if got := change.Text(".field-session .readonly"); got != session.Digest(key) {
		t.Errorf("read-only digest %q", got)
	}
	if got := change.Text(".field-user .readonly"); got != "victim" {
		t.Errorf("read-only user %q", got)
	}
	expect(t, boss.Get("/admin/sessions/session/add/"), 403)

	confirm := boss.Get(strings.Replace(users["victim"], "/change/", "/delete/", 1))
	expect(t, confirm, 200)
	r := boss.Submit(confirm, "#content form", url.Values{}, "")
	expectRedirect(t, r, "/admin/sessions/session/")
	if got := boss.Follow(r).Text(".messagelist li.success"); got != "The session “"+session.Digest(key)+"” was deleted successfully." {
		t.Errorf("message %q", got)
	}
	// The victim is logged out; the superuser is not.
	expectRedirect(t, v.Get("/admin/"), "/admin/login/?next=/admin/")
	expect(t, boss.Get("/admin/"), 200)
	if data, _ := app.Sessions.Load(ctx, key); len(data) != 0 {
		t.Errorf("the deleted session still loads: %v", data)
	}
	// The delete action does the same from the list, naming the session by
	// its public ID.
	v2 := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, v2, "victim", "victim password"), "/admin/")
	key2 := v2.Cookie("sessionid")
	list = boss.Get("/admin/sessions/session/")
	var picked string
	list.Find("#result_list tbody tr").Each(func(_ int, row *goquery.Selection) {
		if strings.TrimSpace(row.Find("td.field-user").Text()) == "victim" {
			picked, _ = row.Find("input.action-select").Attr("value")
		}
	})
	if picked != app.Sessions.ID(key2) {
		t.Fatalf("the victim's checkbox holds %q, not the session's public ID", picked)
	}
	page := boss.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": {picked}}, "index")
	expect(t, page, 200)
	r = boss.Submit(page, "#content form", nil, "")
	expectRedirect(t, r, "/admin/sessions/session/")
	expectRedirect(t, v2.Get("/admin/"), "/admin/login/?next=/admin/")
}

// TestSessionsAdminKeepsKeys is issue 9's finding 2: a staff user allowed
// only to view sessions must not find a usable session key anywhere in
// the session admin — the list, the view page, search, lookups in the
// query string, the history, the log — nor get in with what they find.
func TestSessionsAdminKeepsKeys(t *testing.T) { eachDialect(t, sessionsAdminKeepsKeys) }

func sessionsAdminKeepsKeys(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	viewer, err := staffroom.CreateUser(ctx, app, "viewer", "", "viewer password", false)
	if err != nil {
		t.Fatal(err)
	}
	viewer.IsStaff = true
	if err := app.DB.Update(ctx, viewer, "is_staff"); err != nil {
		t.Fatal(err)
	}
	perm, err := orm.Get[auth.Permission](ctx, orm.For[auth.Permission](app.DB), orm.Q{"codename": "view_session"})
	if err != nil {
		t.Fatal(err)
	}
	if err := app.DB.SetM2M(ctx, viewer, "user_permissions", []int64{perm.ID}); err != nil {
		t.Fatal(err)
	}
	boss, v := webtest.New(t, app.Handler), webtest.New(t, app.Handler)
	expectRedirect(t, login(t, boss, "admin", password), "/admin/")
	expectRedirect(t, login(t, v, "viewer", "viewer password"), "/admin/")
	// The superuser deletes one session, so that the log holds one too.
	other := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, other, "admin", password), "/admin/")
	keys := []string{boss.Cookie("sessionid"), v.Cookie("sessionid"), other.Cookie("sessionid")}
	list := boss.Get("/admin/sessions/session/")
	expect(t, list, 200)
	otherURL := "/admin/sessions/session/" + admin.Quote(app.Sessions.ID(keys[2])) + "/change/"
	if list.Find(`#result_list tbody tr th a[href="`+otherURL+`"]`).Length() != 1 {
		t.Fatalf("no link to %s in the list", otherURL)
	}
	leaks := func(what, body string) {
		t.Helper()
		for i, k := range keys {
			if k != "" && strings.Contains(body, k) {
				t.Errorf("%s shows session key %d", what, i)
			}
		}
	}
	leaks("the superuser's list", list.Body)

	list = v.Get("/admin/sessions/session/")
	expect(t, list, 200)
	leaks("the list", list.Body)
	var pages []string
	list.Find("#result_list tbody tr a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		pages = append(pages, href, strings.Replace(href, "/change/", "/history/", 1))
	})
	if len(pages) < 6 {
		t.Fatalf("the viewer sees %d links", len(pages))
	}
	for _, p := range pages {
		r := v.Get(p)
		expect(t, r, 200)
		leaks(p, r.Body)
	}
	rows := list.Find("#result_list tbody tr").Length()
	for _, q := range []string{"?q=" + keys[0], "?q=" + keys[0][:4], "?session_key=" + keys[0],
		"?session_key__startswith=" + keys[0][:1], "?session_data__contains=a", "?o=1", "?o=-1", "?o=2", "?o=-2"} {
		r := v.Get("/admin/sessions/session/" + q)
		// The page may repeat what the viewer typed; nothing else.
		leaks(q, strings.ReplaceAll(r.Body, keys[0], ""))
		if r.StatusCode == 200 && r.Find("#result_list tbody tr").Length() != rows {
			t.Errorf("%s narrows the list: the key is an oracle", q)
		}
	}
	// What the viewer saw does not log anybody in.
	for _, p := range pages {
		for _, part := range strings.Split(p, "/") {
			if part == "" {
				continue
			}
			thief := webtest.New(t, app.Handler)
			thief.SetCookie("sessionid", admin.Unquote(part))
			if r := thief.Get("/admin/"); r.StatusCode == 200 {
				t.Fatalf("the URL part %q is a usable session key", part)
			}
		}
	}
	// The superuser deletes a session: the log and the message keep the key too.
	confirm := boss.Get(strings.Replace(otherURL, "/change/", "/delete/", 1))
	expect(t, confirm, 200)
	leaks("the delete page", confirm.Body)
	r := boss.Submit(confirm, "#content form", url.Values{}, "")
	expect(t, r, 302)
	leaks("the message", boss.Follow(r).Body)
	for _, e := range logEntries(t, app) {
		if e.ObjectID != nil {
			leaks("the log's object id", *e.ObjectID)
		}
		leaks("the log's repr", e.ObjectRepr)
	}
	leaks("the recent actions", boss.Get("/admin/").Body)
}

// TestOwnSessions: a user sees their other sessions — where from, which
// browser, since and until when, never a key — on their password change
// page, and signs them out there; a password change forgets them too.
func TestOwnSessions(t *testing.T) { eachDialect(t, ownSessions) }

func ownSessions(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	ann, err := staffroom.CreateUser(ctx, app, "ann", "", "ann password", false)
	if err != nil {
		t.Fatal(err)
	}
	ann.IsStaff = true
	if err := app.DB.Update(ctx, ann, "is_staff"); err != nil {
		t.Fatal(err)
	}
	var mine []*webtest.Client
	for range 3 {
		c := webtest.New(t, app.Handler)
		expectRedirect(t, login(t, c, "ann", "ann password"), "/admin/")
		mine = append(mine, c)
	}
	boss := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, boss, "admin", password), "/admin/")
	me := mine[2]
	page := me.Get("/admin/password_change/")
	expect(t, page, 200)
	rows := page.Find("#other-sessions tbody tr")
	if rows.Length() != 2 {
		t.Fatalf("%d other sessions listed, want 2:\n%s", rows.Length(), page.Text("#other-sessions"))
	}
	if got := rows.First().Find("td.field-address").Text(); got != "127.0.0.1" {
		t.Errorf("address %q", got)
	}
	if got := rows.First().Find("td.field-browser").Text(); !strings.Contains(got, "Go-http-client") {
		t.Errorf("browser %q", got)
	}
	for _, c := range append(mine, boss) {
		if strings.Contains(page.Body, c.Cookie("sessionid")) {
			t.Error("the page shows a session key")
		}
	}
	// The admin list shows where sessions come from too.
	list := boss.Get("/admin/sessions/session/")
	if got := list.Text("#result_list tbody tr td.field-address"); !strings.Contains(got, "127.0.0.1") {
		t.Errorf("addresses in the admin %q", got)
	}

	r := me.Submit(page, "#sign-out-others-form", nil, "sign_out_others")
	expectRedirect(t, r, "/admin/password_change/")
	after := me.Follow(r)
	if got := after.Text(".messagelist li.success"); got != "Signed out 2 other sessions." {
		t.Errorf("message %q", got)
	}
	if n := after.Find("#other-sessions tbody tr").Length(); n != 0 {
		t.Errorf("%d other sessions left", n)
	}
	for _, c := range mine[:2] {
		expectRedirect(t, c.Get("/admin/"), "/admin/login/?next=/admin/")
	}
	expect(t, me.Get("/admin/"), 200)
	expect(t, boss.Get("/admin/"), 200)
	entries := logEntries(t, app)
	if e := entries[len(entries)-1]; e.ChangeMessage != "Signed out 2 other sessions." || e.ObjectRepr != "ann" {
		t.Errorf("log entry %q %q", e.ObjectRepr, e.ChangeMessage)
	}
	// The button is a POST with a CSRF token.
	forged := webtest.New(t, app.Handler)
	forged.NoOrigin = true
	expect(t, forged.Post("/admin/password_change/", url.Values{"sign_out_others": {"1"}}), 403)

	// A password change ends the other sessions and forgets them.
	other := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, other, "ann", "ann password"), "/admin/")
	r = me.Submit(me.Get("/admin/password_change/"), "#password-change-form", url.Values{"old_password": {"ann password"},
		"new_password1": {"a new long passphrase"}, "new_password2": {"a new long passphrase"}}, "")
	expectRedirect(t, r, "/admin/password_change/done/")
	expectRedirect(t, other.Get("/admin/"), "/admin/login/?next=/admin/")
	if n := count[session.Info](t, app, orm.Q{"owner": itoa(ann.ID)}); n != 1 {
		t.Errorf("%d sessions of ann recorded after the password change, want 1", n)
	}
}
