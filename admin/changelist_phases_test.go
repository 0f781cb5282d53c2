package admin

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"

	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

// The change list's phases, each covered by the SQL it produces.

type phaseTag struct {
	ID   int64
	Name string `orm:"max_length=20"`
}

type phaseItem struct {
	ID     int64
	Title  string    `orm:"max_length=50"`
	Born   time.Time `orm:"type=date"`
	Rank   int32
	Parent orm.ForeignKey[phaseTag] `orm:"null,on_delete=set_null"`
	Tags   orm.ManyToMany[phaseTag] `orm:"related_name=tagged"`
}

// phaseAdmin returns a ModelAdmin of phaseItem bound to a site over a
// fresh SQLite database, enough for the phases, which touch no HTTP
// machinery but the request.
func phaseAdmin(t *testing.T, a *ModelAdmin) *ModelAdmin {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "ph", Models: []any{phaseTag{}, phaseItem{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	db := testdb.Open(t, "sqlite", reg)
	m, err := reg.ModelOf(phaseItem{})
	if err != nil {
		t.Fatal(err)
	}
	s := &Site{db: db, cfg: Config{SiteOptions: SiteOptions{Prefix: "/admin/", EmptyValueDisplay: "-"}},
		admins: map[*orm.Model]Admin{}, byPath: map[string]Admin{}}
	a.self, a.site, a.model = a, s, m
	return a
}

// changeList builds the ChangeList of a query string up to the phase the
// test looks at.
func changeList(t *testing.T, a *ModelAdmin, query string) *ChangeList {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, "/admin/ph/phaseitem/?"+query, nil)
	q, _ := parseListQuery(r.URL.Query())
	cols, err := a.resolveColumns(a.GetListDisplay(r))
	if err != nil {
		t.Fatal(err)
	}
	return &ChangeList{ma: a, a: a, req: r, q: q, Columns: cols, SortableBy: a.GetSortableBy(r), RootQueryset: a.GetQueryset(r)}
}

func sqlOf(t *testing.T, qs orm.QuerySet) (string, []any) {
	t.Helper()
	s, args, err := qs.SQL()
	if err != nil {
		t.Fatal(err)
	}
	return s, args
}

func TestPhaseCheckLookups(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{ListFilter: []any{&SimpleListFilter{ParameterName: "parent__name"}}})
	for query, ok := range map[string]bool{
		"title=x":                 true,
		"rank__gt=3":              true,
		"parent__id__exact=1":     true,
		"parent__isnull=True":     true,
		"parent__name=x":          true, // declared by a list filter
		"parent__name__exact=x":   true,
		"tags__name=x":            false,
		"parent__name__regex=^.*": true,
	} {
		err := changeList(t, a, query).checkLookups()
		var he *httpError
		if ok != (err == nil) || (err != nil && (!errors.As(err, &he) || he.status != http.StatusBadRequest)) {
			t.Errorf("%s: allowed %v, error %v", query, ok, err)
		}
	}
}

func TestPhaseFilters(t *testing.T) {
	decade := &SimpleListFilter{Title: "decade", ParameterName: "decade",
		Lookups: func(r *http.Request, ma Admin) [][2]string { return [][2]string{{"80s", "the eighties"}} },
		Queryset: func(r *http.Request, qs orm.QuerySet, v string) (orm.QuerySet, error) {
			if v != "80s" {
				return qs, errors.New("unknown decade")
			}
			return qs.Filter(orm.Q{"born__year__gte": 1980}, orm.Q{"born__year__lt": 1990}), nil
		}}
	a := phaseAdmin(t, &ModelAdmin{ListFilter: []any{decade}})
	cl := changeList(t, a, "decade=80s&rank=2")
	qs, err := cl.applyFilters(cl.RootQueryset)
	if err != nil {
		t.Fatal(err)
	}
	if !cl.HasActiveFilters || !reflect.DeepEqual(cl.Lookups, url.Values{"rank": {"2"}}) {
		t.Errorf("the filter must consume its parameter: active %v, left %v", cl.HasActiveFilters, cl.Lookups)
	}
	if s, args := sqlOf(t, qs); !strings.Contains(s, `"born"`) || len(args) != 2 {
		t.Errorf("filter SQL %s %v", s, args)
	}
	choices := cl.FilterSpecs[0].Choices(cl.q.filterLink)
	if len(choices) != 2 || choices[0].QueryString != "?rank=2" || choices[0].Selected ||
		choices[1].QueryString != "?decade=80s&rank=2" || !choices[1].Selected {
		t.Errorf("choices %+v", choices)
	}
	cl = changeList(t, a, "decade=70s")
	if _, err := cl.applyFilters(cl.RootQueryset); !errors.Is(err, errLookup) {
		t.Errorf("a value the filter refuses is an incorrect lookup: %v", err)
	}
}

