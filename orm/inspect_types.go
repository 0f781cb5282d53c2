package orm

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// columnType is a column's declared type read as a field kind.
type columnType struct {
	kind      Kind
	maxLength int
	digits    int
	places    int
	guessed   bool // a decimal without precision and scale: they are guesses
	unknown   bool // no kind fits: the column is read as text
}

// Precision and scale of a decimal column whose type does not give them,
// as Django's inspectdb guesses them.
const (
	guessedDigits = 10
	guessedPlaces = 5
)

// parseColumnType reads a type as SQLite, PostgreSQL, MySQL or MariaDB
// declare it: "varchar(300)", "character varying(300)", "int(11)",
// "tinyint(1)", "numeric(10,2)", "timestamp(6) with time zone",
// "smallint unsigned".
func parseColumnType(decl string) columnType {
	base, args := splitTypeArgs(strings.ToLower(decl))
	words := strings.Fields(base)
	unsigned := removeWord(&words, "unsigned")
	removeWord(&words, "zerofill")
	base = strings.Join(words, " ")
	t := columnType{kind: typeKind(base, args)}
	switch t.kind {
	case KindChar:
		t.maxLength = args[0]
	case KindDecimal:
		t.digits, t.places = guessedDigits, guessedPlaces
		t.guessed = len(args) == 0
		if len(args) > 0 {
			t.digits, t.places = args[0], 0
		}
		if len(args) > 1 {
			t.places = args[1]
		}
		if t.digits <= 0 || t.places < 0 || t.places > t.digits {
			t.digits, t.places, t.guessed = guessedDigits, guessedPlaces, true
		}
	case 0:
		t.kind, t.unknown = KindText, true
	}
	if unsigned {
		// Django's positive integer fields are the unsigned types of
		// their width on SQLite and MySQL; Django's own inspectdb reads
		// unsigned columns as them too.
		switch t.kind {
		case KindSmallInteger:
			t.kind = KindPositiveSmallInteger
		case KindInteger:
			t.kind = KindPositiveInteger
		case KindBigInteger:
			t.kind = KindPositiveBigInteger
		}
	}
	return t
}

// splitTypeArgs splits "numeric(10, 2) x" into "numeric x" and [10 2].
func splitTypeArgs(t string) (string, []int) {
	open := strings.IndexByte(t, '(')
	if open < 0 {
		return t, nil
	}
	length := strings.IndexByte(t[open:], ')')
	if length < 0 {
		return t, nil
	}
	var args []int
	for _, a := range strings.Split(t[open+1:open+length], ",") {
		if n, err := strconv.Atoi(strings.TrimSpace(a)); err == nil {
			args = append(args, n)
		}
	}
	return t[:open] + " " + t[open+length+1:], args
}

// removeWord removes word from words and reports whether it was there.
func removeWord(words *[]string, word string) bool {
	for i, w := range *words {
		if w == word {
			*words = append((*words)[:i], (*words)[i+1:]...)
			return true
		}
	}
	return false
}

// typeKind maps a type name without arguments to a field kind, or 0.
func typeKind(base string, args []int) Kind {
	switch base {
	case "varchar", "character varying", "char", "character", "nchar", "nvarchar", "varying character",
		"native character", "national character", "national character varying", "national varchar":
		if len(args) > 0 && args[0] > 0 {
			return KindChar
		}
		return KindText
	case "text", "tinytext", "mediumtext", "longtext", "clob", "citext":
		return KindText
	case "bool", "boolean":
		return KindBoolean
	case "tinyint":
		if len(args) == 1 && args[0] == 1 {
			return KindBoolean
		}
		return KindSmallInteger
	case "smallint", "int2", "smallserial":
		return KindSmallInteger
	case "integer", "int", "int4", "mediumint", "serial":
		return KindInteger
	case "bigint", "int8", "bigserial":
		return KindBigInteger
	case "date":
		return KindDate
	case "time", "time without time zone":
		return KindTime
	case "json", "jsonb":
		return KindJSON
	case "datetime", "timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone":
		return KindDateTime
	case "decimal", "numeric":
		return KindDecimal
	case "real", "double", "double precision", "float", "float4", "float8":
		return KindFloat
	}
	return 0
}

