package orm_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/orm"
)

func TestParse(t *testing.T) {
	m := everything(t)
	tok := uuid.MustParse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
	day := 24 * time.Hour
	cases := []struct {
		field, in string
		want      any // nil: an error is wanted
	}{
		{"pos_small", "32767", int64(32767)},
		{"pos_small", "32768", nil},
		{"pos_small", "-1", nil},
		{"pos_big", "9223372036854775807", int64(9223372036854775807)},
		{"pos", "-5", nil},
		{"clock", "13:04", orm.TimeOf(13, 4, 0, 0)},
		{"clock", "1:2:3", orm.TimeOf(1, 2, 3, 0)},
		{"clock", "13:04:05.5", orm.TimeOf(13, 4, 5, 500000)},
		{"clock", "13:04:05,1234567", orm.TimeOf(13, 4, 5, 123456)},
		{"clock", "24:00", nil},
		{"clock", "13", nil},
		{"span", "3 days, 04:05:06", 3*day + 4*time.Hour + 5*time.Minute + 6*time.Second},
		{"span", "4 04:05:06", 4*day + 4*time.Hour + 5*time.Minute + 6*time.Second},
		{"span", "-1 23:59:59.999999", -time.Microsecond},
		{"span", "15:30", 15*time.Minute + 30*time.Second},
		{"span", "90", 90 * time.Second},
		{"span", "-15:30", -(15*time.Minute + 30*time.Second)},
		{"span", "P4DT1H15M20S", 4*day + time.Hour + 15*time.Minute + 20*time.Second},
		{"span", "-PT5M", -5 * time.Minute},
		{"span", "P0.5D", 12 * time.Hour},
		{"span", "3 days 04:05:06", 3*day + 4*time.Hour + 5*time.Minute + 6*time.Second},
		{"span", "-1 days -02:03:04.000005", -(day + 2*time.Hour + 3*time.Minute + 4*time.Second + 5*time.Microsecond)},
		{"span", "1h30m", 90 * time.Minute},
		{"span", "soon", nil},
		{"span", "999999999 days, 00:00:00", nil},
		{"token", "a0eebc999c0b4ef8bb6d6bb9bd380a11", tok},
		{"token", "A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11", tok},
		{"token", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}", tok},
		{"token", "urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", tok},
		{"token", "a0eebc99", nil},
		{"data", `{"a": [1, {"b": null}]}`, map[string]any{"a": []any{1.0, map[string]any{"b": nil}}}},
		{"data", `{"a":`, nil},
		{"blob", "AAEA/w==", []byte{0, 1, 0, 255}},
		{"blob", "!!", nil},
		{"ip", "192.168.0.1", "192.168.0.1"},
		{"ip", "2001:0DB8:0000::0001", "2001:db8::1"},
		{"ip", "::ffff:1.2.3.4", "::ffff:1.2.3.4"},
		{"ip", "", ""},
		{"ip", "256.1.1.1", nil},
		{"ip", "01.2.3.4", nil},
		{"ip", "fe80::1%eth0", nil},
		{"price", "12.3400", decimal.RequireFromString("12.34")},
		{"moment", "2024-02-29 23:59:59.123456+05:30", time.Date(2024, 2, 29, 18, 29, 59, 123456000, time.UTC)},
		{"slug", "any text", "any text"},
	}
	for _, c := range cases {
		got, err := m.Field(c.field).Parse(c.in)
		var ve *orm.ValueError
		switch {
		case c.want == nil && !errors.As(err, &ve):
			t.Errorf("%s.Parse(%q) = %v, %v; want a *ValueError", c.field, c.in, got, err)
		case c.want != nil && err != nil:
			t.Errorf("%s.Parse(%q): %v", c.field, c.in, err)
		case c.want != nil && !sameValue(got, c.want):
			t.Errorf("%s.Parse(%q) = %#v, want %#v", c.field, c.in, got, c.want)
		}
	}
}

func sameValue(a, b any) bool {
	switch x := a.(type) {
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case decimal.Decimal:
		y, ok := b.(decimal.Decimal)
		return ok && x.Equal(y)
	}
	return reflect.DeepEqual(a, b)
}

