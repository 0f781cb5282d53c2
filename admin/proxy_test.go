package admin_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
)

// The circ app is shaped as the Django library's lending desk: patrons
// with symmetrical friends and one-way sponsors, lendings with their
// proxy LateLending (Django's OverdueLoan), and memos attached to
// patrons and lendings through a generic relation (Django's Note).
type Patron struct {
	ID       int64
	Name     string                    `orm:"max_length=60"`
	Friends  orm.ManyToMany[Patron]    `orm:"blank"`
	Sponsors orm.ManyToMany[Patron]    `orm:"blank,symmetrical=false,related_name=sponsored"`
	Memos    orm.GenericRelation[Memo] `orm:"related_query_name=patron"`
}

func (p *Patron) String() string { return p.Name }

func (Patron) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type Lending struct {
	ID       int64
	Title    string    `orm:"max_length=60"`
	DueOn    time.Time `orm:"type=date"`
	Returned bool
	Fine     int64                  `orm:"default=0"`
	Patron   orm.ForeignKey[Patron] `orm:"on_delete=cascade,related_name=lendings"`
	Memos    orm.GenericRelation[Memo]
}

func (l *Lending) String() string { return l.Title }

func (Lending) Meta() orm.Meta {
	return orm.Meta{Ordering: []string{"id"}, VerboseName: "prêt", VerboseNamePlural: "prêts"}
}

// lateBefore is the day LateLending's default filter calls today.
var lateBefore = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

// LateLending is the lendings not returned and due before lateBefore.
type LateLending struct{ Lending }

func (LateLending) Meta() orm.Meta {
	return orm.Meta{Proxy: true, VerboseName: "overdue loan", Ordering: []string{"due_on"},
		DefaultFilter: func() orm.Expr { return orm.Q{"returned": false, "due_on__lt": lateBefore} }}
}

// Renewal extends a lending.
type Renewal struct {
	ID      int64
	Lending orm.ForeignKey[Lending] `orm:"on_delete=cascade,related_name=renewals"`
	Until   time.Time               `orm:"type=date"`
}

func (r *Renewal) String() string { return r.Until.Format("2006-01-02") }

// Memo is a note about any object.
type Memo struct {
	ID            int64
	Text          string                                  `orm:"type=text"`
	ContentType   orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
	ObjectID      int64                                   `orm:"type=positive"`
	ContentObject orm.GenericForeignKey
}

func (m *Memo) String() string { return m.Text }

// circApp is the lending desk.
var circApp = orm.AppConfig{Name: "circ", Models: []any{Patron{}, Lending{}, LateLending{}, Renewal{}, Memo{}}}

// newCirc is newProject with the circ app.
func newCirc(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	return newProject(t, dialect, []orm.AppConfig{circApp}, register)
}

// day is a date of 2024.
func day(month time.Month, d int) time.Time { return time.Date(2024, month, d, 0, 0, 0, 0, time.UTC) }

// lendings makes patrons Ana and Bo and their lendings: "Dune" (late),
// "Emma" (returned), "Faust" (due after lateBefore) and "Gigi" (late).
func (f *fixture) lendings() (ana, bo *Patron, ls map[string]*Lending) {
	f.t.Helper()
	ana, bo = &Patron{Name: "Ana"}, &Patron{Name: "Bo"}
	f.insert(ana, bo)
	ls = map[string]*Lending{
		"Dune":  {Title: "Dune", DueOn: day(5, 2), Patron: orm.FK[Patron](ana.ID)},
		"Emma":  {Title: "Emma", DueOn: day(4, 1), Returned: true, Patron: orm.FK[Patron](ana.ID)},
		"Faust": {Title: "Faust", DueOn: day(7, 1), Patron: orm.FK[Patron](bo.ID)},
		"Gigi":  {Title: "Gigi", DueOn: day(3, 9), Patron: orm.FK[Patron](bo.ID)},
	}
	for _, t := range []string{"Dune", "Emma", "Faust", "Gigi"} {
		f.insert(ls[t])
	}
	return ana, bo, ls
}

// LateLendingAdmin narrows the proxy's change list further, as a
// GetQueryset over the default filter.
type LateLendingAdmin struct{ admin.ModelAdmin }

