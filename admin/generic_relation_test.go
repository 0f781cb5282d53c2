package admin_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// registerMemos registers the patrons, with their memos inline and a
// filter and a search across the generic relation, the lendings and
// the memos.
func registerMemos(site *admin.Site) error {
	if err := site.Register(Patron{}, &admin.ModelAdmin{
		ListFilter:   []any{"memos__text"},
		SearchFields: []string{"name", "memos__text"},
		Inlines:      []admin.Inline{admin.GenericTabular(Memo{})},
	}); err != nil {
		return err
	}
	if err := site.Register(Lending{}, &admin.ModelAdmin{Inlines: []admin.Inline{admin.GenericStacked(Memo{})}}); err != nil {
		return err
	}
	if err := site.Register(LateLending{}, nil); err != nil {
		return err
	}
	return site.Register(Memo{}, nil)
}

// memoed makes the lendings and memos on Ana (two), Bo (one) and the
// lending Dune (one), which has Ana's id.
func (f *fixture) memoed() (ana, bo *Patron, ls map[string]*Lending) {
	f.t.Helper()
	ana, bo, ls = f.lendings()
	f.memo(ana, "Moved to Lyon")
	f.memo(ana, "Late again")
	f.memo(bo, "Prefers Saturdays")
	f.memo(ls["Dune"], "Cover torn")
	return ana, bo, ls
}

// deletedTree lists a delete page's objects as "<depth>:<item>", depth 0
// for the objects deleted, 1 for what cascades from them, and so on.
func deletedTree(page *webtest.Response) string {
	var out []string
	page.Find("h2:contains('Objects') ~ ul li").Each(func(_ int, s *goquery.Selection) {
		own := s.Clone()
		own.Children().Filter("ul").Remove()
		out = append(out, fmt.Sprintf("%d:%s", s.ParentsFiltered("li").Length(), words(own.Text())))
	})
	return strings.Join(out, " | ")
}

// TestGenericRelationDelete: deleting a patron shows the memos the
// generic relation deletes with them (and with their lendings, which
// cascade), under the object each is about, and counts them in the
// summary, as Django's collector does; the deletion removes them and
// leaves the memos of other objects, also of a lending with the
// patron's id.
func TestGenericRelationDelete(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerMemos)
		ana, bo, ls := f.memoed()
		f.memo(ls["Gigi"], "Spine cracked")
		f.memo(ls["Emma"], "Returned wet") // Emma has Bo's id
		page := f.root.Get("/admin/circ/patron/" + key(bo.ID) + "/delete/")
		expectStatus(t, page, 200)
		if got := page.Text("h2:contains('Summary') + ul li"); got != "Patrons: 1 Prêts: 2 Memos: 2" {
			t.Errorf("summary %q", got)
		}
		want := "0:Patron: Bo | 1:Prêt: Faust | 1:Prêt: Gigi | 2:Memo: Spine cracked | 1:Memo: Prefers Saturdays"
		if got := deletedTree(page); got != want {
			t.Errorf("objects\n got %s\nwant %s", got, want)
		}
		body := words(page.Text("#content"))
		if strings.Contains(body, "Returned wet") || strings.Contains(body, "Moved to Lyon") {
			t.Errorf("delete page lists another object's memo:\n%s", body)
		}
		expectStatus(t, f.root.Submit(page, "#content form", nil, ""), 302)
		a, d, e := "patron:"+key(ana.ID), "lending:"+key(ls["Dune"].ID), "lending:"+key(ls["Emma"].ID)
		want = a + ":Moved to Lyon " + a + ":Late again " + d + ":Cover torn " + e + ":Returned wet"
		if got := f.memos(); got != want {
			t.Errorf("memos left\n got %s\nwant %s", got, want)
		}
	})
}

