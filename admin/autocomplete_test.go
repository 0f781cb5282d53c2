package admin_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/internal/webtest"
	"github.com/staffroom/staffroom/orm"
)

// The lib app gives the autocomplete and raw id tests relations of every
// shape: a foreign key narrowed by limit_choices_to, one to a non-key
// field (to_field), a many-to-many, and relations to a model whose admin
// cannot search (Series) and to one not registered (Genre).
type Writer struct {
	ID     int64
	Name   string `orm:"max_length=100"`
	Active bool   `orm:"default=true"`
}

func (w *Writer) String() string { return w.Name }

type Imprint struct {
	ID     int64
	Code   int64  `orm:"unique"`
	Prefix int64  `orm:"unique"`
	Name   string `orm:"max_length=100"`
}

func (i *Imprint) String() string { return i.Name }

type Series struct {
	ID   int64
	Name string `orm:"max_length=100"`
}

func (s *Series) String() string { return s.Name }

type Genre struct {
	ID   int64
	Name string `orm:"max_length=100"`
}

func (g *Genre) String() string { return g.Name }

type Title struct {
	ID      int64
	Name    string                  `orm:"max_length=100"`
	Editor  orm.ForeignKey[Writer]  `orm:"null,blank,on_delete=set_null,related_name=edited"`
	Imprint orm.ForeignKey[Imprint] `orm:"null,blank,on_delete=set_null,to_field=code"`
	Writers orm.ManyToMany[Writer]  `orm:"blank,related_name=written"`
	Series  orm.ForeignKey[Series]  `orm:"null,blank,on_delete=set_null"`
	Genre   orm.ForeignKey[Genre]   `orm:"null,blank,on_delete=set_null"`
}

func (t *Title) String() string { return t.Name }

func (Title) Meta() orm.Meta {
	return orm.Meta{LimitChoicesTo: map[string]orm.Q{"editor": {"active": true}}}
}

type Review struct {
	ID       int64
	Title    orm.ForeignKey[Title]  `orm:"null,blank,on_delete=cascade"`
	Reviewer orm.ForeignKey[Writer] `orm:"null,blank,on_delete=set_null,related_name=reviews"`
	Readers  orm.ManyToMany[Writer] `orm:"blank,related_name=read"`
	Series   orm.ForeignKey[Series] `orm:"null,blank,on_delete=set_null,related_name=reviews"`
}

func (r *Review) String() string { return fmt.Sprintf("review %d", r.ID) }

func (Review) Meta() orm.Meta {
	return orm.Meta{LimitChoicesTo: map[string]orm.Q{"reviewer": {"active": true}}}
}

// Stock is not registered: its foreign key to Imprint.Prefix does not make
// that field one a popup or the autocomplete may return.
type Stock struct {
	ID      int64
	Imprint orm.ForeignKey[Imprint] `orm:"null,on_delete=cascade,to_field=prefix"`
}

// libAdmins registers the lib app: Title edits its relations through
// autocomplete selects, Review through raw id inputs; a Review form, and
// the Title rows of a Series page, list at most two objects in a select;
// those rows edit their imprint as a raw id, their writers by searching.
func libAdmins(site *admin.Site) error {
	for _, r := range []struct {
		model any
		admin admin.Admin
	}{
		{Writer{}, &admin.ModelAdmin{SearchFields: []string{"name", "edited__name"}, Ordering: []string{"name"}}},
		{Imprint{}, &admin.ModelAdmin{SearchFields: []string{"name"}}},
		{Series{}, &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{
			Model: Title{}, RawIDFields: []string{"imprint"}, AutocompleteFields: []string{"writers"}}}}, SelectMaxChoices: 2}},
		{Title{}, &admin.ModelAdmin{SearchFields: []string{"name"}, AutocompleteFields: []string{"editor", "imprint", "writers"}}},
		{Review{}, &admin.ModelAdmin{RawIDFields: []string{"reviewer", "readers"}, SelectMaxChoices: 2}},
	} {
		if err := site.Register(r.model, r.admin); err != nil {
			return err
		}
	}
	return nil
}

// newLib is newFixture with the lib app.
func newLib(t *testing.T, dialect string) *fixture {
	t.Helper()
	return newLibWith(t, dialect, libAdmins)
}

