package admin_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// Each admin below overrides one family of methods and leaves the options
// empty: the tests show the defaults and the pages reach the override
// through the registered value, as Django's super() chain does.

// listAdmin overrides the change list's getters.
type listAdmin struct{ admin.ModelAdmin }

func (a *listAdmin) GetListDisplay(r *http.Request) []any     { return []any{"title", "body", "loud"} }
func (a *listAdmin) GetSearchFields(r *http.Request) []string { return []string{"body"} }
func (a *listAdmin) GetSortableBy(r *http.Request) []string   { return []string{"body"} }
func (a *listAdmin) GetOrdering(r *http.Request) []string     { return []string{"-title"} }
func (a *listAdmin) GetListDisplayLinks(r *http.Request, display []any) []string {
	return []string{"body"}
}
func (a *listAdmin) LookupAllowed(r *http.Request, lookup, value string) bool {
	return lookup != "done" && a.ModelAdmin.LookupAllowed(r, lookup, value)
}

func TestOverrideListFamily(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, func(s *admin.Site) error { return s.Register(Note{}, &listAdmin{}) })
		f.insert(&Note{Title: "a", Body: "apples"}, &Note{Title: "b", Body: "bananas"}, &Note{Title: "c", Body: "cherries"})
		list := f.root.Get("/admin/notes/note/")
		expectStatus(t, list, 200)
		if got := list.Text("#result_list thead th"); got != "Title Body Loud" {
			t.Errorf("GetListDisplay: headers %q", got)
		}
		if got := list.Text("#result_list tbody th"); got != "c b a" {
			t.Errorf("GetOrdering (reached through GetQueryset): rows %q", got)
		}
		if n := list.Find("#result_list thead th.sortable").Length(); n != 1 || list.Find("th.column-body.sortable").Length() != 1 {
			t.Errorf("GetSortableBy: %d sortable headers", n)
		}
		if n := list.Find("#result_list td.field-body a").Length(); n != 3 || list.Find("#result_list th.field-title a").Length() != 0 {
			t.Errorf("GetListDisplayLinks: %d body links", n)
		}
		if list.Find("#searchbar").Length() != 1 {
			t.Error("GetSearchFields: no search box")
		}
		if got := f.root.Get("/admin/notes/note/?q=banana").Text("#result_list tbody th"); got != "b" {
			t.Errorf("GetSearchResults must search GetSearchFields: %q", got)
		}
		expectStatus(t, f.root.Get("/admin/notes/note/?done=1"), 400)
		expectStatus(t, f.root.Get("/admin/notes/note/?title=a"), 200)
	})
}

// lockedAdmin lets nobody change a note titled "locked".
type lockedAdmin struct{ admin.ModelAdmin }

func (a *lockedAdmin) HasChangePermission(r *http.Request, obj any) bool {
	if n, ok := obj.(*Note); ok && n.Title == "locked" {
		return false
	}
	return a.ModelAdmin.HasChangePermission(r, obj)
}

func TestOverridePermissionFamily(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, func(s *admin.Site) error { return s.Register(Note{}, &lockedAdmin{}) })
		f.insert(&Note{Title: "locked", Body: "x"}, &Note{Title: "open", Body: "y"})
		locked, open := f.note("locked"), f.note("open")
		page := f.root.Get("/admin/notes/note/" + key(locked.ID) + "/change/")
		expectStatus(t, page, 200)
		if got := page.Text("#content h1"); got != "View note" {
			t.Errorf("title %q", got)
		}
		if page.Find(`input[name="_save"]`).Length() != 0 || page.Find("a.closelink").Length() != 1 {
			t.Error("a view-only page offers Save, or no Close")
		}
		if page.Find(".field-title .readonly").Length() != 1 {
			t.Error("the fields of a view-only page are not read-only")
		}
		r := f.root.Post("/admin/notes/note/"+key(locked.ID)+"/change/", url.Values{"title": {"changed"}, "csrfmiddlewaretoken": {f.root.Cookie("csrftoken")}})
		expectStatus(t, r, 403)
		if f.note("locked").Body != "x" {
			t.Error("a refused POST changed the note")
		}
		if f.root.Get("/admin/notes/note/"+key(open.ID)+"/change/").Text("#content h1") != "Change note" {
			t.Error("the other note is not editable")
		}
	})
}