func (a *LateLendingAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.ModelAdmin.GetQueryset(r).Exclude(orm.Q{"title": "Hidden"})
}

// registerLate registers the patrons, the lendings and their proxy.
func registerLate(site *admin.Site) error {
	if err := site.Register(Patron{}, nil); err != nil {
		return err
	}
	if err := site.Register(Lending{}, &admin.ModelAdmin{ListDisplay: []any{"title", "patron", "due_on"}}); err != nil {
		return err
	}
	return site.Register(LateLending{}, &LateLendingAdmin{admin.ModelAdmin{
		ListDisplay:  []any{"title", "patron", "due_on", "fine"},
		ListFilter:   []any{"patron"},
		SearchFields: []string{"title", "patron__name"},
		Ordering:     []string{"due_on"},
	}})
}

// lending loads a lending by title, through every row.
func (f *fixture) lending(title string) *Lending {
	f.t.Helper()
	l, err := orm.Get[Lending](context.Background(), orm.For[Lending](f.app.DB), orm.Q{"title": title})
	if err != nil {
		f.t.Fatalf("lending %q: %v", title, err)
	}
	return l
}

// contentTypeOf returns the model name of a content type id.
func (f *fixture) contentTypeOf(id int64) string {
	f.t.Helper()
	ct, err := f.app.Types.ByID(context.Background(), id)
	if err != nil {
		f.t.Fatal(err)
	}
	return ct.Model
}

// TestProxyAdminChangeList: the proxy has its own URLs and index entry;
// its change list shows only what its default filter and GetQueryset
// keep, in its ordering, and filters and searches across its relations;
// the concrete model's list shows every row.
func TestProxyAdminChangeList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerLate)
		ana, _, _ := f.lendings()
		f.insert(&Lending{Title: "Hidden", DueOn: day(1, 1), Patron: orm.FK[Patron](ana.ID)})

		index := f.root.Get("/admin/")
		expectStatus(t, index, 200)
		if got := index.Text(`#content-main th a[href="/admin/circ/latelending/"]`); got != "Overdue loans" {
			t.Errorf("index link to the proxy %q", got)
		}
		if got := index.Text(`#content-main th a[href="/admin/circ/lending/"]`); got != "Prêts" {
			t.Errorf("index link to the concrete model %q", got)
		}
		if got := f.root.Get("/admin/circ/").Text(`#content-main th a`); got != "Overdue loans Patrons Prêts" {
			t.Errorf("app index %q", got)
		}

		page := f.root.Get("/admin/circ/latelending/")
		expectStatus(t, page, 200)
		if got := page.Text("#result_list tbody th"); got != "Gigi Dune" {
			t.Errorf("proxy change list %q, want Gigi Dune", got)
		}
		if got := page.Text("#content h1"); got != "Select overdue loan to change" {
			t.Errorf("title %q", got)
		}
		if got := page.Text(".paginator"); !strings.HasPrefix(got, "2 overdue loans") {
			t.Errorf("paginator %q", got)
		}
		if got := f.root.Get("/admin/circ/latelending/?q=ana").Text("#result_list tbody th"); got != "Dune" {
			t.Errorf("search across the patron: %q", got)
		}
		if got := f.root.Get("/admin/circ/latelending/?patron__id__exact=" + key(ana.ID)).Text("#result_list tbody th"); got != "Dune" {
			t.Errorf("filter by patron: %q", got)
		}
		if got := f.root.Get("/admin/circ/latelending/?o=-1").Text("#result_list tbody th"); got != "Gigi Dune" {
			t.Errorf("sorted by title descending: %q", got)
		}
		if got := f.root.Get("/admin/circ/lending/").Text("#result_list tbody th"); got != "Dune Emma Faust Gigi Hidden" {
			t.Errorf("concrete change list %q", got)
		}
	})
}

