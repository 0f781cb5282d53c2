package orm

import (
	"fmt"
	"reflect"
	"slices"
)

// Multi-table inheritance, Django's concrete model inheritance: a model
// embeds a registered model with the tag `orm:"parent_link"`,
//
//	type Item struct {
//		ID    int64
//		Title string `orm:"max_length=200"`
//	}
//	type Book struct {
//		Item `orm:"parent_link"`
//		ISBN string `orm:"max_length=13,unique"`
//	}
//
// and gets its own table holding its own fields and the parent link: a
// one-to-one key to the parent's row, named "<parent>_ptr" (column
// "item_ptr_id"), which is the child's primary key. The parent's fields
// stay in the parent's table; the child reads them through the link, so
// b.Title, Q{"title__icontains": ...} and OrderBy("title") work on Book
// as Django's do. The parent reaches the child by its lower-case name,
// a reverse one-to-one: Q{"book__isbn": ...} on Item.

// findParent finds the embedded struct tagged parent_link and makes the
// link field for it. The parent must be registered before the child.
func (m *Model) findParent(models map[reflect.Type]*Model) error {
	for i := 0; i < m.typ.NumField(); i++ {
		sf := m.typ.Field(i)
		raw, ok := sf.Tag.Lookup("orm")
		if !ok || !sf.Anonymous {
			continue
		}
		t, err := parseTag(raw)
		if err != nil {
			return fieldError(m, sf.Name, err)
		}
		if _, link := t["parent_link"]; !link {
			continue
		}
		for k := range t {
			if k != "parent_link" && k != "name" && k != "db_column" {
				return fieldError(m, sf.Name, fmt.Errorf("a parent link takes only name= and db_column= (got %s)", k))
			}
		}
		switch {
		case sf.Type.Kind() != reflect.Struct:
			return fieldError(m, sf.Name, fmt.Errorf("a parent link embeds the parent's struct, not %s", sf.Type))
		case m.parentLink != nil:
			return fieldError(m, sf.Name, fmt.Errorf("a model has one parent here; %s is already the parent", m.parentLink.parentModel.Name))
		}
		parent := models[sf.Type]
		if parent == nil {
			return fieldError(m, sf.Name, fmt.Errorf("parent %s is not registered: register it with %s or in an app before", sf.Type, m.Name))
		}
		m.parentLink = newParentLink(m, parent, sf, []int{i})
		if name := t["name"]; name != "" {
			m.parentLink.Name, m.parentLink.Column = name, name+"_id"
		}
		if col := t["db_column"]; col != "" {
			m.parentLink.Column = col
		}
	}
	return nil
}

// parentModelsFirst orders the models of one Register call so that a parent
// named by a parent_link comes before its children, whatever order the
// application lists them in.
func parentModelsFirst(models []any) []any {
	byType := map[reflect.Type]any{}
	for _, v := range models {
		byType[modelType(v)] = v
	}
	placed := map[reflect.Type]bool{}
	out := make([]any, 0, len(models))
	var place func(v any)
	place = func(v any) {
		t := modelType(v)
		if placed[t] {
			return
		}
		placed[t] = true
		if p := parentType(t); p != nil && byType[p] != nil {
			place(byType[p])
		}
		out = append(out, v)
	}
	for _, v := range models {
		place(v)
	}
	return out
}

func modelType(v any) reflect.Type {
	t := reflect.TypeOf(v)
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t
}

// parentType is the type a struct embeds with a parent_link tag, or nil.
func parentType(t reflect.Type) reflect.Type {
	if t == nil || t.Kind() != reflect.Struct {
		return nil
	}
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		if raw, ok := sf.Tag.Lookup("orm"); ok && sf.Anonymous {
			if tg, err := parseTag(raw); err == nil {
				if _, link := tg["parent_link"]; link {
					return sf.Type
				}
			}
		}
	}
	return nil
}

// newParentLink makes the link field of a child to its parent, Django's
// auto-created OneToOneField(parent_link=True, primary_key=True). It has
// no struct field of its own: its value is the embedded parent's key.
func newParentLink(m, parent *Model, sf reflect.StructField, embed []int) *Field {
	name := parent.ModelName + "_ptr"
	return &Field{
		Model: m, Name: name, GoName: sf.Name, Column: name + "_id",
		Kind: KindOneToOne, PrimaryKey: true, Unique: true, Blank: true,
		OnDelete: Cascade, VerboseName: parent.ModelName + " ptr",
		relatedType: sf.Type, goType: parent.PK.goType, ptr: parent.PK.ptr,
		index: embed, parentModel: parent, embed: embed,
	}
}

// childMeta is the Meta a multi-table child gets. Django's child does not
// inherit its parent's Meta, except the ordering when it sets none. In Go
// a child that declares no Meta method gets the parent's, promoted from
// the embedded struct: that one is recognised (it equals the parent's)
// and only its ordering kept.
func childMeta(own Meta, parent *Model) Meta {
	raw, _ := readMeta(parent.typ)
	if sameMeta(own, raw) {
		return Meta{Ordering: parent.Meta.Ordering}
	}
	if own.Ordering == nil {
		own.Ordering = parent.Meta.Ordering
	}
	return own
}

