package admin_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
)

func editableAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{ListDisplay: []any{"title", "price", "in_stock"}, ListEditable: []string{"price", "in_stock"},
		Ordering: []string{"title"}, ListPerPage: 2, SearchFields: []string{"title"}}
}

func TestListEditable(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(editableAdmin()))
		keys := seedVolumes(f)
		c := f.root
		page1 := c.Get("/admin/shop/volume/")
		expectStatus(t, page1, 200)
		if page1.Find("input[name=form-TOTAL_FORMS]").AttrOr("value", "") != "2" || page1.Find("input[name=form-0-price]").Length() != 1 {
			t.Fatalf("formset of the page's rows missing:\n%s", page1.Find("#changelist-form").Text())
		}
		if page1.Find(".paginator input[name=_save]").Length() != 1 {
			t.Error("no Save button")
		}
		// The rows are named by key: page 2, sorted the other way, posts
		// the key of c as form-0.
		page2 := c.Get("/admin/shop/volume/?o=-1&p=2")
		if got := page2.Find("input[name=form-0-id]").AttrOr("value", ""); got != keys["a"] {
			t.Fatalf("page 2 sorted descending starts with %q, want a's key %q", got, keys["a"])
		}
		r := c.Submit(page1, "#changelist-form", url.Values{"form-0-price": {"11"}, "form-1-price": {"22"}}, "_save")
		if r.StatusCode != 302 || r.Location() != "/admin/shop/volume/" {
			t.Fatalf("save: %d %q\n%s", r.StatusCode, r.Location(), r.Body)
		}
		if got := messages(c, r); got != "2 volumes were changed successfully." {
			t.Errorf("message %q", got)
		}
		if f.volume("a").Price != 11 || f.volume("b").Price != 22 || f.volume("c").Price != 10 {
			t.Errorf("prices %d %d %d", f.volume("a").Price, f.volume("b").Price, f.volume("c").Price)
		}
		entries := f.logEntries()
		if n := len(entries); n != 2 || entries[0].Message() != "Changed Price." {
			t.Errorf("%d log entries, first %q", n, entries[0].Message())
		}
		// A stale page (loaded before the save) edits the rows it names.
		stale := c.Get("/admin/shop/volume/?q=c")
		page2 = c.Get("/admin/shop/volume/?o=-1&p=2")
		messages(c, c.Submit(page2, "#changelist-form", url.Values{"form-0-price": {"5"}}, "_save")) // a, from page 2
		r = c.Submit(stale, "#changelist-form", url.Values{"form-0-in_stock": nil}, "_save")
		if got := messages(c, r); got != "1 volume was changed successfully." {
			t.Errorf("message %q", got)
		}
		if f.volume("c").InStock || !f.volume("a").InStock || f.volume("a").Price != 5 {
			t.Error("the stale page's POST changed the wrong row")
		}
		// No change, no message.
		r = c.Submit(c.Get("/admin/shop/volume/"), "#changelist-form", nil, "_save")
		if r.StatusCode != 302 || messages(c, r) != "" {
			t.Error("a save without changes gives no message")
		}
		// "Go" never saves edits.
		list := c.Get("/admin/shop/volume/")
		c.Submit(list, "#changelist-form", url.Values{"form-0-price": {"77"}, "action": {"delete_selected"}, "index": {"0"}}, "")
		if f.volume("a").Price == 77 {
			t.Error("an action POST saved list_editable data")
		}
		// Invalid: the page again, with the error and the user's values.
		bad := c.Submit(list, "#changelist-form", url.Values{"form-0-price": {"x"}, "form-1-price": {"33"}}, "_save")
		expectStatus(t, bad, 200)
		if got := bad.Text(".errornote"); got != "Please correct the error below." {
			t.Errorf("error note %q", got)
		}
		if !strings.HasPrefix(bad.Text("title"), "Error: ") || bad.Find("input[name=form-0-price]").AttrOr("value", "") != "x" {
			t.Errorf("title %q", bad.Text("title"))
		}
		if f.volume("b").Price == 33 {
			t.Error("an invalid formset saved a valid row: the save is atomic")
		}
	})
}

func TestListEditableConcurrentAndForged(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(editableAdmin()))
		keys := seedVolumes(f)
		c := f.root
		mine := c.Get("/admin/shop/volume/")
		// Someone else changes b's price after the page was loaded.
		other := c.Get("/admin/shop/volume/")
		messages(c, c.Submit(other, "#changelist-form", url.Values{"form-1-price": {"40"}}, "_save"))
		r := c.Submit(mine, "#changelist-form", url.Values{"form-0-price": {"1"}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text("#result_list ul.errorlist"); got != "This volume was changed by someone else since the page was loaded; reload to see the changes." {
			t.Errorf("row error %q", got)
		}
		if f.volume("b").Price != 40 || f.volume("a").Price != 10 {
			t.Errorf("a stale row was written: a %d, b %d", f.volume("a").Price, f.volume("b").Price)
		}
		// Reloaded, the same edit goes through.
		r = c.Submit(c.Get("/admin/shop/volume/"), "#changelist-form", url.Values{"form-0-price": {"1"}}, "_save")
		if r.StatusCode != 302 || f.volume("a").Price != 1 {
			t.Errorf("after reload: %d", r.StatusCode)
		}

		page := c.Get("/admin/shop/volume/")
		for name, set := range map[string]url.Values{
			"a key outside the query set": {"form-0-id": {"99999"}},
			"an empty key (adding)":       {"form-0-id": {""}},
			"an extra form":               {"form-TOTAL_FORMS": {"3"}, "form-2-price": {"5"}},
			"a key that is not one":       {"form-0-id": {"x"}},
		} {
			if r := c.Submit(page, "#changelist-form", set, "_save"); r.StatusCode != 400 {
				t.Errorf("%s: %d", name, r.StatusCode)
			}
		}
		if f.volume("a").Price != 1 || f.volume("b").Price != 40 {
			t.Error("a forged POST changed rows")
		}

		// Without change permission: no formset, and a save is 403.
		viewer := f.staff("viewer", "view_volume")
		list := viewer.Get("/admin/shop/volume/")
		if list.Find("input[name=form-TOTAL_FORMS]").Length() != 0 {
			t.Error("a formset for a user who may not change")
		}
		expectStatus(t, viewer.Post("/admin/shop/volume/", url.Values{"csrfmiddlewaretoken": {list.Find("[name=csrfmiddlewaretoken]").AttrOr("value", "")},
			"_save": {"1"}, "form-TOTAL_FORMS": {"1"}, "form-INITIAL_FORMS": {"1"}, "form-0-id": {keys["a"]}, "form-0-price": {"0"}}), 403)
	})
}
