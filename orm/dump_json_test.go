package orm

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

func TestScalarJSON(t *testing.T) {
	date := &Field{Kind: KindDate}
	stamp := &Field{Kind: KindDateTime}
	price := &Field{Kind: KindDecimal, MaxDigits: 10, Places: 2}
	float := &Field{Kind: KindFloat}
	text := &Field{Kind: KindText}
	type status string
	cases := []struct {
		f    *Field
		v    any
		want rawJSON
	}{
		{text, nil, "null"},
		{text, "a \"b\"\\\n\t\x01é\u2028", `"a \"b\"\\\n\t\u0001é` + "\u2028" + `"`},
		{text, "bad \xff byte", `"bad ` + "\ufffd" + ` byte"`},
		{text, status("draft"), `"draft"`},
		{&Field{Kind: KindBoolean}, true, "true"},
		{&Field{Kind: KindSmallInteger}, int16(-7), "-7"},
		{&Field{Kind: KindBigInteger}, int64(math.MaxInt64), "9223372036854775807"},
		{price, decimal.RequireFromString("12.5"), `"12.50"`},
		{price, decimal.RequireFromString("-0.005"), `"-0.01"`},
		{date, time.Date(2026, 2, 3, 23, 0, 0, 0, time.UTC), `"2026-02-03"`},
		{stamp, time.Date(2026, 11, 21, 22, 10, 0, 123456789, time.UTC), `"2026-11-21T22:10:00.123Z"`},
		{stamp, time.Date(2026, 11, 21, 22, 10, 0, 456000, time.UTC), `"2026-11-21T22:10:00.000Z"`},
		{stamp, time.Date(2026, 11, 21, 23, 10, 0, 999, time.FixedZone("CET", 3600)), `"2026-11-21T22:10:00Z"`},
		{float, 4.0, "4.0"},
		{float, 4.8, "4.8"},
		{float, math.Copysign(0, -1), "-0.0"},
		{float, 1e-05, "1e-05"},
		{float, 0.0001, "0.0001"},
		{float, 1e16, "1e+16"},
		{float, 123456789012345.6, "123456789012345.6"},
		{float, float32(0.1), "0.1"},
	}
	for _, c := range cases {
		got, err := scalarJSON(c.f, c.v)
		if err != nil || got != c.want {
			t.Errorf("scalarJSON(%s, %#v) = %s, %v; want %s", c.f.Kind, c.v, got, err, c.want)
		}
	}
	for _, bad := range []any{math.NaN(), math.Inf(1), struct{}{}} {
		if got, err := scalarJSON(float, bad); err == nil {
			t.Errorf("scalarJSON(%v) = %s, want an error", bad, got)
		}
	}
}

func TestWriteJSON(t *testing.T) {
	v := []member{{"a", rawJSON("1")}, {"b", []any{}}, {"c", []member{}}, {"d", []any{rawJSON("2"), []any{rawJSON(`"x"`)}}}}
	cases := map[int]string{
		0: `{"a": 1, "b": [], "c": {}, "d": [2, ["x"]]}`,
		2: "{\n    \"a\": 1,\n    \"b\": [],\n    \"c\": {},\n    \"d\": [\n      2,\n      [\n        \"x\"\n      ]\n    ]\n  }",
	}
	for indent, want := range cases {
		var b bytes.Buffer
		writeJSON(&b, v, indent, 1)
		if b.String() != want {
			t.Errorf("indent %d:\n%s\nwant:\n%s", indent, b.String(), want)
		}
	}
}
