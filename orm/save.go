package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
)

// Insert adds obj (a pointer to a model struct) as a new row. An auto
// primary key left at zero is filled from the database; another primary
// key left at its zero value (uuid.Nil, "") that has a default (a UUID
// key's default=uuid4, Meta.Defaults) gets a new one first.
//
// A multi-table child's parent row is inserted first, and the child's row
// then gets the parent's key.
func (db *DB) Insert(ctx context.Context, obj any) error {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return err
	}
	if link := m.parentLink; link != nil {
		if err := db.Insert(ctx, link.parentObject(obj)); err != nil {
			return err
		}
	}
	return db.insertRow(ctx, m, obj)
}

// insertRow inserts obj's row in m's own table.
func (db *DB) insertRow(ctx context.Context, m *Model, obj any) error {
	if err := m.fillPKDefault(obj); err != nil {
		return fmt.Errorf("orm: insert %s: %w", m.Label(), err)
	}
	var cols, marks []string
	var args []any
	auto := m.PK.IsAuto() && isZeroKey(m.PK.Get(obj))
	for _, f := range m.columns {
		if f == m.PK && auto {
			continue
		}
		val, err := db.fieldValue(f, obj)
		if err != nil {
			return fmt.Errorf("orm: insert %s: %w", m.Label(), err)
		}
		cols = append(cols, db.dialect.Quote(f.Column))
		args = append(args, val)
		marks = append(marks, db.dialect.Placeholder(len(args)))
	}
	table := db.dialect.Quote(m.Table)
	var query string
	if len(cols) == 0 {
		query = "INSERT INTO " + table + " DEFAULT VALUES"
	} else {
		query = "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" + strings.Join(marks, ", ") + ")"
	}
	if !auto {
		if _, err := db.Exec(ctx, query, args...); err != nil {
			return fmt.Errorf("orm: insert %s: %w", m.Label(), err)
		}
		return nil
	}
	var id int64
	if db.dialect.Returning() {
		query += " RETURNING " + db.dialect.Quote(m.PK.Column)
		db.trace(ctx, query, args)
		if err := db.conn(ctx).QueryRowContext(ctx, query, args...).Scan(&id); err != nil {
			return fmt.Errorf("orm: insert %s: %w", m.Label(), err)
		}
	} else {
		res, err := db.Exec(ctx, query, args...)
		if err != nil {
			return fmt.Errorf("orm: insert %s: %w", m.Label(), err)
		}
		if id, err = res.LastInsertId(); err != nil {
			return fmt.Errorf("orm: insert %s: %w", m.Label(), err)
		}
	}
	return m.PK.Set(obj, id)
}

func isZeroKey(v any) bool {
	n, ok := toInt64(v)
	return ok && n == 0
}

// pkUnset reports whether obj's primary key is unset: a zero auto key, or
// the zero value of a key with a default the orm computes.
func (m *Model) pkUnset(obj any) bool {
	v := m.PK.Get(obj)
	if m.PK.IsAuto() {
		return isZeroKey(v)
	}
	if m.PK.DefaultFunc == nil && !m.PK.HasDefault {
		return false
	}
	return v == nil || reflect.ValueOf(v).IsZero()
}

// fillPKDefault gives obj's unset non-auto primary key its default.
func (m *Model) fillPKDefault(obj any) error {
	if m.PK.IsAuto() || !m.pkUnset(obj) {
		return nil
	}
	v, ok := m.PK.DefaultValue()
	if !ok {
		return &ValueError{Field: m.PK.Name, Value: nil, Err: fmt.Errorf("its default gives no valid key")}
	}
	return m.PK.Set(obj, v)
}

// Update writes obj's fields (all concrete fields, or only those named) to
// its row, found by primary key. It returns ErrNotFound when no row has
// that key. A multi-table child writes its parent's row too (or only the
// rows that hold the named fields).
func (db *DB) Update(ctx context.Context, obj any, fields ...string) error {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return err
	}
	if m.parentLink != nil {
		return db.updateChild(ctx, m, obj, fields)
	}
	return db.updateRow(ctx, m, obj, fields)
}

// updateRow writes obj's fields to its row of m's own table.
func (db *DB) updateRow(ctx context.Context, m *Model, obj any, fields []string) error {
	targets := m.columns
	if len(fields) > 0 {
		targets = nil
		for _, name := range fields {
			f := m.Field(name)
			if f == nil || !f.Concrete() {
				return &FieldError{Model: m.Name, Path: name, Msg: "not a concrete field"}
			}
			targets = append(targets, f)
		}
	}
	var sets []string
	var args []any
	for _, f := range targets {
		if f == m.PK {
			continue
		}
		val, err := db.fieldValue(f, obj)
		if err != nil {
			return fmt.Errorf("orm: update %s: %w", m.Label(), err)
		}
		args = append(args, val)
		sets = append(sets, db.dialect.Quote(f.Column)+" = "+db.dialect.Placeholder(len(args)))
	}
	if len(sets) == 0 {
		return nil
	}
	pk, err := db.fieldValue(m.PK, obj)
	if err != nil {
		return err
	}
	args = append(args, pk)
	query := "UPDATE " + db.dialect.Quote(m.Table) + " SET " + strings.Join(sets, ", ") +
		" WHERE " + db.dialect.Quote(m.PK.Column) + " = " + db.dialect.Placeholder(len(args))
	res, err := db.Exec(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("orm: update %s: %w", m.Label(), err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: %s with pk %v", ErrNotFound, m.Name, m.PK.Get(obj))
	}
	return nil
}

// Save inserts obj when its auto primary key is zero (or a key with a
// default, such as a UUID's default=uuid4, is unset), and otherwise updates
// its row, inserting it when no row has its key (Django's save). A
// multi-table child saves its parent first, then its own row with the
// parent's key.
func (db *DB) Save(ctx context.Context, obj any) error {
	m, _, err := db.modelValue(obj)
	if err != nil {
		return err
	}
	if m.parentLink != nil {
		return db.saveChild(ctx, m, obj)
	}
	if m.pkUnset(obj) {
		return db.Insert(ctx, obj)
	}
	err = db.Update(ctx, obj)
	if errors.Is(err, ErrNotFound) {
		return db.Insert(ctx, obj)
	}
	return err
}

func (db *DB) modelValue(obj any) (*Model, any, error) {
	m, err := db.reg.ModelOf(obj)
	if err != nil {
		return nil, nil, err
	}
	if _, err := m.structValue(obj); err != nil {
		return nil, nil, err
	}
	return m, obj, nil
}

// fieldValue reads a field of obj as a driver value; a NULL foreign key
// (the zero ID of an orm.ForeignKey, Valid false for an orm.ForeignKeyTo) is
// NULL.
func (db *DB) fieldValue(f *Field, obj any) (any, error) {
	v := f.Get(obj)
	if f.IsForeignKey() && f.IsNullKey(v) {
		if !f.Null {
			return nil, &ValueError{Field: f.Name, Value: v, Err: fmt.Errorf("a required foreign key is not set")}
		}
		return nil, nil
	}
	if v == nil {
		return nil, nil
	}
	n, err := f.normalize(v)
	if err != nil {
		return nil, err
	}
	return db.dialect.ToDB(f, n), nil
}

// GetByPK loads the object of model m with the given primary key (any
// value Parse or normalize accepts, including a string from a URL).
func (db *DB) GetByPK(ctx context.Context, m *Model, pk any) (any, error) {
	return db.Query(m).Get(ctx, Q{"pk": pk})
}
