package admin_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/browser"
	"github.com/staffroom/staffroom/orm"
)

// rawIDAdmins registers Title with its editor (limited to active
// writers), imprint (keyed by code, a to_field) and writers as raw id
// inputs.
func rawIDAdmins(site *admin.Site) error {
	if err := site.Register(Writer{}, &admin.ModelAdmin{Ordering: []string{"name"}, SearchFields: []string{"name"}}); err != nil {
		return err
	}
	if err := site.Register(Imprint{}, nil); err != nil {
		return err
	}
	return site.Register(Title{}, &admin.ModelAdmin{RawIDFields: []string{"editor", "imprint", "writers"}})
}

// lookupPopup is the script naming the lookup popup of the input id.
func lookupPopup(id string) string { return `window.open("", "staffroom_lookup__` + id + `")` }

// pickInLookup waits for the lookup popup of the input id to show its
// change list, checks it is a popup list (its address carries _popup=1
// and the wanted _to_field), then clicks the row link of the object
// whose text is name, as a person picks it.
func pickInLookup(t *testing.T, p *browser.Page, id, toField, name string) {
	t.Helper()
	w := lookupPopup(id)
	p.WaitTrue(`(() => { const d = ` + w + `.document; return d.readyState === "complete" && !!d.querySelector("#result_list"); })()`)
	if got := browser.Eval[string](p, w+`.location.search`); !containsAll(got, "_popup=1", "_to_field="+toField) {
		t.Errorf("the lookup popup of %s opened %q, want _popup=1 and _to_field=%s", id, got, toField)
	}
	found := browser.Eval[bool](p, `(() => {
		const d = `+w+`.document;
		const a = Array.from(d.querySelectorAll("#result_list a[data-popup-opener]")).find(a => a.textContent.trim() === `+jsString(name)+`);
		if (!a) return false;
		a.click();
		return true;
	})()`)
	if !found {
		t.Fatalf("the lookup popup of %s has no row link %q", id, name)
	}
	p.WaitTrue(w + `.location.href === "about:blank"`) // closed: window.open made a fresh one
	browser.Eval[bool](p, w+`.close(), true`)
}

