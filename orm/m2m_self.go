package orm

import (
	"context"
	"errors"
	"fmt"
)

// resolveSymmetry decides whether the many-to-many field f of m is
// symmetrical, as Django's ManyToManyField does: a relation of a model to
// itself is, unless tagged symmetrical=false; a symmetrical relation has
// no reverse side, so its related name is the hidden "<name>_rel_+".
func (f *Field) resolveSymmetry(m *Model) error {
	self := f.Related == m
	if f.symmetrical != "" && !self {
		return fmt.Errorf("symmetrical applies to a many-to-many field to its own model, not to %s", f.Related.Name)
	}
	f.Symmetrical = self && f.symmetrical != "false"
	if !f.Symmetrical {
		return nil
	}
	hidden := f.Name + "_rel_+"
	if f.RelatedName != "" && f.RelatedName != hidden || f.RelatedQueryName != "" {
		return errors.New("a symmetrical relation has no reverse side: tag it symmetrical=false to give it a related_name or related_query_name")
	}
	f.RelatedName = hidden
	return nil
}

// addLinks writes the link from → to of f unless it exists and, for a
// symmetrical relation, the link to → from too, as Django's add() does.
func (db *DB) addLinks(ctx context.Context, f *Field, from, to any) error {
	if err := db.addLink(ctx, f, from, to); err != nil {
		return err
	}
	if !f.Symmetrical {
		return nil
	}
	exists, err := db.linkExists(ctx, f, to, from)
	if err != nil || exists {
		return err
	}
	return db.addLink(ctx, f, to, from)
}

// linkExists reports whether the join table of f holds the row from → to.
func (db *DB) linkExists(ctx context.Context, f *Field, from, to any) (bool, error) {
	fromArg, err := db.keyArg(f.Model.PK, from)
	if err != nil {
		return false, err
	}
	toArg, err := db.keyArg(f.Related.PK, to)
	if err != nil {
		return false, err
	}
	d := db.dialect
	q := "SELECT COUNT(*) FROM " + d.Quote(f.Through) + " WHERE " + d.Quote(f.ThroughFrom) + " = " + d.Placeholder(1) + " AND " + d.Quote(f.ThroughTo) + " = " + d.Placeholder(2)
	rows, err := db.QueryRaw(ctx, q, fromArg, toArg)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return false, err
		}
	}
	return n > 0, rows.Err()
}

// removeLink deletes the link from → to of f and, for a symmetrical
// relation, the link to → from, as Django's remove() does.
func (db *DB) removeLink(ctx context.Context, f *Field, from, to any) error {
	fromArg, err := db.keyArg(f.Model.PK, from)
	if err != nil {
		return err
	}
	toArg, err := db.keyArg(f.Related.PK, to)
	if err != nil {
		return err
	}
	d := db.dialect
	cond := d.Quote(f.ThroughFrom) + " = " + d.Placeholder(1) + " AND " + d.Quote(f.ThroughTo) + " = " + d.Placeholder(2)
	args := []any{fromArg, toArg}
	if f.Symmetrical {
		cond = "(" + cond + ") OR (" + d.Quote(f.ThroughFrom) + " = " + d.Placeholder(3) + " AND " + d.Quote(f.ThroughTo) + " = " + d.Placeholder(4) + ")"
		args = append(args, toArg, fromArg)
	}
	_, err = db.Exec(ctx, "DELETE FROM "+d.Quote(f.Through)+" WHERE "+cond, args...)
	return err
}

// AddM2MKeys adds links from obj to keys in its many-to-many field name,
// leaving those it has, Django's add(): for a symmetrical relation the
// links back are written too. The field then holds the relation's keys.
func (db *DB) AddM2MKeys(ctx context.Context, obj any, name string, keys ...any) error {
	m, f, err := db.m2mField(obj, name)
	if err != nil {
		return err
	}
	add, err := f.normalizeKeys(keys)
	if err != nil {
		return err
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		for _, k := range add {
			exists, err := db.linkExists(ctx, f, m.PK.Get(obj), k)
			if err != nil {
				return fmt.Errorf("orm: add to %s.%s: %w", m.Label(), name, err)
			}
			if exists {
				continue
			}
			if err := db.addLinks(ctx, f, m.PK.Get(obj), k); err != nil {
				return fmt.Errorf("orm: add to %s.%s: %w", m.Label(), name, err)
			}
		}
		_, err := db.LoadM2MKeys(ctx, obj, name)
		return err
	})
}

// RemoveM2MKeys removes the links from obj to keys in its many-to-many
// field name, Django's remove(): for a symmetrical relation the links back
// go too. The field then holds the relation's keys.
func (db *DB) RemoveM2MKeys(ctx context.Context, obj any, name string, keys ...any) error {
	m, f, err := db.m2mField(obj, name)
	if err != nil {
		return err
	}
	remove, err := f.normalizeKeys(keys)
	if err != nil {
		return err
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		for _, k := range remove {
			if err := db.removeLink(ctx, f, m.PK.Get(obj), k); err != nil {
				return fmt.Errorf("orm: remove from %s.%s: %w", m.Label(), name, err)
			}
		}
		_, err := db.LoadM2MKeys(ctx, obj, name)
		return err
	})
}
