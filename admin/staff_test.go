package admin_test

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
)

// TestStaffMemberRequired protects a handler outside the admin: visitors
// who are not active staff go to the login page, with the full path as
// next, and come back after logging in.
func TestStaffMemberRequired(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			app, _ := newNotesApp(t, d, staffroom.Config{})
			ctx := context.Background()
			for _, u := range []struct {
				name  string
				staff bool
			}{{"boss", true}, {"clerk", false}} {
				user, err := staffroom.CreateUser(ctx, app, u.name, "", "pw", false)
				if err != nil {
					t.Fatal(err)
				}
				user.IsStaff = u.staff
				if err := app.DB.Update(ctx, user, "is_staff"); err != nil {
					t.Fatal(err)
				}
			}
			report := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, "report for "+auth.UserFrom(r.Context()).Username)
			})
			mux := http.NewServeMux()
			mux.Handle("/admin/", app.Site)
			mux.Handle("/reports/", app.Site.StaffMemberRequired(report))
			// Inside the site's own middleware, nothing is applied twice.
			mux.Handle("/nested/", app.Site.StaffMemberRequired(app.Site.StaffMemberRequired(report)))
			for _, who := range []string{"", "clerk", "boss"} {
				c := webtest.New(t, mux)
				if who != "" {
					page := c.Get("/admin/login/")
					c.Submit(page, "#login-form", url.Values{"username": {who}, "password": {"pw"}}, "")
				}
				for path, want := range map[string]string{
					"/reports/sales/?year=2025&q=a+b": "/admin/login/?next=/reports/sales/%3Fyear%3D2025%26q%3Da%2Bb",
					"/nested/x":                       "/admin/login/?next=/nested/x",
				} {
					r := c.Get(path)
					if who == "boss" {
						if r.StatusCode != 200 || r.Body != "report for boss" {
							t.Errorf("%s as %s: %d %q", path, who, r.StatusCode, r.Body)
						}
						continue
					}
					if r.StatusCode != 302 || r.Location() != want {
						t.Errorf("%s as %q: %d %s, want a redirect to %s", path, who, r.StatusCode, r.Location(), want)
					}
				}
			}
		})
	}
}