func TestPhaseDateHierarchy(t *testing.T) {
	for _, c := range []struct {
		query, gte, lt string
		bad            bool
	}{
		{"born__year=2024", "2024-01-01", "2025-01-01", false},
		{"born__year=2024&born__month=12", "2024-12-01", "2025-01-01", false},
		{"born__year=2024&born__month=2&born__day=29", "2024-02-29", "2024-03-01", false},
		{"born__year=2024&born__day=31", "2024-01-31", "2024-02-01", false}, // a day alone is in January, as in Django
		{"born__year=2023&born__year=2024", "2024-01-01", "2025-01-01", false},
		{"born__year=2023&born__month=2&born__day=29", "", "", true},
		{"born__year=2023&born__month=13", "", "", true},
		{"born__year=2023&born__month=0", "", "", true},
		{"born__year=x", "", "", true},
		{"born__year=", "", "", true},
		{"born__year=10000", "", "", true},
		{"born__month=3", "", "", false},
	} {
		params, _ := url.ParseQuery(c.query)
		p, out, err := dateHierarchyPeriod("born", params)
		if c.bad {
			if !errors.Is(err, errLookup) {
				t.Errorf("%s: error %v", c.query, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.query, err)
			continue
		}
		if c.gte == "" {
			if p.year != 0 || out.Get("born__month") != "3" {
				t.Errorf("%s: a month without a year must stay a plain lookup: %v %v", c.query, p, out)
			}
			continue
		}
		from, to := p.bounds(time.UTC)
		if from.Format(time.DateOnly) != c.gte || to.Format(time.DateOnly) != c.lt || len(out) != 0 {
			t.Errorf("%s: [%s, %s) left %v", c.query, from, to, out)
		}
	}
}

// TestPhaseDateHierarchyRange checks the chosen period reaches SQL as a
// range on the column, which an index serves, not as a function of each
// row; and that a date-time's day is a local day, DST included.
func TestPhaseDateHierarchyRange(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{DateHierarchy: "born"})
	cl := changeList(t, a, "born__year=2024&born__month=3&rank=2")
	qs, err := cl.applyFilters(cl.RootQueryset)
	if err != nil {
		t.Fatal(err)
	}
	s, args := sqlOf(t, qs)
	if !strings.Contains(s, `"born" >= ?`) || !strings.Contains(s, `"born" < ?`) || len(args) != 2 {
		t.Errorf("want a range on the column: %s %v", s, args)
	}
	for _, fn := range []string{"strftime", "EXTRACT", "django_", "CAST"} {
		if strings.Contains(s, fn) {
			t.Errorf("the range must not apply %s to each row: %s", fn, s)
		}
	}
	if !reflect.DeepEqual(cl.Lookups, url.Values{"rank": {"2"}}) || cl.datePeriod != (datePeriod{2024, 3, 0}) {
		t.Errorf("left %v, period %v", cl.Lookups, cl.datePeriod)
	}

	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip("no time zone database:", err)
	}
	from, to := datePeriod{2024, 3, 31}.bounds(paris) // the clocks go forward at 02:00
	if to.Sub(from) != 23*time.Hour || from.Hour() != 0 || to.Hour() != 0 {
		t.Errorf("a local day across DST: [%s, %s)", from, to)
	}
}

