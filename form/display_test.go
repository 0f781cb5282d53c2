package form_test

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

func TestDisplay(t *testing.T) {
	at := func(h, m int) time.Time { return time.Date(2024, 9, 5, h, m, 0, 0, time.UTC) }
	dt := &orm.Field{Kind: orm.KindDateTime}
	cases := []struct {
		of   *orm.Field
		v    any
		want string
	}{
		{dt, at(0, 0), "Sept. 5, 2024, midnight"},
		{dt, at(12, 0), "Sept. 5, 2024, noon"},
		{dt, at(1, 0), "Sept. 5, 2024, 1 a.m."},
		{dt, at(12, 30), "Sept. 5, 2024, 12:30 p.m."},
		{dt, at(23, 5).In(time.FixedZone("x", 3600)), "Sept. 5, 2024, 11:05 p.m."},
		{&orm.Field{Kind: orm.KindDate}, at(0, 0), "Sept. 5, 2024"},
		{&orm.Field{Kind: orm.KindDecimal, Places: 2}, decimal.RequireFromString("3.5"), "3.50"},
		{&orm.Field{Kind: orm.KindInteger, Choices: []orm.Choice{{Value: "1", Label: "One"}}}, int32(1), "One"},
		{&orm.Field{Kind: orm.KindInteger, Choices: []orm.Choice{{Value: "1", Label: "One"}}}, int32(2), "-"},
		{&orm.Field{Kind: orm.KindInteger, Choices: []orm.Choice{{Value: "1", Label: "One"}}}, nil, "-"},
		{&orm.Field{Kind: orm.KindFloat}, float32(0.1), "0.1"},
		{&orm.Field{Kind: orm.KindChar}, "", "-"},
		{&orm.Field{Kind: orm.KindChar}, nil, "-"},
		{&orm.Field{Kind: orm.KindBoolean}, true, "True"},
		{&orm.Field{Kind: orm.KindBoolean}, false, "False"},
	}
	for _, c := range cases {
		if got := form.Display(c.of, c.v); got != c.want {
			t.Errorf("Display(%s, %v) = %q, want %q", c.of.Kind, c.v, got, c.want)
		}
	}
}

func TestAttrs(t *testing.T) {
	a := form.Attrs{}.With("class", "x").WithBare("required").With("class", "y")
	if v, ok := a.Get("class"); !ok || v != "y" || len(a) != 2 {
		t.Errorf("With replaces in place: %+v", a)
	}
	if _, ok := a.Without("class").Get("class"); ok {
		t.Error("Without")
	}
	if _, ok := a.Get("nope"); ok {
		t.Error("Get of a missing attribute")
	}
}
