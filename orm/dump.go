package orm

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"reflect"
	"strings"
)

// DumpOptions says what DumpData writes and how.
type DumpOptions struct {
	// Models limits the dump to these apps ("auth") and models
	// ("auth.User", in any case); empty means every model.
	Models []string
	// Exclude leaves out apps and models, named the same way.
	Exclude []string
	// NaturalForeign writes a foreign key or many-to-many link to a model
	// with a natural key (Meta.NaturalKey) as that key instead of its
	// primary key.
	NaturalForeign bool
	// NaturalPrimary leaves out the primary key of objects whose model has
	// a natural key; loading finds their rows by natural key.
	NaturalPrimary bool
	// Indent pretty-prints with this many spaces per level; 0 writes the
	// whole array on one line, as Django does.
	Indent int
}

// dumpBatch is how many rows DumpData reads, and writes, at a time.
const dumpBatch = 500

// DumpData writes the rows of the chosen models as a fixture in Django's
// JSON format, which LoadData and Django's loaddata read. Models come in
// dependency order (the targets of foreign keys first), objects in primary
// key order. Values are written as Django writes them: decimals as strings
// with their decimal places ("12.50"), dates as "YYYY-MM-DD", date-times
// in UTC with milliseconds ("2026-11-21T22:10:00.123Z"), floats and
// booleans as JSON numbers and booleans, many-to-many fields as lists.
//
// Proxy models are left out, as Django's dumpdata leaves them: their rows
// are their concrete model's.
//
// Rows are read in batches of a few hundred, with one query per batch for
// each many-to-many field and each model whose natural keys are needed,
// so a table of any size is dumped in constant memory.
func (db *DB) DumpData(ctx context.Context, w io.Writer, opts DumpOptions) error {
	models, err := db.dumpModels(opts)
	if err != nil {
		return err
	}
	d := &dumper{db: db, opts: opts, w: bufio.NewWriter(w), first: true}
	if _, err := d.w.WriteString("["); err != nil {
		return fmt.Errorf("orm: dumpdata: %w", err)
	}
	for _, m := range models {
		if err := d.model(ctx, m); err != nil {
			return fmt.Errorf("orm: dumpdata %s: %w", m.Label(), err)
		}
	}
	end := "]\n"
	if opts.Indent > 0 {
		end = "\n]\n"
	}
	d.w.WriteString(end)
	if err := d.w.Flush(); err != nil {
		return fmt.Errorf("orm: dumpdata: %w", err)
	}
	return nil
}

// dumpModels returns the models to dump, in dependency order.
func (db *DB) dumpModels(opts DumpOptions) ([]*Model, error) {
	include, err := db.matchModels(opts.Models)
	if err != nil {
		return nil, err
	}
	exclude, err := db.matchModels(opts.Exclude)
	if err != nil {
		return nil, err
	}
	var out []*Model
	for _, m := range dependencyOrder(db.reg.Models()) {
		if (len(opts.Models) == 0 || include[m]) && !exclude[m] && !m.IsProxy() {
			out = append(out, m)
		}
	}
	return out, nil
}

// matchModels returns the models that app labels and model labels name.
func (db *DB) matchModels(labels []string) (map[*Model]bool, error) {
	set := map[*Model]bool{}
	for _, label := range labels {
		if strings.Contains(label, ".") {
			m, err := db.reg.GetModel(label)
			if err != nil {
				return nil, fmt.Errorf("orm: dumpdata: %s", causeText(err))
			}
			set[m] = true
			continue
		}
		app := db.reg.App(label)
		for _, a := range db.reg.Apps() {
			if app == nil && strings.EqualFold(a.Label, label) {
				app = a
			}
		}
		if app == nil {
			return nil, fmt.Errorf("orm: dumpdata: no installed app with label %q", label)
		}
		for _, m := range app.Models {
			set[m] = true
		}
	}
	return set, nil
}

// dumper holds the state of one DumpData.
type dumper struct {
	db    *DB
	opts  DumpOptions
	w     *bufio.Writer
	buf   bytes.Buffer
	first bool
}

// model dumps the rows of m batch by batch, in primary key order, each
// batch starting after the last key of the one before.
func (d *dumper) model(ctx context.Context, m *Model) error {
	var last any
	for {
		q := d.db.Query(m).OrderBy("pk").Limit(dumpBatch)
		if last != nil {
			q = q.Filter(Q{"pk__gt": last})
		}
		objs := make([]any, 0, dumpBatch)
		err := q.Each(ctx, func(obj any) error {
			objs = append(objs, obj)
			return nil
		})
		if err != nil {
			return err
		}
		if len(objs) > 0 {
			if err := d.batch(ctx, m, objs); err != nil {
				return err
			}
		}
		if len(objs) < dumpBatch {
			return nil
		}
		last = m.PK.Get(objs[len(objs)-1])
	}
}

// batch writes objects of m with their many-to-many links and the natural
// keys they need.
func (d *dumper) batch(ctx context.Context, m *Model, objs []any) error {
	pks := make([]any, len(objs))
	for i, obj := range objs {
		pks[i] = m.PK.Get(obj)
	}
	links, err := d.links(ctx, m, pks)
	if err != nil {
		return err
	}
	keys, err := d.naturalKeys(ctx, m, objs, links)
	if err != nil {
		return err
	}
	for _, obj := range objs {
		if err := d.object(m, obj, links, keys); err != nil {
			return err
		}
	}
	return nil
}

// links reads the many-to-many links of the objects with the given
// primary keys: field → owner's formatted key → related keys in key order.
func (d *dumper) links(ctx context.Context, m *Model, pks []any) (linkSet, error) {
	out := linkSet{}
	dl := d.db.dialect
	marks := make([]string, len(pks))
	for i := range pks {
		marks[i] = dl.Placeholder(i + 1)
	}
	args := d.db.driverValues(m.PK, pks)
	for _, f := range m.Fields {
		if f.Kind != KindManyToMany {
			continue
		}
		query := "SELECT " + dl.Quote(f.ThroughFrom) + ", " + dl.Quote(f.ThroughTo) + " FROM " + dl.Quote(f.Through) +
			" WHERE " + dl.Quote(f.ThroughFrom) + " IN (" + strings.Join(marks, ", ") + ") ORDER BY " +
			dl.Quote(f.ThroughFrom) + ", " + dl.Quote(f.ThroughTo)
		byOwner, err := d.readLinks(ctx, f, query, args)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", f.Through, err)
		}
		out[f] = byOwner
	}
	return out, nil
}

// linkSet holds the keys of many-to-many links: field → the owner's
// formatted primary key → the related keys.
type linkSet map[*Field]map[string][]any

func (d *dumper) readLinks(ctx context.Context, f *Field, query string, args []any) (map[string][]any, error) {
	rows, err := d.db.QueryRaw(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byOwner := map[string][]any{}
	dl := d.db.dialect
	for rows.Next() {
		var rawFrom, rawTo any
		if err := rows.Scan(&rawFrom, &rawTo); err != nil {
			return nil, err
		}
		from, err := dl.FromDB(f.Model.PK, rawFrom)
		if err != nil {
			return nil, err
		}
		to, err := dl.FromDB(f.Related.PK, rawTo)
		if err != nil {
			return nil, err
		}
		k := f.Model.PK.Format(from)
		byOwner[k] = append(byOwner[k], to)
	}
	return byOwner, rows.Err()
}

// pkKey turns a primary key into a map key that is the same whatever the
// Go type it came in: any integer type, a string or a named string type.
func pkKey(v any) any {
	if n, ok := toInt64(v); ok {
		return n
	}
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.String {
		return rv.String()
	}
	return v
}
