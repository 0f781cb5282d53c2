package admin_test

import (
	"context"
	"encoding/csv"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// markOutOfStock is a custom action: it needs the change permission and
// says what it did at the WARNING level.
var markOutOfStock = admin.Action{
	Name: "mark_out_of_stock", Description: "Mark selected %(verbose_name_plural)s as out of stock", Permissions: []string{"change"},
	Func: func(w http.ResponseWriter, r *http.Request, ma admin.Admin, qs orm.QuerySet) error {
		n, err := qs.Update(r.Context(), map[string]any{"in_stock": false})
		if err != nil {
			return err
		}
		ma.MessageUser(r, flash.Warning, strings.Repeat("x", int(n))+" marked")
		return nil
	},
}

// exportCSV answers with a download of its own.
var exportCSV = admin.Action{
	Name: "export_csv",
	Func: func(w http.ResponseWriter, r *http.Request, ma admin.Admin, qs orm.QuerySet) error {
		objs, err := qs.OrderBy("title").All(r.Context())
		if err != nil {
			return err
		}
		w.Header().Set("Content-Type", "text/csv")
		w.Header().Set("Content-Disposition", `attachment; filename="volumes.csv"`)
		cw := csv.NewWriter(w)
		for _, o := range objs {
			_ = cw.Write([]string{o.(*Volume).Title})
		}
		cw.Flush()
		return cw.Error()
	},
}

// failHalfway changes every volume, then fails: nothing may stay changed.
var failHalfway = admin.Action{
	Name: "fail_halfway",
	Func: func(w http.ResponseWriter, r *http.Request, ma admin.Admin, qs orm.QuerySet) error {
		if _, err := qs.Update(r.Context(), map[string]any{"price": 999}); err != nil {
			return err
		}
		_, _ = w.Write([]byte("partial"))
		return errors.New("the action failed")
	},
}

func registerShop(volume *admin.ModelAdmin) func(*admin.Site) error {
	return func(s *admin.Site) error {
		if err := registerNotes(s); err != nil {
			return err
		}
		for _, m := range []any{Publisher{}, Chapter{}, Sale{}} {
			if err := s.Register(m, nil); err != nil {
				return err
			}
		}
		return s.Register(Volume{}, volume)
	}
}

func volumeAdmin() *admin.ModelAdmin {
	return &admin.ModelAdmin{ListDisplay: []any{"title", "price", "in_stock"}, SearchFields: []string{"title"}, Ordering: []string{"title"},
		Actions: []admin.Action{markOutOfStock, exportCSV, failHalfway}}
}

// seedVolumes adds volumes a, b, c (b with two chapters, c with one) and
// returns their keys as strings.
func seedVolumes(f *fixture) map[string]string {
	keys := map[string]string{}
	for _, title := range []string{"a", "b", "c"} {
		b := &Volume{Title: title, Price: 10, InStock: true}
		f.insert(b)
		keys[title] = key(b.ID)
		for i := 0; i < len(title)*int(title[0]-'a'); i++ {
			f.insert(&Chapter{Title: title + "-ch" + key(int64(i)), Volume: orm.FK[Volume](b.ID)})
		}
	}
	return keys
}

func TestActionProtocol(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin()))
		keys := seedVolumes(f)
		c := f.root
		list := c.Get("/admin/shop/volume/?q=")
		expectStatus(t, list, 200)
		var choices []string
		list.Find(".actions select[name=action] option").Each(func(_ int, s *goquery.Selection) { choices = append(choices, s.Text()) })
		if want := []string{"---------", "Delete selected volumes", "Mark selected volumes as out of stock", "Export csv", "Fail halfway"}; !slices.Equal(choices, want) {
			t.Errorf("action choices %q, want %q (site actions first)", choices, want)
		}
		if n := list.Find("input.action-select").Length(); n != 3 {
			t.Errorf("%d action checkboxes", n)
		}
		submit := func(set url.Values) *webtest.Response {
			return c.Submit(list, "#changelist-form", set, "")
		}

		// Nothing selected, even across all pages: a warning, nothing run.
		for _, set := range []url.Values{
			{"action": {"mark_out_of_stock"}, "index": {"0"}},
			{"action": {"mark_out_of_stock"}, "index": {"0"}, "select_across": {"1"}},
		} {
			r := submit(set)
			if r.StatusCode != 302 || r.Location() != "/admin/shop/volume/?q=" {
				t.Fatalf("no selection: %d %q", r.StatusCode, r.Location())
			}
			if got := messages(c, r); got != "Items must be selected in order to perform actions on them. No items have been changed." {
				t.Errorf("no selection message %q", got)
			}
		}
		// The empty choice, or an unknown action.
		for _, name := range []string{"", "nope"} {
			r := submit(url.Values{"action": {name}, "index": {"0"}, "_selected_action": {keys["a"]}})
			if got := messages(c, r); got != "No action selected." {
				t.Errorf("action %q: message %q", name, got)
			}
		}
		// index picks the select of the bar whose Go was pressed.
		r := submit(url.Values{"action": {"", "mark_out_of_stock"}, "index": {"1"}, "_selected_action": {keys["a"]}})
		if got := c.Follow(r).Text(".messagelist li.warning"); got != "X marked" {
			t.Errorf("bottom select: the action's WARNING message %q", got)
		}
		r = submit(url.Values{"action": {"", "mark_out_of_stock"}, "index": {"0"}, "_selected_action": {keys["a"]}})
		if got := messages(c, r); got != "No action selected." {
			t.Errorf("top select empty: %q", got)
		}
		r = submit(url.Values{"action": {"mark_out_of_stock", ""}, "index": {"x"}, "_selected_action": {keys["b"]}})
		if got := messages(c, r); got != "X marked" {
			t.Errorf("a bad index means 0: %q", got)
		}
		if f.volume("a").InStock || f.volume("b").InStock || !f.volume("c").InStock {
			t.Error("the action ran on other volumes than the selected ones")
		}
		// A confirmation-style POST (no index) dispatches too.
		r = c.Post("/admin/shop/volume/?q=", url.Values{"csrfmiddlewaretoken": {list.Find("[name=csrfmiddlewaretoken]").First().AttrOr("value", "")},
			"action": {"mark_out_of_stock"}, "_selected_action": {keys["c"]}})
		if r.StatusCode != 302 || f.volume("c").InStock {
			t.Errorf("a POST without index but with a selection runs the action: %d", r.StatusCode)
		}

		// select_across runs on the whole filtered list, not the page.
		for _, title := range []string{"a", "b", "c"} {
			if _, err := orm.For[Volume](f.app.DB).Filter(orm.Q{"title": title}).Update(context.Background(), map[string]any{"in_stock": true}); err != nil {
				t.Fatal(err)
			}
		}
		filtered := c.Get("/admin/shop/volume/?q=b")
		r = c.Submit(filtered, "#changelist-form", url.Values{"action": {"mark_out_of_stock"}, "index": {"0"}, "select_across": {"1"}, "_selected_action": {keys["b"]}}, "")
		if r.Location() != "/admin/shop/volume/?q=b" {
			t.Errorf("redirect to the full URL: %q", r.Location())
		}
		if f.volume("b").InStock || !f.volume("a").InStock {
			t.Error("select_across must act on the filtered list only")
		}
		all := c.Get("/admin/shop/volume/")
		c.Submit(all, "#changelist-form", url.Values{"action": {"mark_out_of_stock"}, "index": {"0"}, "select_across": {"1"}, "_selected_action": {keys["a"]}}, "")
		if f.volume("c").InStock {
			t.Error("select_across over the whole list left a volume")
		}
		c.Submit(all, "#changelist-form", url.Values{"action": {"mark_out_of_stock"}, "index": {"0"}, "select_across": {"false"}, "_selected_action": {keys["a"]}}, "")

		// An action's own response, sent once its transaction committed.
		r = submit(url.Values{"action": {"export_csv"}, "index": {"0"}, "_selected_action": {keys["c"], keys["a"]}})
		if r.StatusCode != 200 || r.Header.Get("Content-Type") != "text/csv" || r.Body != "a\nc\n" {
			t.Errorf("CSV action: %d %q %q", r.StatusCode, r.Header.Get("Content-Type"), r.Body)
		}
		// A failing action changes nothing and sends nothing it wrote.
		r = submit(url.Values{"action": {"fail_halfway"}, "index": {"0"}, "_selected_action": {keys["a"]}})
		if r.StatusCode != 500 || strings.Contains(r.Body, "partial") || f.volume("a").Price != 10 {
			t.Errorf("failed action: %d, price %d", r.StatusCode, f.volume("a").Price)
		}
	})
}