// newLibWith is newLib with other admins.
func newLibWith(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect)},
		[]orm.AppConfig{{Name: "lib", Models: []any{Writer{}, Imprint{}, Series{}, Genre{}, Title{}, Review{}, Stock{}}}}, register)
	return &fixture{t: t, app: app, root: c}
}

// autocompleteJSON is the endpoint's answer.
type autocompleteJSON struct {
	Results []struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"results"`
	Pagination struct {
		More bool `json:"more"`
	} `json:"pagination"`
}

func decodeAutocomplete(t *testing.T, r *webtest.Response) autocompleteJSON {
	t.Helper()
	expectStatus(t, r, 200)
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var out autocompleteJSON
	if err := json.Unmarshal([]byte(r.Body), &out); err != nil {
		t.Fatalf("%v: %s", err, r.Body)
	}
	return out
}

func (a autocompleteJSON) texts() string {
	var s []string
	for _, r := range a.Results {
		s = append(s, r.ID+":"+r.Text)
	}
	return strings.Join(s, ",")
}

func TestAutocompleteEndpoint(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newLib(t, dialect)
		ann, bea, cid := &Writer{Name: "Ann", Active: true}, &Writer{Name: "Bea", Active: true}, &Writer{Name: "Cid"}
		f.insert(ann, bea, cid, &Imprint{Code: 7, Prefix: 1, Name: "Seven"}, &Imprint{Code: 9, Prefix: 2, Name: "Nine"})
		c := f.root
		ep := func(q string) *webtest.Response { return c.Get("/admin/autocomplete/?" + q) }
		base := "app_label=lib&model_name=title&field_name="

		// Contract §1.5, case by case.
		for _, q := range []string{
			"model_name=title&field_name=editor",                // no app_label
			"app_label=lib&field_name=editor",                   // no model_name
			"app_label=lib&model_name=title",                    // no field_name
			"app_label=nope&model_name=title&field_name=editor", // unknown app
			"app_label=lib&model_name=nope&field_name=editor",   // unknown model
			base + "nope",  // unknown field
			base + "name",  // not a relation
			base + "genre", // related model not registered
			"app_label=lib&model_name=stock&field_name=imprint", // to_field Imprint.prefix is not referenced by a registered model
		} {
			if r := ep(q); r.StatusCode != http.StatusForbidden {
				t.Errorf("%s: %d, want 403", q, r.StatusCode)
			}
		}
		if r := ep(base + "series"); r.StatusCode != http.StatusNotFound {
			t.Errorf("related admin without SearchFields: %d, want 404", r.StatusCode)
		}
		anon := webtest.New(t, f.app.Handler)
		if r := anon.Get("/admin/autocomplete/?" + base + "editor"); r.StatusCode != http.StatusFound || !strings.Contains(r.Location(), "/admin/login/?next=") {
			t.Errorf("anonymous: %d %s", r.StatusCode, r.Location())
		}
		if r := f.staff("nobody").Get("/admin/autocomplete/?" + base + "editor"); r.StatusCode != http.StatusForbidden {
			t.Errorf("without view permission on writers: %d", r.StatusCode)
		}
		for _, perm := range []string{"view_writer", "change_writer"} {
			decodeAutocomplete(t, f.staff("u_"+perm, perm).Get("/admin/autocomplete/?"+base+"editor"))
		}

		// The results: limit_choices_to (Cid is inactive), the related
		// admin's ordering, its search, to_field values.
		got := decodeAutocomplete(t, ep(base+"editor"))
		if want := fmt.Sprintf("%d:Ann,%d:Bea", ann.ID, bea.ID); got.texts() != want || got.Pagination.More {
			t.Errorf("editor: %s more=%v, want %s", got.texts(), got.Pagination.More, want)
		}
		if got := decodeAutocomplete(t, ep(base+"writers&term=ci")); got.texts() != fmt.Sprintf("%d:Cid", cid.ID) {
			t.Errorf("writers (no limit_choices_to) term ci: %s", got.texts())
		}
		if got := decodeAutocomplete(t, ep(base+"imprint&term=n")); got.texts() != "9:Nine,7:Seven" {
			t.Errorf("to_field values: %s", got.texts())
		}
		if r := ep(base + "editor"); r.Body != fmt.Sprintf(`{"results":[{"id":"%d","text":"Ann"},{"id":"%d","text":"Bea"}],"pagination":{"more":false}}`+"\n", ann.ID, bea.ID) {
			t.Errorf("body %s", r.Body)
		}

		// DISTINCT when the search crosses a to-many relation: Ann edits
		// two titles that both match.
		f.insert(&Title{Name: "Annals", Editor: orm.FK[Writer](ann.ID)}, &Title{Name: "Annotations", Editor: orm.FK[Writer](ann.ID)})
		if got := decodeAutocomplete(t, ep(base+"writers&term=ann")); got.texts() != fmt.Sprintf("%d:Ann", ann.ID) {
			t.Errorf("search across edited__name repeats rows: %s", got.texts())
		}

		// Pages of 20.
		for i := range 25 {
			f.insert(&Writer{Name: fmt.Sprintf("W%02d", i), Active: true})
		}
		p1 := decodeAutocomplete(t, ep(base+"editor&term=w"))
		p2 := decodeAutocomplete(t, ep(base+"editor&term=w&page=2"))
		if len(p1.Results) != 20 || !p1.Pagination.More || len(p2.Results) != 5 || p2.Pagination.More || p2.Results[0].Text != "W20" {
			t.Errorf("pages: %d more=%v, %d more=%v (%s)", len(p1.Results), p1.Pagination.More, len(p2.Results), p2.Pagination.More, p2.texts())
		}
		for _, page := range []string{"3", "x"} {
			if r := ep(base + "editor&term=w&page=" + page); r.StatusCode != http.StatusNotFound {
				t.Errorf("page %s: %d, want 404", page, r.StatusCode)
			}
		}
	})
}

func TestAutocompleteWidget(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newLib(t, dialect)
		ann, bea, cid := &Writer{Name: "Ann", Active: true}, &Writer{Name: "Bea", Active: true}, &Writer{Name: "Cid"}
		f.insert(ann, bea, cid, &Imprint{Code: 7, Prefix: 1, Name: "Seven"})
		c := f.root

		add := c.Get("/admin/lib/title/add/")
		expectStatus(t, add, 200)
		editor := add.Find("select#id_editor")
		want := map[string]string{
			"name": "editor", "class": "admin-autocomplete", "data-ajax--cache": "true", "data-ajax--delay": "250",
			"data-ajax--type": "GET", "data-ajax--url": "/admin/autocomplete/", "data-app-label": "lib",
			"data-model-name": "title", "data-field-name": "editor", "data-theme": "admin-autocomplete",
			"data-allow-clear": "true", "data-placeholder": "", "lang": "en",
		}
		for k, v := range want {
			if got, ok := editor.Attr(k); !ok || got != v {
				t.Errorf("select#id_editor %s=%q, want %q", k, got, v)
			}
		}
		if n := editor.Find("option").Length(); n != 1 || editor.Find("option").AttrOr("value", "x") != "" {
			t.Errorf("an empty optional autocomplete holds %d options: %s", n, add.Body)
		}
		writers := add.Find("select#id_writers")
		if _, multi := writers.Attr("multiple"); !multi || writers.AttrOr("data-field-name", "") != "writers" || writers.Find("option").Length() != 0 {
			t.Errorf("writers select: %v", writers.Nodes)
		}
		if strings.Contains(add.Body, "Hold down") {
			t.Error("an autocomplete many-to-many keeps the multiple select's hint")
		}
		if add.Find(`script[src*="autocomplete"]`).Length() != 1 {
			t.Error("the change form does not load autocomplete.js")
		}

		// Saving through the selects: the ids are checked against the
		// field's choices (limit_choices_to), not loaded with them.
		r := c.Submit(add, "#title_form", url.Values{"name": {"Odes"}, "editor": {key(cid.ID)}}, "_save")
		expectStatus(t, r, 200)
		if got := r.Text(".field-editor .errorlist"); got != "Select a valid choice. That choice is not one of the available choices." {
			t.Errorf("inactive editor: %q", got)
		}
		r = c.Submit(add, "#title_form", url.Values{"name": {"Odes"}, "editor": {key(ann.ID)}, "imprint": {"7"},
			"writers": {key(bea.ID), key(cid.ID)}}, "_save")
		expectStatus(t, r, 302)
		title, err := orm.Get[Title](context.Background(), orm.For[Title](f.app.DB), orm.Q{"name": "Odes"})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := f.app.DB.LoadM2M(context.Background(), title, "writers")
		if err != nil {
			t.Fatal(err)
		}
		if title.Editor.ID != ann.ID || title.Imprint.ID != 7 || fmt.Sprint(ids) != fmt.Sprint([]int64{bea.ID, cid.ID}) {
			t.Errorf("saved editor %d imprint %d writers %v", title.Editor.ID, title.Imprint.ID, ids)
		}

		// The change form holds the chosen objects only.
		change := c.Get("/admin/lib/title/" + key(title.ID) + "/change/")
		expectStatus(t, change, 200)
		if got := change.Find("select#id_editor option[selected]"); got.Length() != 1 || got.Text() != "Ann" || got.AttrOr("value", "") != key(ann.ID) {
			t.Errorf("chosen editor: %s", change.Find("select#id_editor").Text())
		}
		if got := change.Find("select#id_editor option").Length(); got != 2 {
			t.Errorf("editor select lists %d options, want the empty one and Ann", got)
		}
		if got := change.Find("select#id_imprint option[selected]"); got.AttrOr("value", "") != "7" || got.Text() != "Seven" {
			t.Errorf("to_field option: %v", got.Text())
		}
		if got := change.Text("select#id_writers"); words(got) != "Bea Cid" {
			t.Errorf("chosen writers %q", got)
		}
	})
}

func TestRawIDFields(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newLib(t, dialect)
		ann, bea, cid := &Writer{Name: "Ann", Active: true}, &Writer{Name: "Bea", Active: true}, &Writer{Name: "Cid"}
		f.insert(ann, bea, cid)
		c := f.root

		add := c.Get("/admin/lib/review/add/")
		expectStatus(t, add, 200)
		reviewer := add.Find("input#id_reviewer")
		if reviewer.AttrOr("type", "") != "text" || reviewer.AttrOr("class", "") != "vForeignKeyRawIdAdminField" || reviewer.AttrOr("name", "") != "reviewer" {
			t.Errorf("reviewer input: %s", add.Find(".field-reviewer").Text())
		}
		lookup := add.Find("a#lookup_id_reviewer.related-lookup")
		if got := lookup.AttrOr("href", ""); got != "/admin/lib/writer/?_popup=1&_to_field=id&active=1" {
			t.Errorf("lookup link %q", got)
		}
		if got := add.Find("input#id_readers").AttrOr("class", ""); got != "vManyToManyRawIdAdminField" {
			t.Errorf("readers input class %q", got)
		}
		if add.Find("select#id_reviewer, select#id_readers").Length() != 0 || strings.Contains(add.Body, "Hold down") {
			t.Error("a raw id field still renders a select")
		}
		if add.Find(`script[src*="related_lookup"]`).Length() != 1 {
			t.Error("the change form does not load related_lookup.js")
		}
		// The lookup opens the writers' change list in a popup, filtered.
		popup := c.Get(lookup.AttrOr("href", ""))
		expectStatus(t, popup, 200)
		if got := words(popup.Text("#result_list tbody")); got != "Ann Bea" {
			t.Errorf("lookup popup lists %q", got)
		}
		if popup.Find(`script[src*="related_lookup"]`).Length() != 1 {
			t.Error("the popup change list does not load related_lookup.js")
		}

		// Errors, in Django's words.
		for _, tc := range []struct{ field, value, want string }{
			{"reviewer", "99999", "Select a valid choice. That choice is not one of the available choices."},
			{"reviewer", "abc", "Select a valid choice. That choice is not one of the available choices."},
			{"reviewer", key(cid.ID), "Select a valid choice. That choice is not one of the available choices."},
			{"readers", key(ann.ID) + ",99999", "Select a valid choice. 99999 is not one of the available choices."},
			{"readers", "abc", "“abc” is not a valid value."},
		} {
			r := c.Submit(add, "#review_form", url.Values{tc.field: {tc.value}}, "_save")
			expectStatus(t, r, 200)
			if got := r.Text(".field-" + tc.field + " .errorlist"); got != tc.want {
				t.Errorf("%s=%s: %q, want %q", tc.field, tc.value, got, tc.want)
			}
			if got := r.Find("input#id_"+tc.field).AttrOr("value", ""); got != tc.value {
				t.Errorf("%s=%s redisplayed as %q", tc.field, tc.value, got)
			}
		}

		r := c.Submit(add, "#review_form", url.Values{"reviewer": {key(bea.ID)}, "readers": {key(cid.ID) + ", " + key(ann.ID)}}, "_save")
		expectStatus(t, r, 302)
		rv, err := orm.Get[Review](context.Background(), orm.For[Review](f.app.DB), orm.Q{"reviewer": bea.ID})
		if err != nil {
			t.Fatal(err)
		}
		ids, err := f.app.DB.LoadM2M(context.Background(), rv, "readers")
		if err != nil {
			t.Fatal(err)
		}
		if rv.Reviewer.ID != bea.ID || fmt.Sprint(ids) != fmt.Sprint([]int64{ann.ID, cid.ID}) {
			t.Errorf("saved reviewer %d readers %v", rv.Reviewer.ID, ids)
		}
		change := c.Get("/admin/lib/review/" + key(rv.ID) + "/change/")
		if got := change.Find("input#id_readers").AttrOr("value", ""); got != key(ann.ID)+","+key(cid.ID) {
			t.Errorf("readers value %q", got)
		}
		if got := change.Find("input#id_reviewer").AttrOr("value", ""); got != key(bea.ID) || change.Text(".field-reviewer .related-label") != "Bea" {
			t.Errorf("reviewer %q shown as %q", got, change.Text(".field-reviewer .related-label"))
		}
	})
}

// TestSelectDegrades checks a relation with more related objects than
// SelectMaxChoices (two, for Review) is not listed: its select becomes an
// autocomplete one when the related admin searches (Title), a raw id
// input when it cannot (Series); and Site.Check warns of both.
func TestSelectDegrades(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newLib(t, dialect)
		c := f.root
		f.insert(&Title{Name: "T1"}, &Title{Name: "T2"}, &Series{Name: "S1"}, &Series{Name: "S2"})
		page := c.Get("/admin/lib/review/add/")
		if page.Find("select#id_title option").Length() != 3 || page.Find("select#id_series option").Length() != 3 {
			t.Errorf("two objects are listed: %s", page.Find(".field-title, .field-series").Text())
		}
		if msgs := relationChecks(f.app.Site.Check()); len(msgs) != 0 {
			t.Errorf("checks with small tables: %v", msgs)
		}

		f.insert(&Title{Name: "T3"}, &Series{Name: "S3"})
		page = c.Get("/admin/lib/review/add/")
		expectStatus(t, page, 200)
		title := page.Find("select#id_title")
		if !title.HasClass("admin-autocomplete") || title.Find("option").Length() != 1 || title.AttrOr("data-field-name", "") != "title" {
			t.Errorf("title past the limit: %s", page.Find(".field-title").Text())
		}
		series := page.Find("input#id_series.vForeignKeyRawIdAdminField")
		if series.Length() != 1 || page.Find("a#lookup_id_series").AttrOr("href", "") != "/admin/lib/series/?_popup=1&_to_field=id" {
			t.Errorf("series past the limit: %s", page.Find(".field-series").Text())
		}
		if strings.Contains(page.Body, ">T3<") || strings.Contains(page.Body, ">S3<") {
			t.Error("the page lists the related objects")
		}
		// The autocomplete endpoint serves a degraded field too, and the
		// form saves through both.
		got := decodeAutocomplete(t, c.Get("/admin/autocomplete/?app_label=lib&model_name=review&field_name=title&term=t3"))
		if len(got.Results) != 1 || got.Results[0].Text != "T3" {
			t.Errorf("autocomplete of a degraded field: %s", got.texts())
		}
		t3, s3 := got.Results[0].ID, ""
		if s, err := orm.Get[Series](context.Background(), orm.For[Series](f.app.DB), orm.Q{"name": "S3"}); err == nil {
			s3 = key(s.ID)
		}
		r := c.Submit(page, "#review_form", url.Values{"title": {t3}, "series": {s3}}, "_save")
		expectStatus(t, r, 302)
		rv, err := orm.Get[Review](context.Background(), orm.For[Review](f.app.DB), orm.Q{"title__name": "T3"})
		if err != nil || key(rv.Series.ID) != s3 {
			t.Errorf("saved %+v, %v", rv, err)
		}

		var ids []string
		for _, m := range relationChecks(f.app.Site.Check()) {
			ids = append(ids, m.ID+" "+m.Model+" "+m.Option)
			if m.IsError() || !strings.Contains(m.Msg, "more than 2") {
				t.Errorf("check message %s", m)
			}
		}
		if got := strings.Join(ids, ","); got != "staffroom.W002 lib.Review series,staffroom.W002 lib.Review title" &&
			got != "staffroom.W002 lib.Review title,staffroom.W002 lib.Review series" {
			t.Errorf("site checks %q", got)
		}
	})
}

// TestInlineSelectDegrades checks the relations of inline rows degrade as
// the form's do: a Series page's Title rows, past two objects, choose
// editors with the autocomplete select and genres (not registered) as raw
// ids, and save; the inline's own RawIDFields and AutocompleteFields are
// served too.
func TestInlineSelectDegrades(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newLib(t, dialect)
		ws := []*Writer{{Name: "W1", Active: true}, {Name: "W2", Active: true}, {Name: "W3", Active: true}}
		gs := []*Genre{{Name: "G1"}, {Name: "G2"}, {Name: "G3"}}
		s := &Series{Name: "Saga"}
		f.insert(ws[0], ws[1], ws[2], gs[0], gs[1], gs[2], s, &Imprint{Code: 1, Prefix: 1, Name: "I1"})
		page := f.root.Get("/admin/lib/series/" + key(s.ID) + "/change/")
		expectStatus(t, page, 200)
		editor := page.Find("select#id_title_set-0-editor")
		if !editor.HasClass("admin-autocomplete") || editor.AttrOr("data-model-name", "") != "title" || editor.AttrOr("data-field-name", "") != "editor" {
			t.Errorf("inline editor: %s", page.Find("#title_set-group").Text())
		}
		if page.Find("input#id_title_set-0-genre.vForeignKeyRawIdAdminField").Length() != 1 || page.Find("#lookup_id_title_set-0-genre").Length() != 0 {
			t.Errorf("inline genre: %s", page.Find("#title_set-group").Text())
		}
		// The inline's own options.
		if page.Find("#lookup_id_title_set-0-imprint").AttrOr("href", "") != "/admin/lib/imprint/?_popup=1&_to_field=code" {
			t.Errorf("inline RawIDFields: %s", page.Find("#title_set-group").Text())
		}
		if !page.Find("select#id_title_set-0-writers").HasClass("admin-autocomplete") {
			t.Error("inline AutocompleteFields: no autocomplete select")
		}
		if page.Find(`script[src*="autocomplete"]`).Length() != 1 || page.Find(`script[src*="related_lookup"]`).Length() != 1 {
			t.Error("the page does not load the inline widgets' scripts")
		}
		if strings.Contains(page.Body, ">W3<") || strings.Contains(page.Body, ">G3<") {
			t.Error("the inline rows list the related objects")
		}
		r := f.root.Submit(page, "#series_form", url.Values{"title_set-0-name": {"Part one"}, "title_set-0-editor": {key(ws[2].ID)},
			"title_set-0-genre": {key(gs[2].ID)}, "title_set-0-imprint": {"1"}, "title_set-0-writers": {key(ws[0].ID)}}, "_save")
		expectStatus(t, r, 302)
		title, err := orm.Get[Title](context.Background(), orm.For[Title](f.app.DB), orm.Q{"name": "Part one"})
		if err != nil || title.Editor.ID != ws[2].ID || title.Genre.ID != gs[2].ID || title.Series.ID != s.ID || title.Imprint.ID != 1 {
			t.Fatalf("saved %+v (%v)", title, err)
		}
		if ids, _ := f.app.DB.LoadM2M(context.Background(), title, "writers"); len(ids) != 1 || ids[0] != ws[0].ID {
			t.Errorf("inline writers %v", ids)
		}
	})
}

// relationChecks leaves out the index advice (staffroom.W003), which
// TestIndexAdvice covers: the test tables have no indexes of their own.
func relationChecks(msgs []admin.CheckMessage) []admin.CheckMessage {
	var out []admin.CheckMessage
	for _, m := range msgs {
		if m.ID != "staffroom.W003" {
			out = append(out, m)
		}
	}
	return out
}