func TestPhaseLookups(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{})
	for _, c := range []struct {
		query string
		want  []string // fragments of the WHERE clause
		args  int
	}{
		{"rank__in=1,2,3", []string{`"rank" IN (?, ?, ?)`}, 3},
		{"parent__isnull=false", []string{`"parent_id" IS NOT NULL`}, 0},
		{"parent__isnull=0", []string{`"parent_id" IS NOT NULL`}, 0},
		{"parent__isnull=True", []string{`"parent_id" IS NULL`}, 0},
		{"title=a&title=b", []string{`"title" = ?`, " OR "}, 2},
	} {
		cl := changeList(t, a, c.query)
		cl.Lookups = cl.q.filters
		qs, err := cl.applyLookups(cl.RootQueryset)
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		s, args := sqlOf(t, qs)
		for _, w := range c.want {
			if !strings.Contains(s, w) {
				t.Errorf("%s: %s lacks %s", c.query, s, w)
			}
		}
		if len(args) != c.args {
			t.Errorf("%s: %d args %v", c.query, len(args), args)
		}
	}
	cl := changeList(t, a, "nope=1")
	cl.Lookups = cl.q.filters
	if _, err := cl.applyLookups(cl.RootQueryset); !errors.Is(err, errLookup) {
		t.Errorf("an unknown field is an incorrect lookup: %v", err)
	}
}

func TestPhaseSearchAndDistinct(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{SearchFields: []string{"title", "^parent__name"}})
	cl := changeList(t, a, `q=one+"two+words"`)
	qs, err := cl.applySearch(cl.RootQueryset)
	if err != nil {
		t.Fatal(err)
	}
	// The parents' names are searched first (none match here), so each
	// word's alternative across the foreign key is left out.
	s, args := sqlOf(t, qs)
	if strings.Contains(s, "DISTINCT") || len(args) != 2 || strings.Count(s, "LIKE") != 2 || strings.Contains(s[strings.Index(s, "WHERE"):], "parent") {
		t.Errorf("two terms over two fields, no DISTINCT: %s %v", s, args)
	}
	a = phaseAdmin(t, &ModelAdmin{SearchFields: []string{"tags__name"}})
	cl = changeList(t, a, "q=x")
	if qs, err = cl.applySearch(cl.RootQueryset); err != nil {
		t.Fatal(err)
	}
	if s, _ := sqlOf(t, qs); !strings.Contains(s, "DISTINCT") {
		t.Errorf("a search across a many-to-many must be DISTINCT: %s", s)
	}
	cl = changeList(t, a, "tags__id__exact=1")
	cl.Lookups = cl.q.filters
	if qs, err = cl.applyLookups(cl.RootQueryset); err == nil {
		qs, err = cl.applySearch(qs)
	}
	if s, _ := sqlOf(t, qs); err != nil || !strings.Contains(s, "DISTINCT") {
		t.Errorf("a lookup across a many-to-many must be DISTINCT: %s %v", s, err)
	}
}

func TestPhaseOrdering(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{ListDisplay: []any{"title", "rank", "born"}, Ordering: []string{"-rank"}})
	for _, c := range []struct {
		query  string
		order  []string
		sorted []orderItem
	}{
		{"", []string{"-rank", "-pk"}, []orderItem{{col: 1, desc: true}}},
		// The columns chosen, then GetQueryset's ordering for their ties
		// (contract §2.4, step 3), then the tiebreaker.
		{"o=0", []string{"title", "-rank", "-pk"}, []orderItem{{col: 0}}},
		{"o=-2.0", []string{"-born", "title", "-rank", "-pk"}, []orderItem{{col: 2, desc: true}, {col: 0}}},
		{"o=9.x.1", []string{"rank", "-pk"}, []orderItem{{col: 1}}},
	} {
		cl := changeList(t, a, c.query)
		order, sorted := cl.ordering()
		if !reflect.DeepEqual(order, c.order) || !reflect.DeepEqual(sorted, c.sorted) {
			t.Errorf("%q: order %v sorted %v, want %v %v", c.query, order, sorted, c.order, c.sorted)
		}
		s, _ := sqlOf(t, cl.RootQueryset.OrderBy(order...))
		if !strings.Contains(s, "ORDER BY") {
			t.Errorf("%q: %s", c.query, s)
		}
	}
	a = phaseAdmin(t, &ModelAdmin{ListDisplay: []any{"title", "rank"}, SortableBy: []string{"rank"}})
	cl := changeList(t, a, "o=0")
	if order, _ := cl.ordering(); !reflect.DeepEqual(order, []string{"-pk"}) {
		t.Errorf("a column outside SortableBy sorted: %v", order)
	}
}

