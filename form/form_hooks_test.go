package form_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

func signupForm() *form.Form {
	f := form.New(
		form.CharField("username", "Username"),
		form.PasswordField("password1", "Password"),
		form.PasswordField("password2", "Password confirmation"),
		form.IntegerField("age", "Age", form.Optional()),
	)
	f.CleanField("username", func(v any) (any, error) {
		name := strings.ToLower(v.(string))
		if name == "root" {
			return nil, form.ValidationError{"This username is taken."}
		}
		return name, nil
	})
	f.CleanField("age", func(v any) (any, error) {
		if v.(int64) > 150 {
			return nil, errors.New("Nobody is that old.")
		}
		return v, nil
	})
	f.Clean(func(f *form.Form) error {
		p1, p2 := f.Cleaned("password1"), f.Cleaned("password2")
		if p1 != nil && p2 != nil && p1 != p2 {
			f.AddError("password2", "The two password fields didn’t match.")
		}
		return nil
	})
	f.Clean(func(f *form.Form) error {
		if f.Cleaned("username") == "admin" && f.Cleaned("age") == int64(0) {
			return form.FieldErrors{"age": {"Give the admin's age."}, "": {"Admins are special."}}
		}
		if f.Cleaned("username") == "guest" {
			return form.ValidationError{"Guests cannot sign up.", "Ask for an invitation."}
		}
		return nil
	})
	return f
}

func TestCleanHooks(t *testing.T) {
	cases := []struct {
		name string
		data url.Values
		errs map[string][]string
		user any
	}{
		{"valid, the hook's value kept", url.Values{"username": {"Ann"}, "password1": {"x"}, "password2": {"x"}, "age": {"30"}}, nil, "ann"},
		{"field hook error", url.Values{"username": {"ROOT"}, "password1": {"x"}, "password2": {"x"}},
			map[string][]string{"username": {"This username is taken."}}, nil},
		{"field hook not run on a field with errors", url.Values{"username": {"a"}, "password1": {"x"}, "password2": {"x"}, "age": {"old"}},
			map[string][]string{"age": {"Enter a whole number."}}, "a"},
		{"plain error from a field hook", url.Values{"username": {"a"}, "password1": {"x"}, "password2": {"x"}, "age": {"200"}},
			map[string][]string{"age": {"Nobody is that old."}}, "a"},
		{"form hook adds a field error", url.Values{"username": {"a"}, "password1": {"x"}, "password2": {"y"}},
			map[string][]string{"password2": {"The two password fields didn’t match."}}, "a"},
		{"form hook skips fields that failed", url.Values{"username": {"a"}, "password1": {"x"}},
			map[string][]string{"password2": required}, "a"},
		{"FieldErrors", url.Values{"username": {"Admin"}, "password1": {"x"}, "password2": {"x"}},
			map[string][]string{"age": {"Give the admin's age."}, form.NonField: {"Admins are special."}}, "admin"},
		{"an error of the whole form", url.Values{"username": {"guest"}, "password1": {"x"}, "password2": {"x"}},
			map[string][]string{form.NonField: {"Guests cannot sign up.", "Ask for an invitation."}}, "guest"},
	}
	for _, c := range cases {
		f := signupForm()
		f.Bind(c.data)
		if f.IsValid() != (c.errs == nil) {
			t.Errorf("%s: IsValid = %v", c.name, f.IsValid())
		}
		checkErrors(t, f.Errors(), c.errs)
		if f.Cleaned("username") != c.user {
			t.Errorf("%s: username %v, want %v", c.name, f.Cleaned("username"), c.user)
		}
	}
	if got := (form.FieldErrors{"b": {"B."}, "a": {"A."}}).Error(); got != "A. B." {
		t.Errorf("FieldErrors.Error() = %q", got)
	}
}

