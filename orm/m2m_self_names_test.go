package orm_test

import (
	"testing"

	"github.com/staffroom/staffroom/orm"
)

// TestSelfManyToManyJoinNames: the join model of a relation of a model to
// itself is named as Django's, "from_member-to_member relationship", from
// the model names whatever the verbose names; a relation between two
// models, "book-author relationship".
func TestSelfManyToManyJoinNames(t *testing.T) {
	type Writer struct {
		ID int64
	}
	type Member struct {
		ID      int64
		Friends orm.ManyToMany[Member] `orm:"blank"`
		Idols   orm.ManyToMany[Writer] `orm:"blank"`
	}
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "library", Models: []any{Writer{}, Member{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	m, _ := reg.GetModel("library.member")
	for field, want := range map[string]string{"friends": "from_member-to_member relationship", "idols": "member-writer relationship"} {
		f := m.Field(field)
		if got := f.AutoThrough.VerboseName; got != want {
			t.Errorf("%s: join model %q, want %q", field, got, want)
		}
		if got := (orm.Link{Field: f, ID: 1}).VerboseName(); got != want {
			t.Errorf("%s: link %q, want %q", field, got, want)
		}
	}
}
