package orm_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

func TestRegistryLookups(t *testing.T) {
	reg := orm.NewRegistry()
	var readyRan int
	apps := []orm.AppConfig{
		contenttype.App(),
		{Name: "example.com/shop/catalog", Models: []any{Author{}, Publisher{}}, Ready: func(r *orm.Registry) error {
			readyRan++
			if _, err := r.GetModel("catalog.author"); err != nil {
				t.Errorf("GetModel in Ready: %v", err)
			}
			return nil
		}},
		{Name: "reviews", Label: "critics", VerboseName: "Critics’ corner", Models: []any{}},
	}
	for _, app := range apps {
		if _, err := reg.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	if reg.IsReady() {
		t.Error("ready before Ready")
	}
	for i := 0; i < 2; i++ {
		if err := reg.Ready(); err != nil {
			t.Fatal(err)
		}
	}
	if readyRan != 1 || !reg.IsReady() {
		t.Errorf("Ready hook ran %d times", readyRan)
	}
	catalog, err := reg.GetAppConfig("catalog")
	if err != nil || catalog.Name != "example.com/shop/catalog" || catalog.VerboseName != "Catalog" || catalog.DefaultAutoField != "bigauto" {
		t.Errorf("GetAppConfig: %+v %v", catalog, err)
	}
	if critics, _ := reg.GetAppConfig("critics"); critics == nil || critics.VerboseName != "Critics’ corner" {
		t.Errorf("label and verbose name: %+v", critics)
	}
	var labels []string
	for _, a := range reg.GetAppConfigs() {
		labels = append(labels, a.Label)
	}
	if strings.Join(labels, ",") != "contenttypes,catalog,critics" {
		t.Errorf("GetAppConfigs = %v", labels)
	}
	if _, err := reg.GetAppConfig("nope"); !errors.Is(err, orm.ErrUnknownApp) {
		t.Errorf("unknown app: %v", err)
	}
	for _, label := range []string{"catalog.Author", "catalog.AUTHOR", "CATALOG.author", "contenttypes.ContentType"} {
		if m, err := reg.GetModel(label); err != nil || !strings.EqualFold(label, m.Label()) {
			t.Errorf("GetModel(%q) = %v, %v", label, m, err)
		}
	}
	if m, err := catalog.GetModel("PUBLISHER"); err != nil || m.Name != "Publisher" {
		t.Errorf("App.GetModel: %v %v", m, err)
	}
	lookups := map[string]error{"nope.Author": orm.ErrUnknownApp, "catalog.Nope": orm.ErrUnknownModel}
	for label, want := range lookups {
		if _, err := reg.GetModel(label); !errors.Is(err, want) {
			t.Errorf("GetModel(%q): %v, want %v", label, err, want)
		}
	}
	for _, label := range []string{"catalog", "catalog.", ".Author", "a.b.c", ""} {
		if _, err := reg.GetModel(label); err == nil || errors.Is(err, orm.ErrUnknownApp) || !strings.Contains(err.Error(), "app_label.ModelName") {
			t.Errorf("malformed label %q: %v", label, err)
		}
	}
	if !reg.IsInstalled("example.com/shop/catalog") || !reg.IsInstalled("django.contrib.contenttypes") || reg.IsInstalled("catalog") {
		t.Error("IsInstalled takes the full name")
	}
	if _, err := reg.Register(orm.AppConfig{Name: "late"}); err == nil {
		t.Error("Register after Ready")
	}
}

func TestInvalidApps(t *testing.T) {
	cases := []struct {
		apps []orm.AppConfig
		want string
	}{
		{[]orm.AppConfig{{Name: "example.com/9lives"}}, `label "9lives" must be letters, digits and underscores, not starting with a digit`},
		{[]orm.AppConfig{{Name: "a", DefaultAutoField: "SmallAutoField"}}, `DefaultAutoField "SmallAutoField": want "auto" or "bigauto"`},
		{[]orm.AppConfig{{Name: "a"}, {Name: "b", Label: "a"}}, `label "a" is already used`},
		{[]orm.AppConfig{{Name: "x/a"}, {Name: "x/a", Label: "b"}}, `app "x/a": an app of that name is already registered`},
		{[]orm.AppConfig{{Name: "a", Models: []any{Author{}}}, {Name: "b", Models: []any{&Author{}}}}, "is already registered"},
	}
	for _, c := range cases {
		reg := orm.NewRegistry()
		var err error
		for _, app := range c.apps {
			if _, err = reg.Register(app); err != nil {
				break
			}
		}
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: %v, want %q", c.apps, err, c.want)
		}
	}
}

// Relations that are wrong only as a whole: Ready refuses them.

type StringKeyed struct {
	Code string `orm:"primary_key,max_length=5"`
}

type NotUnique struct {
	ID   int64
	Code int32
	Name string `orm:"max_length=5,unique"`
}

