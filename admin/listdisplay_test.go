package admin_test

import (
	"html/template"
	"strings"
	"testing"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// displayAdmin shows list_display's kinds of entries with Django's
// display options.
type displayAdmin struct{ admin.ModelAdmin }

// Initials is an admin method shown as a column.
func (a *displayAdmin) Initials(n *Note) string { return strings.ToUpper(n.Title[:1]) }

// Marked is an admin method returning markup marked safe.
func (a *displayAdmin) Marked(n *Note) template.HTML {
	return template.HTML("<em>" + template.HTMLEscapeString(n.Title) + "</em>")
}

// Raw is an admin method returning text, escaped whatever it holds.
func (a *displayAdmin) Raw(n *Note) string { return "<b>" + n.Title + "</b>" }

func TestListDisplayOptions(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		cfg := staffroom.Config{Database: testdb.URL(t, d), Site: admin.SiteOptions{EmptyValueDisplay: "(empty)"}}
		app, c := newSiteWith(t, cfg, func(s *admin.Site) error {
			if err := s.Register(Shelf{}, &admin.ModelAdmin{ListDisplay: []any{"name"}}); err != nil {
				return err
			}
			return s.Register(Note{}, &displayAdmin{admin.ModelAdmin{
				ListDisplay: []any{
					admin.Display("title", admin.Description("Heading"), admin.Ordering("-body")),
					admin.Display("loud", admin.Description("Shout"), admin.Ordering("title")),
					"initials", "marked", "raw", "body",
					admin.Display("shelf", admin.EmptyValue("(no shelf)")),
					admin.Column("Shelf name", func(n *Note) string {
						if s, ok := n.Shelf.Get(); ok {
							return s.Name
						}
						return ""
					}, admin.Ordering("shelf__name")),
					admin.Column("Maybe", func(n *Note) *bool {
						if n.Title == "unknown" {
							return nil
						}
						return &n.Done
					}, admin.Boolean()),
				},
				ListDisplayLinks: []string{},
			}})
		})
		f := &fixture{t: t, app: app, root: c}
		a, b := &Shelf{Name: "A shelf"}, &Shelf{Name: "B shelf"}
		f.insert(a, b)
		f.insert(&Note{Title: "unknown", Body: "zz", Shelf: ormFK(b.ID)}, &Note{Title: "done", Done: true, Shelf: ormFK(a.ID)},
			&Note{Title: "<script>"})
		// Column 0 is the action checkboxes': the first of ours is 1.
		list := c.Get("/admin/notes/note/?o=1")
		expectStatus(t, list, 200)
		if got := list.Text("#result_list thead th"); got != "Heading Shout Initials Marked Raw Body Shelf Shelf name Maybe" {
			t.Errorf("headers %q", got)
		}
		if got := list.Text("#result_list tbody th"); got != "unknown <script> done" {
			t.Errorf("sorted by the Display ordering -body: %q", got)
		}
		if list.Find("#result_list tbody a").Length() != 0 {
			t.Error("ListDisplayLinks empty must link no column")
		}
		if list.Find("th.column-title.sortable").Length() != 1 || list.Find("th.column-loud.sortable").Length() != 1 {
			t.Error("Display columns with an ordering are not sortable")
		}
		if got := c.Get("/admin/notes/note/?o=2").Text("#result_list tbody th"); got != "<script> done unknown" {
			t.Errorf("sorted by the method's Ordering (title): %q", got)
		}
		// (Where NULL sorts differs between databases; the two shelves do not.)
		if got := c.Get("/admin/notes/note/?o=-8").Text("td.field-Shelf-name"); !strings.Contains(got, "B shelf A shelf") {
			t.Errorf("sorted by a related path, descending: %q", got)
		}
		row := func(title string) string { return "#result_list tbody tr:has(th:contains('" + title + "'))" }
		if alt, _ := list.Find(row("unknown") + " td.field-Maybe img").Attr("alt"); alt != "None" {
			t.Errorf("an unknown boolean: alt %q", alt)
		}
		if alt, _ := list.Find(row("done") + " td.field-Maybe img").Attr("alt"); alt != "True" {
			t.Errorf("a true boolean: alt %q", alt)
		}
		if got := list.Text(row("<script>") + " td.field-shelf"); got != "(no shelf)" {
			t.Errorf("a field's empty value: %q", got)
		}
		if got := list.Text(row("done") + " td.field-body"); got != "(empty)" {
			t.Errorf("the site's empty value: %q", got)
		}
		if got := list.Text(row("done") + " td.field-initials"); got != "D" {
			t.Errorf("an admin method: %q", got)
		}
		if list.Find(row("done")+" td.field-marked em").Length() != 1 {
			t.Error("a method's template.HTML is not shown as markup")
		}
		if !strings.Contains(list.Body, "&lt;b&gt;&lt;script&gt;&lt;/b&gt;") || strings.Contains(list.Body, "<b><script>") {
			t.Error("a method's text is not escaped")
		}
	})
}

// ormFK points a note at a shelf.
func ormFK(id int64) orm.ForeignKey[Shelf] { return orm.FK[Shelf](id) }

// A change-list page costs the same number of queries whatever its size:
// foreign keys shown are joined, never fetched row by row.
func TestChangeListQueryCount(t *testing.T) {
	eachDialect(t, func(t *testing.T, d string) {
		counts := map[int]int64{}
		for _, perPage := range []int{5, 50} {
			app, c := newSiteWith(t, staffroom.Config{Database: testdb.URL(t, d)}, func(s *admin.Site) error {
				if err := s.Register(Shelf{}, nil); err != nil {
					return err
				}
				return s.Register(Note{}, &admin.ModelAdmin{ListDisplay: []any{"title", "shelf", "done"}, ListPerPage: perPage,
					SearchFields: []string{"title", "shelf__name"}})
			})
			f := &fixture{t: t, app: app, root: c}
			for i := range 60 {
				shelf := &Shelf{Name: "shelf " + key(int64(i))}
				f.insert(shelf, &Note{Title: "note " + key(int64(i)), Shelf: ormFK(shelf.ID)})
			}
			counted, n := countingClient(t, app, c)
			page := counted.Get("/admin/notes/note/?q=note")
			expectStatus(t, page, 200)
			if rows := page.Find("#result_list tbody tr").Length(); rows != perPage {
				t.Fatalf("%d rows on a page of %d", rows, perPage)
			}
			counts[perPage] = n.Count()
		}
		if counts[5] != counts[50] {
			t.Errorf("queries per page: %d for 5 rows, %d for 50", counts[5], counts[50])
		}
		t.Logf("%d queries per change-list page", counts[50])
	})
}
