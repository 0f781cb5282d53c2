package form

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/orm"
)

// foreignKeyField is Django's ModelChoiceField without its query set: it
// cleans to the chosen key, parsed by the field the relation targets (an
// int64 for an integer key, a string for a text key, a uuid.UUID; nil when
// empty), and the model form checks that key against the choices.
func foreignKeyField(of *orm.Field, name, label string, opts []Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Select{})
	f.Clean = func(values []string) (any, error) {
		v := last(values)
		if strings.TrimFunc(v, isSpace) == "" {
			return f.empty(s, nil)
		}
		key, ok := parseKey(of, v)
		if !ok || of.IsNullKey(key) { // 0 is how an integer relation spells NULL
			return nil, ValidationError{msgInvalidModel}
		}
		return key, nil
	}
	f.Format = func(v any) []string {
		if v == nil || of.IsNullKey(v) {
			return nil
		}
		if s, ok := keyText(v); ok {
			return []string{s}
		}
		return nil
	}
	return f
}

// manyToManyField is Django's ModelMultipleChoiceField without its query
// set: it cleans to the chosen keys, sorted, without repeats ([]int64 for
// an integer key, []string for a text key, []uuid.UUID), and the model
// form checks them against the choices.
func manyToManyField(of *orm.Field, name, label string, opts []Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Select{Multiple: true})
	f.Clean = func(values []string) (any, error) {
		var keys []any
		seen := map[string]bool{}
		for _, v := range values {
			if v == "" {
				continue
			}
			key, ok := parseKey(of, v)
			if !ok {
				return nil, ValidationError{"“" + v + "” is not a valid value."}
			}
			if text, _ := keyText(key); !seen[text] {
				seen[text] = true
				keys = append(keys, key)
			}
		}
		if len(keys) == 0 && f.Required {
			return nil, ValidationError{msgRequired}
		}
		return keyList(of.KeyField(), keys), nil
	}
	f.Format = func(v any) []string {
		if ints, ok := v.([]int64); ok { // numbers in their order
			return keyTexts(slices.Sorted(slices.Values(ints)))
		}
		out := keyTexts(v)
		slices.Sort(out)
		return out
	}
	return f
}

// parseKey reads a submitted key as the field a relation targets reads
// it; false when it is not one.
func parseKey(of *orm.Field, v string) (any, bool) {
	kf := of.KeyField()
	if !kf.Kind.IsString() {
		v = strings.TrimFunc(v, isSpace)
	}
	key, err := kf.Parse(v)
	return key, err == nil
}

// keyList gives the parsed keys of a many-to-many field a slice of their
// type, sorted: []int64 by number, []string and []uuid.UUID by text.
func keyList(kf *orm.Field, keys []any) any {
	switch {
	case kf.Kind == orm.KindUUID:
		out := make([]uuid.UUID, len(keys))
		for i, k := range keys {
			out[i], _ = k.(uuid.UUID)
		}
		slices.SortFunc(out, func(a, b uuid.UUID) int { return strings.Compare(a.String(), b.String()) })
		return out
	case kf.Kind.IsString():
		out := make([]string, len(keys))
		for i, k := range keys {
			out[i], _ = k.(string)
		}
		slices.Sort(out)
		return out
	}
	ints := make([]int64, 0, len(keys))
	for _, k := range keys {
		if n, ok := k.(int64); ok {
			ints = append(ints, n)
		}
	}
	if len(ints) == len(keys) {
		slices.Sort(ints)
		return ints
	}
	slices.SortFunc(keys, func(a, b any) int {
		x, _ := keyText(a)
		y, _ := keyText(b)
		return strings.Compare(x, y)
	})
	return keys
}

// keyText is the text of a key as forms show it: an integer's digits, a
// string as it is, a UUID hyphenated (as Django shows one); false for a
// value that is no key.
func keyText(v any) (string, bool) { return scalarString(v) }

// keyTexts is keyText of each key of a list of keys (a many-to-many
// field's value: []int64, []string, []uuid.UUID, []any, ...), or of a
// single key; nil for nil.
func keyTexts(v any) []string {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		if s, ok := keyText(v); ok {
			return []string{s}
		}
		return nil
	}
	out := make([]string, 0, rv.Len())
	for i := range rv.Len() {
		if s, ok := keyText(rv.Index(i).Interface()); ok {
			out = append(out, s)
		}
	}
	return out
}

