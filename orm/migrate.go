package orm

import (
	"context"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"strings"
)

// Migrate creates every missing table and index of the registered models,
// many-to-many join tables included, with Django's names. Tables and
// indexes that exist are left as they are, so a database made by Django
// is adopted unchanged.
func (db *DB) Migrate(ctx context.Context) error {
	var stmts []string
	for _, m := range db.reg.Models() {
		stmts = append(stmts, db.createTable(m)...)
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		for _, s := range stmts {
			if _, err := db.Exec(ctx, s); err != nil {
				return fmt.Errorf("orm: migrate: %s: %w", s, err)
			}
		}
		return nil
	})
}

// MigrationSQL returns the statements Migrate would run on an empty
// database, for review.
func (db *DB) MigrationSQL() []string {
	var stmts []string
	for _, m := range db.reg.Models() {
		stmts = append(stmts, db.createTable(m)...)
	}
	return stmts
}

func (db *DB) createTable(m *Model) []string {
	q := db.dialect.Quote
	var cols []string
	var stmts []string
	for _, f := range m.columns {
		cols = append(cols, db.columnDef(f))
	}
	stmts = append(stmts, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s)", q(m.Table), strings.Join(cols, ", ")))
	for _, set := range m.Meta.UniqueTogether {
		var columns []string
		for _, name := range set {
			columns = append(columns, m.Field(name).Column)
		}
		stmts = append(stmts, db.createIndex(m.Table, columns, "_uniq", true))
	}
	for _, f := range m.columns {
		if (f.DBIndex || f.Kind == KindForeignKey) && !f.Unique && !f.PrimaryKey {
			stmts = append(stmts, db.createIndex(m.Table, []string{f.Column}, "", false))
		}
	}
	for _, f := range m.Fields {
		if f.Kind == KindManyToMany {
			stmts = append(stmts, db.createJoinTable(f)...)
		}
	}
	return stmts
}

func (db *DB) columnDef(f *Field) string {
	q := db.dialect.Quote
	def := q(f.Column) + " " + db.dialect.ColumnType(f)
	if f.Null {
		def += " NULL"
	} else {
		def += " NOT NULL"
	}
	switch {
	case f.PrimaryKey && f.IsAuto():
		def += " PRIMARY KEY AUTOINCREMENT"
	case f.PrimaryKey:
		def += " PRIMARY KEY"
	case f.Unique:
		def += " UNIQUE"
	}
	if f.Kind == KindForeignKey {
		def += fmt.Sprintf(" REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED", q(f.Related.Table), q(f.Related.PK.Column))
	}
	return def
}

func (db *DB) createJoinTable(f *Field) []string {
	q := db.dialect.Quote
	fromType := db.dialect.ColumnType(&Field{Kind: KindForeignKey, Related: f.Model})
	toType := db.dialect.ColumnType(&Field{Kind: KindForeignKey, Related: f.Related})
	table := fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (%s integer NOT NULL PRIMARY KEY AUTOINCREMENT, "+
		"%s %s NOT NULL REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED, "+
		"%s %s NOT NULL REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED)",
		q(f.Through), q("id"),
		q(f.ThroughFrom), fromType, q(f.Model.Table), q(f.Model.PK.Column),
		q(f.ThroughTo), toType, q(f.Related.Table), q(f.Related.PK.Column))
	return []string{
		table,
		db.createIndex(f.Through, []string{f.ThroughFrom, f.ThroughTo}, "_uniq", true),
		db.createIndex(f.Through, []string{f.ThroughFrom}, "", false),
		db.createIndex(f.Through, []string{f.ThroughTo}, "", false),
	}
}

func (db *DB) createIndex(table string, columns []string, suffix string, unique bool) string {
	q := db.dialect.Quote
	quoted := make([]string, len(columns))
	for i, c := range columns {
		quoted[i] = q(c)
	}
	kind := "INDEX"
	if unique {
		kind = "UNIQUE INDEX"
	}
	return fmt.Sprintf("CREATE %s IF NOT EXISTS %s ON %s (%s)", kind, q(IndexName(table, columns, suffix)), q(table), strings.Join(quoted, ", "))
}

// IndexName returns the name Django gives an index: the table, the columns
// and the first eight hex digits of an MD5 over them, plus a suffix such as
// "_uniq".
func IndexName(table string, columns []string, suffix string) string {
	h := md5.New()
	h.Write([]byte(table))
	for _, c := range columns {
		h.Write([]byte(c))
	}
	return table + "_" + strings.Join(columns, "_") + "_" + hex.EncodeToString(h.Sum(nil))[:8] + suffix
}

// HasTable reports whether the database has a table with the given name.
func (db *DB) HasTable(ctx context.Context, table string) (bool, error) {
	var n int
	q := "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = " + db.dialect.Placeholder(1)
	if err := db.conn(ctx).QueryRowContext(ctx, q, table).Scan(&n); err != nil {
		return false, fmt.Errorf("orm: has table %s: %w", table, err)
	}
	return n > 0, nil
}
