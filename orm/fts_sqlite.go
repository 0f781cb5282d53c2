package orm

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// SQLite's full-text search. A search field of the model itself whose
// FTS5 table exists — "<table>_<column>_fts", made by CreateSearchIndex
// and kept in step with the table by triggers — is searched through it:
// rows whose key is among the table's matches for every word of the term
// (each word also matching as a prefix), case and accents folded by
// FTS5's unicode61 tokenizer. Without the table the search lookup
// matches every word anywhere, as on MySQL.

// ftsTableName is the FTS5 table of a column.
func ftsTableName(table, column string) string { return table + "_" + column + "_fts" }

// trigramTableName is the FTS5 table of a column's substring index: its
// trigram tokenizer indexes every three characters, case folded, so that
// a substring of three or more is found without reading every row.
func trigramTableName(table, column string) string { return table + "_" + column + "_trgm" }

// ftsCacheTTL is how long the orm trusts what it read of the FTS tables.
const ftsCacheTTL = time.Minute

// ftsCache remembers which FTS5 tables (SQLite) or single-column
// FULLTEXT indexes (MySQL) exist. It is read when the
// database opens and refreshed in the background once it is older than
// ftsCacheTTL, so compiling a query never waits on the schema (nor on a
// connection a transaction holds); a table CreateSearchIndex makes is
// known at once, one made by another process within a minute.
type ftsCache struct {
	mu         sync.Mutex
	tables     map[string]bool
	read       time.Time
	refreshing bool
}

// ftsCatalog reads, per dialect, the names ftsCache keeps: SQLite's FTS5
// tables, and MySQL's single-column FULLTEXT indexes as "table.column"
// (ftsIndexKey), the only ones MATCH (column) may use.
var ftsCatalog = map[string]string{
	"sqlite": "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE '%fts5%'",
	"mysql": "SELECT MIN(CONCAT(TABLE_NAME, '.', COLUMN_NAME)) FROM information_schema.STATISTICS " +
		"WHERE TABLE_SCHEMA = DATABASE() AND INDEX_TYPE = 'FULLTEXT' GROUP BY TABLE_NAME, INDEX_NAME HAVING COUNT(*) = 1",
}

// ftsIndexKey is how ftsCache names MySQL's FULLTEXT index of a column.
func ftsIndexKey(table, column string) string { return table + "." + column }

// load reads the full-text tables or indexes of the database.
func (fc *ftsCache) load(db *DB) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	names, err := db.strings(ctx, ftsCatalog[db.dialect.Name()])
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.refreshing = false
	if err != nil {
		return
	}
	fc.tables, fc.read = map[string]bool{}, time.Now()
	for _, n := range names {
		fc.tables[n] = true
	}
}

// has reports whether the FTS5 table name exists, as last read.
func (fc *ftsCache) has(db *DB, name string) bool {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	if time.Since(fc.read) > ftsCacheTTL && !fc.refreshing {
		fc.refreshing = true
		go fc.load(db)
	}
	return fc.tables[name]
}

// add records a table just made.
func (fc *ftsCache) add(name string) {
	fc.mu.Lock()
	if fc.tables == nil {
		fc.tables = map[string]bool{}
	}
	fc.tables[name] = true
	fc.mu.Unlock()
}

// ftsSearch compiles the search lookup of t through its FTS5 table, when
// it is SQLite's, of a column of the root model, with an integer key;
// false otherwise.
func (c *compiler) ftsSearch(t target, col string, value any) (string, bool) {
	if c.d.Name() == "mysql" {
		return c.mysqlSearch(t, col, value)
	}
	f := t.field
	if c.d.Name() != "sqlite" || f == nil || len(t.transforms) > 0 || t.annotation != nil || f.Model != c.root ||
		!c.root.PK.Kind.IsInteger() || col != c.col(c.rootAlias, f.Column) {
		return "", false
	}
	if _, isExpr := value.(Expression); isExpr {
		return "", false
	}
	fts := ftsTableName(c.root.Table, f.Column)
	if c.db.fts == nil || !c.db.fts.has(c.db, fts) {
		return "", false
	}
	terms := strings.Fields(strings.ToLower(fmt.Sprint(value)))
	if len(terms) == 0 {
		return "1=1", true
	}
	q := make([]string, len(terms))
	for i, term := range terms {
		// A quoted string is a token sequence whatever it holds; the star
		// makes it a prefix.
		q[i] = `"` + strings.ReplaceAll(term, `"`, `""`) + `"*`
	}
	ph := c.param(strings.Join(q, " "))
	return c.col(c.rootAlias, c.root.PK.Column) + " IN (SELECT rowid FROM " + c.d.Quote(fts) + " WHERE " + c.d.Quote(fts) + " MATCH " + ph + ")", true
}

// mysqlSearch compiles the search lookup of t through MySQL's FULLTEXT
// index of its column, when it has one: MATCH ... AGAINST in boolean mode,
// every word of the term required, each also as a prefix. The words are
// the term's runs of letters, digits and underscores, so that no
// character is taken as an operator; a word shorter than the index's
// smallest token (three characters by default) is not indexed and cannot
// be required, and is left out. A term left with no word is no search.
func (c *compiler) mysqlSearch(t target, col string, value any) (string, bool) {
	f := t.field
	if f == nil || len(t.transforms) > 0 || t.annotation != nil || c.db.fts == nil ||
		!c.db.fts.has(c.db, ftsIndexKey(f.Model.Table, f.Column)) {
		return "", false
	}
	if _, isExpr := value.(Expression); isExpr {
		return "", false
	}
	words := strings.FieldsFunc(fmt.Sprint(value), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	})
	var q []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= 3 {
			q = append(q, "+"+w+"*")
		}
	}
	if len(q) == 0 {
		return "", false
	}
	return "MATCH (" + col + ") AGAINST (" + c.param(strings.Join(q, " ")) + " IN BOOLEAN MODE)", true
}

