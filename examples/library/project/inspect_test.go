package project_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/examples/library/internal/modeldesc"
	"github.com/staffroom/staffroom/examples/library/library"
	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	_ "github.com/staffroom/staffroom/orm/sqliteext"
)

// TestInspectDjangoLibrary runs inspectdb over the library's tables of the
// Django project's database, builds the models it writes in a program
// of their own (which registers them and prints their description), and
// compares them with the hand-written models of package library.
//
// They match when, for every table, the same tables have models and:
//   - the same concrete fields by column, each with the same orm.Kind,
//     Null, Unique, PrimaryKey, MaxLength and parent link, and a foreign
//     key the same related table and column;
//   - MaxDigits and Places where the column's type gives them ("decimal"
//     on SQLite does not: inspectdb guesses 10 and 5, as Django's does);
//   - the same many-to-many fields by join table: name, related table,
//     the join table's two columns and whether the relation is
//     symmetrical (the schema cannot tell that: inspectdb reads it from
//     the rows of a self join table, each row with its mirror or not);
//   - the same Meta: UniqueTogether, IndexTogether, Indexes with their
//     names and directions, and Constraints with their conditions.
//
// Left out, because the schema cannot tell them: choices, verbose names
// and help texts, defaults, blank, editable, related_name, on_delete,
// ordering, String methods, Meta.Ordering, VerboseName(Plural),
// Defaults and Choices, DefaultFilter, proxy models (OverdueLoan), the
// annotation fields (Country.BranchCount, Author.BookCount,
// Item.BookRows and DVDRows, Member.LoansOut), GenericRelation (Notes on
// Item, Member, Loan) and GenericForeignKey (Note.ContentObject), which
// have no column. Kinds that share a column type are compared as that
// type's kind: SlugField, EmailField and URLField as CharField (all
// varchar), DurationField as BigIntegerField (Django stores a duration
// as a bigint of microseconds on SQLite). Go type names and the names of
// concrete fields are not compared (the tables and columns are what must
// match); a many-to-many's name is, as the orm names its join table by it.
func TestInspectDjangoLibrary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	hand := handWritten(t)
	var tables []string
	for table, m := range hand {
		tables = append(tables, table)
		for join := range m.ManyToMany {
			tables = append(tables, join)
		}
	}
	sort.Strings(tables)

	path := testdb.CopyFixture(t, "library-django.sqlite3")
	db, err := orm.Open("sqlite:"+path, orm.NewRegistry(), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var src bytes.Buffer
	if err := db.Inspect(context.Background(), &src, tables...); err != nil {
		t.Fatal(err)
	}
	decimals := decimalTypes(t, db, tables)
	gen := runInspectedLibrary(t, gobin, src.Bytes(), tables)

	var gotTables, wantTables []string
	for table := range gen {
		gotTables = append(gotTables, table)
	}
	for table := range hand {
		wantTables = append(wantTables, table)
	}
	sort.Strings(gotTables)
	sort.Strings(wantTables)
	if !slices.Equal(gotTables, wantTables) {
		t.Errorf("inspectdb's models have the tables %v, want %v", gotTables, wantTables)
	}
	for _, table := range wantTables {
		if g, ok := gen[table]; ok {
			for _, d := range compareModels(table, normalize(g, table, decimals), normalize(hand[table], table, decimals)) {
				t.Error(d)
			}
		}
	}
	if t.Failed() {
		t.Logf("inspectdb wrote:\n%s", src.Bytes())
	}
}

// handWritten describes the library's hand-written models.
func handWritten(t *testing.T) map[string]modeldesc.Model {
	t.Helper()
	r := orm.NewRegistry()
	for _, app := range []orm.AppConfig{contenttype.App(), auth.App(), library.App()} {
		if _, err := r.Register(app); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Ready(); err != nil {
		t.Fatal(err)
	}
	var tables []string
	for _, m := range r.App("library").Models {
		tables = append(tables, m.Table)
	}
	d, err := modeldesc.Describe(r, tables)
	if err != nil {
		t.Fatal(err)
	}
	if len(d) < 12 {
		t.Fatalf("the library's models: %v", d)
	}
	return d
}

// decimalTypes returns the declared type of each decimal column, by
// "table.column", from the database's catalogue.
func decimalTypes(t *testing.T, db *orm.DB, tables []string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, table := range tables {
		rows, err := db.QueryRaw(context.Background(), `SELECT name, lower(type) FROM pragma_table_info(?)`, table)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var name, typ string
			if err := rows.Scan(&name, &typ); err != nil {
				t.Fatal(err)
			}
			if strings.HasPrefix(typ, "decimal") || strings.HasPrefix(typ, "numeric") {
				out[table+"."+name] = typ
			}
		}
		rows.Close()
	}
	return out
}

