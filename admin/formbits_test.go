package admin_test

import (
	"context"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// The kits app gives the form widget tests a field of choices, an
// optional one, foreign keys, a many-to-many field and a slug to
// prepopulate.
type Kit struct {
	ID     int64
	Title  string                `orm:"max_length=60"`
	Slug   string                `orm:"type=slug,max_length=20"`
	Size   string                `orm:"max_length=1,choices=s:Small|m:Medium|l:Large"`
	Colour string                `orm:"max_length=1,blank,choices=r:Red|g:Green"`
	Shelf  orm.ForeignKey[Shelf] `orm:"null,blank,on_delete=set_null"`
	Owner  orm.ForeignKey[Shelf] `orm:"on_delete=cascade,related_name=owned_kits"`
	Spares orm.ManyToMany[Shelf] `orm:"blank,related_name=spare_kits"`
	Weight float64               `orm:"default=0"`
}

func (k *Kit) String() string { return k.Title }

// newKits is newFixture with the kits app beside the notes app.
func newKits(t *testing.T, dialect string, register func(*admin.Site) error) *fixture {
	t.Helper()
	return newProject(t, dialect, []orm.AppConfig{{Name: "kits", Models: []any{Kit{}}}}, register)
}

// newProject is newFixture with the given apps beside the notes app.
func newProject(t *testing.T, dialect string, apps []orm.AppConfig, register func(*admin.Site) error) *fixture {
	t.Helper()
	app, c := startApp(t, staffroom.Config{Database: testdb.URL(t, dialect)}, append([]orm.AppConfig{notesApp()}, apps...), register)
	return &fixture{t: t, app: app, root: c}
}

// kit loads a kit by title.
func (f *fixture) kit(title string) *Kit {
	f.t.Helper()
	k, err := orm.Get[Kit](context.Background(), orm.For[Kit](f.app.DB), orm.Q{"title": title})
	if err != nil {
		f.t.Fatalf("kit %q: %v", title, err)
	}
	return k
}

// registerKits registers Shelf and Kit with the given admin.
func registerKits(ma *admin.ModelAdmin) func(*admin.Site) error {
	return func(site *admin.Site) error {
		if err := site.Register(Shelf{}, nil); err != nil {
			return err
		}
		return site.Register(Kit{}, ma)
	}
}
