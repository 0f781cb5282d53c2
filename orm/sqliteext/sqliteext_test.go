package sqliteext_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/orm/sqliteext"
)

// Note is a model for the lookups that go through the functions.
type Note struct {
	ID    int64
	Title string    `orm:"max_length=100"`
	At    time.Time `orm:"null"`
}

// open opens a fresh file database with the functions registered.
func open(t *testing.T) (*orm.DB, context.Context) {
	t.Helper()
	if err := sqliteext.Register(); err != nil {
		t.Fatal(err)
	}
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "notes", Models: []any{Note{}}}); err != nil {
		t.Fatal(err)
	}
	db, err := orm.Open("sqlite:"+filepath.Join(t.TempDir(), "t.sqlite3"), reg, orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	if err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, title := range []string{"ÉCOLE de Zoë", "école primaire", "Straße", "plain ascii", "2024-05-06T07:08:09Z"} {
		if err := db.Insert(ctx, &Note{Title: title}); err != nil {
			t.Fatal(err)
		}
	}
	return db, ctx
}

func titles(t *testing.T, ctx context.Context, q orm.QuerySet) string {
	t.Helper()
	got, err := orm.All[Note](ctx, q.OrderBy("id"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range got {
		out = append(out, n.Title)
	}
	return strings.Join(out, "|")
}

// The driver built in answers the lookups that need the registered
// functions: regex with Go's syntax, and case-insensitive matching that
// folds non-ASCII letters.
func TestFunctions(t *testing.T) {
	db, ctx := open(t)
	t.Logf("driver %s", sqliteext.Driver)
	if d, ok := db.Dialect().(orm.SQLite); !ok || !d.CaseFold {
		t.Fatalf("the dialect does not see the case-folding function: %#v", db.Dialect())
	}
	for _, c := range []struct {
		q    orm.Q
		want string
	}{
		{orm.Q{"title__regex": `^[ÉE]COLE\b`}, "ÉCOLE de Zoë"},
		{orm.Q{"title__iregex": `^école`}, "ÉCOLE de Zoë|école primaire"},
		{orm.Q{"title__regex": `\d{4}-\d\d`}, "2024-05-06T07:08:09Z"},
		{orm.Q{"title__icontains": "ÉCOLE"}, "ÉCOLE de Zoë|école primaire"},
		{orm.Q{"title__icontains": "ZOË"}, "ÉCOLE de Zoë"},
		{orm.Q{"title__iexact": "STRAßE"}, "Straße"},
		{orm.Q{"title__contains": "école"}, "école primaire"},
	} {
		if got := titles(t, ctx, orm.For[Note](db).Filter(c.q)); got != c.want {
			t.Errorf("%v = %q, want %q", c.q, got, c.want)
		}
	}
	_, err := orm.For[Note](db).Filter(orm.Q{"title__regex": "(("}).Count(ctx)
	if err == nil || !orm.IsDataError(err) || orm.IsUnavailable(err) {
		t.Errorf("a bad pattern: data %v, unavailable %v: %v", orm.IsDataError(err), orm.IsUnavailable(err), err)
	}
	var null any = "not null"
	if err := db.SQL().QueryRowContext(ctx, "SELECT NULL REGEXP 'a'").Scan(&null); err != nil || null != nil {
		t.Errorf("NULL REGEXP 'a' = %v, %v; want NULL", null, err)
	}
}

// Text that looks like a timestamp comes back as the same text, and a
// datetime column as the orm wrote it.
func TestTextStaysText(t *testing.T) {
	db, ctx := open(t)
	if got := titles(t, ctx, orm.For[Note](db).Filter(orm.Q{"title__startswith": "2024"})); got != "2024-05-06T07:08:09Z" {
		t.Errorf("timestamp-like text read back as %q", got)
	}
	at := time.Date(2021, 3, 4, 5, 6, 7, 890000000, time.UTC)
	n := &Note{Title: "dated", At: at}
	if err := db.Insert(ctx, n); err != nil {
		t.Fatal(err)
	}
	got, err := orm.Get[Note](ctx, orm.For[Note](db), orm.Q{"id": n.ID})
	if err != nil || !got.At.Equal(at) {
		t.Errorf("datetime read back as %v (%v), want %v", got.At, err, at)
	}
	var raw string
	if err := db.SQL().QueryRowContext(ctx, `SELECT typeof(at) || ' ' || at FROM notes_note WHERE id = ?`, n.ID).Scan(&raw); err != nil || raw != "text 2021-03-04 05:06:07.890000" {
		t.Errorf("stored as %q (%v)", raw, err)
	}
}

// FTS5, the JSON functions and the pragmas every connection gets.
func TestEngine(t *testing.T) {
	db, ctx := open(t)
	sqlDB := db.SQL()
	if _, err := sqlDB.ExecContext(ctx, `CREATE VIRTUAL TABLE docs USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')`); err != nil {
		t.Fatalf("FTS5: %v", err)
	}
	if _, err := sqlDB.ExecContext(ctx, `INSERT INTO docs(body) VALUES (?), (?), (?)`, "Zoë goes to school", "an orchard in spring", "schooling fish"); err != nil {
		t.Fatal(err)
	}
	var got []string
	rows, err := sqlDB.QueryContext(ctx, `SELECT body FROM docs WHERE docs MATCH ? ORDER BY rank`, "zoe OR schoo*")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		got = append(got, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	rows.Close()
	if len(got) != 2 || !strings.Contains(strings.Join(got, "|"), "Zoë goes to school") || !strings.Contains(strings.Join(got, "|"), "schooling fish") {
		t.Errorf("FTS5 MATCH gave %q", got)
	}

	var name string
	var n int64
	var each string
	err = sqlDB.QueryRowContext(ctx, `SELECT json_extract(?, '$.a.b'), ? ->> '$.n', (SELECT group_concat(value, ',') FROM json_each(?))`,
		`{"a": {"b": "ünï"}}`, `{"n": 42}`, `[1, "x", true]`).Scan(&name, &n, &each)
	if err != nil || name != "ünï" || n != 42 || each != "1,x,1" {
		t.Errorf("JSON: %q %d %q %v", name, n, each, err)
	}
	var obj string
	if err := sqlDB.QueryRowContext(ctx, `SELECT json_object('k', json_array(1, 2), 'v', ?)`, "é").Scan(&obj); err != nil || obj != `{"k":[1,2],"v":"é"}` {
		t.Errorf("json_object = %q, %v", obj, err)
	}

	var fk int
	var mode string
	if err := sqlDB.QueryRowContext(ctx, `SELECT foreign_keys FROM pragma_foreign_keys`).Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys = %d, %v", fk, err)
	}
	if err := sqlDB.QueryRowContext(ctx, `PRAGMA journal_mode`).Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
}
