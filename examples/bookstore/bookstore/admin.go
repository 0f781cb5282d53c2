package bookstore

import (
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// Register adds the bookstore's models to the admin site, with the options
// of the Django project this example mirrors (those built so far).
func Register(site *admin.Site) error {
	regs := []struct {
		model any
		admin admin.Admin
	}{
		// Each admin whose AutocompleteFields search another model's admin
		// comes after it (admin.E039): Publisher before Book, Book before
		// Author, whose inline searches books.
		{Publisher{}, &admin.ModelAdmin{ListDisplay: []any{"name"}, SearchFields: []string{"name"}}},
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
				{Name: "Details", Lines: [][]string{{"pages", "price", "rating"}, {"pubdate", "price_per_page"}}},
			},
			ReadonlyFields: []string{"price_per_page"},
		}},
		{Author{}, &admin.ModelAdmin{ListDisplay: []any{"name", "age"}, SearchFields: []string{"name"}, ListFilter: []any{"age"},
			Inlines: []admin.Inline{authorBooks()}}},
		{Store{}, &admin.ModelAdmin{RawIDFields: []string{"books"}}},
	}
	for _, r := range regs {
		if err := site.Register(r.model, r.admin); err != nil {
			return err
		}
	}
	return nil
}

// authorBooks edits an author's books on the author's page: an inline of
// the join table of Book.authors, Django's Book.authors.through, whose
// book is searched for rather than listed.
func authorBooks() admin.Inline {
	in := admin.Tabular(orm.Through{Model: &Book{}, Field: "authors"})
	in.VerboseName, in.VerboseNamePlural = "book", "books"
	in.AutocompleteFields = []string{"book"}
	extra := 1
	in.Extra = &extra
	return in
}

// bookTags is the books' generic inline of their tags, with one blank
// form.
func bookTags() *admin.GenericTabularInline {
	tags := admin.GenericTabular(TaggedItem{})
	one := 1
	tags.Extra = &one
	return tags
}
