package bookstore

import "github.com/staffroom/staffroom/admin"

// Register adds the bookstore's models to the admin site, with the options
// of the Django project this example mirrors (those built so far).
func Register(site *admin.Site) error {
	regs := []struct {
		model any
		admin admin.Admin
	}{
		{Book{}, &admin.ModelAdmin{
			ListDisplay:       []any{"name", "publisher", "pages", "price", "rating", "pubdate"},
			SearchFields:      []string{"name", "publisher__name"},
			SearchHelpText:    "Words of the title or of the publisher's name.",
			ListFilter:        []any{"publisher", "pubdate"},
			DateHierarchy:     "pubdate",
			Actions:           []admin.Action{exportCSV},
			ListSelectRelated: []string{"publisher"},
			Ordering:          []string{"-pubdate"},
			ListPerPage:       100,
			Fieldsets: []admin.Fieldset{
				{Lines: admin.Lines("name", "publisher", "authors")},
				{Name: "Details", Lines: [][]string{{"pages", "price", "rating"}, {"pubdate"}}},
			},
		}},
		{Publisher{}, &admin.ModelAdmin{ListDisplay: []any{"name"}, SearchFields: []string{"name"}}},
		{Author{}, &admin.ModelAdmin{ListDisplay: []any{"name", "age"}, SearchFields: []string{"name"}, ListFilter: []any{"age"}}},
		{Store{}, &admin.ModelAdmin{}},
	}
	for _, r := range regs {
		if err := site.Register(r.model, r.admin); err != nil {
			return err
		}
	}
	return nil
}
