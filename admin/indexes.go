package admin

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// IndexAdvice is a column a change list sorts by or narrows to a range
// of, which leads no index of its table: on a big table each such page
// reads every row. `check` warns of it (staffroom.W003) and
// `migrate --admin-indexes` creates the index.
type IndexAdvice struct {
	Model  *orm.Model
	Field  *orm.Field
	Option string // the admin option asking for it: "Ordering", "DateHierarchy", "ListFilter[1]", "SearchFields[0]"
	// Then, when set, is the second column of a two-column index: the
	// ordering's, after a foreign key the list is filtered by, so that a
	// publisher's books come sorted by date from one index range; or the
	// queryset's ordering after a column the list may be sorted by, which
	// sorts that column's ties.
	Then *orm.Field
	// ThenDesc makes Then a descending column of the index, as the
	// ordering has it ("-pubdate"): SQLite sorts by (price, -pubdate, -id)
	// from an index of (price, pubdate DESC), and reads the whole table
	// when the index has price alone.
	ThenDesc bool
	// Search marks the full-text index of an "@field" search field — a
	// GIN index on PostgreSQL (orm.PostgresSearchVector), an FTS5 table on
	// SQLite, a FULLTEXT index on MySQL — in place of a B-tree on the
	// column.
	Search bool
	// Substring marks the substring index of a plain search field, which
	// the search's icontains reads through — an FTS5 trigram table on
	// SQLite, a pg_trgm GIN index on PostgreSQL (orm.HasSubstringIndex) —
	// in place of a B-tree on the column. Its Model is the column's: the
	// related model's for a search across a foreign key.
	Substring bool
	// bigOnly marks an index only a big table needs (see
	// SiteOptions.BigTableRows): a substring index, or one for a column
	// the list may be sorted by.
	bigOnly bool
	// child is the multi-table child whose admin asks for an index of
	// its parent's table (Model): a book's list sorted by the item's title.
	child *orm.Model
}

// columns are the index's columns, as LeadingIndexColumns writes them.
func (ia IndexAdvice) columns() string {
	if ia.Then != nil {
		return ia.Field.Column + "," + ia.Then.Column
	}
	return ia.Field.Column
}

// fields are the index's fields, in order.
func (ia IndexAdvice) fields() []*orm.Field {
	if ia.Then != nil {
		return []*orm.Field{ia.Field, ia.Then}
	}
	return []*orm.Field{ia.Field}
}

// String says what the index is for.
func (ia IndexAdvice) String() string {
	cols := strings.ReplaceAll(ia.columns(), ",", ", ")
	if ia.ThenDesc {
		cols += " DESC"
	}
	if ia.child != nil {
		return fmt.Sprintf("%s(%s) (%s), for %s of %s", ia.Model.Table, cols, ia.Model.Label(), ia.Option, ia.child.Label())
	}
	return fmt.Sprintf("%s(%s) (%s), for %s", ia.Model.Table, cols, ia.Model.Label(), ia.Option)
}

// IndexAdvice lists the indexes the registered admins' change lists need
// and the database lacks: the column of the first ordering (the admin's
// Ordering, else the model's), of DateHierarchy, and of each date filter
// (ListFilter), when it is a column of the model itself and leads no
// index — the primary key, unique columns, foreign keys and db_index
// columns lead theirs. It reads the database's catalogue, so an index
// made by hand or by Django counts.
func (s *Site) IndexAdvice(ctx context.Context) ([]IndexAdvice, error) {
	admins := s.adminsByLabel()
	var out []IndexAdvice
	seen := map[string]bool{}      // the substring and full-text indexes advised, as table.column and @table.column
	bigTables := map[string]bool{} // bigTable's answer, by table
	// The leading columns of each table, read once and shared by the
	// admins asking of it — a multi-table parent's by its children's
	// admins, a concrete model's by its proxies' — so that one index is
	// advised once.
	tables := map[string]map[string]bool{}
	leading := func(table string) (map[string]bool, error) {
		if have, ok := tables[table]; ok {
			return have, nil
		}
		have, err := s.db.LeadingIndexColumns(ctx, table)
		tables[table] = have
		return have, err
	}
	for _, a := range admins {
		b := a.base()
		wanted := b.indexedOptions()
		if len(wanted) == 0 {
			continue
		}
		if ok, err := s.db.HasTable(ctx, b.model.Table); err != nil || !ok {
			if err != nil {
				return nil, err
			}
			continue // not migrated yet: migrate makes its own indexes first
		}
		for _, w := range wanted {
			if w.bigOnly {
				big, ok := bigTables[w.Model.Table]
				if !ok {
					var err error
					if big, err = s.bigTable(ctx, w.Model); err != nil {
						return nil, err
					}
					bigTables[w.Model.Table] = big
				}
				if !big {
					continue
				}
			}
			if w.Substring || w.Search {
				// A special index of a column, found by its own catalogue
				// read; either may be asked for by several admins (a
				// related model's column, a proxy's table).
				has, key := s.db.HasSearchIndex, "@"+w.Model.Table+"."+w.Field.Column
				if w.Substring {
					has, key = s.db.HasSubstringIndex, w.Model.Table+"."+w.Field.Column
				}
				if seen[key] {
					continue
				}
				seen[key] = true
				ok, err := has(ctx, w.Model, w.Field)
				if err != nil {
					return nil, err
				}
				if !ok {
					out = append(out, w)
				}
				continue
			}
			have, err := leading(w.Model.Table)
			if err != nil {
				return nil, err
			}
			if !have[w.columns()] {
				have[w.columns()] = true // one index serves every option
				out = append(out, w)
			}
		}
	}
	return out, nil
}

