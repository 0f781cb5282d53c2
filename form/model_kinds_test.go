package form_test

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

type Region struct {
	ID     int64
	Code   int32  `orm:"unique"`
	Name   string `orm:"max_length=50"`
	Active bool
}

func (r *Region) String() string { return r.Name }

// Gadget has a field of each kind that has no form field of its own.
type Gadget struct {
	ID     int64
	Slug   string                 `orm:"type=slug"`
	Email  string                 `orm:"type=email,blank"`
	Site   string                 `orm:"type=url,blank"`
	IP     *string                `orm:"type=ip,blank"`
	Stock  uint32                 `orm:"blank"`
	Opens  time.Time              `orm:"type=time"`
	Warmup time.Duration          `orm:"blank"`
	Serial uuid.UUID              `orm:"blank"`
	Specs  map[string]any         `orm:"type=json,blank"`
	Owner  orm.OneToOne[Author]   `orm:"null,blank,on_delete=set_null"`
	Region orm.ForeignKey[Region] `orm:"on_delete=cascade,to_field=code"`
	Media  string                 `orm:"max_length=5,blank,choices=Audio{vinyl:Vinyl|cd:CD}|Video{vhs:VHS tape}|other:Other"`
}

func (Gadget) Meta() orm.Meta {
	return orm.Meta{
		LimitChoicesTo: map[string]orm.Q{"region": {"active": true}},
		Validators: map[string][]func(any) error{
			"slug": {func(v any) error {
				if v == "admin" {
					return errors.New("This slug is reserved.")
				}
				return nil
			}},
			"stock": {func(v any) error {
				if n, _ := v.(int64); n%2 != 0 {
					return errors.New("Stock comes in pairs.")
				}
				return nil
			}},
		},
	}
}

func gadgetRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "gadgets", Models: []any{Author{}, Region{}, Gadget{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestModelFormOtherKinds(t *testing.T) {
	testdb.Run(t, gadgetRegistry(t), func(t *testing.T, db *orm.DB) {
		ctx := context.Background()
		ann := &Author{Name: "Ann"}
		regions := []*Region{{Code: 44, Name: "North", Active: true}, {Code: 33, Name: "Closed"}}
		for _, obj := range []any{ann, regions[0], regions[1]} {
			if err := db.Insert(ctx, obj); err != nil {
				t.Fatal(err)
			}
		}
		gadgets := modelOf(t, db, Gadget{})
		newForm := func() *form.ModelForm {
			mf, err := form.ForModel(ctx, db, gadgets, form.Options{})
			if err != nil {
				t.Fatal(err)
			}
			return mf
		}
		mf := newForm()
		region := string(mf.Field("region").Widget())
		if !strings.Contains(region, `<option value="44">North</option>`) || strings.Contains(region, "Closed") {
			t.Errorf("to_field values and limit_choices_to: %s", region)
		}
		media := string(mf.Field("media").Widget())
		if !strings.Contains(media, "<option value=\"\" selected>---------</option>\n<optgroup label=\"Audio\">\n<option value=\"vinyl\">Vinyl</option>\n"+
			"<option value=\"cd\">CD</option>\n</optgroup>\n<optgroup label=\"Video\">\n<option value=\"vhs\">VHS tape</option>\n</optgroup>\n<option value=\"other\">Other</option>") {
			t.Errorf("grouped choices: %s", media)
		}
		valid := url.Values{
			"slug": {"widget-1"}, "email": {"a@example.com"}, "site": {"https://example.com/"}, "ip": {"2001:0DB8::0001"},
			"stock": {"12"}, "opens": {"09:30"}, "warmup": {"1 02:03:04"}, "serial": {"a0eebc999c0b4ef8bb6d6bb9bd380a11"},
			"specs": {`{"volts": 230}`}, "owner": {id(ann.ID)}, "region": {"44"},
		}
		mf.Bind(valid)
		if !mf.IsValid() {
			t.Fatal(mf.Errors())
		}
		g := gadgets.New().(*Gadget)
		if err := mf.Apply(g); err != nil {
			t.Fatal(err)
		}
		if err := db.Save(ctx, g); err != nil {
			t.Fatal(err)
		}
		got, err := orm.Get[Gadget](ctx, orm.For[Gadget](db), orm.Q{"pk": g.ID})
		if err != nil {
			t.Fatal(err)
		}
		if *got.IP != "2001:db8::1" || got.Stock != 12 || !got.Opens.Equal(orm.TimeOf(9, 30, 0, 0)) || got.Warmup != 26*time.Hour+3*time.Minute+4*time.Second ||
			got.Serial.String() != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" || got.Specs["volts"] != 230.0 || got.Owner.ID != ann.ID || got.Region.ID != 44 {
			t.Errorf("saved %+v", got)
		}
		again := newForm()
		again.Bind(valid)
		if again.IsValid() {
			t.Error("a second gadget for the same one-to-one owner is valid")
		}
		checkErrors(t, again.Errors(), map[string][]string{"owner": {"Gadget with this Owner already exists."}})
		change := newForm()
		if err := change.SetInstance(ctx, got); err != nil {
			t.Fatal(err)
		}
		resent := submit(t, change)
		if resent.Get("opens") != "09:30:00" || resent.Get("warmup") != "1 02:03:04" || resent.Get("serial") != "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" || resent.Get("specs") != "{\n  \"volts\": 230\n}" {
			t.Errorf("rendered change form: %v", resent)
		}
		change.Bind(resent)
		if !change.IsValid() || change.HasChanged() {
			t.Errorf("resubmitted as rendered: %v, changed %v", change.Errors(), change.Changed())
		}
		bad := []struct{ field, value, msg string }{
			{"slug", "a b", "Enter a valid “slug” consisting of letters, numbers, underscores or hyphens."}, // not also the model's
			{"email", "nobody", "Enter a valid email address."},
			{"site", "example", "Enter a valid URL."},
			{"ip", "1.2.3", "Enter a valid IPv4 or IPv6 address."},
			{"stock", "-1", "Ensure this value is greater than or equal to 0."},
			{"opens", "25:00", "Enter a valid time."},
			{"warmup", "soon", "Enter a valid duration."},
			{"serial", "123", "Enter a valid UUID."},
			{"specs", "{", "Enter a valid JSON."},
			{"slug", "admin", "This slug is reserved."},
			{"stock", "13", "Stock comes in pairs."},
			{"region", "33", "Select a valid choice. That choice is not one of the available choices."},
		}
		for _, c := range bad {
			data := url.Values{}
			for k, v := range valid {
				data[k] = v
			}
			data.Set("owner", "") // Ann owns the saved gadget: a one-to-one is unique
			data.Set(c.field, c.value)
			mf := newForm()
			mf.Bind(data)
			if mf.IsValid() {
				t.Errorf("%s=%q: valid", c.field, c.value)
				continue
			}
			checkErrors(t, mf.Errors(), map[string][]string{c.field: {c.msg}})
		}
	})
}

func TestDisplayOtherKinds(t *testing.T) {
	m, err := gadgetRegistry(t).GetModel("gadgets.Gadget")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field string
		value any
		want  string
	}{
		{"opens", orm.TimeOf(13, 30, 0, 0), "1:30 p.m."},
		{"warmup", 26*time.Hour + 5*time.Microsecond, "1 day, 2:00:00.000005"},
		{"warmup", -time.Second, "-1 day, 23:59:59"},
		{"warmup", 3 * 24 * time.Hour, "3 days, 0:00:00"},
		{"specs", map[string]any{"a": []any{1, true}, "b": "x, y: z"}, `{"a": [1, true], "b": "x, y: z"}`},
		{"serial", uuid.MustParse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"},
	}
	for _, c := range cases {
		if got := form.Display(m.Field(c.field), c.value); got != c.want {
			t.Errorf("Display(%s, %v) = %q, want %q", c.field, c.value, got, c.want)
		}
	}
}