// columnGoType returns the Go type and orm tag options of a column of
// table: a UUID for a char(32) column of 32 hex digits (inspectFacts), a
// JSON value for a column that must hold JSON, else by its type.
func (g *generator) columnGoType(table string, c *ColumnInfo) (string, []string) {
	if c.JSON {
		return "any", []string{"type=json"}
	}
	if g.facts.uuid[table+"."+c.Name] {
		g.imports["github.com/google/uuid"] = true
		return "uuid.UUID", nil
	}
	return g.goType(parseColumnType(c.Type))
}

// goType returns the Go type and orm tag options of a column type.
func (g *generator) goType(t columnType) (string, []string) {
	switch t.kind {
	case KindChar:
		return "string", []string{"max_length=" + strconv.Itoa(t.maxLength)}
	case KindBoolean:
		return "bool", nil
	case KindSmallInteger:
		return "int16", nil
	case KindInteger:
		return "int32", nil
	case KindBigInteger:
		return "int64", nil
	case KindPositiveSmallInteger:
		return "uint16", nil
	case KindPositiveInteger:
		return "uint32", nil
	case KindPositiveBigInteger:
		return "uint64", nil
	case KindFloat:
		return "float64", nil
	case KindDate:
		g.imports["time"] = true
		return "time.Time", []string{"type=date"}
	case KindTime:
		g.imports["time"] = true
		return "time.Time", []string{"type=time"}
	case KindDateTime:
		g.imports["time"] = true
		return "time.Time", nil
	case KindJSON:
		return "any", []string{"type=json"}
	case KindUUID:
		g.imports["github.com/google/uuid"] = true
		return "uuid.UUID", nil
	case KindDecimal:
		g.imports["github.com/shopspring/decimal"] = true
		return "decimal.Decimal", []string{"max_digits=" + strconv.Itoa(t.digits), "decimal_places=" + strconv.Itoa(t.places)}
	}
	return "string", []string{"type=text"}
}

// initialisms are the words Go spells in capitals in names.
var initialisms = map[string]string{
	"id": "ID", "url": "URL", "uri": "URI", "uuid": "UUID", "ip": "IP", "http": "HTTP",
	"api": "API", "json": "JSON", "html": "HTML", "sql": "SQL", "ui": "UI",
}

// goName makes an exported Go identifier of a table or column name:
// "bookstore_book" → "BookstoreBook", "content_type_id" → "ContentTypeID".
// Characters that cannot be in an identifier separate words; a name that
// would not start with a capital letter gets an X in front.
func goName(s string) string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	var b strings.Builder
	for _, p := range parts {
		if up, ok := initialisms[strings.ToLower(p)]; ok {
			b.WriteString(up)
			continue
		}
		r, size := utf8.DecodeRuneInString(p)
		b.WriteRune(unicode.ToUpper(r))
		b.WriteString(p[size:])
	}
	name := b.String()
	if r, _ := utf8.DecodeRuneInString(name); !unicode.IsUpper(r) {
		name = "X" + name
	}
	return name
}

// namer hands out names that are unique, both as Go names and as the
// snake_case names the orm derives from them.
type namer struct {
	used map[string]bool
}

func newNamer(reserved ...string) *namer {
	n := &namer{used: map[string]bool{}}
	for _, r := range reserved {
		n.used[r] = true
	}
	return n
}

// unique returns name, or name with the smallest number after it that is
// not taken yet, and takes it.
func (n *namer) unique(name string) string {
	candidate := name
	for i := 2; n.used[candidate] || n.used["snake:"+SnakeCase(candidate)]; i++ {
		candidate = name + strconv.Itoa(i)
	}
	n.used[candidate] = true
	n.used["snake:"+SnakeCase(candidate)] = true
	return candidate
}
