package form

import (
	"context"
	"fmt"

	"github.com/google/uuid"

	"github.com/staffroom/staffroom/orm"
)

// The default names of a generic inline's fields, Django's ct_field and
// fk_field.
const (
	DefaultCtField   = "content_type"
	DefaultCtFkField = "object_id"
)

// GenericKey is the pair of fields through which an object of a model
// points at an object of any model, as a generic foreign key reads them:
// a foreign key to the content type model naming the other object's
// model, and a field holding its primary key.
type GenericKey struct {
	Model       *orm.Model
	ContentType *orm.Field
	ObjectID    *orm.Field
}

// GenericKeyOf returns the generic key of child made of its fields
// ctField and fkField ("" for Django's defaults, "content_type" and
// "object_id"), with Django's errors when a field is missing or ctField
// is not a foreign key to a content type model (one with app_label and
// model fields, such as contenttype.ContentType).
func GenericKeyOf(child *orm.Model, ctField, fkField string) (*GenericKey, error) {
	if ctField == "" {
		ctField = DefaultCtField
	}
	if fkField == "" {
		fkField = DefaultCtFkField
	}
	ct := child.Field(ctField)
	if ct == nil {
		return nil, fmt.Errorf("form: %s has no field named '%s'", child.Name, ctField)
	}
	if !ct.IsForeignKey() || !isContentTypeModel(ct.Related) {
		return nil, fmt.Errorf("form: fk_name '%s.%s' is not a ForeignKey to ContentType", child.Label(), ct.Name)
	}
	id := child.Field(fkField)
	if id == nil {
		return nil, fmt.Errorf("form: %s has no field named '%s'", child.Name, fkField)
	}
	return &GenericKey{Model: child, ContentType: ct, ObjectID: id}, nil
}

// isContentTypeModel reports whether m is a content type model, as the
// orm's generic foreign keys take one: a model with app_label and model
// text fields.
func isContentTypeModel(m *orm.Model) bool {
	if m == nil {
		return false
	}
	app, model := m.Field("app_label"), m.Field("model")
	return app != nil && app.Kind.IsString() && model != nil && model.Kind.IsString()
}

// Prefix returns the default prefix of a generic inline formset over the
// key, Django's "<app_label>-<model_name>-<ct_field>-<fk_field>", e.g.
// "bookstore-taggeditem-content_type-object_id".
func (k *GenericKey) Prefix() string {
	return k.Model.App.Label + "-" + k.Model.ModelName + "-" + k.ContentType.Name + "-" + k.ObjectID.Name
}

// objectID returns the value the object id field holds for parent, of
// model pm: its primary key, as text when the field holds text; false
// when parent is not saved.
func (k *GenericKey) objectID(pm *orm.Model, parent any) (any, bool) {
	if parent == nil {
		return nil, false
	}
	pk := pm.PKValue(parent)
	// 0 is an unsaved auto key, but a key like any other of an explicit one.
	if s, _ := scalarString(pk); s == "" || s == "0" && pm.PK.IsAuto() || pk == uuid.Nil {
		return nil, false
	}
	if k.ObjectID.Kind.IsString() {
		return pm.PK.Format(pk), true
	}
	return pk, true
}

// Filter returns the lookups selecting the objects whose key points at
// parent, of model pm, and false when parent is not saved. It names the
// content type by its app label and model, so it needs no content type
// row: a model without one has no objects pointing at it.
func (k *GenericKey) Filter(pm *orm.Model, parent any) (orm.Q, bool) {
	id, ok := k.objectID(pm, parent)
	if !ok {
		return nil, false
	}
	ct := k.ContentType.Name
	return orm.Q{ct + "__app_label": pm.App.Label, ct + "__model": pm.ModelName, k.ObjectID.Name: id}, true
}

// Set points the key of obj at parent, of model pm, which must be saved:
// the content type is pm's, its row created when missing (as
// DB.SetGenericObject does), and the object id parent's primary key.
func (k *GenericKey) Set(ctx context.Context, db *orm.DB, pm *orm.Model, parent, obj any) error {
	id, ok := k.objectID(pm, parent)
	if !ok {
		return fmt.Errorf("save the parent %s first", pm.Label())
	}
	ctID, err := db.ContentTypeID(ctx, k.ContentType.Related, pm)
	if err != nil {
		return err
	}
	if err := k.ContentType.Set(obj, ctID); err != nil {
		return err
	}
	return k.ObjectID.Set(obj, id)
}

// NewGenericInlineFormSet returns an unbound formset over the objects of
// child whose generic key — the fields opts.CtField and opts.CtFkField —
// points at parent (a pointer to a model struct; not yet saved when
// adding one, and then the formset starts empty), Django's
// generic_inlineformset_factory. Its forms leave both fields out; Save
// sets them to the parent's content type and primary key. The prefix is
// the key's Prefix unless opts sets one.
func NewGenericInlineFormSet(ctx context.Context, db *orm.DB, parent any, child *orm.Model, opts ModelFormSetOptions) (*ModelFormSet, error) {
	pm, err := db.Registry().ModelOf(parent)
	if err != nil {
		return nil, fmt.Errorf("form: generic inline formset: %w", err)
	}
	key, err := GenericKeyOf(child, opts.CtField, opts.CtFkField)
	if err != nil {
		return nil, err
	}
	if opts.Prefix == "" {
		opts.Prefix = key.Prefix()
	}
	fs, err := newModelFormSet(ctx, db, child, opts)
	if err != nil {
		return nil, err
	}
	fs.link, fs.parent = genericLink{key: key, db: db, pm: pm}, parent
	return fs, fs.loadParent()
}
