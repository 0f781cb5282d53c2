package admin_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
)

// registerFriends registers the patrons as the Django library's Member:
// friends (symmetrical) in the two-box chooser, sponsors (one-way) as
// raw ids.
func registerFriends(site *admin.Site) error {
	return site.Register(Patron{}, &admin.ModelAdmin{FilterHorizontal: []string{"friends"}, RawIDFields: []string{"sponsors"}})
}

// joinRows lists the rows of a patrons' join table as "from>to", by
// name, sorted.
func (f *fixture) joinRows(field string) string {
	f.t.Helper()
	ctx := context.Background()
	names := map[int64]string{}
	rows, err := f.app.DB.QueryRaw(ctx, "SELECT id, name FROM circ_patron")
	if err != nil {
		f.t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			f.t.Fatal(err)
		}
		names[id] = name
	}
	rows.Close()
	rows, err = f.app.DB.QueryRaw(ctx, "SELECT from_patron_id, to_patron_id FROM circ_patron_"+field)
	if err != nil {
		f.t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var from, to int64
		if err := rows.Scan(&from, &to); err != nil {
			f.t.Fatal(err)
		}
		out = append(out, names[from]+">"+names[to])
	}
	slices.Sort(out)
	return strings.Join(out, " ")
}

// chosen lists the options of a select chosen on a page, by text.
func chosen(page interface{ Text(string) string }, name string) string {
	return page.Text(`select[name="` + name + `"] option[selected]`)
}

// TestSymmetricalFilterHorizontal: choosing friends in the two-box
// chooser writes each link both ways; the friend's page shows it from
// the other side; removing it there removes both rows; the change
// message names the field as Django does.
func TestSymmetricalFilterHorizontal(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerFriends)
		ana, bo, cy := &Patron{Name: "Ana"}, &Patron{Name: "Bo"}, &Patron{Name: "Cy"}
		f.insert(ana, bo, cy)

		page := f.root.Get("/admin/circ/patron/" + key(ana.ID) + "/change/")
		expectStatus(t, page, 200)
		sel := page.Find("select#id_friends")
		if !sel.HasClass("selectfilter") || sel.Find("option").Length() != 3 {
			t.Fatalf("friends select: class %q, %d options", sel.AttrOr("class", ""), sel.Find("option").Length())
		}
		r := f.root.Submit(page, "#patron_form", url.Values{"friends": {key(bo.ID), key(cy.ID)}}, "")
		expectStatus(t, r, 302)
		if got, want := f.joinRows("friends"), "Ana>Bo Ana>Cy Bo>Ana Cy>Ana"; got != want {
			t.Errorf("friends rows %q, want %q", got, want)
		}
		entries := f.logEntries()
		if len(entries) != 1 || entries[0].ChangeMessage != `[{"changed": {"fields": ["Friends"]}}]` {
			t.Fatalf("log %+v", entries)
		}

		// Bo sees Ana among his friends, and drops her.
		page = f.root.Get("/admin/circ/patron/" + key(bo.ID) + "/change/")
		expectStatus(t, page, 200)
		if got := chosen(page, "friends"); got != "Ana" {
			t.Errorf("Bo's friends %q", got)
		}
		r = f.root.Submit(page, "#patron_form", url.Values{"friends": nil}, "")
		expectStatus(t, r, 302)
		if got, want := f.joinRows("friends"), "Ana>Cy Cy>Ana"; got != want {
			t.Errorf("friends rows after Bo dropped Ana %q, want %q", got, want)
		}
		if got := chosen(f.root.Get("/admin/circ/patron/"+key(ana.ID)+"/change/"), "friends"); got != "Cy" {
			t.Errorf("Ana's friends %q", got)
		}
		// Saving Ana's form unchanged changes nothing.
		page = f.root.Get("/admin/circ/patron/" + key(ana.ID) + "/change/")
		expectStatus(t, f.root.Submit(page, "#patron_form", nil, ""), 302)
		entries = f.logEntries()
		if got := entries[len(entries)-1].ChangeMessage; len(entries) != 3 || got != "[]" {
			t.Errorf("%d entries, the last %q", len(entries), got)
		}
		if got, want := f.joinRows("friends"), "Ana>Cy Cy>Ana"; got != want {
			t.Errorf("friends rows after an unchanged save %q, want %q", got, want)
		}
	})
}

// TestNonSymmetricalRawID: sponsors typed as raw ids write one row per
// link, from the patron to the sponsor only; the sponsor's page shows
// none; the change message names both changed fields.
func TestNonSymmetricalRawID(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerFriends)
		ana, bo, cy := &Patron{Name: "Ana"}, &Patron{Name: "Bo"}, &Patron{Name: "Cy"}
		f.insert(ana, bo, cy)

		page := f.root.Get("/admin/circ/patron/" + key(ana.ID) + "/change/")
		expectStatus(t, page, 200)
		if in := page.Find(`input[name="sponsors"]`); !in.HasClass("vManyToManyRawIdAdminField") {
			t.Fatalf("sponsors input class %q", in.AttrOr("class", ""))
		}
		r := f.root.Submit(page, "#patron_form", url.Values{"sponsors": {key(bo.ID) + "," + key(cy.ID)}, "friends": {key(cy.ID)}}, "")
		expectStatus(t, r, 302)
		if got, want := f.joinRows("sponsors"), "Ana>Bo Ana>Cy"; got != want {
			t.Errorf("sponsors rows %q, want %q", got, want)
		}
		if got, want := f.joinRows("friends"), "Ana>Cy Cy>Ana"; got != want {
			t.Errorf("friends rows %q, want %q", got, want)
		}
		entries := f.logEntries()
		if len(entries) != 1 || entries[0].ChangeMessage != `[{"changed": {"fields": ["Friends", "Sponsors"]}}]` {
			t.Fatalf("log %+v", entries)
		}
		page = f.root.Get("/admin/circ/patron/" + key(bo.ID) + "/change/")
		expectStatus(t, page, 200)
		if got, _ := page.Find(`input[name="sponsors"]`).Attr("value"); got != "" {
			t.Errorf("Bo's sponsors %q: a one-way link shows from the other side", got)
		}
		page = f.root.Get("/admin/circ/patron/" + key(ana.ID) + "/change/")
		if got, _ := page.Find(`input[name="sponsors"]`).Attr("value"); got != key(bo.ID)+","+key(cy.ID) {
			t.Errorf("Ana's sponsors %q", got)
		}
		// Dropping one sponsor removes its row only.
		expectStatus(t, f.root.Submit(page, "#patron_form", url.Values{"sponsors": {key(cy.ID)}}, ""), 302)
		if got, want := f.joinRows("sponsors"), "Ana>Cy"; got != want {
			t.Errorf("sponsors rows %q, want %q", got, want)
		}
	})
}

