package form_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
)

func loginForm() *form.Form {
	return form.New(
		form.CharField("username", "Username", form.MaxLength(150), form.WithBareAttr("autofocus"), form.WithAttr("autocomplete", "username")),
		form.PasswordField("password", "Password", form.WithAttr("autocomplete", "current-password")),
	)
}

func TestLoginFormRendering(t *testing.T) {
	f := loginForm()
	got := map[string]string{}
	for _, bf := range f.Fields() {
		got[bf.Name] = string(bf.LabelTag()) + string(bf.Widget())
	}
	want := map[string]string{
		"username": `<label class="required" for="id_username">Username:</label>` +
			`<input type="text" name="username" autofocus autocomplete="username" maxlength="150" required id="id_username">`,
		"password": `<label class="required" for="id_password">Password:</label>` +
			`<input type="password" name="password" autocomplete="current-password" required id="id_password">`,
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s:\n got %s\nwant %s", name, got[name], w)
		}
	}
	if f.IsBound() || f.IsValid() || f.ErrorCount() != 0 || len(f.Errors()) != 0 {
		t.Error("an unbound form has no errors and is not valid")
	}
}

func TestLoginFormValidation(t *testing.T) {
	cases := []struct {
		name   string
		data   url.Values
		valid  bool
		errors map[string][]string
	}{
		{"valid", url.Values{"username": {" admin "}, "password": {" pw "}}, true, nil},
		{"missing both", url.Values{}, false, map[string][]string{"username": required, "password": required}},
		{"blank username", url.Values{"username": {"   "}, "password": {"x"}}, false, map[string][]string{"username": required}},
		{"too long", url.Values{"username": {strings.Repeat("a", 151)}, "password": {"x"}}, false,
			map[string][]string{"username": {"Ensure this value has at most 150 characters (it has 151)."}}},
	}
	for _, c := range cases {
		f := loginForm()
		f.Bind(c.data)
		if f.IsValid() != c.valid {
			t.Errorf("%s: IsValid = %v", c.name, !c.valid)
		}
		got := f.Errors()
		if len(got) != len(c.errors) {
			t.Errorf("%s: errors %q, want %q", c.name, got, c.errors)
		}
		for k, v := range c.errors {
			if !slices.Equal(got[k], v) {
				t.Errorf("%s: errors[%s] = %q, want %q", c.name, k, got[k], v)
			}
		}
		if f.ErrorCount() != len(c.errors) {
			t.Errorf("%s: ErrorCount = %d", c.name, f.ErrorCount())
		}
	}
	f := loginForm()
	f.Bind(url.Values{"username": {" admin "}, "password": {" pw "}})
	if f.Cleaned("username") != "admin" || f.Cleaned("password") != " pw " {
		t.Errorf("cleaned %q %q", f.Cleaned("username"), f.Cleaned("password"))
	}
}

// TestAddError is the login view's path: the fields are fine, the
// credentials are not.
func TestAddError(t *testing.T) {
	f := loginForm()
	f.Bind(url.Values{"username": {"admin"}, "password": {"wrong"}})
	if !f.IsValid() {
		t.Fatal(f.Errors())
	}
	msg := "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive."
	f.AddError("", msg)
	f.AddError("password", "Too short.")
	if f.IsValid() || f.ErrorCount() != 2 || !slices.Equal(f.NonFieldErrors(), []string{msg}) {
		t.Errorf("valid %v, count %d, non-field %q", f.IsValid(), f.ErrorCount(), f.NonFieldErrors())
	}
	if f.Cleaned("password") != nil || f.Errors()[form.NonField][0] != msg {
		t.Errorf("AddError on a field drops its cleaned value: %v", f.Cleaned("password"))
	}
	bf := f.Field("password")
	if !slices.Equal(bf.Errors, []string{"Too short."}) {
		t.Errorf("bound errors %q", bf.Errors)
	}
	w := string(bf.Widget())
	if !strings.Contains(w, `aria-invalid="true" aria-describedby="id_password_error" id="id_password"`) {
		t.Errorf("widget with errors: %s", w)
	}
	f.Bind(url.Values{"username": {"admin"}, "password": {"right"}})
	if !f.IsValid() {
		t.Errorf("binding again starts over: %v", f.Errors())
	}
}

