package form_test

import (
	"context"
	"html/template"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/net/html"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Author struct {
	ID   int64
	Name string `orm:"max_length=100"`
}

func (a *Author) String() string { return a.Name }

func (Author) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type Publisher struct {
	ID   int64
	Name string `orm:"max_length=300"`
}

func (p *Publisher) String() string { return p.Name }

func (Publisher) Meta() orm.Meta { return orm.Meta{Ordering: []string{"name"}} }

type Book struct {
	ID        int64
	Name      string `orm:"max_length=300"`
	Pages     int32
	Price     decimal.Decimal `orm:"max_digits=10,decimal_places=2"`
	Rating    float64         `orm:"blank"`
	InPrint   bool            `orm:"default=true,verbose_name='in print'"`
	Pubdate   time.Time       `orm:"type=date"`
	Updated   *time.Time      `orm:"blank"`
	Notes     string          `orm:"type=text,blank,help_text='Anything else.'"`
	Format    string          `orm:"max_length=2,choices=hb:Hardback|pb:Paperback,default=pb"`
	Stock     *int16          `orm:"blank"`
	Featured  *bool
	Subtitle  *string                   `orm:"max_length=100,blank"`
	Publisher orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
	Authors   orm.ManyToMany[Author]
	Created   time.Time `orm:"editable=false"`
}

func (b *Book) String() string { return b.Name }

type Store struct {
	ID    int64
	Name  string                 `orm:"max_length=100"`
	Books orm.ManyToMany[Book]   `orm:"blank"`
	Owner orm.ForeignKey[Author] `orm:"on_delete=set_null,null,blank"`
}

type Tag struct {
	ID   int64
	Slug string `orm:"max_length=50,unique"`
}

type Edition struct {
	ID        int64
	Publisher orm.ForeignKey[Publisher] `orm:"on_delete=cascade"`
	Number    int32
}

func (Edition) Meta() orm.Meta {
	return orm.Meta{UniqueTogether: [][]string{{"publisher", "number"}}}
}