// TestFormatParse checks Format writes what Parse reads back.
func TestFormatParse(t *testing.T) {
	m := everything(t)
	e := edgeValues()
	for _, f := range m.Fields {
		v := f.Get(e)
		if v == nil {
			continue
		}
		s := f.Format(v)
		back, err := f.Parse(s)
		if err != nil {
			t.Errorf("%s: Parse(Format(%v) = %q): %v", f.Name, v, s, err)
			continue
		}
		if want, _ := f.Parse(f.Format(back)); !sameValue(back, want) {
			t.Errorf("%s: %q read back as %#v, written again as %q", f.Name, s, back, f.Format(back))
		}
	}
	if got := orm.FormatDuration(-time.Microsecond); got != "-1 23:59:59.999999" {
		t.Errorf("FormatDuration(-1µs) = %q", got)
	}
	if got := orm.FormatDuration(26*time.Hour + 5*time.Microsecond); got != "1 02:00:00.000005" {
		t.Errorf("FormatDuration = %q", got)
	}
	if got := m.Field("clock").Format(orm.TimeOf(9, 5, 0, 0)); got != "09:05:00" {
		t.Errorf("time format = %q", got)
	}
	if got := m.Field("blob").Format([]byte{0, 1, 0, 255}); got != "AAEA/w==" {
		t.Errorf("binary format = %q", got)
	}
}

func TestValidate(t *testing.T) {
	m := everything(t)
	cases := []struct {
		field string
		value any
		want  string // "" for valid
	}{
		{"char", strings.Repeat("é", 20), ""},
		{"char", strings.Repeat("é", 21), "Ensure this value has at most 20 characters (it has 21)."},
		{"char", nil, "This field cannot be null."},
		{"char", "", "This field cannot be blank."},
		{"note", (*string)(nil), "This field cannot be blank."},
		{"slug", "a-b_c9", ""},
		{"slug", "a b", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."},
		{"email", "x@example.com", ""},
		{"email", `"john..doe"@example.com`, ""},
		{"email", "zoe@bücher.example", ""},
		{"email", "zoë@example.com", "Enter a valid email address."},
		{"email", "a@localhost", ""},
		{"email", "a@[192.0.2.1]", ""},
		{"email", "x@y", "Enter a valid email address."},
		{"email", "x@example.c-", "Enter a valid email address."},
		{"email", "a b@example.com", "Enter a valid email address."},
		{"url", "https://example.com/a?b=c#d", ""},
		{"url", "ftp://files.example.org", ""},
		{"url", "http://localhost:8000/x", ""},
		{"url", "http://[::1]/", ""},
		{"url", "http://192.168.0.1:80", ""},
		{"url", "example.com", "Enter a valid URL."},
		{"url", "http://exa mple.com", "Enter a valid URL."},
		{"url", "http://-bad.com", "Enter a valid URL."},
		{"url", "http://256.0.0.1", "Enter a valid URL."},
		{"url", "javascript://example.com/%0aalert(1)", "Enter a valid URL."},
		{"url", "http://example.com:99999", "Enter a valid URL."},
		{"ip", "1.2.3.4.5", "Enter a valid IPv4 or IPv6 address."},
		{"ip", "", ""},
		{"pos", int32(-1), "Ensure this value is greater than or equal to 0."},
		{"pos_small", uint16(40000), "Ensure this value is less than or equal to 32767."},
		{"small", int64(40000), "Ensure this value is less than or equal to 32767."},
		{"price", decimal.RequireFromString("99999999.9999"), ""},
		{"price", decimal.RequireFromString("123456789.1"), "Ensure that there are no more than 8 digits before the decimal point."},
		{"price", decimal.RequireFromString("1.23456"), "Ensure that there are no more than 4 decimal places."},
		{"price", decimal.RequireFromString("1234567890.123"), "Ensure that there are no more than 12 digits in total."},
		{"price", "abc", "Not a decimal number."},
		{"data", map[string]any{}, "This field cannot be blank."},
		{"maybe_flag", (*bool)(nil), "This field cannot be blank."},
		{"flag", false, ""},
		{"span", time.Duration(0), ""},
	}
	for _, c := range cases {
		err := m.Field(c.field).Validate(c.value)
		var ve *orm.ValidationError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s.Validate(%#v): %v", c.field, c.value, err)
		case c.want != "" && (!errors.As(err, &ve) || strings.Join(ve.Messages, " | ") != c.want):
			t.Errorf("%s.Validate(%#v) = %v, want %q", c.field, c.value, err, c.want)
		}
	}
}
