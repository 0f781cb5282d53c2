package form_test

import (
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/shopspring/decimal"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

type shade string

type flag bool

// Specimen has a field of each type a change-list column shows.
type Specimen struct {
	ID       int64
	Name     string  `orm:"max_length=30"`
	Shade    shade   `orm:"max_length=10"`
	Note     *string `orm:"type=text"`
	Small    int16
	Count    int32
	Big      *int64
	Stock    uint16
	Ratio    float32
	Weight   float64
	Heavy    *float64
	Done     bool
	Maybe    *bool
	Marked   flag
	Born     time.Time  `orm:"type=date"`
	Opens    time.Time  `orm:"type=time"`
	Seen     time.Time  // a date-time
	Left     *time.Time // a nullable date-time
	Warmup   time.Duration
	Price    decimal.Decimal  `orm:"max_digits=8,decimal_places=2"`
	Discount *decimal.Decimal `orm:"max_digits=5,decimal_places=3"`
	Serial   uuid.UUID
	Blob     []byte
	Specs    map[string]any `orm:"type=json"`
	Size     string         `orm:"max_length=2,choices=s:Small|l:Large"`
}

// TestDisplayValueLikeDisplay shows every field of several specimens both
// ways: from its struct field (DisplayValueIn) and from the boxed value
// (DisplayIn of Get). Where the first shows a value, the two agree.
func TestDisplayValueLikeDisplay(t *testing.T) {
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "specimens", Models: []any{Specimen{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	m, err := reg.GetModel("specimens.specimen")
	if err != nil {
		t.Fatal(err)
	}
	text, big, heavy, yes := "a note", int64(-1<<40), 2.5e-7, true
	left := time.Date(2023, 3, 26, 1, 30, 0, 0, time.UTC)
	discount := decimal.RequireFromString("0.125")
	specimens := []*Specimen{
		{}, // every zero value, every nullable nil
		{
			ID: 7, Name: "<Orchard & Co>", Shade: "teal", Note: &text, Small: -300, Count: 1 << 30, Big: &big,
			Stock: 65535, Ratio: 0.1, Weight: 1e21, Heavy: &heavy, Done: true, Maybe: &yes, Marked: true,
			Born: time.Date(2024, 9, 5, 0, 0, 0, 0, time.UTC), Opens: time.Date(0, 1, 1, 13, 30, 0, 0, time.UTC),
			Seen: time.Date(2024, 12, 31, 23, 59, 59, 0, time.UTC), Left: &left, Warmup: 26*time.Hour + 3*time.Second,
			Price: decimal.RequireFromString("12.5"), Discount: &discount, Serial: uuid.MustParse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
			Blob: []byte("xyz"), Specs: map[string]any{"a": 1.0, "b": []any{"x"}}, Size: "l",
		},
		{Weight: 3, Ratio: -2.75, Warmup: -time.Minute, Price: decimal.RequireFromString("-0.005"), Size: "m"},
	}
	zones := []*time.Location{time.UTC, time.FixedZone("Paris", 3600), time.FixedZone("Kathmandu", 5*3600+45*60)}
	shown := map[string]bool{}
	for i, obj := range specimens {
		for _, f := range m.Fields {
			rv, ok := f.Value(obj)
			if !ok {
				t.Fatalf("Value(%s) refused a plain field", f.Name)
			}
			for _, loc := range zones {
				got, ok := form.DisplayValueIn(f, rv, loc)
				if !ok {
					continue
				}
				shown[f.Name] = true
				if want := form.DisplayIn(f, f.Get(obj), loc); got != want {
					t.Errorf("specimen %d, %s in %s: DisplayValueIn = %q, DisplayIn = %q", i, f.Name, loc, got, want)
				}
			}
		}
	}
	// The values a change list shows most are shown without boxing;
	// JSON, choices and bytes are left to DisplayIn.
	for _, name := range []string{"id", "name", "shade", "note", "small", "count", "big", "stock", "ratio", "weight",
		"heavy", "done", "maybe", "marked", "born", "opens", "seen", "left", "warmup", "price", "discount", "serial"} {
		if !shown[name] {
			t.Errorf("DisplayValueIn did not show %s", name)
		}
	}
	for _, name := range []string{"blob", "specs", "size"} {
		if shown[name] {
			t.Errorf("DisplayValueIn showed %s, which DisplayIn must", name)
		}
	}
}