func registry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	models := []any{Author{}, Publisher{}, Book{}, Store{}, Tag{}, Edition{}}
	if _, err := reg.Register(orm.AppConfig{Name: "shelf", Models: models}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func modelOf(t testing.TB, db *orm.DB, v any) *orm.Model {
	t.Helper()
	m, err := db.Registry().ModelOf(v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fixture is a database with two authors and three publishers, two of them
// with the same name (ordered by pk) and one whose name is markup.
type fixture struct {
	db      *orm.DB
	ctx     context.Context
	book    *orm.Model
	authors []*Author
	pubs    []*Publisher
}

const evilName = `"><script>alert(1)</script>`

func newFixture(t *testing.T, db *orm.DB) *fixture {
	t.Helper()
	fx := &fixture{db: db, ctx: context.Background(), book: modelOf(t, db, Book{})}
	for _, name := range []string{"Zed", "Ann"} {
		a := &Author{Name: name}
		fx.insert(t, a)
		fx.authors = append(fx.authors, a)
	}
	for _, name := range []string{"Same", evilName, "Same"} {
		p := &Publisher{Name: name}
		fx.insert(t, p)
		fx.pubs = append(fx.pubs, p)
	}
	return fx
}

func (fx *fixture) insert(t testing.TB, obj any) {
	t.Helper()
	if err := fx.db.Insert(fx.ctx, obj); err != nil {
		t.Fatal(err)
	}
}

func (fx *fixture) form(t testing.TB, opts form.Options) *form.ModelForm {
	t.Helper()
	mf, err := form.ForModel(fx.ctx, fx.db, fx.book, opts)
	if err != nil {
		t.Fatal(err)
	}
	return mf
}

// validBook is a complete, valid submission of the book form.
func (fx *fixture) validBook() url.Values {
	return url.Values{
		"name": {"Go in Action"}, "pages": {"264"}, "price": {"39.99"}, "rating": {"4.5"},
		"in_print": {"on"}, "pubdate": {"2015-11-01"}, "updated": {"2024-01-02T15:04"},
		"notes": {"Good."}, "format": {"hb"}, "stock": {"12"}, "featured": {"true"}, "subtitle": {""},
		"publisher": {id(fx.pubs[0].ID)}, "authors": {id(fx.authors[0].ID), id(fx.authors[1].ID)},
	}
}

func id(n int64) string { return decimal.NewFromInt(n).String() }

func names(bfs []*form.BoundField) []string {
	var out []string
	for _, bf := range bfs {
		out = append(out, bf.Name)
	}
	return out
}

func TestModelFormFieldSelection(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := &fixture{db: db, ctx: context.Background(), book: modelOf(t, db, Book{})}
		all := "name pages price rating in_print pubdate updated notes format stock featured subtitle publisher authors"
		cases := []struct {
			opts form.Options
			want string
		}{
			{form.Options{}, all},
			{form.Options{Fields: []string{"price", "name"}}, "price name"},
			{form.Options{Fields: []string{}}, ""},
			{form.Options{Exclude: []string{"notes", "authors"}}, strings.NewReplacer(" notes", "", " authors", "").Replace(all)},
			{form.Options{Readonly: []string{"created", "name"}}, strings.TrimPrefix(all, "name ") + " created name"},
			{form.Options{Fields: []string{"created", "name"}, Readonly: []string{"created"}}, "created name"},
			{form.Options{Fields: []string{"name", "pages"}, Exclude: []string{"pages"}}, "name"},
			{form.Options{Fields: []string{"name", "id"}, Readonly: []string{"id"}}, "name id"},
		}
		for _, c := range cases {
			if got := strings.Join(names(fx.form(t, c.opts).Fields()), " "); got != c.want {
				t.Errorf("%+v: fields %q, want %q", c.opts, got, c.want)
			}
		}
		bad := []struct {
			opts form.Options
			want string
		}{
			{form.Options{Fields: []string{"nope"}}, `form: shelf.Book has no field "nope"`},
			{form.Options{Exclude: []string{"nope"}}, `has no field "nope"`},
			{form.Options{Readonly: []string{"pk"}}, `has no field "pk"`},
			{form.Options{Fields: []string{"created"}}, `field "created" is not editable; list it in Readonly`},
			{form.Options{Fields: []string{"id"}}, `field "id" is not editable`},
			{form.Options{Fields: []string{"name", "name"}}, `field "name" is listed twice`},
		}
		for _, c := range bad {
			if _, err := form.ForModel(fx.ctx, db, fx.book, c.opts); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%+v: error %v, want %q", c.opts, err, c.want)
			}
		}
	})
}