type Message struct {
	ID        int64
	Sender    orm.ForeignKey[Person] `orm:"on_delete=cascade"`
	Recipient orm.ForeignKey[Person] `orm:"on_delete=cascade"`
}

type Clash struct {
	ID        int64
	Publisher orm.ForeignKey[Publisher] `orm:"on_delete=cascade,related_name=name"`
}

type HiddenTwice struct {
	ID  int64
	One orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=+"`
	Two orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=+"`
}

type TwoWays struct {
	ID int64
	A  orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=a"`
	B  orm.ForeignKey[Person] `orm:"on_delete=cascade,related_name=b"`
	C  orm.ForeignKey[Author] `orm:"on_delete=cascade"`
}

func TestInvalidRelations(t *testing.T) {
	type Orphan struct {
		ID  int64
		Pub orm.ForeignKey[Country] `orm:"on_delete=cascade"`
	}
	type ToUnknown struct {
		ID  int64
		Ref orm.ForeignKey[NotUnique] `orm:"on_delete=cascade,to_field=nope"`
	}
	type ToNotUnique struct {
		ID  int64
		Ref orm.ForeignKey[NotUnique] `orm:"on_delete=cascade,to_field=code"`
	}
	type ToString struct {
		ID  int64
		Ref orm.ForeignKey[NotUnique] `orm:"on_delete=cascade,to_field=name"`
	}
	type ToStringPK struct {
		ID  int64
		Ref orm.ForeignKey[StringKeyed] `orm:"on_delete=cascade"`
	}
	type ThroughNope struct {
		ID      int64
		Members orm.ManyToMany[Person] `orm:"through=Nope"`
	}
	type Ambiguous struct {
		ID      int64
		Members orm.ManyToMany[Person] `orm:"through=TwoWays"`
	}
	type BadThroughFields struct {
		ID      int64
		Members orm.ManyToMany[Person] `orm:"through=TwoWays,through_fields=a:c"`
	}
	type NoContentType struct {
		ID       int64
		Owner    orm.ForeignKey[Person] `orm:"on_delete=cascade"`
		ObjectID int64
		Object   orm.GenericForeignKey `orm:"ct_field=owner"`
	}
	type NoObjectID struct {
		ID          int64
		ContentType orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade"`
		Object      orm.GenericForeignKey
	}
	cases := []struct {
		model any
		want  string
	}{
		{Orphan{}, "orm: register x: model Orphan, field Pub: related model orm_test.Country is not registered"},
		{ToUnknown{}, "model ToUnknown, field Ref: to_field=nope: NotUnique has no such field"},
		{ToNotUnique{}, "field Ref: to_field=code: NotUnique.Code is not unique"},
		{ToString{}, "field Ref: to_field=name: NotUnique.Name is a CharField, and an orm.ForeignKey holds an integer: use orm.ForeignKeyTo[NotUnique, string]"},
		{ToStringPK{}, "field Ref: the primary key of StringKeyed is a CharField, and an orm.ForeignKey holds an integer: use orm.ForeignKeyTo[StringKeyed, string]"},
		{ThroughNope{}, "model ThroughNope, field Members: through=Nope: no such model"},
		{Ambiguous{}, "field Members: through=TwoWays: TwoWays needs exactly one foreign key to Ambiguous and one to Person"},
		{BadThroughFields{}, "through_fields=a:c must name TwoWays's foreign keys to BadThroughFields and to Person"},
		{Message{}, `model Message, field Recipient: reverse name "message_set" on Person clashes with the reverse relation of Message.sender`},
		{Clash{}, `model Clash, field Publisher: reverse name "name" on Publisher clashes with field Publisher.name`},
		{HiddenTwice{}, ""},
		{NoContentType{}, "field Object: ct_field=owner: orm_test.Person is not a content type model"},
		{NoObjectID{}, "model NoObjectID, field Object: fk_field=object_id: want an integer, string or UUID field"},
		{BadOrdering{}, `model BadOrdering: Meta.Ordering: orm: BadOrdering: cannot resolve "nope"`},
		{BadLimit{}, `model BadLimit, field Pub: Meta.LimitChoicesTo: orm: Publisher: cannot resolve "nme__icontains"`},
	}
	for _, c := range cases {
		reg := orm.NewRegistry()
		models := []any{Person{}, Publisher{}, Author{}, NotUnique{}, StringKeyed{}, TwoWays{}, c.model}
		if _, err := reg.Register(contenttype.App()); err != nil {
			t.Fatal(err)
		}
		if _, err := reg.Register(orm.AppConfig{Name: "x", Models: models}); err != nil {
			t.Fatalf("%T: %v", c.model, err)
		}
		err := reg.Ready()
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%T: %v", c.model, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%T: error %v, want it to contain %q", c.model, err, c.want)
		}
	}
}
