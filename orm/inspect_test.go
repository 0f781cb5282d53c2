package orm_test

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/staffroom/staffroom/internal/testdb"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/orm/sqliteext"
)

// inspected is a generated struct field: its Go type and orm tag.
type inspected struct{ typ, tag string }

// parseModels parses Inspect's output and returns each struct's fields by
// Go name.
func parseModels(t *testing.T, src []byte) map[string]map[string]inspected {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "models.go", src, parser.ParseComments)
	if err != nil {
		t.Fatalf("the output is not Go: %v\n%s", err, src)
	}
	out := map[string]map[string]inspected{}
	ast.Inspect(file, func(n ast.Node) bool {
		spec, ok := n.(*ast.TypeSpec)
		if !ok {
			return true
		}
		fields := map[string]inspected{}
		for _, f := range spec.Type.(*ast.StructType).Fields.List {
			var typ bytes.Buffer
			printer.Fprint(&typ, fset, f.Type)
			var tag string
			if f.Tag != nil {
				raw, _ := strconv.Unquote(f.Tag.Value)
				tag = reflect.StructTag(raw).Get("orm")
			}
			if len(f.Names) == 0 { // an embedded parent: named by its type
				fields[typ.String()] = inspected{"", tag}
				continue
			}
			fields[f.Names[0].Name] = inspected{typ.String(), tag}
		}
		out[spec.Name.Name] = fields
		return false
	})
	return out
}

func inspect(t *testing.T, db *orm.DB, tables ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := db.Inspect(context.Background(), &b, tables...); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func checkFields(t *testing.T, model string, got, want map[string]inspected) {
	t.Helper()
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s.%s = %+v, want %+v", model, name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%s has fields %v, want %d", model, got, len(want))
	}
}

// TestInspectDjangoDatabase reads the models of the database a Django
// project made.
func TestInspectDjangoDatabase(t *testing.T) {
	path := testdb.CopyFixture(t, "bookstore-django.sqlite3")
	db, err := orm.Open("sqlite:"+path, registry(t), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	src := inspect(t, db, "bookstore_book", "bookstore_publisher", "bookstore_book")
	models := parseModels(t, src)
	checkFields(t, "BookstoreBook", models["BookstoreBook"], map[string]inspected{
		"ID":        {"int64", "type=integer"},
		"Name":      {"string", "max_length=300"},
		"Pages":     {"int32", ""},
		"Price":     {"decimal.Decimal", "max_digits=10,decimal_places=5"},
		"Rating":    {"float64", ""},
		"Pubdate":   {"time.Time", "type=date"},
		"Publisher": {"orm.ForeignKey[BookstorePublisher]", "on_delete=do_nothing"},
	})
	if len(models) != 2 {
		t.Errorf("models: %v", models)
	}
	if !bytes.Contains(src, []byte(`func (BookstoreBook) Meta() orm.Meta { return orm.Meta{Table: "bookstore_book"} }`)) {
		t.Errorf("no Meta method:\n%s", src)
	}
	// Without its target, a foreign key stays a column, with a comment.
	src = inspect(t, db, "bookstore_book")
	if f := parseModels(t, src)["BookstoreBook"]["PublisherID"]; f.typ != "int64" ||
		!bytes.Contains(src, []byte(`// Points at "id" of "bookstore_publisher", a table not inspected.`)) {
		t.Errorf("publisher_id without its table: %+v\n%s", f, src)
	}
	session := parseModels(t, inspect(t, db, "django_session", "django_admin_log"))
	checkFields(t, "DjangoSession", session["DjangoSession"], map[string]inspected{
		"SessionKey": {"string", "primary_key,max_length=40"}, "SessionData": {"string", "type=text"}, "ExpireDate": {"time.Time", "db_index"},
	})
	if f := session["DjangoAdminLog"]["ObjectID"]; f != (inspected{"*string", "type=text,null"}) {
		t.Errorf("object_id: %+v", f)
	}
	if err := db.Inspect(context.Background(), &bytes.Buffer{}, "bookstore_book", "nope"); err == nil || !strings.Contains(err.Error(), `orm: inspectdb: no table "nope"`) {
		t.Errorf("unknown table: %v", err)
	}
}

// TestInspectMigrated reads the tables migrate made for the test models,
// on every database.
func TestInspectMigrated(t *testing.T) {
	testdb.Run(t, travelRegistry(t), func(t *testing.T, db *orm.DB) {
		models := parseModels(t, inspect(t, db, "travel_trip", "travel_city", "travel_category", "travel_ticket"))
		id, price := inspected{"int64", ""}, inspected{"decimal.Decimal", "max_digits=8,decimal_places=2"}
		name := inspected{"string", "max_length=50,unique"}
		if db.Dialect().Name() == "sqlite" {
			// SQLite's integer is every size of key; its decimal has
			// no precision.
			id, price = inspected{"int64", "type=integer"}, inspected{"decimal.Decimal", "max_digits=10,decimal_places=5"}
		}
		checkFields(t, "TravelTrip", models["TravelTrip"], map[string]inspected{
			"ID": id, "Title": {"string", "max_length=100"}, "Notes": {"*string", "type=text,null"},
			"Starts": {"time.Time", ""}, "Day": {"time.Time", "type=date"}, "Price": price, "Score": {"float64", ""},
			"Seats": {"int16", ""}, "Booked": {"bool", ""},
			"Origin":   {"orm.ForeignKey[TravelCity]", "on_delete=do_nothing,null"},
			"Category": {"orm.ForeignKey[TravelCategory]", "on_delete=do_nothing,null"},
		})
		checkFields(t, "TravelCategory", models["TravelCategory"], map[string]inspected{
			"ID": id, "Name": name, "Parent": {"orm.ForeignKey[TravelCategory]", "on_delete=do_nothing,null"},
		})
		checkFields(t, "TravelTicket", models["TravelTicket"], map[string]inspected{
			"Code": {"string", "primary_key,max_length=20"}, "Trip": {"orm.ForeignKey[TravelTrip]", "on_delete=do_nothing"},
		})
	})
}

// TestInspectCompiles builds and runs the models Inspect writes: they
// must compile, register, and read every table they came from.
func TestInspectCompiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	django := testdb.CopyFixture(t, "bookstore-django.sqlite3")
	t.Run("django", func(t *testing.T) { runInspected(t, gobin, "sqlite:"+django, "Book 1000") })
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			url := testdb.URL(t, d)
			db, err := orm.Open(url, travelRegistry(t), orm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if err := db.Migrate(context.Background()); err != nil {
				t.Fatal(err)
			}
			load(t, db, travelFixture)
			if d == "sqlite" {
				oddTables(t, db)
			}
			// The unique index of travel_trip_cities shows it to be
			// Trip.cities's join table, which folds into a field and
			// names Trip without its app's prefix.
			runInspected(t, gobin, url, "Trip 2")
		})
	}
}

