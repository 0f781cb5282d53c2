package form_test

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// runValues is runClean through CleanValues, so the field's validators run
// as they do in a form.
func runValues(t *testing.T, f *form.Field, cases []cleanCase) {
	t.Helper()
	g := *f
	g.Clean = func(values []string) (any, error) { return f.CleanValues(values) }
	runClean(t, &g, cases)
}

func TestEmailField(t *testing.T) {
	invalid := []string{"Enter a valid email address."}
	runValues(t, form.EmailField("email", "Email", form.MaxLength(30)), []cleanCase{
		{vals(" a@example.com "), "a@example.com", nil},
		{vals(`"quoted\ name"@example.com`), `"quoted\ name"@example.com`, nil},
		{vals(`"quoted name"@example.com`), nil, invalid},
		{vals("user@localhost"), "user@localhost", nil},
		{vals("user@[192.0.2.1]"), "user@[192.0.2.1]", nil},
		{vals("nobody"), nil, invalid},
		{vals("a@b"), nil, invalid},
		{vals("a@-example.com"), nil, invalid},
		{vals("a b@example.com"), nil, invalid},
		{vals("a@example.com" + strings.Repeat("m", 20)), nil, []string{"Ensure this value has at most 30 characters (it has 33)."}},
		{vals(""), nil, required},
	})
	if got := string(form.EmailField("email", "Email").Widget.Render("email", vals("x"), nil)); got != `<input type="email" name="email" value="x">` {
		t.Errorf("email input: %s", got)
	}
}

func TestURLField(t *testing.T) {
	invalid := []string{"Enter a valid URL."}
	runValues(t, form.URLField("site", "Site", form.Optional()), []cleanCase{
		{vals("https://example.com/a?b=c#d"), "https://example.com/a?b=c#d", nil},
		{vals("example.com"), "http://example.com", nil},
		{vals("example.com/path?q=1"), "http://example.com/path?q=1", nil},
		{vals("//example.com/x"), "http://example.com/x", nil},
		{vals("ftp://files.example.org"), "ftp://files.example.org", nil},
		{vals("http://localhost:8000/"), "http://localhost:8000/", nil},
		{vals("http://[2001:db8::1]/"), "http://[2001:db8::1]/", nil},
		{vals("http://192.0.2.1"), "http://192.0.2.1", nil},
		{vals("example"), nil, invalid},
		{vals("http://"), nil, invalid},
		{vals("mailto:a@example.com"), nil, invalid},
		{vals("javascript:alert(1)"), nil, invalid},
		{vals("http://exa mple.com"), nil, invalid},
		{vals("http://example.com:99999"), nil, invalid},
		{vals("http://999.1.1.1"), nil, invalid},
		{vals(""), "", nil},
	})
}

func TestSlugField(t *testing.T) {
	runValues(t, form.SlugField("slug", "Slug"), []cleanCase{
		{vals("a-b_c9"), "a-b_c9", nil},
		{vals("a b"), nil, []string{"Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."}},
		{vals("café"), nil, []string{"Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."}},
	})
	runValues(t, form.SlugField("slug", "Slug", form.AllowUnicode()), []cleanCase{
		{vals("café-日本"), "café-日本", nil},
		{vals("a.b"), nil, []string{"Enter a valid “slug” consisting of Unicode letters, numbers, underscores, or hyphens."}},
	})
}

func TestGenericIPAddressField(t *testing.T) {
	both := []string{"Enter a valid IPv4 or IPv6 address."}
	runValues(t, form.GenericIPAddressField("ip", "IP"), []cleanCase{
		{vals("192.0.2.1"), "192.0.2.1", nil},
		{vals(" 2001:0DB8::0001 "), "2001:db8::1", nil},
		{vals("::ffff:192.0.2.1"), "::ffff:192.0.2.1", nil},
		{vals("1.2.3"), nil, both},
		{vals("01.2.3.4"), nil, both},
		{vals("fe80::1%eth0"), nil, both},
		{vals(""), nil, required},
	})
	runValues(t, form.GenericIPAddressField("ip", "IP", form.Protocol("ipv4")), []cleanCase{
		{vals("2001:db8::1"), nil, []string{"Enter a valid IPv4 address."}},
	})
	runValues(t, form.GenericIPAddressField("ip", "IP", form.Protocol("ipv6")), []cleanCase{
		{vals("192.0.2.1"), nil, []string{"Enter a valid IPv6 address."}},
	})
	runValues(t, form.GenericIPAddressField("ip", "IP", form.UnpackIPv4()), []cleanCase{
		{vals("::ffff:192.0.2.1"), "192.0.2.1", nil},
	})
}

func TestTimeField(t *testing.T) {
	invalid := []string{"Enter a valid time."}
	f := form.TimeField("opens", "Opens")
	runValues(t, f, []cleanCase{
		{vals("09:30"), orm.TimeOf(9, 30, 0, 0), nil},
		{vals("9:05:07"), orm.TimeOf(9, 5, 7, 0), nil},
		{vals("23:59:59.123"), orm.TimeOf(23, 59, 59, 123000), nil},
		{vals("23:59:59.1234567"), nil, invalid},
		{vals("24:00"), nil, invalid},
		{vals("12:60"), nil, invalid},
		{vals("noon"), nil, invalid},
		{vals("12"), nil, invalid},
		{vals(""), nil, required},
	})
	if got := f.Format(orm.TimeOf(7, 5, 0, 0)); got[0] != "07:05:00" {
		t.Errorf("format %q", got)
	}
	if got := f.Format(orm.TimeOf(7, 5, 0, 12)); got[0] != "07:05:00.000012" {
		t.Errorf("format keeps microseconds: %q", got)
	}
}

