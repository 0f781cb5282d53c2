package orm

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"net"
	"reflect"
	"regexp"
	"strconv"
	"strings"
)

// The database's errors fall in three kinds that callers answer
// differently: a value the database refused (IsDataError: a bad regular
// expression, a pattern too complex — the user's input, as an invalid
// lookup is), the database being out of reach (IsUnavailable: a refused or
// dropped connection, a deadline, a locked or read-only SQLite file — try
// again later), and everything else (a bug, a missing table). The drivers
// are recognised by the methods and messages of their errors, so the
// package still imports none.

// sqlStater is PostgreSQL's error (pgconn.PgError) and others that carry
// an SQLSTATE.
type sqlStater interface{ SQLState() string }

// coder is SQLite's error in modernc.org/sqlite, carrying its result code.
// github.com/ncruces/go-sqlite3's error carries it too, as a Code method
// of its own integer type; sqliteCode reads both.
type coder interface{ Code() int }

// sqliteCode returns the result code of the SQLite error in err's chain.
func sqliteCode(err error) (int, bool) {
	var c coder
	if errors.As(err, &c) {
		return c.Code(), true
	}
	for e := err; e != nil; e = errors.Unwrap(e) {
		if typeName(e) != "*sqlite3.Error" {
			continue
		}
		m := reflect.ValueOf(e).MethodByName("Code")
		if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
			continue
		}
		switch out := m.Call(nil)[0]; out.Kind() {
		case reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uint:
			return int(out.Uint()), true
		case reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64, reflect.Int:
			return int(out.Int()), true
		}
	}
	return 0, false
}

// mysqlNumber reads the error number MySQL's driver puts in its message:
// "Error 1139 (42000): ...".
var mysqlNumber = regexp.MustCompile(`^Error (\d+)(?: \(\w+\))?: `)

// IsDataError reports whether err is the database refusing a value a
// query was given: an invalid regular expression, a pattern too complex, a
// value out of range or of the wrong form. Such an error comes from user
// input, and a change list answers it as an invalid lookup.
func IsDataError(err error) bool {
	if err == nil {
		return false
	}
	var st sqlStater
	if errors.As(err, &st) {
		class := st.SQLState()
		// 22: data exception (2201B invalid regular expression, 22P02
		// invalid text, 22003 out of range); 54: a program limit exceeded
		// (a statement or pattern too complex).
		return strings.HasPrefix(class, "22") || strings.HasPrefix(class, "54")
	}
	if n, ok := mysqlErrorNumber(err); ok {
		switch {
		case n == 1139, n >= 3684 && n <= 3699: // regular expression errors
			return true
		case n == 1264, n == 1292, n == 1366, n == 1406, n == 3170: // out of range, bad value, too long, too much memory
			return true
		}
		return false
	}
	if code, ok := sqliteCode(err); ok && code&0xff == 1 {
		msg := err.Error()
		return strings.Contains(msg, "invalid regular expression") || strings.Contains(msg, "pattern too complex") ||
			strings.Contains(msg, "string or blob too big")
	}
	return false
}

func mysqlErrorNumber(err error) (int, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if t := strings.TrimPrefix(typeName(e), "*"); t == "mysql.MySQLError" {
			if m := mysqlNumber.FindStringSubmatch(e.Error()); m != nil {
				n, convErr := strconv.Atoi(m[1])
				return n, convErr == nil
			}
		}
	}
	return 0, false
}

// IsUnavailable reports whether err means the database could not be
// reached or did not answer in time — a refused or dropped connection, a
// server shutting down or full, a statement cut by its deadline, a SQLite
// file locked by another writer, read-only or unopenable — rather than a
// mistake of the query. Nothing the failed statement did was kept; the
// request may be tried again later.
func IsUnavailable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return true
	}
	// Before net.Error: an SQLite error of github.com/ncruces/go-sqlite3
	// has that interface's methods too.
	if code, ok := sqliteCode(err); ok {
		switch code & 0xff {
		case 5, 6, 8, 9, 10, 13, 14: // busy, locked, read-only, interrupted (by a deadline), I/O error, full, cannot open
			return true
		}
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	var st sqlStater
	if errors.As(err, &st) {
		switch state := st.SQLState(); {
		case strings.HasPrefix(state, "08"): // connection exception
			return true
		case state == "57P01", state == "57P02", state == "57P03", state == "57014", state == "53300", state == "53000":
			// shut down, crashed, cannot connect now, statement timeout,
			// too many connections, insufficient resources
			return true
		}
		return false
	}
	if n, ok := mysqlErrorNumber(err); ok {
		switch n {
		case 1040, 1053, 1205, 2002, 2003, 2006, 2013, 3024, 1927, 4031:
			// too many connections, shutdown, lock wait timeout, can't
			// connect, gone away, lost connection, max execution time,
			// connection killed, disconnected for inactivity
			return true
		}
		return false
	}
	msg := err.Error()
	return strings.Contains(msg, "driver: bad connection") || strings.Contains(msg, "connection refused") ||
		strings.Contains(msg, "invalid connection") || strings.Contains(msg, "broken pipe")
}

// typeName is the dynamic type of v as "%T" prints it.
func typeName(v any) string { return reflect.TypeOf(v).String() }