func TestDeleteSelected(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin()))
		keys := seedVolumes(f)
		big := &Volume{ID: 12345, Title: "big", Price: 1}
		f.insert(big)
		c := f.root
		list := c.Get("/admin/shop/volume/?q=")
		confirm := c.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "index": {"0"},
			"_selected_action": {keys["b"], keys["c"], "12345"}}, "")
		expectStatus(t, confirm, 200)
		if got := confirm.Text("#content h1"); got != "Delete multiple objects" {
			t.Errorf("title %q", got)
		}
		if !strings.Contains(words(confirm.Text("#content p")), "Are you sure you want to delete the selected volumes? All of the following objects and their related items will be deleted:") {
			t.Errorf("text %q", confirm.Text("#content p"))
		}
		if got := confirm.Text("#content h2:first-of-type + ul li"); got != "Volumes: 3 Chapters: 3" {
			t.Errorf("summary %q", got)
		}
		var sent []string
		confirm.Find("form input[name=_selected_action]").Each(func(_ int, s *goquery.Selection) { sent = append(sent, s.AttrOr("value", "")) })
		if !slices.Contains(sent, "12345") || len(sent) != 3 {
			t.Errorf("hidden keys %q (unlocalized)", sent)
		}
		if got := confirm.Find("#content > ul > li > ul > li").Length(); got != 3 {
			t.Errorf("%d nested chapters", got)
		}
		if got := confirm.Text("#content > ul > li > ul > li a"); got != "b-ch0 c-ch0 c-ch1" {
			t.Errorf("nested chapters %q", got)
		}
		before := len(f.logEntries())
		done := c.Submit(confirm, "#content form", nil, "")
		if done.StatusCode != 302 || done.Location() != "/admin/shop/volume/?q=" {
			t.Fatalf("confirm: %d %q", done.StatusCode, done.Location())
		}
		if got := messages(c, done); got != "Successfully deleted 3 volumes." {
			t.Errorf("message %q", got)
		}
		if got := f.volumes(); !slices.Equal(got, []string{"a"}) {
			t.Errorf("left %q", got)
		}
		entries := f.logEntries()[before:]
		var reprs []string
		for _, e := range entries {
			if e.ActionFlag != admin.Deletion {
				t.Errorf("log entry flag %d", e.ActionFlag)
			}
			reprs = append(reprs, e.ObjectRepr)
		}
		slices.Sort(reprs)
		if !slices.Equal(reprs, []string{"b", "big", "c"}) {
			t.Errorf("logged deletions %q", reprs)
		}
		// One object: the singular name.
		one := c.Submit(c.Get("/admin/shop/volume/"), "#changelist-form", url.Values{"action": {"delete_selected"}, "index": {"0"}, "_selected_action": {keys["a"]}}, "")
		if !strings.Contains(one.Text("#content p"), "delete the selected volume?") {
			t.Errorf("singular %q", one.Text("#content p"))
		}
		if got := messages(c, c.Submit(one, "#content form", nil, "")); got != "Successfully deleted 1 volume." {
			t.Errorf("message %q", got)
		}
	})
}

