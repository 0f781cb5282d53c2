package form_test

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// fuzzFields returns a field of every kind: the plain constructors, and a
// model form's fields (relations and typed choices included), captured as
// they are built, before any query.
func fuzzFields(t testing.TB) []*form.Field {
	fields := []*form.Field{
		form.CharField("char", "Char", form.MaxLength(5)),
		form.CharField("nochar", "Nochar", form.Optional(), form.NilIfEmpty()),
		form.PasswordField("password", "Password"),
		form.IntegerField("int", "Int", form.Range(-10, 10)),
		form.IntegerField("big", "Big", form.Optional()),
		form.DecimalField("dec", "Dec", 5, 2),
		form.DecimalField("dec0", "Dec0", 3, 0, form.Optional()),
		form.FloatField("float", "Float"),
		form.BooleanField("bool", "Bool"),
		form.NullBooleanField("nbool", "Nbool"),
		form.DateField("date", "Date"),
		form.DateTimeField("dt", "Dt", form.Optional()),
		form.ChoiceField("choice", "Choice", []form.Choice{{Value: "", Label: "---------"}, {Value: "a", Label: "A"}}),
		form.ChoiceField("radio", "Radio", media, form.WithWidget(&form.RadioSelect{}), form.Optional()),
		form.MultipleChoiceField("multi", "Multi", media, form.WithWidget(&form.CheckboxSelectMultiple{})),
		form.EmailField("email", "Email", form.Optional()),
		form.URLField("url", "URL"),
		form.SlugField("slug", "Slug", form.AllowUnicode()),
		form.GenericIPAddressField("ip", "IP", form.UnpackIPv4()),
		form.TimeField("time", "Time"),
		form.SplitDateTimeField("split", "Split", form.Optional(), form.NilIfEmpty()),
		form.DurationField("dur", "Dur"),
		form.UUIDField("uuid", "UUID", form.Optional()),
		form.JSONField("json", "JSON", form.Optional()),
		form.CharField("valid", "Valid", form.MinLength(2), form.Validators(form.RegexValidator(regexp.MustCompile(`^a`), ""))),
		form.IntegerField("bounded", "Bounded", form.MinValue(0), form.MaxValue(9.5)),
	}
	for _, reg := range []*orm.Registry{registry(t), gadgetRegistry(t)} {
		fields = append(fields, modelFields(t, reg)...)
	}
	return fields
}

// modelFields returns the fields of every model form of reg.
func modelFields(t testing.TB, reg *orm.Registry) []*form.Field {
	var fields []*form.Field
	for _, m := range reg.Models() {
		_, err := form.ForModel(context.Background(), nil, m, form.Options{Customize: func(_ *orm.Field, f *form.Field) {
			fields = append(fields, f)
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	return fields
}

// FuzzClean feeds arbitrary strings to every kind of field: each yields a
// value or validation messages, never a panic; a value formats and cleans
// back to itself; and the widget renders either.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", " ", "abc", "42", "-0", "5.0", "1e3", "1e99999999999", "9.999", "0.00", "NaN", "inf",
		"2024-02-29", "2024-02-30", "1/2/06", "Mar 9, 2024", "2024-03-09T14:30:05.123456+02:00", "2024-03-09 24:00",
		"on", "false", "unknown", "1,2,abc", "\x00", "\xff\xfe", "\u00a0x\u3000", `"><script>`, "99999999999999999999"} {
		f.Add(s)
	}
	fields := fuzzFields(f)
	f.Fuzz(func(t *testing.T, s string) {
		for _, fld := range fields {
			for _, in := range [][]string{{s}, strings.Split(s, ","), nil} {
				checkClean(t, fld, in)
			}
		}
	})
}

func checkClean(t *testing.T, fld *form.Field, in []string) {
	v, err := fld.CleanValues(in)
	fld.Widget.Render(fld.Name, in, nil)
	if err != nil {
		ve, ok := err.(form.ValidationError)
		if !ok || len(ve) == 0 || slices.Contains(ve, "") {
			t.Fatalf("%s: Clean(%q) returned %#v", fld.Name, in, err)
		}
		return
	}
	shown := fld.Format(v)
	again, err := fld.CleanValues(shown)
	if err != nil {
		t.Fatalf("%s: Clean(%q) = %v, shown as %q, which does not clean: %v", fld.Name, in, v, shown, err)
	}
	if back := fld.Format(again); !slices.Equal(back, shown) {
		t.Fatalf("%s: Clean(%q) shown as %q, then as %q", fld.Name, in, shown, back)
	}
	fld.Widget.Render(fld.Name, shown, nil)
}