func TestModelFormRendering(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		mf := fx.form(t, form.Options{})
		bfs := map[string]*form.BoundField{}
		for _, bf := range mf.Fields() {
			bfs[bf.Name] = bf
		}
		if err := mf.Err(); err != nil {
			t.Fatal(err)
		}
		p0, p1, p2 := id(fx.pubs[0].ID), id(fx.pubs[1].ID), id(fx.pubs[2].ID)
		a0, a1 := id(fx.authors[0].ID), id(fx.authors[1].ID)
		escaped := "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"
		want := map[string]string{
			"name":     `<input type="text" name="name" class="vTextField" maxlength="300" required id="id_name">`,
			"pages":    `<input type="number" name="pages" class="vIntegerField" required id="id_pages">`,
			"price":    `<input type="number" name="price" step="0.01" required id="id_price">`,
			"rating":   `<input type="number" name="rating" step="any" id="id_rating">`,
			"in_print": `<input type="checkbox" name="in_print" id="id_in_print" checked>`,
			"pubdate":  `<input type="date" name="pubdate" class="vDateField" required id="id_pubdate">`,
			"updated":  `<input type="datetime-local" name="updated" class="vDateTimeField" id="id_updated">`,
			"notes":    "<textarea name=\"notes\" cols=\"40\" rows=\"10\" class=\"vLargeTextField\" aria-describedby=\"id_notes_helptext\" id=\"id_notes\">\n</textarea>",
			"format": "<select name=\"format\" id=\"id_format\">\n<option value=\"hb\">Hardback</option>\n" +
				"<option value=\"pb\" selected>Paperback</option>\n</select>",
			"stock": `<input type="number" name="stock" class="vIntegerField" id="id_stock">`,
			"featured": "<select name=\"featured\" id=\"id_featured\">\n<option value=\"unknown\" selected>Unknown</option>\n" +
				"<option value=\"true\">Yes</option>\n<option value=\"false\">No</option>\n</select>",
			"subtitle": `<input type="text" name="subtitle" class="vTextField" maxlength="100" id="id_subtitle">`,
			"publisher": "<select name=\"publisher\" required id=\"id_publisher\">\n<option value=\"\" selected>---------</option>\n" +
				"<option value=\"" + p1 + "\">" + escaped + "</option>\n<option value=\"" + p0 + "\">Same</option>\n" +
				"<option value=\"" + p2 + "\">Same</option>\n</select>",
			"authors": "<select name=\"authors\" required id=\"id_authors\" multiple>\n<option value=\"" + a1 + "\">Ann</option>\n" +
				"<option value=\"" + a0 + "\">Zed</option>\n</select>",
		}
		for name, w := range want {
			if got := string(bfs[name].Widget()); got != w {
				t.Errorf("%s:\n got %s\nwant %s", name, got, w)
			}
		}
		labels := map[string]string{
			"name":     `<label class="required" for="id_name">Name:</label>`,
			"rating":   `<label for="id_rating">Rating:</label>`,
			"in_print": `<label class="vCheckboxLabel" for="id_in_print">In print</label>`,
			"authors":  `<label class="required" for="id_authors">Authors:</label>`,
		}
		for name, w := range labels {
			if got := string(bfs[name].LabelTag()); got != w {
				t.Errorf("%s label:\n got %s\nwant %s", name, got, w)
			}
		}
		if bfs["notes"].HelpText != "Anything else." || bfs["in_print"].Label != "In print" || bfs["publisher"].Field.Model.Name != "publisher" {
			t.Errorf("bound field data: %+v", bfs["notes"])
		}
	})
}

func TestModelFormChoices(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		var counter orm.QueryCounter
		fx.ctx = orm.WithQueryCounter(context.Background(), &counter)
		narrowed := form.Options{Fields: []string{"publisher", "authors"}, Choices: func(f *orm.Field) orm.QuerySet {
			if f.Name == "publisher" {
				return db.Query(f.Related).Filter(orm.Q{"name": "Same"}).OrderBy("-id")
			}
			return orm.QuerySet{}
		}}
		mf := fx.form(t, narrowed)
		sel := string(mf.Field("publisher").Widget())
		if want := "<option value=\"" + id(fx.pubs[2].ID) + "\">Same</option>\n<option value=\"" + id(fx.pubs[0].ID) + "\">Same</option>"; !strings.Contains(sel, want) || strings.Contains(sel, "script") {
			t.Errorf("narrowed choices, own ordering:\n%s", sel)
		}
		if !strings.Contains(string(mf.Field("authors").Widget()), ">Zed<") {
			t.Error("a zero QuerySet from Choices means every related object")
		}
		mf.Fields()
		if n := counter.Count(); n != 2 {
			t.Errorf("loading choices took %d queries, want one per relation field, once", n)
		}
		cases := []struct {
			publisher, authors []string
			errs               map[string][]string
		}{
			{vals(id(fx.pubs[0].ID)), vals(id(fx.authors[0].ID)), nil},
			{vals(id(fx.pubs[1].ID)), vals(id(fx.authors[0].ID)), map[string][]string{"publisher": {"Select a valid choice. That choice is not one of the available choices."}}},
			{vals("999"), vals(id(fx.authors[0].ID)), map[string][]string{"publisher": {"Select a valid choice. That choice is not one of the available choices."}}},
			{vals("abc"), vals(id(fx.authors[0].ID)), map[string][]string{"publisher": {"Select a valid choice. That choice is not one of the available choices."}}},
			{vals("0"), vals(id(fx.authors[0].ID)), map[string][]string{"publisher": {"Select a valid choice. That choice is not one of the available choices."}}},
			{vals(""), vals(id(fx.authors[0].ID)), map[string][]string{"publisher": required}},
			{vals(id(fx.pubs[0].ID)), vals(id(fx.authors[0].ID), "99"), map[string][]string{"authors": {"Select a valid choice. 99 is not one of the available choices."}}},
			{vals(id(fx.pubs[0].ID)), vals("abc"), map[string][]string{"authors": {"“abc” is not a valid value."}}},
			{vals(id(fx.pubs[0].ID)), nil, map[string][]string{"authors": required}},
		}
		for _, c := range cases {
			mf := fx.form(t, narrowed)
			mf.Bind(url.Values{"publisher": c.publisher, "authors": c.authors})
			before := counter.Count()
			if mf.IsValid() != (c.errs == nil) {
				t.Errorf("%q %q: IsValid = %v", c.publisher, c.authors, c.errs != nil)
			}
			checkErrors(t, mf.Errors(), c.errs)
			if c.errs == nil && counter.Count()-before != 2 {
				t.Errorf("validating took %d queries, want one per relation field", counter.Count()-before)
			}
		}
		mf = fx.form(t, narrowed)
		mf.Bind(url.Values{"publisher": vals(id(fx.pubs[0].ID)), "authors": vals(id(fx.authors[1].ID), id(fx.authors[0].ID), id(fx.authors[1].ID))})
		if got := mf.Cleaned("authors"); !slices.Equal(got.([]int64), []int64{fx.authors[0].ID, fx.authors[1].ID}) || mf.Cleaned("publisher") != fx.pubs[0].ID {
			t.Errorf("cleaned relations: %v %v", got, mf.Cleaned("publisher"))
		}
	})
}