func TestModelFormHooks(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		if err := db.Insert(ctx, &Tag{Slug: "go"}); err != nil {
			t.Fatal(err)
		}
		tags := modelOf(t, db, Tag{})
		newForm := func() *form.ModelForm {
			mf, err := form.ForModel(ctx, db, tags, form.Options{})
			if err != nil {
				t.Fatal(err)
			}
			mf.CleanField("slug", func(v any) (any, error) { return strings.ToLower(v.(string)), nil })
			return mf
		}
		mf := newForm()
		mf.Bind(url.Values{"slug": {"GO"}})
		if mf.IsValid() {
			t.Fatal("the unique check runs on the value the hook returned")
		}
		checkErrors(t, mf.Errors(), map[string][]string{"slug": {"Tag with this Slug already exists."}})
		mf = newForm()
		mf.Bind(url.Values{"slug": {"Rust"}})
		obj, err := mf.Save(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if obj.(*Tag).Slug != "rust" || obj.(*Tag).ID == 0 {
			t.Errorf("saved %+v", obj)
		}

		fx := newFixture(t, db)
		books := modelOf(t, db, Book{})
		seen := []any{}
		bf, err := form.ForModel(ctx, db, books, form.Options{})
		if err != nil {
			t.Fatal(err)
		}
		bf.CleanField("publisher", func(v any) (any, error) { seen = append(seen, v); return v, nil })
		data := fx.validBook()
		data.Set("publisher", "999")
		bf.Bind(data)
		if bf.IsValid() || len(seen) != 0 {
			t.Errorf("a related key that does not exist never reaches the hook: %v", seen)
		}
	})
}

func TestModelFormOverrides(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		opts := form.Options{
			KindWidgets: map[orm.Kind]func() form.Widget{
				orm.KindText:       func() form.Widget { return &form.Textarea{Attrs: form.Attrs{}.With("rows", "3")} },
				orm.KindManyToMany: func() form.Widget { return &form.CheckboxSelectMultiple{} },
			},
			Widgets: map[string]func() form.Widget{
				"format":  func() form.Widget { return &form.RadioSelect{Attrs: form.Attrs{}.With("class", "radiolist inline")} },
				"authors": func() form.Widget { return &form.Select{Multiple: true, Attrs: form.Attrs{}.With("size", "2")} },
			},
			Labels:    map[string]string{"name": "Title", "created": "Added on"},
			HelpTexts: map[string]string{"pages": "Count them."},
			Readonly:  []string{"created"},
		}
		mf := fx.form(t, opts)
		bfs := map[string]*form.BoundField{}
		for _, bf := range mf.Fields() {
			bfs[bf.Name] = bf
		}
		if err := mf.Err(); err != nil {
			t.Fatal(err)
		}
		if got := string(bfs["notes"].Widget()); !strings.HasPrefix(got, `<textarea name="notes" rows="3"`) {
			t.Errorf("per-kind widget: %s", got)
		}
		format := string(bfs["format"].Widget())
		if !strings.HasPrefix(format, `<div id="id_format" class="radiolist inline">`) ||
			!strings.Contains(format, `<input type="radio" name="format" value="pb" class="radiolist inline" required id="id_format_1" checked> Paperback`) {
			t.Errorf("a radio select gets the field's choices: %s", format)
		}
		authors := string(bfs["authors"].Widget())
		if !strings.HasPrefix(authors, `<select name="authors" size="2" required id="id_authors" multiple>`) || !strings.Contains(authors, ">Zed</option>") {
			t.Errorf("a per-field widget wins over the kind's, and gets related choices: %s", authors)
		}
		if bfs["name"].Label != "Title" || bfs["created"].Label != "Added on" || bfs["pages"].HelpText != "Count them." {
			t.Errorf("labels and help: %q %q %q", bfs["name"].Label, bfs["created"].Label, bfs["pages"].HelpText)
		}
		data := fx.validBook()
		mf.Bind(data)
		if !mf.IsValid() {
			t.Errorf("the overridden form validates: %v", mf.Errors())
		}
		store := modelOf(t, db, Store{})
		sf, err := form.ForModel(fx.ctx, db, store, form.Options{KindWidgets: opts.KindWidgets})
		if err != nil {
			t.Fatal(err)
		}
		sf.Bind(url.Values{"name": {"Corner"}, "books": {}, "owner": {id(fx.authors[0].ID)}})
		if !sf.IsValid() || !strings.HasPrefix(string(sf.Field("books").Widget()), `<div id="id_books">`) {
			t.Errorf("checkboxes for a many-to-many field: %v %s", sf.Errors(), sf.Field("books").Widget())
		}
		for _, bad := range []form.Options{
			{Widgets: map[string]func() form.Widget{"nope": nil}},
			{Labels: map[string]string{"nope": "x"}},
			{HelpTexts: map[string]string{"nope": "x"}},
		} {
			if _, err := form.ForModel(fx.ctx, db, fx.book, bad); err == nil || !strings.Contains(err.Error(), `has no field "nope"`) {
				t.Errorf("%+v: %v", bad, err)
			}
		}
	})
}

