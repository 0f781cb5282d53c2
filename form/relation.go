package form

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// foreignKeyField is Django's ModelChoiceField without its query set: it
// cleans to the chosen id (an int64, or nil when empty), and the model form
// checks that id against the choices.
func foreignKeyField(name, label string, opts []Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Select{})
	f.Clean = func(values []string) (any, error) {
		v := strings.TrimFunc(last(values), isSpace)
		if v == "" {
			return f.empty(s, nil)
		}
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id == 0 { // 0 is how the orm spells NULL
			return nil, ValidationError{msgInvalidModel}
		}
		return id, nil
	}
	f.Format = func(v any) []string {
		if id, ok := v.(int64); ok && id != 0 {
			return []string{strconv.FormatInt(id, 10)}
		}
		return nil
	}
	return f
}

// manyToManyField is Django's ModelMultipleChoiceField without its query
// set: it cleans to the chosen ids ([]int64, sorted, without repeats), and
// the model form checks them against the choices.
func manyToManyField(name, label string, opts []Option) *Field {
	s := configure(opts)
	f := newField(name, label, s, &Select{Multiple: true})
	f.Clean = func(values []string) (any, error) {
		ids := []int64{}
		for _, v := range values {
			if v == "" {
				continue
			}
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil {
				return nil, ValidationError{"“" + v + "” is not a valid value."}
			}
			ids = append(ids, id)
		}
		if len(ids) == 0 && f.Required {
			return nil, ValidationError{msgRequired}
		}
		slices.Sort(ids)
		return slices.Compact(ids), nil
	}
	f.Format = func(v any) []string {
		ids, _ := v.([]int64)
		ids = slices.Sorted(slices.Values(ids))
		out := make([]string, len(ids))
		for i, id := range ids {
			out[i] = strconv.FormatInt(id, 10)
		}
		return out
	}
	return f
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
	var ids []int64
	for _, v := range values {
		if id, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil {
			ids = append(ids, id)
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
	for _, id := range ids {
		v := strconv.FormatInt(id, 10)
		if label, ok := labels[v]; ok {
			choices = append(choices, Choice{Value: v, Label: label})
			delete(labels, v)
		}
	}
	sw.SetSelected(choices)
	return nil
}

func pkString(m *orm.Model, obj any) string {
	s, _ := scalarString(m.PKValue(obj))
	return s
}

// keyString is the value a relation field stores for obj: the field a
// foreign key's to_field names, else the primary key.
func keyString(of *orm.Field, obj any) string {
	if t := of.Target(); t != nil {
		s, _ := scalarString(t.Get(obj))
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
		switch ids := v.(type) {
		case int64:
			err = mf.checkForeignKey(f, ids)
		case []int64:
			err = mf.checkManyToMany(f, ids)
		}
		if err != nil {
			return fmt.Errorf("form: %s.%s: %w", mf.model.Label(), f.Name, err)
		}
	}
	return nil
}

func (mf *ModelForm) checkForeignKey(f *Field, id int64) error {
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
func (mf *ModelForm) checkManyToMany(f *Field, ids []int64) error {
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
		id, err := strconv.ParseInt(v, 10, 64)
		if v != "" && (err != nil || !found[strconv.FormatInt(id, 10)]) {
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
		ids, _ := v.([]int64)
		return mf.relatedNames(of, ids)
	case orm.KindForeignKey, orm.KindOneToOne:
		id, _ := v.(int64)
		return mf.relatedName(of, id)
	}
	return DisplayIn(of, v, mf.zone()), nil
}

// relatedName is the String of the object a foreign key points at, or "-".
func (mf *ModelForm) relatedName(of *orm.Field, id int64) (string, error) {
	if id == 0 {
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
func (mf *ModelForm) relatedNames(of *orm.Field, ids []int64) (string, error) {
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
