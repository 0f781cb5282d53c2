package form_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
)

var media = []form.Choice{
	{Value: "", Label: "---------"},
	{Value: "vinyl", Label: "Vinyl", Group: "Audio"}, {Value: "cd", Label: "CD", Group: "Audio"},
	{Value: "vhs", Label: "VHS tape", Group: "Video"},
	{Value: "other", Label: "Other"},
}

func TestChoiceWidgetMarkup(t *testing.T) {
	two := []form.Choice{{Value: "a", Label: "A"}, {Value: "b", Label: "B"}}
	req := form.Attrs{}.WithBare("required").With("id", "id_x")
	cases := []struct {
		name   string
		w      form.Widget
		values []string
		attrs  form.Attrs
		want   string
	}{
		{"radio", &form.RadioSelect{Choices: two}, vals("b"), req,
			`<div id="id_x"><div><label for="id_x_0"><input type="radio" name="x" value="a" required id="id_x_0"> A</label></div>` +
				`<div><label for="id_x_1"><input type="radio" name="x" value="b" required id="id_x_1" checked> B</label></div></div>`},
		{"radio vertical, as the admin's radio_fields", &form.RadioSelect{Choices: two, Attrs: form.Attrs{}.With("class", "radiolist")}, nil, form.Attrs{}.With("id", "id_x"),
			`<div id="id_x" class="radiolist"><div><label for="id_x_0"><input type="radio" name="x" value="a" class="radiolist" id="id_x_0"> A</label></div>` +
				`<div><label for="id_x_1"><input type="radio" name="x" value="b" class="radiolist" id="id_x_1"> B</label></div></div>`},
		{"radio horizontal", &form.RadioSelect{Choices: two[:1], Attrs: form.Attrs{}.With("class", "radiolist inline")}, vals("a"), form.Attrs{}.With("id", "id_x"),
			`<div id="id_x" class="radiolist inline"><div><label for="id_x_0"><input type="radio" name="x" value="a" class="radiolist inline" id="id_x_0" checked> A</label></div></div>`},
		{"radio without id", &form.RadioSelect{Choices: two[:1]}, nil, nil,
			`<div><div><label><input type="radio" name="x" value="a"> A</label></div></div>`},
		{"radio marks one value", &form.RadioSelect{Choices: []form.Choice{{Value: "a", Label: "A"}, {Value: "a", Label: "Again"}}}, vals("a"), nil,
			`<div><div><label><input type="radio" name="x" value="a" checked> A</label></div><div><label><input type="radio" name="x" value="a"> Again</label></div></div>`},
		{"grouped radio", &form.RadioSelect{Choices: media[1:4]}, vals("cd"), form.Attrs{}.With("id", "id_x"),
			`<div id="id_x"><div><label>Audio</label><div><label for="id_x_0_0"><input type="radio" name="x" value="vinyl" id="id_x_0_0"> Vinyl</label></div>` +
				`<div><label for="id_x_0_1"><input type="radio" name="x" value="cd" id="id_x_0_1" checked> CD</label></div></div>` +
				`<div><label>Video</label><div><label for="id_x_1_0"><input type="radio" name="x" value="vhs" id="id_x_1_0"> VHS tape</label></div></div></div>`},
		{"checkbox multiple drops required", &form.CheckboxSelectMultiple{Choices: two}, vals("a", "b"), req.With("aria-describedby", "id_x_helptext"),
			`<div id="id_x"><div><label for="id_x_0"><input type="checkbox" name="x" value="a" aria-describedby="id_x_helptext" id="id_x_0" checked> A</label></div>` +
				`<div><label for="id_x_1"><input type="checkbox" name="x" value="b" aria-describedby="id_x_helptext" id="id_x_1" checked> B</label></div></div>`},
		{"select with optgroups", &form.Select{Choices: media}, vals("vhs"), req,
			"<select name=\"x\" required id=\"id_x\">\n<option value=\"\">---------</option>\n<optgroup label=\"Audio\">\n" +
				"<option value=\"vinyl\">Vinyl</option>\n<option value=\"cd\">CD</option>\n</optgroup>\n<optgroup label=\"Video\">\n" +
				"<option value=\"vhs\" selected>VHS tape</option>\n</optgroup>\n<option value=\"other\">Other</option>\n</select>"},
		{"split date-time", form.SplitDateTimeWidget(), vals("2024-03-09", "14:30:00"), req,
			`<input type="date" name="x_0" value="2024-03-09" required id="id_x_0"><input type="time" name="x_1" value="14:30:00" required id="id_x_1">`},
		{"split date-time empty", form.SplitDateTimeWidget(), nil, nil, `<input type="date" name="x_0"><input type="time" name="x_1">`},
		{"hidden", &form.Input{Type: "hidden"}, vals("7"), form.Attrs{}.With("id", "id_x"), `<input type="hidden" name="x" value="7" id="id_x">`},
		{"email", &form.Input{Type: "email"}, vals("a@b.example"), nil, `<input type="email" name="x" value="a@b.example">`},
		{"time", &form.Input{Type: "time"}, vals("09:30:00"), nil, `<input type="time" name="x" value="09:30:00">`},
	}
	for _, c := range cases {
		if got := string(c.w.Render("x", c.values, c.attrs)); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestChoiceWidgetValueFrom(t *testing.T) {
	data := url.Values{"x": {"a", "b"}, "d_0": {"2024-01-02"}, "e_1": {"10:00"}}
	cases := []struct {
		name string
		w    form.Widget
		key  string
		want []string
	}{
		{"radio keeps the last", &form.RadioSelect{}, "x", vals("b")},
		{"radio absent", &form.RadioSelect{}, "y", nil},
		{"checkboxes keep all", &form.CheckboxSelectMultiple{}, "x", vals("a", "b")},
		{"checkboxes absent", &form.CheckboxSelectMultiple{}, "y", nil},
		{"split date only", form.SplitDateTimeWidget(), "d", vals("2024-01-02", "")},
		{"split time only", form.SplitDateTimeWidget(), "e", vals("", "10:00")},
		{"split absent", form.SplitDateTimeWidget(), "f", nil},
	}
	for _, c := range cases {
		if got := c.w.ValueFrom(data, c.key); strings.Join(got, "|") != strings.Join(c.want, "|") || (got == nil) != (c.want == nil) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestChoiceWidgetEscaping puts markup in every value and label a choice
// widget writes and checks the browser sees text.
func TestChoiceWidgetEscaping(t *testing.T) {
	evil := `"><script>alert('x')</script>&amp;`
	choices := []form.Choice{{Value: evil, Label: evil, Group: evil}}
	widgets := []form.Widget{&form.RadioSelect{Choices: choices}, &form.CheckboxSelectMultiple{Choices: choices}, &form.Select{Choices: choices}}
	for _, w := range widgets {
		nodes := parse(t, w.Render(evil, vals(evil), form.Attrs{}.With("id", evil).With("class", evil)))
		for _, n := range nodes {
			if n.Data == "script" {
				t.Fatalf("%T: a script element got through", w)
			}
			for _, a := range n.Attr {
				if a.Key != "name" && a.Key != "value" && a.Key != "id" && a.Key != "for" && a.Key != "class" && a.Key != "label" &&
					a.Key != "type" && a.Key != "checked" && a.Key != "selected" {
					t.Errorf("%T: unexpected attribute %q", w, a.Key)
				}
			}
		}
		var checked int
		for _, n := range nodes {
			if v, ok := attr(n, "value"); ok && v == evil {
				checked++
			}
			if l, ok := attr(n, "label"); ok && l != evil {
				t.Errorf("%T: optgroup label %q", w, l)
			}
		}
		if checked != 1 {
			t.Errorf("%T: %d inputs carry the value intact", w, checked)
		}
	}
}

func TestFieldsetWidgets(t *testing.T) {
	f := form.New(
		form.ChoiceField("size", "Size", []form.Choice{{Value: "s", Label: "Small"}, {Value: "l", Label: "Large"}}, form.WithWidget(&form.RadioSelect{})),
		form.CharField("name", "Name"),
	)
	size := f.Field("size")
	if !size.UseFieldset() || f.Field("name").UseFieldset() {
		t.Error("UseFieldset is for groups of inputs")
	}
	if got, want := string(size.LabelTag()), `<label class="required">Size:</label>`; got != want {
		t.Errorf("a group's label points at no input:\n got %s\nwant %s", got, want)
	}
	if got, want := string(size.LegendTag()), `<legend class="required">Size:</legend>`; got != want {
		t.Errorf("legend:\n got %s\nwant %s", got, want)
	}
	if got := string(size.Widget()); !strings.Contains(got, `<input type="radio" name="size" value="s" required id="id_size_0">`) {
		t.Errorf("the choices of a ChoiceField reach the RadioSelect given as its widget: %s", got)
	}
	f.Bind(url.Values{"size": {"m"}})
	if got := f.Errors()["size"]; len(got) != 1 || got[0] != "Select a valid choice. m is not one of the available choices." {
		t.Errorf("radio choice validation: %q", got)
	}
}