// runInspected writes the models of the database at url, with a main
// that registers them and counts each one's rows, into a package of this
// module (a folder starting with "_", which ./... leaves out), runs it,
// and checks that its output holds want.
func runInspected(t *testing.T, gobin, url, want string) {
	t.Helper()
	db, err := orm.Open(url, orm.NewRegistry(), orm.Options{})
	if err != nil {
		t.Fatal(err)
	}
	src := inspect(t, db)
	db.Close()
	dir, err := os.MkdirTemp(".", "_inspectdb")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	var names []string
	for name := range parseModels(t, src) {
		names = append(names, name+"{}")
	}
	src = bytes.Replace(src, []byte("package models"), []byte("package main"), 1)
	if err := os.WriteFile(filepath.Join(dir, "models.go"), src, 0o644); err != nil {
		t.Fatal(err)
	}
	main := strings.Replace(inspectedMain, "MODELS", strings.Join(names, ", "), 1)
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
	// The program is built with the SQLite driver this test is built with.
	args := []string{"run", "-tags=" + driverTags[sqliteext.Driver], "./" + filepath.Base(dir), url}
	out, err := exec.Command(gobin, args...).CombinedOutput()
	if err != nil || !strings.Contains(string(out), want+"\n") {
		t.Fatalf("running the inspected models: %v\n%s\nmodels:\n%s", err, out, src)
	}
}

// driverTags are the build tags that choose each SQLite driver.
var driverTags = map[string]string{"modernc.org/sqlite": "", "github.com/ncruces/go-sqlite3": "ncruces"}

const inspectedMain = `package main

import (
	"context"
	"fmt"
	"os"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "github.com/staffroom/staffroom/orm/sqliteext"

	"github.com/staffroom/staffroom/orm"
)

func main() {
	reg := orm.NewRegistry()
	if _, err := reg.Register(orm.AppConfig{Name: "inspected", Models: []any{MODELS}}); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	db, err := orm.Open(os.Args[1], reg, orm.Options{})
	if err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	for _, m := range reg.Models() {
		n, err := db.Query(m).Count(context.Background())
		if err == nil {
			_, err = db.Query(m).Limit(5).All(context.Background())
		}
		if err != nil {
			fmt.Println(m.Name, err)
			os.Exit(1)
		}
		fmt.Println(m.Name, n)
	}
}
`

