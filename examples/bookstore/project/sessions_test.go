package project_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/internal/webtest"
)

// TestSessionsInTheAdmin is the spec's article: the session model shown in
// the admin with the decoded user, read-only; a superuser sees who is
// logged in and logs one of them out by deleting their session.
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
	if got := list.Text("#result_list thead th"); got != "Session key Expire date User" {
		t.Errorf("columns %q", got)
	}
	users := map[string]string{} // user column -> change URL
	list.Find("#result_list tbody tr").Each(func(_ int, row *goquery.Selection) {
		href, _ := row.Find("th a").Attr("href")
		users[strings.TrimSpace(row.Find("td.field-User").Text())] = href
	})
	for _, who := range []string{"victim", "admin", "Anonymous"} {
		if users[who] == "" {
			t.Fatalf("no session of %s listed: %v", who, users)
		}
	}
	key := strings.Split(users["victim"], "/")[4]
	if key != v.Cookie("sessionid") {
		t.Errorf("the victim's row %q is not their session %q", key, v.Cookie("sessionid"))
	}
	change := boss.Get(users["victim"])
	expect(t, change, 200)
	if change.Find("#session_form input[name=session_data], #session_form textarea, #session_form input[name=expire_date]").Length() != 0 {
		t.Error("the session can be edited")
	}
	if got := change.Text(".field-session_key .readonly"); got != key {
		t.Errorf("read-only key %q", got)
	}
	expect(t, boss.Get("/admin/sessions/session/add/"), 403)

	confirm := boss.Get(strings.Replace(users["victim"], "/change/", "/delete/", 1))
	expect(t, confirm, 200)
	r := boss.Submit(confirm, "#content form", url.Values{}, "")
	expectRedirect(t, r, "/admin/sessions/session/")
	if got := boss.Follow(r).Text(".messagelist li.success"); got != "The session “"+key+"” was deleted successfully." {
		t.Errorf("message %q", got)
	}
	// The victim is logged out; the superuser is not.
	expectRedirect(t, v.Get("/admin/"), "/admin/login/?next=/admin/")
	expect(t, boss.Get("/admin/"), 200)
	if data, _ := app.Sessions.Load(ctx, key); len(data) != 0 {
		t.Errorf("the deleted session still loads: %v", data)
	}
}
