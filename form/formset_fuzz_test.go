package form_test

import (
	"context"
	"errors"
	"net/url"
	"testing"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// FuzzFormSet feeds arbitrary management counts and form data to formsets:
// whatever is posted, a formset builds no more forms than its absolute
// maximum, reports a tampered management form or too many forms as its own
// error, and never panics while validating or rendering.
func FuzzFormSet(f *testing.F) {
	seeds := [][3]string{
		{"2", "0", "form-0-choice=a&form-0-votes=1&form-1-choice=b&form-1-votes=2"},
		{"", "", "form-0-choice=a"},
		{"-1", "5", "form-0-DELETE=on&form-0-ORDER=x"},
		{"999999999999", "0", ""},
		{"99999999999999999999999", "1", ""},
		{"3", "abc", "form-MIN_NUM_FORMS=z&form-MAX_NUM_FORMS=-4"},
		{"1.0", "0 ", "form-0-votes=1e9&form-00-choice=x&form--1-choice=y"},
		{"4", "4", "form-1-ORDER=2&form-2-ORDER=1&form-3-DELETE=0&form-0-DELETE=true"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	opts := []form.FormSetOptions{
		{Extra: 1, MaxNum: 5, AbsoluteMax: 8, CanDelete: true, CanOrder: true},
		{MinNum: 2, ValidateMin: true, MaxNum: 3, ValidateMax: true, CanDelete: true, CanDeleteExtra: true},
		{Prefix: "choice_set", MaxNum: form.MaxNone},
	}
	count := form.IntegerField("count", "Count")
	f.Fuzz(func(t *testing.T, total, initial, query string) {
		for _, o := range opts {
			data, _ := url.ParseQuery(query)
			if data == nil {
				data = url.Values{}
			}
			prefix := o.Prefix
			if prefix == "" {
				prefix = "form"
			}
			data.Set(prefix+"-TOTAL_FORMS", total)
			data.Set(prefix+"-INITIAL_FORMS", initial)
			fs, err := form.NewFormSet(choiceForm, o)
			if err != nil {
				t.Fatal(err)
			}
			fs.Bind(data)
			valid := fs.IsValid()
			forms := fs.Forms()
			limit := o.AbsoluteMax
			if limit == 0 {
				limit = max(o.MaxNum, 0) + form.DefaultMaxNum
				if o.MaxNum == 0 {
					limit = 2 * form.DefaultMaxNum
				}
			}
			if len(forms) > limit {
				t.Fatalf("%d forms built for TOTAL_FORMS=%q", len(forms), total)
			}
			n, err := count.CleanValues([]string{total})
			if err != nil && valid {
				t.Fatalf("TOTAL_FORMS=%q is valid", total)
			}
			if n, ok := n.(int64); ok && n > int64(limit) && valid {
				t.Fatalf("TOTAL_FORMS=%q beyond %d is valid", total, limit)
			}
			fs.DeletedForms()
			fs.OrderedForms()
			fs.TotalErrorCount()
			if _, err := fs.Render(); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzModelFormSet posts arbitrary keys, counts and deletions to a model
// formset over some of the rows of a table: whatever it accepts, saving it
// never touches a row outside its query set, and nothing panics.
func FuzzModelFormSet(f *testing.F) {
	f.Add("2", "2", "1", "2", "on", "renamed")
	f.Add("3", "1", "4", "", "", "new")
	f.Add("1", "0", "1", "1", "1", "")
	f.Add("9", "9", "-1", "0x1", "false", "a b")
	db := testdb.Open(f, "sqlite", formsetRegistry(f))
	ctx := context.Background()
	tags := modelOf(f, db, Tag{})
	for _, slug := range []string{"a", "b", "x"} {
		if err := db.Insert(ctx, &Tag{Slug: slug}); err != nil {
			f.Fatal(err)
		}
	}
	rollback := errors.New("rollback")
	f.Fuzz(func(t *testing.T, total, initial, id0, id1, del, slug string) {
		data := url.Values{"form-TOTAL_FORMS": {total}, "form-INITIAL_FORMS": {initial},
			"form-0-id": {id0}, "form-1-id": {id1}, "form-0-DELETE": {del}, "form-0-slug": {slug}, "form-1-slug": {slug + "1"}, "form-2-slug": {slug + "2"}}
		err := db.Atomic(ctx, func(ctx context.Context) error {
			fs, err := form.NewModelFormSet(ctx, db, db.Query(tags).Filter(orm.Q{"slug__in": []string{"a", "b"}}),
				form.ModelFormSetOptions{FormSetOptions: form.FormSetOptions{Extra: 1, MaxNum: 3, AbsoluteMax: 4, CanDelete: true}})
			if err != nil {
				return err
			}
			fs.Bind(data)
			if fs.IsValid() {
				if _, err := fs.Save(ctx); err != nil {
					return err
				}
			}
			x, err := db.Query(tags).Filter(orm.Q{"slug": "x"}).Count(ctx)
			if err != nil || x != 1 {
				t.Fatalf("the row outside the formset changed (%v): %q", err, data)
			}
			return rollback
		})
		if !errors.Is(err, rollback) {
			t.Fatalf("%q: %v", data, err)
		}
	})
}
