package orm

import (
	"context"
	"fmt"
	"go/format"
	"io"
	"slices"
	"sort"
)

// ColumnInfo describes a column of an existing table, as a dialect reads
// it from the database's catalogue.
type ColumnInfo struct {
	Name string
	// Type is the column's type as the database gives it, such as
	// "varchar(300)", "numeric(10,2)" or "timestamp with time zone".
	Type string
	Null bool
	// PrimaryKey is set on the column that is the table's whole primary
	// key; a primary key of several columns sets it on none.
	PrimaryKey bool
	// JSON is set on a text column whose CHECK constraint requires valid
	// JSON, as Django makes a JSONField's column on SQLite.
	JSON bool
}

// IndexInfo describes an index of a table other than its primary key's.
type IndexInfo struct {
	Name    string
	Columns []string // in order; "" for an expression
	Desc    []bool   // per column: sorted descending
	Unique  bool
	// Where is the condition of a partial index, as the database keeps
	// its SQL, or "".
	Where string
}

// ForeignKeyInfo describes a foreign key of one column.
type ForeignKeyInfo struct {
	Column string
	Table  string // the table it points at
	// TargetColumn is the column it points at; "" means the target's
	// primary key.
	TargetColumn string
}

// TableInfo is what Inspect reads about a table.
type TableInfo struct {
	Name        string
	Columns     []ColumnInfo // in the table's order
	ForeignKeys []ForeignKeyInfo
	// Indexes are the table's indexes, unique ones included, where the
	// dialect reads them (SQLite does; PostgreSQL and MySQL leave them
	// out, and their models get no index options).
	Indexes []IndexInfo
}

// Introspector is implemented by dialects whose catalogue Inspect can
// read. The SQLite, Postgres and MySQL dialects implement it.
type Introspector interface {
	// DescribeTable reads the columns of a table of the current database
	// or schema, and its foreign keys of one column.
	DescribeTable(ctx context.Context, db *DB, table string) (*TableInfo, error)
}

// Inspect writes Go model structs for existing tables, Django's
// inspectdb: one struct per table (all the database's tables when none
// are named), with fields, Go types and orm tags from the columns, the
// primary key, foreign keys as orm.ForeignKey (on_delete=do_nothing, as
// Django writes them) and a Meta method naming the table. The output is a
// gofmt-formatted Go file of package models that compiles as it is; a
// foreign key to a table not inspected stays a plain column, with a
// comment saying where it points. A primary key "<parent>_ptr_id" that
// is a foreign key to the integer key of another inspected table, the
// key Django gives a multi-table child, embeds that table's struct as a
// parent link.
func (db *DB) Inspect(ctx context.Context, w io.Writer, tables ...string) error {
	in, ok := db.dialect.(Introspector)
	if !ok {
		return fmt.Errorf("orm: inspectdb: the %s dialect cannot read its catalogue", db.dialect.Name())
	}
	names, err := db.inspectedTables(ctx, tables)
	if err != nil {
		return err
	}
	infos := make([]*TableInfo, len(names))
	for i, name := range names {
		if infos[i], err = in.DescribeTable(ctx, db, name); err != nil {
			return fmt.Errorf("orm: inspectdb: %s: %w", name, err)
		}
	}
	facts, err := db.inspectFacts(ctx, in, infos)
	if err != nil {
		return err
	}
	src, err := format.Source(generateModels(infos, facts))
	if err != nil {
		return fmt.Errorf("orm: inspectdb: the generated code does not format: %w", err)
	}
	if _, err := w.Write(src); err != nil {
		return fmt.Errorf("orm: inspectdb: %w", err)
	}
	return nil
}

// inspectedTables returns the named tables, once each and checked to
// exist, or all the database's tables in name order.
func (db *DB) inspectedTables(ctx context.Context, tables []string) ([]string, error) {
	all, err := db.strings(ctx, db.dialect.TablesSQL())
	if err != nil {
		return nil, fmt.Errorf("orm: inspectdb: list tables: %w", err)
	}
	sort.Strings(all)
	if len(tables) == 0 {
		return all, nil
	}
	var out []string
	for _, t := range tables {
		if !slices.Contains(all, t) {
			return nil, fmt.Errorf("orm: inspectdb: no table %q", t)
		}
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out, nil
}

// singlePrimaryKey clears PrimaryKey on every column unless exactly one
// has it, for catalogues that mark each column of a composite key.
func singlePrimaryKey(cols []ColumnInfo) {
	n := 0
	for _, c := range cols {
		if c.PrimaryKey {
			n++
		}
	}
	if n > 1 {
		for i := range cols {
			cols[i].PrimaryKey = false
		}
	}
}
