package form_test

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// A copy on the shelf and its multi-table child, a book: the forms of a
// book hold the copy's fields, and check its unique ones against every
// copy.

type MtiCopy struct {
	ID       int64
	Title    string `orm:"max_length=100"`
	Barcode  string `orm:"max_length=14,unique"`
	Shelf    string `orm:"max_length=10"`
	Position int32
	Code     string `orm:"max_length=10,editable=false"`
}

func (MtiCopy) Meta() orm.Meta {
	return orm.Meta{VerboseName: "copy", UniqueTogether: [][]string{{"shelf", "position"}}}
}

func (c MtiCopy) String() string { return c.Title }

type MtiVolume struct {
	MtiCopy `orm:"parent_link"`
	ISBN    string `orm:"max_length=13,unique,verbose_name=ISBN"`
	Pages   int32
}

func (MtiVolume) Meta() orm.Meta { return orm.Meta{VerboseName: "volume"} }

// MtiLoan points at the copy.
type MtiLoan struct {
	ID   int64
	Who  string                  `orm:"max_length=50"`
	Copy orm.ForeignKey[MtiCopy] `orm:"on_delete=cascade,related_name=loans"`
}

func inheritRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "lending", Models: []any{MtiCopy{}, MtiVolume{}, MtiLoan{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestInheritedModelForm(t *testing.T) {
	testdb.Run(t, inheritRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		volume := modelOf(t, db, MtiVolume{})
		dvd := &MtiCopy{Title: "Heat", Barcode: "D1", Shelf: "A", Position: 1}
		if err := db.Insert(ctx, dvd); err != nil {
			t.Fatal(err)
		}
		newForm := func(opts form.Options) *form.ModelForm {
			t.Helper()
			mf, err := form.ForModel(ctx, db, volume, opts)
			if err != nil {
				t.Fatal(err)
			}
			return mf
		}
		// The parent's editable fields first, then the child's; no key,
		// no parent link, no non-editable field.
		if got := strings.Join(names(newForm(form.Options{}).Fields()), " "); got != "title barcode shelf position isbn pages" {
			t.Errorf("default fields %q", got)
		}
		if got := strings.Join(names(newForm(form.Options{Fields: []string{"isbn", "title"}, Readonly: []string{"code"}}).Fields()), " "); got != "isbn title" {
			t.Errorf("chosen fields %q", got)
		}
		if _, err := form.ForModel(ctx, db, volume, form.Options{Fields: []string{"mticopy_ptr"}}); err == nil {
			t.Error("the parent link, not editable, was accepted as a form field")
		}
		valid := url.Values{"title": {"Dune"}, "barcode": {"B1"}, "shelf": {"A"}, "position": {"2"}, "isbn": {"9780000000001"}, "pages": {"400"}}
		mf := newForm(form.Options{})
		mf.Bind(valid)
		if !mf.IsValid() {
			t.Fatalf("errors %v", mf.Errors())
		}
		v := mf.Instance().(*MtiVolume)
		if err := mf.Apply(v); err != nil {
			t.Fatal(err)
		}
		if err := db.Insert(ctx, v); err != nil {
			t.Fatal(err)
		}
		got, err := orm.Get[MtiVolume](ctx, orm.For[MtiVolume](db), orm.Q{"barcode": "B1"})
		if err != nil || got.Title != "Dune" || got.Pages != 400 || got.ID != v.ID {
			t.Fatalf("saved volume %+v %v", got, err)
		}
		// The parent's unique fields are checked against every copy: the
		// DVD's barcode and shelf place are taken.
		mf = newForm(form.Options{})
		mf.Bind(url.Values{"title": {"Other"}, "barcode": {"D1"}, "shelf": {"A"}, "position": {"1"}, "isbn": {"9780000000001"}, "pages": {"1"}})
		if mf.IsValid() {
			t.Fatal("a taken barcode, place and ISBN were accepted")
		}
		errs := mf.Errors()
		if got := errs["barcode"]; !slices.Equal(got, []string{"Copy with this Barcode already exists."}) {
			t.Errorf("barcode errors %q", got)
		}
		if got := errs["isbn"]; !slices.Equal(got, []string{"Volume with this ISBN already exists."}) {
			t.Errorf("ISBN errors %q", got)
		}
		if got := mf.NonFieldErrors(); !slices.Equal(got, []string{"Copy with this Shelf and Position already exists."}) {
			t.Errorf("non-field errors %q", got)
		}
		// Changing the volume, its own values are not taken.
		mf = newForm(form.Options{})
		if err := mf.SetInstance(ctx, got); err != nil {
			t.Fatal(err)
		}
		changed := url.Values{}
		for k, vs := range valid {
			changed[k] = vs
		}
		changed.Set("pages", "401")
		mf.Bind(changed)
		if !mf.IsValid() {
			t.Fatalf("change: errors %v", mf.Errors())
		}
	})
}

func TestInheritedInlineFormSet(t *testing.T) {
	testdb.Run(t, inheritRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		volume, loans := modelOf(t, db, MtiVolume{}), modelOf(t, db, MtiLoan{})
		other := &MtiCopy{Title: "Heat", Barcode: "D1"}
		v := &MtiVolume{MtiCopy: MtiCopy{Title: "Dune", Barcode: "B1", Position: 1}, ISBN: "9780000000001"}
		for _, o := range []any{other, v} {
			if err := db.Insert(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		for _, o := range []any{&MtiLoan{Who: "Ann", Copy: orm.FK[MtiCopy](v.ID)}, &MtiLoan{Who: "Bob", Copy: orm.FK[MtiCopy](other.ID)}} {
			if err := db.Insert(ctx, o); err != nil {
				t.Fatal(err)
			}
		}
		// The loan's key to the copy serves a volume's inline.
		fk, err := form.ForeignKeyTo(volume, loans, "")
		if err != nil || fk.Name != "copy" {
			t.Fatalf("ForeignKeyTo(volume, loan) = %v, %v", fk, err)
		}
		if _, err := form.ForeignKeyTo(volume, loans, "who"); err == nil {
			t.Error("a text field accepted as the foreign key")
		}
		fs, err := form.NewInlineFormSet(ctx, db, v, loans, form.ModelFormSetOptions{})
		if err != nil {
			t.Fatal(err)
		}
		prefix := form.InlinePrefix(fk)
		if n := len(fs.Forms()); n < 1 || strings.Join(fs.Forms()[0].Field("who").Value(), "") != "Ann" {
			t.Fatalf("the volume's loans: %d forms", n)
		}
		data := url.Values{prefix + "-TOTAL_FORMS": {"2"}, prefix + "-INITIAL_FORMS": {"1"}, prefix + "-MIN_NUM_FORMS": {"0"}, prefix + "-MAX_NUM_FORMS": {"1000"},
			prefix + "-0-id": {id(fs.Forms()[0].Instance().(*MtiLoan).ID)}, prefix + "-0-who": {"Ann"}, prefix + "-0-copy": {id(v.ID)},
			prefix + "-1-who": {"Cleo"}, prefix + "-1-copy": {id(v.ID)}}
		fs.Bind(data)
		if !fs.IsValid() {
			t.Fatalf("formset errors %v", fs.Errors())
		}
		if _, err := fs.Save(ctx); err != nil {
			t.Fatal(err)
		}
		cleo, err := orm.Get[MtiLoan](ctx, orm.For[MtiLoan](db), orm.Q{"who": "Cleo"})
		if err != nil || cleo.Copy.ID != v.ID {
			t.Fatalf("the inline's new loan %+v %v", cleo, err)
		}
		// A key naming another copy is refused.
		fs, _ = form.NewInlineFormSet(ctx, db, v, loans, form.ModelFormSetOptions{})
		data.Set(prefix+"-1-copy", id(other.ID))
		data.Set(prefix+"-1-who", "Dan")
		fs.Bind(data)
		if fs.IsValid() {
			t.Error("a loan of another copy was accepted in the volume's inline")
		}
	})
}