// formAdmin overrides the change form's getters.
type formAdmin struct{ admin.ModelAdmin }

func (a *formAdmin) GetReadonlyFields(r *http.Request, obj any) []string {
	if obj != nil {
		return []string{"title", "shout"}
	}
	return nil
}

func (a *formAdmin) GetFieldsets(r *http.Request, obj any) []admin.Fieldset {
	lines := [][]string{{"title", "done"}, {"body"}}
	if obj != nil {
		lines = append(lines, []string{"shout"})
	}
	return []admin.Fieldset{
		{Name: "Main", Description: "What the note says.", Lines: lines},
		{Name: "Place", Classes: []string{"collapse"}, Lines: admin.Lines("shelf")},
	}
}

func (a *formAdmin) GetChangeformInitialData(r *http.Request) url.Values {
	return url.Values{"body": {"typed by the override"}}
}

func (a *formAdmin) FormfieldForForeignKey(r *http.Request, db *orm.Field, ff *admin.Formfield) {
	a.ModelAdmin.FormfieldForForeignKey(r, db, ff)
	ff.Choices = a.Site().DB().Query(db.Related).Filter(orm.Q{"name__startswith": "ok"})
}

// Shout is an admin method shown as a read-only field.
func (a *formAdmin) Shout(n *Note) string { return strings.ToUpper(n.Body) + "!" }

func TestOverrideFormFamily(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		f := newFixture(t, d, func(s *admin.Site) error {
			if err := s.Register(Shelf{}, nil); err != nil {
				return err
			}
			return s.Register(Note{}, &formAdmin{})
		})
		ok, no := &Shelf{Name: "ok shelf"}, &Shelf{Name: "no shelf"}
		f.insert(ok, no)
		add := f.root.Get("/admin/notes/note/add/")
		expectStatus(t, add, 200)
		if got := add.Text("fieldset h2"); got != "Main Place" {
			t.Errorf("GetFieldsets: headings %q", got)
		}
		if add.Find(".form-row.field-title.field-done .form-multiline").Length() != 1 {
			t.Error("a line of two fields is not laid out side by side")
		}
		if add.Find("fieldset.collapse details summary").Length() != 1 {
			t.Error("a collapsible fieldset is not a <details>")
		}
		if got := add.Find("#id_body").Text(); got != "typed by the override" {
			t.Errorf("GetChangeformInitialData: body %q", got)
		}
		if got := add.Text("#id_shelf option"); got != "--------- ok shelf" {
			t.Errorf("FormfieldForForeignKey: choices %q", got)
		}
		r := f.root.Submit(add, "#note_form", url.Values{"title": {"t"}, "body": {"b"}, "shelf": {key(no.ID)}}, "_save")
		expectStatus(t, r, 200) // refused: not among the choices
		if !strings.Contains(r.Text(".field-shelf .errorlist"), "Select a valid choice") {
			t.Errorf("a shelf outside the choices was accepted: %q", r.Text(".errorlist"))
		}
		r = f.root.Submit(add, "#note_form", url.Values{"title": {"t"}, "body": {"b"}, "shelf": {key(ok.ID)}}, "_save")
		expectStatus(t, r, 302)
		n := f.note("t")
		change := f.root.Get("/admin/notes/note/" + key(n.ID) + "/change/")
		if change.Find(".field-title .readonly").Length() != 1 || change.Find("#id_title").Length() != 0 {
			t.Error("GetReadonlyFields: the title is editable")
		}
		if got := change.Text(".field-shout .readonly"); got != "B!" {
			t.Errorf("admin method as a read-only field: %q", got)
		}
		r = f.root.Submit(change, "#note_form", url.Values{"title": {"forged"}, "body": {"new"}}, "_save")
		expectStatus(t, r, 302)
		if got := f.note("t"); got.Body != "new" {
			t.Errorf("body %q after the change", got.Body)
		}
	})
}

// saveAdmin overrides the save sequence, the log and the responses.
type saveAdmin struct {
	admin.ModelAdmin
	deleted []string
}

