package orm

import (
	"fmt"
	"reflect"
	"strings"
)

// resolveAll links every relation to its target and checks what only the
// whole registry can tell.
func (r *Registry) resolveAll() error {
	models := r.Models()
	if err := r.resolveProxies(models); err != nil {
		return err
	}
	for _, m := range models {
		m.Related = nil
	}
	for _, m := range models {
		if m.IsProxy() {
			continue // its fields are its concrete model's (finishProxies)
		}
		for _, f := range m.Fields {
			if err := r.resolveField(m, f); err != nil {
				return fieldError(m, f.GoName, err)
			}
		}
	}
	for _, m := range models {
		for _, f := range m.Fields {
			if f.IsRelation() && !m.IsProxy() {
				f.setReverseNames()
				f.Related.Related = append(f.Related.Related, f)
			}
		}
	}
	r.finishProxies(models)
	for _, m := range models {
		if err := checkReverseClashes(m); err != nil {
			return err
		}
	}
	refreshInherited(models)
	return r.checkQueries(models)
}

func (r *Registry) resolveField(m *Model, f *Field) error {
	switch {
	case f.IsForeignKey():
		if err := r.resolveRelated(f); err != nil {
			return err
		}
		return f.resolveToField()
	case f.Kind == KindManyToMany:
		if err := r.resolveRelated(f); err != nil {
			return err
		}
		if err := checkKeyType(f, f.Related.PK, "ManyToMany"); err != nil {
			return err
		}
		return r.resolveThrough(m, f)
	case f.Kind == KindGenericForeignKey:
		return r.resolveGeneric(m, f)
	case f.Kind == KindGenericRelation:
		return r.resolveGenericRelation(m, f)
	}
	return nil
}

func (r *Registry) resolveRelated(f *Field) error {
	target := r.byType[f.relatedType]
	if target == nil {
		return fmt.Errorf("related model %s is not registered", f.relatedType)
	}
	f.Related = target
	return nil
}

// resolveToField finds the field a foreign key holds: to_field, or the
// primary key, and checks the relation's key type can hold its values.
func (f *Field) resolveToField() error {
	t := f.Related
	tf := t.PK
	if f.ToField != "" {
		tf = t.Field(f.ToField)
		switch {
		case tf == nil || !tf.Concrete() || tf.IsRelation():
			return fmt.Errorf("to_field=%s: %s has no such field", f.ToField, t.Name)
		case !tf.Unique:
			return fmt.Errorf("to_field=%s: %s.%s is not unique", f.ToField, t.Name, tf.GoName)
		}
	}
	name := "ForeignKey"
	if f.Kind == KindOneToOne {
		name = "OneToOne"
	}
	if err := checkKeyType(f, tf, name); err != nil {
		return err
	}
	f.target = tf
	if f.keyGoType == nil { // a join key the orm made: NULL is 0 for integers, as ForeignKey's
		f.zeroNull = tf.linkedKey().Kind.IsInteger()
	}
	return nil
}

// checkKeyType checks that the Go key type of the relation f can hold the
// values of the field key: an integer relation (ForeignKey, ManyToMany) an
// integer, a ForeignKeyTo[T, K] a K of key's kind.
func checkKeyType(f, key *Field, name string) error {
	kt := f.keyGoType
	if kt == nil {
		return nil
	}
	key = key.linkedKey()
	what := key.Model.Name + "." + key.GoName
	if key == key.Model.PK {
		what = "the primary key of " + key.Model.Name
	}
	if f.ToField != "" {
		what = "to_field=" + f.ToField + ": " + what
	}
	if f.zeroNull || kt == int64Type && f.Kind == KindManyToMany && !key.Kind.IsInteger() {
		if !key.Kind.IsInteger() {
			return fmt.Errorf("%s is a %s, and an orm.%s holds an integer: use orm.%sTo[%s, %s]", what, key.Kind, name, name, f.Related.Name, goTypeName(key))
		}
		return nil
	}
	ok := false
	switch {
	case key.Kind.IsInteger():
		ok = kt.Kind() >= reflect.Int && kt.Kind() <= reflect.Uint64
	case key.Kind == KindUUID:
		ok = kt == uuidType
	case key.Kind.IsString():
		ok = kt.Kind() == reflect.String
	default:
		ok = kt == key.goType || key.ptr && kt == key.goType.Elem()
	}
	if !ok {
		return fmt.Errorf("%s is a %s: its key type is %s, not %s", what, key.Kind, goTypeName(key), kt)
	}
	return nil
}

