package orm

import (
	"context"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// migrationsTable records what Migrate applied, one row per change.
const migrationsTable = "staffroom_migrations"

// schema is what a database holds now: tables, and each table's columns
// and index names.
type schema struct {
	tables  map[string]bool
	columns map[string]map[string]bool
	indexes map[string]map[string]bool
}

// change is one statement of a migration plan.
type change struct {
	app  string // the app label it belongs to
	what string // a description for the record, e.g. "create table bookstore_book"
	sql  string
}

// Migrate brings the database up to the registered models: it creates
// missing tables (many-to-many join tables included), indexes and foreign
// keys with Django's names, adds missing columns, and records each change
// in staffroom_migrations. What exists is left as it is, so a database made
// by Django is adopted unchanged. A change it cannot make safely — a new
// NOT NULL column without a default on a table that has rows, a column
// whose type would have to change, text that would have to get shorter —
// is refused with a message saying what to do by hand, and nothing is
// applied.
func (db *DB) Migrate(ctx context.Context) error { return db.MigrateReporting(ctx, nil) }

// MigrateReporting is Migrate telling report, when not nil, how many of
// the plan's statements have run, after each one: adding a column or an
// index to a big table takes a while.
func (db *DB) MigrateReporting(ctx context.Context, report func(done, total int)) error {
	plan, err := db.Plan(ctx)
	if err != nil {
		return err
	}
	if len(plan) == 0 {
		return nil
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		for i, c := range plan {
			if _, err := db.Exec(ctx, c.sql); err != nil {
				return fmt.Errorf("orm: migrate: %s: %w", c.sql, err)
			}
			if report != nil {
				report(i+1, len(plan))
			}
		}
		return db.record(ctx, plan)
	})
}

// Plan returns the statements Migrate would run now, without running them.
func (db *DB) Plan(ctx context.Context) ([]change, error) {
	s, err := db.readSchema(ctx)
	if err != nil {
		return nil, err
	}
	var plan, fks []change
	if !s.tables[migrationsTable] {
		plan = append(plan, change{"staffroom", "create table " + migrationsTable, db.migrationsDDL()})
	}
	for _, m := range db.reg.Models() {
		more, moreFKs, err := db.planModel(ctx, m, s)
		if err != nil {
			return nil, err
		}
		plan, fks = append(plan, more...), append(fks, moreFKs...)
	}
	return append(plan, fks...), nil
}

// MigrationSQL returns the statements Migrate would run on an empty
// database, for review.
func (db *DB) MigrationSQL() []string {
	empty := &schema{tables: map[string]bool{}, columns: map[string]map[string]bool{}, indexes: map[string]map[string]bool{}}
	var out, fks []string
	for _, m := range db.reg.Models() {
		plan, fkPlan, _ := db.planModel(context.Background(), m, empty)
		for _, c := range plan {
			out = append(out, c.sql)
		}
		for _, c := range fkPlan {
			fks = append(fks, c.sql)
		}
	}
	return append(out, fks...)
}

func (db *DB) planModel(ctx context.Context, m *Model, s *schema) (plan, fks []change, err error) {
	if m.IsProxy() {
		return nil, nil, nil // its concrete model's table is its
	}
	app := m.App.Label
	if !s.tables[m.Table] {
		plan = append(plan, change{app, "create table " + m.Table, db.createTableSQL(m)})
		for _, f := range m.columns {
			if f.IsForeignKey() && !db.dialect.InlineForeignKeys() {
				fks = append(fks, change{app, "add foreign key " + m.Table + "." + f.Column, db.foreignKeySQL(m.Table, f.Column, f.Target())})
			}
		}
	} else {
		if err := db.checkColumns(ctx, m); err != nil {
			return nil, nil, err
		}
		for _, f := range m.columns {
			if s.columns[m.Table][f.Column] {
				continue
			}
			c, err := db.addColumn(ctx, m, f)
			if err != nil {
				return nil, nil, err
			}
			plan = append(plan, c)
		}
	}
	for _, ix := range db.modelIndexes(m) {
		if !s.indexes[m.Table][ix.name] {
			plan = append(plan, change{app, "create index " + ix.name, db.indexSQL(m.Table, ix)})
		}
	}
	for _, f := range m.Fields {
		if f.Kind != KindManyToMany || f.ThroughModel != nil {
			continue
		}
		if !s.tables[f.Through] {
			plan = append(plan, change{app, "create table " + f.Through, db.joinTableSQL(f)})
			if !db.dialect.InlineForeignKeys() {
				fks = append(fks,
					change{app, "add foreign key " + f.Through + "." + f.ThroughFrom, db.foreignKeySQL(f.Through, f.ThroughFrom, f.Model.PK)},
					change{app, "add foreign key " + f.Through + "." + f.ThroughTo, db.foreignKeySQL(f.Through, f.ThroughTo, f.Related.PK)})
			}
		}
		for _, ix := range db.joinIndexes(f) {
			if !s.indexes[f.Through][ix.name] {
				plan = append(plan, change{app, "create index " + ix.name, db.indexSQL(f.Through, ix)})
			}
		}
	}
	return plan, fks, nil
}

