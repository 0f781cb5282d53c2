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
	// Indexes are the table's indexes, unique ones included, but the
	// primary key's.
	Indexes []IndexInfo
}

// Introspector is implemented by dialects whose catalogue Inspect can
// read. The SQLite, Postgres and MySQL dialects implement it.
type Introspector interface {
	// DescribeTable reads the columns of a table of the current database
	// or schema, its foreign keys of one column and its indexes.
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
//
// Beyond the columns' types it reads what a Django database tells of its
// models. Unsigned integers are the positive integer kinds; a time column
// is a time.Time of type=time; a text column whose CHECK requires valid
// JSON (Django's JSONField on SQLite) is a JSON field. A char(32) column
// whose rows all hold 32 hex digits — read in full, and said in a comment
// on the field — is a uuid.UUID, as Django stores a UUIDField there, and
// the foreign keys to it are orm.ForeignKeyTo[T, uuid.UUID]; an empty
// table's stays a string. A foreign key to Django's auth_user or
// django_content_type, not inspected, points at auth.User or
// contenttype.ContentType. A unique index of one column makes its field unique, one of Django's
// db_index name db_index; the indexes of several columns become
// Meta.UniqueTogether and Meta.IndexTogether under the names Django
// gives those, Meta.Indexes under any other name, and a partial unique
// index (SQLite's and PostgreSQL's) a Meta.Constraints entry with its
// condition as an orm.Q, when the condition compares columns with
// constants in SQL the generator reads (SQLite keeps Migrate's text;
// PostgreSQL rewrites it, and such an index is left out with a comment);
// and a
// table of Django's many-to-many join shape (see genJoin) folds into a
// ManyToMany or ManyToManyTo field of its owner, the models of its
// app then being named without the app's prefix (library_book is Book)
// as the orm derives the join's columns from the models' names. Whether a
// self many-to-many is symmetrical the schema cannot say: a join table
// whose every row has its mirror is taken as symmetrical, Django's
// default, else symmetrical=false, with a comment saying so. Several
// relations to one model get related_names, as Django's inspectdb gives
// them. A bigint may be a Django DurationField; nothing tells, and it is
// an int64.
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