func goTypeName(f *Field) string {
	if f.ptr {
		return f.goType.Elem().String()
	}
	return f.goType.String()
}

// resolveThrough names a many-to-many field's join table and columns: the
// orm's own table "<table>_<field>" (or db_table), or the table of the
// model the through option names, joined by its foreign keys to both ends.
func (r *Registry) resolveThrough(m *Model, f *Field) error {
	if err := f.resolveSymmetry(m); err != nil {
		return err
	}
	if f.through == "" {
		if f.Through == "" {
			f.Through = m.Table + "_" + f.Column
		}
		f.ThroughFrom, f.ThroughTo = m.ModelName+"_id", f.Related.ModelName+"_id"
		if f.Related == m {
			f.ThroughFrom, f.ThroughTo = "from_"+m.ModelName+"_id", "to_"+m.ModelName+"_id"
		}
		tm, err := r.makeAutoThrough(m, f)
		f.AutoThrough = tm
		return err
	}
	tm := r.throughModel(m.App, f.through)
	if tm == nil {
		return fmt.Errorf("through=%s: no such model (name it \"Model\" in the same app or \"app_label.Model\")", f.through)
	}
	src, dst, err := throughKeys(m, f, tm)
	if err != nil {
		return fmt.Errorf("through=%s: %w", f.through, err)
	}
	f.ThroughModel, f.Through = tm, tm.Table
	f.ThroughFrom, f.ThroughTo = src.Column, dst.Column
	return nil
}

func (r *Registry) throughModel(app *App, name string) *Model {
	if strings.Contains(name, ".") {
		m, _ := r.GetModel(name)
		return m
	}
	return app.Model(name)
}

// throughKeys finds the through model's foreign keys to the source and the
// target model: those through_fields names, or the only ones there are
// (the first and second of two, for a relation of a model to itself).
func throughKeys(m *Model, f *Field, tm *Model) (src, dst *Field, err error) {
	if f.throughFields != [2]string{} {
		src, dst = tm.Field(f.throughFields[0]), tm.Field(f.throughFields[1])
		if !keyTo(src, m) || !keyTo(dst, f.Related) {
			return nil, nil, fmt.Errorf("through_fields=%s:%s must name %s's foreign keys to %s and to %s",
				f.throughFields[0], f.throughFields[1], tm.Name, m.Name, f.Related.Name)
		}
		return src, dst, nil
	}
	var toSrc, toDst []*Field
	for _, k := range tm.Fields {
		if keyTo(k, m) {
			toSrc = append(toSrc, k)
		}
		if keyTo(k, f.Related) {
			toDst = append(toDst, k)
		}
	}
	switch {
	case m == f.Related && len(toSrc) == 2:
		return toSrc[0], toSrc[1], nil
	case m != f.Related && len(toSrc) == 1 && len(toDst) == 1:
		return toSrc[0], toDst[0], nil
	}
	return nil, nil, fmt.Errorf("%s needs exactly one foreign key to %s and one to %s (it has %d and %d): name them with through_fields=source:target",
		tm.Name, m.Name, f.Related.Name, len(toSrc), len(toDst))
}

// keyTo reports whether k is a foreign key to m's primary key.
func keyTo(k *Field, m *Model) bool {
	return k != nil && k.IsForeignKey() && k.relatedType == m.typ && k.ToField == ""
}

