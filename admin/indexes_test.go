package admin_test

import (
	"context"
	"slices"
	"testing"
)

// TestIndexAdvice: the column a change list sorts by, without an index,
// is advised, warned of by check (staffroom.W003), and created by
// CreateAdviceIndexes; then nothing is left to advise.
func TestIndexAdvice(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, registerShop(volumeAdmin())) // Ordering: title
		ctx := context.Background()
		advice, err := f.app.Site.IndexAdvice(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range advice {
			got = append(got, a.Model.Label()+"."+a.Field.Name+" "+a.Option)
		}
		if !slices.Contains(got, "shop.Volume.title Ordering") || len(got) != 1 {
			t.Fatalf("advice %q", got)
		}
		warned := false
		for _, m := range f.app.Site.Check() {
			if m.ID == "staffroom.W003" && m.Model == "shop.Volume" && m.Option == "Ordering" {
				warned = true
			}
		}
		if !warned {
			t.Error("check does not warn of the missing index")
		}
		made, err := f.app.Site.CreateAdviceIndexes(ctx)
		if err != nil || len(made) != 1 {
			t.Fatalf("created %v, %v", made, err)
		}
		if advice, err := f.app.Site.IndexAdvice(ctx); err != nil || len(advice) != 0 {
			t.Errorf("advice after creating the index: %v %v", advice, err)
		}
		for _, m := range f.app.Site.Check() {
			if m.ID == "staffroom.W003" {
				t.Errorf("check still warns: %s", m)
			}
		}
	})
}
