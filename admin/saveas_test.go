package admin_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// buttons lists the names of a form page's submit buttons, in order.
func buttons(r *webtest.Response) string {
	var names []string
	r.Find(`.submit-row input[type="submit"]`).Each(func(_ int, s *goquery.Selection) {
		names = append(names, s.AttrOr("name", ""))
	})
	return strings.Join(names, " ")
}

// kitsSaved is the titles of the kits, in key order.
func (f *fixture) kitsSaved() string {
	f.t.Helper()
	ks, err := orm.All[Kit](context.Background(), orm.For[Kit](f.app.DB).OrderBy("id"))
	if err != nil {
		f.t.Fatal(err)
	}
	var titles []string
	for _, k := range ks {
		titles = append(titles, k.Title)
	}
	return strings.Join(titles, ", ")
}

// TestSaveAs: contract §4.1, §4.2 and item 11 — "Save as new" on change
// forms replaces "Save and add another"; it is an add (the add
// permission, not the change one), copies the many-to-many values from
// the form and goes where SaveAsContinue says.
func TestSaveAs(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		ma := &admin.ModelAdmin{SaveAs: true}
		f := newKits(t, dialect, registerKits(ma))
		top, bottom := &Shelf{Name: "Top"}, &Shelf{Name: "Bottom"}
		f.insert(top, bottom)
		orig := &Kit{Title: "Original", Slug: "original", Size: "s", Owner: orm.FK[Shelf](top.ID)}
		f.insert(orig)
		if err := f.app.DB.SetM2M(context.Background(), orig, "spares", []int64{top.ID, bottom.ID}); err != nil {
			t.Fatal(err)
		}
		changeURL := "/admin/kits/kit/" + key(orig.ID) + "/change/"

		if got := buttons(f.root.Get("/admin/kits/kit/add/")); got != "_save _addanother _continue" {
			t.Errorf("add page buttons %q", got)
		}
		change := f.root.Get(changeURL)
		if got := buttons(change); got != "_save _saveasnew _continue" {
			t.Errorf("change page buttons %q", got)
		}

		r := f.root.Submit(change, "#kit_form", url.Values{"title": {"Copy"}}, "_saveasnew")
		expectStatus(t, r, 302)
		copied := f.kit("Copy")
		if r.Location() != "/admin/kits/kit/"+key(copied.ID)+"/change/" {
			t.Errorf("redirect %q", r.Location())
		}
		want := "The kit “Copy” was added successfully. You may edit it again below."
		if got := messages(f.root, r); got != want {
			t.Errorf("message %q, want %q", got, want)
		}
		if got := f.kitsSaved(); got != "Original, Copy" {
			t.Errorf("kits %q", got)
		}
		spares, err := orm.For[Shelf](f.app.DB).Filter(orm.Q{"spare_kits": copied.ID}).Count(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if spares != 2 || copied.Size != "s" || copied.Owner.ID != top.ID {
			t.Errorf("the copy is %+v with spares %v", copied, spares)
		}
		if es := f.logEntries(); len(es) != 1 || es[0].ActionFlag != admin.Addition || es[0].ObjectID == nil || *es[0].ObjectID != key(copied.ID) {
			t.Errorf("log entries %+v", es)
		}

		// A "Save as new" that does not validate shows the change
		// template without Save nor Save and continue.
		r = f.root.Submit(change, "#kit_form", url.Values{"title": {""}}, "_saveasnew")
		expectStatus(t, r, 200)
		if got := buttons(r); got != "_saveasnew" {
			t.Errorf("buttons after a failed save as new %q", got)
		}
		if r.Find("a.closelink").Length() != 1 {
			t.Error("no Close link after a failed save as new")
		}

		// A change-only user may not; an add-only user may, from the
		// change URL, and lands on the index.
		changer := f.staff("changer", "view_kit", "change_kit")
		expectStatus(t, changer.Submit(changer.Get(changeURL), "#kit_form", url.Values{"title": {"Changer's"}}, "_saveasnew"), 403)
		if got := buttons(changer.Get(changeURL)); got != "_save _continue" {
			t.Errorf("change-only buttons %q", got)
		}
		adder := f.staff("adder", "add_kit")
		_, values := change.FormValues("#kit_form")
		values.Set("title", "Adder's")
		values.Set("_saveasnew", "1")
		values.Set("csrfmiddlewaretoken", adder.Get("/admin/kits/kit/add/").Find(`input[name="csrfmiddlewaretoken"]`).AttrOr("value", ""))
		r = adder.Post(changeURL, values)
		expectStatus(t, r, 302)
		if r.Location() != "/admin/" {
			t.Errorf("add-only save as new went to %q", r.Location())
		}
		if got := f.kitsSaved(); got != "Original, Copy, Adder's" {
			t.Errorf("kits %q", got)
		}
	})
}

// TestSaveAsContinueFalse: with SaveAsContinue false "Save as new" goes
// to the change list.
func TestSaveAsContinueFalse(t *testing.T) {
	no := false
	f := newKits(t, "sqlite", registerKits(&admin.ModelAdmin{SaveAs: true, SaveAsContinue: &no}))
	top := &Shelf{Name: "Top"}
	f.insert(top)
	orig := &Kit{Title: "Original", Slug: "original", Size: "s", Owner: orm.FK[Shelf](top.ID)}
	f.insert(orig)
	change := f.root.Get("/admin/kits/kit/" + key(orig.ID) + "/change/")
	r := f.root.Submit(change, "#kit_form", url.Values{"title": {"Copy"}}, "_saveasnew")
	expectStatus(t, r, 302)
	if r.Location() != "/admin/kits/kit/" {
		t.Errorf("redirect %q", r.Location())
	}
	if got, want := messages(f.root, r), "The kit “Copy” was added successfully."; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// TestSaveAsWithInlines: "Save as new" copies the inline rows to the new
// object, as Django's save_as_new formsets do, and leaves the original's
// rows where they were.
func TestSaveAsWithInlines(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(&admin.ModelAdmin{SaveAs: true, Inlines: []admin.Inline{admin.Tabular(Chapter{})}}))
		ctx := context.Background()
		vol := &Volume{Title: "Original"}
		f.insert(vol)
		f.insert(&Chapter{Title: "One", Volume: orm.FK[Volume](vol.ID)}, &Chapter{Title: "Two", Volume: orm.FK[Volume](vol.ID)})
		change := f.root.Get("/admin/shop/volume/" + key(vol.ID) + "/change/")
		expectStatus(t, change, 200)
		r := f.root.Submit(change, "#volume_form", url.Values{"title": {"Copy"}}, "_saveasnew")
		if r.StatusCode != 302 {
			t.Fatalf("save as new: %d %s %s", r.StatusCode, r.Text(".errornote"), r.Text(".errorlist"))
		}
		copied := f.volume("Copy")
		for _, c := range []struct {
			id   int64
			want int64
		}{{vol.ID, 2}, {copied.ID, 2}} {
			n, err := orm.For[Chapter](f.app.DB).Filter(orm.Q{"volume": c.id}).Count(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n != c.want {
				t.Errorf("volume %d has %d chapters, want %d", c.id, n, c.want)
			}
		}
	})
}
