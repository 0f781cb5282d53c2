package orm

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// collectLinks reads, with one query per batch, the keys of the join rows
// of a many-to-many field whose column col names one of the group's
// objects, counts them and records them for deletion.
func (c *collector) collectLinks(ctx context.Context, f *Field, col string, group []*DeleteNode) error {
	nodes := map[string]*DeleteNode{}
	pk := group[0].Model.PK
	keys := make([]any, 0, len(group))
	for _, n := range group {
		k := n.Model.PKValue(n.Object)
		nodes[pk.Format(k)] = n
		keys = append(keys, k)
	}
	keys = c.db.driverValues(pk, keys)
	d := c.db.dialect
	for _, batch := range batches(keys) {
		q := "SELECT " + d.Quote(col) + ", " + d.Quote("id") + " FROM " + d.Quote(f.Through) + " WHERE " + d.Quote(col) + " IN (" + placeholders(d, len(batch)) + ") ORDER BY " + d.Quote(col) + ", " + d.Quote("id")
		rows, err := c.db.QueryRaw(ctx, q, batch...)
		if err != nil {
			return fmt.Errorf("orm: count %s: %w", f.Through, err)
		}
		for rows.Next() {
			var raw, row any
			if err := rows.Scan(&raw, &row); err != nil {
				rows.Close()
				return fmt.Errorf("orm: count %s: %w", f.Through, err)
			}
			key, err := d.FromDB(pk, raw)
			if err != nil {
				rows.Close()
				return fmt.Errorf("orm: count %s: %w", f.Through, err)
			}
			rowID, _ := toInt64(row)
			if node := nodes[pk.Format(key)]; node != nil {
				c.count(linkName(f), 1)
				node.Links = append(node.Links, Link{Field: f, ID: rowID})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("orm: count %s: %w", f.Through, err)
		}
	}
	c.d.links = append(c.d.links, linkDelete{field: f, col: col, keys: keys})
	return nil
}

func placeholders(d Dialect, n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = d.Placeholder(i + 1)
	}
	return strings.Join(marks, ", ")
}

// ProtectedError is returned by a delete that would remove rows protected
// by an on_delete=protect foreign key. Objects lists the protecting rows.
type ProtectedError struct {
	Objects []any
	Fields  []string // the protecting foreign keys, "Model.field"
}

// Error names the protecting foreign keys.
func (e *ProtectedError) Error() string {
	return fmt.Sprintf("orm: cannot delete: %d related object(s) referenced through protected foreign keys %s", len(e.Objects), strings.Join(e.Fields, ", "))
}

// RestrictedError is returned by a delete that would remove rows an
// on_delete=restrict foreign key points at, when the delete does not also
// remove the restricting rows through a cascade.
type RestrictedError struct {
	Objects []any
	Fields  []string // the restricting foreign keys, "Model.field"
}

// Error names the restricting foreign keys.
func (e *RestrictedError) Error() string {
	return fmt.Sprintf("orm: cannot delete: %d related object(s) referenced through restricted foreign keys %s", len(e.Objects), strings.Join(e.Fields, ", "))
}

// blocked returns the error for the protected rows of d, or nil: a
// *ProtectedError when any is protected, else a *RestrictedError.
func (d *Deletion) blocked() error {
	var prot, rest []any
	var protFields, restFields []string
	for _, p := range d.Protected {
		name := p.Field.Model.Name + "." + p.Field.Name
		if p.Reason == Restrict {
			rest, restFields = append(rest, p.Object), appendOnce(restFields, name)
		} else {
			prot, protFields = append(prot, p.Object), appendOnce(protFields, name)
		}
	}
	switch {
	case len(prot) > 0:
		return &ProtectedError{Objects: prot, Fields: protFields}
	case len(rest) > 0:
		return &RestrictedError{Objects: rest, Fields: restFields}
	}
	return nil
}

func appendOnce(list []string, s string) []string {
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

// Execute performs a collected deletion in one transaction: the updates of
// set_null and set_default keys, then the join rows, then the objects,
// dependents before what they point at. It refuses with a *ProtectedError
// or *RestrictedError when anything blocks it.
func (db *DB) Execute(ctx context.Context, d *Deletion) error {
	if err := d.blocked(); err != nil {
		return err
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		for _, u := range d.Updates {
			if err := db.executeUpdate(ctx, u); err != nil {
				return fmt.Errorf("orm: delete: set %s.%s: %w", u.Field.Model.Name, u.Field.Name, err)
			}
		}
		for _, l := range d.links {
			if err := db.deleteIn(ctx, l.field.Through, l.col, l.keys); err != nil {
				return fmt.Errorf("orm: delete: %s: %w", l.field.Through, err)
			}
		}
		for _, group := range d.deleteOrder() {
			m := group[0].Model
			pks := make([]any, len(group))
			for i, n := range group {
				pks[i] = m.PKValue(n.Object)
			}
			if err := db.deleteIn(ctx, m.Table, m.PK.Column, db.driverValues(m.PK, pks)); err != nil {
				return fmt.Errorf("orm: delete %s: %w", m.Label(), err)
			}
		}
		return nil
	})
}

