package project_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/internal/webtest"
)

// paletteAnswer is the JSON of the command palette's endpoint.
type paletteAnswer struct {
	Models []struct {
		Name, App, URL string
		AddURL         string `json:"add_url"`
	}
	Recent, Objects []struct{ Text, Type, URL string }
	More            bool
}

func getPalette(t *testing.T, c *webtest.Client, term string) paletteAnswer {
	t.Helper()
	r := c.Get("/admin/palette/?term=" + term)
	expect(t, r, 200)
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
	var ans paletteAnswer
	if err := json.Unmarshal([]byte(r.Body), &ans); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	return ans
}

// TestPalette: the command palette's endpoint offers the models, recent
// objects and search results a user may see, and nothing else.
func TestPalette(t *testing.T) { eachDialect(t, palette) }

func palette(t *testing.T, app *staffroom.App) {
	author, books := throughFixture(t, app)
	_ = author
	admin := webtest.New(t, app.Handler)
	login(t, admin, "admin", password)

	all := getPalette(t, admin, "")
	names := map[string]string{}
	for _, m := range all.Models {
		names[m.Name] = m.URL
	}
	if names["Books"] != "/admin/bookstore/book/" || names["Users"] == "" {
		t.Errorf("models for an empty term: %+v", all.Models)
	}
	if len(all.Objects) != 0 {
		t.Errorf("objects searched for an empty term: %+v", all.Objects)
	}

	found := getPalette(t, admin, "dispossessed")
	var hit bool
	for _, o := range found.Objects {
		if o.Text == "The Dispossessed" && o.Type == "Book" && strings.HasSuffix(o.URL, "/change/") {
			hit = true
			if r := admin.Get(o.URL); r.StatusCode != 200 || !strings.Contains(r.Body, "The Dispossessed") {
				t.Errorf("the result's link %s: %d", o.URL, r.StatusCode)
			}
		}
	}
	if !hit {
		t.Errorf("the book's title found no book: %+v", found.Objects)
	}
	if len(found.Models) != 0 {
		t.Errorf("models whose name does not hold the term: %+v", found.Models)
	}
	if m := getPalette(t, admin, "publ"); len(m.Models) != 1 || m.Models[0].Name != "Publishers" || m.Models[0].AddURL != "/admin/bookstore/publisher/add/" {
		t.Errorf("models for \"publ\": %+v", m.Models)
	}
	if one := getPalette(t, admin, "d"); len(one.Objects) != 0 {
		t.Errorf("a one-letter term searched objects: %d", len(one.Objects))
	}
	// Each admin gives a handful of objects at most.
	perType := map[string]int{}
	for _, o := range getPalette(t, admin, "an").Objects {
		perType[o.Type]++
	}
	for typ, n := range perType {
		if n > 5 {
			t.Errorf("%d %s objects for one term", n, typ)
		}
	}

	// A user who may only view publishers finds publishers, not books.
	clerk := staffClient(t, app, "clerk", "view_publisher")
	ans := getPalette(t, clerk, "")
	if len(ans.Models) != 1 || ans.Models[0].Name != "Publishers" || ans.Models[0].AddURL != "" {
		t.Errorf("models a viewer of publishers is offered: %+v", ans.Models)
	}
	for _, term := range []string{"dispossessed", "through"} {
		for _, o := range getPalette(t, clerk, term).Objects {
			if o.Type != "Publisher" {
				t.Errorf("a viewer of publishers found a %s: %+v", o.Type, o)
			}
		}
	}
	if got := getPalette(t, clerk, "through").Objects; len(got) != 1 || got[0].Text != "Through Press" {
		t.Errorf("the publisher's name found %+v", got)
	}
	_ = books

	// Anonymous users are sent to the login page.
	anon := webtest.New(t, app.Handler)
	if r := anon.Get("/admin/palette/?term=x"); r.StatusCode != 302 || !strings.Contains(r.Header.Get("Location"), "/admin/login/") {
		t.Errorf("anonymous palette: %d %s", r.StatusCode, r.Header.Get("Location"))
	}
}
