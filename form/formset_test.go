package form_test

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
)

// choiceForm is the form of Django's formset tests: a poll choice and its
// votes.
func choiceForm() *form.Form {
	return form.New(form.CharField("choice", "Choice"), form.IntegerField("votes", "Votes"))
}

func newFormSet(t testing.TB, opts form.FormSetOptions) *form.FormSet {
	t.Helper()
	fs, err := form.NewFormSet(choiceForm, opts)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// management returns the management form's values for total and initial
// forms, with the prefix "form".
func management(total, initial int) url.Values {
	return url.Values{"form-TOTAL_FORMS": {strconv.Itoa(total)}, "form-INITIAL_FORMS": {strconv.Itoa(initial)},
		"form-MIN_NUM_FORMS": {"0"}, "form-MAX_NUM_FORMS": {"1000"}}
}

// with adds values to a copy of data.
func with(data url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, v := range data {
		out[k] = slices.Clone(v)
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestFormSetUnbound(t *testing.T) {
	fs := newFormSet(t, form.FormSetOptions{Extra: 3})
	want := `<input type="hidden" name="form-TOTAL_FORMS" value="3" id="id_form-TOTAL_FORMS">` +
		`<input type="hidden" name="form-INITIAL_FORMS" value="0" id="id_form-INITIAL_FORMS">` +
		`<input type="hidden" name="form-MIN_NUM_FORMS" value="0" id="id_form-MIN_NUM_FORMS">` +
		`<input type="hidden" name="form-MAX_NUM_FORMS" value="1000" id="id_form-MAX_NUM_FORMS">`
	if got := string(fs.ManagementForm()); got != want {
		t.Errorf("management form:\n got %s\nwant %s", got, want)
	}
	forms := fs.Forms()
	if len(forms) != 3 || fs.IsBound() || fs.IsValid() {
		t.Fatalf("%d forms", len(forms))
	}
	if got := string(forms[1].Field("choice").Widget()); got != `<input type="text" name="form-1-choice" id="id_form-1-choice">` {
		t.Errorf("a formset's form has prefixed names and no required attribute: %s", got)
	}
	empty, err := fs.EmptyForm()
	if err != nil {
		t.Fatal(err)
	}
	if got := string(empty.Field("votes").Widget()); got != `<input type="number" name="form-__prefix__-votes" id="id_form-__prefix__-votes">` {
		t.Errorf("empty form: %s", got)
	}

	counts := []struct {
		opts          form.FormSetOptions
		initial, want int
	}{
		{form.FormSetOptions{Extra: 1}, 2, 3},
		{form.FormSetOptions{Extra: 5, MaxNum: 2}, 0, 2},
		{form.FormSetOptions{Extra: 1, MaxNum: 2}, 3, 3}, // the initial forms are all shown
		{form.FormSetOptions{Extra: 1, MinNum: 2}, 0, 3},
		{form.FormSetOptions{Extra: 3, MaxNum: form.MaxNone}, 2, 2},
		{form.FormSetOptions{Extra: 3, MaxNum: form.MaxNone}, 0, 0},
	}
	for _, c := range counts {
		fs := newFormSet(t, c.opts)
		fs.SetInitial(make([]map[string][]string, c.initial))
		if got := len(fs.Forms()); got != c.want || fs.TotalFormCount() != c.want || fs.InitialFormCount() != c.initial {
			t.Errorf("%+v with %d initial: %d forms, want %d", c.opts, c.initial, got, c.want)
		}
	}
	if _, err := form.NewFormSet(choiceForm, form.FormSetOptions{MaxNum: 10, AbsoluteMax: 5}); err == nil {
		t.Error("AbsoluteMax below MaxNum")
	}
}

func TestFormSetInitialDeleteOrder(t *testing.T) {
	fs := newFormSet(t, form.FormSetOptions{Extra: 1, CanDelete: true, CanOrder: true})
	fs.SetInitial([]map[string][]string{{"choice": {"Calexico"}, "votes": {"100"}}, {"choice": {"Fergie"}, "votes": {"900"}}})
	forms := fs.Forms()
	if len(forms) != 3 {
		t.Fatalf("%d forms", len(forms))
	}
	if got := string(forms[1].Field("choice").Widget()); got != `<input type="text" name="form-1-choice" value="Fergie" id="id_form-1-choice">` {
		t.Errorf("initial value: %s", got)
	}
	if got := string(forms[1].Field("ORDER").Widget()); got != `<input type="number" name="form-1-ORDER" value="2" id="id_form-1-ORDER">` {
		t.Errorf("order of an initial form: %s", got)
	}
	if got := string(forms[2].Field("ORDER").Widget()); got != `<input type="number" name="form-2-ORDER" id="id_form-2-ORDER">` {
		t.Errorf("order of an extra form: %s", got)
	}
	if forms[0].Field("DELETE") == nil || forms[2].Field("DELETE") != nil {
		t.Error("DELETE only on initial forms without CanDeleteExtra")
	}
	if got := string(forms[0].Field("DELETE").LabelTag()); got != `<label class="vCheckboxLabel" for="id_form-0-DELETE">Delete</label>` {
		t.Errorf("delete label: %s", got)
	}
	extra := newFormSet(t, form.FormSetOptions{Extra: 1, CanDelete: true, CanDeleteExtra: true})
	if extra.Forms()[0].Field("DELETE") == nil {
		t.Error("CanDeleteExtra")
	}
	if e, _ := extra.EmptyForm(); e.Field("DELETE") == nil {
		t.Error("the empty form of CanDeleteExtra has DELETE")
	}
}

func TestFormSetValidation(t *testing.T) {
	two := with(management(2, 0), "form-0-choice", "Calexico", "form-0-votes", "100", "form-1-choice", "Fergie", "form-1-votes", "900")
	missing := "ManagementForm data is missing or has been tampered with. Missing fields: %s. You may need to file a bug report if the issue persists."
	cases := []struct {
		name    string
		opts    form.FormSetOptions
		data    url.Values
		valid   bool
		forms   int
		nonForm []string
		errs    []map[string][]string
	}{
		{"valid", form.FormSetOptions{}, two, true, 2, nil, []map[string][]string{{}, {}}},
		{"blank extra forms are skipped", form.FormSetOptions{}, with(two, "form-TOTAL_FORMS", "4"), true, 4, nil, nil},
		{"a half-filled extra form is checked", form.FormSetOptions{}, with(two, "form-TOTAL_FORMS", "3", "form-2-votes", "1"), false, 3, nil,
			[]map[string][]string{{}, {}, {"choice": required}}},
		{"an initial form is always checked", form.FormSetOptions{}, with(management(1, 1)), false, 1, nil, []map[string][]string{{"choice": required, "votes": required}}},
		{"field errors", form.FormSetOptions{}, with(two, "form-1-votes", "many"), false, 2, nil,
			[]map[string][]string{{}, {"votes": {"Enter a whole number."}}}},
		{"no management form", form.FormSetOptions{}, url.Values{"form-0-choice": {"x"}}, false, 0,
			[]string{strings.ReplaceAll(missing, "%s", "form-TOTAL_FORMS, form-INITIAL_FORMS")}, nil},
		{"tampered counts", form.FormSetOptions{}, with(two, "form-TOTAL_FORMS", "two", "form-MAX_NUM_FORMS", "x"), false, 0,
			[]string{strings.ReplaceAll(missing, "%s", "form-TOTAL_FORMS, form-MAX_NUM_FORMS")}, nil},
		{"min and max as posted are ignored", form.FormSetOptions{}, with(two, "form-MIN_NUM_FORMS", "5", "form-MAX_NUM_FORMS", "1"), true, 2, nil, nil},
		{"negative total", form.FormSetOptions{}, with(two, "form-TOTAL_FORMS", "-3"), true, 0, nil, nil},
		{"validate max", form.FormSetOptions{MaxNum: 1, ValidateMax: true}, two, false, 2, []string{"Please submit at most 1 form."}, nil},
		{"max without validation", form.FormSetOptions{MaxNum: 1}, two, true, 2, nil, nil},
		{"beyond the absolute max", form.FormSetOptions{MaxNum: 2, AbsoluteMax: 3}, with(two, "form-TOTAL_FORMS", "1000000"), false, 3,
			[]string{"Please submit at most 2 forms."}, nil},
		{"a huge total", form.FormSetOptions{}, with(two, "form-TOTAL_FORMS", "99999999999999999999999"), false, 0,
			[]string{strings.ReplaceAll(missing, "%s", "form-TOTAL_FORMS")}, nil},
		{"validate min", form.FormSetOptions{MinNum: 3, ValidateMin: true}, with(two, "form-TOTAL_FORMS", "3"), false, 3,
			[]string{"Please submit at least 3 forms."}, nil},
		{"validate min of one", form.FormSetOptions{MinNum: 1, ValidateMin: true}, with(management(2, 0)), false, 2,
			[]string{"Please submit at least 1 form."}, nil},
	}
	for _, c := range cases {
		fs := newFormSet(t, c.opts)
		fs.Bind(c.data)
		if fs.IsValid() != c.valid || len(fs.Forms()) != c.forms {
			t.Errorf("%s: valid %v with %d forms, want %v with %d", c.name, fs.IsValid(), len(fs.Forms()), c.valid, c.forms)
		}
		if got := fs.NonFormErrors(); !slices.Equal(got, c.nonForm) {
			t.Errorf("%s: non-form errors %q, want %q", c.name, got, c.nonForm)
		}
		if c.errs != nil {
			got := fs.Errors()
			for i := range c.errs {
				checkErrors(t, got[i], c.errs[i])
			}
		}
	}
}

func TestFormSetDeleteAndOrder(t *testing.T) {
	data := with(management(3, 2),
		"form-0-choice", "Calexico", "form-0-votes", "100", "form-0-ORDER", "2",
		"form-1-choice", "", "form-1-votes", "bad", "form-1-DELETE", "on", "form-1-ORDER", "1",
		"form-2-choice", "Fergie", "form-2-votes", "900", "form-2-ORDER", "")
	fs := newFormSet(t, form.FormSetOptions{CanDelete: true, CanOrder: true})
	fs.Bind(data)
	if !fs.IsValid() {
		t.Fatalf("a deleted form's errors do not count: %v %v", fs.Errors(), fs.NonFormErrors())
	}
	forms := fs.Forms()
	if d := fs.DeletedForms(); len(d) != 1 || d[0] != forms[1] {
		t.Errorf("deleted %v", d)
	}
	if o := fs.OrderedForms(); len(o) != 2 || o[0] != forms[0] || o[1] != forms[2] {
		t.Error("ordered: the form with an order first, then the one without; deleted left out")
	}
	if fs.TotalErrorCount() != 0 || fs.Errors()[1] != nil {
		t.Errorf("errors %v", fs.Errors())
	}
	for value, deletes := range map[string]bool{"on": true, "1": true, "True": true, "yes": true, "false": false, "0": false, "": false, "FALSE": false} {
		fs := newFormSet(t, form.FormSetOptions{CanDelete: true})
		fs.Bind(with(management(1, 1), "form-0-choice", "x", "form-0-votes", "1", "form-0-DELETE", value))
		if got := len(fs.DeletedForms()) == 1; got != deletes {
			t.Errorf("DELETE=%q deletes: %v", value, got)
		}
	}
	fs = newFormSet(t, form.FormSetOptions{CanDelete: true})
	fs.Bind(with(management(2, 1), "form-0-choice", "x", "form-0-votes", "1", "form-1-DELETE", "on"))
	if len(fs.DeletedForms()) != 0 {
		t.Error("an extra form without DELETE cannot be deleted")
	}
}

func TestFormSetCleanHookAndCounts(t *testing.T) {
	fs := newFormSet(t, form.FormSetOptions{})
	fs.Clean(func(fs *form.FormSet) error {
		seen := map[any]bool{}
		for _, f := range fs.Forms() {
			if c := f.Cleaned("choice"); c != nil && seen[c] {
				return errors.New("Choices in a set must be distinct.")
			}
			seen[f.Cleaned("choice")] = true
		}
		return nil
	})
	fs.Bind(with(management(3, 0), "form-0-choice", "A", "form-0-votes", "1", "form-1-choice", "A", "form-1-votes", "x",
		"form-2-choice", "A", "form-2-votes", "2"))
	if fs.IsValid() || !slices.Equal(fs.NonFormErrors(), []string{"Choices in a set must be distinct."}) {
		t.Errorf("hook: %q", fs.NonFormErrors())
	}
	if n := fs.TotalErrorCount(); n != 2 {
		t.Errorf("total error count %d, want the formset's one plus one field", n)
	}
	if !fs.HasChanged() {
		t.Error("HasChanged")
	}
	page, err := fs.Render()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), `<ul class="errorlist nonform"><li>Choices in a set must be distinct.</li></ul>`) ||
		!strings.Contains(string(page), `name="form-TOTAL_FORMS" value="3"`) || !strings.Contains(string(page), `name="form-2-votes" value="2"`) {
		t.Errorf("render: %s", page)
	}
}