// oddTables adds tables whose names Go cannot take as they are: a space,
// a comma, a leading digit, "meta" twice, an "id" that is not the key, a
// foreign key column without "_id", a type with no field kind, and a
// primary key of two columns.
func oddTables(t *testing.T, db *orm.DB) {
	t.Helper()
	for _, stmt := range []string{
		`CREATE TABLE "odd table" ("code" varchar(10) NOT NULL PRIMARY KEY, "id" integer NULL, "meta" text NULL, "meta_" real NULL,
			"2fa" bool NOT NULL, "a,b" int NULL, "uuid" uuid NULL, "owner" integer NULL REFERENCES "travel_city" ("id"), "price" numeric(12,3) NOT NULL,
			"doc" text NULL CHECK ((JSON_VALID("doc") OR "doc" IS NULL)))`,
		`INSERT INTO "odd table" VALUES ('x', 7, 'm', 1.5, 1, 2, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6', 10, '12.345', '{"a": [1]}')`,
		`CREATE TABLE "pair" ("a" integer NOT NULL, "b" integer NOT NULL, PRIMARY KEY ("a", "b"))`,
		`INSERT INTO "pair" VALUES (1, 2)`,
	} {
		if _, err := db.Exec(context.Background(), stmt); err != nil {
			t.Fatal(err)
		}
	}
	models := parseModels(t, inspect(t, db, "odd table", "pair", "travel_city"))
	checkFields(t, "OddTable", models["OddTable"], map[string]inspected{
		"Code":  {"string", "primary_key,max_length=10"},
		"ID2":   {"*int32", "null,db_column=id"},
		"Meta2": {"*string", "type=text,null,db_column=meta"},
		"Meta3": {"*float64", "null,db_column=meta_"},
		"X2fa":  {"bool", "db_column=2fa"},
		"AB":    {"*int32", "null,db_column='a,b'"},
		"UUID":  {"*string", "type=text,null"},
		"Owner": {"orm.ForeignKey[TravelCity]", "on_delete=do_nothing,null,db_column=owner"},
		"Price": {"decimal.Decimal", "max_digits=12,decimal_places=3"},
		"Doc":   {"any", "type=json,null"},
	})
	checkFields(t, "Pair", models["Pair"], map[string]inspected{"A": {"int32", "primary_key"}, "B": {"int32", ""}})
}

// TestInspectSelfManyToMany folds Django's self many-to-many join tables
// into fields on every database: symmetrical when each row has its
// mirror, which the schema cannot say but the rows can, else
// symmetrical=false, an empty table included.
func TestInspectSelfManyToMany(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d, func(t *testing.T) {
			db, err := orm.Open(testdb.URL(t, d), orm.NewRegistry(), orm.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := context.Background()
			stmts := []string{`CREATE TABLE club_person (id integer NOT NULL PRIMARY KEY, name varchar(20) NOT NULL)`,
				`INSERT INTO club_person VALUES (1, 'a'), (2, 'b'), (3, 'c')`}
			for _, join := range []string{"friends", "sponsors", "rivals"} {
				stmts = append(stmts, `CREATE TABLE club_person_`+join+` (id integer NOT NULL PRIMARY KEY,
					from_person_id integer NOT NULL REFERENCES club_person (id), to_person_id integer NOT NULL REFERENCES club_person (id))`,
					`CREATE UNIQUE INDEX club_person_`+join+`_uniq ON club_person_`+join+` (from_person_id, to_person_id)`)
			}
			stmts = append(stmts, `INSERT INTO club_person_friends VALUES (1, 1, 2), (2, 2, 1), (3, 3, 3)`,
				`INSERT INTO club_person_sponsors VALUES (1, 1, 2), (2, 2, 1), (3, 1, 3)`)
			for _, s := range stmts {
				if _, err := db.Exec(ctx, s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			src := inspect(t, db, "club_person", "club_person_friends", "club_person_sponsors", "club_person_rivals")
			models := parseModels(t, src)
			checkFields(t, "Person", models["Person"], map[string]inspected{
				"ID": models["Person"]["ID"], "Name": {"string", "max_length=20"},
				"Friends":  {"orm.ManyToMany[Person]", ""},
				"Sponsors": {"orm.ManyToMany[Person]", "symmetrical=false,related_name=person_sponsors_set"},
				"Rivals":   {"orm.ManyToMany[Person]", "symmetrical=false,related_name=person_rivals_set"},
			})
			if len(models) != 1 {
				t.Errorf("the join tables are models of their own:\n%s", src)
			}
		})
	}
}