// TestGenericRelationDeleteSelected: the delete action's confirmation
// lists and counts the memos of the selected patrons.
func TestGenericRelationDeleteSelected(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerMemos)
		ana, bo, _ := f.memoed()
		list := f.root.Get("/admin/circ/patron/")
		confirm := f.root.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "index": {"0"},
			"_selected_action": {key(ana.ID), key(bo.ID)}}, "")
		expectStatus(t, confirm, 200)
		if got := confirm.Text("h2:contains('Summary') + ul li"); got != "Patrons: 2 Prêts: 4 Memos: 4" {
			t.Errorf("summary %q", got)
		}
		want := "0:Patron: Ana | 1:Prêt: Dune | 2:Memo: Cover torn | 1:Prêt: Emma | 1:Memo: Moved to Lyon | 1:Memo: Late again | " +
			"0:Patron: Bo | 1:Prêt: Faust | 1:Prêt: Gigi | 1:Memo: Prefers Saturdays"
		if got := deletedTree(confirm); got != want {
			t.Errorf("objects\n got %s\nwant %s", got, want)
		}
		expectStatus(t, f.root.Submit(confirm, "#content form", nil, ""), 302)
		if got := f.memos(); got != "" {
			t.Errorf("memos left %q", got)
		}
	})
}

// TestGenericRelationListFilterSearch: a filter and a search across the
// generic relation find the patrons by their memos, not by the memos of
// a lending with the same id, each patron once.
func TestGenericRelationListFilterSearch(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerMemos)
		f.memoed()
		f.memo(&Patron{ID: 2}, "Late again") // Bo too
		for q, want := range map[string]string{
			"q=late":                    "Ana Bo",
			"q=torn":                    "",
			"q=a":                       "Ana Bo",
			"memos__text=Late+again":    "Ana Bo",
			"memos__text=Moved+to+Lyon": "Ana",
			"memos__text=Cover+torn":    "",
		} {
			page := f.root.Get("/admin/circ/patron/?" + q)
			expectStatus(t, page, 200)
			if got := page.Text("#result_list tbody th"); got != want {
				t.Errorf("%s: %q, want %q", q, got, want)
			}
		}
		page := f.root.Get("/admin/circ/patron/")
		t.Log(page.Text("#changelist-filter"))
		if got := page.Text("#changelist-filter a[href*='memos__text=']"); !strings.Contains(got, "Moved to Lyon") {
			t.Errorf("filter choices %q", got)
		}
	})
}

// TestGenericRelationInline: the generic inline of a model declaring
// the generic relation shows and saves its objects.
func TestGenericRelationInline(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerMemos)
		ana, bo, ls := f.memoed()
		page := f.root.Get("/admin/circ/patron/" + key(ana.ID) + "/change/")
		expectStatus(t, page, 200)
		if got := page.Text(`textarea[name^="` + memoPrefix + `-"]`); got != "Moved to Lyon Late again" {
			t.Errorf("Ana's memos %q", got)
		}
		r := f.root.Submit(page, "#patron_form", url.Values{memoPrefix + "-1-DELETE": {"on"}, memoPrefix + "-2-text": {"Back in Paris"}}, "")
		expectStatus(t, r, 302)
		a, d := "patron:"+key(ana.ID), "lending:"+key(ls["Dune"].ID)
		want := a + ":Moved to Lyon patron:" + key(bo.ID) + ":Prefers Saturdays " + d + ":Cover torn " + a + ":Back in Paris"
		if got := f.memos(); got != want {
			t.Errorf("memos\n got %s\nwant %s", got, want)
		}
		loaded := &Patron{ID: ana.ID}
		objs, err := f.app.DB.LoadGenericRelation(context.Background(), loaded, "memos")
		if err != nil || len(objs) != 2 {
			t.Errorf("Ana's memos through the relation: %d, %v", len(objs), err)
		}
		_ = orm.Q{}
	})
}