func (a *saveAdmin) SaveModel(r *http.Request, obj any, f *form.ModelForm, change bool) error {
	obj.(*Note).Body += " (saved)"
	return a.ModelAdmin.SaveModel(r, obj, f, change)
}

func (a *saveAdmin) ConstructChangeMessage(r *http.Request, f *form.ModelForm, fs []*form.ModelFormSet, add bool) string {
	return "custom: " + a.ModelAdmin.ConstructChangeMessage(r, f, fs, add)
}

func (a *saveAdmin) ResponseChange(w http.ResponseWriter, r *http.Request, obj any) error {
	a.MessageUser(r, flash.Info, "changed by the override")
	http.Redirect(w, r, a.Site().URL(), http.StatusFound)
	return nil
}

func (a *saveAdmin) DeleteModel(r *http.Request, obj any) error {
	n := obj.(*Note)
	a.deleted = append(a.deleted, n.Title)
	n.Done = true // archived, not deleted
	return a.Site().DB().Update(r.Context(), n, "done")
}

func (a *saveAdmin) GetObject(r *http.Request, id string) (any, error) {
	obj, err := a.ModelAdmin.GetObject(r, id)
	if n, ok := obj.(*Note); ok && n.Done {
		return nil, orm.ErrNotFound
	}
	return obj, err
}

func (a *saveAdmin) ChangeView(w http.ResponseWriter, r *http.Request, id string) error {
	w.Header().Set("X-Wrapped", "yes")
	return a.ModelAdmin.ChangeView(w, r, id)
}

func TestOverrideSaveFamily(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		sa := &saveAdmin{}
		f := newFixture(t, d, func(s *admin.Site) error { return s.Register(Note{}, sa) })
		f.insert(&Note{Title: "n", Body: "old"})
		n := f.note("n")
		changeURL := "/admin/notes/note/" + key(n.ID) + "/change/"
		page := f.root.Get(changeURL)
		if page.Header.Get("X-Wrapped") != "yes" {
			t.Error("the wrapped ChangeView was not used")
		}
		r := f.root.Submit(page, "#note_form", url.Values{"body": {"new"}}, "_save")
		if r.StatusCode != 302 || r.Location() != "/admin/" {
			t.Fatalf("ResponseChange: %d %s", r.StatusCode, r.Location())
		}
		if got := f.root.Follow(r).Text(".messagelist li.info"); got != "Changed by the override" {
			t.Errorf("MessageUser: %q", got)
		}
		if got := f.note("n").Body; got != "new (saved)" {
			t.Errorf("SaveModel: body %q", got)
		}
		entries, err := orm.All[admin.LogEntry](context.Background(), orm.For[admin.LogEntry](f.app.DB).OrderBy("-id").Limit(1))
		if err != nil || len(entries) != 1 || entries[0].ChangeMessage != `custom: [{"changed": {"fields": ["Body"]}}]` {
			t.Errorf("ConstructChangeMessage: %v %+v", err, entries)
		}
		confirm := f.root.Get("/admin/notes/note/" + key(n.ID) + "/delete/")
		expectStatus(t, confirm, 200)
		expectStatus(t, f.root.Submit(confirm, "#content form", nil, ""), 302)
		if len(sa.deleted) != 1 || !f.note("n").Done {
			t.Errorf("DeleteModel was not called through the registered value: %v", sa.deleted)
		}
		r = f.root.Get(changeURL)
		if r.StatusCode != 302 || r.Location() != "/admin/" {
			t.Errorf("GetObject: an archived note must look missing: %d %s", r.StatusCode, r.Location())
		}
	})
}