// TestBrowserRawIDLookup picks a title's editor, imprint and two writers
// in the lookup popups of their raw id inputs, and saves: the editor's
// popup lists only active writers (limit_choices_to), also after a
// search in it, the imprint's hands back its code (_to_field), and the
// writers' keys are appended with a comma.
func TestBrowserRawIDLookup(t *testing.T) {
	f := newLibWith(t, "sqlite", rawIDAdmins)
	ann, bea, cid := &Writer{Name: "Ann", Active: true}, &Writer{Name: "Bea", Active: true}, &Writer{Name: "Cid"}
	f.insert(ann, bea, cid, &Writer{Name: "Dan"})
	penguin := &Imprint{Code: 4711, Prefix: 1, Name: "Penguin"}
	f.insert(penguin)
	title := &Title{Name: "Odes"}
	f.insert(title)
	base := serve(t, f.app.Handler)
	p := chrome.Page(t)
	p.Login(base, "/admin/login/", "root", "pw")
	p.Open(base + "/admin/lib/title/" + key(title.ID) + "/change/")

	p.Click("#lookup_id_editor")
	w := lookupPopup("id_editor")
	p.WaitTrue(`(() => { const d = ` + w + `.document; return d.readyState === "complete" && !!d.querySelector("#result_list"); })()`)
	if got := words(browser.Eval[string](p, w+`.document.querySelector("#result_list tbody").textContent`)); got != "Ann Bea" {
		t.Errorf("the editor's popup lists %q, want the active writers only", got)
	}
	browser.Eval[bool](p, `(() => { const d = `+w+`.document; d.getElementById("searchbar").value = "a"; d.getElementById("changelist-search").submit(); return true; })()`)
	p.WaitTrue(`(() => { const d = ` + w + `.document; return d.readyState === "complete" && d.location.search.includes("q=a") && !!d.querySelector("#result_list"); })()`)
	if got := words(browser.Eval[string](p, w+`.document.querySelector("#result_list tbody").textContent`)); got != "Ann Bea" {
		t.Errorf("after searching, the editor's popup lists %q, want the active writers matching (not Dan)", got)
	}
	pickInLookup(t, p, "id_editor", "id", "Bea")
	if got := browser.Eval[string](p, `document.getElementById("id_editor").value`); got != key(bea.ID) {
		t.Errorf("editor input %q, want %s", got, key(bea.ID))
	}
	if got := browser.Eval[string](p, `document.activeElement.id`); got != "id_editor" {
		t.Errorf("focus on %q after the pick, want the input", got)
	}

	p.Click("#lookup_id_imprint")
	pickInLookup(t, p, "id_imprint", "code", "Penguin")
	if got := browser.Eval[string](p, `document.getElementById("id_imprint").value`); got != "4711" {
		t.Errorf("imprint input %q, want the code 4711", got)
	}

	p.Click("#lookup_id_writers")
	pickInLookup(t, p, "id_writers", "id", "Ann")
	p.Click("#lookup_id_writers")
	pickInLookup(t, p, "id_writers", "id", "Cid")
	if got, want := browser.Eval[string](p, `document.getElementById("id_writers").value`), key(ann.ID)+","+key(cid.ID); got != want {
		t.Errorf("writers input %q, want %q", got, want)
	}

	// A writer added through the popup list's "Add" link comes back too.
	p.Click("#lookup_id_writers")
	w = lookupPopup("id_writers")
	p.WaitTrue(`(() => { const d = ` + w + `.document; return d.readyState === "complete" && !!d.querySelector("#result_list"); })()`)
	browser.Eval[bool](p, w+`.document.querySelector(".object-tools a.addlink").click(), true`)
	p.WaitTrue(`(() => { const d = ` + w + `.document; return d.readyState === "complete" && !!d.querySelector("#writer_form"); })()`)
	browser.Eval[bool](p, `(() => { const d = `+w+`.document; d.querySelector("#id_name").value = "Dee"; d.querySelector("#writer_form input[name=_save]").click(); return true; })()`)
	p.WaitTrue(`document.getElementById("id_writers").value.split(",").length === 3`)
	dee, err := orm.Get[Writer](context.Background(), orm.For[Writer](f.app.DB), orm.Q{"name": "Dee"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := browser.Eval[string](p, `document.getElementById("id_writers").value`), key(ann.ID)+","+key(cid.ID)+","+key(dee.ID); got != want {
		t.Errorf("writers input %q after adding in the popup, want %q", got, want)
	}
	p.WaitTrue(w + `.location.href === "about:blank"`)
	browser.Eval[bool](p, w+`.close(), true`)

	p.ClickLoad(`#title_form input[name="_save"]`)
	if got := p.URL(); got != base+"/admin/lib/title/" {
		t.Fatalf("after saving: %s (%s)", got, p.Text("#content"))
	}
	ctx := context.Background()
	got, err := orm.Get[Title](ctx, orm.For[Title](f.app.DB), orm.Q{"pk": title.ID})
	if err != nil {
		t.Fatal(err)
	}
	if got.Editor.ID != bea.ID {
		t.Errorf("saved editor %v, want %d", got.Editor.ID, bea.ID)
	}
	if got.Imprint.ID != penguin.Code {
		t.Errorf("saved imprint %v, want the code %d", got.Imprint.ID, penguin.Code)
	}
	if ids, _ := f.app.DB.LoadM2M(ctx, got, "writers"); !slices.Equal(ids, []int64{ann.ID, cid.ID, dee.ID}) {
		t.Errorf("saved writers %v", ids)
	}
}

// containsAll reports whether s holds every one of parts.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// jsString is s as a JavaScript string literal.
func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
