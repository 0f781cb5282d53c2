package admin_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// The shop app has the field kinds the checks tell apart: dates, choices,
// a slug, many-to-many fields with and without a through model, and a
// child model for inlines.
type Tag struct {
	ID   int64
	Name string `orm:"max_length=20"`
}

type Item struct {
	ID      int64
	Name    string    `orm:"max_length=50"`
	Slug    string    `orm:"type=slug"`
	Kind    string    `orm:"max_length=3,choices=a:Apple|b:Banana"`
	Code    string    `orm:"max_length=10,editable=false"`
	Made    time.Time `orm:"type=date"`
	Added   time.Time
	Tags    orm.ManyToMany[Tag]
	Labels  orm.ManyToMany[Tag]   `orm:"through=Labelling,related_name=labelled"`
	Shelf   orm.ForeignKey[Shelf] `orm:"null,blank,on_delete=set_null"`
	InStock bool
}

func (i *Item) String() string { return i.Name }

type Labelling struct {
	ID   int64
	Item orm.ForeignKey[Item] `orm:"on_delete=cascade"`
	Tag  orm.ForeignKey[Tag]  `orm:"on_delete=cascade"`
}

type Part struct {
	ID   int64
	Item orm.ForeignKey[Item] `orm:"on_delete=cascade"`
	Qty  int32
}

