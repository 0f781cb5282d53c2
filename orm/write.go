package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Update sets fields on every row the query matches, in one statement,
// and returns the number of rows. Values may be expressions:
// map[string]any{"pages": F("pages").Add(1)}. Filters across relations
// select the rows through a subquery. On a multi-table child, the keys of
// the matching rows are read first, and the parents' fields are set on
// the parent rows with those keys, the child's own on its rows.
func (q QuerySet) Update(ctx context.Context, values map[string]any) (int64, error) {
	if q.err != nil {
		return 0, q.err
	}
	if len(values) == 0 {
		return 0, nil
	}
	if q.model.parentLink != nil {
		return q.updateInherited(ctx, values)
	}
	return q.updateTable(ctx, values)
}

// updateTable is Update on the model's own table.
func (q QuerySet) updateTable(ctx context.Context, values map[string]any) (int64, error) {
	c := newCompiler(q.db, q.model)
	c.loc = q.db.CurrentTimeZone(ctx)
	names := make([]string, 0, len(values))
	for k := range values {
		names = append(names, k)
	}
	sort.Strings(names)
	var sets []string
	for _, name := range names {
		f := q.model.Field(name)
		if f == nil || !f.Concrete() || f.PrimaryKey {
			return 0, &FieldError{Model: q.model.Name, Path: name, Msg: "Update sets concrete, non-key fields"}
		}
		v, err := c.updateValue(f, values[name])
		if err != nil {
			return 0, err
		}
		sets = append(sets, c.d.Quote(f.Column)+" = "+v)
	}
	where, err := q.keyCondition(c)
	if err != nil {
		return 0, err
	}
	query := "UPDATE " + c.d.Quote(q.model.Table) + " SET " + strings.Join(sets, ", ") + where
	res, err := q.db.Exec(ctx, query, c.args...)
	if err != nil {
		return 0, fmt.Errorf("orm: update %s: %w", q.model.Label(), err)
	}
	return res.RowsAffected()
}

// updateValue compiles a new value for a column in an UPDATE, where
// column references are unqualified (the table is not aliased).
func (c *compiler) updateValue(f *Field, v any) (string, error) {
	if v == nil {
		if !f.Null && !f.IsForeignKey() {
			return "", &ValueError{Field: f.Name, Value: nil, Err: errors.New("the field is not null")}
		}
		return "NULL", nil
	}
	if f.IsForeignKey() {
		if n, ok := toInt64(v); ok && n == 0 {
			return "NULL", nil
		}
	}
	return c.value(f, v)
}

// keyCondition is the WHERE of an UPDATE or DELETE on the root table: the
// query's conditions when they stay on that table, or "pk IN (subquery)"
// when they cross relations.
func (q QuerySet) keyCondition(c *compiler) (string, error) {
	c.rootAlias = q.model.Table
	probe := newCompiler(q.db, q.model)
	probe.loc = c.loc
	b, err := q.compileBody(probe)
	if err != nil {
		return "", err
	}
	if len(probe.joins) == 0 && len(b.having) == 0 && q.limit < 0 && q.offset == 0 {
		if len(b.where) == 0 {
			return "", nil
		}
		b, err = q.compileBody(c)
		if err != nil {
			return "", err
		}
		return " WHERE " + joinParts(b.where, " AND "), nil
	}
	sub := newCompiler(q.db, q.model)
	sub.loc = c.loc
	sub.aliasPrefix, sub.rootAlias, sub.args = "K", "K0", c.args
	keys, err := q.OrderBy().compileKeys(sub)
	if err != nil {
		return "", err
	}
	c.args = sub.args
	pk := c.d.Quote(q.model.PK.Column)
	// MySQL cannot select from the table it updates in a plain subquery;
	// a derived table is read first.
	return " WHERE " + pk + " IN (SELECT " + c.d.Quote("k") + ".* FROM (" + keys + ") " + c.d.Quote("k") + ")", nil
}