// TestModelFormSaveInTransaction checks Save joins the caller's
// transaction: a failure after it rolls back the row and its links.
func TestModelFormSaveInTransaction(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		mf := fx.form(t, form.Options{})
		mf.Bind(fx.validBook())
		boom := errors.New("boom")
		err := db.Atomic(fx.ctx, func(ctx context.Context) error {
			obj, err := mf.Save(ctx)
			if err != nil {
				return err
			}
			ids, err := db.LoadM2M(ctx, obj, "authors")
			if err != nil || len(ids) != 2 {
				t.Errorf("inside the transaction the links are there: %v %v", ids, err)
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		n, err := db.Query(fx.book).Count(fx.ctx)
		if err != nil || n != 0 {
			t.Errorf("rolled back: %d books (%v)", n, err)
		}
		rows, err := db.QueryRaw(fx.ctx, "SELECT COUNT(*) FROM "+db.Dialect().Quote(fx.book.Field("authors").Through))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var links int
		for rows.Next() {
			rows.Scan(&links)
		}
		if links != 0 {
			t.Errorf("rolled back: %d links", links)
		}
	})
}

// TestSplitDateTimeOverride gives a model's date-times the split widget
// Django's admin uses, through KindWidgets alone.
func TestSplitDateTimeOverride(t *testing.T) {
	testdb.Run(t, registry(t), func(t *testing.T, db *orm.DB) {
		fx := newFixture(t, db)
		mf := fx.form(t, form.Options{Fields: []string{"name", "updated"},
			KindWidgets: map[orm.Kind]func() form.Widget{orm.KindDateTime: func() form.Widget { return form.SplitDateTimeWidget() }}})
		mf.SetInitial(url.Values{"updated": {"2024-03-09 14:30"}})
		want := `<input type="date" name="updated_0" value="2024-03-09" class="vDateTimeField" id="id_updated_0">` +
			`<input type="time" name="updated_1" value="14:30:00" class="vDateTimeField" id="id_updated_1">`
		if got := string(mf.Field("updated").Widget()); got != want {
			t.Errorf("split widget:\n got %s\nwant %s", got, want)
		}
		mf.Bind(url.Values{"name": {"N"}, "updated_0": {"2024-03-10"}, "updated_1": {"08:00"}})
		if !mf.IsValid() || mf.Cleaned("updated").(time.Time).Format(time.RFC3339) != "2024-03-10T08:00:00Z" {
			t.Errorf("%v %v", mf.Errors(), mf.Cleaned("updated"))
		}
		mf.Bind(url.Values{"name": {"N"}, "updated_0": {"2024-03-10"}, "updated_1": {""}})
		checkErrors(t, mf.Errors(), map[string][]string{"updated": {"Enter a valid time."}})
	})
}