func TestDeleteSelectedBlocked(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin()))
		keys := seedVolumes(f)
		f.insert(&Sale{Volume: orm.FK[Volume](f.volume("c").ID)})
		c := f.root
		selectAll := url.Values{"action": {"delete_selected"}, "index": {"0"}, "_selected_action": {keys["a"], keys["c"]}}
		page := c.Submit(c.Get("/admin/shop/volume/"), "#changelist-form", selectAll, "")
		expectStatus(t, page, 200)
		if got := page.Text("#content h1"); got != "Cannot delete volumes" {
			t.Errorf("protected title %q", got)
		}
		if got := words(page.Text("#content")); !strings.Contains(got, "Deleting the selected volumes would require deleting the following protected related objects: Sale: sale 1") {
			t.Errorf("protected text %q", got)
		}
		// Even a forged confirmation deletes nothing.
		forged := c.Submit(c.Get("/admin/shop/volume/"), "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": {keys["a"], keys["c"]}, "post": {"yes"}}, "")
		if forged.StatusCode != 200 || len(f.volumes()) != 3 {
			t.Errorf("protected confirm: %d, %d left", forged.StatusCode, len(f.volumes()))
		}

		// A user who may delete volumes but not chapters.
		staff := f.staff("clerk", "view_volume", "change_volume", "delete_volume", "view_chapter")
		selectB := url.Values{"action": {"delete_selected"}, "index": {"0"}, "_selected_action": {keys["b"]}}
		page = staff.Submit(staff.Get("/admin/shop/volume/"), "#changelist-form", selectB, "")
		if got := page.Text("#content h1"); got != "Cannot delete volume" {
			t.Errorf("perms title %q", got)
		}
		if got := words(page.Text("#content")); !strings.Contains(got, "Deleting the selected volume would result in deleting related objects, but your account doesn't have permission to delete the following types of objects: chapter") {
			t.Errorf("perms text %q", got)
		}
		confirm := staff.Submit(staff.Get("/admin/shop/volume/"), "#changelist-form", url.Values{"action": {"delete_selected"}, "_selected_action": {keys["b"]}, "post": {"yes"}}, "")
		expectStatus(t, confirm, 403)
		if len(f.volumes()) != 3 {
			t.Error("deleted without permission")
		}

		// Without delete permission the action is not offered at all.
		viewer := f.staff("viewer", "view_volume", "change_volume")
		list := viewer.Get("/admin/shop/volume/")
		if list.Find("option[value=delete_selected]").Length() != 0 {
			t.Error("delete_selected offered without delete permission")
		}
		r := viewer.Submit(list, "#changelist-form", selectB, "")
		if got := messages(viewer, r); got != "No action selected." {
			t.Errorf("forbidden action: %q", got)
		}
		// A view-only user sees no action that needs change permission.
		reader := f.staff("reader", "view_volume")
		list = reader.Get("/admin/shop/volume/")
		if list.Find("option[value=mark_out_of_stock]").Length() != 0 || list.Find("option[value=export_csv]").Length() != 1 {
			t.Errorf("actions offered to a reader: %q", list.Text("select[name=action]"))
		}
	})
}

