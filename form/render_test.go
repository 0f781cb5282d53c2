package form_test

import (
	"html/template"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/staffroom/staffroom/form"
)

func TestRowAndErrorList(t *testing.T) {
	f := form.New(
		form.CharField("name", "Name", form.HelpText("Your <b>full</b> name."), form.MaxLength(3)),
		form.ChoiceField("size", "Size", []form.Choice{{Value: "s", Label: "S"}}, form.WithWidget(&form.RadioSelect{}), form.Optional()),
		form.CharField("token", "Token", form.WithWidget(&form.Input{Type: "hidden"})),
	)
	f.Bind(url.Values{"name": {"abcd"}, "token": {"t"}})
	name := f.Field("name")
	want := `<div class="form-row field-name errors"><label class="required" for="id_name">Name:</label>` +
		`<div class="helptext" id="id_name_helptext">Your &lt;b&gt;full&lt;/b&gt; name.</div>` +
		`<ul class="errorlist" id="id_name_error"><li>Ensure this value has at most 3 characters (it has 4).</li></ul>` +
		`<input type="text" name="name" value="abcd" maxlength="3" required aria-invalid="true" aria-describedby="id_name_helptext id_name_error" id="id_name"></div>`
	if got := string(name.Row()); got != want {
		t.Errorf("row:\n got %s\nwant %s", got, want)
	}
	if got := string(f.Field("size").ErrorList()); got != "" {
		t.Errorf("no errors, no list: %q", got)
	}
	want = `<div class="form-row field-size"><fieldset><legend>Size:</legend><div id="id_size"><div><label for="id_size_0">` +
		`<input type="radio" name="size" value="s" id="id_size_0"> S</label></div></div></fieldset></div>`
	if got := string(f.Field("size").Row()); got != want {
		t.Errorf("fieldset row:\n got %s\nwant %s", got, want)
	}
	if !f.Field("token").IsHidden() || f.Field("name").IsHidden() {
		t.Error("IsHidden")
	}
	if got := string(f.Field("token").Widget()); got != `<input type="hidden" name="token" value="t" id="id_token">` {
		t.Errorf("a hidden input never carries required: %s", got)
	}
	f.AddError("", "Whole form <wrong>.")
	f.AddError("token", "Tampered.")
	page, err := f.Render()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<ul class="errorlist nonfield"><li>Whole form &lt;wrong&gt;.</li><li>(Hidden field token) Tampered.</li></ul>`,
		`<div class="hidden-fields"><input type="hidden" name="token" value="t" aria-invalid="true" aria-describedby="id_token_error" id="id_token"></div>`,
	} {
		if !strings.Contains(string(page), want) {
			t.Errorf("form lacks %s:\n%s", want, page)
		}
	}
	if strings.Contains(string(page), "<label class=\"required\" for=\"id_token\"") {
		t.Error("a hidden field has no label")
	}
	if got := string(f.NonFieldErrorList()); got != `<ul class="errorlist nonfield"><li>Whole form &lt;wrong&gt;.</li></ul>` {
		t.Errorf("non-field errors: %s", got)
	}
}

func TestRendererOverrides(t *testing.T) {
	overrides := fstest.MapFS{
		"form/widgets/input.html": {Data: []byte(`<input data-custom type="{{.Type}}" name="{{.Name}}"{{.Attrs}}>`)},
		"form/errors.html":        {Data: []byte(`{{range .Errors}}<p class="oops">{{.}}</p>{{end}}`)},
		"admin/base.html":         {Data: []byte(`not a form template: ignored`)},
	}
	r, err := form.NewRenderer(overrides)
	if err != nil {
		t.Fatal(err)
	}
	f := form.New(form.CharField("name", "Name"), form.CharField("notes", "Notes", form.WithWidget(&form.Textarea{})))
	f.Renderer = r
	f.Bind(url.Values{})
	if got := string(f.Field("name").Widget()); got != `<input data-custom type="text" name="name" required aria-invalid="true" aria-describedby="id_name_error" id="id_name">` {
		t.Errorf("overridden input: %s", got)
	}
	if got := string(f.Field("name").ErrorList()); got != `<p class="oops">This field is required.</p>` {
		t.Errorf("overridden error list: %s", got)
	}
	if got := string(f.Field("notes").Widget()); !strings.HasPrefix(got, "<textarea") {
		t.Errorf("templates not overridden stay: %s", got)
	}
	if got := string((&form.Input{Type: "text"}).Render("x", nil, nil)); got != `<input type="text" name="x">` {
		t.Errorf("Render without a form uses the embedded templates: %s", got)
	}

	broken := []fstest.MapFS{
		{"form/field.html": {Data: []byte(`{{.Nope}}`)}},
		{"form/widgets/select.html": {Data: []byte(`{{range .Groups}}{{.Missing}}{{end}}`)}},
		{"form/widgets/textarea.html": {Data: []byte(`{{if}}`)}},
		{"form/form.html": {Data: []byte(`{{template "nowhere"}}`)}},
	}
	for _, fsys := range broken {
		if _, err := form.NewRenderer(fsys); err == nil {
			t.Errorf("a broken override is accepted: %v", fsys)
		}
	}
}

// TestRenderInTemplate checks the bound field's methods work from a page
// template, as the admin calls them, and that an override failing at
// render time becomes the page's error rather than half a page.
func TestRenderInTemplate(t *testing.T) {
	page := template.Must(template.New("p").Parse(`{{range .}}{{.LabelTag}}{{.Widget}}{{.ErrorList}}{{end}}`))
	f := form.New(form.CharField("name", "Name"))
	var b strings.Builder
	if err := page.Execute(&b, f.Fields()); err != nil {
		t.Fatal(err)
	}
	if want := `<label class="required" for="id_name">Name:</label><input type="text" name="name" required id="id_name">`; b.String() != want {
		t.Errorf("page:\n got %s\nwant %s", b.String(), want)
	}
	r, err := form.NewRenderer(fstest.MapFS{"form/widgets/input.html": {Data: []byte(`{{if eq .Name "boom"}}{{.Nope}}{{end}}<input name="{{.Name}}">`)}})
	if err != nil {
		t.Fatal(err)
	}
	f = form.New(form.CharField("boom", "Boom"))
	f.Renderer = r
	if err := page.Execute(&b, f.Fields()); err == nil || !strings.Contains(err.Error(), "form/widgets/input.html") {
		t.Errorf("a failing widget template: %v", err)
	}
	if _, err := f.Render(); err == nil {
		t.Error("Render reports a failing widget template")
	}
}

func TestLabelledWidget(t *testing.T) {
	choices := []form.Choice{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}
	f := form.New(
		form.CharField("title", "Title"),
		form.BooleanField("done", "Done"),
		form.ChoiceField("kind", "Kind", choices, form.WithWidget(&form.RadioSelect{})),
		form.CharField("named", "Named", form.WithAttr("aria-label", "Its own name")),
	)
	for _, tc := range []struct{ field, want, not string }{
		{"title", `aria-label="Title"`, ""},
		{"done", `<input type="checkbox" name="done" required id="id_done" aria-label="Done">`, ""},
		// The radio buttons have their own labels: a name on each would hide them.
		{"kind", `<label for="id_kind_0">`, "aria-label"},
		{"named", `aria-label="Its own name"`, `aria-label="Named"`},
	} {
		bf := f.Field(tc.field)
		got := string(bf.LabelledWidget())
		if !strings.Contains(got, tc.want) || tc.not != "" && strings.Contains(got, tc.not) {
			t.Errorf("%s: LabelledWidget() = %s, want %s without %q", tc.field, got, tc.want, tc.not)
		}
		if plain := string(bf.Widget()); strings.Contains(plain, `aria-label="`+bf.Label) {
			t.Errorf("%s: Widget() names itself: %s", tc.field, plain)
		}
	}
}