// substringFilter is a condition that keeps the rows a text lookup of t
// may match, through the column's trigram table, to be ANDed with the
// lookup itself: every row whose text holds value as a substring, by
// FTS5's case folding, is kept. It applies on SQLite, to a column of the
// root model with an integer key, for a value of three characters or
// more; and to a case-insensitive lookup only for an ASCII value, where
// FTS5's folding keeps a superset of what the lookup's does (beyond
// ASCII the two foldings differ, and the lookup reads every row).
func (c *compiler) substringFilter(t target, col string, value any) (string, bool) {
	f := t.field
	if c.scanText || f == nil || len(t.transforms) > 0 || t.annotation != nil || f.Model != c.root ||
		col != c.col(c.rootAlias, f.Column) {
		return "", false
	}
	trgm, match, ok := c.db.trigramMatch(f, t.lookup, value)
	if !ok {
		return "", false
	}
	ph := c.param(match)
	return c.col(c.rootAlias, c.root.PK.Column) + " IN (SELECT rowid FROM " + c.d.Quote(trgm) + " WHERE " + c.d.Quote(trgm) + " MATCH " + ph + ")", true
}

// trigramMatch returns the trigram table of f's column and the MATCH
// pattern that names the rows whose text may satisfy lookup with value,
// when that table applies: on SQLite, for a model with an integer key,
// a value of three characters or more, ASCII for a case-insensitive
// lookup.
func (db *DB) trigramMatch(f *Field, lookup string, value any) (table, match string, ok bool) {
	if db.dialect.Name() != "sqlite" || !f.Model.PK.Kind.IsInteger() {
		return "", "", false
	}
	term, ok := value.(string)
	if !ok || utf8.RuneCountInString(term) < 3 || caseInsensitive(lookup) && !isASCII(term) {
		return "", "", false
	}
	table = trigramTableName(f.Model.Table, f.Column)
	if db.fts == nil || !db.fts.has(db, table) {
		return "", "", false
	}
	// A quoted string is matched as a run of trigrams: the substring.
	return table, `"` + strings.ReplaceAll(term, `"`, `""`) + `"`, true
}

// createSQLiteSearchIndex makes the FTS5 table of f's column over m's
// table (external content, so no copy of the text is kept twice beyond
// the index), its three triggers, and fills it.
func (db *DB) createSQLiteSearchIndex(ctx context.Context, m *Model, f *Field) (string, error) {
	return db.createSQLiteFTS(ctx, m, f, ftsTableName(m.Table, f.Column), "")
}

// createSQLiteSubstringIndex makes the trigram table of f's column, as
// createSQLiteSearchIndex makes the word table.
func (db *DB) createSQLiteSubstringIndex(ctx context.Context, m *Model, f *Field) (string, error) {
	return db.createSQLiteFTS(ctx, m, f, trigramTableName(m.Table, f.Column), "trigram case_sensitive 0")
}

// createSQLiteFTS makes the FTS5 table fts of f's column, with the
// tokenizer given ("" for FTS5's default), and the triggers that keep it
// in step with m's table; the triggers are plain SQL, so another program
// writing the table (Django, the sqlite3 shell) keeps it in step too.
func (db *DB) createSQLiteFTS(ctx context.Context, m *Model, f *Field, fts, tokenize string) (string, error) {
	q := db.dialect.Quote
	t, c, id := m.Table, f.Column, m.PK.Column
	options := ", content=" + quoteSingle(t) + ", content_rowid=" + quoteSingle(id)
	if tokenize != "" {
		options += ", tokenize=" + quoteSingle(tokenize)
	}
	stmts := []string{
		"CREATE VIRTUAL TABLE " + q(fts) + " USING fts5(" + q(c) + options + ")",
		"CREATE TRIGGER " + q(fts+"_ai") + " AFTER INSERT ON " + q(t) + " BEGIN INSERT INTO " + q(fts) + "(rowid, " + q(c) + ") VALUES (new." + q(id) + ", new." + q(c) + "); END",
		"CREATE TRIGGER " + q(fts+"_ad") + " AFTER DELETE ON " + q(t) + " BEGIN INSERT INTO " + q(fts) + "(" + q(fts) + ", rowid, " + q(c) + ") VALUES ('delete', old." + q(id) + ", old." + q(c) + "); END",
		"CREATE TRIGGER " + q(fts+"_au") + " AFTER UPDATE ON " + q(t) + " BEGIN INSERT INTO " + q(fts) + "(" + q(fts) + ", rowid, " + q(c) + ") VALUES ('delete', old." + q(id) + ", old." + q(c) + "); INSERT INTO " + q(fts) + "(rowid, " + q(c) + ") VALUES (new." + q(id) + ", new." + q(c) + "); END",
		"INSERT INTO " + q(fts) + "(" + q(fts) + ") VALUES ('rebuild')",
	}
	err := db.Atomic(ctx, func(ctx context.Context) error {
		for _, s := range stmts {
			if _, err := db.Exec(ctx, s); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	if db.fts != nil {
		db.fts.add(fts)
	}
	return fts, nil
}
