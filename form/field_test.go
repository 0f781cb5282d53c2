package form_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/form"
)

// cleanCase is one input to a field and what it must clean to: a value
// (compared with %#v after normalising decimals and times), or messages.
type cleanCase struct {
	in   []string
	want any
	errs []string
}

func show(v any) string {
	switch x := v.(type) {
	case decimal.Decimal:
		return "decimal " + x.String()
	case time.Time:
		return "time " + x.Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%#v", v)
}

func runClean(t *testing.T, f *form.Field, cases []cleanCase) {
	t.Helper()
	for _, c := range cases {
		got, err := f.Clean(c.in)
		if c.errs != nil {
			var ve form.ValidationError
			if err == nil {
				t.Errorf("%s: Clean(%q) = %s, want errors %q", f.Name, c.in, show(got), c.errs)
			} else if ve, _ = err.(form.ValidationError); !slices.Equal(ve, c.errs) {
				t.Errorf("%s: Clean(%q) errors %q, want %q", f.Name, c.in, err, c.errs)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: Clean(%q): %v", f.Name, c.in, err)
		} else if show(got) != show(c.want) {
			t.Errorf("%s: Clean(%q) = %s, want %s", f.Name, c.in, show(got), show(c.want))
		}
	}
}

func vals(s ...string) []string { return s }

var required = []string{"This field is required."}

func TestCharField(t *testing.T) {
	runClean(t, form.CharField("name", "Name", form.MaxLength(5)), []cleanCase{
		{vals("abc"), "abc", nil},
		{vals("  abc \t\n"), "abc", nil},
		{vals("\u00a0abc\u3000"), "abc", nil},
		{vals("first", "sec"), "sec", nil}, // the last value, as QueryDict.get
		{vals("ééééé"), "ééééé", nil},      // runes, not bytes
		{vals("abcdef"), nil, []string{"Ensure this value has at most 5 characters (it has 6)."}},
		{vals("a\x00b"), nil, []string{"Null characters are not allowed."}},
		{vals("abcd\x00ef"), nil, []string{"Ensure this value has at most 5 characters (it has 7).", "Null characters are not allowed."}},
		{vals(""), nil, required},
		{vals("   "), nil, required},
		{nil, nil, required},
		{vals("\xff"), "\uFFFD", nil},
	})
	runClean(t, form.CharField("one", "One", form.MaxLength(1)), []cleanCase{
		{vals("ab"), nil, []string{"Ensure this value has at most 1 character (it has 2)."}},
	})
	runClean(t, form.CharField("opt", "Opt", form.Optional()), []cleanCase{{vals(" "), "", nil}, {nil, "", nil}})
	runClean(t, form.CharField("null", "Null", form.Optional(), form.NilIfEmpty()), []cleanCase{{vals(""), nil, nil}})
	runClean(t, form.PasswordField("password", "Password"), []cleanCase{
		{vals(" secret "), " secret ", nil},
		{vals(""), nil, required},
	})
}

func TestIntegerField(t *testing.T) {
	f := form.IntegerField("pages", "Pages", form.Range(-2147483648, 2147483647))
	runClean(t, f, []cleanCase{
		{vals("42"), int64(42), nil},
		{vals(" -7 "), int64(-7), nil},
		{vals("+3"), int64(3), nil},
		{vals("5.0"), int64(5), nil},
		{vals("5."), int64(5), nil},
		{vals("2147483647"), int64(2147483647), nil},
		{vals("-2147483648"), int64(-2147483648), nil},
		{vals("2147483648"), nil, []string{"Ensure this value is less than or equal to 2147483647."}},
		{vals("-2147483649"), nil, []string{"Ensure this value is greater than or equal to -2147483648."}},
		{vals("99999999999999999999999"), nil, []string{"Ensure this value is less than or equal to 2147483647."}},
		{vals("-99999999999999999999999"), nil, []string{"Ensure this value is greater than or equal to -2147483648."}},
		{vals("abc"), nil, []string{"Enter a whole number."}},
		{vals("5.5"), nil, []string{"Enter a whole number."}},
		{vals("1e3"), nil, []string{"Enter a whole number."}},
		{vals("0x10"), nil, []string{"Enter a whole number."}},
		{vals("1 000"), nil, []string{"Enter a whole number."}},
		{vals(""), nil, required},
	})
	runClean(t, form.IntegerField("big", "Big"), []cleanCase{
		{vals("9223372036854775807"), int64(9223372036854775807), nil},
		{vals("9223372036854775808"), nil, []string{"Ensure this value is less than or equal to 9223372036854775807."}},
		{vals("-9223372036854775809"), nil, []string{"Ensure this value is greater than or equal to -9223372036854775808."}},
	})
	runClean(t, form.IntegerField("opt", "Opt", form.Optional()), []cleanCase{{vals(""), int64(0), nil}})
	runClean(t, form.IntegerField("null", "Null", form.Optional(), form.NilIfEmpty()), []cleanCase{{vals(" "), nil, nil}})
}

func TestDecimalField(t *testing.T) {
	d := decimal.RequireFromString
	runClean(t, form.DecimalField("price", "Price", 10, 2), []cleanCase{
		{vals("9.99"), d("9.99"), nil},
		{vals(" -0.5 "), d("-0.5"), nil},
		{vals("12345678.12"), d("12345678.12"), nil},
		{vals("1e3"), d("1000"), nil},
		{vals(".5"), d("0.5"), nil},
		{vals("0.00"), d("0"), nil},
		{vals("007.50"), d("7.5"), nil},
		{vals("abc"), nil, []string{"Enter a number."}},
		{vals("NaN"), nil, []string{"Enter a number."}},
		{vals("Infinity"), nil, []string{"Enter a number."}},
		{vals("1.2.3"), nil, []string{"Enter a number."}},
		{vals("."), nil, []string{"Enter a number."}},
		{vals("0x10"), nil, []string{"Enter a number."}},
		{vals("123456789.12"), nil, []string{"Ensure that there are no more than 10 digits in total."}},
		{vals("1.999"), nil, []string{"Ensure that there are no more than 2 decimal places."}},
		{vals("1.500"), nil, []string{"Ensure that there are no more than 2 decimal places."}}, // trailing zeros count, as in Python
		{vals("123456789"), nil, []string{"Ensure that there are no more than 8 digits before the decimal point."}},
		{vals("1e9"), nil, []string{"Ensure that there are no more than 8 digits before the decimal point."}},
		{vals("1e99999999999"), nil, []string{"Ensure that there are no more than 10 digits in total."}},
		{vals("1e-99999999999"), nil, []string{"Ensure that there are no more than 10 digits in total."}},
		{vals("0.001"), nil, []string{"Ensure that there are no more than 2 decimal places."}},
		{vals(""), nil, required},
	})
	runClean(t, form.DecimalField("one", "One", 1, 1), []cleanCase{
		{vals("0.5"), d("0.5"), nil},
		{vals("0.55"), nil, []string{"Ensure that there are no more than 1 digit in total."}},
		{vals("1.5"), nil, []string{"Ensure that there are no more than 1 digit in total."}},
	})
	runClean(t, form.DecimalField("places", "Places", 5, 1), []cleanCase{
		{vals("1.25"), nil, []string{"Ensure that there are no more than 1 decimal place."}},
		{vals("12345"), nil, []string{"Ensure that there are no more than 4 digits before the decimal point."}},
		{vals("123456"), nil, []string{"Ensure that there are no more than 5 digits in total."}},
		{vals("12345.0"), nil, []string{"Ensure that there are no more than 5 digits in total."}},
	})
	runClean(t, form.DecimalField("whole", "Whole", 3, 2), []cleanCase{
		{vals("10"), nil, []string{"Ensure that there are no more than 1 digit before the decimal point."}},
	})
	runClean(t, form.DecimalField("opt", "Opt", 5, 2, form.Optional()), []cleanCase{{vals(""), decimal.Zero, nil}})
}

func TestFloatField(t *testing.T) {
	runClean(t, form.FloatField("rating", "Rating"), []cleanCase{
		{vals("4.5"), 4.5, nil},
		{vals(" -1e3 "), -1000.0, nil},
		{vals(".5"), 0.5, nil},
		{vals("5."), 5.0, nil},
		{vals("inf"), nil, []string{"Enter a number."}},
		{vals("NaN"), nil, []string{"Enter a number."}},
		{vals("1e400"), nil, []string{"Enter a number."}},
		{vals("0x1p-2"), nil, []string{"Enter a number."}},
		{vals("1_000"), nil, []string{"Enter a number."}},
		{vals("abc"), nil, []string{"Enter a number."}},
		{vals(""), nil, required},
	})
}

func TestBooleanFields(t *testing.T) {
	runClean(t, form.BooleanField("active", "Active", form.Optional()), []cleanCase{
		{vals("on"), true, nil},
		{vals("true"), true, nil},
		{vals("1"), true, nil},
		{vals("yes"), true, nil},
		{vals("false"), false, nil},
		{vals("False"), false, nil},
		{vals("0"), false, nil},
		{vals(""), false, nil},
		{nil, false, nil},
	})
	runClean(t, form.BooleanField("agree", "I agree"), []cleanCase{
		{vals("on"), true, nil},
		{nil, nil, required},
	})
	runClean(t, form.NullBooleanField("maybe", "Maybe"), []cleanCase{
		{vals("true"), true, nil},
		{vals("2"), true, nil},
		{vals("False"), false, nil},
		{vals("3"), false, nil},
		{vals("unknown"), nil, nil},
		{vals("banana"), nil, nil},
		{nil, nil, nil},
	})
}

func TestDateField(t *testing.T) {
	day := time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC)
	invalid := []string{"Enter a valid date."}
	runClean(t, form.DateField("pubdate", "Pubdate"), []cleanCase{
		{vals("2024-03-09"), day, nil},
		{vals(" 2024-3-9 "), day, nil},
		{vals("03/09/2024"), day, nil},
		{vals("3/9/24"), day, nil},
		{vals("Mar 9 2024"), day, nil},
		{vals("mar 9, 2024"), day, nil},
		{vals("9 March, 2024"), day, nil},
		{vals("2024-02-30"), nil, invalid},
		{vals("2024-13-01"), nil, invalid},
		{vals("0000-01-01"), nil, invalid},
		{vals("-001-01-01"), nil, invalid},
		{vals("1/2/-6"), nil, invalid},
		{vals("1/2/+6"), nil, invalid},
		{vals("2024/03/09"), nil, invalid},
		{vals("yesterday"), nil, invalid},
		{vals(""), nil, required},
	})
}

func TestDateTimeField(t *testing.T) {
	at := time.Date(2024, 3, 9, 14, 30, 0, 0, time.UTC)
	invalid := []string{"Enter a valid date/time."}
	runClean(t, form.DateTimeField("updated", "Updated"), []cleanCase{
		{vals("2024-03-09T14:30"), at, nil},
		{vals("2024-03-09 14:30"), at, nil},
		{vals("2024-03-09T14:30:05"), at.Add(5 * time.Second), nil},
		{vals("2024-03-09 14:30:05.123456"), at.Add(5*time.Second + 123456*time.Microsecond), nil},
		{vals("2024-03-09T14:30:05,5"), at.Add(5*time.Second + 500*time.Millisecond), nil},
		{vals("2024-03-09T14:30Z"), at, nil},
		{vals("2024-03-09T16:30+02:00"), at, nil},
		{vals("2024-03-09T12:30-0200"), at, nil},
		{vals("03/09/2024 14:30"), at, nil},
		{vals("3/9/24 14:30:00"), at, nil},
		{vals("2024-03-09"), time.Date(2024, 3, 9, 0, 0, 0, 0, time.UTC), nil},
		{vals("2024-03-09T24:00"), nil, invalid},
		{vals("2024-03-09T14:60"), nil, invalid},
		{vals("2024-02-30T14:30"), nil, invalid},
		{vals("2024-03-09T14:30+25:00"), nil, invalid},
		{vals("2024-03-09T14"), nil, invalid},
		{vals("now"), nil, invalid},
		{vals(""), nil, required},
	})
}

func TestChoiceField(t *testing.T) {
	f := form.ChoiceField("colour", "Colour", []form.Choice{{Value: "", Label: "---------"}, {Value: "r", Label: "Red"}, {Value: "g", Label: "Green"}})
	runClean(t, f, []cleanCase{
		{vals("r"), "r", nil},
		{vals("x"), nil, []string{"Select a valid choice. x is not one of the available choices."}},
		{vals(" r"), nil, []string{"Select a valid choice.  r is not one of the available choices."}},
		{vals(""), nil, required},
	})
	f.Required = false // Required is read when cleaning, so a caller may still change it
	runClean(t, f, []cleanCase{{vals(""), "", nil}})
}

func TestFieldDefaults(t *testing.T) {
	f := form.CharField("first_name", "")
	if f.Label != "First name" {
		t.Errorf("label from name = %q, want %q", f.Label, "First name")
	}
	bare := &form.Field{Name: "x"}
	frm := form.New(bare)
	frm.Bind(map[string][]string{"x": {"a", "b"}})
	if !frm.IsValid() || frm.Cleaned("x") != "b" {
		t.Errorf("a field without Clean keeps the last value: %v %v", frm.Errors(), frm.Cleaned("x"))
	}
	if got := strings.TrimSpace(string(frm.Field("x").Widget())); got != `<input type="text" name="x" value="b" id="id_x">` {
		t.Errorf("a field without a widget is a text input: %s", got)
	}
}