// sameColumnKinds are the kinds whose columns are another kind's.
var sameColumnKinds = map[string]string{
	orm.KindSlug.String(): orm.KindChar.String(), orm.KindEmail.String(): orm.KindChar.String(),
	orm.KindURL.String(): orm.KindChar.String(), orm.KindDuration.String(): orm.KindBigInteger.String(),
}

// normalize puts what the comparison leaves out to one value.
func normalize(m modeldesc.Model, table string, decimals map[string]string) modeldesc.Model {
	fields := map[string]modeldesc.Field{}
	for col, f := range m.Fields {
		if k, ok := sameColumnKinds[f.Kind]; ok {
			f.Kind = k
		}
		if typ, ok := decimals[table+"."+col]; ok && !strings.Contains(typ, "(") {
			f.MaxDigits, f.Places = 0, 0
		}
		fields[col] = f
	}
	m.Fields = fields
	return m
}

// compareModels returns the differences between got and want.
func compareModels(table string, got, want modeldesc.Model) []string {
	var out []string
	for col, w := range want.Fields {
		g, ok := got.Fields[col]
		switch {
		case !ok:
			out = append(out, fmt.Sprintf("%s.%s: no field, want %+v", table, col, w))
		case g != w:
			out = append(out, fmt.Sprintf("%s.%s = %+v, want %+v", table, col, g, w))
		}
	}
	for col, g := range got.Fields {
		if _, ok := want.Fields[col]; !ok {
			out = append(out, fmt.Sprintf("%s.%s: a field %+v the hand-written model has not", table, col, g))
		}
	}
	if !reflect.DeepEqual(got.ManyToMany, want.ManyToMany) {
		out = append(out, fmt.Sprintf("%s: many-to-many %+v, want %+v", table, got.ManyToMany, want.ManyToMany))
	}
	for _, c := range []struct {
		name      string
		got, want any
	}{
		{"UniqueTogether", got.UniqueTogether, want.UniqueTogether},
		{"IndexTogether", got.IndexTogether, want.IndexTogether},
		{"Indexes", got.Indexes, want.Indexes},
		{"Constraints", got.Constraints, want.Constraints},
	} {
		if !reflect.DeepEqual(c.got, c.want) {
			out = append(out, fmt.Sprintf("%s: Meta.%s = %+v, want %+v", table, c.name, c.got, c.want))
		}
	}
	return out
}

// runInspectedLibrary writes the models into a package of this module (a
// folder starting with "_", which ./... leaves out) with a main that
// registers them and prints their description, runs it, and returns the
// description.
func runInspectedLibrary(t *testing.T, gobin string, src []byte, tables []string) map[string]modeldesc.Model {
	t.Helper()
	dir, err := os.MkdirTemp(".", "_inspectdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	models := typeNames(t, src)
	src = bytes.Replace(src, []byte("package models"), []byte("package main"), 1)
	if err := os.WriteFile(filepath.Join(dir, "models.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	main := strings.NewReplacer("MODELS", strings.Join(models, "{}, ")+"{}", "TABLES", fmt.Sprintf("%#v", tables)).Replace(describeMain)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(gobin, "run", "./"+filepath.Base(dir))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("the inspected models do not build or register: %v\n%s\nmodels:\n%s", err, stderr.Bytes(), src)
	}
	var desc map[string]modeldesc.Model
	if err := json.Unmarshal(out, &desc); err != nil {
		t.Fatalf("the program's output: %v\n%s", err, out)
	}
	return desc
}

// typeNames returns the struct types of a Go file.
func typeNames(t *testing.T, src []byte) []string {
	t.Helper()
	file, err := parser.ParseFile(token.NewFileSet(), "models.go", src, 0)
	if err != nil {
		t.Fatalf("inspectdb's output is not Go: %v\n%s", err, src)
	}
	var names []string
	for _, d := range file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.TYPE {
			for _, s := range gd.Specs {
				names = append(names, s.(*ast.TypeSpec).Name.Name)
			}
		}
	}
	return names
}

const describeMain = `package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/examples/library/internal/modeldesc"
	"github.com/staffroom/staffroom/orm"
)

func main() {
	r := orm.NewRegistry()
	for _, app := range []orm.AppConfig{contenttype.App(), auth.App(), {Name: "library", Models: []any{MODELS}}} {
		if _, err := r.Register(app); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	if err := r.Ready(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	d, err := modeldesc.Describe(r, TABLES)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	json.NewEncoder(os.Stdout).Encode(d)
}
`