// TestProxyAdminChange: the proxy's change form edits the concrete row;
// the log entry carries the proxy's content type, the history and the
// recent actions lead to the proxy's pages; an object its default filter
// leaves out is missing there, as it is to Django's get_object.
func TestProxyAdminChange(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerLate)
		_, _, ls := f.lendings()
		dune := key(ls["Dune"].ID)

		page := f.root.Get("/admin/circ/latelending/" + dune + "/change/")
		expectStatus(t, page, 200)
		if got := page.Text("#content h1"); got != "Change overdue loan" {
			t.Errorf("title %q", got)
		}
		if page.Find("#latelending_form").Length() != 1 {
			t.Fatal("no #latelending_form")
		}
		r := f.root.Submit(page, "#latelending_form", url.Values{"fine": {"150"}}, "")
		expectStatus(t, r, 302)
		if got := r.Location(); got != "/admin/circ/latelending/" {
			t.Errorf("redirect to %q", got)
		}
		if got := messages(f.root, r); !strings.Contains(got, "The overdue loan “Dune” was changed successfully.") {
			t.Errorf("message %q", got)
		}
		if l := f.lending("Dune"); l.Fine != 150 {
			t.Errorf("fine %d", l.Fine)
		}
		entries := f.logEntries()
		if len(entries) != 1 || entries[0].ChangeMessage != `[{"changed": {"fields": ["Fine"]}}]` || f.contentTypeOf(entries[0].ContentType.ID) != "latelending" {
			t.Fatalf("log entries %+v", entries)
		}

		// The recent actions and the history lead to the proxy's pages.
		index := f.root.Get("/admin/")
		if href, _ := index.Find(".actionlist a").Attr("href"); href != "/admin/circ/latelending/"+dune+"/change/" {
			t.Errorf("recent action links to %q", href)
		}
		if got := index.Text(".actionlist .mini"); got != "Overdue loan" {
			t.Errorf("recent action's type %q", got)
		}
		hist := f.root.Get("/admin/circ/latelending/" + dune + "/history/")
		expectStatus(t, hist, 200)
		if got := hist.Text("#change-history tbody td"); !strings.Contains(got, "Changed Fine.") {
			t.Errorf("proxy history %q", got)
		}
		// Django keeps the proxy's entries to the proxy: the concrete
		// model's history of the same row does not list them.
		hist = f.root.Get("/admin/circ/lending/" + dune + "/history/")
		expectStatus(t, hist, 200)
		if got := hist.Text("#change-history tbody td"); got != "" {
			t.Errorf("concrete history lists the proxy's entry: %q", got)
		}

		// Emma was returned: not an overdue loan.
		emma := key(ls["Emma"].ID)
		for _, path := range []string{"/change/", "/delete/", "/history/"} {
			r := f.root.Get("/admin/circ/latelending/" + emma + path)
			expectStatus(t, r, 302)
			if got := messages(f.root, r); !strings.Contains(got, "Overdue loan with ID “"+emma+"” doesn’t exist") {
				t.Errorf("%s of a returned loan: %q", path, got)
			}
		}
		expectStatus(t, f.root.Get("/admin/circ/lending/"+emma+"/change/"), 200)
	})
}

// TestProxyAdminPermissions: the proxy admin asks for the proxy's own
// permissions, as Django 2.2 and later do: the concrete model's grant
// nothing on the proxy, and the proxy's nothing on the concrete model.
func TestProxyAdminPermissions(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerLate)
		_, _, ls := f.lendings()
		dune := key(ls["Dune"].ID)

		concrete := f.staff("clerk", "view_lending", "change_lending", "add_lending", "delete_lending")
		if got := concrete.Get("/admin/").Text(`#content-main th a`); got != "Prêts" {
			t.Errorf("the concrete model's clerk sees %q", got)
		}
		for _, path := range []string{"", "add/", dune + "/change/", dune + "/delete/", dune + "/history/"} {
			expectStatus(t, concrete.Get("/admin/circ/latelending/"+path), 403)
		}
		expectStatus(t, concrete.Get("/admin/circ/lending/"+dune+"/change/"), 200)

		desk := f.staff("desk", "view_latelending", "change_latelending")
		if got := desk.Get("/admin/").Text(`#content-main th a`); got != "Overdue loans" {
			t.Errorf("the proxy's desk sees %q", got)
		}
		expectStatus(t, desk.Get("/admin/circ/lending/"), 403)
		expectStatus(t, desk.Get("/admin/circ/lending/"+dune+"/change/"), 403)
		list := desk.Get("/admin/circ/latelending/")
		expectStatus(t, list, 200)
		if list.Find(`a.addlink`).Length() != 0 {
			t.Error("an add link without add_latelending")
		}
		expectStatus(t, desk.Get("/admin/circ/latelending/add/"), 403)
		expectStatus(t, desk.Get("/admin/circ/latelending/"+dune+"/delete/"), 403)
		page := desk.Get("/admin/circ/latelending/" + dune + "/change/")
		expectStatus(t, page, 200)
		expectStatus(t, desk.Submit(page, "#latelending_form", url.Values{"fine": {"7"}}, ""), 302)
		if l := f.lending("Dune"); l.Fine != 7 {
			t.Errorf("fine %d after the desk's change", l.Fine)
		}

		viewer := f.staff("viewer", "view_latelending")
		page = viewer.Get("/admin/circ/latelending/" + dune + "/change/")
		expectStatus(t, page, 200)
		if page.Find(`input[name="fine"]`).Length() != 0 {
			t.Error("a viewer gets an editable form")
		}
	})
}

