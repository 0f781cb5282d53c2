package form_test

import (
	"net/url"
	"testing"

	"github.com/staffroom/staffroom/form"
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
