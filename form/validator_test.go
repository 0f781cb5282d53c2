package form_test

import (
	"errors"
	"net/url"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/form"
)

func TestValidators(t *testing.T) {
	d := decimal.RequireFromString
	day := time.Date(2024, 1, 31, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name string
		v    form.Validator
		in   any
		want string // "" when valid
	}{
		{"min int ok", form.MinValueValidator(5), int64(5), ""},
		{"min int", form.MinValueValidator(5), int64(4), "Ensure this value is greater than or equal to 5."},
		{"min float limit", form.MinValueValidator(1.0), 0.5, "Ensure this value is greater than or equal to 1.0."},
		{"min decimal", form.MinValueValidator(d("0.10")), d("0.05"), "Ensure this value is greater than or equal to 0.1."},
		{"max int", form.MaxValueValidator(10), int64(11), "Ensure this value is less than or equal to 10."},
		{"max float", form.MaxValueValidator(2.5), 2.51, "Ensure this value is less than or equal to 2.5."},
		{"max compares across types", form.MaxValueValidator(int32(3)), d("3.0"), ""},
		{"max date", form.MaxValueValidator(day), day.AddDate(0, 0, 1), "Ensure this value is less than or equal to 2024-01-31."},
		{"min date-time", form.MinValueValidator(day.Add(90 * time.Minute)), day, "Ensure this value is greater than or equal to 2024-01-31 01:30:00."},
		{"max duration", form.MaxValueValidator(time.Hour), 2 * time.Hour, "Ensure this value is less than or equal to 1:00:00."},
		{"min of another kind is not compared", form.MinValueValidator(5), "abc", ""},
		{"min length", form.MinLengthValidator(3), "éé", "Ensure this value has at least 3 characters (it has 2)."},
		{"min length one", form.MinLengthValidator(1), []string{}, "Ensure this value has at least 1 character (it has 0)."},
		{"max length", form.MaxLengthValidator(3), "abcd", "Ensure this value has at most 3 characters (it has 4)."},
		{"max length ok", form.MaxLengthValidator(3), "ééé", ""},
		{"regex", form.RegexValidator(regexp.MustCompile(`^[A-Z]{2}\d+$`), ""), "ab1", "Enter a valid value."},
		{"regex message", form.RegexValidator(regexp.MustCompile(`^\d+$`), "Digits only."), "x", "Digits only."},
		{"regex ok", form.RegexValidator(regexp.MustCompile(`^\d+$`), ""), "42", ""},
		{"email", form.EmailValidator(), "a@b", "Enter a valid email address."},
		{"url", form.URLValidator(), "http://", "Enter a valid URL."},
		{"slug", form.SlugValidator(false), "a b", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."},
		{"decimal digits", form.DecimalValidator(5, 2), d("1234.56"), "Ensure that there are no more than 5 digits in total."},
		{"decimal places", form.DecimalValidator(5, 2), d("1.234"), "Ensure that there are no more than 2 decimal places."},
		{"decimal whole", form.DecimalValidator(5, 2), d("1234"), "Ensure that there are no more than 3 digits before the decimal point."},
		{"decimal one place", form.DecimalValidator(3, 1), d("1.25"), "Ensure that there are no more than 1 decimal place."},
		{"decimal ok", form.DecimalValidator(5, 2), d("-123.45"), ""},
	}
	for _, c := range cases {
		err := c.v(c.in)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestValidatorsInAForm(t *testing.T) {
	noX := func(v any) error {
		if v == "x" {
			return errors.New("Not x.")
		}
		return nil
	}
	f := form.New(
		form.CharField("code", "Code", form.MinLength(2), form.MaxLength(4), form.Validators(noX, form.RegexValidator(regexp.MustCompile(`^[a-z]+$`), "Lower case only."))),
		form.IntegerField("n", "N", form.MinValue(1), form.MaxValue(9), form.Optional()),
		form.DecimalField("price", "Price", 6, 2, form.MinValue(decimal.RequireFromString("0.01")), form.Optional()),
	)
	if got := string(f.Field("code").Widget()); got != `<input type="text" name="code" minlength="2" maxlength="4" required id="id_code">` {
		t.Errorf("minlength attribute: %s", got)
	}
	if got := string(f.Field("n").Widget()); got != `<input type="number" name="n" min="1" max="9" id="id_n">` {
		t.Errorf("min and max attributes: %s", got)
	}
	cases := []struct {
		data url.Values
		errs map[string][]string
	}{
		{url.Values{"code": {"ab"}, "n": {"5"}, "price": {"1.50"}}, nil},
		{url.Values{"code": {"x"}}, map[string][]string{"code": {"Ensure this value has at least 2 characters (it has 1).", "Not x."}}},
		{url.Values{"code": {"AB"}, "n": {"10"}}, map[string][]string{"code": {"Lower case only."}, "n": {"Ensure this value is less than or equal to 9."}}},
		{url.Values{"code": {"ab"}, "n": {"0"}, "price": {"0.00"}}, map[string][]string{"n": {"Ensure this value is greater than or equal to 1."},
			"price": {"Ensure this value is greater than or equal to 0.01."}}},
		{url.Values{"code": {""}, "n": {""}}, map[string][]string{"code": required}}, // empty values skip validators
	}
	for i, c := range cases {
		f.Bind(c.data)
		if f.IsValid() != (c.errs == nil) {
			t.Errorf("case %d: valid = %v", i, f.IsValid())
		}
		got := f.Errors()
		if len(got) != len(c.errs) {
			t.Errorf("case %d: errors %q, want %q", i, got, c.errs)
		}
		for k, v := range c.errs {
			if !slices.Equal(got[k], v) {
				t.Errorf("case %d: %s: %q, want %q", i, k, got[k], v)
			}
		}
	}
}
