// Package project wires the lending library into a Staffroom project, for
// the example's main and its tests.
package project

import (
	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/examples/library/library"
	"github.com/staffroom/staffroom/orm"
)

// Project returns the example project: Django's settings as the library's
// Django project has them (TIME_ZONE Europe/Paris with USE_TZ, Django
// 3.2's password hashers).
func Project() staffroom.Project {
	return staffroom.Project{
		Name:            "library",
		Apps:            []orm.AppConfig{library.App()},
		DefaultDatabase: "sqlite:library.sqlite3",
		TimeZone:        library.Paris,
		PasswordHashers: django32Hashers(),
		Site: admin.SiteOptions{
			SiteHeader: "Library administration",
			SiteTitle:  "Library admin",
		},
		Admin: library.Register,
	}
}

// django32Hashers are Django 3.2's PASSWORD_HASHERS, the Django project's:
// a login on either side keeps the hash the other side wrote (260,000
// PBKDF2 iterations), so neither logs the user out of the other.
func django32Hashers() auth.PasswordHashers {
	h, err := auth.DjangoHashers("3.2")
	if err != nil {
		panic("library: " + err.Error()) // a release auth knows: never
	}
	return h
}
