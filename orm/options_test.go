package orm_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// Stamped is an abstract base: embedded, never registered. Its Meta is
// promoted to the models that declare none.
type Stamped struct {
	Created time.Time `orm:"verbose_name='created at'"`
	Token   uuid.UUID
}

func (Stamped) Meta() orm.Meta {
	return orm.Meta{
		Ordering: []string{"-created"},
		Defaults: map[string]func() any{"created": func() any { return time.Now() }, "token": func() any { return uuid.New() }},
		Indexes:  []orm.Index{{Fields: []string{"-created"}}},
	}
}

// Media uses grouped choices, a default, validators and the base's Meta.
type Media struct {
	ID     int64
	Kind   string `orm:"max_length=10,choices=Audio{vinyl:Vinyl|cd:CD}|Video{vhs:VHS Tape|dvd:DVD}|unknown:Unknown,default=unknown"`
	Rating int16  `orm:"choices=1:Poor|2:Fair|3:Good"`
	Title  string `orm:"max_length=100"`
	Stamped
}

func (m *Media) AbsoluteURL() string { return fmt.Sprintf("/media/%d/", m.ID) }

// Poster overrides the base's Meta, starting from it.
type Poster struct {
	ID    int32
	Title string `orm:"max_length=100,db_index=false"`
	Stamped
}

func (p Poster) Meta() orm.Meta {
	m := p.Stamped.Meta()
	m.Ordering = []string{"title"}
	m.VerboseName = "wall poster"
	m.Indexes = []orm.Index{{Fields: []string{"title", "-created"}, Name: "poster_title_idx", Unique: true}}
	m.Validators = map[string][]func(any) error{"title": {func(v any) error {
		if strings.ToLower(v.(string)) == v.(string) {
			return errors.New("Titles start with a capital.")
		}
		return nil
	}}}
	m.Choices = map[string][]orm.Choice{"title": {{Value: "Jaws", Label: "Jaws, 1975"}, {Value: "alien", Label: "Alien"}}}
	return m
}

// Plain has an ID int64 left to the app's DefaultAutoField.
type Plain struct {
	ID   int64
	Name string `orm:"max_length=10"`
}

func optionsRegistry(t testing.TB) *orm.Registry {
	t.Helper()
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "example.com/media", DefaultAutoField: "django.db.models.AutoField", Models: []any{Media{}, &Poster{}, Plain{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	return reg
}

func TestModelOptions(t *testing.T) {
	reg := optionsRegistry(t)
	media, _ := reg.GetModel("media.Media")
	poster, _ := reg.GetModel("media.poster")
	plain, _ := reg.GetModel("media.Plain")
	wantChoices := []orm.Choice{{"vinyl", "Vinyl", "Audio"}, {"cd", "CD", "Audio"}, {"vhs", "VHS Tape", "Video"}, {"dvd", "DVD", "Video"}, {"unknown", "Unknown", ""}}
	if got := media.Field("kind").Choices; !reflect.DeepEqual(got, wantChoices) {
		t.Errorf("grouped choices = %+v", got)
	}
	if !reflect.DeepEqual(media.Meta.Ordering, []string{"-created"}) || media.Field("created").VerboseName != "created at" {
		t.Errorf("inherited Meta and fields: %v %q", media.Meta.Ordering, media.Field("created").VerboseName)
	}
	if !reflect.DeepEqual(poster.Meta.Ordering, []string{"title"}) || poster.VerboseName != "wall poster" || poster.VerboseNamePlural != "wall posters" {
		t.Errorf("overridden Meta: %v %q %q", poster.Meta.Ordering, poster.VerboseName, poster.VerboseNamePlural)
	}
	if plain.PK.Kind != orm.KindAuto || poster.PK.Kind != orm.KindAuto || media.PK.Kind != orm.KindAuto {
		t.Errorf("app DefaultAutoField auto: %s %s %s", plain.PK.Kind, poster.PK.Kind, media.PK.Kind)
	}
	if !media.HasAbsoluteURL() || media.AbsoluteURL(&Media{ID: 7}) != "/media/7/" || poster.HasAbsoluteURL() || poster.AbsoluteURL(&Poster{}) != "" {
		t.Error("absolute URL detection")
	}
	a := media.New().(*Media)
	b := media.New().(*Media)
	if a.Kind != "unknown" || a.Created.IsZero() || a.Token == uuid.Nil || a.Token == b.Token {
		t.Errorf("New applies defaults, calling functions each time: %+v %+v", a, b)
	}
	if v, ok := media.Field("token").DefaultValue(); !ok || v == uuid.Nil {
		t.Errorf("DefaultValue = %v, %v", v, ok)
	}
	title := poster.Field("title")
	if err := title.Validate("alien"); err == nil || !strings.Contains(err.Error(), "Titles start with a capital.") {
		t.Errorf("Meta.Validators: %v", err)
	}
	if err := title.Validate("Alien"); err == nil || !strings.Contains(err.Error(), "Value 'Alien' is not a valid choice.") {
		t.Errorf("Meta.Choices: %v", err)
	}
	if err := title.Validate("Jaws"); err != nil {
		t.Errorf("valid title: %v", err)
	}
	if err := media.Field("rating").Validate(int16(4)); err == nil || !strings.Contains(err.Error(), "Value 4 is not a valid choice.") {
		t.Errorf("integer choices: %v", err)
	}
	if err := media.Field("kind").Validate("dvd"); err != nil {
		t.Errorf("grouped choice: %v", err)
	}
}

func TestMetaIndexes(t *testing.T) {
	testdb.Run(t, optionsRegistry(t), func(t *testing.T, db *orm.DB) {
		ddl := strings.Join(db.MigrationSQL(), "\n")
		q := db.Dialect().Quote
		// Django names an unnamed Index "<table[:11]>_<column[:7]>_<md5[:6]>_idx",
		// the hash over "media_media", "-created" and "idx".
		for _, want := range []string{
			"CREATE INDEX " + q("media_media_created_66ebbb_idx") + " ON " + q("media_media") + " (" + q("created") + " DESC)",
			"CREATE UNIQUE INDEX " + q("poster_title_idx") + " ON " + q("media_poster") + " (" + q("title") + ", " + q("created") + " DESC)",
		} {
			if !strings.Contains(ddl, want) {
				t.Errorf("missing %s in:\n%s", want, ddl)
			}
		}
		ctx := context.Background()
		m := orm.For[Media](db).Model().New().(*Media)
		m.Title = "Metropolis"
		if err := db.Insert(ctx, m); err != nil {
			t.Fatal(err)
		}
		got, err := orm.Get[Media](ctx, orm.For[Media](db), orm.Q{"token": m.Token})
		if err != nil || got.Kind != "unknown" || !got.Created.Equal(m.Created.Truncate(time.Microsecond)) {
			t.Errorf("defaults stored: %+v %v", got, err)
		}
		if err := db.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		if plan, err := db.Plan(ctx); err != nil || len(plan) != 0 {
			t.Errorf("migrate is not idempotent: %v %v", plan, err)
		}
	})
}
