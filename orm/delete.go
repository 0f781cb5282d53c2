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
	// in key order.
	Links []Link

	depth int
}

// ModelCount is how many objects of one kind a delete would remove.
type ModelCount struct {
	Name  string // verbose_name_plural, e.g. "books" or "book-author relationships"
	Count int
}

// Deletion is everything a delete of some objects would do, computed before
// anything is deleted so the admin can show it.
type Deletion struct {
	// Roots are the objects asked for, each with what cascades from it;
	// every object appears once in the tree, under the first object found
	// to reach it.
	Roots []*DeleteNode
	// Protected are the rows that block the delete: those whose
	// on_delete=protect key points at a deleted object, and those whose
	// on_delete=restrict key does unless the same delete also removes them
	// through a cascade.
	Protected []ProtectedObject
	// Updates are the rows that stay but whose key is set to NULL
	// (on_delete=set_null) or to its default (on_delete=set_default).
	Updates []FieldUpdate
	// Counts is how many objects of each kind go, join rows of
	// many-to-many relations included, in the order first met.
	Counts []ModelCount

	nodes map[string]*DeleteNode // by model label and primary key
	links []linkDelete
}

// ProtectedObject is a row whose foreign key blocks the deletion.
type ProtectedObject struct {
	Model  *Model
	Object any
	Field  *Field   // the foreign key pointing at a deleted object
	Reason OnDelete // Protect or Restrict
}

// FieldUpdate is a foreign key a delete sets on rows it does not delete.
type FieldUpdate struct {
	Field   *Field
	Value   any   // nil for SET_NULL, the field's default for SET_DEFAULT
	Objects []any // the rows, in primary key order
}

// linkDelete removes the join rows of a many-to-many field whose column
// names deleted objects.
type linkDelete struct {
	field *Field
	col   string
	keys  []any
}

// Link is a join row of a many-to-many field removed with an object: an
// instance of the join model Django creates for the field.
type Link struct {
	Field *Field // the many-to-many field, on the model declaring it
	ID    int64  // the row's key
}

// VerboseName is the join model's verbose name, as Django names it:
// "book-author relationship".
func (l Link) VerboseName() string { return linkEnds(l.Field) + " relationship" }

// String is the row as Django's default __str__ writes it:
// "Book_authors object (3)".
func (l Link) String() string {
	return fmt.Sprintf("%s_%s object (%d)", l.Field.Model.Name, l.Field.Name, l.ID)
}

// linkName is the verbose name plural of an auto-created join model, as
// Django names it: "book-author relationships".
func linkName(f *Field) string { return linkEnds(f) + " relationships" }

// linkEnds names the two ends of f's join model as Django's verbose name
// does: "book-author", or "from_member-to_member" for a relation of a
// model to itself.
func linkEnds(f *Field) string {
	from, to := strings.ToLower(f.Model.Name), strings.ToLower(f.Related.Name)
	if f.Related == f.Model {
		from, to = "from_"+from, "to_"+to
	}
	return from + "-" + to
}

// Collect computes what deleting objs (pointers to model structs) would
// do: every object it cascades to, arranged as a tree, what blocks it,
// which rows it would update, and how many objects of each kind go.
//
// It walks the relations level by level: for each kind of object at one
// level, one query per reverse relation (and one per many-to-many join
// table) fetches the dependents of all of them with "__in", so the number
// of queries grows with the depth of the cascade and the number of
// relations, not with the number of objects.
func (db *DB) Collect(ctx context.Context, objs ...any) (*Deletion, error) {
	c := &collector{db: db, d: &Deletion{nodes: map[string]*DeleteNode{}}, counts: map[string]int{}}
	var level []*DeleteNode
	for _, obj := range objs {
		m, _, err := db.modelValue(obj)
		if err != nil {
			return nil, err
		}
		if node := c.add(m, obj, nil, 0); node != nil {
			c.d.Roots = append(c.d.Roots, node)
			level = append(level, node)
		}
	}
	for len(level) > 0 {
		next, err := c.expand(ctx, level)
		if err != nil {
			return nil, err
		}
		level = next
	}
	c.finish()
	return c.d, nil
}

// collector holds the state of one Collect.
type collector struct {
	db         *DB
	d          *Deletion
	counts     map[string]int
	names      []string
	restricted []ProtectedObject
	updates    map[*Field][]any
	updateKeys []*Field
}

func nodeKey(m *Model, pk any) string { return m.Label() + "/" + m.PK.Format(pk) }

// add records obj as deleted, under parent, unless it already is.
func (c *collector) add(m *Model, obj any, parent *DeleteNode, depth int) *DeleteNode {
	key := nodeKey(m, m.PKValue(obj))
	if c.d.nodes[key] != nil {
		return nil
	}
	node := &DeleteNode{Model: m, Object: obj, depth: depth}
	c.d.nodes[key] = node
	c.count(m.VerboseNamePlural, 1)
	if parent != nil {
		parent.Children = append(parent.Children, node)
	}
	return node
}