// addColumn plans a new column on an existing table. A NOT NULL column
// needs a default unless the table is empty.
func (db *DB) addColumn(ctx context.Context, m *Model, f *Field) (change, error) {
	q := db.dialect.Quote
	def := q(f.Column) + " " + db.dialect.ColumnType(f)
	switch {
	case f.Null:
		def += " NULL"
	case f.HasDefault:
		v, ok := f.DefaultValue()
		if !ok {
			return change{}, fmt.Errorf("orm: migrate: %s.%s: the default is not a value of the field", m.Name, f.GoName)
		}
		def += " DEFAULT " + db.literal(f, v) + " NOT NULL"
	default:
		var n int64
		if err := db.conn(ctx).QueryRowContext(ctx, "SELECT COUNT(*) FROM "+q(m.Table)).Scan(&n); err != nil {
			return change{}, fmt.Errorf("orm: migrate: %w", err)
		}
		if n > 0 {
			return change{}, fmt.Errorf("orm: migrate: table %s has %d rows and no column %s, which %s.%s declares NOT NULL without a default; "+
				"give the field a default or the null option, or add the column by hand: ALTER TABLE %s ADD COLUMN %s NOT NULL DEFAULT <value>",
				m.Table, n, f.Column, m.Name, f.GoName, q(m.Table), def)
		}
		def += " NOT NULL"
	}
	if check := db.columnCheck(f); check != "" {
		def += " CHECK (" + check + ")"
	}
	if f.IsForeignKey() && db.dialect.InlineForeignKeys() {
		def += fmt.Sprintf(" REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED", q(f.Related.Table), q(f.Target().Column))
	}
	return change{m.App.Label, "add column " + m.Table + "." + f.Column, "ALTER TABLE " + q(m.Table) + " ADD COLUMN " + def}, nil
}

// literal renders a field's default as an SQL literal, for the one place
// values cannot be bound: a column default in DDL. The value comes from
// the model's declaration (its tag, or its Meta.Defaults function called
// once), never from a request, and is a value of the field's kind.
func (db *DB) literal(f *Field, v any) string {
	name := db.dialect.Name()
	switch x := db.dialect.ToDB(f, v).(type) {
	case string:
		if name == "mysql" {
			x = strings.ReplaceAll(x, `\`, `\\`)
		}
		return quoteSingle(x)
	case []byte:
		if name == "postgres" {
			return `'\x` + hex.EncodeToString(x) + "'"
		}
		return "X'" + hex.EncodeToString(x) + "'"
	case bool:
		return strings.ToUpper(strconv.FormatBool(x))
	case time.Time:
		return "'" + x.UTC().Format(DateTimeLayout) + "+00:00'"
	case time.Duration:
		return "'" + strconv.FormatInt(x.Microseconds(), 10) + " microseconds'"
	default:
		return fmt.Sprint(x)
	}
}

func (db *DB) createTableSQL(m *Model) string {
	cols := make([]string, 0, len(m.columns))
	for _, f := range m.columns {
		cols = append(cols, db.columnDef(f))
	}
	return fmt.Sprintf("CREATE TABLE %s (%s)%s", db.dialect.Quote(m.Table), strings.Join(cols, ", "), db.tableOptions())
}

func (db *DB) tableOptions() string {
	if db.dialect.Name() == "mysql" {
		return " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci"
	}
	return ""
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
		def += " " + db.dialect.AutoIncrement()
	case f.PrimaryKey:
		def += " PRIMARY KEY"
	case f.Unique:
		def += " UNIQUE"
	}
	if check := db.columnCheck(f); check != "" {
		def += " CHECK (" + check + ")"
	}
	if f.IsForeignKey() && db.dialect.InlineForeignKeys() {
		to := f.Target()
		if to == nil {
			to = f.Related.PK
		}
		def += fmt.Sprintf(" REFERENCES %s (%s) DEFERRABLE INITIALLY DEFERRED", q(f.Related.Table), q(to.Column))
	}
	return def
}

// columnCheck is the CHECK constraint Django puts on a column: ">= 0" for
// the positive integers, and on SQLite a JSON_VALID test for JSON text.
func (db *DB) columnCheck(f *Field) string {
	col := db.dialect.Quote(f.Column)
	switch {
	case f.Kind.IsPositive():
		return col + " >= 0"
	case f.Kind == KindJSON && db.dialect.Name() == "sqlite":
		return "(JSON_VALID(" + col + ") OR " + col + " IS NULL)"
	}
	return ""
}

