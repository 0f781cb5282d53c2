package bookstore

import "github.com/staffroom/staffroom/admin"

// Register adds the bookstore's models to the admin site, with the options
// of the Django project this example mirrors (those built so far).
func Register(site *admin.Site) error {
	regs := []struct {
		model any
		admin admin.Admin
	}{
		// Publisher and Author first: Book chooses them by searching
		// their admins (admin.E039).
		{Publisher{}, &admin.ModelAdmin{ListDisplay: []any{"name"}, SearchFields: []string{"name"}}},
		{Author{}, &admin.ModelAdmin{ListDisplay: []any{"name", "age"}, SearchFields: []string{"name"}, ListFilter: []any{"age"}}},
		{Book{}, &admin.ModelAdmin{
			Inlines:           []admin.Inline{bookTags()},
			ListDisplay:       []any{"name", "publisher", "pages", "price", "rating", "pubdate"},
			SearchFields:      []string{"name", "publisher__name"},
			SearchHelpText:    "Words of the title or of the publisher's name.",
			ListFilter:        []any{"publisher", "pubdate"},
			DateHierarchy:     "pubdate",
			Actions:           []admin.Action{exportCSV},
			ListSelectRelated: []string{"publisher"},
			Ordering:          []string{"-pubdate"},
			ListPerPage:       100,
			// Without it the publishers, more than a select lists, would
			// degrade to the same widget, and check would warn.
			AutocompleteFields: []string{"publisher"},
			// Django's fixture project's filter_horizontal: the authors,
			// more than a select lists, are searched for in its
			// "Available" box.
			FilterHorizontal: []string{"authors"},
			Fieldsets: []admin.Fieldset{
				{Lines: admin.Lines("name", "publisher", "authors")},
				{Name: "Details", Lines: [][]string{{"pages", "price", "rating"}, {"pubdate"}}},
			},
		}},
		{Store{}, &admin.ModelAdmin{RawIDFields: []string{"books"}}},
	}
	for _, r := range regs {
		if err := site.Register(r.model, r.admin); err != nil {
			return err
		}
	}
	return nil
}

// bookTags is the books' generic inline of their tags, with one blank
// form.
func bookTags() *admin.GenericTabularInline {
	tags := admin.GenericTabular(TaggedItem{})
	one := 1
	tags.Extra = &one
	return tags
}