// TestGenericRelationFilterChecks: a filter path across a generic
// relation passes the checks; the relation itself, which no filter kind
// filters, is refused by name.
func TestGenericRelationFilterChecks(t *testing.T) {
	newCirc(t, "sqlite", func(site *admin.Site) error {
		if err := site.Register(Patron{}, &admin.ModelAdmin{ListFilter: []any{"memos__text", "memos__pk"}}); err != nil {
			t.Errorf("a path across the generic relation: %v", err)
		}
		err := site.Register(Lending{}, &admin.ModelAdmin{ListFilter: []any{"memos"}})
		if err == nil || !strings.Contains(err.Error(), "(staffroom.E014) The value of 'ListFilter[0]' refers to 'memos', a generic relation") {
			t.Errorf("the generic relation itself: %v", err)
		}
		return nil
	})
}

// TestGenericRelationQueryName: the memos' admin searches and filters
// across the relation's related_query_name back to the patrons, finding
// only the memos about patrons.
func TestGenericRelationQueryName(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, func(site *admin.Site) error {
			return site.Register(Memo{}, &admin.ModelAdmin{SearchFields: []string{"patron__name"}, ListFilter: []any{"patron__name"}, Ordering: []string{"id"}})
		})
		f.memoed() // Dune, a lending, has Ana's id
		for q, want := range map[string]string{
			"q=ana":           "Moved to Lyon Late again",
			"q=bo":            "Prefers Saturdays",
			"patron__name=Bo": "Prefers Saturdays",
		} {
			page := f.root.Get("/admin/circ/memo/?" + q)
			expectStatus(t, page, 200)
			if got := page.Text("#result_list tbody th"); got != want {
				t.Errorf("%s: %q, want %q", q, got, want)
			}
		}
	})
}

// TestGenericRelationListDisplayRefused: a generic relation is no column,
// as a many-to-many field is none (admin.E109).
func TestGenericRelationListDisplayRefused(t *testing.T) {
	newCirc(t, "sqlite", func(site *admin.Site) error {
		err := site.Register(Patron{}, &admin.ModelAdmin{ListDisplay: []any{"name", "memos"}})
		if err == nil || !strings.Contains(err.Error(), "(admin.E109) The value of 'ListDisplay[1]' must not be a many-to-many field or a reverse foreign key.") {
			t.Errorf("Register: %v", err)
		}
		return nil
	})
}

// TestGenericRelationFieldsRefused: a generic relation in the form's
// fields is refused when registering (staffroom.E005), where Django's
// form fails at its first request.
func TestGenericRelationFieldsRefused(t *testing.T) {
	newCirc(t, "sqlite", func(site *admin.Site) error {
		err := site.Register(Patron{}, &admin.ModelAdmin{Fields: []string{"name", "memos"}})
		if err == nil || !strings.Contains(err.Error(), "(staffroom.E005) The value of 'Fields[1]' refers to 'memos', a generic relation, which is no field of a form.") {
			t.Errorf("Register: %v", err)
		}
		return nil
	})
}

// TestGenericRelationDeletePermission: a user who may delete patrons but
// not the memos their generic relation deletes is told so and cannot
// delete, as Django's get_deleted_objects decides.
func TestGenericRelationDeletePermission(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerMemos)
		ana, _, _ := f.memoed()
		c := f.staff("clerk", "view_patron", "delete_patron", "delete_lending", "view_memo")
		path := "/admin/circ/patron/" + key(ana.ID) + "/delete/"
		page := c.Get(path)
		expectStatus(t, page, 200)
		if got := page.Text("#content h1"); got != "Cannot delete patron" {
			t.Errorf("title %q", got)
		}
		if got := page.Text("#content ul li"); got != "memo" {
			t.Errorf("permissions needed %q", got)
		}
		r := c.Post(path, url.Values{"post": {"yes"}, "csrfmiddlewaretoken": {page.Find(`input[name="csrfmiddlewaretoken"]`).AttrOr("value", "")}})
		expectStatus(t, r, 403)
		if !strings.Contains(r.Body, "You do not have permission") {
			t.Errorf("the refusal is not the permission's: %s", r.Text("#content"))
		}
		if got := f.memos(); !strings.Contains(got, "Moved to Lyon") {
			t.Errorf("memos %q", got)
		}
	})
}