// indexedOptions are the columns of the model that the admin's change
// list orders by or narrows by range. A multi-table child's list sorts
// and narrows by its parents' columns too; those are advised for the
// parent's table, which holds them (an index has the columns of one
// table, so a pair is advised only within one).
func (a *ModelAdmin) indexedOptions() []IndexAdvice {
	var out []IndexAdvice
	concrete := a.model.ConcreteModel() // a proxy's fields are its concrete model's
	local := func(path string) *orm.Field {
		f, reverse := fieldPath(a.model, strings.TrimPrefix(path, "-"))
		if f != nil && !reverse && (f.Model == concrete || f.Inherited() && !f.PrimaryKey) && f.Concrete() && f != a.model.PK {
			return f
		}
		return nil
	}
	advice := func(f *orm.Field, option string) IndexAdvice {
		ia := IndexAdvice{Model: a.model, Field: f, Option: option}
		if f.Inherited() {
			ia.Model, ia.child = f.Model, a.model
		}
		return ia
	}
	add := func(option, path string) {
		if f := local(path); f != nil {
			out = append(out, advice(f, option))
		}
	}
	var order *orm.Field // the first ordering's column
	orderDesc := false   // and whether it sorts descending
	switch {
	case len(a.Ordering) > 0:
		order, orderDesc = local(a.Ordering[0]), strings.HasPrefix(a.Ordering[0], "-")
		add("Ordering", a.Ordering[0])
	case len(a.model.Meta.Ordering) > 0:
		order = local(a.model.Meta.Ordering[0])
		add("Meta.Ordering", a.model.Meta.Ordering[0])
	}
	if a.DateHierarchy != "" {
		add("DateHierarchy", a.DateHierarchy)
	}
	if d := a.site.db.Dialect().Name(); d == "postgres" || d == "mysql" || d == "sqlite" && a.model.PK.Kind.IsInteger() {
		for i, sf := range a.SearchFields {
			if name, ok := strings.CutPrefix(sf, "@"); ok {
				if f, reverse := fieldPath(a.model, name); f != nil && !reverse && f.Model == concrete && f.Concrete() {
					out = append(out, IndexAdvice{Model: a.model, Field: f, Option: fmt.Sprintf("SearchFields[%d]", i), Search: true})
				}
			}
		}
	}
	for i, sf := range a.SearchFields {
		if f := substringSearched(a.model, sf); f != nil {
			if d := a.site.db.Dialect().Name(); d == "postgres" || d == "sqlite" && f.Model.PK.Kind.IsInteger() {
				out = append(out, IndexAdvice{Model: f.Model, Field: f, Option: fmt.Sprintf("SearchFields[%d]", i), Substring: true, bigOnly: true})
			}
		}
	}
	// A big table's list sorted by a column (a click on its header) reads
	// every row without an index of it. The admin's own Ordering, which
	// GetQueryset applies, then sorts the column's ties (contract §2.4):
	// the index holds it second, in its direction, or SQLite reads the
	// whole table for the first page rather than sort each run of ties.
	var then *orm.Field
	if len(a.Ordering) > 0 {
		then = order
	}
	sortable := map[string]bool{}
	for _, name := range a.SortableBy {
		sortable[name] = true
	}
	for i, ld := range a.ListDisplay {
		name, ok := ld.(string)
		if !ok || a.SortableBy != nil && !sortable[name] {
			continue
		}
		if f := local(name); f != nil && !f.IsRelation() && f != order {
			ia := advice(f, fmt.Sprintf("ListDisplay[%d]", i))
			ia.bigOnly = true
			if then != nil && then.Model == f.Model {
				ia.Then, ia.ThenDesc = then, orderDesc
			}
			out = append(out, ia)
		}
	}
	for i, lf := range a.ListFilter {
		name, ok := lf.(string)
		if !ok {
			continue
		}
		option := fmt.Sprintf("ListFilter[%d]", i)
		f := local(name)
		switch {
		case f == nil:
		case f.Kind == orm.KindDate || f.Kind == orm.KindDateTime:
			add(option, name)
		case f.IsForeignKey() && order != nil && order != f && order.Model == f.Model:
			// The foreign key's own index finds the rows but not in order:
			// one on (key, ordering) gives the first page at once.
			ia := advice(f, option)
			ia.Then = order
			out = append(out, ia)
		}
	}
	return out
}

