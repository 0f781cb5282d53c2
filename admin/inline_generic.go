package admin

import (
	"context"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// GenericInlineModelAdmin holds the options of a generic inline, Django's
// contenttypes GenericInlineModelAdmin: an inline of the objects whose
// generic foreign key (an orm.GenericForeignKey over a content type and
// an object id) points at the parent, whatever the parent's model. Use it
// through GenericTabularInline or GenericStackedInline.
type GenericInlineModelAdmin struct {
	InlineModelAdmin
	// CtField and CtFkField name the inline model's foreign key to the
	// content type and its object id field ("": "content_type" and
	// "object_id", Django's ct_field and ct_fk_field).
	CtField, CtFkField string
}

// genericInline is an inline over a generic key, also through a type that
// embeds one.
type genericInline interface {
	Inline
	genericAdmin() *GenericInlineModelAdmin
}

func (a *GenericInlineModelAdmin) genericAdmin() *GenericInlineModelAdmin { return a }

// keyFields returns the names of the content type and object id fields.
func (a *GenericInlineModelAdmin) keyFields() (ct, id string) {
	ct, id = a.CtField, a.CtFkField
	if ct == "" {
		ct = form.DefaultCtField
	}
	if id == "" {
		id = form.DefaultCtFkField
	}
	return ct, id
}

// GenericTabularInline shows each object of a generic inline as a table
// row, Django's GenericTabularInline.
type GenericTabularInline struct{ GenericInlineModelAdmin }

// GenericStackedInline shows each object of a generic inline as a stack
// of fields, Django's GenericStackedInline.
type GenericStackedInline struct{ GenericInlineModelAdmin }

func (*GenericTabularInline) tabular() bool { return true }
func (*GenericStackedInline) tabular() bool { return false }

// GenericTabular declares a tabular generic inline of model, over its
// fields content_type and object_id.
func GenericTabular(model any) *GenericTabularInline {
	return &GenericTabularInline{newGenericInline(model)}
}

// GenericStacked declares a stacked generic inline of model, over its
// fields content_type and object_id.
func GenericStacked(model any) *GenericStackedInline {
	return &GenericStackedInline{newGenericInline(model)}
}

func newGenericInline(model any) GenericInlineModelAdmin {
	return GenericInlineModelAdmin{InlineModelAdmin: InlineModelAdmin{Model: model},
		CtField: form.DefaultCtField, CtFkField: form.DefaultCtFkField}
}

// bindRelation finds how the inline's objects point at the parent of
// model pm: its generic key for a generic inline, else its foreign key.
func (a *InlineModelAdmin) bindRelation(pm, child *orm.Model) error {
	if g, ok := a.self.(genericInline); ok {
		ct, id := g.genericAdmin().keyFields()
		gk, err := form.GenericKeyOf(child, ct, id)
		a.gk = gk
		return err
	}
	fk, err := form.ForeignKeyTo(pm, child, a.FkName)
	a.fk = fk
	return err
}

// defaultPrefix is the prefix of the inline's formset before the page
// numbers a second one of the same relation.
func (a *InlineModelAdmin) defaultPrefix() string {
	if a.gk != nil {
		return a.gk.Prefix()
	}
	return form.InlinePrefix(a.fk)
}

// newFormSet makes the inline formset of parent, over the inline's
// generic key or foreign key.
func (a *InlineModelAdmin) newFormSet(ctx context.Context, parent any, opts form.ModelFormSetOptions) (*form.ModelFormSet, error) {
	db := a.parent.site.db
	if a.gk != nil {
		opts.CtField, opts.CtFkField = a.gk.ContentType.Name, a.gk.ObjectID.Name
		return form.NewGenericInlineFormSet(ctx, db, parent, a.model, opts)
	}
	opts.FKName = a.fk.Name
	return form.NewInlineFormSet(ctx, db, parent, a.model, opts)
}

// parentFilter returns the lookups selecting the inline's objects of the
// saved parent obj.
func (a *InlineModelAdmin) parentFilter(obj any) orm.Q {
	if a.gk != nil {
		q, _ := a.gk.Filter(a.parent.model.ConcreteModel(), concreteObject(a.parent.model, obj))
		return q
	}
	return orm.Q{a.fk.Name: a.parentKey(obj)}
}
