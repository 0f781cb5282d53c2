package library

import "github.com/staffroom/staffroom/admin"

// Register adds the library's models to the admin site, with the options
// of the Django project's admin.py.
func Register(site *admin.Site) error {
	for _, m := range []any{Country{}, Branch{}, OpeningHours{}, Author{}, Publisher{}, Item{}, Book{}, DVD{},
		Member{}, Loan{}, OverdueLoan{}, Reservation{}, Note{}} {
		if err := site.Register(m, &admin.ModelAdmin{}); err != nil {
			return err
		}
	}
	return nil
}
