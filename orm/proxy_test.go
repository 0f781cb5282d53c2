package orm_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Lending is shaped as the Django library's Loan (table lending_loan, a
// due date in the column due_date); LateLending is its proxy, as
// OverdueLoan is Loan's: not returned and due before "today".
type Lending struct {
	ID         int64
	Reader     orm.ForeignKey[Reader] `orm:"on_delete=cascade,related_name=lendings"`
	DueOn      time.Time              `orm:"type=date,db_column=due_date"`
	ReturnedAt *time.Time
	Witnesses  orm.ManyToMany[Reader]       `orm:"blank,related_name=witnessed"`
	Notes      orm.GenericRelation[Jotting] `orm:""`
}

func (Lending) Meta() orm.Meta {
	return orm.Meta{Table: "lending_loan", Ordering: []string{"-id"}, VerboseName: "prêt", VerboseNamePlural: "prêts"}
}

// Penalty points at a lending, so deleting one through its proxy cascades.
type Penalty struct {
	ID      int64
	Lending orm.ForeignKey[Lending] `orm:"on_delete=cascade,related_name=penalties"`
	Cents   int64
}

// lateToday is the date LateLending's default filter compares with; the
// test moves it to show the filter is evaluated for each query.
var lateToday = time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC)

type LateLending struct{ Lending }

func (LateLending) Meta() orm.Meta {
	return orm.Meta{
		Proxy:       true,
		VerboseName: "overdue loan",
		Ordering:    []string{"due_on"},
		DefaultFilter: func() orm.Expr {
			return orm.Q{"returned_at__isnull": true, "due_on__lt": lateToday}
		},
	}
}

// VeryLateLending proxies the proxy: Lending's table, LateLending's
// ordering and default filter.
type VeryLateLending struct{ LateLending }

func (VeryLateLending) Meta() orm.Meta { return orm.Meta{Proxy: true, VerboseName: "very late loan"} }

// PlainLending is a proxy without options of its own: it takes Lending's
// ordering.
type PlainLending struct{ Lending }

func (PlainLending) Meta() orm.Meta { return orm.Meta{Proxy: true} }

func proxyRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(contenttype.App()); err != nil {
		t.Fatal(err)
	}
	// The proxies come before their concrete model: the order of
	// registration does not matter.
	models := []any{VeryLateLending{}, LateLending{}, PlainLending{}, Jotting{}, Stamp{}, Reader{}, Visit{}, Lending{}, Penalty{}}
	if _, err := reg.Register(orm.AppConfig{Name: "library", Models: models}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestProxyModelDeclared(t *testing.T) {
	reg := proxyRegistry(t)
	late, _ := reg.GetModel("library.latelending")
	plain, _ := reg.GetModel("library.plainlending")
	loan, _ := reg.GetModel("library.lending")
	if !late.IsProxy() || late.ProxyFor != loan || late.ConcreteModel() != loan || loan.IsProxy() || loan.ConcreteModel() != loan {
		t.Fatalf("proxy links: %v %v", late.ProxyFor, loan.ProxyFor)
	}
	if late.Table != "lending_loan" || late.ModelName != "latelending" || late.VerboseName != "overdue loan" || late.VerboseNamePlural != "overdue loans" {
		t.Errorf("proxy names: table %s, model %s, %q / %q", late.Table, late.ModelName, late.VerboseName, late.VerboseNamePlural)
	}
	very, _ := reg.GetModel("library.verylatelending")
	if very.ProxyFor != late || very.ConcreteModel() != loan || very.Table != "lending_loan" || very.Meta.DefaultFilter == nil || !slices.Equal(very.Meta.Ordering, []string{"due_on"}) {
		t.Errorf("a proxy of the proxy: for %v, concrete %v, table %s, ordering %v", very.ProxyFor, very.ConcreteModel(), very.Table, very.Meta.Ordering)
	}
	if !slices.Equal(late.Meta.Ordering, []string{"due_on"}) || !slices.Equal(plain.Meta.Ordering, []string{"-id"}) {
		t.Errorf("orderings %v and %v; want the proxy's own, and the concrete model's when it has none", late.Meta.Ordering, plain.Meta.Ordering)
	}
	if len(late.Fields) != len(loan.Fields) {
		t.Fatalf("%d fields, want %d", len(late.Fields), len(loan.Fields))
	}
	for i, f := range late.Fields {
		cf := loan.Fields[i]
		if f.Name != cf.Name || f.Column != cf.Column || f.Model != loan || f.Related != cf.Related || f.Through != cf.Through || f.ThroughFrom != cf.ThroughFrom || f.AutoThrough != cf.AutoThrough {
			t.Errorf("field %s differs from Lending's", f.Name)
		}
	}
	if w := late.Field("witnesses"); w.Through != "lending_loan_witnesses" || w.ThroughFrom != "lending_id" {
		t.Errorf("the proxy's many-to-many joins %s by %s, want Lending's table and column", w.Through, w.ThroughFrom)
	}
	if late.RelatedByName("penalties") == nil {
		t.Error("the proxy does not reach Lending's reverse relations")
	}
	reader, _ := reg.GetModel("library.reader")
	n := 0
	for _, rel := range reader.Related {
		if rel.Name == "reader" && rel.Model.ConcreteModel() == loan {
			n++
		}
	}
	if n != 1 {
		t.Errorf("Reader has %d reverse relations from Lending.reader, want 1 (the proxy adds none)", n)
	}
	found := false
	for _, m := range reg.Models() {
		found = found || m == late
	}
	if !found {
		t.Error("the proxy is not among the registry's models")
	}
}

func TestProxyModelRefused(t *testing.T) {
	for _, c := range []struct {
		model any
		want  string
	}{
		{orphanProxy{}, "orphanProxy embeds none"},
		{extraProxy{}, "a proxy model has its concrete model's fields only: Lending has no field days_late"},
		{tabledProxy{}, "a proxy model has no table of its own"},
		{filteredModel{}, "Meta.DefaultFilter narrows the queries of a proxy model: set Meta.Proxy"},
		{badFilterProxy{}, "model badFilterProxy: Meta.DefaultFilter: "},
	} {
		reg := orm.NewRegistry()
		_, err := reg.Register(contenttype.App())
		if err == nil {
			_, err = reg.Register(orm.AppConfig{Name: "library", Models: []any{Jotting{}, Stamp{}, Reader{}, Visit{}, Lending{}, Penalty{}, c.model}})
		}
		if err == nil {
			err = reg.Ready()
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%T: %v, want an error saying %q", c.model, err, c.want)
		}
	}
}

// The refused declarations (package level, since they need a Meta method).
type (
	orphanProxy struct{ ID int64 }
	extraProxy  struct {
		Lending
		DaysLate int
	}
	tabledProxy    struct{ Lending }
	filteredModel  struct{ ID int64 }
	badFilterProxy struct{ Lending }
)

func (orphanProxy) Meta() orm.Meta { return orm.Meta{Proxy: true} }
func (extraProxy) Meta() orm.Meta  { return orm.Meta{Proxy: true} }
func (tabledProxy) Meta() orm.Meta { return orm.Meta{Proxy: true, Table: "elsewhere"} }
func (filteredModel) Meta() orm.Meta {
	return orm.Meta{DefaultFilter: func() orm.Expr { return orm.Q{"id": 1} }}
}
func (badFilterProxy) Meta() orm.Meta {
	return orm.Meta{Proxy: true, Ordering: []string{"due_on"}, DefaultFilter: func() orm.Expr { return orm.Q{"no_such_field": 1} }}
}

func TestProxyModel(t *testing.T) {
	reg := proxyRegistry(t)
	late, _ := reg.GetModel("library.latelending")
	testdb.Run(t, reg, func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		lateToday = time.Date(2022, 1, 10, 0, 0, 0, 0, time.UTC)
		// Migrate made Lending's table once, and plans nothing more.
		plan, err := db.Plan(ctx)
		if err != nil || len(plan) != 0 {
			t.Fatalf("plan after migrate: %v, %v", plan, err)
		}
		creates := 0
		for _, s := range db.MigrationSQL() {
			if strings.HasPrefix(s, "CREATE TABLE "+db.Dialect().Quote("lending_loan")+" (") {
				creates++
			}
		}
		if creates != 1 {
			t.Errorf("%d CREATE TABLE statements for lending_loan, want 1", creates)
		}

		ana, noe := &Reader{Name: "Ana"}, &Reader{Name: "Noé"}
		for _, r := range []*Reader{ana, noe} {
			if err := db.Insert(ctx, r); err != nil {
				t.Fatal(err)
			}
		}
		day := func(d int) time.Time { return time.Date(2022, 1, d, 0, 0, 0, 0, time.UTC) }
		returned := day(3)
		loans := []*Lending{
			{Reader: orm.FK[Reader](ana.ID), DueOn: day(5)},                        // overdue
			{Reader: orm.FK[Reader](ana.ID), DueOn: day(2), ReturnedAt: &returned}, // returned
			{Reader: orm.FK[Reader](noe.ID), DueOn: day(20)},                       // not due yet
			{Reader: orm.FK[Reader](noe.ID), DueOn: day(1)},                        // overdue
		}
		for _, l := range loans {
			if err := db.Insert(ctx, l); err != nil {
				t.Fatal(err)
			}
		}
		keys := func(objs []*LateLending) []int64 {
			var out []int64
			for _, o := range objs {
				out = append(out, o.ID)
			}
			return out
		}
		// Every query of the proxy is narrowed, and ordered as it says.
		overdue, err := orm.All[LateLending](ctx, orm.For[LateLending](db))
		if err != nil {
			t.Fatal(err)
		}
		if got := keys(overdue); !slices.Equal(got, []int64{loans[3].ID, loans[0].ID}) {
			t.Errorf("overdue loans %v, want [%d %d] by due date", got, loans[3].ID, loans[0].ID)
		}
		if overdue[1].Reader.ID != ana.ID || !overdue[1].DueOn.Equal(day(5)) {
			t.Errorf("the proxy read %+v", overdue[1].Lending)
		}
		if n, err := orm.For[LateLending](db).Filter(orm.Q{"reader__name": "Ana"}).Count(ctx); err != nil || n != 1 {
			t.Errorf("Ana's overdue loans: %d, %v; want 1", n, err)
		}
		if _, err := db.GetByPK(ctx, late, loans[1].ID); !errors.Is(err, orm.ErrNotFound) {
			t.Errorf("a returned loan through the proxy: %v, want ErrNotFound", err)
		}
		if n, err := orm.For[VeryLateLending](db).Count(ctx); err != nil || n != 2 {
			t.Errorf("the proxy of the proxy counts %d, %v; want the 2 overdue", n, err)
		}
		if n, err := db.BaseQuery(late).Count(ctx); err != nil || n != 4 {
			t.Errorf("the proxy's base query counts %d, %v; want all 4", n, err)
		}
		if n, _ := orm.For[Lending](db).Count(ctx); n != 4 {
			t.Errorf("the concrete model counts %d, want 4", n)
		}
		// dumpdata leaves the proxy out: its rows are the loans'.
		var dump strings.Builder
		if err := db.DumpData(ctx, &dump, orm.DumpOptions{Models: []string{"library"}}); err != nil {
			t.Fatal(err)
		}
		if out := dump.String(); strings.Contains(out, "latelending") || strings.Count(out, `"model": "library.lending"`)+strings.Count(out, `"model":"library.lending"`) != 4 {
			t.Errorf("dumpdata of the library: %s", out)
		}

		// The filter is evaluated for each query.
		lateToday = day(25)
		if n, _ := orm.For[LateLending](db).Count(ctx); n != 3 {
			t.Errorf("overdue on the 25th: %d, want 3", n)
		}
		lateToday = day(10)

		// Saving through the proxy writes the concrete table.
		first := overdue[0]
		back := day(9)
		first.ReturnedAt = &back
		if err := db.Save(ctx, first); err != nil {
			t.Fatal(err)
		}
		if got, _ := orm.Get[Lending](ctx, orm.For[Lending](db), orm.Q{"pk": first.ID}); got.ReturnedAt == nil || !got.ReturnedAt.Equal(back) {
			t.Errorf("the proxy's save did not reach the table: %+v", got)
		}
		if n, _ := orm.For[LateLending](db).Count(ctx); n != 1 {
			t.Errorf("overdue after a return: %d, want 1", n)
		}

		// The proxy has its own content type row; generic keys to its
		// objects hold the concrete model's, as Django's
		// for_concrete_model default does, so the proxy's generic
		// relation finds the loan's notes.
		ctm, _ := reg.GetModel("contenttypes.contenttype")
		loanModel, _ := reg.GetModel("library.lending")
		proxyCT, err := db.ContentTypeID(ctx, ctm, late)
		if err != nil {
			t.Fatal(err)
		}
		loanCT, err := db.ContentTypeID(ctx, ctm, loanModel)
		if err != nil || loanCT == proxyCT {
			t.Fatalf("content types %d (proxy) and %d (loan), %v", proxyCT, loanCT, err)
		}
		ct, err := orm.Get[contenttype.ContentType](ctx, orm.For[contenttype.ContentType](db), orm.Q{"pk": proxyCT})
		if err != nil || ct.AppLabel != "library" || ct.Model != "latelending" {
			t.Errorf("proxy content type %+v, %v", ct, err)
		}
		still := overdue[1]
		note := &Jotting{Text: "Called twice"}
		if err := db.SetGenericObject(ctx, note, "object", still); err != nil {
			t.Fatal(err)
		}
		if note.ContentType.ID != loanCT {
			t.Errorf("a note about the proxy's object has content type %d, want the loan's %d", note.ContentType.ID, loanCT)
		}
		if err := db.Insert(ctx, note); err != nil {
			t.Fatal(err)
		}
		if objs, err := db.LoadGenericRelation(ctx, still, "notes"); err != nil || len(objs) != 1 {
			t.Errorf("the proxy's notes: %v, %v", objs, err)
		}
		if n, err := orm.For[LateLending](db).Filter(orm.Q{"notes__text__icontains": "twice"}).Count(ctx); err != nil || n != 1 {
			t.Errorf("overdue loans with a note: %d, %v; want 1", n, err)
		}

		// Deleting through the proxy cascades as the loan's delete does.
		if err := db.Insert(ctx, &Penalty{Lending: orm.FK[Lending](still.ID), Cents: 120}); err != nil {
			t.Fatal(err)
		}
		if err := db.SetM2M(ctx, still, "witnesses", []int64{ana.ID, noe.ID}); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[LateLending](db).Filter(orm.Q{"penalties__cents__gt": 100}).Count(ctx); n != 1 {
			t.Errorf("overdue loans with a penalty over 100: %d, want 1", n)
		}
		d, err := db.Collect(ctx, still)
		if err != nil {
			t.Fatal(err)
		}
		if got := countsOf(d); got != "overdue_loans:1 lending-reader_relationships:2 penaltys:1 jottings:1" {
			t.Errorf("deletion counts %s", got)
		}
		if err := db.Execute(ctx, d); err != nil {
			t.Fatal(err)
		}
		if n, _ := orm.For[Lending](db).Count(ctx); n != 3 {
			t.Errorf("%d loans left, want 3", n)
		}
		for _, c := range []struct {
			q    orm.QuerySet
			what string
		}{{orm.For[Penalty](db), "penalties"}, {orm.For[Jotting](db), "notes"}} {
			if n, _ := c.q.Count(ctx); n != 0 {
				t.Errorf("%d %s left", n, c.what)
			}
		}
		if ids, _ := db.LoadM2M(ctx, &Lending{ID: still.ID}, "witnesses"); len(ids) != 0 {
			t.Errorf("witness rows left: %v", ids)
		}
	})
}
