package reviews

import (
	"fmt"
	"net/http"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// Register adds the reviews to the admin site: filters by rating (a
// choice field), by recommendation (yes, no or not said) and, written in
// Go, by the length of the text. The form offers the rating as radio
// buttons in a row.
func Register(site *admin.Site) error {
	return site.Register(Review{}, &admin.ModelAdmin{
		ListDisplay:       []any{"reader", "book", "stars", "recommended", "created"},
		ListFilter:        []any{"stars", "recommended", lengthFilter},
		ListEditable:      []string{"stars", "recommended"},
		ListSelectRelated: []string{"book"},
		SearchFields:      []string{"reader", "book__name"},
		Ordering:          []string{"-created"},
		RadioFields:       map[string]admin.RadioLayout{"stars": admin.Horizontal},
	})
}

// lengthFilter sorts reviews by how much the reader wrote.
var lengthFilter = &admin.SimpleListFilter{
	Title:         "length",
	ParameterName: "length",
	Lookups: func(r *http.Request, ma admin.Admin) [][2]string {
		return [][2]string{{"none", "No text"}, {"short", "A line"}, {"long", "Longer"}}
	},
	Queryset: func(r *http.Request, qs orm.QuerySet, v string) (orm.QuerySet, error) {
		switch v {
		case "none":
			return qs.Filter(orm.Q{"text": ""}), nil
		case "short":
			return qs.Exclude(orm.Q{"text": ""}).Exclude(orm.Q{"text__regex": ".{40}"}), nil
		case "long":
			return qs.Filter(orm.Q{"text__regex": ".{40}"}), nil
		}
		return qs, fmt.Errorf("unknown length %q", v)
	},
}
