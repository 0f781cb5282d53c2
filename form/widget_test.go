package form_test

import (
	"html/template"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/staffroom/staffroom/form"
)

// parse parses an HTML fragment as a browser would and returns its element
// nodes in document order.
func parse(t testing.TB, s template.HTML) []*html.Node {
	t.Helper()
	ctx := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: atom.Div}
	nodes, err := html.ParseFragment(strings.NewReader(string(s)), ctx)
	if err != nil {
		t.Fatalf("parse %s: %v", s, err)
	}
	var out []*html.Node
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return out
}

func attr(n *html.Node, name string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val, true
		}
	}
	return "", false
}

func text(n *html.Node) string {
	var b strings.Builder
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}

func TestWidgetMarkup(t *testing.T) {
	sel := &form.Select{Choices: []form.Choice{{Value: "", Label: "---------"}, {Value: "1", Label: "One"}, {Value: "2", Label: "Two"}}}
	cases := []struct {
		name   string
		w      form.Widget
		values []string
		attrs  form.Attrs
		want   string
	}{
		{"text", &form.Input{Type: "text"}, vals("hi"), form.Attrs{}.With("class", "vTextField").With("maxlength", "3").WithBare("required").With("id", "id_x"),
			`<input type="text" name="x" value="hi" class="vTextField" maxlength="3" required id="id_x">`},
		{"empty value is not written", &form.Input{Type: "text"}, vals(""), nil, `<input type="text" name="x">`},
		{"password hides its value", &form.Input{Type: "password", HideValue: true}, vals("secret"), nil, `<input type="password" name="x">`},
		{"widget attrs first", &form.Input{Type: "number", Attrs: form.Attrs{}.With("class", "a")}, vals("5"), form.Attrs{}.With("class", "b").With("id", "id_x"),
			`<input type="number" name="x" value="5" class="b" id="id_x">`},
		{"textarea", &form.Textarea{Attrs: form.Attrs{{Name: "cols", Value: "40"}, {Name: "rows", Value: "10"}}}, vals("line"), form.Attrs{}.With("id", "id_x"),
			"<textarea name=\"x\" cols=\"40\" rows=\"10\" id=\"id_x\">\nline</textarea>"},
		{"checkbox checked", &form.Checkbox{}, vals("on"), form.Attrs{}.With("id", "id_x"), `<input type="checkbox" name="x" id="id_x" checked>`},
		{"checkbox false", &form.Checkbox{}, vals("false"), nil, `<input type="checkbox" name="x">`},
		{"checkbox absent", &form.Checkbox{}, nil, nil, `<input type="checkbox" name="x">`},
		{"select", sel, vals("2"), form.Attrs{}.WithBare("required").With("id", "id_x"),
			"<select name=\"x\" required id=\"id_x\">\n<option value=\"\">---------</option>\n<option value=\"1\">One</option>\n<option value=\"2\" selected>Two</option>\n</select>"},
		{"select without value marks the empty option", sel, nil, nil,
			"<select name=\"x\">\n<option value=\"\" selected>---------</option>\n<option value=\"1\">One</option>\n<option value=\"2\">Two</option>\n</select>"},
		{"select multiple", &form.Select{Multiple: true, Choices: []form.Choice{{Value: "1", Label: "One"}, {Value: "2", Label: "Two"}}}, vals("1", "2"), form.Attrs{}.With("id", "id_x"),
			"<select name=\"x\" id=\"id_x\" multiple>\n<option value=\"1\" selected>One</option>\n<option value=\"2\" selected>Two</option>\n</select>"},
		{"required is dropped without an empty first option", &form.Select{Choices: []form.Choice{{Value: "a", Label: "A"}}}, vals("a"), form.Attrs{}.WithBare("required"),
			"<select name=\"x\">\n<option value=\"a\" selected>A</option>\n</select>"},
		{"null boolean", &form.NullBooleanSelect{}, vals("2"), nil,
			"<select name=\"x\">\n<option value=\"unknown\">Unknown</option>\n<option value=\"true\" selected>Yes</option>\n<option value=\"false\">No</option>\n</select>"},
	}
	for _, c := range cases {
		if got := string(c.w.Render("x", c.values, c.attrs)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestWidgetValueFrom(t *testing.T) {
	data := url.Values{"one": {"a", "b"}, "many": {"1", "2"}, "nb": {"3"}}
	cases := []struct {
		name string
		w    form.Widget
		key  string
		want []string
	}{
		{"input keeps the last", &form.Input{Type: "text"}, "one", vals("b")},
		{"input absent", &form.Input{Type: "text"}, "nope", nil},
		{"checkbox absent", &form.Checkbox{}, "nope", nil},
		{"select", &form.Select{}, "many", vals("2")},
		{"select multiple", &form.Select{Multiple: true}, "many", vals("1", "2")},
		{"null boolean", &form.NullBooleanSelect{}, "nb", vals("false")},
		{"textarea", &form.Textarea{}, "one", vals("b")},
	}
	for _, c := range cases {
		if got := c.w.ValueFrom(data, c.key); strings.Join(got, "|") != strings.Join(c.want, "|") || (got == nil) != (c.want == nil) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestEscaping feeds markup to every place a value or a label reaches the
// page and checks that the browser sees it as text.
func TestEscaping(t *testing.T) {
	evil := `"><script>alert('x')</script>&amp;`
	sel := &form.Select{Choices: []form.Choice{{Value: evil, Label: evil}}}
	f := form.New(
		form.CharField("name", evil),
		&form.Field{Name: "area", Label: "Area", Widget: &form.Textarea{}, Clean: func(v []string) (any, error) { return nil, form.ValidationError{evil} }},
		&form.Field{Name: "pick", Label: "Pick", Widget: sel},
		&form.Field{Name: "ro", Label: "Read only", Readonly: true},
	)
	f.SetInitial(url.Values{"ro": {evil + "\nline 2"}})
	f.Bind(url.Values{"name": {evil}, "area": {"</textarea>" + evil}, "pick": {evil}})
	var page strings.Builder
	for _, bf := range f.Fields() {
		page.WriteString(string(bf.LabelTag()) + string(bf.Widget()))
	}
	nodes := parse(t, template.HTML(page.String()))
	var tags []string
	for _, n := range nodes {
		tags = append(tags, n.Data)
		if n.Data == "script" {
			t.Fatalf("a script element got through: %s", page.String())
		}
	}
	if got := strings.Join(tags, " "); got != "label input label textarea label select option label br" {
		t.Fatalf("elements %q in %s", got, page.String())
	}
	checks := []struct{ got, want string }{
		{text(nodes[0]), evil + ":"},
		{must(attr(nodes[1], "value")), evil},
		{text(nodes[3]), "</textarea>" + evil},
		{must(attr(nodes[5], "name")), "pick"},
		{must(attr(nodes[6], "value")), evil},
		{text(nodes[6]), evil},
	}
	for i, c := range checks {
		if c.got != c.want {
			t.Errorf("check %d: %q, want %q", i, c.got, c.want)
		}
	}
	if ro := string(f.Field("ro").Widget()); !strings.HasPrefix(ro, "&#34;&gt;&lt;script&gt;") || !strings.HasSuffix(ro, "<br>line 2") {
		t.Errorf("read-only text %s", ro)
	}
	if got := f.Errors()["area"]; len(got) != 1 || got[0] != evil {
		t.Errorf("errors are kept raw for the template to escape: %q", got)
	}
}

func must(s string, ok bool) string {
	if !ok {
		return "<missing>"
	}
	return s
}