func TestActionOptions(t *testing.T) {
	f := newShop(t, "sqlite", func(s *admin.Site) error {
		if err := s.DisableAction("delete_selected"); err != nil {
			return err
		}
		if err := s.AddAction(exportCSV); err != nil {
			return err
		}
		if err := s.Register(Note{}, &admin.ModelAdmin{ListDisplay: []any{"title", "body"}, DisableActions: true}); err != nil {
			return err
		}
		if err := s.Register(Publisher{}, &admin.ModelAdmin{ActionsOnTop: new(bool), ActionsOnBottom: true, ActionsSelectionCounter: new(bool)}); err != nil {
			return err
		}
		if _, ok := s.GetAction("delete_selected"); !ok {
			return errors.New("GetAction must find a disabled action")
		}
		return s.Register(Volume{}, &admin.ModelAdmin{ListDisplay: []any{"title", "price"}, ActionsOnBottom: true,
			Actions: []admin.Action{markOutOfStock, admin.DeleteSelectedAction()}})
	})
	seedVolumes(f)
	f.insert(&Note{Title: "n2", Body: "a"}, &Note{Title: "n1", Body: "b"}, &Publisher{Number: 1, Name: "P"})
	c := f.root

	notes := c.Get("/admin/notes/note/?o=0")
	if notes.Find(".actions, #action-toggle, .action-select").Length() != 0 || strings.Contains(notes.Body, "actions.js") {
		t.Error("DisableActions must remove the bar, the checkboxes and the script")
	}
	if strings.Contains(notes.Body, "filters.js") {
		t.Error("a change list without filters loads filters.js")
	}
	if got := notes.Text("#result_list tbody th"); got != "n1 n2" {
		t.Errorf("without actions o=0 is the first column: %q", got)
	}

	pubs := c.Get("/admin/shop/publisher/")
	bars := pubs.Find(".actions")
	if bars.Length() != 1 || bars.Find("button[name=index]").AttrOr("value", "") != "0" || bars.Find(".action-counter").Length() != 0 {
		t.Errorf("a bottom bar only, index 0, no counter: %d bars", bars.Length())
	}
	if got := pubs.Text("select[name=action] option"); got != "--------- Export csv" {
		t.Errorf("site actions: %q", got)
	}

	vols := c.Get("/admin/shop/volume/")
	var idx []string
	vols.Find(".actions button[name=index]").Each(func(_ int, s *goquery.Selection) { idx = append(idx, s.AttrOr("value", "")) })
	if !slices.Equal(idx, []string{"0", "1"}) {
		t.Errorf("top and bottom bars' indexes %q", idx)
	}
	if got := vols.Text(".actions:first-of-type select option"); got != "--------- Export csv Mark selected volumes as out of stock Delete selected volumes" {
		t.Errorf("site actions first, then the admin's: %q", got)
	}
	if got := vols.Text(".actions .action-counter"); got != "0 of 3 selected 0 of 3 selected" {
		t.Errorf("counter %q", got)
	}

	// The o parameter counts the checkbox column as 0.
	sorted := c.Get("/admin/shop/volume/?o=-1")
	if got := sorted.Text("#result_list tbody th"); got != "c b a" {
		t.Errorf("o=-1 sorts by the first column: %q", got)
	}
	var hrefs []string
	sorted.Find("#result_list thead th .text a").Each(func(_ int, s *goquery.Selection) { hrefs = append(hrefs, s.AttrOr("href", "")) })
	if !slices.Equal(hrefs, []string{"?o=1", "?o=2.-1"}) {
		t.Errorf("header links %q", hrefs)
	}
	if got := c.Get("/admin/shop/volume/?o=0").Text("#result_list tbody th"); got != "c b a" && got != "a b c" {
		t.Errorf("o=0 (the checkbox column) is skipped: %q", got)
	}
}
