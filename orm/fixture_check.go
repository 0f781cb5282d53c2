package orm

import (
	"context"
	"fmt"
)

// SequenceResetter is implemented by dialects whose auto-increment
// counters do not move when rows are inserted with explicit keys, as
// PostgreSQL's identity sequences do not.
type SequenceResetter interface {
	// ResetSequenceSQL returns a statement, and its arguments, that moves
	// the counter of table's auto-increment column past its largest value.
	ResetSequenceSQL(table, column string) (string, []any)
}

// resetSequences moves the id counters of every loaded table past the
// loaded keys, so later inserts do not collide with them.
func (l *loader) resetSequences(ctx context.Context) error {
	for _, m := range l.db.reg.Models() {
		if l.loaded[m] {
			if err := l.resetSequence(ctx, m); err != nil {
				return err
			}
		}
	}
	return nil
}

// resetSequence moves the id counter of m's table past its largest key,
// on databases that need it.
func (l *loader) resetSequence(ctx context.Context, m *Model) error {
	r, ok := l.db.dialect.(SequenceResetter)
	if !ok || !m.PK.IsAuto() {
		return nil
	}
	query, args := r.ResetSequenceSQL(m.Table, m.PK.Column)
	if _, err := l.db.Exec(ctx, query, args...); err != nil {
		return fmt.Errorf("reset the id sequence of %s: %w", m.Table, err)
	}
	l.explicit[m] = false
	return nil
}

// checkReferences looks, before the transaction commits, for a foreign
// key or many-to-many link of a loaded table that names a missing row,
// and reports it with the object that holds it (Django's
// check_constraints). Databases that check keys only at commit would
// otherwise say no more than that some constraint failed.
func (l *loader) checkReferences(ctx context.Context) error {
	for _, m := range l.db.reg.Models() {
		if !l.loaded[m] {
			continue
		}
		for _, f := range m.Fields {
			var err error
			switch {
			case f.IsForeignKey():
				err = l.dangling(ctx, m, f, m.Table, m.PK.Column, f.Column)
			case f.Kind == KindManyToMany:
				err = l.dangling(ctx, m, f, f.Through, f.ThroughFrom, f.ThroughTo)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// dangling reports the first row of table whose column col names no row
// of the field's related model; keyCol identifies the object of m that
// holds it.
func (l *loader) dangling(ctx context.Context, m *Model, f *Field, table, keyCol, col string) error {
	q := l.db.dialect.Quote
	t, r := q("t"), q("r")
	target := f.Related
	tcol := f.KeyField().Column // the primary key, or a foreign key's to_field
	query := fmt.Sprintf("SELECT %s.%s, %s.%s FROM %s %s LEFT JOIN %s %s ON %s.%s = %s.%s WHERE %s.%s IS NOT NULL AND %s.%s IS NULL%s",
		t, q(keyCol), t, q(col), q(table), t, q(target.Table), r, r, q(tcol), t, q(col),
		t, q(col), r, q(tcol), l.db.dialect.LimitOffset(1, 0))
	rows, err := l.db.QueryRaw(ctx, query)
	if err != nil {
		return fmt.Errorf("check the references of %s: %w", table, err)
	}
	defer rows.Close()
	if !rows.Next() {
		return rows.Err()
	}
	var key, ref any
	if err := rows.Scan(&key, &ref); err != nil {
		return fmt.Errorf("check the references of %s: %w", table, err)
	}
	key, ref = bytesAsText(key), bytesAsText(ref)
	if v, err := l.db.dialect.FromDB(m.PK, key); err == nil && v != nil {
		key = v // a UUID as the fixture writes it
	}
	if v, err := l.db.dialect.FromDB(f.KeyField(), ref); err == nil && v != nil {
		ref = v
	}
	e := &FixtureError{Model: m.App.Label + "." + m.ModelName, Field: f.Name,
		Err: fmt.Errorf("%s.%s %v does not exist", target.App.Label, target.ModelName, ref)}
	if it := l.byPK[m.Label()+" "+fmt.Sprint(key)]; it != nil {
		e.Index, e.Model = it.index, it.label
	} else {
		e.Err = fmt.Errorf("the row with pk %v points at %w", key, e.Err)
	}
	return e
}

// bytesAsText turns the bytes some drivers return for numbers into text.
func bytesAsText(v any) any {
	if b, ok := v.([]byte); ok {
		return string(b)
	}
	return v
}
