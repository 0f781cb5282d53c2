package orm

import (
	"context"
	"fmt"
)

// naturalKeySet holds natural keys by model and pkKey of the primary key.
type naturalKeySet map[*Model]map[any][]any

// naturalKeys reads, for NaturalForeign, the natural keys of the rows a
// batch's foreign keys and many-to-many links point at, one query per
// model.
func (d *dumper) naturalKeys(ctx context.Context, m *Model, objs []any, links linkSet) (naturalKeySet, error) {
	wanted := map[*Model][]any{}
	seen := map[*Model]map[any]bool{}
	want := func(target *Model, pk any) {
		if seen[target] == nil {
			seen[target] = map[any]bool{}
		}
		if k := pkKey(pk); !seen[target][k] {
			seen[target][k] = true
			wanted[target] = append(wanted[target], pk)
		}
	}
	for _, f := range m.Fields {
		if !d.opts.NaturalForeign || !f.IsRelation() || !f.Related.HasNaturalKey() {
			continue
		}
		if f.Kind == KindManyToMany {
			for _, ids := range links[f] {
				for _, id := range ids {
					want(f.Related, id)
				}
			}
			continue
		}
		if f.Target() != f.Related.PK {
			continue // a to_field key is written as it is
		}
		for _, obj := range objs {
			if id, ok := f.keyOf(obj); ok {
				want(f.Related, id)
			}
		}
	}
	keys := naturalKeySet{}
	for _, target := range dependencyOrder(d.db.reg.Models()) {
		if len(wanted[target]) == 0 {
			continue
		}
		got, err := d.db.naturalKeys(ctx, target, wanted[target])
		if err != nil {
			return nil, fmt.Errorf("natural keys of %s: %w", target.Label(), err)
		}
		keys[target] = got
	}
	return keys, nil
}

// object writes one object of the fixture.
func (d *dumper) object(m *Model, obj any, links linkSet, keys naturalKeySet) error {
	pk := m.PK.Get(obj)
	members := []member{{"model", jsonString(m.App.Label + "." + m.ModelName)}}
	if !d.opts.NaturalPrimary || !m.HasNaturalKey() {
		v, err := scalarJSON(m.PK, pk)
		if err != nil {
			return fmt.Errorf("pk %v: %w", pk, err)
		}
		members = append(members, member{"pk", v})
	}
	fields := make([]member, 0, len(m.Fields))
	for _, f := range m.ConcreteFields() {
		if f == m.PK {
			continue
		}
		v, err := d.fieldJSON(f, obj, keys)
		if err != nil {
			return fmt.Errorf("pk %v: field %s: %w", pk, f.Name, err)
		}
		fields = append(fields, member{f.Name, v})
	}
	for _, f := range m.Fields {
		if f.Kind != KindManyToMany {
			continue
		}
		ids := links[f][m.PK.Format(pk)]
		list := make([]any, len(ids))
		for i, id := range ids {
			v, err := d.relatedJSON(f.Related, id, keys)
			if err != nil {
				return fmt.Errorf("pk %v: field %s: %w", pk, f.Name, err)
			}
			list[i] = v
		}
		fields = append(fields, member{f.Name, list})
	}
	return d.write(append(members, member{"fields", fields}))
}

// fieldJSON returns the JSON of a concrete field's value.
func (d *dumper) fieldJSON(f *Field, obj any, keys naturalKeySet) (any, error) {
	if !f.IsForeignKey() {
		return scalarJSON(f, f.Get(obj))
	}
	id, ok := f.keyOf(obj)
	if !ok {
		return rawJSON("null"), nil
	}
	if f.Kind != KindForeignKey || f.Target() != f.Related.PK {
		return scalarJSON(f.Target(), id)
	}
	return d.relatedJSON(f.Related, id, keys)
}

// relatedJSON names a related row: by its natural key when the options and
// the model allow it and the key was found, by its primary key otherwise.
func (d *dumper) relatedJSON(target *Model, id any, keys naturalKeySet) (any, error) {
	key, ok := keys[target][pkKey(id)]
	if !ok || !d.opts.NaturalForeign {
		return scalarJSON(target.PK, id)
	}
	fields := target.naturalKeyFields()
	list := make([]any, len(key))
	for i, v := range key {
		raw, err := scalarJSON(fields[i], v)
		if err != nil {
			return nil, fmt.Errorf("natural key of %s %v: %w", target.Label(), id, err)
		}
		list[i] = raw
	}
	return list, nil
}

// write writes one object of the array with the separator before it.
func (d *dumper) write(obj []member) error {
	d.buf.Reset()
	if !d.first {
		d.buf.WriteByte(',')
		if d.opts.Indent <= 0 {
			d.buf.WriteByte(' ')
		}
	}
	d.first = false
	if d.opts.Indent > 0 {
		d.buf.WriteByte('\n')
		writeIndent(&d.buf, d.opts.Indent, 1)
	}
	writeJSON(&d.buf, obj, d.opts.Indent, 1)
	_, err := d.w.Write(d.buf.Bytes())
	return err
}