func TestBoundValueAndPrefix(t *testing.T) {
	f := form.New(form.IntegerField("pages", "Pages", form.HelpText("How many.")), form.BooleanField("ok", "OK?", form.Optional()))
	f.Prefix = "book"
	f.SetInitial(url.Values{"pages": {"1", "7"}, "ok": {"on"}, "other": {"x"}})
	bf := f.Field("pages")
	if bf.HTMLName != "book-pages" || bf.ID != "id_book-pages" || !slices.Equal(bf.Value(), vals("7")) {
		t.Errorf("prefixed bound field %+v value %q", bf, bf.Value())
	}
	want := `<input type="number" name="book-pages" value="7" required aria-describedby="id_book-pages_helptext" id="id_book-pages">`
	if got := string(bf.Widget()); got != want {
		t.Errorf("widget\n got %s\nwant %s", got, want)
	}
	if got := string(f.Field("ok").LabelTag()); got != `<label class="vCheckboxLabel" for="id_book-ok">OK?</label>` {
		t.Errorf("checkbox label %s", got)
	}
	if !f.Field("ok").IsCheckbox() || f.Field("pages").IsCheckbox() {
		t.Error("IsCheckbox")
	}
	f.Bind(url.Values{"book-pages": {"many"}})
	bf = f.Field("pages")
	if !slices.Equal(bf.Value(), vals("many")) || !strings.Contains(string(bf.Widget()), `value="many"`) {
		t.Errorf("a failed submission keeps what was typed: %q %s", bf.Value(), bf.Widget())
	}
	if got := string(bf.Widget()); !strings.Contains(got, `aria-describedby="id_book-pages_helptext id_book-pages_error"`) {
		t.Errorf("help text and error: %s", got)
	}
	if f.Field("ok").Value() != nil || strings.Contains(string(f.Field("ok").Widget()), "checked") {
		t.Error("an unticked checkbox on a bound form is unchecked, whatever the initial value")
	}
	if f.Field("nope") != nil {
		t.Error("Field of an unknown name")
	}
}

func TestChanged(t *testing.T) {
	newForm := func() *form.Form {
		f := form.New(
			form.CharField("name", "Name"),
			form.DecimalField("price", "Price", 5, 2),
			form.DateField("day", "Day", form.Optional()),
			form.BooleanField("ok", "OK", form.Optional()),
			form.IntegerField("n", "Count", form.Optional()),
		)
		f.SetInitial(url.Values{"name": {"Go"}, "price": {"9.9"}, "day": {"2024-03-09"}})
		return f
	}
	cases := []struct {
		data url.Values
		want []string
	}{
		{url.Values{"name": {" Go "}, "price": {"9.90"}, "day": {"03/09/2024"}}, nil},
		{url.Values{"name": {"Rust"}, "price": {"9.91"}, "ok": {"on"}, "n": {"3"}}, []string{"Name", "Price", "Day", "OK", "Count"}},
		// Empty and "0" clean to the same 0 for an optional, non-null count.
		{url.Values{"name": {"Go"}, "price": {"9.9"}, "day": {"2024-03-09"}, "n": {"0"}}, nil},
		{url.Values{"name": {"Go"}, "price": {"bad"}, "day": {"2024-03-09"}}, []string{"Price"}},
	}
	for _, c := range cases {
		f := newForm()
		f.Bind(c.data)
		if got := f.ChangedLabels(); !slices.Equal(got, c.want) {
			t.Errorf("%v: changed %q, want %q", c.data, got, c.want)
		}
		if f.HasChanged() != (len(c.want) > 0) {
			t.Errorf("%v: HasChanged", c.data)
		}
	}
	if newForm().Changed() != nil {
		t.Error("an unbound form has no changes")
	}
}

func TestLabelTag(t *testing.T) {
	cases := []struct {
		f    *form.Field
		want string
	}{
		{form.CharField("a", "Name"), `<label class="required" for="id_a">Name:</label>`},
		{form.CharField("a", "Name", form.Optional()), `<label for="id_a">Name:</label>`},
		{form.CharField("a", "Really?"), `<label class="required" for="id_a">Really?</label>`},
		{form.BooleanField("a", "Agree"), `<label class="vCheckboxLabel required" for="id_a">Agree</label>`},
		{&form.Field{Name: "a", Label: "Shown", Readonly: true, Required: true}, `<label>Shown:</label>`},
	}
	for _, c := range cases {
		if got := string(form.New(c.f).Field("a").LabelTag()); got != c.want {
			t.Errorf("got %s, want %s", got, c.want)
		}
	}
}
