package admin

import (
	"strconv"
	"testing"

	"github.com/staffroom/staffroom/orm"
)

type keyInt64 struct{ ID int64 }

type keyInt32 struct {
	ID int32 `orm:"primary_key"`
}

type keyText struct {
	Code string `orm:"primary_key,max_length=10"`
}

type ticket int64

func (t ticket) String() string { return "T-" + strconv.FormatInt(int64(t), 10) }

type keyNamed struct {
	No ticket `orm:"primary_key"`
}

// TestPlainKeyLikeBoxed: a key read from the struct is written as
// idString and Format write the boxed value, and a type of its own (which
// may print itself otherwise) is left to them.
func TestPlainKeyLikeBoxed(t *testing.T) {
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "keys", Models: []any{keyInt64{}, keyInt32{}, keyText{}, keyNamed{}}}); err != nil {
		t.Fatal(err)
	}
	if err := reg.Ready(); err != nil {
		t.Fatal(err)
	}
	objs := []any{&keyInt64{ID: 1 << 40}, &keyInt64{ID: -7}, &keyInt32{ID: 255}, &keyText{Code: "a/b c"}, &keyText{}, &keyNamed{No: 9}}
	for _, obj := range objs {
		m, err := reg.ModelOf(obj)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := plainKey(m.PK, obj)
		if _, named := obj.(*keyNamed); named {
			if ok {
				t.Errorf("plainKey(%#v) = %q: a named key type is idString's", obj, got)
			}
			continue
		}
		if !ok {
			t.Fatalf("plainKey(%#v) refused a plain key", obj)
		}
		if want := idString(m.PKValue(obj)); got != want {
			t.Errorf("plainKey(%#v) = %q, idString = %q", obj, got, want)
		}
		if want := m.PK.Format(m.PK.Get(obj)); got != want {
			t.Errorf("plainKey(%#v) = %q, Format = %q", obj, got, want)
		}
	}
}