// TestProxyAdminAddDelete: adding through the proxy inserts a row of the
// concrete table; deleting through it, from its page or with the delete
// action, removes rows of the concrete table, both logged with the
// proxy's content type.
func TestProxyAdminAddDelete(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerLate)
		ana, _, ls := f.lendings()

		page := f.root.Get("/admin/circ/latelending/add/")
		expectStatus(t, page, 200)
		if got := page.Text("#content h1"); got != "Add overdue loan" {
			t.Errorf("title %q", got)
		}
		r := f.root.Submit(page, "#latelending_form", url.Values{"title": {"Hamlet"}, "due_on": {"2024-02-02"}, "patron": {key(ana.ID)}}, "")
		expectStatus(t, r, 302)
		hamlet := f.lending("Hamlet")
		if got := f.root.Get("/admin/circ/latelending/").Text("#result_list tbody th"); got != "Hamlet Gigi Dune" {
			t.Errorf("after the addition %q", got)
		}

		del := f.root.Get("/admin/circ/latelending/" + key(hamlet.ID) + "/delete/")
		expectStatus(t, del, 200)
		if got := del.Text("#content h1"); got != "Are you sure?" {
			t.Errorf("delete page %q", got)
		}
		if got := words(del.Text("#content ul")); !strings.Contains(got, "Overdue loan: Hamlet") {
			t.Errorf("delete page lists %q", got)
		}
		expectStatus(t, f.root.Submit(del, "#content form", nil, ""), 302)

		list := f.root.Get("/admin/circ/latelending/")
		confirm := f.root.Submit(list, "#changelist-form", url.Values{"action": {"delete_selected"}, "index": {"0"},
			"_selected_action": {key(ls["Gigi"].ID)}}, "")
		expectStatus(t, confirm, 200)
		if got := words(confirm.Text("#content")); !strings.Contains(got, "Overdue loans: 1") {
			t.Errorf("delete_selected summary %q", got)
		}
		expectStatus(t, f.root.Submit(confirm, "#content form", nil, ""), 302)

		// Emma is not an overdue loan: a forged selection leaves it.
		forged := f.root.Submit(f.root.Get("/admin/circ/latelending/"), "#changelist-form", url.Values{"action": {"delete_selected"},
			"_selected_action": {key(ls["Emma"].ID)}, "post": {"yes"}}, "")
		if forged.StatusCode != 302 && forged.StatusCode != 200 {
			t.Errorf("forged deletion: %d", forged.StatusCode)
		}

		if got := f.root.Get("/admin/circ/lending/").Text("#result_list tbody th"); got != "Dune Emma Faust" {
			t.Errorf("left %q", got)
		}
		var got []string
		for _, e := range f.logEntries() {
			got = append(got, fmt.Sprintf("%d %s %s", e.ActionFlag, f.contentTypeOf(e.ContentType.ID), e.ObjectRepr))
		}
		if want := "1 latelending Hamlet|3 latelending Hamlet|3 latelending Gigi"; strings.Join(got, "|") != want {
			t.Errorf("log %q, want %q", strings.Join(got, "|"), want)
		}
	})
}

// memos lists the memos as "<model>:<object id>:<text>", by id.
func (f *fixture) memos() string {
	f.t.Helper()
	ctx := context.Background()
	ms, err := orm.All[Memo](ctx, orm.For[Memo](f.app.DB).OrderBy("id"))
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		out = append(out, f.contentTypeOf(m.ContentType.ID)+":"+key(m.ObjectID)+":"+m.Text)
	}
	return strings.Join(out, " ")
}

