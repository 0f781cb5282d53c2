package orm

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
)

// FixtureError reports what went wrong while loading a fixture: the
// object's 1-based position in the fixture and its model label as written
// there (when the problem is one object's), the field at fault (when it is
// one field's), and the cause.
type FixtureError struct {
	Index int
	Model string
	Field string
	Err   error
}

// Error says where the fixture went wrong and why.
func (e *FixtureError) Error() string {
	parts := []string{"orm: loaddata"}
	switch {
	case e.Index > 0 && e.Model != "":
		parts = append(parts, fmt.Sprintf("object %d (%s)", e.Index, e.Model))
	case e.Index > 0:
		parts = append(parts, fmt.Sprintf("object %d", e.Index))
	case e.Model != "":
		parts = append(parts, e.Model)
	}
	if e.Field != "" {
		parts = append(parts, "field "+e.Field)
	}
	return strings.Join(append(parts, causeText(e.Err)), ": ")
}

// Unwrap returns the cause.
func (e *FixtureError) Unwrap() error { return e.Err }

// causeText is err's message without the "orm: " prefix of the error it
// wraps, and without a ValueError's field name, which the FixtureError
// already gives.
func causeText(err error) string {
	var ve *ValueError
	if errors.As(err, &ve) && error(ve) == err {
		return fmt.Sprintf("invalid value %q: %v", fmt.Sprint(ve.Value), ve.Err)
	}
	return strings.TrimPrefix(err.Error(), "orm: ")
}

// fixtureObject is one element of a fixture as JSON gives it.
type fixtureObject struct {
	Model  string         `json:"model"`
	PK     any            `json:"pk"`
	Fields map[string]any `json:"fields"`
}

// fixtureItem is one object of a fixture on its way into the database.
type fixtureItem struct {
	index  int    // 1-based position in the fixture
	label  string // the model as the fixture names it
	model  *Model
	pk     any // nil when the fixture gives none
	fields map[string]any
	obj    any // the saved object
}

func (it *fixtureItem) fail(field string, err error) error {
	return &FixtureError{Index: it.index, Model: it.label, Field: field, Err: err}
}

// LoadData loads a fixture in Django's JSON format (what Django's dumpdata
// writes and loaddata reads) and returns the number of objects loaded.
//
// The fixture is an array of {"model": "app_label.modelname", "pk": ...,
// "fields": {...}}. A foreign key holds the target's primary key, or its
// natural key as an array when the target declares Meta.NaturalKey; a
// many-to-many field holds a list of either. An object without "pk" whose
// model has a natural key updates the row with that key, or is inserted.
// A row with the object's primary key is updated, otherwise one is
// inserted with it, and the database's id sequences are moved past the
// loaded keys.
//
// Everything runs in one transaction: any error rolls back the whole
// fixture and comes as a *FixtureError naming the object and field.
func (db *DB) LoadData(ctx context.Context, r io.Reader) (int, error) {
	items, err := decodeFixture(r)
	if err != nil {
		return 0, err
	}
	l := &loader{db: db, found: map[string]any{}, loaded: map[*Model]bool{}, explicit: map[*Model]bool{}, byPK: map[string]*fixtureItem{}}
	if err := l.resolveModels(items); err != nil {
		return 0, err
	}
	items = loadOrder(db.reg, items)
	err = db.Atomic(ctx, func(ctx context.Context) error {
		if err := l.saveAll(ctx, items); err != nil {
			return err
		}
		for _, it := range items {
			if err := l.saveM2M(ctx, it); err != nil {
				return err
			}
		}
		if err := l.checkReferences(ctx); err != nil {
			return err
		}
		return l.resetSequences(ctx)
	})
	if err != nil {
		var fe *FixtureError
		if !errors.As(err, &fe) {
			err = &FixtureError{Err: err}
		}
		return 0, err
	}
	return len(items), nil
}

// decodeFixture reads the fixture's array and checks each element's shape.
func decodeFixture(r io.Reader) ([]*fixtureItem, error) {
	dec := json.NewDecoder(r)
	var raws []json.RawMessage
	if err := dec.Decode(&raws); err != nil {
		return nil, &FixtureError{Err: fmt.Errorf("want a JSON array of objects: %w", err)}
	}
	if raws == nil {
		return nil, &FixtureError{Err: errors.New("want a JSON array of objects, got null")}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &FixtureError{Err: errors.New("unexpected data after the fixture's array")}
	}
	items := make([]*fixtureItem, len(raws))
	for i, raw := range raws {
		var o fixtureObject
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&o); err != nil {
			return nil, &FixtureError{Index: i + 1, Err: fmt.Errorf("want an object with model, pk and fields: %w", err)}
		}
		if o.Model == "" {
			return nil, &FixtureError{Index: i + 1, Err: errors.New("no model")}
		}
		items[i] = &fixtureItem{index: i + 1, label: o.Model, pk: o.PK, fields: o.Fields}
	}
	return items, nil
}

// loader holds the state of one LoadData.
type loader struct {
	db     *DB
	found  map[string]any // natural keys already looked up → primary key
	loaded map[*Model]bool
	// explicit marks the models that got rows with the fixture's keys
	// since their id counter was last moved.
	explicit map[*Model]bool
	byPK     map[string]*fixtureItem // "label pk" of saved objects, for messages
}

func (l *loader) resolveModels(items []*fixtureItem) error {
	for _, it := range items {
		m, err := l.db.reg.GetModel(it.label)
		if err != nil {
			return it.fail("", err)
		}
		it.model = m
	}
	return nil
}

