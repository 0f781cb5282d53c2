package form

import (
	"fmt"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// checkUnique applies Django's validate_unique to the form's fields: a
// unique field's value must not belong to another row ("Book with this Name
// already exists."), nor may a Meta.UniqueTogether set ("Book with this Name
// and Publisher already exists.", an error of the whole form). Fields that
// failed, read-only fields and empty (nil) values are not checked, nor is
// the primary key of an object being changed. A multi-table child's
// parents' unique fields and sets are checked against the parents' tables,
// as Django's _get_unique_checks pairs each check with its model, so a
// book's barcode is free only when no item (book or not) has it.
func (mf *ModelForm) checkUnique() error {
	for _, f := range mf.modelFields() {
		of := f.Model
		v, ok := mf.cleaned[f.Name]
		if f.Readonly || !of.Unique || !of.Concrete() || !ok || v == nil || of.PrimaryKey && (!mf.adding || f.formsetKey) {
			continue
		}
		owner := mf.model
		if of.Inherited() {
			owner = of.Model
		}
		taken, err := mf.taken(owner, orm.Q{of.Name: v})
		if err != nil {
			return fmt.Errorf("form: %s.%s: unique check: %w", mf.model.Label(), f.Name, err)
		}
		if taken {
			mf.fieldError(f.Name, mf.uniqueFieldMessage(owner, of))
		}
	}
	for m := mf.model; m != nil; m = m.Parent() {
		for _, set := range m.Meta.UniqueTogether {
			if err := mf.checkUniqueTogether(m, set); err != nil {
				return fmt.Errorf("form: %s: unique check of %v: %w", m.Label(), set, err)
			}
		}
	}
	return nil
}

func (mf *ModelForm) checkUniqueTogether(m *orm.Model, set []string) error {
	q := orm.Q{}
	labels := make([]string, 0, len(set))
	for _, name := range set {
		f := mf.field(name)
		if f == nil || f.Readonly {
			return nil
		}
		v, ok := mf.cleaned[name]
		if !ok || v == nil {
			return nil
		}
		q[name] = v
		labels = append(labels, f.Model.Label())
	}
	taken, err := mf.taken(m, q)
	if err == nil && taken {
		mf.errors[NonField] = append(mf.errors[NonField], uniqueMessage(m, textList(labels)))
	}
	return err
}

// taken reports whether another row of m, the form's model or one of its
// parents, matches q. A child's key is its parents' too.
func (mf *ModelForm) taken(m *orm.Model, q orm.Q) (bool, error) {
	qs := mf.db.Query(m).Filter(q)
	if !mf.adding {
		qs = qs.Exclude(orm.Q{"pk": mf.model.PKValue(mf.instance)})
	}
	return qs.Exists(mf.ctx)
}

// UniqueMessager is implemented by models that word a field's "already
// exists" error themselves, Django's error_messages["unique"]; an empty
// result keeps the default.
type UniqueMessager interface {
	UniqueMessage(field string) string
}

func (mf *ModelForm) uniqueFieldMessage(owner *orm.Model, of *orm.Field) string {
	if um, ok := mf.model.New().(UniqueMessager); ok {
		if msg := um.UniqueMessage(of.Name); msg != "" {
			return msg
		}
	}
	return uniqueMessage(owner, of.Label())
}

// uniqueMessage words the error of a unique check on m, the model whose
// table holds the fields ("Item with this Barcode ...").
func uniqueMessage(m *orm.Model, labels string) string {
	return orm.Capfirst(m.VerboseName) + " with this " + labels + " already exists."
}

// textList joins words as Django's get_text_list does: "a, b and c".
func textList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