func checkErrors(t *testing.T, got, want map[string][]string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("errors %q, want %q", got, want)
		return
	}
	for k, v := range want {
		if !slices.Equal(got[k], v) {
			t.Errorf("errors[%s] = %q, want %q", k, got[k], v)
		}
	}
}

func TestModelFormValidation(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		cases := []struct {
			field, value string
			errs         []string
		}{
			{"name", "", required},
			{"name", strings.Repeat("é", 301), []string{"Ensure this value has at most 300 characters (it has 301)."}},
			{"pages", "abc", []string{"Enter a whole number."}},
			{"pages", "2147483648", []string{"Ensure this value is less than or equal to 2147483647."}},
			{"stock", "-32769", []string{"Ensure this value is greater than or equal to -32768."}},
			{"price", "1.999", []string{"Ensure that there are no more than 2 decimal places."}},
			{"price", "123456789", []string{"Ensure that there are no more than 8 digits before the decimal point."}},
			{"rating", "fast", []string{"Enter a number."}},
			{"pubdate", "2024-02-30", []string{"Enter a valid date."}},
			{"updated", "soon", []string{"Enter a valid date/time."}},
			{"format", "xx", []string{"Select a valid choice. xx is not one of the available choices."}},
			{"format", "", required},
		}
		for _, c := range cases {
			data := fx.validBook()
			data.Set(c.field, c.value)
			mf := fx.form(t, form.Options{})
			mf.Bind(data)
			if mf.IsValid() {
				t.Errorf("%s=%q: valid", c.field, c.value)
				continue
			}
			checkErrors(t, mf.Errors(), map[string][]string{c.field: c.errs})
			bf := mf.Field(c.field)
			if !slices.Equal(bf.Errors, c.errs) || last(bf.Value()) != c.value || mf.ErrorCount() != 1 {
				t.Errorf("%s=%q: bound errors %q value %q count %d", c.field, c.value, bf.Errors, bf.Value(), mf.ErrorCount())
			}
			if w := string(bf.Widget()); !strings.Contains(w, `aria-invalid="true"`) || !strings.Contains(w, `id_`+c.field+`_error`) {
				t.Errorf("%s: widget without aria: %s", c.field, w)
			}
		}
		mf := fx.form(t, form.Options{})
		data := fx.validBook()
		data.Set("pages", "many")
		data.Set("name", evilName)
		mf.Bind(data)
		if mf.IsValid() {
			t.Fatal("valid")
		}
		inputs := parse(t, mf.Field("name").Widget()+mf.Field("pages").Widget())
		if v, _ := attr(inputs[0], "value"); v != evilName {
			t.Errorf("typed name not kept or not escaped: %q", v)
		}
		if v, _ := attr(inputs[1], "value"); v != "many" {
			t.Errorf("typed pages not kept: %q", v)
		}
	})
}

