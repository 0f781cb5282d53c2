package reviews

import "github.com/staffroom/staffroom/admin"

// Register adds the reviews to the admin site.
func Register(site *admin.Site) error {
	return site.Register(Review{}, &admin.ModelAdmin{
		ListDisplay:       []any{"reader", "book", "stars", "recommended", "created"},
		ListSelectRelated: []string{"book"},
		SearchFields:      []string{"reader", "book__name"},
		Ordering:          []string{"-created"},
	})
}
