package project_test

import (
	"context"
	"github.com/PuerkitoBio/goquery"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

func getUser(t *testing.T, app *staffroom.App, username string) *auth.User {
	t.Helper()
	u, err := orm.Get[auth.User](context.Background(), orm.For[auth.User](app.DB), orm.Q{"username": username})
	if err != nil {
		t.Fatalf("user %s: %v", username, err)
	}
	return u
}

func TestUserAdmin(t *testing.T) { eachDialect(t, userAdmin) }

func userAdmin(t *testing.T, app *staffroom.App) {
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	index := c.Get("/admin/")
	if index.Text(".app-auth caption") != "Authentication and Authorization" ||
		index.Find(`.app-auth a[href="/admin/auth/user/"]`).Length() == 0 || index.Find(`.app-auth a[href="/admin/auth/group/"]`).Length() == 0 {
		t.Fatalf("the index does not list users and groups:\n%s", index.Text("#content-main"))
	}
	list := c.Get("/admin/auth/user/?q=adm")
	expect(t, list, 200)
	if got := list.Text("#result_list tbody th"); got != "admin" {
		t.Errorf("search found %q", got)
	}
	for _, q := range []string{"password__startswith=pbkdf2", "password=x", "password__regex=.", "password__isnull=false"} {
		expect(t, c.Get("/admin/auth/user/?"+q), 400)
	}
	expect(t, c.Get("/admin/auth/user/?username=admin"), 200)

	// Adding asks for the username and the password twice, nothing else.
	add := c.Get("/admin/auth/user/add/")
	expect(t, add, 200)
	var names []string
	add.Find("#user_form input:not([type=hidden]), #user_form select, #user_form textarea").Each(func(_ int, s *goquery.Selection) {
		if n, ok := s.Attr("name"); ok && !strings.HasPrefix(n, "_") {
			names = append(names, n)
		}
	})
	if got := strings.Join(names, " "); got != "username password1 password2" {
		t.Errorf("add form fields %q", got)
	}
	if n := add.Find(".field-password1 .help li").Length(); n != 4 {
		t.Errorf("%d password rules listed", n)
	}
	cases := []struct {
		name, username, p1, p2, field, want string
	}{
		{"mismatch", "clerk", "a sturdy passphrase", "a sturdy passphrase.", "password2", "The two password fields didn’t match."},
		{"weak", "clerk", "clerk123", "clerk123", "password2", "The password is too similar to the username."},
		{"bad username", "clerk!", "a sturdy passphrase", "a sturdy passphrase", "username", "Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters."},
		{"taken", "admin", "a sturdy passphrase", "a sturdy passphrase", "username", "A user with that username already exists."},
	}
	for _, tc := range cases {
		r := c.Submit(add, "#user_form", url.Values{"username": {tc.username}, "password1": {tc.p1}, "password2": {tc.p2}}, "_save")
		expect(t, r, 200)
		if got := r.Text(".field-" + tc.field + " .errorlist li"); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	r := c.Submit(add, "#user_form", url.Values{"username": {"clerk"}, "password1": {"a sturdy passphrase"}, "password2": {"a sturdy passphrase"}}, "_save")
	clerk := getUser(t, app, "clerk")
	expectRedirect(t, r, "/admin/auth/user/"+itoa(clerk.ID)+"/change/")
	change := c.Follow(r)
	if got := change.Text(".messagelist li.success"); got != "The user “clerk” was added successfully. You may edit it again below." {
		t.Errorf("message %q", got)
	}
	if ok, _ := app.Auth.Hashers().Check("a sturdy passphrase", clerk.Password); !ok || !clerk.IsActive || clerk.DateJoined.IsZero() {
		t.Errorf("new user: %+v", clerk)
	}
	userChangePage(t, app, c, change, clerk)
}

// userChangePage checks the change page of a user: the password is never
// an input, and is changed on its own page.
func userChangePage(t *testing.T, app *staffroom.App, c *webtest.Client, change *webtest.Response, clerk *auth.User) {
	if change.Find(`#user_form [name=password]`).Length() != 0 {
		t.Fatal("the change form has a password input")
	}
	// The username's rule holds on the change form too (the model's
	// validator), and nothing is saved.
	bad := c.Submit(change, "#user_form", url.Values{"username": {"clerk smith"}}, "_save")
	expect(t, bad, 200)
	if got := bad.Text(".field-username .errorlist li"); got != auth.ErrBadUsername.Error() {
		t.Errorf("change form username error %q", got)
	}
	if getUser(t, app, "clerk") == nil {
		t.Error("the invalid rename was saved")
	}
	summary := change.Text(".field-password .password-summary")
	if !regexp.MustCompile(`^algorithm: pbkdf2_sha256 iterations: 1000 salt: \w{6}\*{16} hash: \S{6}\*{38}$`).MatchString(summary) {
		t.Errorf("summary %q", summary)
	}
	if strings.Contains(change.Body, clerk.Password) || strings.Contains(change.Body, strings.Split(clerk.Password, "$")[3]) {
		t.Error("the page shows the hash")
	}
	if href, _ := change.Find(`.field-password a`).Attr("href"); href != "../password/" {
		t.Errorf("password link %q", href)
	}
	// A forged password value in the change form is ignored.
	r := c.Submit(change, "#user_form", url.Values{"email": {"clerk@example.com"}, "is_staff": {"on"}, "password": {"md5$x$y"}}, "_save")
	if r.StatusCode != 302 {
		t.Fatalf("%s %s", r.Text(".errornote"), r.Text(".errorlist"))
	}
	expectRedirect(t, r, "/admin/auth/user/")
	after := getUser(t, app, "clerk")
	if after.Email != "clerk@example.com" || !after.IsStaff || after.Password != clerk.Password {
		t.Errorf("after change: email %q, password changed %v", after.Email, after.Password != clerk.Password)
	}
	other := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, other, "clerk", "a sturdy passphrase"), "/admin/")
	pwPath := "/admin/auth/user/" + itoa(clerk.ID) + "/password/"
	page := c.Get(pwPath)
	expect(t, page, 200)
	if got := page.Text("#content h1"); got != "Change password: clerk" {
		t.Errorf("title %q", got)
	}
	r = c.Submit(page, "#user_form", url.Values{"password1": {"another passphrase"}, "password2": {"another passphrase!"}}, "")
	if got := r.Text(".field-password2 .errorlist li"); got != "The two password fields didn’t match." {
		t.Errorf("mismatch: %q", got)
	}
	r = c.Submit(page, "#user_form", url.Values{"password1": {"another passphrase"}, "password2": {"another passphrase"}}, "")
	expectRedirect(t, r, "/admin/auth/user/"+itoa(clerk.ID)+"/change/")
	if got := c.Follow(r).Text(".messagelist li.success"); got != "Password changed successfully." {
		t.Errorf("message %q", got)
	}
	if ok, _ := app.Auth.Hashers().Check("another passphrase", getUser(t, app, "clerk").Password); !ok {
		t.Error("the password was not changed")
	}
	entries := logEntries(t, app)
	if last := entries[len(entries)-1]; last.Message() != "Changed password." || last.ActionFlag != admin.Change {
		t.Errorf("log entry %q", last.Message())
	}
	// The clerk's own session ended; the superuser's did not.
	expectRedirect(t, other.Get("/admin/"), "/admin/login/?next=/admin/")
	expect(t, c.Get("/admin/"), 200)
	expect(t, c.Get("/admin/auth/user/999999/password/"), 404)
}