func last(vs []string) string {
	if len(vs) == 0 {
		return ""
	}
	return vs[len(vs)-1]
}

// submit reads a rendered form as a browser submits it: every input's
// value, checked checkboxes as "on", textareas' text, selected options
// (the first one of a single select when none is).
func submit(t testing.TB, mf *form.ModelForm) url.Values {
	t.Helper()
	var page template.HTML
	for _, bf := range mf.Fields() {
		page += bf.Widget()
	}
	data := url.Values{}
	for _, n := range parse(t, page) {
		name, _ := attr(n, "name")
		switch n.Data {
		case "input":
			if typ, _ := attr(n, "type"); typ == "checkbox" {
				if _, checked := attr(n, "checked"); checked {
					data.Add(name, "on")
				}
				continue
			}
			v, _ := attr(n, "value")
			data.Add(name, v)
		case "textarea":
			data.Add(name, text(n))
		case "select":
			data[name] = selected(n)
		}
	}
	return data
}

func selected(sel *html.Node) []string {
	var out, first []string
	_, multiple := attr(sel, "multiple")
	for o := sel.FirstChild; o != nil; o = o.NextSibling {
		if o.Type != html.ElementNode {
			continue
		}
		v, _ := attr(o, "value")
		if first == nil {
			first = []string{v}
		}
		if _, ok := attr(o, "selected"); ok {
			out = append(out, v)
		}
	}
	if out == nil && !multiple {
		return first
	}
	return out
}

func TestModelFormSaveRoundTrip(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		add := fx.form(t, form.Options{})
		data := fx.validBook()
		data.Set("stock", "")
		data.Set("updated", "")
		add.Bind(data)
		if !add.IsValid() {
			t.Fatal(add.Errors())
		}
		book := fx.book.New().(*Book)
		if err := add.Apply(book); err != nil {
			t.Fatal(err)
		}
		if err := db.Save(fx.ctx, book); err != nil {
			t.Fatal(err)
		}
		if err := add.SaveM2M(fx.ctx, book); err != nil {
			t.Fatal(err)
		}
		got := fx.reload(t, book.ID)
		want := "Go in Action|264|39.99|4.5|true|2015-11-01|<nil>|Good.|hb|<nil>|true|<nil>|" + id(fx.pubs[0].ID) + "|" + id(fx.authors[0].ID) + "," + id(fx.authors[1].ID)
		if s := describe(got); s != want {
			t.Errorf("saved\n got %s\nwant %s", s, want)
		}

		change := fx.form(t, form.Options{})
		if err := change.SetInstance(fx.ctx, got); err != nil {
			t.Fatal(err)
		}
		resent := submit(t, change)
		if resent.Get("price") != "39.99" || resent.Get("pubdate") != "2015-11-01" || resent.Get("featured") != "true" || len(resent["authors"]) != 2 {
			t.Errorf("rendered change form: %v", resent)
		}
		change.Bind(resent)
		if !change.IsValid() || change.HasChanged() {
			t.Fatalf("resubmitting the change form as rendered: errors %v, changed %q", change.Errors(), change.Changed())
		}
		resent.Set("name", "Go in Action, 2nd ed.")
		resent.Set("price", "41.5")
		resent["authors"] = []string{id(fx.authors[1].ID)}
		resent.Set("pubdate", "11/01/2015") // same day, other spelling
		resent.Set("featured", "3")         // no
		resent.Del("in_print")              // unticked
		change.Bind(resent)
		if !change.IsValid() {
			t.Fatal(change.Errors())
		}
		if got, want := change.ChangedLabels(), []string{"Name", "Price", "In print", "Featured", "Authors"}; !slices.Equal(got, want) {
			t.Errorf("changed %q, want %q", got, want)
		}
		if err := change.Apply(got); err != nil {
			t.Fatal(err)
		}
		if err := db.Save(fx.ctx, got); err != nil {
			t.Fatal(err)
		}
		if err := change.SaveM2M(fx.ctx, got); err != nil {
			t.Fatal(err)
		}
		want = "Go in Action, 2nd ed.|264|41.50|4.5|false|2015-11-01|<nil>|Good.|hb|<nil>|false|<nil>|" + id(fx.pubs[0].ID) + "|" + id(fx.authors[1].ID)
		if s := describe(fx.reload(t, book.ID)); s != want {
			t.Errorf("changed\n got %s\nwant %s", s, want)
		}
	})
}