// Delete deletes every row the query matches, with what cascades from
// them, in one transaction, and returns the per-model counts. A protected
// row stops it with a *ProtectedError.
func (q QuerySet) Delete(ctx context.Context) (*Deletion, error) {
	var d *Deletion
	err := q.db.Atomic(ctx, func(ctx context.Context) error {
		objs, err := q.OrderBy().All(ctx)
		if err != nil {
			return err
		}
		if d, err = q.db.Collect(ctx, objs...); err != nil {
			return err
		}
		return q.db.Execute(ctx, d)
	})
	return d, err
}

// BulkCreate inserts objs (pointers to structs of one model) in batches of
// batchSize rows per statement (0: 500). Auto primary keys are filled in
// on databases with INSERT ... RETURNING (SQLite, PostgreSQL); on MySQL
// they are left zero, as Django leaves them. An unset key with a default
// (a UUID's default=uuid4) gets one first.
func (db *DB) BulkCreate(ctx context.Context, objs []any, batchSize int) error {
	if len(objs) == 0 {
		return nil
	}
	m, err := db.reg.ModelOf(objs[0])
	if err != nil {
		return err
	}
	if m.parentLink != nil {
		return fmt.Errorf("orm: bulk create %s: a multi-table child cannot be bulk created (its parent rows need their keys first); insert each with Insert", m.Label())
	}
	if batchSize <= 0 {
		batchSize = 500
	}
	var fields []*Field
	for _, f := range m.columns {
		if !(f.PrimaryKey && f.IsAuto()) {
			fields = append(fields, f)
		}
	}
	// Stay under every database's limit on bound parameters.
	if max := 30000 / max(len(fields), 1); batchSize > max {
		batchSize = max
	}
	return db.Atomic(ctx, func(ctx context.Context) error {
		for start := 0; start < len(objs); start += batchSize {
			if err := db.insertBatch(ctx, m, fields, objs[start:min(start+batchSize, len(objs))]); err != nil {
				return err
			}
		}
		return nil
	})
}

func (db *DB) insertBatch(ctx context.Context, m *Model, fields []*Field, batch []any) error {
	q := db.dialect.Quote
	cols := make([]string, len(fields))
	for i, f := range fields {
		cols[i] = q(f.Column)
	}
	var rows []string
	var args []any
	for _, obj := range batch {
		if reflect.TypeOf(obj) != reflect.PointerTo(m.typ) {
			return fmt.Errorf("orm: bulk create %s: want *%s, got %T", m.Label(), m.Name, obj)
		}
		if err := m.fillPKDefault(obj); err != nil {
			return fmt.Errorf("orm: bulk create %s: %w", m.Label(), err)
		}
		marks := make([]string, len(fields))
		for i, f := range fields {
			v, err := db.fieldValue(f, obj)
			if err != nil {
				return fmt.Errorf("orm: bulk create %s: %w", m.Label(), err)
			}
			args = append(args, v)
			marks[i] = db.dialect.Placeholder(len(args))
		}
		rows = append(rows, "("+strings.Join(marks, ", ")+")")
	}
	query := "INSERT INTO " + q(m.Table) + " (" + strings.Join(cols, ", ") + ") VALUES " + strings.Join(rows, ", ")
	if !m.PK.IsAuto() || !db.dialect.Returning() {
		if _, err := db.Exec(ctx, query, args...); err != nil {
			return fmt.Errorf("orm: bulk create %s: %w", m.Label(), err)
		}
		return nil
	}
	query += " RETURNING " + q(m.PK.Column)
	rs, err := db.QueryRaw(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("orm: bulk create %s: %w", m.Label(), err)
	}
	defer rs.Close()
	for i := 0; rs.Next(); i++ {
		var id int64
		if err := rs.Scan(&id); err != nil {
			return err
		}
		if i < len(batch) {
			_ = m.PK.Set(batch[i], id)
		}
	}
	return rs.Err()
}

// GetOrCreate returns the object matching lookup, or creates one from the
// lookup's exact values and defaults; created reports which. It runs in a
// transaction and retries the read when a concurrent insert wins.
func (db *DB) GetOrCreate(ctx context.Context, m *Model, lookup Q, defaults map[string]any) (obj any, created bool, err error) {
	err = db.Atomic(ctx, func(ctx context.Context) error {
		obj, err = db.Query(m).Get(ctx, lookup)
		if !errors.Is(err, ErrNotFound) {
			return err
		}
		obj = m.New()
		if err := fill(m, obj, lookup, defaults); err != nil {
			return err
		}
		insErr := db.Atomic(ctx, func(ctx context.Context) error { return db.Insert(ctx, obj) })
		if insErr == nil {
			created = true
			return nil
		}
		if obj, err = db.Query(m).Get(ctx, lookup); err != nil {
			return insErr
		}
		return nil
	})
	return obj, created, err
}