func (db *DB) executeUpdate(ctx context.Context, u FieldUpdate) error {
	m, d := u.Field.Model, db.dialect
	val, err := u.Field.normalize(u.Value)
	if err != nil {
		return err
	}
	if val != nil {
		val = d.ToDB(u.Field, val)
	}
	pks := make([]any, len(u.Objects))
	for i, obj := range u.Objects {
		pks[i] = m.PKValue(obj)
	}
	for _, batch := range batches(db.driverValues(m.PK, pks)) {
		q := "UPDATE " + d.Quote(m.Table) + " SET " + d.Quote(u.Field.Column) + " = " + d.Placeholder(1) +
			" WHERE " + d.Quote(m.PK.Column) + " IN (" + placeholdersFrom(d, 2, len(batch)) + ")"
		if _, err := db.Exec(ctx, q, append([]any{val}, batch...)...); err != nil {
			return err
		}
	}
	return nil
}

func placeholdersFrom(d Dialect, first, n int) string {
	marks := make([]string, n)
	for i := range marks {
		marks[i] = d.Placeholder(first + i)
	}
	return strings.Join(marks, ", ")
}

// driverValues converts primary keys for binding.
func (db *DB) driverValues(f *Field, vals []any) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
		if n, err := f.normalize(v); err == nil && n != nil {
			out[i] = db.dialect.ToDB(f, n)
		}
	}
	return out
}

// deleteIn deletes, in batches, the rows of table whose col is in keys.
func (db *DB) deleteIn(ctx context.Context, table, col string, keys []any) error {
	d := db.dialect
	for _, batch := range batches(keys) {
		q := "DELETE FROM " + d.Quote(table) + " WHERE " + d.Quote(col) + " IN (" + placeholders(d, len(batch)) + ")"
		if _, err := db.Exec(ctx, q, batch...); err != nil {
			return err
		}
	}
	return nil
}

// deleteOrder groups the collected objects by model and depth, ordered so
// that rows are deleted before the rows they point at — MySQL checks
// foreign keys row by row — and, within a model, deepest first, one depth
// per statement, for keys from a model to itself.
func (d *Deletion) deleteOrder() [][]*DeleteNode {
	byModel := map[*Model][]*DeleteNode{}
	var first []*Model
	var walk func(n *DeleteNode)
	walk = func(n *DeleteNode) {
		if byModel[n.Model] == nil {
			first = append(first, n.Model)
		}
		byModel[n.Model] = append(byModel[n.Model], n)
		for _, c := range n.Children {
			walk(c)
		}
	}
	for _, r := range d.Roots {
		walk(r)
	}
	var out [][]*DeleteNode
	for _, m := range modelOrder(first, byModel) {
		out = append(out, byDepth(byModel[m])...)
	}
	return out
}

// modelOrder sorts the collected models so that a model comes after every
// other collected model with a foreign key to it.
func modelOrder(first []*Model, collected map[*Model][]*DeleteNode) []*Model {
	var order []*Model
	done := map[*Model]bool{}
	var visit func(m *Model)
	visit = func(m *Model) {
		if done[m] {
			return
		}
		done[m] = true
		for _, rel := range m.Related {
			if rel.IsForeignKey() && rel.Model != m && collected[rel.Model] != nil {
				visit(rel.Model)
			}
		}
		order = append(order, m)
	}
	for _, m := range first {
		visit(m)
	}
	return order
}

// byDepth splits one model's nodes into groups of one depth, deepest first.
func byDepth(nodes []*DeleteNode) [][]*DeleteNode {
	sort.SliceStable(nodes, func(a, b int) bool { return nodes[a].depth > nodes[b].depth })
	var out [][]*DeleteNode
	for i, n := range nodes {
		if i == 0 || n.depth != nodes[i-1].depth {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], n)
	}
	return out
}

// Delete removes objs and everything that cascades from them, in one
// transaction, and fails with a *ProtectedError or *RestrictedError when a
// row that protects or restricts them refers to them.
func (db *DB) Delete(ctx context.Context, objs ...any) error {
	return db.Atomic(ctx, func(ctx context.Context) error {
		d, err := db.Collect(ctx, objs...)
		if err != nil {
			return err
		}
		return db.Execute(ctx, d)
	})
}
