package form

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/orm"
)

// inlineLink is how the objects of an inline formset point at its parent:
// a foreign key (fkLink) or a generic foreign key's content type and
// object id (genericLink). The formset loads, builds and saves its forms
// through it, whichever it is.
type inlineLink interface {
	// fields names the child's fields the link sets; the forms leave them
	// out.
	fields() []string
	// saved reports whether parent is saved, so has objects.
	saved(parent any) bool
	// filter returns the lookups selecting the objects of a saved parent.
	filter(parent any) (orm.Q, error)
	// set points obj at parent, which is saved by now.
	set(ctx context.Context, parent, obj any) error
}

// fkLink is an inline formset's foreign key to its parent, of model pm:
// fk's related model, or a child of it (multi-table inheritance), whose
// own field reads the key out of the child's struct.
type fkLink struct {
	fk *orm.Field
	pm *orm.Model
}

func (l fkLink) fields() []string { return []string{l.fk.Name} }

// key returns the value the foreign key holds for parent, as text, and
// whether the parent is saved (has one).
func (l fkLink) key(parent any) (string, bool) {
	if parent == nil {
		return "", false
	}
	target := l.fk.KeyField()
	v := l.fk.KeyOf(l.pm, parent)
	key, _ := scalarString(v)
	// 0 is an unsaved auto key, but a key like any other of an explicit one.
	zero := key == "0" && (target.IsAuto() || l.fk.IsNullKey(v))
	if key == "" || zero || v == uuid.Nil {
		return "", false
	}
	return key, true
}

func (l fkLink) saved(parent any) bool {
	_, ok := l.key(parent)
	return ok
}

func (l fkLink) filter(parent any) (orm.Q, error) {
	key, _ := l.key(parent)
	v, err := l.fk.Parse(key)
	if err != nil {
		return nil, err
	}
	return orm.Q{l.fk.Name: v}, nil
}

func (l fkLink) set(_ context.Context, parent, obj any) error {
	key, saved := l.key(parent)
	if !saved {
		return fmt.Errorf("save the parent %s first", l.fk.Related.Label())
	}
	v, err := l.fk.Parse(key)
	if err != nil {
		return err
	}
	return l.fk.Set(obj, v)
}

// genericLink is a generic inline formset's content type and object id,
// pointing at a parent of model pm.
type genericLink struct {
	key *GenericKey
	db  *orm.DB
	pm  *orm.Model
}

func (l genericLink) fields() []string {
	return []string{l.key.ContentType.Name, l.key.ObjectID.Name}
}

func (l genericLink) saved(parent any) bool {
	_, ok := l.key.objectID(l.pm, parent)
	return ok
}

func (l genericLink) filter(parent any) (orm.Q, error) {
	q, _ := l.key.Filter(l.pm, parent)
	return q, nil
}

func (l genericLink) set(ctx context.Context, parent, obj any) error {
	return l.key.Set(ctx, l.db, l.pm, parent, obj)
}
