package admin

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/staffroom/staffroom/form"
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
		fk, err := form.ForeignKeyTo(a.model, child, ia.FkName)
		if err != nil {
			ic.add(LevelError, "admin.E202", "FkName", ia.FkName, fmt.Sprintf("Give %s a foreign key to %s, or set FkName to the one to use.", child.Label(), a.model.Label()),
				"%s", strings.TrimPrefix(err.Error(), "form: "))
		} else if containsName(ia.Exclude, fk.Name) {
			ic.add(LevelError, "admin.E201", "Exclude", fk.Name, "The inline always sets the foreign key to its parent; remove it from Exclude.",
				"Cannot exclude the field '%s', because it is the foreign key to the parent model '%s'.", fk.Name, a.model.Label())
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