// memo attaches a memo to obj.
func (f *fixture) memo(obj any, text string) *Memo {
	f.t.Helper()
	m := &Memo{Text: text}
	if err := f.app.DB.SetGenericObject(context.Background(), m, "content_object", obj); err != nil {
		f.t.Fatal(err)
	}
	f.insert(m)
	return m
}

// memoPrefix is the prefix Django gives the memos' generic inline.
const memoPrefix = "circ-memo-content_type-object_id"

// TestProxyAdminInlines: the inlines of a proxy's admin edit the objects
// pointing at the concrete model's row: renewals by their foreign key to
// the lending, memos by the lending's content type (Django's
// for_concrete_model), on the change page and on the add page.
func TestProxyAdminInlines(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, func(site *admin.Site) error {
			if err := site.Register(Patron{}, nil); err != nil {
				return err
			}
			return site.Register(LateLending{}, &admin.ModelAdmin{
				Inlines: []admin.Inline{admin.Tabular(Renewal{}), admin.GenericTabular(Memo{})}})
		})
		ana, _, ls := f.lendings()
		dune, gigi := ls["Dune"], ls["Gigi"]
		f.insert(&Renewal{Lending: orm.FK[Lending](dune.ID), Until: day(5, 20)}, &Renewal{Lending: orm.FK[Lending](gigi.ID), Until: day(3, 30)})
		f.memo(dune, "Called twice")
		f.memo(ana, "Ana's memo") // Ana's id is Dune's: her memo is not Dune's

		page := f.root.Get("/admin/circ/latelending/" + key(dune.ID) + "/change/")
		expectStatus(t, page, 200)
		for sel, want := range map[string]string{
			`input[name="renewals-INITIAL_FORMS"]`:           "1",
			`input[name="renewals-0-until"]`:                 "2024-05-20",
			`input[name="` + memoPrefix + `-INITIAL_FORMS"]`: "1",
			`textarea[name="` + memoPrefix + `-0-text"]`:     "",
		} {
			got, ok := page.Find(sel).Attr("value")
			if strings.HasPrefix(sel, "textarea") {
				got, ok = page.Find(sel).Text(), page.Find(sel).Length() == 1
				want = "Called twice"
			}
			if !ok || strings.TrimSpace(got) != want {
				t.Errorf("%s = %q, want %q", sel, got, want)
			}
		}
		r := f.root.Submit(page, "#latelending_form", url.Values{
			"renewals-1-until": {"2024-06-10"}, memoPrefix + "-1-text": {"Letter sent"}}, "")
		expectStatus(t, r, 302)
		renewals, err := orm.All[Renewal](context.Background(), orm.For[Renewal](f.app.DB).Filter(orm.Q{"lending": dune.ID}).OrderBy("until"))
		if err != nil || len(renewals) != 2 || renewals[1].Until.Format("2006-01-02") != "2024-06-10" {
			t.Errorf("Dune's renewals %v, %v", renewals, err)
		}
		want := "lending:" + key(dune.ID) + ":Called twice patron:" + key(ana.ID) + ":Ana's memo lending:" + key(dune.ID) + ":Letter sent"
		if got := f.memos(); got != want {
			t.Errorf("memos\n got %s\nwant %s", got, want)
		}

		add := f.root.Get("/admin/circ/latelending/add/")
		expectStatus(t, add, 200)
		r = f.root.Submit(add, "#latelending_form", url.Values{"title": {"Ivanhoe"}, "due_on": {"2024-01-05"}, "patron": {key(ana.ID)},
			"renewals-0-until": {"2024-02-05"}, memoPrefix + "-0-text": {"New"}}, "")
		expectStatus(t, r, 302)
		iv := f.lending("Ivanhoe")
		if n, err := orm.For[Renewal](f.app.DB).Filter(orm.Q{"lending": iv.ID}).Count(context.Background()); err != nil || n != 1 {
			t.Errorf("Ivanhoe's renewals %d, %v", n, err)
		}
		if got := f.memos(); !strings.HasSuffix(got, " lending:"+key(iv.ID)+":New") {
			t.Errorf("memos %s", got)
		}
	})
}