// DefaultBigTableRows is SiteOptions.BigTableRows' default.
const DefaultBigTableRows = 10_000

// bigTable reports whether m's table holds SiteOptions.BigTableRows rows
// or more, by the database's estimate.
func (s *Site) bigTable(ctx context.Context, m *orm.Model) (bool, error) {
	if s.cfg.BigTableRows < 0 {
		return false, nil
	}
	// A proxy's table is its concrete model's, read without its filter.
	n, ok, err := s.db.Query(m.ConcreteModel()).Estimate(ctx)
	return ok && s.isBig(n), err
}

// isBig reports whether a table of n rows is big: SiteOptions.BigTableRows
// or more.
func (s *Site) isBig(n int64) bool {
	limit := s.cfg.BigTableRows
	switch {
	case limit < 0:
		return false
	case limit == 0:
		limit = DefaultBigTableRows
	}
	return n >= limit
}

// substringSearched is the text column a search field matches substrings
// of (icontains, or istartswith for "^"), when an index of its table can
// serve it: a column of the model, or of the model a foreign key leads to
// (the search asks that table, see searchCondition); nil otherwise.
func substringSearched(m *orm.Model, sf string) *orm.Field {
	lookup := searchLookup(sf)
	i := strings.LastIndex(lookup, "__")
	if kind := lookup[i+2:]; kind != "icontains" && kind != "istartswith" && kind != "contains" && kind != "startswith" {
		return nil
	}
	parts := strings.Split(lookup[:i], "__")
	if len(parts) == 2 {
		fk := m.Field(parts[0])
		if fk == nil || !fk.IsForeignKey() || fk.Related == nil {
			return nil
		}
		m, parts = fk.Related, parts[1:]
	}
	if len(parts) != 1 {
		return nil
	}
	f := m.Field(parts[0])
	if f == nil || !f.Concrete() || !f.Kind.IsString() || f.Model != m.ConcreteModel() {
		return nil
	}
	return f
}