func (db *DB) joinTableSQL(f *Field) string {
	q := db.dialect.Quote
	id := &Field{Name: "id", Column: "id", Kind: KindAuto, PrimaryKey: true}
	from := &Field{Column: f.ThroughFrom, Kind: KindForeignKey, Related: f.Model}
	to := &Field{Column: f.ThroughTo, Kind: KindForeignKey, Related: f.Related}
	return fmt.Sprintf("CREATE TABLE %s (%s, %s, %s)%s", q(f.Through), db.columnDef(id), db.columnDef(from), db.columnDef(to), db.tableOptions())
}

// foreignKeySQL adds a foreign key constraint from table.column to the
// field to (a primary key, or a foreign key's to_field).
func (db *DB) foreignKeySQL(table, column string, to *Field) string {
	q := db.dialect.Quote
	name := db.indexName(table, []string{column}, "_fk_"+to.Model.Table+"_"+to.Column)
	sql := fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s FOREIGN KEY (%s) REFERENCES %s (%s)",
		q(table), q(name), q(column), q(to.Model.Table), q(to.Column))
	if db.dialect.Name() == "postgres" {
		sql += " DEFERRABLE INITIALLY DEFERRED"
	}
	return sql
}

func (db *DB) migrationsDDL() string {
	q := db.dialect.Quote
	id := &Field{Column: "id", Kind: KindAuto, PrimaryKey: true}
	return fmt.Sprintf("CREATE TABLE %s (%s, %s varchar(255) NOT NULL, %s varchar(255) NOT NULL, %s %s NOT NULL)%s",
		q(migrationsTable), db.columnDef(id), q("app"), q("name"), q("applied"), db.dialect.ColumnType(&Field{Kind: KindDateTime}), db.tableOptions())
}

func (db *DB) record(ctx context.Context, plan []change) error {
	q, ph := db.dialect.Quote, db.dialect.Placeholder
	stmt := fmt.Sprintf("INSERT INTO %s (%s, %s, %s) VALUES (%s, %s, %s)", q(migrationsTable), q("app"), q("name"), q("applied"), ph(1), ph(2), ph(3))
	now := db.dialect.ToDB(&Field{Kind: KindDateTime}, time.Now().UTC())
	for _, c := range plan {
		name := c.what
		if len(name) > 255 {
			name = name[:255]
		}
		if _, err := db.Exec(ctx, stmt, c.app, name, now); err != nil {
			return fmt.Errorf("orm: migrate: record %s: %w", c.what, err)
		}
	}
	return nil
}

// readSchema reads the tables, columns and indexes the database has.
func (db *DB) readSchema(ctx context.Context) (*schema, error) {
	s := &schema{tables: map[string]bool{}, columns: map[string]map[string]bool{}, indexes: map[string]map[string]bool{}}
	tables, err := db.strings(ctx, db.dialect.TablesSQL())
	if err != nil {
		return nil, fmt.Errorf("orm: read schema: %w", err)
	}
	for _, t := range tables {
		s.tables[t] = true
	}
	for _, m := range db.reg.Models() {
		for _, t := range append([]string{m.Table}, joinTables(m)...) {
			if !s.tables[t] || s.columns[t] != nil {
				continue
			}
			s.columns[t], s.indexes[t] = map[string]bool{}, map[string]bool{}
			cols, err := db.strings(ctx, db.dialect.ColumnsSQL(), t)
			if err != nil {
				return nil, fmt.Errorf("orm: read schema of %s: %w", t, err)
			}
			for _, c := range cols {
				s.columns[t][c] = true
			}
			ixs, err := db.strings(ctx, db.dialect.IndexesSQL(), t)
			if err != nil {
				return nil, fmt.Errorf("orm: read schema of %s: %w", t, err)
			}
			for _, ix := range ixs {
				s.indexes[t][ix] = true
			}
		}
	}
	return s, nil
}

func joinTables(m *Model) []string {
	var out []string
	for _, f := range m.Fields {
		if f.Kind == KindManyToMany && f.ThroughModel == nil {
			out = append(out, f.Through)
		}
	}
	return out
}

func (db *DB) strings(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.QueryRaw(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// HasTable reports whether the database has a table with the given name.
func (db *DB) HasTable(ctx context.Context, table string) (bool, error) {
	tables, err := db.strings(ctx, db.dialect.TablesSQL())
	if err != nil {
		return false, fmt.Errorf("orm: has table %s: %w", table, err)
	}
	for _, t := range tables {
		if t == table {
			return true, nil
		}
	}
	return false, nil
}