// sameMeta compares two Metas; functions compare by the fields they are
// given for.
func sameMeta(a, b Meta) bool {
	keysEqual := func(x, y []string) bool { return slices.Equal(sortStrings(x), sortStrings(y)) }
	return a.Table == b.Table && slices.Equal(a.Ordering, b.Ordering) &&
		a.VerboseName == b.VerboseName && a.VerboseNamePlural == b.VerboseNamePlural &&
		reflect.DeepEqual(a.UniqueTogether, b.UniqueTogether) && reflect.DeepEqual(a.IndexTogether, b.IndexTogether) &&
		reflect.DeepEqual(a.Indexes, b.Indexes) &&
		reflect.DeepEqual(a.LimitChoicesTo, b.LimitChoicesTo) && reflect.DeepEqual(a.Choices, b.Choices) &&
		slices.Equal(a.NaturalKey, b.NaturalKey) &&
		keysEqual(mapKeys(a.Defaults), mapKeys(b.Defaults)) && keysEqual(mapKeys(a.Validators), mapKeys(b.Validators))
}

func mapKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// inherit gives a child the fields of its parent (and the parent's own
// parents): copies reading the embedded struct, found by Field and listed
// by AllFields, not in Fields, which are the child's own. A child's own
// field may not have a parent field's name, as Django's models.E006 says.
func (m *Model) inherit() error {
	link := m.parentLink
	if link == nil {
		return nil
	}
	for _, pf := range link.parentModel.AllFields() {
		if own := m.byName[pf.Name]; own != nil {
			return m.fieldErrorf(own, "the name %q is a field of the parent %s", pf.Name, link.parentModel.Name)
		}
		c := inheritedCopy(pf, link.embed)
		m.byName[c.Name] = c
		m.inherited = append(m.inherited, c)
	}
	return nil
}

// inheritedCopy copies a parent's field pf for a child whose parent
// struct is embedded at embed.
func inheritedCopy(pf *Field, embed []int) *Field {
	c := *pf
	c.inherited = pf
	c.index = append(slices.Clone(embed), pf.index...)
	if pf.embed != nil {
		c.embed = append(slices.Clone(embed), pf.embed...)
	}
	return &c
}

// refreshInherited copies again, once relations are resolved, what the
// parents' fields learnt (targets, reverse names), keeping each copy's
// place in the child's struct. Parents are registered before their
// children, so models in registration order see their parents done.
func refreshInherited(models []*Model) {
	for _, m := range models {
		for _, c := range m.inherited {
			idx, embed, pf := c.index, c.embed, c.inherited
			*c = *pf
			c.index, c.embed, c.inherited = idx, embed, pf
		}
	}
}

// Parent returns the parent of a multi-table child, or nil.
func (m *Model) Parent() *Model {
	if m.parentLink == nil {
		return nil
	}
	return m.parentLink.parentModel
}

// ParentLink returns the one-to-one field linking a multi-table child to
// its parent ("item_ptr"), the child's primary key; nil for other models.
func (m *Model) ParentLink() *Field { return m.parentLink }

// AllFields returns the fields of the parents (of a multi-table child)
// followed by the model's own, Django's _meta.get_fields order; for
// other models it is Fields. Each inherited field's Model is the parent
// whose table holds it.
func (m *Model) AllFields() []*Field {
	if len(m.inherited) == 0 {
		return m.Fields
	}
	return append(slices.Clone(m.inherited), m.Fields...)
}

// Inherited reports whether the field is one a multi-table child takes
// from a parent, its column in the parent's table.
func (f *Field) Inherited() bool { return f.inherited != nil }

// IsParentLink reports whether the field is a multi-table child's link to
// its parent, Django's parent_link.
func (f *Field) IsParentLink() bool { return f.embed != nil }

// linkedKey is the field whose values a key field holds: for a parent
// link, the key of the topmost parent (an integer for Django's auto
// keys); the field itself otherwise.
func (f *Field) linkedKey() *Field {
	for f.embed != nil {
		f = f.parentModel.PK
	}
	return f
}

// parentObject returns the parent struct embedded in obj, by pointer.
func (f *Field) parentObject(obj any) any {
	return reflect.ValueOf(obj).Elem().FieldByIndex(f.embed).Addr().Interface()
}

// linkGet reads a parent link: the embedded parent's key.
func (f *Field) linkGet(obj any) any {
	v := f.parentModel.PK.Get(f.parentObject(obj))
	if f.zeroNull && v == nil {
		return int64(0)
	}
	return v
}

// linkSet stores a parent link's key in the embedded parent.
func (f *Field) linkSet(obj, val any) error {
	pk := f.parentModel.PK
	if val == nil || val == "" {
		return pk.Set(f.parentObject(obj), nil)
	}
	n, err := pk.normalize(val)
	if err != nil {
		return &ValueError{Field: f.Name, Value: val, Err: err}
	}
	return pk.Set(f.parentObject(obj), n)
}
