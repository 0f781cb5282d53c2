package admin_test

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/orm"
)

// The models of the examples.

type Author struct {
	ID   int64
	Name string `orm:"max_length=100"`
	Age  int32
}

func (a *Author) String() string { return a.Name }

type Book struct {
	ID      int64
	Title   string    `orm:"max_length=200"`
	Pubdate time.Time `orm:"type=date"`
	Author  orm.ForeignKey[Author]
}

func (b *Book) String() string { return b.Title }

func ExampleSite_Register() {
	project := staffroom.Project{
		Name: "shop",
		Apps: []orm.AppConfig{{Name: "catalog", Models: []any{Author{}, Book{}}}},
		Admin: func(site *admin.Site) error {
			if err := site.Register(Author{}, nil); err != nil { // the defaults
				return err
			}
			return site.Register(Book{}, &admin.ModelAdmin{
				ListDisplay:  []any{"title", "author", "pubdate"},
				SearchFields: []string{"title", "^author__name"},
				Ordering:     []string{"-pubdate"},
				Fieldsets: []admin.Fieldset{
					{Lines: [][]string{{"title"}, {"author", "pubdate"}}},
				},
			})
		},
		DefaultDatabase: "sqlite:shop.sqlite3",
	}
	os.Exit(staffroom.Main(project))
}

// AuthorAdmin extends the search: a number finds the authors of that age.
type AuthorAdmin struct{ admin.ModelAdmin }

// GetSearchResults overrides Django's get_search_results and calls the
// embedded ModelAdmin's for super(). Every page that searches calls it,
// since the site always calls through the registered value.
func (a *AuthorAdmin) GetSearchResults(r *http.Request, qs orm.QuerySet, term string) (orm.QuerySet, bool, error) {
	found, dup, err := a.ModelAdmin.GetSearchResults(r, qs, term)
	if age, convErr := strconv.Atoi(term); convErr == nil && err == nil {
		found = found.Or(orm.Q{"age": age})
	}
	return found, dup, err
}

func ExampleModelAdmin_GetSearchResults() {
	register := func(site *admin.Site) error {
		return site.Register(Author{}, &AuthorAdmin{admin.ModelAdmin{SearchFields: []string{"name"}}})
	}
	_ = register // passed as staffroom.Project.Admin
}

func ExampleSite_AddView() {
	register := func(site *admin.Site) error {
		// A page of the project's own at /admin/stats/, for staff only,
		// reversed as "admin:stats".
		return site.AddView(admin.View{
			Path: "stats/",
			Name: "stats",
			Handler: func(w http.ResponseWriter, r *http.Request) error {
				n, err := orm.For[Book](site.DB()).Count(r.Context())
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%d books\n", n)
				return nil
			},
		})
	}
	_ = register // passed as staffroom.Project.Admin
}
