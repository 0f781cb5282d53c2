package admin_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

// TaggedItem tags an object of any model, Django's classic generic
// relation example.
type TaggedItem struct {
	ID            int64
	Tag           string                                  `orm:"max_length=50"`
	ContentType   orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ObjectID      int64                                   `orm:"type=positive"`
	ContentObject orm.GenericForeignKey
}

func (t *TaggedItem) String() string { return t.Tag }

// tagsApp holds the tagged items.
var tagsApp = orm.AppConfig{Name: "tags", Models: []any{TaggedItem{}}}

// tagPrefix is the prefix Django gives the tagged items' generic inline.
const tagPrefix = "tags-taggeditem-content_type-object_id"

// taggedShelf makes the fixture of a shelf and a note with the same id,
// tagged "wood" and "tall" and "urgent", shelves having a tabular generic
// inline of their tags and notes a stacked one.
func taggedShelf(t *testing.T, dialect string, perPage int) (*fixture, *Shelf, *Note) {
	t.Helper()
	f := newProject(t, dialect, []orm.AppConfig{tagsApp}, func(site *admin.Site) error {
		tabular, stacked := admin.GenericTabular(TaggedItem{}), admin.GenericStacked(TaggedItem{})
		one := 1
		tabular.Extra, tabular.PerPage = &one, perPage
		if err := site.Register(Shelf{}, &admin.ModelAdmin{Inlines: []admin.Inline{tabular}}); err != nil {
			return err
		}
		return site.Register(Note{}, &admin.ModelAdmin{Inlines: []admin.Inline{stacked}})
	})
	shelf, note := &Shelf{Name: "Top shelf"}, &Note{Title: "Dust it"}
	f.insert(shelf, note)
	if shelf.ID != note.ID {
		t.Fatalf("shelf %d and note %d", shelf.ID, note.ID)
	}
	for _, tg := range []struct {
		tag    string
		object any
	}{{"wood", shelf}, {"tall", shelf}, {"urgent", note}} {
		item := &TaggedItem{Tag: tg.tag}
		if err := f.app.DB.SetGenericObject(context.Background(), item, "content_object", tg.object); err != nil {
			t.Fatal(err)
		}
		f.insert(item)
	}
	return f, shelf, note
}

// tags lists the tagged items as "<model>:<object id>:<tag>", by id.
func (f *fixture) tags() string {
	f.t.Helper()
	ctx := context.Background()
	items, err := orm.All[TaggedItem](ctx, orm.For[TaggedItem](f.app.DB).OrderBy("id"))
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, it := range items {
		ct, err := f.app.Types.ByID(ctx, it.ContentType.ID)
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, ct.Model+":"+key(it.ObjectID)+":"+it.Tag)
	}
	return strings.Join(out, " ")
}

// TestGenericInline: a shelf's change page shows its tags, not the tags of
// the note with the same id, under Django's prefix; a submission changes,
// deletes and adds tags pointing at the shelf, in one logged change.
func TestGenericInline(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f, shelf, note := taggedShelf(t, dialect, 0)
		id := key(shelf.ID)
		page := f.root.Get("/admin/notes/shelf/" + id + "/change/")
		expectStatus(t, page, 200)
		for sel, want := range map[string]string{
			`input[name="` + tagPrefix + `-TOTAL_FORMS"]`:   "3",
			`input[name="` + tagPrefix + `-INITIAL_FORMS"]`: "2",
			`input[name="` + tagPrefix + `-0-tag"]`:         "wood",
			`input[name="` + tagPrefix + `-1-tag"]`:         "tall",
		} {
			if got, _ := page.Find(sel).Attr("value"); got != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		if page.Find("#"+tagPrefix+"-group").Length() != 1 || page.Find(`input[value="urgent"]`).Length() != 0 {
			t.Error("no tags group, or the note's tag on the shelf's page")
		}
		if page.Find(`[name$="-content_type"], [name$="-object_id"], [name$="-content_object"]`).Length() != 0 {
			t.Error("the generic key is a field of the inline's forms")
		}

		r := f.root.Submit(page, "#shelf_form", url.Values{tagPrefix + "-0-tag": {"oak"}, tagPrefix + "-1-DELETE": {"on"},
			tagPrefix + "-2-tag": {"new"}}, "")
		expectStatus(t, r, 302)
		s, n := "shelf:"+id, "note:"+key(note.ID)
		if got, want := f.tags(), s+":oak "+n+":urgent "+s+":new"; got != want {
			t.Errorf("tags\n got %s\nwant %s", got, want)
		}
		entries := f.logEntries()
		last := entries[len(entries)-1]
		want := `[{"added": {"name": "tagged item", "object": "new"}}, {"changed": {"name": "tagged item", "object": "oak", "fields": ["Tag"]}}, {"deleted": {"name": "tagged item", "object": "tall"}}]`
		if len(entries) != 1 || last.ChangeMessage != want || last.ObjectID == nil || *last.ObjectID != id {
			t.Errorf("%d log entries, the last %q of %v", len(entries), last.ChangeMessage, last.ObjectID)
		}

		// The note's stacked inline shows its own tag.
		page = f.root.Get("/admin/notes/note/" + key(note.ID) + "/change/")
		expectStatus(t, page, 200)
		if got, _ := page.Find(`input[name="` + tagPrefix + `-0-tag"]`).Attr("value"); got != "urgent" || page.Find(`input[value="oak"]`).Length() != 0 {
			t.Errorf("the note's first tag %q", got)
		}
	})
}