func TestRegistry(t *testing.T) {
	newFixture(t, "sqlite", func(s *admin.Site) error {
		if err := s.Register(Note{}, &listAdmin{}); err != nil {
			return err
		}
		var already *admin.AlreadyRegisteredError
		err := s.Register(Note{}, nil)
		if !errors.As(err, &already) || err.Error() != "admin: the model Note is already registered with 'notes.listAdmin'" {
			t.Errorf("second registration: %v", err)
		}
		shared := &admin.ModelAdmin{}
		if err := s.Register(Shelf{}, shared); err != nil {
			return err
		}
		if err := s.Unregister(Shelf{}); err != nil {
			return err
		}
		var missing *admin.NotRegisteredError
		if err := s.Unregister(Shelf{}); !errors.As(err, &missing) || err.Error() != "admin: the model Shelf is not registered" {
			t.Errorf("unregistering twice: %v", err)
		}
		if err := s.Register(Shelf{}, nil); err != nil {
			return err
		}
		if err := s.Register(Note{}, shared); err == nil || !errors.As(err, &already) {
			t.Errorf("the model is registered: %v", err)
		}
		if ma, err := s.ModelAdmin(Note{}); err != nil || ma == nil {
			t.Errorf("ModelAdmin: %v", err)
		}
		return nil
	})
	f := newFixture(t, "sqlite", func(s *admin.Site) error {
		a := &admin.ModelAdmin{}
		if err := s.Register(Shelf{}, a); err != nil {
			return err
		}
		if err := s.Register(Note{}, a); err == nil || !strings.Contains(err.Error(), "already registered for notes.Shelf") {
			t.Errorf("one value for two models: %v", err)
		}
		return nil
	})
	// The fixture's login made the site serve: it refuses changes now.
	if err := f.app.Site.Register(Note{}, nil); err == nil || !strings.Contains(err.Error(), "already serving") {
		t.Errorf("Register while serving: %v", err)
	}
	if err := f.app.Site.Unregister(Shelf{}); err == nil || !strings.Contains(err.Error(), "already serving") {
		t.Errorf("Unregister while serving: %v", err)
	}
}

func TestFormfieldOverrides(t *testing.T) {
	f := newFixture(t, "sqlite", func(s *admin.Site) error {
		return s.Register(Note{}, &admin.ModelAdmin{FormfieldOverrides: map[orm.Kind]func() form.Widget{
			orm.KindChar: func() form.Widget { return &form.Textarea{Attrs: form.Attrs{{Name: "rows", Value: "2"}}} },
		}})
	})
	add := f.root.Get("/admin/notes/note/add/")
	if add.Find(`textarea#id_title[rows="2"]`).Length() != 1 {
		t.Errorf("the char field did not get the overriding widget:\n%s", add.Find(".field-title").Text())
	}
}

// urlAdmin adds pages of its own below the model's URL.
type urlAdmin struct{ admin.ModelAdmin }

func (a *urlAdmin) GetURLs() []admin.View {
	return append([]admin.View{
		{Path: "{id}/summary/", Name: "notes_note_summary", Handler: func(w http.ResponseWriter, r *http.Request) error {
			obj, err := a.GetObject(r, r.PathValue("object_id"))
			if err != nil {
				return err
			}
			_, err = w.Write([]byte("summary of " + obj.(*Note).Title))
			return err
		}},
		{Path: "secret/", Handler: func(w http.ResponseWriter, r *http.Request) error { return admin.ErrPermissionDenied }},
		{Path: "odd/", Handler: func(w http.ResponseWriter, r *http.Request) error { return admin.BadRequest("odd request") }},
	}, a.ModelAdmin.GetURLs()...)
}

func TestModelAdminURLs(t *testing.T) {
	f := newFixture(t, "sqlite", func(s *admin.Site) error { return s.Register(Note{}, &urlAdmin{}) })
	f.insert(&Note{Title: "n/1"})
	n := f.note("n/1")
	r := f.root.Get("/admin/notes/note/" + key(n.ID) + "/summary/")
	if expectStatus(t, r, 200); r.Body != "summary of n/1" {
		t.Errorf("summary page %q", r.Body)
	}
	expectStatus(t, f.root.Get("/admin/notes/note/999/summary/"), 404)
	expectStatus(t, f.root.Get("/admin/notes/note/secret/"), 403)
	expectStatus(t, f.root.Get("/admin/notes/note/odd/"), 400)
	expectStatus(t, f.root.Get("/admin/notes/note/"+key(n.ID)+"/change/"), 200)
	expectStatus(t, f.root.Get("/admin/notes/note/"), 200)
	anon := webtest.New(t, f.app.Handler)
	if r := anon.Get("/admin/notes/note/secret/"); r.StatusCode != 302 || !strings.HasPrefix(r.Location(), "/admin/login/?next=") {
		t.Errorf("anonymous: %d %s", r.StatusCode, r.Location())
	}
}