// resolveGeneric finds the two fields a generic foreign key reads.
func (r *Registry) resolveGeneric(m *Model, f *Field) error {
	ct := m.byName[f.ctName]
	if ct == nil || !ct.IsForeignKey() {
		return fmt.Errorf("ct_field=%s: want a foreign key of %s to the content type model", f.ctName, m.Name)
	}
	ctModel := r.byType[ct.relatedType]
	if ctModel == nil || !isStringField(ctModel.Field("app_label")) || !isStringField(ctModel.Field("model")) {
		return fmt.Errorf("ct_field=%s: %s is not a content type model (registered, with app_label and model fields)", f.ctName, ct.relatedType)
	}
	id := m.byName[f.idName]
	if id == nil || !id.Concrete() || id.IsForeignKey() || !(id.Kind.IsInteger() || id.Kind.IsString() || id.Kind == KindUUID) {
		return fmt.Errorf("fk_field=%s: want an integer, string or UUID field of %s holding the object's primary key", f.idName, m.Name)
	}
	f.GenericContentType, f.GenericObjectID = ct, id
	return nil
}

func isStringField(f *Field) bool { return f != nil && f.Kind.IsString() }

// setReverseNames fills the names of a relation's reverse side, Django's
// related_query_name() and get_accessor_name().
func (f *Field) setReverseNames() {
	name := f.RelatedName
	if f.ReverseHidden() {
		name = ""
	}
	if f.RelatedQueryName == "" {
		f.RelatedQueryName = name
	}
	if f.RelatedQueryName == "" {
		f.RelatedQueryName = f.Model.ModelName
	}
	f.RelatedAccessor = name
	if f.RelatedAccessor == "" {
		f.RelatedAccessor = f.Model.ModelName + "_set"
		if f.Kind == KindOneToOne {
			f.RelatedAccessor = f.Model.ModelName
		}
	}
}

// checkReverseClashes refuses reverse relations whose accessor or query
// name is already a field of the target model or another reverse
// relation's, as Django's fields.E302–E305 checks do.
func checkReverseClashes(m *Model) error {
	accessors, queries := map[string]string{}, map[string]string{}
	for _, f := range m.Fields {
		accessors[f.Name] = "field " + m.Name + "." + f.Name
		queries[f.Name] = accessors[f.Name]
	}
	for _, rel := range m.Related {
		if rel.ReverseHidden() {
			continue
		}
		what := "the reverse relation of " + rel.Model.Name + "." + rel.Name
		for _, c := range []struct {
			names map[string]string
			name  string
		}{{accessors, rel.RelatedAccessor}, {queries, rel.RelatedQueryName}} {
			if other, clash := c.names[c.name]; clash {
				return rel.Model.fieldErrorf(rel, "reverse name %q on %s clashes with %s: give the field a related_name", c.name, m.Name, other)
			}
			c.names[c.name] = what
		}
	}
	return nil
}

// checkQueries compiles each model's ordering and each limit_choices_to,
// so an unknown name in them fails now rather than on a page.
func (r *Registry) checkQueries(models []*Model) error {
	db := &DB{dialect: SQLite{}, reg: r}
	for _, m := range models {
		if len(m.Meta.Ordering) > 0 {
			if _, _, err := db.BaseQuery(m).OrderBy(m.Meta.Ordering...).SQL(); err != nil {
				return m.errorf("Meta.Ordering: %w", err)
			}
		}
		if m.Meta.DefaultFilter != nil {
			if _, _, err := db.Query(m).SQL(); err != nil {
				return m.errorf("Meta.DefaultFilter: %w", err)
			}
		}
		for _, f := range m.Fields {
			if f.LimitChoicesTo == nil {
				continue
			}
			if _, _, err := db.Query(f.Related).Filter(f.LimitChoicesTo).SQL(); err != nil {
				return m.fieldErrorf(f, "Meta.LimitChoicesTo: %w", err)
			}
		}
	}
	return nil
}
