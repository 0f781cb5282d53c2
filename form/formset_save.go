package form

import (
	"context"
	"errors"
	"fmt"
)

// SavedObjects is what a model formset's Save did, in form order: what
// the admin's change message and log entries record (Django's
// new_objects, changed_objects and deleted_objects).
type SavedObjects struct {
	New     []any
	Changed []ChangedObject
	Deleted []any
}

// ChangedObject is an object Save changed, with the names and labels of
// the fields that changed.
type ChangedObject struct {
	Object         any
	Fields, Labels []string
}

// Save writes a valid formset in one transaction — the one ctx carries
// (db.Atomic), else its own: the changed objects of the initial forms are
// updated and those marked DELETE deleted, with what cascades from them;
// then the changed extra forms become new objects. An inline formset sets
// every object's foreign key (or generic key) to the parent, which must
// be saved first.
// Unchanged forms are left alone. Nothing is written unless the formset is
// valid.
func (fs *ModelFormSet) Save(ctx context.Context) (*SavedObjects, error) {
	if !fs.IsValid() {
		if err := fs.Err(); err != nil {
			return nil, err
		}
		return nil, errors.New("form: save formset: the formset is not valid")
	}
	saved := &SavedObjects{}
	err := fs.db.Atomic(ctx, func(ctx context.Context) error {
		fs.SetContext(ctx)
		if err := fs.saveExisting(ctx, saved); err != nil {
			return err
		}
		return fs.saveNew(ctx, saved)
	})
	if err != nil {
		return nil, err
	}
	fs.saved = saved
	return saved, nil
}

// Saved returns what the last successful Save did, nil before one.
func (fs *ModelFormSet) Saved() *SavedObjects { return fs.saved }

// saveExisting updates or deletes the objects of the initial forms.
func (fs *ModelFormSet) saveExisting(ctx context.Context, saved *SavedObjects) error {
	for _, mf := range fs.InitialForms() {
		switch {
		case mf.adding:
			continue // no object: an invalid formset never gets here
		case fs.shouldDelete(&mf.Form):
			if err := fs.db.Delete(ctx, mf.instance); err != nil {
				return fmt.Errorf("form: delete %s %s: %w", fs.model.Label(), fs.model.String(mf.instance), err)
			}
			saved.Deleted = append(saved.Deleted, mf.instance)
		case mf.HasChanged():
			if err := fs.saveForm(ctx, mf); err != nil {
				return err
			}
			saved.Changed = append(saved.Changed, ChangedObject{Object: mf.instance, Fields: mf.Changed(), Labels: mf.ChangedLabels()})
		}
	}
	return nil
}

// saveNew creates the objects of the changed extra forms.
func (fs *ModelFormSet) saveNew(ctx context.Context, saved *SavedObjects) error {
	for _, mf := range fs.ExtraForms() {
		if !mf.HasChanged() || fs.shouldDelete(&mf.Form) {
			continue
		}
		if err := fs.saveForm(ctx, mf); err != nil {
			return err
		}
		saved.New = append(saved.New, mf.instance)
	}
	return nil
}

// saveForm applies a form to its object, sets an inline object's parent
// key, and saves the object and its many-to-many links.
func (fs *ModelFormSet) saveForm(ctx context.Context, mf *ModelForm) error {
	obj := mf.instance
	if err := mf.Apply(obj); err != nil {
		return err
	}
	if fs.link != nil {
		if err := fs.link.set(ctx, fs.parent, obj); err != nil {
			return fmt.Errorf("form: inline formset of %s: %w", fs.model.Label(), err)
		}
	}
	if err := fs.db.Save(ctx, obj); err != nil {
		return fmt.Errorf("form: save %s: %w", fs.model.Label(), err)
	}
	if err := mf.SaveM2M(ctx, obj); err != nil {
		return err
	}
	mf.adding = false
	return nil
}