// TestProxyAdminChecks: a proxy's admin using every option over the
// concrete model's fields passes the checks; the indexes its change list
// needs are advised once for the shared table, and made.
func TestProxyAdminChecks(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, func(site *admin.Site) error {
			if err := site.Register(Patron{}, &admin.ModelAdmin{SearchFields: []string{"name"}}); err != nil {
				return err
			}
			if err := site.Register(Lending{}, &admin.ModelAdmin{Ordering: []string{"due_on"}}); err != nil {
				return err
			}
			return site.Register(LateLending{}, &admin.ModelAdmin{
				ListDisplay:        []any{"title", "patron", "due_on", "fine", "returned"},
				ListDisplayLinks:   []string{"title"},
				ListEditable:       []string{"fine"},
				ListFilter:         []any{"patron", "due_on", "returned", "fine"},
				ListSelectRelated:  []string{"patron"},
				SearchFields:       []string{"=title", "patron__name"},
				DateHierarchy:      "due_on",
				Ordering:           []string{"due_on", "-id"},
				SortableBy:         []string{"title", "due_on"},
				ReadonlyFields:     []string{"title"},
				AutocompleteFields: []string{"patron"},
				Fieldsets:          []admin.Fieldset{{Lines: [][]string{{"title", "patron"}}}, {Name: "Money", Lines: [][]string{{"fine", "returned"}, {"due_on"}}}},
				Inlines:            []admin.Inline{admin.Tabular(Renewal{}), admin.GenericTabular(Memo{})},
			})
		})
		var errs []string
		advised := 0
		for _, m := range f.app.Site.Check() {
			if m.IsError() {
				errs = append(errs, m.String())
			}
			if m.ID == "staffroom.W003" && m.Option == "Ordering" {
				advised++
			}
		}
		if len(errs) > 0 {
			t.Errorf("check errors for a proxy's admin:\n%s", strings.Join(errs, "\n"))
		}
		if advised != 1 {
			t.Errorf("%d warnings of the due_on index, want one for the shared table", advised)
		}
		made, err := f.app.Site.CreateAdviceIndexes(context.Background())
		if err != nil || len(made) == 0 {
			t.Fatalf("created %v, %v", made, err)
		}
		if advice, err := f.app.Site.IndexAdvice(context.Background()); err != nil || len(advice) != 0 {
			t.Errorf("advice left %v, %v", advice, err)
		}

		// The filters and the date hierarchy read the proxy's rows.
		ana, _, ls := f.lendings()
		page := f.root.Get("/admin/circ/latelending/")
		expectStatus(t, page, 200)
		if got := page.Text("#changelist-filter a[href*='fine=']"); got != "0" {
			t.Errorf("fine filter choices %q", got)
		}
		if got := page.Text(".xfull a"); !strings.HasSuffix(got, "March 2024 May 2024") {
			t.Errorf("date hierarchy %q", got)
		}
		emma := f.lending("Emma")
		emma.Fine = 5
		if err := f.app.DB.Update(context.Background(), emma, "fine"); err != nil {
			t.Fatal(err)
		}
		if got := f.root.Get("/admin/circ/latelending/").Text("#changelist-filter a[href*='fine=']"); got != "0" {
			t.Errorf("fine filter choices %q after a returned loan's fine: the all-values filter reads rows the proxy leaves out", got)
		}

		// The autocomplete select of the proxy's form asks the endpoint,
		// which the proxy's field leads to the patrons' admin.
		page = f.root.Get("/admin/circ/latelending/" + key(ls["Dune"].ID) + "/change/")
		expectStatus(t, page, 200)
		sel := page.Find(`select[name="patron"]`)
		q := url.Values{"term": {"an"}, "app_label": {sel.AttrOr("data-app-label", "")}, "model_name": {sel.AttrOr("data-model-name", "")},
			"field_name": {sel.AttrOr("data-field-name", "")}}
		r := f.root.Get("/admin/autocomplete/?" + q.Encode())
		expectStatus(t, r, 200)
		if want := `{"id":"` + key(ana.ID) + `","text":"Ana"}`; !strings.Contains(r.Body, want) || q.Get("model_name") != "latelending" {
			t.Errorf("autocomplete %s: %s", q.Encode(), r.Body)
		}
	})
}