func (fx *fixture) reload(t *testing.T, pk int64) *Book {
	t.Helper()
	b, err := orm.Get[Book](fx.ctx, orm.For[Book](fx.db), orm.Q{"pk": pk})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fx.db.LoadM2M(fx.ctx, b, "authors"); err != nil {
		t.Fatal(err)
	}
	return b
}

func describe(b *Book) string {
	ptr := func(v any) string {
		switch x := v.(type) {
		case *time.Time:
			if x != nil {
				return x.Format(time.RFC3339)
			}
		case *int16:
			if x != nil {
				return id(int64(*x))
			}
		case *bool:
			if x != nil {
				return map[bool]string{true: "true", false: "false"}[*x]
			}
		case *string:
			if x != nil {
				return *x
			}
		}
		return "<nil>"
	}
	var ids []string
	for _, a := range b.Authors.IDs {
		ids = append(ids, id(a))
	}
	return strings.Join([]string{b.Name, id(int64(b.Pages)), b.Price.StringFixed(2), decimal.NewFromFloat(b.Rating).String(),
		map[bool]string{true: "true", false: "false"}[b.InPrint], b.Pubdate.Format("2006-01-02"), ptr(b.Updated), b.Notes, b.Format,
		ptr(b.Stock), ptr(b.Featured), ptr(b.Subtitle), id(b.Publisher.ID), strings.Join(ids, ",")}, "|")
}

func TestModelFormReadonly(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		opts := form.Options{Readonly: []string{"name", "price", "pubdate", "format", "publisher", "authors", "created", "updated", "in_print", "stock"}}
		adding := fx.form(t, opts)
		texts := map[string]string{}
		for _, bf := range adding.Fields() {
			if bf.IsReadonly() {
				texts[bf.Name] = bf.ReadonlyText()
			}
		}
		if texts["name"] != "-" || texts["format"] != "Paperback" || texts["in_print"] != "True" || texts["authors"] != "-" {
			t.Errorf("read-only fields of an add form: %q", texts)
		}

		created := time.Date(2024, 1, 2, 15, 4, 0, 0, time.UTC)
		book := &Book{Name: evilName + "\nline 2", Pages: 10, Price: decimal.RequireFromString("12.5"), Pubdate: time.Date(2020, 3, 14, 0, 0, 0, 0, time.UTC),
			Format: "hb", Publisher: orm.FK[Publisher](fx.pubs[1].ID), Created: created}
		fx.insert(t, book)
		if err := db.SetM2M(fx.ctx, book, "authors", []int64{fx.authors[0].ID, fx.authors[1].ID}); err != nil {
			t.Fatal(err)
		}
		book.Authors.IDs = nil
		mf := fx.form(t, opts)
		if err := mf.SetInstance(fx.ctx, book); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"name": evilName + "\nline 2", "price": "12.50", "pubdate": "March 14, 2020", "format": "Hardback",
			"publisher": evilName, "authors": "Ann, Zed", "created": "Jan. 2, 2024, 3:04 p.m.", "updated": "-", "in_print": "False", "stock": "-",
		}
		for name, w := range want {
			if got := mf.Field(name).ReadonlyText(); got != w {
				t.Errorf("%s: %q, want %q", name, got, w)
			}
		}
		if err := mf.Err(); err != nil {
			t.Fatal(err)
		}
		bf := mf.Field("name")
		if bf.Required || bf.IsCheckbox() || string(bf.LabelTag()) != "<label>Name:</label>" {
			t.Errorf("read-only bound field %+v %s", bf, bf.LabelTag())
		}
		if got := string(bf.Widget()); got != "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;<br>line 2" {
			t.Errorf("read-only markup %s", got)
		}

		data := fx.validBook()
		data.Set("name", "hacked")
		data.Set("publisher", id(fx.pubs[0].ID))
		data.Set("price", "not even a number")
		mf.Bind(data)
		if !mf.IsValid() {
			t.Fatal(mf.Errors())
		}
		if slices.Contains(mf.Changed(), "name") || mf.Cleaned("name") != nil {
			t.Error("a read-only field is neither cleaned nor changed")
		}
		if err := mf.Apply(book); err != nil {
			t.Fatal(err)
		}
		if book.Name != evilName+"\nline 2" || book.Publisher.ID != fx.pubs[1].ID || !book.Price.Equal(decimal.RequireFromString("12.5")) || book.Pages != 264 {
			t.Errorf("read-only fields were taken from the POST: %+v", book)
		}
	})
}