// CreateAdviceIndexes creates the indexes IndexAdvice lists and returns
// what it created, Django's db_index names.
func (s *Site) CreateAdviceIndexes(ctx context.Context) ([]string, error) {
	if err := s.analyzeUnknown(ctx); err != nil {
		return nil, err
	}
	advice, err := s.IndexAdvice(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, ia := range advice {
		var name string
		var err error
		m := ia.Model.ConcreteModel() // the table's model, whose fields they are
		switch {
		case ia.Substring:
			name, err = s.db.CreateSubstringIndex(ctx, m, ia.Field)
		case ia.Search:
			name, err = s.db.CreateSearchIndex(ctx, m, ia.Field)
		default:
			var desc []bool
			if ia.Then != nil {
				desc = []bool{false, ia.ThenDesc}
			}
			name, err = s.db.CreateSortedIndex(ctx, m, ia.fields(), desc)
		}
		if err != nil {
			return names, err
		}
		names = append(names, name+" on "+ia.String())
	}
	return names, nil
}

// analyzeUnknown has PostgreSQL gather the statistics of each registered
// model's table it has none of: its size decides which indexes a big table
// needs, and a table just filled (a restore, a bulk load) is not analysed
// until autovacuum comes by — migrate --admin-indexes right after a load
// would otherwise leave out every index only a big table needs.
func (s *Site) analyzeUnknown(ctx context.Context) error {
	if s.db.Dialect().Name() != "postgres" {
		return nil
	}
	done := map[string]bool{}
	for _, a := range s.adminsByLabel() {
		m := a.base().model.ConcreteModel()
		if done[m.Table] {
			continue
		}
		done[m.Table] = true
		if ok, err := s.db.HasTable(ctx, m.Table); err != nil || !ok {
			continue
		}
		if _, known, err := s.db.Query(m).Estimate(ctx); err != nil || known {
			continue
		}
		if err := s.db.Analyze(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// checkIndexes warns of each index IndexAdvice lists (staffroom.W003).
func (s *Site) checkIndexes(ctx context.Context) []CheckMessage {
	advice, err := s.IndexAdvice(ctx)
	if err != nil {
		return []CheckMessage{{ID: "staffroom.W003", Level: LevelWarning, Msg: "The indexes the change lists need could not be read: " + err.Error()}}
	}
	var out []CheckMessage
	for _, ia := range advice {
		c := &checker{site: s, label: ia.Model.Label(), admin: typeName(s.registered(ia.Model))}
		if ia.child != nil { // the child's admin asks, of its parent's table
			c.label, c.admin = ia.child.Label(), typeName(s.registered(ia.child))
		}
		if ia.Substring {
			c.add(LevelWarning, "staffroom.W003", ia.Option, ia.Field.Name, "Run `migrate --admin-indexes` to create it.",
				"The change list searches '%s' for words anywhere in it, and %s has no substring index on it (a pg_trgm GIN index on PostgreSQL, an FTS5 trigram table on SQLite): every search reads the whole table.",
				ia.Field.Name, ia.Model.Table)
			out = append(out, c.msgs...)
			continue
		}
		if ia.Search {
			c.add(LevelWarning, "staffroom.W003", ia.Option, "@"+ia.Field.Name, "Run `migrate --admin-indexes` to create it.",
				"The change list searches '%s' by full text, and %s has no full-text index on it (a GIN index on PostgreSQL, an FTS5 table on SQLite, a FULLTEXT index on MySQL): every search reads the whole table.",
				ia.Field.Name, ia.Model.Table)
			out = append(out, c.msgs...)
			continue
		}
		if ia.Then != nil && strings.HasPrefix(ia.Option, "ListDisplay") {
			then := ia.Then.Column
			if ia.ThenDesc {
				then += " DESC"
			}
			c.add(LevelWarning, "staffroom.W003", ia.Option, ia.Field.Name, "Run `migrate --admin-indexes` to create it.",
				"The change list may be sorted by '%s', its ties by '%s', and no index of %s starts with (%s, %s): on a big table that page reads the whole table.",
				ia.Field.Name, ia.Then.Name, ia.Model.Table, ia.Field.Column, then)
			out = append(out, c.msgs...)
			continue
		}
		if ia.Then != nil {
			c.add(LevelWarning, "staffroom.W003", ia.Option, ia.Field.Name, "Run `migrate --admin-indexes` to create it.",
				"The change list filters by '%s' and sorts by '%s', and no index of %s starts with (%s, %s): each filtered page reads every row of the choice, or the table in order.",
				ia.Field.Name, ia.Then.Name, ia.Model.Table, ia.Field.Column, ia.Then.Column)
			out = append(out, c.msgs...)
			continue
		}
		c.add(LevelWarning, "staffroom.W003", ia.Option, ia.Field.Name, "Run `migrate --admin-indexes` to create it, or tag the field db_index.",
			"The change list sorts or filters by '%s', and no index of %s starts with its column %s: on a big table every page reads the whole table.",
			ia.Field.Name, ia.Model.Table, ia.Field.Column)
		out = append(out, c.msgs...)
	}
	return out
}

// indexCacheTTL is how long the site trusts what it read of a table's
// indexes: an index made while it serves is used within a minute.
const indexCacheTTL = time.Minute

// indexCache keeps, per table, the columns that lead an index.
type indexCache struct {
	mu     sync.Mutex
	tables map[string]indexedColumns
}

type indexedColumns struct {
	cols map[string]bool
	read time.Time
}

// leadsIndex reports whether the column of f leads an index of its
// table, from the catalogue read at most indexCacheTTL ago; false when
// the catalogue cannot be read.
func (s *Site) leadsIndex(ctx context.Context, f *orm.Field) bool {
	return s.indexLeads(ctx, f.Model.Table, f.Column)
}

// indexLeads reports whether an index of table starts with columns, one
// column or two joined by a comma, as LeadingIndexColumns writes them;
// from the catalogue read at most indexCacheTTL ago, and false when it
// cannot be read.
func (s *Site) indexLeads(ctx context.Context, table, columns string) bool {
	c := &s.indexes
	c.mu.Lock()
	e, ok := c.tables[table]
	c.mu.Unlock()
	if !ok || time.Since(e.read) > indexCacheTTL {
		cols, err := s.db.LeadingIndexColumns(ctx, table)
		if err != nil {
			return false
		}
		e = indexedColumns{cols: cols, read: time.Now()}
		c.mu.Lock()
		if c.tables == nil {
			c.tables = map[string]indexedColumns{}
		}
		c.tables[table] = e
		c.mu.Unlock()
	}
	return e.cols[columns]
}