// TestGenericInlineAdd: tags posted with a new shelf point at it.
func TestGenericInlineAdd(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f, _, _ := taggedShelf(t, dialect, 0)
		page := f.root.Get("/admin/notes/shelf/add/")
		expectStatus(t, page, 200)
		if got, _ := page.Find(`input[name="` + tagPrefix + `-TOTAL_FORMS"]`).Attr("value"); got != "1" {
			t.Errorf("TOTAL_FORMS %q on the add page", got)
		}
		r := f.root.Submit(page, "#shelf_form", url.Values{"name": {"Low shelf"}, tagPrefix + "-0-tag": {"low"}}, "")
		expectStatus(t, r, 302)
		low, err := orm.Get[Shelf](context.Background(), orm.For[Shelf](f.app.DB), orm.Q{"name": "Low shelf"})
		if err != nil {
			t.Fatal(err)
		}
		if got := f.tags(); !strings.HasSuffix(got, " shelf:"+key(low.ID)+":low") {
			t.Errorf("tags %s", got)
		}
	})
}

// TestGenericInlinePermissions: without change permission on tagged items
// the shelf's tags are read-only and a tampered submission changes
// nothing; without any, the inline is left out.
func TestGenericInlinePermissions(t *testing.T) {
	f, shelf, _ := taggedShelf(t, "sqlite", 0)
	path := "/admin/notes/shelf/" + key(shelf.ID) + "/change/"
	viewer := f.staff("viewer", "view_shelf", "change_shelf", "view_taggeditem")
	page := viewer.Get(path)
	expectStatus(t, page, 200)
	if page.Find(`input[name="`+tagPrefix+`-0-tag"]`).Length() != 0 || page.Find(`input[name="`+tagPrefix+`-TOTAL_FORMS"]`).Length() != 1 {
		t.Error("a viewer's tags are editable, or there is no management form")
	}
	before := f.tags()
	r := viewer.Submit(page, "#shelf_form", url.Values{tagPrefix + "-0-tag": {"hacked"}}, "")
	expectStatus(t, r, 302)
	if got := f.tags(); got != before {
		t.Errorf("a viewer changed the tags: %s", got)
	}
	page = f.staff("none", "view_shelf", "change_shelf").Get(path)
	expectStatus(t, page, 200)
	if page.Find(`input[name^="`+tagPrefix+`"]`).Length() != 0 {
		t.Error("the inline is shown without any permission on tagged items")
	}
}

// TestGenericInlinePages: an inline of more than PerPage tags shows a page
// of them, of the shelf's only.
func TestGenericInlinePages(t *testing.T) {
	f, shelf, _ := taggedShelf(t, "sqlite", 1)
	page := f.root.Get("/admin/notes/shelf/" + key(shelf.ID) + "/change/?" + tagPrefix + "-page=2")
	expectStatus(t, page, 200)
	if got, _ := page.Find(`input[name="` + tagPrefix + `-0-tag"]`).Attr("value"); got != "tall" {
		t.Errorf("page 2 shows %q", got)
	}
	if got, _ := page.Find(`input[name="` + tagPrefix + `-INITIAL_FORMS"]`).Attr("value"); got != "1" {
		t.Errorf("INITIAL_FORMS %q", got)
	}
}

// TestGenericInlineChecks: Django's admin.E301-E304 for a generic inline
// whose model or fields do not make a generic foreign key.
func TestGenericInlineChecks(t *testing.T) {
	withFields := func(ct, id string) admin.Inline {
		in := admin.GenericTabular(TaggedItem{})
		in.CtField, in.CtFkField = ct, id
		return in
	}
	cases := []struct {
		in   admin.Inline
		want string
	}{
		{admin.GenericTabular(Note{}), "(admin.E301) 'notes.Note' has no GenericForeignKey."},
		{withFields("kind", "object_id"), "(admin.E302) 'Inlines[0].CtField' references 'kind', which is not a field on 'tags.TaggedItem'."},
		{withFields("content_type", "target"), "(admin.E303) 'Inlines[0].CtFkField' references 'target', which is not a field on 'tags.TaggedItem'."},
		{withFields("content_type", "tag"), "(admin.E304) 'tags.TaggedItem' has no GenericForeignKey using content type field 'content_type' and object ID field 'tag'."},
	}
	for _, c := range cases {
		newProject(t, "sqlite", []orm.AppConfig{tagsApp}, func(site *admin.Site) error {
			err := site.Register(Shelf{}, &admin.ModelAdmin{Inlines: []admin.Inline{c.in}})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("Register error %v, want %q", err, c.want)
			}
			return nil
		})
	}
}

// TestGenericInlineSaveAsNew: "Save as new" copies the shelf's tags to the
// copy, the original keeping its own.
func TestGenericInlineSaveAsNew(t *testing.T) {
	f := newProject(t, "sqlite", []orm.AppConfig{tagsApp}, func(site *admin.Site) error {
		return site.Register(Shelf{}, &admin.ModelAdmin{SaveAs: true, Inlines: []admin.Inline{admin.GenericTabular(TaggedItem{})}})
	})
	shelf := &Shelf{Name: "Top shelf"}
	f.insert(shelf)
	item := &TaggedItem{Tag: "wood"}
	if err := f.app.DB.SetGenericObject(context.Background(), item, "content_object", shelf); err != nil {
		t.Fatal(err)
	}
	f.insert(item)
	page := f.root.Get("/admin/notes/shelf/" + key(shelf.ID) + "/change/")
	expectStatus(t, page, 200)
	r := f.root.Submit(page, "#shelf_form", url.Values{"name": {"Copy"}}, "_saveasnew")
	expectStatus(t, r, 302)
	c, err := orm.Get[Shelf](context.Background(), orm.For[Shelf](f.app.DB), orm.Q{"name": "Copy"})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.tags(), "shelf:"+key(shelf.ID)+":wood shelf:"+key(c.ID)+":wood"; got != want {
		t.Errorf("tags\n got %s\nwant %s", got, want)
	}
}
