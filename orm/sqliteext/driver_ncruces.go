//go:build ncruces

package sqliteext

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"net/url"
	"strings"

	"github.com/ncruces/go-sqlite3"
	ncdriver "github.com/ncruces/go-sqlite3/driver"
	"github.com/ncruces/go-sqlite3/ext/fts5"

	"github.com/staffroom/staffroom/orm"
)

// Driver is the module of the SQLite driver this program is built with.
const Driver = "github.com/ncruces/go-sqlite3"

// timeFormat is how the driver writes a time.Time bound as is (the orm
// formats its own values as text first), and the only layout it turns
// text back into a time.Time with. It is modernc.org/sqlite's: the
// driver's default (RFC 3339) would also read back as a time.Time any text
// column that happens to hold such a timestamp.
const timeFormat = "2006-01-02 15:04:05.999999999-07:00"

func init() {
	// FTS5 is a separate module in this driver: every connection gets it,
	// as modernc.org/sqlite has it built in.
	sqlite3.AutoExtension(fts5.Register)
	sql.Register("sqlite", sqliteDriver{})
}

// sqliteDriver is the ncruces driver with this package's time format.
type sqliteDriver struct{}

// Open implements driver.Driver.
func (d sqliteDriver) Open(name string) (driver.Conn, error) {
	c, err := d.OpenConnector(name)
	if err != nil {
		return nil, err
	}
	return c.Connect(context.Background())
}

// OpenConnector implements driver.DriverContext.
func (sqliteDriver) OpenConnector(name string) (driver.Connector, error) {
	return (&ncdriver.SQLite{}).OpenConnector(withTimeFormat(name))
}

// withTimeFormat adds the time format to a "file:" name that sets none.
func withTimeFormat(name string) string {
	if !strings.HasPrefix(name, "file:") || strings.Contains(name, "_timefmt=") {
		return name
	}
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	return name + sep + "_timefmt=" + url.QueryEscape(timeFormat)
}

func registerFunctions() error {
	sqlite3.AutoExtension(func(c *sqlite3.Conn) error {
		if err := c.CreateFunction("regexp", 2, sqlite3.DETERMINISTIC|sqlite3.INNOCUOUS, regexpFunc); err != nil {
			return err
		}
		return c.CreateFunction(orm.CaseFoldFunction, 1, sqlite3.DETERMINISTIC|sqlite3.INNOCUOUS, casefold)
	})
	return nil
}

// regexpFunc is SQLite's "X REGEXP Y", called as regexp(Y, X).
func regexpFunc(ctx sqlite3.Context, args ...sqlite3.Value) {
	if args[0].Type() == sqlite3.NULL || args[1].Type() == sqlite3.NULL {
		ctx.ResultNull()
		return
	}
	ok, err := matches(args[0].Text(), args[1].Text())
	if err != nil {
		ctx.ResultError(err)
		return
	}
	ctx.ResultBool(ok)
}

func casefold(ctx sqlite3.Context, args ...sqlite3.Value) {
	if args[0].Type() == sqlite3.NULL {
		ctx.ResultNull()
		return
	}
	ctx.ResultText(fold(args[0].Text()))
}