func TestGroupAdmin(t *testing.T) { eachDialect(t, groupAdmin) }

func groupAdmin(t *testing.T, app *staffroom.App) {
	ctx := context.Background()
	c := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, c, "admin", password), "/admin/")
	add := c.Get("/admin/auth/group/add/")
	expect(t, add, 200)
	options := add.Find("#group_form select[name=permissions][multiple] option")
	var addBook, viewBook string
	options.Each(func(_ int, s *goquery.Selection) {
		v, _ := s.Attr("value")
		switch s.Text() {
		case "bookstore | book | Can add book":
			addBook = v
		case "bookstore | book | Can view book":
			viewBook = v
		}
	})
	if addBook == "" || viewBook == "" {
		t.Fatalf("the permissions do not name their content types; first options: %q", options.First().Text())
	}
	r := c.Submit(add, "#group_form", url.Values{"name": {"shop floor"}, "permissions": {addBook, viewBook}}, "_save")
	expectRedirect(t, r, "/admin/auth/group/")
	g, err := orm.Get[auth.Group](ctx, orm.For[auth.Group](app.DB), orm.Q{"name": "shop floor"})
	if err != nil {
		t.Fatal(err)
	}
	ids, err := app.DB.LoadM2M(ctx, g, "permissions")
	if err != nil || len(ids) != 2 {
		t.Errorf("group permissions %v %v", ids, err)
	}
	// A member of the group gets its permissions in the admin.
	member, err := staffroom.CreateUser(ctx, app, "member", "", "member password", false)
	if err != nil {
		t.Fatal(err)
	}
	member.IsStaff = true
	if err := app.DB.Update(ctx, member, "is_staff"); err != nil {
		t.Fatal(err)
	}
	if err := app.DB.SetM2M(ctx, member, "groups", []int64{g.ID}); err != nil {
		t.Fatal(err)
	}
	m := webtest.New(t, app.Handler)
	expectRedirect(t, login(t, m, "member", "member password"), "/admin/")
	expect(t, m.Get("/admin/bookstore/book/add/"), 200)
	expect(t, m.Get("/admin/bookstore/publisher/add/"), 403)
	expect(t, m.Get("/admin/auth/user/"), 403)
}
