package admin

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// checkInlines checks each inline, Django's InlineModelAdminChecks: its
// model, its relation to the parent, its sizes and its form options. The
// messages name the parent model and "Inlines[i]." options.
func (c *checker) checkInlines(a *ModelAdmin) {
	for i, in := range a.Inlines {
		option := fmt.Sprintf("Inlines[%d]", i)
		if in == nil || (reflect.ValueOf(in).Kind() == reflect.Pointer && reflect.ValueOf(in).IsNil()) {
			c.errorf("admin.E104", option, "nil", "Make inlines with admin.Tabular or admin.Stacked.", "is nil, which is not an inline.")
			continue
		}
		ia := in.inline()
		if ia.Model == nil {
			c.add(LevelError, "admin.E105", option+".Model", "", "Set Model, e.g. admin.Tabular(Chapter{}).",
				"The inline %s must have a Model.", option)
			continue
		}
		child, err := c.site.db.Registry().ModelOf(ia.Model)
		if err != nil {
			c.errorf("admin.E106", option+".Model", fmt.Sprintf("%T", ia.Model), "Register the model's app with the project.",
				"must be a model of the project's apps: %v.", err)
			continue
		}
		ic := &checker{site: c.site, label: c.label, admin: typeName(in), prefix: option + "."}
		if g, ok := in.(genericInline); ok {
			ic.checkGenericRelation(child, g.genericAdmin())
		} else {
			ic.checkRelation(a, child, ia)
		}
		if ia.Extra != nil && *ia.Extra < 0 {
			ic.errorf("admin.E203", "Extra", fmt.Sprint(*ia.Extra), "Use 0 or more blank forms.", "must not be negative.")
		}
		if ia.MaxNum < 0 {
			ic.errorf("admin.E204", "MaxNum", fmt.Sprint(ia.MaxNum), "Use 0 for no bound, or a positive bound.", "must not be negative.")
		}
		if ia.MinNum < 0 {
			ic.errorf("admin.E205", "MinNum", fmt.Sprint(ia.MinNum), "Use 0 for no bound, or a positive bound.", "must not be negative.")
		}
		if ia.MaxNum > 0 && ia.MinNum > ia.MaxNum {
			ic.errorf("staffroom.E015", "MinNum", fmt.Sprint(ia.MinNum), "Make MinNum at most MaxNum.", "is more than MaxNum (%d).", ia.MaxNum)
		}
		ic.checkForm(formOptions{model: child, self: in, Fields: ia.Fields, Exclude: ia.Exclude,
			ReadonlyFields: ia.ReadonlyFields, Ordering: ia.Ordering, Fieldsets: ia.Fieldsets,
			RawIDFields: ia.RawIDFields, AutocompleteFields: ia.AutocompleteFields,
			FilterHorizontal: ia.FilterHorizontal, FilterVertical: ia.FilterVertical})
		ic.checkTemplate("staffroom.E011", "Template", ia.Template)
		c.msgs = append(c.msgs, ic.msgs...)
	}
}

// checkRelation checks the foreign key of an inline's model to the
// parent, which the inline may not exclude.
func (c *checker) checkRelation(a *ModelAdmin, child *orm.Model, ia *InlineModelAdmin) {
	fk, err := form.ForeignKeyTo(a.model.ConcreteModel(), child, ia.FkName) // a proxy's inlines point at its concrete model
	if err != nil {
		c.add(LevelError, "admin.E202", "FkName", ia.FkName, fmt.Sprintf("Give %s a foreign key to %s, or set FkName to the one to use.", child.Label(), a.model.Label()),
			"%s", strings.TrimPrefix(err.Error(), "form: "))
	} else if containsName(ia.Exclude, fk.Name) {
		c.add(LevelError, "admin.E201", "Exclude", fk.Name, "The inline always sets the foreign key to its parent; remove it from Exclude.",
			"Cannot exclude the field '%s', because it is the foreign key to the parent model '%s'.", fk.Name, a.model.Label())
	}
}

// checkGenericRelation checks the key of a generic inline's model,
// Django's GenericInlineModelAdminChecks: CtField and CtFkField must be
// fields of the model that one of its generic foreign keys reads. There
// is no foreign key to the parent, so nothing to keep out of Exclude.
func (c *checker) checkGenericRelation(child *orm.Model, g *GenericInlineModelAdmin) {
	ct, id := g.keyFields()
	var gfks []*orm.Field
	for _, f := range child.Fields {
		if f.Kind == orm.KindGenericForeignKey {
			gfks = append(gfks, f)
		}
	}
	switch {
	case len(gfks) == 0:
		c.add(LevelError, "admin.E301", "Model", child.Label(), "Give the model an orm.GenericForeignKey, or use admin.Tabular or admin.Stacked.",
			"'%s' has no GenericForeignKey.", child.Label())
		return
	case child.Field(ct) == nil:
		c.add(LevelError, "admin.E302", "CtField", ct, "Name the model's foreign key to the content type.",
			"'%sCtField' references '%s', which is not a field on '%s'.", c.prefix, ct, child.Label())
		return
	case child.Field(id) == nil:
		c.add(LevelError, "admin.E303", "CtFkField", id, "Name the model's object id field.",
			"'%sCtFkField' references '%s', which is not a field on '%s'.", c.prefix, id, child.Label())
		return
	}
	for _, f := range gfks {
		if f.GenericContentType.Name == ct && f.GenericObjectID.Name == id {
			return
		}
	}
	c.add(LevelError, "admin.E304", "CtField", ct, "Set CtField and CtFkField to the fields of one of the model's generic foreign keys.",
		"'%s' has no GenericForeignKey using content type field '%s' and object ID field '%s'.", child.Label(), ct, id)
}