func TestModelFormInitial(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		mf := fx.form(t, form.Options{})
		mf.SetInitial(url.Values{"name": {"From the query"}, "authors": {"2,1", "3"}, "_changelist_filters": {"x"}, "publisher": {"2"}})
		got := map[string][]string{}
		for _, bf := range mf.Fields() {
			got[bf.Name] = bf.Value()
		}
		if !slices.Equal(got["name"], vals("From the query")) || !slices.Equal(got["authors"], vals("2", "1", "3")) ||
			!slices.Equal(got["publisher"], vals("2")) || !slices.Equal(got["format"], vals("pb")) || got["pages"] != nil || !slices.Equal(got["in_print"], vals("true")) {
			t.Errorf("initial values %q", got)
		}
		if !strings.Contains(string(mf.Field("publisher").Widget()), `<option value="2" selected>`) {
			t.Error("query-string initial selects the option")
		}
	})
}

func TestModelFormUnique(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		tags, editions := modelOf(t, db, Tag{}), modelOf(t, db, Edition{})
		taken := &Tag{Slug: "go"}
		fx.insert(t, taken)
		fx.insert(t, &Edition{Publisher: orm.FK[Publisher](fx.pubs[0].ID), Number: 1})
		cases := []struct {
			model    *orm.Model
			instance any
			data     url.Values
			errs     map[string][]string
		}{
			{tags, nil, url.Values{"slug": {"go"}}, map[string][]string{"slug": {"Tag with this Slug already exists."}}},
			{tags, nil, url.Values{"slug": {"rust"}}, nil},
			{tags, taken, url.Values{"slug": {"go"}}, nil},
			{editions, nil, url.Values{"publisher": {id(fx.pubs[0].ID)}, "number": {"1"}},
				map[string][]string{form.NonField: {"Edition with this Publisher and Number already exists."}}},
			{editions, nil, url.Values{"publisher": {id(fx.pubs[0].ID)}, "number": {"2"}}, nil},
			{editions, nil, url.Values{"publisher": {id(fx.pubs[0].ID)}, "number": {"x"}}, map[string][]string{"number": {"Enter a whole number."}}},
		}
		for i, c := range cases {
			mf, err := form.ForModel(fx.ctx, db, c.model, form.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if c.instance != nil {
				if err := mf.SetInstance(fx.ctx, c.instance); err != nil {
					t.Fatal(err)
				}
			}
			mf.Bind(c.data)
			if mf.IsValid() != (c.errs == nil) {
				t.Errorf("case %d: IsValid = %v", i, c.errs != nil)
			}
			checkErrors(t, mf.Errors(), c.errs)
		}
	})
}

