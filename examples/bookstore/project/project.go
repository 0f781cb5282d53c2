// Package project wires the example's apps into a Staffroom project, for
// the example's main and its tests.
package project

import (
	"context"

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/examples/bookstore/bookstore"
	"github.com/staffroom/staffroom/examples/bookstore/polls"
	"github.com/staffroom/staffroom/examples/bookstore/reviews"
	"github.com/staffroom/staffroom/orm"
)

// Project returns the example project.
func Project() staffroom.Project {
	return staffroom.Project{
		Name:            "bookstore",
		Apps:            []orm.AppConfig{bookstore.App(), polls.App(), reviews.App()},
		DefaultDatabase: "sqlite:bookstore.sqlite3",
		Site: admin.SiteOptions{
			SiteHeader: "Bookstore administration",
			SiteTitle:  "Bookstore admin",
		},
		Admin: func(site *admin.Site) error {
			if err := bookstore.Register(site); err != nil {
				return err
			}
			if err := polls.Register(site); err != nil {
				return err
			}
			if err := reviews.Register(site); err != nil {
				return err
			}
			return registerSessions(site)
		},
		Seed: func(ctx context.Context, db *orm.DB, opts staffroom.SeedOptions) error {
			if err := bookstore.Seed(ctx, db, opts.Books, opts.Progress); err != nil {
				return err
			}
			if err := polls.Seed(ctx, db); err != nil {
				return err
			}
			return reviews.Seed(ctx, db)
		},
	}
}