func TestPhaseCountAndPaginate(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{ListPerPage: 2, ListMaxShowAll: 3})
	ctx := t.Context()
	for i := 0; i < 5; i++ {
		if err := a.site.db.Insert(ctx, &phaseItem{Title: "t", Rank: int32(i), Born: time.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	for _, c := range []struct {
		query            string
		count, full      int64
		page, pages      int
		showAll, canShow bool
		bad              bool
	}{
		{"", 5, 5, 1, 3, false, false, false},
		{"p=3", 5, 5, 3, 3, false, false, false},
		{"p=4", 0, 0, 0, 0, false, false, true},
		{"rank__lt=3&all=", 3, 5, 1, 2, true, true, false},
		{"all=", 5, 5, 1, 3, false, false, false},
		{"rank__lt=1&p=7", 1, 5, 1, 1, false, true, false},
	} {
		cl := changeList(t, a, c.query)
		cl.Lookups = cl.q.filters
		qs, err := cl.applyLookups(cl.RootQueryset)
		if err != nil {
			t.Fatal(err)
		}
		cl.Queryset = qs
		if err := cl.count(); err != nil {
			t.Fatal(err)
		}
		err = cl.paginate()
		if c.bad {
			if !errors.Is(err, errLookup) {
				t.Errorf("%s: %v", c.query, err)
			}
			continue
		}
		if err != nil || cl.ResultCount != c.count || cl.FullResultCount != c.full || cl.Page != c.page || cl.NumPages != c.pages ||
			cl.ShowAll != c.showAll || cl.CanShowAll != c.canShow {
			t.Errorf("%s: %+v %v", c.query, cl, err)
		}
	}
	hide := false
	a.ShowFullResultCount = &hide
	cl := changeList(t, a, "rank__lt=3")
	cl.Lookups = cl.q.filters
	cl.Queryset, _ = cl.applyLookups(cl.RootQueryset)
	if err := cl.count(); err != nil || cl.FullResultCount != -1 {
		t.Errorf("ShowFullResultCount false must not count the table: %d %v", cl.FullResultCount, err)
	}
}

// LookupAllowed walks the lookup as Django's lookup_allowed does.
func TestLookupAllowedRelationParts(t *testing.T) {
	a := phaseAdmin(t, &ModelAdmin{ListFilter: []any{&SimpleListFilter{ParameterName: "parent"}}, DateHierarchy: "parent__name"})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	for lookup, ok := range map[string]bool{
		"title__startswith":      true,  // local
		"parent__id__exact":      true,  // the relation's own key
		"parent__isnull":         true,  // a lookup of the relation itself
		"parent__name":           true,  // declared by the date hierarchy
		"parent__name__gte":      true,  // the declared path and a lookup
		"tags__name__icontains":  false, // across a many-to-many, undeclared
		"tags__id__in":           true,
		"parent__name__year__gt": true, // the declared path, then a transform and a lookup
		"parent__parent__id":     true, // not a field of the parent: a lookup of parent
	} {
		if got := a.LookupAllowed(r, lookup, "x"); got != ok {
			t.Errorf("%s: allowed %v, want %v", lookup, got, ok)
		}
	}
}

// Search fields as Django's construct_search reads them.
func TestSearchLookup(t *testing.T) {
	for sf, want := range map[string]string{
		"title":                "title__icontains",
		"^title":               "title__istartswith",
		"=title":               "title__iexact",
		"@title":               "title__search",
		"title__exact":         "title__exact",
		"parent__name__iregex": "parent__name__iregex",
		"parent__name":         "parent__name__icontains",
		"parent__exactness":    "parent__exactness__icontains",
	} {
		if got := searchLookup(sf); got != want {
			t.Errorf("%s: %s, want %s", sf, got, want)
		}
	}
	a := phaseAdmin(t, &ModelAdmin{SearchFields: []string{"@title", "title__exact"}})
	cl := changeList(t, a, "q=two+words")
	qs, err := cl.applySearch(cl.RootQueryset)
	if err != nil {
		t.Fatal(err)
	}
	if s, args := sqlOf(t, qs); !strings.Contains(s, `"title" = ?`) || len(args) < 4 {
		t.Errorf("explicit lookup and full-text search: %s %v", s, args)
	}
}