// loadOrder sorts the objects so that rows are saved after the rows they
// point at: models in dependency order, and within a model that points at
// itself, parents before children. MySQL checks foreign keys at once, and
// natural keys can only be looked up once their row exists. The order
// within a model is otherwise the fixture's.
func loadOrder(reg *Registry, items []*fixtureItem) []*fixtureItem {
	rank := map[*Model]int{}
	for i, m := range dependencyOrder(reg.Models()) {
		rank[m] = i
	}
	out := slices.Clone(items)
	sort.SliceStable(out, func(i, j int) bool { return rank[out[i].model] < rank[out[j].model] })
	for start := 0; start < len(out); {
		end := start
		for end < len(out) && out[end].model == out[start].model {
			end++
		}
		if fks := selfReferences(out[start].model); len(fks) > 0 {
			copy(out[start:end], parentsFirst(out[start:end], fks))
		}
		start = end
	}
	return out
}

// parentsFirst orders objects of one model so that each follows the
// object its self-referencing foreign keys name by primary key.
func parentsFirst(run []*fixtureItem, fks []*Field) []*fixtureItem {
	byPK := map[string]*fixtureItem{}
	for _, it := range run {
		if it.pk != nil {
			byPK[fmt.Sprint(it.pk)] = it
		}
	}
	placed := map[*fixtureItem]bool{}
	out := make([]*fixtureItem, 0, len(run))
	var place func(it *fixtureItem)
	place = func(it *fixtureItem) {
		if placed[it] {
			return
		}
		placed[it] = true
		for _, fk := range fks {
			switch v := it.fields[fk.Name].(type) {
			case json.Number, string:
				if parent := byPK[fmt.Sprint(v)]; parent != nil {
					place(parent)
				}
			}
		}
		out = append(out, it)
	}
	for _, it := range run {
		place(it)
	}
	return out
}

// saveAll saves every object. An object whose foreign key names a natural
// key not in the database yet waits, and is tried again once the others
// are saved, as long as that makes progress.
func (l *loader) saveAll(ctx context.Context, items []*fixtureItem) error {
	pending := items
	for len(pending) > 0 {
		var waiting []*fixtureItem
		var firstErr error
		for _, it := range pending {
			err := l.save(ctx, it)
			var missing *missingKeyError
			switch {
			case errors.As(err, &missing):
				waiting = append(waiting, it)
				if firstErr == nil {
					firstErr = err
				}
			case err != nil:
				return err
			}
		}
		if len(waiting) == len(pending) {
			return firstErr
		}
		pending = waiting
	}
	return nil
}

// save builds the object from its fields and primary key and writes it.
func (l *loader) save(ctx context.Context, it *fixtureItem) error {
	m := it.model
	obj := m.New()
	names := make([]string, 0, len(it.fields))
	for name := range it.fields {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		f := m.Field(name)
		if f == nil {
			return it.fail(name, fmt.Errorf("%s has no such field (fields: %s)", m.Name, m.sortedFieldNames()))
		}
		if f.Inherited() {
			return it.fail(name, fmt.Errorf("the field belongs to %s, the parent of %s: a fixture gives it in the parent's entry with the same pk, as Django's dumpdata does", f.Model.Label(), m.Name))
		}
		if f.Kind == KindManyToMany {
			continue
		}
		if err := l.setField(ctx, f, obj, it.fields[name]); err != nil {
			return it.fail(name, err)
		}
	}
	if err := l.setPK(ctx, it, obj); err != nil {
		return err
	}
	if l.explicit[m] && isZeroKey(m.PK.Get(obj)) {
		// The database picks this key: move its counter past the keys
		// the fixture gave so far.
		if err := l.resetSequence(ctx, m); err != nil {
			return it.fail("", err)
		}
	}
	if err := l.db.saveRaw(ctx, obj); err != nil {
		return it.fail("", err)
	}
	it.obj = obj
	l.loaded[m] = true
	l.explicit[m] = l.explicit[m] || it.pk != nil
	l.byPK[m.Label()+" "+fmt.Sprint(m.PK.Get(obj))] = it
	return nil
}

func (l *loader) setField(ctx context.Context, f *Field, obj, v any) error {
	if f.IsForeignKey() {
		id, err := l.foreignKey(ctx, f, v)
		if err != nil {
			return err
		}
		return f.Set(obj, id)
	}
	if s, ok := v.(string); ok && f.Kind == KindDateTime {
		// A date-time without an offset is on the site's clocks, as
		// Django's loaddata reads a naive datetime with USE_TZ (and warns).
		t, err := ParseDateTimeIn(s, l.db.TimeZone())
		if err != nil {
			return &ValueError{Field: f.Name, Value: v, Err: err}
		}
		return f.Set(obj, t)
	}
	val, err := f.fromJSON(v)
	if err != nil {
		return err
	}
	return f.Set(obj, val)
}

// setPK gives obj the fixture's primary key or, when there is none and the
// model has a natural key, the key of the row that has the same natural
// key, if any.
func (l *loader) setPK(ctx context.Context, it *fixtureItem, obj any) error {
	m := it.model
	if it.pk != nil {
		v, err := m.PK.fromJSON(it.pk)
		if err == nil {
			err = m.PK.Set(obj, v)
		}
		if err != nil {
			return it.fail("pk", err)
		}
		return nil
	}
	if !m.HasNaturalKey() {
		return nil
	}
	key, err := l.db.naturalKeyOf(ctx, m, obj)
	if err != nil {
		return it.fail("", fmt.Errorf("natural key: %w", err))
	}
	existing, err := l.db.GetByNaturalKey(ctx, m, key...)
	switch {
	case errors.Is(err, ErrNotFound):
		return nil
	case err != nil:
		return it.fail("", err)
	}
	return m.PK.Set(obj, m.PK.Get(existing))
}
