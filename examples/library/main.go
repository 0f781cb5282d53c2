// Command library serves the admin of a Django project's lending library
// on that project's own database, unchanged: Staffroom beside Django.
//
//	go run ./examples/library --database sqlite:PATH     # a copy of Django's db.sqlite3
//	go run ./examples/library migrate --database postgres://...   # a new database
//	go run ./examples/library loaddata library-fixture.json
//
// Sessions are Django's: give Django's SECRET_KEY as STAFFROOM_SECRET_KEY
// and a user logged in on Django is logged in here. The README's "Open your
// Django database" section walks through it.
package main

import (
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql" // the MySQL and MariaDB driver
	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/library/project"
	"github.com/staffroom/staffroom/orm/sqliteext" // the SQLite driver and its functions
)

func main() {
	if err := sqliteext.Register(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(staffroom.Main(project.Project()))
}