// markReturned is the Django library's OverdueLoan action: it marks the
// selected loans returned.
var markReturned = admin.Action{Name: "mark_returned", Description: "Mark selected loans as returned now", Permissions: []string{"change"},
	Func: func(w http.ResponseWriter, r *http.Request, ma admin.Admin, qs orm.QuerySet) error {
		n, err := qs.Update(r.Context(), map[string]any{"returned": true})
		if err == nil {
			ma.MessageUser(r, flash.Success, fmt.Sprintf("%d loans marked as returned.", n))
		}
		return err
	}}

// TestProxyAdminEditableAndActions: the proxy's list_editable saves
// rows of the concrete table, logged with the proxy's content type; its
// own action, offered to whoever may change overdue loans, updates only
// the selected rows the default filter keeps.
func TestProxyAdminEditableAndActions(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, func(site *admin.Site) error {
			if err := site.Register(Patron{}, nil); err != nil {
				return err
			}
			return site.Register(LateLending{}, &admin.ModelAdmin{ListDisplay: []any{"title", "fine"}, ListEditable: []string{"fine"},
				Actions: []admin.Action{markReturned}})
		})
		_, _, ls := f.lendings()
		page := f.root.Get("/admin/circ/latelending/")
		expectStatus(t, page, 200)
		if got := page.Text(`select[name="action"] option`); got != "--------- Delete selected overdue loans Mark selected loans as returned now" {
			t.Errorf("actions %q", got)
		}
		r := f.root.Submit(page, "#changelist-form", url.Values{"form-0-fine": {"30"}, "form-1-fine": {"40"}}, "_save")
		expectStatus(t, r, 302)
		if g, d := f.lending("Gigi").Fine, f.lending("Dune").Fine; g != 30 || d != 40 {
			t.Errorf("fines Gigi %d, Dune %d", g, d)
		}
		var got []string
		for _, e := range f.logEntries() {
			got = append(got, f.contentTypeOf(e.ContentType.ID)+" "+e.ObjectRepr+" "+e.ChangeMessage)
		}
		if want := `latelending Gigi [{"changed": {"fields": ["Fine"]}}]|latelending Dune [{"changed": {"fields": ["Fine"]}}]`; strings.Join(got, "|") != want {
			t.Errorf("log %q", strings.Join(got, "|"))
		}

		// Emma, returned, is not an overdue loan: selecting her id with
		// Gigi's updates Gigi alone.
		r = f.root.Submit(f.root.Get("/admin/circ/latelending/"), "#changelist-form", url.Values{"action": {"mark_returned"}, "index": {"0"},
			"_selected_action": {key(ls["Gigi"].ID), key(ls["Emma"].ID)}}, "")
		expectStatus(t, r, 302)
		if got := messages(f.root, r); got != "1 loans marked as returned." {
			t.Errorf("message %q", got)
		}
		if got := f.root.Get("/admin/circ/latelending/").Text("#result_list tbody th"); got != "Dune" {
			t.Errorf("overdue after the action %q", got)
		}

		viewer := f.staff("viewer", "view_latelending")
		if got := viewer.Get("/admin/circ/latelending/").Text(`select[name="action"] option`); strings.Contains(got, "Mark selected") {
			t.Errorf("a viewer is offered %q", got)
		}
	})
}

// TestProxyAdminDeleteCascade: deleting an overdue loan through the
// proxy lists, counts and deletes what points at the concrete row: its
// renewals and its memos, which carry the concrete model's content type.
func TestProxyAdminDeleteCascade(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, registerLate)
		ana, _, ls := f.lendings()
		dune := ls["Dune"]
		f.insert(&Renewal{Lending: orm.FK[Lending](dune.ID), Until: day(5, 20)})
		f.memo(dune, "Cover torn")
		f.memo(ana, "Ana's memo") // Ana's id is Dune's
		page := f.root.Get("/admin/circ/latelending/" + key(dune.ID) + "/delete/")
		expectStatus(t, page, 200)
		if got, want := deletedTree(page), "0:Overdue loan: Dune | 1:Renewal: 2024-05-20 | 1:Memo: Cover torn"; got != want {
			t.Errorf("objects\n got %s\nwant %s", got, want)
		}
		if got := page.Text("h2:contains('Summary') + ul li"); got != "Overdue loans: 1 Renewals: 1 Memos: 1" {
			t.Errorf("summary %q", got)
		}
		expectStatus(t, f.root.Submit(page, "#content form", nil, ""), 302)
		if got := f.memos(); got != "patron:"+key(ana.ID)+":Ana's memo" {
			t.Errorf("memos left %q", got)
		}
		if n, err := orm.For[Renewal](f.app.DB).Count(context.Background()); err != nil || n != 0 {
			t.Errorf("renewals left %d, %v", n, err)
		}
	})
}

