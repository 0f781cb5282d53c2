package orm_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
)

// FuzzLookup feeds arbitrary lookup paths and values to a filter and an
// ordering. It must never panic; a bad name or value must be a typed
// error; and the value must never reach the SQL text: the statement for
// any value is the statement for any other (values are bound), except
// where the value decides the statement's shape (isnull, in, range, the
// words of a search, ASCII or not for SQLite's case folding).
func FuzzLookup(f *testing.F) {
	for _, s := range [][2]string{
		{"name__icontains", "go"}, {"publisher__name__istartswith", "A'; DROP TABLE x; --"},
		{"pubdate__year__gte", "2020"}, {"pages__in", "1,2,3"}, {"authors__name", "x"},
		{"publisher__book__rating__gt", "3.5"}, {"price__range", "1,2"}, {"pk", "1 OR 1=1"},
		{"name__regex", "^(a|b)"}, {"store__name__search", "corner shop"}, {"nope__x", "1"},
		{"publisher__isnull", "true"}, {"pubdate__week_day", "\x00"}, {"name", "\"quoted\""},
	} {
		f.Add(s[0], s[1])
	}
	db := testdb.Open(f, "sqlite", registry(f))
	ctx := context.Background()
	f.Fuzz(func(t *testing.T, path, value string) {
		q := orm.For[Book](db).Filter(orm.Q{path: value})
		sql, _, err := q.SQL()
		if err != nil {
			var fe *orm.FieldError
			var ve *orm.ValueError
			if !errors.As(err, &fe) && !errors.As(err, &ve) {
				t.Fatalf("Q{%q: %q}: untyped error %v", path, value, err)
			}
			return
		}
		shaped := strings.HasSuffix(path, "__isnull") || strings.HasSuffix(path, "__in") || strings.HasSuffix(path, "__range") ||
			strings.HasSuffix(path, "__search")
		if !shaped {
			// SQLite folds non-ASCII patterns with a function: compare
			// like with like.
			probe := "7"
			if strings.IndexFunc(value, func(r rune) bool { return r >= 0x80 }) >= 0 {
				probe = "é7"
			}
			other, _, err := orm.For[Book](db).Filter(orm.Q{path: probe}).SQL()
			if err == nil && other != sql {
				t.Fatalf("the value changed the statement:\n%s\n%s", sql, other)
			}
		}
		if _, err := q.Count(ctx); err != nil && !strings.HasSuffix(path, "regex") {
			var ve *orm.ValueError
			if !errors.As(err, &ve) {
				t.Fatalf("Q{%q: %q}: %v\n%s", path, value, err, sql)
			}
		}
		if _, _, err := orm.For[Book](db).OrderBy(path).SQL(); err != nil {
			var fe *orm.FieldError
			if !errors.As(err, &fe) {
				t.Fatalf("OrderBy(%q): untyped error %v", path, err)
			}
		}
	})
}