// checkSite returns a site with the notes and shop apps and nothing of
// theirs registered.
func checkSite(t *testing.T) *admin.Site {
	t.Helper()
	p := staffroom.Project{Name: "test", Apps: []orm.AppConfig{
		{Name: "notes", Models: []any{Shelf{}, Note{}}},
		{Name: "shop", Models: []any{Tag{}, Item{}, Labelling{}, Part{}}},
	}}
	app, err := staffroom.New(p, staffroom.Config{Database: testdb.URL(t, "sqlite"), SecretKey: "k",
		Hashers: auth.PasswordHashers{auth.PBKDF2SHA256{Iterations: 100}}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { app.Close() })
	return app.Site
}

func noop(http.ResponseWriter, *http.Request, admin.Admin, orm.QuerySet) error { return nil }

func TestCheckIDs(t *testing.T) {
	site := checkSite(t)
	cases := []struct {
		id, option, value string
		ma                *admin.ModelAdmin
		tagAdmin          *admin.ModelAdmin // registered for Tag first, when set
	}{
		{"admin.E002", "RawIDFields[0]", "nope", &admin.ModelAdmin{RawIDFields: []string{"nope"}}, nil},
		{"admin.E003", "RawIDFields[0]", "name", &admin.ModelAdmin{RawIDFields: []string{"name"}}, nil},
		{"admin.E005", "Fields", "name", &admin.ModelAdmin{Fields: []string{"name"}, Fieldsets: []admin.Fieldset{{Lines: admin.Lines("name")}}}, nil},
		{"admin.E006", "Fields", "name", &admin.ModelAdmin{Fields: []string{"name", "slug", "name"}}, nil},
		{"admin.E011", "Fieldsets[0].Lines", "Empty", &admin.ModelAdmin{Fieldsets: []admin.Fieldset{{Name: "Empty"}}}, nil},
		{"admin.E012", "Fieldsets[1].Lines[0][0]", "name", &admin.ModelAdmin{Fieldsets: []admin.Fieldset{
			{Lines: admin.Lines("name")}, {Name: "Again", Lines: admin.Lines("name")}}}, nil},
		{"admin.E013", "Fields[1]", "labels", &admin.ModelAdmin{Fields: []string{"name", "labels"}}, nil},
		{"admin.E015", "Exclude", "slug", &admin.ModelAdmin{Exclude: []string{"slug", "slug"}}, nil},
		{"admin.E019", "FilterHorizontal[0]", "nope", &admin.ModelAdmin{FilterHorizontal: []string{"nope"}}, nil},
		{"admin.E020", "FilterVertical[0]", "shelf", &admin.ModelAdmin{FilterVertical: []string{"shelf"}}, nil},
		{"admin.E022", "RadioFields", "nope", &admin.ModelAdmin{RadioFields: map[string]admin.RadioLayout{"nope": admin.Vertical}}, nil},
		{"admin.E023", "RadioFields", "name", &admin.ModelAdmin{RadioFields: map[string]admin.RadioLayout{"name": admin.Vertical}}, nil},
		{"admin.E024", `RadioFields["kind"]`, "7", &admin.ModelAdmin{RadioFields: map[string]admin.RadioLayout{"kind": 7}}, nil},
		{"admin.E027", "PrepopulatedFields", "nope", &admin.ModelAdmin{PrepopulatedFields: map[string][]string{"nope": {"name"}}}, nil},
		{"admin.E028", "PrepopulatedFields", "made", &admin.ModelAdmin{PrepopulatedFields: map[string][]string{"made": {"name"}}}, nil},
		{"admin.E029", `PrepopulatedFields["slug"]`, "", &admin.ModelAdmin{PrepopulatedFields: map[string][]string{"slug": {}}}, nil},
		{"admin.E030", `PrepopulatedFields["slug"][1]`, "title", &admin.ModelAdmin{PrepopulatedFields: map[string][]string{"slug": {"name", "title"}}}, nil},
		{"admin.E032", "Ordering[1]", "?", &admin.ModelAdmin{Ordering: []string{"name", "?"}}, nil},
		{"admin.E033", "Ordering[0]", "-shelf__nope", &admin.ModelAdmin{Ordering: []string{"-shelf__nope"}}, nil},
		{"admin.E035", "ReadonlyFields[0]", "nope", &admin.ModelAdmin{ReadonlyFields: []string{"nope"}}, nil},
		{"admin.E037", "AutocompleteFields[0]", "nope", &admin.ModelAdmin{AutocompleteFields: []string{"nope"}}, nil},
		{"admin.E038", "AutocompleteFields[0]", "kind", &admin.ModelAdmin{AutocompleteFields: []string{"kind"}}, nil},
		{"admin.E039", "AutocompleteFields[0]", "shelf", &admin.ModelAdmin{AutocompleteFields: []string{"shelf"}}, nil},
		{"admin.E040", "AutocompleteFields[0]", "tags", &admin.ModelAdmin{AutocompleteFields: []string{"tags"}}, &admin.ModelAdmin{}},
		{"admin.E104", "Inlines[0]", "nil", &admin.ModelAdmin{Inlines: []admin.Inline{nil}}, nil},
		{"admin.E105", "Inlines[0].Model", "", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{}}}, nil},
		{"admin.E106", "Inlines[0].Model", "struct { X int }", &admin.ModelAdmin{Inlines: []admin.Inline{admin.Tabular(struct{ X int }{})}}, nil},
		{"admin.E108", "ListDisplay[1]", "nope", &admin.ModelAdmin{ListDisplay: []any{"name", "nope"}}, nil},
		{"admin.E109", "ListDisplay[0]", "tags", &admin.ModelAdmin{ListDisplay: []any{"tags"}}, nil},
		{"admin.E111", "ListDisplayLinks[0]", "slug", &admin.ModelAdmin{ListDisplay: []any{"name"}, ListDisplayLinks: []string{"slug"}}, nil},
		{"admin.E113", "ListFilter[0]", "3 (int)", &admin.ModelAdmin{ListFilter: []any{3}}, nil},
		{"admin.E115", "ListFilter[0].Kind", "42", &admin.ModelAdmin{ListFilter: []any{admin.FieldFilter{Path: "kind", Kind: 42}}}, nil},
		{"admin.E116", "ListFilter[0]", "shelf__nope", &admin.ModelAdmin{ListFilter: []any{"shelf__nope"}}, nil},
		{"admin.E117", "ListSelectRelated[0]", "name", &admin.ModelAdmin{ListSelectRelated: []string{"name"}}, nil},
		{"admin.E118", "ListPerPage", "-1", &admin.ModelAdmin{ListPerPage: -1}, nil},
		{"admin.E119", "ListMaxShowAll", "-5", &admin.ModelAdmin{ListMaxShowAll: -5}, nil},
		{"admin.E121", "ListEditable[0]", "nope", &admin.ModelAdmin{ListEditable: []string{"nope"}}, nil},
		{"admin.E122", "ListEditable[0]", "slug", &admin.ModelAdmin{ListDisplay: []any{"name"}, ListEditable: []string{"slug"}}, nil},
		{"admin.E123", "ListEditable[0]", "slug", &admin.ModelAdmin{ListDisplay: []any{"name", "slug"}, ListDisplayLinks: []string{"slug"}, ListEditable: []string{"slug"}}, nil},
		{"admin.E124", "ListEditable[0]", "name", &admin.ModelAdmin{ListDisplay: []any{"name", "slug"}, ListEditable: []string{"name"}}, nil},
		{"admin.E125", "ListEditable[0]", "code", &admin.ModelAdmin{ListDisplay: []any{"name", "code"}, ListEditable: []string{"code"}}, nil},
		{"admin.E126", "SearchFields[1]", "^shelf__nope", &admin.ModelAdmin{SearchFields: []string{"name", "^shelf__nope"}}, nil},
		{"admin.E127", "DateHierarchy", "shelf__when", &admin.ModelAdmin{DateHierarchy: "shelf__when"}, nil},
		{"admin.E128", "DateHierarchy", "name", &admin.ModelAdmin{DateHierarchy: "name"}, nil},
		{"admin.E129", "Actions[0].Permissions[0]", "publish", &admin.ModelAdmin{Actions: []admin.Action{{Name: "go", Func: noop, Permissions: []string{"publish"}}}}, nil},
		{"admin.E130", "Actions[1].Name", "go", &admin.ModelAdmin{Actions: []admin.Action{{Name: "go", Func: noop}, {Name: "go", Func: noop}}}, nil},
		{"admin.E201", "Inlines[0].Exclude", "item", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, Exclude: []string{"item"}}}}}, nil},
		{"admin.E202", "Inlines[0].FkName", "", &admin.ModelAdmin{Inlines: []admin.Inline{admin.Stacked(Tag{})}}, nil},
		{"admin.E203", "Inlines[0].Extra", "-1", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, Extra: intp(-1)}}}}, nil},
		{"admin.E204", "Inlines[0].MaxNum", "-2", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, MaxNum: -2}}}}, nil},
		{"admin.E205", "Inlines[0].MinNum", "-3", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, MinNum: -3}}}}, nil},
		{"admin.E019", "Inlines[0].FilterHorizontal[0]", "nope", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, FilterHorizontal: []string{"nope"}}}}}, nil},
		{"admin.E020", "Inlines[0].FilterVertical[0]", "qty", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.StackedInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, FilterVertical: []string{"qty"}}}}}, nil},
		{"admin.E035", "Inlines[0].ReadonlyFields[0]", "nope", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, ReadonlyFields: []string{"nope"}}}}}, nil},
		{"staffroom.E002", "ListDisplay[0]", "X", &admin.ModelAdmin{ListDisplay: []any{admin.Column("X", func(s *Shelf) string { return "" })}}, nil},
		{"staffroom.E003", "ListDisplay[0]", "nope", &admin.ModelAdmin{ListDisplay: []any{admin.Column("X", func(i *Item) string { return "" }, admin.Ordering("nope"))}}, nil},
		{"staffroom.E004", "ListDisplay[0]", "1.5 (float64)", &admin.ModelAdmin{ListDisplay: []any{1.5}}, nil},
		{"staffroom.E005", "Fieldsets[0].Lines[0][1]", "colour", &admin.ModelAdmin{Fieldsets: []admin.Fieldset{{Lines: [][]string{{"name", "colour"}}}}}, nil},
		{"staffroom.E005", "Exclude[0]", "colour", &admin.ModelAdmin{Exclude: []string{"colour"}}, nil},
		{"staffroom.E006", "SortableBy[0]", "slug", &admin.ModelAdmin{ListDisplay: []any{"name"}, SortableBy: []string{"slug"}}, nil},
		{"staffroom.E007", "ListFilter[0]", "p", &admin.ModelAdmin{ListFilter: []any{&admin.SimpleListFilter{ParameterName: "p"}}}, nil},
		{"staffroom.E008", "ListFilter[0]", "p", &admin.ModelAdmin{ListFilter: []any{&admin.SimpleListFilter{Title: "P", ParameterName: "p"}}}, nil},
		{"staffroom.E009", "ListFilter[0]", "q", &admin.ModelAdmin{ListFilter: []any{simpleFilter("q")}}, nil},
		{"staffroom.E010", "ListFilter[1]", "x", &admin.ModelAdmin{ListFilter: []any{simpleFilter("x"), simpleFilter("x")}}, nil},
		{"staffroom.E011", "ChangeListTemplate", "admin/mine.html", &admin.ModelAdmin{ChangeListTemplate: "admin/mine.html"}, nil},
		{"staffroom.E011", "PopupResponseTemplate", "admin/popup.html", &admin.ModelAdmin{PopupResponseTemplate: "admin/popup.html"}, nil},
		{"staffroom.E013", "Actions[0]", "go", &admin.ModelAdmin{Actions: []admin.Action{{Name: "go"}}}, nil},
		{"staffroom.E014", "ListFilter[0].Path", "name", &admin.ModelAdmin{ListFilter: []any{admin.FieldFilter{Path: "name", Kind: admin.FilterDate}}}, nil},
		{"staffroom.E014", "ListFilter[0].Path", "in_stock", &admin.ModelAdmin{ListFilter: []any{admin.FieldFilter{Path: "in_stock", Kind: admin.FilterEmpty}}}, nil},
		{"staffroom.E014", "ListFilter[0].Path", "tags", &admin.ModelAdmin{ListFilter: []any{admin.FieldFilter{Path: "tags", Kind: admin.FilterAllValues}}}, nil},
		{"staffroom.E011", "ListFilter[0].Template", "admin/f.html", &admin.ModelAdmin{ListFilter: []any{admin.FieldFilter{Path: "kind", Template: "admin/f.html"}}}, nil},
		{"staffroom.E011", "ListFilter[0].Template", "admin/s.html", &admin.ModelAdmin{ListFilter: []any{&admin.SimpleListFilter{Title: "T", ParameterName: "t",
			Lookups: simpleFilter("t").Lookups, Queryset: simpleFilter("t").Queryset, Template: "admin/s.html"}}}, nil},
		{"staffroom.E011", "Inlines[0].Template", "admin/my_inline.html", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, Template: "admin/my_inline.html"}}}}, nil},
		{"staffroom.E015", "Inlines[0].MinNum", "5", &admin.ModelAdmin{Inlines: []admin.Inline{&admin.TabularInline{InlineModelAdmin: admin.InlineModelAdmin{Model: Part{}, MinNum: 5, MaxNum: 2}}}}, nil},
	}
	for _, c := range cases {
		t.Run(c.id+" "+c.option, func(t *testing.T) {
			if c.tagAdmin != nil {
				if err := site.Register(Tag{}, c.tagAdmin); err != nil {
					t.Fatal(err)
				}
				defer site.Unregister(Tag{})
			}
			err := site.Register(Item{}, c.ma)
			var ce *admin.CheckError
			if !errors.As(err, &ce) {
				site.Unregister(Item{})
				t.Fatalf("Register: %v, want a *CheckError", err)
			}
			for _, m := range ce.Messages {
				if m.ID != c.id || m.Option != c.option {
					continue
				}
				if m.Value != c.value || m.Model != "shop.Item" || m.Hint == "" || !m.IsError() {
					t.Errorf("message %#v: want value %q, model shop.Item, a hint, level error", m, c.value)
				}
				if s := err.Error(); !strings.Contains(s, "admin: register shop.Item:") || !strings.Contains(s, "("+c.id+")") ||
					!strings.Contains(s, "HINT: ") || !strings.Contains(m.String(), "shop.Item: ("+c.id+") ") {
					t.Errorf("error text %q", s)
				}
				return
			}
			t.Errorf("no %s on %s among:\n%s", c.id, c.option, err)
		})
	}
}

