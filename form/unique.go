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
// the primary key of an object being changed.
func (mf *ModelForm) checkUnique() error {
	for _, f := range mf.modelFields() {
		of := f.Model
		v, ok := mf.cleaned[f.Name]
		if f.Readonly || !of.Unique || !of.Concrete() || !ok || v == nil || of.PrimaryKey && (!mf.adding || f.formsetKey) {
			continue
		}
		taken, err := mf.taken(orm.Q{of.Name: v})
		if err != nil {
			return fmt.Errorf("form: %s.%s: unique check: %w", mf.model.Label(), f.Name, err)
		}
		if taken {
			mf.fieldError(f.Name, mf.uniqueFieldMessage(of))
		}
	}
	for _, set := range mf.model.Meta.UniqueTogether {
		if err := mf.checkUniqueTogether(set); err != nil {
			return fmt.Errorf("form: %s: unique check of %v: %w", mf.model.Label(), set, err)
		}
	}
	return nil
}

func (mf *ModelForm) checkUniqueTogether(set []string) error {
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
	taken, err := mf.taken(q)
	if err == nil && taken {
		mf.errors[NonField] = append(mf.errors[NonField], mf.uniqueMessage(textList(labels)))
	}
	return err
}

// taken reports whether another row matches q.
func (mf *ModelForm) taken(q orm.Q) (bool, error) {
	qs := mf.db.Query(mf.model).Filter(q)
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

func (mf *ModelForm) uniqueFieldMessage(of *orm.Field) string {
	if um, ok := mf.model.New().(UniqueMessager); ok {
		if msg := um.UniqueMessage(of.Name); msg != "" {
			return msg
		}
	}
	return mf.uniqueMessage(of.Label())
}

func (mf *ModelForm) uniqueMessage(labels string) string {
	return orm.Capfirst(mf.model.VerboseName) + " with this " + labels + " already exists."
}

// textList joins words as Django's get_text_list does: "a, b and c".
func textList(words []string) string {
	if len(words) < 2 {
		return strings.Join(words, "")
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}