// TestFocusIDAndHelpHTML: FocusID is the input an error summary links to
// (the first of a group), and help given as HTML is linked by
// aria-describedby and drawn with that id, as plain help is.
func TestFocusIDAndHelpHTML(t *testing.T) {
	grouped := []form.Choice{{Value: "a", Label: "A", Group: "Letters"}, {Value: "1", Label: "1", Group: "Digits"}}
	plain := []form.Choice{{Value: "a", Label: "A"}}
	help := form.CharField("pw", "Password")
	help.HelpHTML = "<ul><li>Long.</li></ul>"
	f := form.New(
		form.CharField("title", "Title"),
		form.ChoiceField("kind", "Kind", plain, form.WithWidget(&form.RadioSelect{})),
		form.ChoiceField("group", "Group", grouped, form.WithWidget(&form.RadioSelect{})),
		form.ChoiceField("none", "None", nil, form.WithWidget(&form.RadioSelect{}), form.Optional()),
		form.MultipleChoiceField("tags", "Tags", plain, form.WithWidget(&form.CheckboxSelectMultiple{})),
		form.SplitDateTimeField("when", "When"),
		help,
	)
	for field, want := range map[string]string{
		"title": "id_title", "kind": "id_kind_0", "group": "id_group_0_0", "none": "id_none",
		"tags": "id_tags_0", "when": "id_when_0", "pw": "id_pw",
	} {
		bf := f.Field(field)
		if got := bf.FocusID(); got != want {
			t.Errorf("%s: FocusID %q, want %q", field, got, want)
		}
		if page := string(bf.Row()); !strings.Contains(page, `id="`+want+`"`) {
			t.Errorf("%s: no element has the FocusID %s: %s", field, want, page)
		}
	}
	row := string(f.Field("pw").Row())
	for _, want := range []string{`aria-describedby="id_pw_helptext"`, `<div class="helptext" id="id_pw_helptext"><ul><li>Long.</li></ul></div>`} {
		if !strings.Contains(row, want) {
			t.Errorf("HTML help: row lacks %s:\n%s", want, row)
		}
	}
}
