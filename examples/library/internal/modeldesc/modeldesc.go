// Package modeldesc describes registered models by what a database's
// schema can say of them: tables, columns, kinds, keys, relations, join
// tables and indexes. The inspectdb test describes the models inspectdb
// wrote, in a program of their own, and the hand-written ones, and
// compares the two.
package modeldesc

import (
	"fmt"
	"sort"

	"github.com/staffroom/staffroom/orm"
)

// Field is a concrete field, a column.
type Field struct {
	Kind       string // orm.Kind's name: "CharField"
	Null       bool
	Unique     bool
	PrimaryKey bool
	MaxLength  int
	MaxDigits  int
	Places     int
	// RelatedTable and RelatedColumn are the table and column a foreign
	// key points at.
	RelatedTable, RelatedColumn string
	ParentLink                  bool // the link of a multi-table child
}

// ManyToMany is a many-to-many field, keyed by its join table.
type ManyToMany struct {
	Field        string // the field's name
	RelatedTable string
	From, To     string // the join table's columns
	Symmetrical  bool
}

// Index is a Meta.Indexes entry, by columns ("-" before a descending one).
type Index struct {
	Name    string
	Columns []string
	Unique  bool
}

// Constraint is a Meta.Constraints entry.
type Constraint struct {
	Name      string
	Columns   []string
	Condition string // the Q, as fmt prints it (keys in order)
}

// Model is a model by its table.
type Model struct {
	Fields         map[string]Field      // by column
	ManyToMany     map[string]ManyToMany // by join table
	UniqueTogether [][]string            // column sets
	IndexTogether  [][]string
	Indexes        []Index
	Constraints    []Constraint
}

// Describe describes the models of r whose table is one of tables,
// proxies left out. r must be ready.
func Describe(r *orm.Registry, tables []string) (map[string]Model, error) {
	want := map[string]bool{}
	for _, t := range tables {
		want[t] = true
	}
	out := map[string]Model{}
	for _, m := range r.Models() {
		if m.ProxyFor != nil || m.AutoCreated != nil || !want[m.Table] {
			continue
		}
		if _, dup := out[m.Table]; dup {
			return nil, fmt.Errorf("modeldesc: two models of the table %s", m.Table)
		}
		d, err := describe(m)
		if err != nil {
			return nil, err
		}
		out[m.Table] = d
	}
	return out, nil
}

func describe(m *orm.Model) (Model, error) {
	d := Model{Fields: map[string]Field{}, ManyToMany: map[string]ManyToMany{}}
	for _, f := range m.Fields {
		switch {
		case f.Kind == orm.KindManyToMany:
			d.ManyToMany[f.Through] = ManyToMany{Field: f.Name, RelatedTable: f.Related.Table,
				From: f.ThroughFrom, To: f.ThroughTo, Symmetrical: f.Symmetrical}
		case f.Concrete():
			d.Fields[f.Column] = field(m, f)
		}
	}
	cols := func(names []string) ([]string, error) {
		out := make([]string, len(names))
		for i, n := range names {
			desc := ""
			if len(n) > 0 && n[0] == '-' {
				desc, n = "-", n[1:]
			}
			f := m.Field(n)
			if f == nil {
				return nil, fmt.Errorf("modeldesc: %s has no field %s", m.Name, n)
			}
			out[i] = desc + f.Column
		}
		return out, nil
	}
	var err error
	for _, set := range m.Meta.UniqueTogether {
		c, e := cols(set)
		d.UniqueTogether, err = append(d.UniqueTogether, c), errorsJoin(err, e)
	}
	for _, set := range m.Meta.IndexTogether {
		c, e := cols(set)
		d.IndexTogether, err = append(d.IndexTogether, c), errorsJoin(err, e)
	}
	for _, ix := range m.Meta.Indexes {
		c, e := cols(ix.Fields)
		d.Indexes, err = append(d.Indexes, Index{Name: ix.Name, Columns: c, Unique: ix.Unique}), errorsJoin(err, e)
	}
	for _, uc := range m.Meta.Constraints {
		c, e := cols(uc.Fields)
		d.Constraints, err = append(d.Constraints, Constraint{Name: uc.Name, Columns: c, Condition: fmt.Sprint(uc.Condition)}), errorsJoin(err, e)
	}
	sort.Slice(d.Indexes, func(i, k int) bool { return d.Indexes[i].Name < d.Indexes[k].Name })
	sort.Slice(d.Constraints, func(i, k int) bool { return d.Constraints[i].Name < d.Constraints[k].Name })
	return d, err
}

func field(m *orm.Model, f *orm.Field) Field {
	d := Field{Kind: f.Kind.String(), Null: f.Null, Unique: f.Unique, PrimaryKey: f.PrimaryKey,
		MaxLength: f.MaxLength, MaxDigits: f.MaxDigits, Places: f.Places, ParentLink: f == m.ParentLink()}
	if f.IsForeignKey() && f.Related != nil {
		d.RelatedTable = f.Related.Table
		if t := f.Target(); t != nil {
			d.RelatedColumn = t.Column
		}
	}
	return d
}

func errorsJoin(a, b error) error {
	if a != nil {
		return a
	}
	return b
}
