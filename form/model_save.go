package form

import (
	"context"
	"fmt"
)

// Save applies a valid form to its instance, saves it (an insert when
// adding) and writes its many-to-many fields, all in one transaction: the
// transaction ctx carries, if any (db.Atomic), else a new one. Uploads are
// stored with ctx too. It returns the saved instance.
func (mf *ModelForm) Save(ctx context.Context) (any, error) {
	obj := mf.instance
	err := mf.db.Atomic(ctx, func(ctx context.Context) error {
		mf.SetContext(ctx)
		if err := mf.Apply(obj); err != nil {
			return err
		}
		if err := mf.db.Save(ctx, obj); err != nil {
			return fmt.Errorf("form: save %s: %w", mf.model.Label(), err)
		}
		return mf.SaveM2M(ctx, obj)
	})
	if err != nil {
		return nil, err
	}
	mf.adding = false
	return obj, nil
}