// keyValues are the keys of a many-to-many value as a list of any, for
// DB.SetM2MKeys and lookups.
func keyValues(v any) []any {
	if v == nil {
		return nil
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return []any{v}
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out
}

// choicesQuery returns the query set that offers the related objects of a
// relation field, narrowed by the field's limit_choices_to.
func (mf *ModelForm) choicesQuery(of *orm.Field) (orm.QuerySet, error) {
	q := mf.db.Query(of.Related)
	if mf.opts.Choices != nil {
		if custom := mf.opts.Choices(of); custom.Model() != nil {
			if custom.Model() != of.Related {
				return custom, fmt.Errorf("Choices gave a query set of %s, want %s", custom.Model().Label(), of.Related.Label())
			}
			q = custom
		}
	}
	if of.LimitChoicesTo != nil {
		q = q.Filter(of.LimitChoicesTo)
	}
	return q, nil
}

// orderedByPK adds the primary key to a query's ordering (its own, else the
// model's Meta ordering) so the order of the choices is total.
func orderedByPK(q orm.QuerySet) orm.QuerySet {
	order := q.Ordering()
	for _, o := range order {
		if name := strings.TrimPrefix(o, "-"); name == "pk" || name == q.Model().PK.Name {
			return q
		}
	}
	return q.OrderBy(append(slices.Clone(order), "pk")...)
}

// prepare loads, once, what rendering needs from the database: the choices
// of relation fields and the text of read-only fields.
func (mf *ModelForm) prepare() {
	if mf.prepared || mf.err != nil {
		return
	}
	for _, f := range mf.modelFields() {
		var err error
		switch {
		case f.Readonly:
			err = mf.loadReadonly(f)
		case f.Model.IsRelation():
			if sw, ok := f.Widget.(SelectedWidget); ok {
				err = mf.loadSelected(f, sw)
			} else {
				err = mf.loadChoices(f)
			}
		}
		if err != nil {
			mf.err = fmt.Errorf("form: %s.%s: %w", mf.model.Label(), f.Name, err)
			return
		}
	}
	mf.prepared = true
}

// loadChoices fills a relation field's ChoiceWidget: "---------" first for
// a foreign key (unless required with a default), then one option per
// related object, value the primary key, text its String. The forms of a
// formset share what they load, so a page of forms costs one query per
// relation field, not one per form.
func (mf *ModelForm) loadChoices(f *Field) error {
	cw, ok := f.Widget.(ChoiceWidget)
	if !ok || mf.loaded[f] {
		return nil
	}
	of := f.Model
	blank := of.IsForeignKey() && !(f.Required && of.HasDefault)
	label := "---------"
	if f.EmptyLabel != nil {
		blank, label = of.IsForeignKey() && *f.EmptyLabel != "", *f.EmptyLabel
	}
	key := f.Name + "/" + strconv.FormatBool(blank) + "/" + label
	if cached, ok := mf.choiceCache[key]; ok {
		cw.SetChoices(cached)
		mf.loaded[f] = true
		return nil
	}
	var choices []Choice
	if blank {
		choices = append(choices, Choice{Value: "", Label: label})
	}
	q, err := mf.choicesQuery(of)
	if err != nil {
		return err
	}
	err = orderedByPK(q).Each(mf.ctx, func(obj any) error {
		choices = append(choices, Choice{Value: keyString(of, obj), Label: of.Related.String(obj)})
		return nil
	})
	if err != nil {
		return err
	}
	cw.SetChoices(choices)
	mf.loaded[f] = true
	if mf.choiceCache != nil {
		mf.choiceCache[key] = choices
	}
	return nil
}

// SelectedWidget is the widget of a relation field that offers only the
// objects already chosen, the others being searched for or typed (an
// autocomplete select, a raw id input): a model form loads just those rows
// for it, so a page never lists every related object. It is checked
// before ChoiceWidget.
type SelectedWidget interface {
	Widget
	SetSelected(choices []Choice)
}

// loadSelected gives sw the chosen related objects of f, among its choices
// (limit_choices_to applied), in the order of the values; a value that
// names none is left out.
func (mf *ModelForm) loadSelected(f *Field, sw SelectedWidget) error {
	values := mf.bind(f).Value()
	var ids []any
	var texts []string
	for _, v := range values {
		if id, ok := parseKey(f.Model, v); ok && !f.Model.IsNullKey(id) {
			text, _ := keyText(id)
			ids, texts = append(ids, id), append(texts, text)
		}
	}
	if len(ids) == 0 {
		sw.SetSelected(nil)
		return nil
	}
	q, err := mf.choicesQuery(f.Model)
	if err != nil {
		return err
	}
	labels := map[string]string{}
	err = q.Filter(orm.Q{keyName(f.Model) + "__in": ids}).OrderBy().Each(mf.ctx, func(obj any) error {
		labels[keyString(f.Model, obj)] = f.Model.Related.String(obj)
		return nil
	})
	if err != nil {
		return err
	}
	var choices []Choice
	for _, v := range texts {
		if label, ok := labels[v]; ok {
			choices = append(choices, Choice{Value: v, Label: label})
			delete(labels, v)
		}
	}
	sw.SetSelected(choices)
	return nil
}

func pkString(m *orm.Model, obj any) string {
	s, _ := keyText(m.PKValue(obj))
	return s
}

// keyString is the value a relation field stores for obj: the field a
// foreign key's to_field names, else the primary key.
func keyString(of *orm.Field, obj any) string {
	if t := of.Target(); t != nil {
		s, _ := keyText(t.Get(obj))
		return s
	}
	return pkString(of.Related, obj)
}

// keyName is the lookup that finds the related object a key value names.
func keyName(of *orm.Field) string {
	if t := of.Target(); t != nil {
		return t.Name
	}
	return "pk"
}

// checkRelations checks, with one query per field, that the chosen related
// objects are among the field's choices.
func (mf *ModelForm) checkRelations() error {
	for _, f := range mf.modelFields() {
		v, ok := mf.cleaned[f.Name]
		if f.Readonly || f.formsetKey || !f.Model.IsRelation() || !ok || v == nil {
			continue
		}
		var err error
		if f.Model.Kind == orm.KindManyToMany {
			err = mf.checkManyToMany(f, keyValues(v))
		} else {
			err = mf.checkForeignKey(f, v)
		}
		if err != nil {
			return fmt.Errorf("form: %s.%s: %w", mf.model.Label(), f.Name, err)
		}
	}
	return nil
}

func (mf *ModelForm) checkForeignKey(f *Field, id any) error {
	q, err := mf.choicesQuery(f.Model)
	if err != nil {
		return err
	}
	found, err := q.Filter(orm.Q{keyName(f.Model): id}).Exists(mf.ctx)
	if err == nil && !found {
		mf.fieldError(f.Name, msgInvalidModel)
	}
	return err
}

// checkManyToMany reports the first submitted id that is not a choice, in
// the words the user typed it.
func (mf *ModelForm) checkManyToMany(f *Field, ids []any) error {
	if len(ids) == 0 {
		return nil
	}
	q, err := mf.choicesQuery(f.Model)
	if err != nil {
		return err
	}
	objs, err := q.Filter(orm.Q{"pk__in": ids}).OrderBy().All(mf.ctx)
	if err != nil {
		return err
	}
	found := map[string]bool{}
	for _, obj := range objs {
		found[pkString(f.Model.Related, obj)] = true
	}
	for _, v := range mf.submitted(f) {
		if v == "" {
			continue
		}
		id, ok := parseKey(f.Model, v)
		if text, _ := keyText(id); !ok || !found[text] {
			mf.fieldError(f.Name, msgInvalidChoice(v))
			return nil
		}
	}
	return nil
}

// loadReadonly computes the text of a read-only field from the instance.
func (mf *ModelForm) loadReadonly(f *Field) error {
	text, err := mf.readonlyText(f.Model)
	if err != nil {
		return err
	}
	f.readonlyText = &text
	return nil
}

func (mf *ModelForm) readonlyText(of *orm.Field) (string, error) {
	if mf.adding && !of.HasDefault {
		return emptyDisplay, nil
	}
	v := of.Get(mf.instance)
	switch of.Kind {
	case orm.KindManyToMany:
		return mf.relatedNames(of, keyValues(v))
	case orm.KindForeignKey, orm.KindOneToOne:
		return mf.relatedName(of, v)
	}
	return DisplayIn(of, v, mf.zone()), nil
}

// relatedName is the String of the object a foreign key points at, or "-".
func (mf *ModelForm) relatedName(of *orm.Field, id any) (string, error) {
	if of.IsNullKey(id) {
		return emptyDisplay, nil
	}
	objs, err := mf.db.Query(of.Related).Filter(orm.Q{keyName(of): id}).Limit(1).All(mf.ctx)
	if err != nil || len(objs) == 0 {
		return emptyDisplay, err
	}
	return of.Related.String(objs[0]), nil
}

// relatedNames joins the Strings of the related objects of a many-to-many
// field with commas, in the related model's order.
func (mf *ModelForm) relatedNames(of *orm.Field, ids []any) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	objs, err := orderedByPK(mf.db.Query(of.Related).Filter(orm.Q{"pk__in": ids})).All(mf.ctx)
	if err != nil {
		return "", err
	}
	names := make([]string, len(objs))
	for i, obj := range objs {
		names[i] = of.Related.String(obj)
	}
	return strings.Join(names, ", "), nil
}