func TestModelFormErrors(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		mf := fx.form(t, form.Options{})
		if err := mf.Apply(&Author{}); err == nil || !strings.Contains(err.Error(), "want a *form_test.Book") {
			t.Errorf("Apply to another model: %v", err)
		}
		if err := mf.SetInstance(fx.ctx, (*Book)(nil)); err == nil {
			t.Error("SetInstance of a nil pointer")
		}
		if err := mf.Apply(&Book{}); err == nil || !strings.Contains(err.Error(), "not valid") {
			t.Errorf("Apply of an unbound form: %v", err)
		}
		if err := mf.SaveM2M(fx.ctx, &Book{}); err == nil {
			t.Error("SaveM2M of an unbound form")
		}

		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		mf = fx.form(t, form.Options{})
		mf.SetContext(ctx)
		mf.Bind(fx.validBook())
		if mf.IsValid() || mf.Err() == nil {
			t.Errorf("a database error makes the form invalid and is reported by Err: %v", mf.Err())
		}
		mf = fx.form(t, form.Options{})
		mf.SetContext(ctx)
		mf.Fields()
		if mf.Err() == nil {
			t.Error("loading choices with a cancelled context")
		}
		wrong := form.Options{Fields: []string{"publisher"}, Choices: func(f *orm.Field) orm.QuerySet { return orm.For[Author](db) }}
		mf = fx.form(t, wrong)
		mf.Fields()
		if err := mf.Err(); err == nil || !strings.Contains(err.Error(), "form: shelf.Book.publisher: Choices gave a query set of shelf.Author, want shelf.Publisher") {
			t.Errorf("Choices of the wrong model: %v", err)
		}
		mf = fx.form(t, wrong)
		mf.Bind(url.Values{"publisher": {"1"}})
		if mf.IsValid() || mf.Err() == nil {
			t.Errorf("validating against Choices of the wrong model: %v", mf.Err())
		}
	})
}

func TestModelFormCustomize(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		var counter orm.QueryCounter
		fx.ctx = orm.WithQueryCounter(context.Background(), &counter)
		mf := fx.form(t, form.Options{Fields: []string{"notes", "publisher"}, Prefix: "b", Customize: func(of *orm.Field, f *form.Field) {
			switch of.Kind {
			case orm.KindText:
				f.Widget = &form.Input{Type: "text"}
				f.Label = "Remarks"
			case orm.KindForeignKey:
				f.Widget = &form.Input{Type: "text", Attrs: form.Attrs{}.With("class", "vForeignKeyRawIdAdminField")}
			}
		}})
		mf.Fields()
		if n := counter.Count(); n != 0 {
			t.Errorf("a relation field without a ChoiceWidget loads no choices: %d queries", n)
		}
		want := `<input type="text" name="b-publisher" class="vForeignKeyRawIdAdminField" required id="id_b-publisher">`
		if got := string(mf.Field("publisher").Widget()); got != want {
			t.Errorf("customized widget\n got %s\nwant %s", got, want)
		}
		mf.Bind(url.Values{"b-notes": {"x"}, "b-publisher": {id(fx.pubs[2].ID)}})
		if !mf.IsValid() || !slices.Equal(mf.ChangedLabels(), []string{"Remarks", "Publisher"}) {
			t.Errorf("errors %v, changed %q", mf.Errors(), mf.ChangedLabels())
		}
		if mf.Instance().(*Book).InPrint != true || mf.Model() != fx.book {
			t.Error("Instance of an add form is model.New()")
		}
	})
}

func TestNullableRelations(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		stores := modelOf(t, db, Store{})
		mf, err := form.ForModel(fx.ctx, db, stores, form.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(mf.Field("books").Widget()); got != "<select name=\"books\" id=\"id_books\" multiple>\n</select>" {
			t.Errorf("an optional many-to-many: %s", got)
		}
		mf.Bind(url.Values{"name": {"Corner"}, "owner": {""}})
		if !mf.IsValid() {
			t.Fatal(mf.Errors())
		}
		store := stores.New().(*Store)
		store.Owner = orm.FK[Author](fx.authors[0].ID)
		if err := mf.Apply(store); err != nil {
			t.Fatal(err)
		}
		if err := db.Save(fx.ctx, store); err != nil {
			t.Fatal(err)
		}
		if err := mf.SaveM2M(fx.ctx, store); err != nil {
			t.Fatal(err)
		}
		if !store.Owner.IsNull() || len(store.Books.IDs) != 0 {
			t.Errorf("empty optional relations: %+v", store)
		}
	})
}
