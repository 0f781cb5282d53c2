// Command bookstore is Staffroom's example: the admin for a bookstore and
// a polls app on SQLite (or the database named by --database or
// DATABASE_URL).
//
//	go run ./examples/bookstore            # serve on http://127.0.0.1:8000/admin/
//	go run ./examples/bookstore seed --books 100000
package main

import (
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql" // the MySQL and MariaDB driver
	_ "github.com/jackc/pgx/v5/stdlib" // the PostgreSQL driver

	"github.com/staffroom/staffroom"
	"github.com/staffroom/staffroom/examples/bookstore/project"
	"github.com/staffroom/staffroom/orm/sqliteext" // the SQLite driver and its functions
)

func main() {
	if err := sqliteext.Register(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(staffroom.Main(project.Project()))
}