// TestSelfM2MDelete: deleting a patron lists and removes the join rows
// of both relations that name them, from either side.
func TestSelfM2MDelete(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerFriends)
		ana, bo, cy := &Patron{Name: "Ana"}, &Patron{Name: "Bo"}, &Patron{Name: "Cy"}
		f.insert(ana, bo, cy)
		ctx := context.Background()
		if err := f.app.DB.SetM2M(ctx, ana, "friends", []int64{bo.ID, cy.ID}); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DB.SetM2M(ctx, bo, "sponsors", []int64{ana.ID}); err != nil {
			t.Fatal(err)
		}
		if err := f.app.DB.SetM2M(ctx, ana, "sponsors", []int64{cy.ID}); err != nil {
			t.Fatal(err)
		}
		page := f.root.Get("/admin/circ/patron/" + key(ana.ID) + "/delete/")
		expectStatus(t, page, 200)
		// Django names the join model of a self relation from_patron-to_patron.
		link := func(field string, n int) string {
			return "1:From_patron-to_patron relationship: Patron_" + field + " object (" + key(int64(n)) + ")"
		}
		want := strings.Join([]string{"0:Patron: Ana", link("friends", 1), link("friends", 3), link("sponsors", 2), link("friends", 2), link("friends", 4), link("sponsors", 1)}, " | ")
		if got := deletedTree(page); got != want {
			t.Errorf("objects\n got %s\nwant %s", got, want)
		}
		if got := page.Text("h2:contains('Summary') + ul li"); got != "Patrons: 1 From_patron-to_patron relationships: 6" {
			t.Errorf("summary %q", got)
		}
		expectStatus(t, f.root.Submit(page, "#content form", nil, ""), 302)
		if got := f.joinRows("friends") + "|" + f.joinRows("sponsors"); got != "|" {
			t.Errorf("rows left %q", got)
		}
	})
}

// TestSelfM2MChangeList: the change list filters by a friend (either
// side of the friendship) and by a sponsor (one way), and searches
// across the sponsors' way back, each patron once.
func TestSelfM2MChangeList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, func(site *admin.Site) error {
			return site.Register(Patron{}, &admin.ModelAdmin{ListFilter: []any{"friends", "sponsors"}, SearchFields: []string{"name", "sponsored__name"}})
		})
		ana, bo, cy, dee := &Patron{Name: "Ana"}, &Patron{Name: "Bo"}, &Patron{Name: "Cy"}, &Patron{Name: "Dee"}
		f.insert(ana, bo, cy, dee)
		ctx := context.Background()
		if err := f.app.DB.SetM2M(ctx, ana, "friends", []int64{bo.ID, cy.ID}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []*Patron{ana, bo} {
			if err := f.app.DB.SetM2M(ctx, p, "sponsors", []int64{dee.ID}); err != nil {
				t.Fatal(err)
			}
		}
		for q, want := range map[string]string{
			"friends__id__exact=" + key(ana.ID):  "Bo Cy",
			"friends__id__exact=" + key(bo.ID):   "Ana",
			"sponsors__id__exact=" + key(dee.ID): "Ana Bo",
			"sponsors__id__exact=" + key(ana.ID): "",
			"q=ana":                              "Ana Dee", // Dee sponsors Ana
			"q=b":                                "Bo Dee",
		} {
			page := f.root.Get("/admin/circ/patron/?" + q)
			expectStatus(t, page, 200)
			if got := page.Text("#result_list tbody th"); got != want {
				t.Errorf("%s: %q, want %q", q, got, want)
			}
		}
		page := f.root.Get("/admin/circ/patron/")
		if got := page.Text("#changelist-filter h3"); !strings.HasSuffix(got, "By friends By sponsors") {
			t.Errorf("filters %q", got)
		}
	})
}

// TestGenericRelationLookupRefused: a lookup across the generic relation
// that no filter offers is refused, as Django's lookup_allowed refuses
// one.
func TestGenericRelationLookupRefused(t *testing.T) {
	f := newCirc(t, "sqlite", func(site *admin.Site) error { return site.Register(Patron{}, nil) })
	f.insert(&Patron{Name: "Ana"})
	expectStatus(t, f.root.Get("/admin/circ/patron/?memos__text=x"), 400)
	expectStatus(t, f.root.Get("/admin/circ/patron/?name=Ana"), 200)
}