func TestSplitDateTimeField(t *testing.T) {
	at := time.Date(2024, 3, 9, 14, 30, 5, 0, time.UTC)
	runValues(t, form.SplitDateTimeField("when", "When"), []cleanCase{
		{vals("2024-03-09", "14:30:05"), at, nil},
		{vals(" 03/09/2024 ", "14:30:05"), at, nil},
		{vals("2024-03-09", ""), nil, required},
		{vals("", "14:30"), nil, required},
		{vals("", ""), nil, required},
		{nil, nil, required},
		{vals("2024-02-30", "14:30"), nil, []string{"Enter a valid date."}},
		{vals("2024-03-09", "25:00"), nil, []string{"Enter a valid time."}},
		{vals("soon", "later"), nil, []string{"Enter a valid date.", "Enter a valid time."}},
		{vals("2024-03-09 14:30:05"), at, nil}, // one value, as a query string gives it
		{vals("tomorrow"), nil, []string{"Enter a valid date/time."}},
	})
	runValues(t, form.SplitDateTimeField("when", "When", form.Optional(), form.NilIfEmpty()), []cleanCase{
		{vals("", ""), nil, nil},
		{vals("2024-03-09", ""), nil, []string{"Enter a valid time."}},
		{vals("", "14:30"), nil, []string{"Enter a valid date."}},
	})
	f := form.New(form.SplitDateTimeField("when", "When"))
	f.SetInitial(url.Values{"when": {"2024-03-09T14:30"}})
	if got := f.Field("when").Widget(); string(got) != `<input type="date" name="when_0" value="2024-03-09" required id="id_when_0">`+
		`<input type="time" name="when_1" value="14:30:00" required id="id_when_1">` {
		t.Errorf("initial from a query string: %s", got)
	}
	f.Bind(url.Values{"when_0": {"2024-03-09"}, "when_1": {"14:30"}})
	if !f.IsValid() || !f.Cleaned("when").(time.Time).Equal(at.Add(-5*time.Second)) || f.HasChanged() {
		t.Errorf("bound: %v %v changed %v", f.Errors(), f.Cleaned("when"), f.Changed())
	}
}

func TestDurationAndUUIDFields(t *testing.T) {
	runValues(t, form.DurationField("d", "D"), []cleanCase{
		{vals("1 02:03:04"), 26*time.Hour + 3*time.Minute + 4*time.Second, nil},
		{vals("P1DT2H"), 26 * time.Hour, nil},
		{vals("90"), 90 * time.Second, nil},
		{vals("soon"), nil, []string{"Enter a valid duration."}},
	})
	u := uuid.MustParse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11")
	runValues(t, form.UUIDField("u", "U"), []cleanCase{
		{vals("a0eebc999c0b4ef8bb6d6bb9bd380a11"), u, nil},
		{vals("{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}"), u, nil},
		{vals("urn:uuid:a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), u, nil},
		{vals("123"), nil, []string{"Enter a valid UUID."}},
	})
}

func TestJSONField(t *testing.T) {
	invalid := []string{"Enter a valid JSON."}
	f := form.JSONField("data", "Data")
	runValues(t, f, []cleanCase{
		{vals(`{"a": [1, 2.50, "x"]}`), map[string]any{"a": []any{json.Number("1"), json.Number("2.50"), "x"}}, nil},
		{vals(`12345678901234567890`), json.Number("12345678901234567890"), nil},
		{vals(`"text"`), "text", nil},
		{vals(`false`), false, nil},
		{vals(`null`), nil, required},
		{vals(`{`), nil, invalid},
		{vals(`{} {}`), nil, invalid},
		{vals(`{'a': 1}`), nil, invalid},
		{vals(""), nil, required},
	})
	runValues(t, form.JSONField("data", "Data", form.Optional()), []cleanCase{{vals("null"), nil, nil}, {vals(""), nil, nil}})
	v, _ := f.CleanValues(vals(`{"b":1,"a":{"c":"<&>"}}`))
	if got := f.Format(v)[0]; got != "{\n  \"a\": {\n    \"c\": \"<&>\"\n  },\n  \"b\": 1\n}" {
		t.Errorf("pretty-printed: %s", got)
	}
	frm := form.New(form.JSONField("data", "Data"))
	frm.SetInitial(url.Values{"data": {`{"a": 1}`}})
	frm.Bind(url.Values{"data": {"{\n  \"a\": 1\n}"}})
	if !frm.IsValid() || frm.HasChanged() {
		t.Errorf("the same JSON re-indented is not a change: %v %v", frm.Errors(), frm.Changed())
	}
}

func TestMultipleChoiceField(t *testing.T) {
	choices := []form.Choice{{Value: "r", Label: "Red"}, {Value: "g", Label: "Green"}}
	f := form.MultipleChoiceField("colours", "Colours", choices)
	runValues(t, f, []cleanCase{
		{vals("g", "r"), []string{"g", "r"}, nil},
		{vals("r", "x"), nil, []string{"Select a valid choice. x is not one of the available choices."}},
		{vals(), nil, required},
		{nil, nil, required},
	})
	boxes := form.MultipleChoiceField("colours", "Colours", choices, form.WithWidget(&form.CheckboxSelectMultiple{}), form.Optional())
	runValues(t, boxes, []cleanCase{{nil, []string{}, nil}})
	frm := form.New(boxes)
	frm.SetInitial(url.Values{"colours": {"r,g"}})
	got := string(frm.Field("colours").Widget())
	if !strings.Contains(got, `value="r" id="id_colours_0" checked`) || !strings.Contains(got, `value="g" id="id_colours_1" checked`) {
		t.Errorf("checkboxes from a comma-separated initial value: %s", got)
	}
}