// UpdateOrCreate updates the object matching lookup with defaults, or
// creates one from both; created reports which.
func (db *DB) UpdateOrCreate(ctx context.Context, m *Model, lookup Q, defaults map[string]any) (obj any, created bool, err error) {
	err = db.Atomic(ctx, func(ctx context.Context) error {
		obj, created, err = db.GetOrCreate(ctx, m, lookup, defaults)
		if err != nil || created {
			return err
		}
		if err := fill(m, obj, nil, defaults); err != nil {
			return err
		}
		return db.Update(ctx, obj)
	})
	return obj, created, err
}

// fill sets the plain field values of a lookup (keys without a lookup or
// with __exact) and then defaults on obj.
func fill(m *Model, obj any, lookup Q, defaults map[string]any) error {
	set := func(name string, v any) error {
		name = strings.TrimSuffix(name, "__exact")
		if strings.Contains(name, "__") {
			return nil
		}
		f := m.Field(name)
		if f == nil {
			return &FieldError{Model: m.Name, Path: name, Msg: "no such field"}
		}
		n, err := f.normalize(v)
		if err != nil {
			return err
		}
		return f.Set(obj, n)
	}
	for k, v := range lookup {
		if err := set(k, v); err != nil {
			return err
		}
	}
	for k, v := range defaults {
		if err := set(k, v); err != nil {
			return err
		}
	}
	return nil
}

// Raw runs a raw SELECT and builds objects of the model from its columns,
// matched to fields by column name; unknown columns are ignored. Values
// must be passed as args, never written into the SQL.
func (db *DB) Raw(ctx context.Context, m *Model, query string, args ...any) ([]any, error) {
	rows, err := db.QueryRaw(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("orm: raw %s: %w", m.Label(), err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	byColumn := map[string]*Field{}
	for _, f := range m.columns {
		byColumn[f.Column] = f
	}
	for _, f := range m.inherited {
		if f.Concrete() && byColumn[f.Column] == nil {
			byColumn[f.Column] = f
		}
	}
	raw := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	var out []any
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		obj := reflect.New(m.typ).Interface()
		for i, name := range names {
			f := byColumn[name]
			if f == nil {
				continue
			}
			v, err := db.dialect.FromDB(f, raw[i])
			if err != nil {
				return nil, err
			}
			if err := f.Set(obj, v); err != nil {
				return nil, err
			}
		}
		out = append(out, obj)
	}
	return out, rows.Err()
}

// BulkLink adds many-to-many rows in batches: each pair is (owner key,
// related key) for the field of model m. Existing pairs are an error, as
// the join table's unique index says.
func (db *DB) BulkLink(ctx context.Context, m *Model, field string, pairs [][2]int64) error {
	f := m.Field(field)
	if f == nil || f.Kind != KindManyToMany {
		return &FieldError{Model: m.Name, Path: field, Msg: "not a many-to-many field"}
	}
	q := db.dialect.Quote
	head := "INSERT INTO " + q(f.Through) + " (" + q(f.ThroughFrom) + ", " + q(f.ThroughTo) + ") VALUES "
	return db.Atomic(ctx, func(ctx context.Context) error {
		for start := 0; start < len(pairs); start += 1000 {
			batch := pairs[start:min(start+1000, len(pairs))]
			rows := make([]string, len(batch))
			args := make([]any, 0, 2*len(batch))
			for i, p := range batch {
				args = append(args, p[0], p[1])
				rows[i] = "(" + db.dialect.Placeholder(len(args)-1) + ", " + db.dialect.Placeholder(len(args)) + ")"
			}
			if _, err := db.Exec(ctx, head+strings.Join(rows, ", "), args...); err != nil {
				return fmt.Errorf("orm: link %s.%s: %w", m.Label(), field, err)
			}
		}
		return nil
	})
}
