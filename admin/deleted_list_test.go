package admin_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// TestDeletePageCapsTheList: a big cascade (a publisher's 300 volumes,
// each with a chapter) lists at most DeletedObjectsMax objects of a kind,
// then "and N more"; the summary still counts every object. The chapters
// of the volumes left out are neither listed nor mentioned.
func TestDeletePageCapsTheList(t *testing.T) {
	eachDialect(t, func(t *testing.T, dialect string) {
		f := newShop(t, dialect, func(s *admin.Site) error {
			if err := s.Register(Publisher{}, &admin.ModelAdmin{DeletedObjectsMax: 10}); err != nil {
				return err
			}
			if err := s.Register(Volume{}, nil); err != nil {
				return err
			}
			return s.Register(Chapter{}, nil)
		})
		ctx := context.Background()
		pub := &Publisher{Number: 7, Name: "Big House"}
		f.insert(pub)
		const n = 300
		vols := make([]any, n)
		for i := range vols {
			vols[i] = &Volume{Title: fmt.Sprintf("Volume %03d", i), Publisher: orm.FK[Publisher](7)}
		}
		if err := f.app.DB.BulkCreate(ctx, vols, 100); err != nil {
			t.Fatal(err)
		}
		ids, err := orm.For[Volume](f.app.DB).Values("id").OrderBy("id").Tuples(ctx)
		if err != nil {
			t.Fatal(err)
		}
		chapters := make([]any, 0, n)
		for _, row := range ids {
			chapters = append(chapters, &Chapter{Title: "Chapter", Volume: orm.FK[Volume](toInt64(t, row[0]))})
		}
		if err := f.app.DB.BulkCreate(ctx, chapters, 100); err != nil {
			t.Fatal(err)
		}

		page := f.root.Get("/admin/shop/publisher/" + key(pub.ID) + "/delete/")
		expectStatus(t, page, 200)
		var summary []string
		page.Find("#content h2:contains('Summary') + ul li").Each(func(_ int, s *goquery.Selection) { summary = append(summary, s.Text()) })
		if got := strings.Join(summary, "|"); got != "Publishers: 1|Volumes: 300|Chapters: 300" {
			t.Errorf("summary %q", got)
		}
		root := page.Find("#content h2:contains('Objects') + ul > li")
		volumes := root.Children().Filter("ul").Children().Filter("li")
		if volumes.Length() != 11 {
			t.Fatalf("%d lines under the publisher, want 10 volumes and one more line", volumes.Length())
		}
		if got := words(volumes.Last().Text()); got != "and 290 more volumes" {
			t.Errorf("last line %q", got)
		}
		if got := page.Find("#content a[href*='/shop/chapter/']").Length(); got != 10 {
			t.Errorf("%d chapters listed, want 10", got)
		}
		if got := page.Find("#content a[href*='/shop/volume/']").Length(); got != 10 {
			t.Errorf("%d volumes linked, want 10", got)
		}
	})
}

// toInt64 reads a key a driver returned.
func toInt64(t *testing.T, v any) int64 {
	t.Helper()
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case int:
		return int64(x)
	case uint64:
		return int64(x)
	case []byte:
		var n int64
		fmt.Sscan(string(x), &n)
		return n
	}
	t.Fatalf("key %T %v", v, v)
	return 0
}