func intp(n int) *int { return &n }

func simpleFilter(param string) *admin.SimpleListFilter {
	return &admin.SimpleListFilter{Title: "T", ParameterName: param,
		Lookups:  func(*http.Request, admin.Admin) [][2]string { return nil },
		Queryset: func(_ *http.Request, qs orm.QuerySet, _ string) (orm.QuerySet, error) { return qs, nil }}
}

// TestCheckWarnings checks a warning leaves the registration alone and
// is reported by Check, of the admin and of the site.
func TestCheckWarnings(t *testing.T) {
	site := checkSite(t)
	ma := &admin.ModelAdmin{ListDisplay: []any{"name", admin.Column("Shout", func(i *Item) string { return i.Name })},
		SortableBy: []string{"Shout"}}
	if err := site.Register(Item{}, ma); err != nil {
		t.Fatal(err)
	}
	msgs := ma.Check()
	if len(msgs) != 1 || msgs[0].ID != "staffroom.W001" || msgs[0].Option != "SortableBy[0]" || msgs[0].IsError() {
		t.Fatalf("Check: %v", msgs)
	}
	var ids []string
	for _, m := range site.Check() {
		ids = append(ids, m.ID+" "+m.Model)
	}
	if got := strings.Join(ids, ","); got != "staffroom.W001 shop.Item" {
		t.Errorf("site checks %q", got)
	}
}

// TestCheckClean checks the defaults, auth's admins and a full valid
// admin give no message at all.
func TestCheckClean(t *testing.T) {
	site := checkSite(t)
	err := site.Register(Item{}, &admin.ModelAdmin{
		ListDisplay:  []any{"name", "kind", "shelf", admin.Column("Shout", func(i *Item) string { return i.Name }, admin.Ordering("name"))},
		SearchFields: []string{"name", "^slug", "=shelf__name"}, Ordering: []string{"-added", "shelf__name"},
		ListSelectRelated: []string{"shelf"}, ReadonlyFields: []string{"code"},
		Fieldsets:  []admin.Fieldset{{Lines: [][]string{{"name", "slug"}, {"kind"}}}, {Name: "More", Lines: admin.Lines("code", "tags")}},
		ListFilter: []any{simpleFilter("colour")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if msgs := site.Check(); len(msgs) != 0 {
		t.Errorf("site checks: %v", msgs)
	}
}