func (c *collector) count(name string, n int) {
	if _, ok := c.counts[name]; !ok {
		c.names = append(c.names, name)
	}
	c.counts[name] += n
}

// expand finds the dependents of one level's objects and returns the next
// level: the objects newly reached by a cascade.
func (c *collector) expand(ctx context.Context, level []*DeleteNode) ([]*DeleteNode, error) {
	var next []*DeleteNode
	for _, group := range groupByModel(level) {
		m := group[0].Model
		next = c.collectParents(group, next)
		for _, f := range m.Fields {
			if f.Kind == KindManyToMany && f.ThroughModel == nil {
				if err := c.collectLinks(ctx, f, f.ThroughFrom, group); err != nil {
					return nil, err
				}
			}
		}
		for _, rel := range m.Related {
			var err error
			switch {
			case rel.Kind == KindManyToMany && rel.ThroughModel == nil:
				err = c.collectLinks(ctx, rel, rel.ThroughTo, group)
			case rel.IsForeignKey() && rel.OnDelete != DoNothing:
				next, err = c.collectDependents(ctx, rel, group, next)
			}
			if err != nil {
				return nil, err
			}
		}
		// Django's collector follows generic relations after the
		// reverse relations, so their objects come after in the lists
		// and the summary.
		for _, f := range m.Fields {
			if f.Kind == KindGenericRelation {
				var err error
				if next, err = c.collectGeneric(ctx, f, group, next); err != nil {
					return nil, err
				}
			}
		}
	}
	return next, nil
}

// groupByModel splits a level into runs of one model, in first-seen order.
func groupByModel(level []*DeleteNode) [][]*DeleteNode {
	var order []*Model
	groups := map[*Model][]*DeleteNode{}
	for _, n := range level {
		if groups[n.Model] == nil {
			order = append(order, n.Model)
		}
		groups[n.Model] = append(groups[n.Model], n)
	}
	out := make([][]*DeleteNode, len(order))
	for i, m := range order {
		out[i] = groups[m]
	}
	return out
}

// collectDependents fetches, in batches, the rows whose key rel points at
// the group's objects and deals with each as rel's on_delete says.
func (c *collector) collectDependents(ctx context.Context, rel *Field, group []*DeleteNode, next []*DeleteNode) ([]*DeleteNode, error) {
	parents := map[string]*DeleteNode{}
	keys := make([]any, 0, len(group))
	for _, n := range group {
		k := n.Model.fieldOf(rel.Target()).Get(n.Object)
		parents[rel.Format(k)] = n
		keys = append(keys, k)
	}
	for _, batch := range batches(keys) {
		deps, err := c.db.Query(rel.Model).Filter(Q{rel.Name + "__in": batch}).OrderBy("pk").All(ctx)
		if err != nil {
			return nil, err
		}
		for _, dep := range deps {
			parent := parents[rel.Format(rel.Get(dep))]
			switch rel.OnDelete {
			case Cascade:
				if node := c.add(rel.Model, dep, parent, parent.depth+1); node != nil {
					next = append(next, node)
				}
			case Protect:
				c.d.Protected = append(c.d.Protected, ProtectedObject{Model: rel.Model, Object: dep, Field: rel, Reason: Protect})
			case Restrict:
				c.restricted = append(c.restricted, ProtectedObject{Model: rel.Model, Object: dep, Field: rel, Reason: Restrict})
			case SetNull, SetDefault:
				c.update(rel, dep)
			}
		}
	}
	return next, nil
}

func (c *collector) update(rel *Field, obj any) {
	if c.updates == nil {
		c.updates = map[*Field][]any{}
	}
	if c.updates[rel] == nil {
		c.updateKeys = append(c.updateKeys, rel)
	}
	c.updates[rel] = append(c.updates[rel], obj)
}

// batchSize bounds the values bound in one IN list, well under every
// database's parameter limit.
const batchSize = 500

func batches(keys []any) [][]any {
	var out [][]any
	for len(keys) > batchSize {
		out = append(out, keys[:batchSize])
		keys = keys[batchSize:]
	}
	return append(out, keys)
}

// finish drops the restricted and updated rows the delete removes anyway,
// and totals the counts.
func (c *collector) finish() {
	for _, r := range c.restricted {
		if c.d.nodes[nodeKey(r.Model, r.Model.PKValue(r.Object))] == nil {
			c.d.Protected = append(c.d.Protected, r)
		}
	}
	for _, f := range c.updateKeys {
		u := FieldUpdate{Field: f}
		if f.OnDelete == SetDefault {
			u.Value, _ = f.DefaultValue()
		}
		for _, obj := range c.updates[f] {
			if c.d.nodes[nodeKey(f.Model, f.Model.PKValue(obj))] == nil {
				u.Objects = append(u.Objects, obj)
			}
		}
		if len(u.Objects) > 0 {
			c.d.Updates = append(c.d.Updates, u)
		}
	}
	for _, n := range c.names {
		c.d.Counts = append(c.d.Counts, ModelCount{Name: n, Count: c.counts[n]})
	}
}
