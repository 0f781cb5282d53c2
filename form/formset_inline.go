package form

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// NewInlineFormSet returns an unbound formset over the objects of child
// whose foreign key points at parent (a pointer to a model struct; not yet
// saved when adding one, and then the formset starts empty), Django's
// inline formset. Its forms leave the foreign key out and carry the
// parent's key in a hidden field "<prefix>-<i>-<fk>", which must match;
// Save sets it to the parent's, whatever was submitted. The prefix is
// InlinePrefix's unless opts sets one; a one-to-one key to the parent
// allows one form.
func NewInlineFormSet(ctx context.Context, db *orm.DB, parent any, child *orm.Model, opts ModelFormSetOptions) (*ModelFormSet, error) {
	pm, err := db.Registry().ModelOf(parent)
	if err != nil {
		return nil, fmt.Errorf("form: inline formset: %w", err)
	}
	fk, err := ForeignKeyTo(pm, child, opts.FKName)
	if err != nil {
		return nil, err
	}
	if opts.Prefix == "" {
		opts.Prefix = InlinePrefix(fk)
	}
	if fk.Unique || fk.Kind == orm.KindOneToOne {
		opts.MaxNum = 1
	}
	fs, err := newModelFormSet(ctx, db, child, opts)
	if err != nil {
		return nil, err
	}
	fs.fk, fs.link, fs.parent = fk, fkLink{fk, pm}, parent
	return fs, fs.loadParent()
}

// loadParent reads the objects of an inline formset's parent: none while
// the parent is not saved.
func (fs *ModelFormSet) loadParent() error {
	if !fs.link.saved(fs.parent) || fs.defaultedParent() {
		return nil
	}
	q, err := fs.link.filter(fs.parent)
	if err != nil {
		return fmt.Errorf("form: inline formset of %s: %w", fs.model.Label(), err)
	}
	qs := fs.mopts.Queryset
	if qs.Model() != fs.model {
		qs = fs.db.Query(fs.model)
	}
	return fs.load(qs.Filter(q))
}

// ForeignKeyTo finds the foreign key (or one-to-one key) of child that
// points at parent — or at a model parent inherits from, whose key is
// parent's — as Django's _get_foreign_key does: the one called fkName when
// given, else the only one, with Django's errors when there is none or
// more than one.
func ForeignKeyTo(parent, child *orm.Model, fkName string) (*orm.Field, error) {
	if fkName != "" {
		f := child.Field(fkName)
		switch {
		case f == nil || fkName == "pk":
			return nil, fmt.Errorf("form: '%s' has no field named '%s'.", child.Label(), fkName)
		case !f.IsForeignKey() || !pointsAt(f, parent):
			return nil, fmt.Errorf("form: fk_name '%s' is not a ForeignKey to '%s'.", fkName, parent.Label())
		}
		return f, nil
	}
	var found []*orm.Field
	for _, f := range child.Fields {
		if f.IsForeignKey() && pointsAt(f, parent) {
			found = append(found, f)
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("form: '%s' has no ForeignKey to '%s'.", child.Label(), parent.Label())
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("form: '%s' has more than one ForeignKey to '%s'. You must specify a 'fk_name' attribute.", child.Label(), parent.Label())
}

// pointsAt reports whether the foreign key f points at m or at one of the
// models m inherits from (multi-table inheritance): either way its value
// is m's key.
func pointsAt(f *orm.Field, m *orm.Model) bool {
	for ; m != nil; m = m.Parent() {
		if f.Related == m {
			return true
		}
	}
	return false
}

// InlinePrefix returns the prefix Django gives the inline formset of a
// foreign key: the name of its reverse accessor without "+" — "choice_set",
// a related_name such as "books", or "books" for a hidden "books+". It is
// "" for a bare "+", where the formset falls back on "form".
func InlinePrefix(fk *orm.Field) string {
	if fk.ReverseHidden() {
		return strings.ReplaceAll(fk.RelatedName, "+", "")
	}
	return fk.RelatedAccessor
}

// Prefixes hands out the prefixes of the inline formsets of one page as
// the admin does: the first of a name is the name, the next "<name>-2",
// then "<name>-3"; an empty name is "-1", "-2", ...
type Prefixes map[string]int

// Next returns the prefix for another formset whose default prefix is
// name.
func (p Prefixes) Next(name string) string {
	p[name]++
	if n := p[name]; n != 1 || name == "" {
		return name + "-" + strconv.Itoa(n)
	}
	return name
}

// SetParent replaces an inline formset's parent by parent, of the same
// model: on an add page, the object the page's form creates, saved before
// the formset. The objects already loaded stay.
func (fs *ModelFormSet) SetParent(parent any) { fs.parent = parent }

// FK returns an inline formset's foreign key to its parent, nil for a
// model formset or a generic inline formset.
func (fs *ModelFormSet) FK() *orm.Field { return fs.fk }

// Parent returns an inline formset's parent object, nil for a model
// formset.
func (fs *ModelFormSet) Parent() any { return fs.parent }
