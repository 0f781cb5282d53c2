package form_test

import (
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
)

func TestFileWidgetMarkup(t *testing.T) {
	url := func(name string) string { return "/media/" + name }
	id := form.Attrs{}.With("id", "id_doc")
	cases := []struct {
		name   string
		w      form.Widget
		values []string
		want   string
	}{
		{"file input shows no value", &form.FileInput{}, vals("docs/a.pdf"), `<input type="file" name="doc" id="id_doc">`},
		{"clearable without a file", &form.ClearableFileInput{URL: url}, nil, `<input type="file" name="doc" id="id_doc">`},
		{"clearable with a file", &form.ClearableFileInput{URL: url}, vals("docs/a b.pdf"),
			"Currently: <a href=\"/media/docs/a%20b.pdf\">docs/a b.pdf</a>\n<input type=\"checkbox\" name=\"doc-clear\" id=\"doc-clear_id\">\n" +
				"<label for=\"doc-clear_id\">Clear</label><br>\nChange: <input type=\"file\" name=\"doc\" id=\"id_doc\">"},
		{"clear box kept checked", &form.ClearableFileInput{URL: url}, vals("a.pdf", "on"),
			"Currently: <a href=\"/media/a.pdf\">a.pdf</a>\n<input type=\"checkbox\" name=\"doc-clear\" id=\"doc-clear_id\" checked>\n" +
				"<label for=\"doc-clear_id\">Clear</label><br>\nChange: <input type=\"file\" name=\"doc\" id=\"id_doc\">"},
		{"a required file has no clear box", &form.ClearableFileInput{URL: url, Required: true}, vals("a.pdf"),
			"Currently: <a href=\"/media/a.pdf\">a.pdf</a><br>\nChange: <input type=\"file\" name=\"doc\" id=\"id_doc\">"},
		{"no URL function links the name", &form.ClearableFileInput{Required: true}, vals("a.pdf"),
			"Currently: <a href=\"a.pdf\">a.pdf</a><br>\nChange: <input type=\"file\" name=\"doc\" id=\"id_doc\">"},
		{"a javascript: name is not a link", &form.ClearableFileInput{Required: true}, vals("javascript:alert(1)"),
			"Currently: <a href=\"#ZgotmplZ\">javascript:alert(1)</a><br>\nChange: <input type=\"file\" name=\"doc\" id=\"id_doc\">"},
	}
	for _, c := range cases {
		if got := string(c.w.Render("doc", c.values, id)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
	evil := `"><script>x</script>`
	out := (&form.ClearableFileInput{URL: func(string) string { return "/m/" + evil }}).Render(evil, vals(evil), nil)
	for _, n := range parse(t, out) {
		if n.Data == "script" {
			t.Fatalf("script in %s", out)
		}
	}
	if !strings.Contains(string(out), "Currently: <a href=\"/m/%22%3e%3cscript%3ex%3c/script%3e\">&#34;&gt;&lt;script&gt;x&lt;/script&gt;</a>") {
		t.Errorf("escaping: %s", out)
	}
}