// Badge is keyed in URLs by its code too: Scan's foreign key targets it.
type Badge struct {
	ID   int64
	Code string `orm:"max_length=10,unique"`
}

func (b *Badge) String() string { return b.Code }

type Scan struct {
	ID    int64
	Badge orm.ForeignKeyTo[Badge, string] `orm:"on_delete=cascade,to_field=code"`
}

// StaffBadge and DeskScan are proxies of Badge and Scan.
type StaffBadge struct{ Badge }

func (StaffBadge) Meta() orm.Meta { return orm.Meta{Proxy: true} }

type DeskScan struct{ Scan }

func (DeskScan) Meta() orm.Meta { return orm.Meta{Proxy: true} }

// TestProxyAdminToField: a popup of a proxy's admin may return the field
// a foreign key to the concrete model targets, when the model holding
// the key is registered, also through a proxy of its own, as Django's
// to_field_allowed allows it; without that registration it is refused.
func TestProxyAdminToField(t *testing.T) {
	badges := orm.AppConfig{Name: "badges", Models: []any{Badge{}, Scan{}, StaffBadge{}, DeskScan{}}}
	for _, tc := range []struct {
		scans  any // the registered model holding the key, or nil
		status int
	}{{Scan{}, 200}, {DeskScan{}, 200}, {nil, 400}} {
		f := newProject(t, "sqlite", []orm.AppConfig{badges}, func(site *admin.Site) error {
			if tc.scans != nil {
				if err := site.Register(tc.scans, nil); err != nil {
					return err
				}
			}
			return site.Register(StaffBadge{}, nil)
		})
		f.insert(&Badge{Code: "B-7"})
		page := f.root.Get("/admin/badges/staffbadge/?_to_field=code&_popup=1")
		expectStatus(t, page, tc.status)
		if tc.status == 200 {
			if got := page.Find("#result_list tbody th a").AttrOr("data-popup-opener", ""); got != "B-7" {
				t.Errorf("%T: the popup hands back %q", tc.scans, got)
			}
		}
	}
}

// TestProxyAdminKeysetPaging: the proxy's change list pages by key over
// the concrete model's columns, as the concrete model's does, and the
// pages hold the default filter's rows only.
func TestProxyAdminKeysetPaging(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newCirc(t, dialect, func(site *admin.Site) error {
			if err := site.Register(Patron{}, nil); err != nil {
				return err
			}
			return site.Register(LateLending{}, &admin.ModelAdmin{ListPerPage: 2, Ordering: []string{"due_on", "id"}})
		})
		f.lendings() // Gigi and Dune are late; Emma and Faust are not
		ana := &Patron{Name: "Ann"}
		f.insert(ana)
		for i, title := range []string{"Kim", "Lolita", "Maus"} {
			f.insert(&Lending{Title: title, DueOn: day(5, 10+i), Patron: orm.FK[Patron](ana.ID)})
		}
		var byKey []string
		page := f.root.Get("/admin/circ/latelending/")
		for range 3 {
			expectStatus(t, page, 200)
			byKey = append(byKey, page.Text("#result_list tbody th"))
			next, ok := page.Find("a.next").Attr("href")
			if !ok {
				break
			}
			if !strings.Contains(next, "_after=") {
				t.Fatalf("next link %q has no cursor", next)
			}
			page = f.root.Get("/admin/circ/latelending/" + next)
		}
		if got := strings.Join(byKey, " | "); got != "Gigi Dune | Kim Lolita | Maus" {
			t.Errorf("pages by key %q", got)
		}
	})
}
