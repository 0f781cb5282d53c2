package orm

import (
	"context"
	"fmt"
	"strings"
)

// DeleteNode is one object a delete would remove, with the objects that
// depend on it (those that cascade from it), Django's NestedObjects.
type DeleteNode struct {
	Model    *Model
	Object   any
	Children []*DeleteNode
	// Links are join rows of many-to-many relations removed with Object,
	// described as "<Model>-<related> relationship: ..." strings.
	Links []string
}

// ModelCount is how many objects of one kind a delete would remove.
type ModelCount struct {
	Name  string // verbose_name_plural, e.g. "books" or "book-author relationships"
	Count int
}

// Deletion is everything a delete of some objects would do, computed before
// anything is deleted so the admin can show it.
type Deletion struct {
	Roots     []*DeleteNode
	Protected []ProtectedObject
	Counts    []ModelCount

	order   []*DeleteNode // children before parents
	links   []linkDelete
	setNull []setNullUpdate
}

// ProtectedObject is a row whose on_delete=protect key blocks the deletion.
type ProtectedObject struct {
	Model  *Model
	Object any
}

type linkDelete struct {
	field *Field // the many-to-many field
	col   string // the join table column naming the deleted object
	pk    any
}

type setNullUpdate struct {
	field *Field
	pk    any
}

// Collect computes what deleting objs (pointers to model structs) would
// cascade to, what blocks it, and how many objects of each kind go.
func (db *DB) Collect(ctx context.Context, objs ...any) (*Deletion, error) {
	d := &Deletion{}
	seen := map[string]bool{}
	counts := map[string]int{}
	var names []string
	count := func(name string, n int) {
		if _, ok := counts[name]; !ok {
			names = append(names, name)
		}
		counts[name] += n
	}
	var visit func(m *Model, obj any) (*DeleteNode, error)
	visit = func(m *Model, obj any) (*DeleteNode, error) {
		key := m.Label() + "/" + fmt.Sprint(m.PKValue(obj))
		if seen[key] {
			return nil, nil
		}
		seen[key] = true
		node := &DeleteNode{Model: m, Object: obj}
		count(m.VerboseNamePlural, 1)
		pk := m.PKValue(obj)
		for _, f := range m.Fields {
			if f.Kind == KindManyToMany && f.ThroughModel == nil {
				n, err := db.countLinks(ctx, f, f.ThroughFrom, pk)
				if err != nil {
					return nil, err
				}
				if n > 0 {
					count(linkName(f), n)
					node.Links = append(node.Links, fmt.Sprintf("%s: %d", Capfirst(linkName(f)), n))
					d.links = append(d.links, linkDelete{field: f, col: f.ThroughFrom, pk: pk})
				}
			}
		}
		for _, rel := range m.Related {
			if rel.Kind == KindManyToMany && rel.ThroughModel != nil {
				continue // the through model's foreign keys cascade
			}
			if rel.Kind == KindManyToMany {
				n, err := db.countLinks(ctx, rel, rel.ThroughTo, pk)
				if err != nil {
					return nil, err
				}
				if n > 0 {
					count(linkName(rel), n)
					node.Links = append(node.Links, fmt.Sprintf("%s: %d", Capfirst(linkName(rel)), n))
					d.links = append(d.links, linkDelete{field: rel, col: rel.ThroughTo, pk: pk})
				}
				continue
			}
			if rel.OnDelete == DoNothing {
				continue
			}
			deps, err := db.Query(rel.Model).Filter(Q{rel.Name: pk}).OrderBy("pk").All(ctx)
			if err != nil {
				return nil, err
			}
			for _, dep := range deps {
				switch rel.OnDelete {
				case Protect:
					d.Protected = append(d.Protected, ProtectedObject{Model: rel.Model, Object: dep})
				case SetNull:
					d.setNull = append(d.setNull, setNullUpdate{field: rel, pk: rel.Model.PKValue(dep)})
				case Cascade:
					child, err := visit(rel.Model, dep)
					if err != nil {
						return nil, err
					}
					if child != nil {
						node.Children = append(node.Children, child)
					}
				}
			}
		}
		d.order = append(d.order, node)
		return node, nil
	}
	for _, obj := range objs {
		m, _, err := db.modelValue(obj)
		if err != nil {
			return nil, err
		}
		node, err := visit(m, obj)
		if err != nil {
			return nil, err
		}
		if node != nil {
			d.Roots = append(d.Roots, node)
		}
	}
	for _, n := range names {
		d.Counts = append(d.Counts, ModelCount{Name: n, Count: counts[n]})
	}
	return d, nil
}

// linkName is the verbose name plural of an auto-created join model, as
// Django names it: "book-author relationships".
func linkName(f *Field) string {
	return strings.ToLower(f.Model.Name) + "-" + strings.ToLower(f.Related.Name) + " relationships"
}

func (db *DB) countLinks(ctx context.Context, f *Field, col string, pk any) (int, error) {
	d := db.dialect
	var n int
	q := "SELECT COUNT(*) FROM " + d.Quote(f.Through) + " WHERE " + d.Quote(col) + " = " + d.Placeholder(1)
	db.trace(ctx, q, nil)
	if err := db.conn(ctx).QueryRowContext(ctx, q, pk).Scan(&n); err != nil {
		return 0, fmt.Errorf("orm: count %s: %w", f.Through, err)
	}
	return n, nil
}

// Execute performs a collected deletion in one transaction. It refuses with
// a *ProtectedError when anything protected blocks it.
func (db *DB) Execute(ctx context.Context, d *Deletion) error {
	if len(d.Protected) > 0 {
		objs := make([]any, len(d.Protected))
		for i, p := range d.Protected {
			objs[i] = p.Object
		}
		return &ProtectedError{Objects: objs}
	}
	q := db.dialect.Quote
	ph := db.dialect.Placeholder
	return db.Atomic(ctx, func(ctx context.Context) error {
		for _, u := range d.setNull {
			sql := "UPDATE " + q(u.field.Model.Table) + " SET " + q(u.field.Column) + " = NULL WHERE " + q(u.field.Model.PK.Column) + " = " + ph(1)
			if _, err := db.Exec(ctx, sql, u.pk); err != nil {
				return fmt.Errorf("orm: delete: set null: %w", err)
			}
		}
		for _, l := range d.links {
			sql := "DELETE FROM " + q(l.field.Through) + " WHERE " + q(l.col) + " = " + ph(1)
			if _, err := db.Exec(ctx, sql, l.pk); err != nil {
				return fmt.Errorf("orm: delete: %s: %w", l.field.Through, err)
			}
		}
		for _, n := range d.order {
			sql := "DELETE FROM " + q(n.Model.Table) + " WHERE " + q(n.Model.PK.Column) + " = " + ph(1)
			if _, err := db.Exec(ctx, sql, n.Model.PKValue(n.Object)); err != nil {
				return fmt.Errorf("orm: delete %s: %w", n.Model.Label(), err)
			}
		}
		return nil
	})
}

// Delete removes obj and everything that cascades from it, in one
// transaction, and fails with a *ProtectedError when a protected row
// refers to it.
func (db *DB) Delete(ctx context.Context, obj any) error {
	return db.Atomic(ctx, func(ctx context.Context) error {
		d, err := db.Collect(ctx, obj)
		if err != nil {
			return err
		}
		return db.Execute(ctx, d)
	})
}
