package admin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// formOptions are the options a ModelAdmin and an inline share, Django's
// BaseModelAdmin, checked by checkForm against the model they edit.
type formOptions struct {
	model *orm.Model
	// self is the value whose methods may be read-only fields: the
	// registered admin, or the inline.
	self                                      any
	Fields, Exclude, ReadonlyFields, Ordering []string
	Fieldsets                                 []Fieldset
	RawIDFields, AutocompleteFields           []string
	FilterHorizontal, FilterVertical          []string
	RadioFields                               map[string]RadioLayout
	PrepopulatedFields                        map[string][]string
}

func (a *ModelAdmin) formOptions() formOptions {
	return formOptions{model: a.model, self: a.self, Fields: a.Fields, Exclude: a.Exclude,
		ReadonlyFields: a.ReadonlyFields, Ordering: a.Ordering, Fieldsets: a.Fieldsets,
		RawIDFields: a.RawIDFields, AutocompleteFields: a.AutocompleteFields,
		FilterHorizontal: a.FilterHorizontal, FilterVertical: a.FilterVertical,
		RadioFields: a.RadioFields, PrepopulatedFields: a.PrepopulatedFields}
}

// checkForm checks the form options, Django's BaseModelAdminChecks.
func (c *checker) checkForm(o formOptions) {
	c.checkAutocompleteFields(o)
	c.checkRawIDFields(o)
	c.checkFields(o)
	c.checkFieldsets(o)
	c.checkExclude(o)
	c.checkFilterM2M(o, "FilterVertical", o.FilterVertical)
	c.checkFilterM2M(o, "FilterHorizontal", o.FilterHorizontal)
	c.checkRadioFields(o)
	c.checkPrepopulatedFields(o)
	c.checkOrdering(o)
	c.checkReadonlyFields(o)
}

// missingField adds Django's "is not a field of" error.
func (c *checker) missingField(id, option, name string, m *orm.Model) {
	c.errorf(id, option, name, fmt.Sprintf("Use one of the fields of %s: %s.", m.Label(), fieldNames(m)),
		"refers to '%s', which is not a field of '%s'.", name, m.Label())
}

// fieldNames lists a model's field names for hints.
func fieldNames(m *orm.Model) string {
	names := make([]string, 0, len(m.Fields))
	for _, f := range m.AllFields() {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func (c *checker) checkAutocompleteFields(o formOptions) {
	for i, name := range o.AutocompleteFields {
		option := fmt.Sprintf("AutocompleteFields[%d]", i)
		f := o.model.Field(name)
		switch {
		case f == nil:
			c.missingField("admin.E037", option, name, o.model)
			continue
		case !f.IsRelation():
			c.errorf("admin.E038", option, name, "Autocomplete chooses related objects; use it for relations only.",
				"refers to '%s', which must be a foreign key or a many-to-many field.", name)
			continue
		}
		related := c.site.registered(f.Related)
		switch {
		case related == nil:
			c.add(LevelError, "admin.E039", option, name, fmt.Sprintf("Register %s on the site.", f.Related.Label()),
				"An admin for model '%s' has to be registered to be referenced by %s.%s.", f.Related.Label(), c.admin, c.prefix+"AutocompleteFields")
		case len(related.base().SearchFields) == 0:
			c.add(LevelError, "admin.E040", option, name, fmt.Sprintf("Give the admin of %s SearchFields.", f.Related.Label()),
				"%s must define SearchFields, because it's referenced by %s.%s.", typeName(related), c.admin, c.prefix+"AutocompleteFields")
		}
	}
}

func (c *checker) checkRawIDFields(o formOptions) {
	for i, name := range o.RawIDFields {
		option := fmt.Sprintf("RawIDFields[%d]", i)
		switch f := o.model.Field(name); {
		case f == nil:
			c.missingField("admin.E002", option, name, o.model)
		case !f.IsRelation():
			c.errorf("admin.E003", option, name, "A raw id is the related object's key; use it for relations only.",
				"refers to '%s', which must be a foreign key or a many-to-many field.", name)
		}
	}
}

// checkFields checks Fields: not beside Fieldsets, no duplicates, and,
// unlike Django (whose forms may add fields), only model fields or
// ReadonlyFields.
func (c *checker) checkFields(o formOptions) {
	if o.Fields == nil {
		return
	}
	if o.Fieldsets != nil {
		c.add(LevelError, "admin.E005", "Fields", strings.Join(o.Fields, ", "), "Lay the form out with one of them; Fieldsets can hold every line of Fields.",
			"Both Fieldsets and Fields are set.")
		return
	}
	if dup, ok := duplicate(o.Fields); ok {
		c.errorf("admin.E006", "Fields", dup, "List each field once.", "contains the field '%s' twice.", dup)
		return
	}
	for i, name := range o.Fields {
		c.checkFormField(o, fmt.Sprintf("Fields[%d]", i), name)
	}
}

// checkFormField checks a name of Fields or Fieldsets.
func (c *checker) checkFormField(o formOptions, option, name string) {
	if containsName(o.ReadonlyFields, name) {
		return // ReadonlyFields checks it
	}
	f := o.model.Field(name)
	switch {
	case f == nil:
		c.errorf("staffroom.E005", option, name, fmt.Sprintf("Use a field of %s (%s), or add the name to ReadonlyFields to show a method.", o.model.Label(), fieldNames(o.model)),
			"refers to '%s', which is not a field of '%s'.", name, o.model.Label())
	case f.Kind == orm.KindGenericRelation:
		c.errorf("staffroom.E005", option, name, fmt.Sprintf("Edit the objects of '%s' with a generic inline (admin.GenericTabular) instead.", name),
			"refers to '%s', a generic relation, which is no field of a form.", name)
	case f.Kind == orm.KindManyToMany && f.ThroughModel != nil:
		c.errorf("admin.E013", option, name, fmt.Sprintf("Edit the rows of %s with an inline instead.", f.ThroughModel.Label()),
			"cannot include the many-to-many field '%s', because that field has its own through model.", name)
	case !f.Editable:
		// Django's get_form raises FieldError at the first request; a
		// multi-table child's parent link is such a field.
		c.errorf("staffroom.E018", option, name, "Add it to ReadonlyFields to show it, or leave it out.",
			"refers to '%s', which is not editable and cannot be a field of the form of '%s'.", name, o.model.Label())
	}
}

func (c *checker) checkFieldsets(o formOptions) {
	seen := map[string]bool{}
	for i, fs := range o.Fieldsets {
		option := fmt.Sprintf("Fieldsets[%d]", i)
		if len(fs.FieldNames()) == 0 {
			c.errorf("admin.E011", option+".Lines", fs.Name, "Give the fieldset its fields, e.g. Lines: admin.Lines(\"title\", \"body\").",
				"must list at least one field (the fieldset '%s' has none).", fs.Name)
			continue
		}
		for j, line := range fs.Lines {
			for k, name := range line {
				lineOption := fmt.Sprintf("%s.Lines[%d][%d]", option, j, k)
				if seen[name] {
					c.errorf("admin.E012", lineOption, name, "A field shows once on a form; remove the repeated name.",
						"repeats the field '%s', already in an earlier line or fieldset.", name)
					continue
				}
				seen[name] = true
				c.checkFormField(o, lineOption, name)
			}
		}
	}
}

func (c *checker) checkExclude(o formOptions) {
	if dup, ok := duplicate(o.Exclude); ok {
		c.errorf("admin.E015", "Exclude", dup, "List each field once.", "contains the field '%s' twice.", dup)
	}
	for i, name := range o.Exclude {
		if o.model.Field(name) == nil {
			c.errorf("staffroom.E005", fmt.Sprintf("Exclude[%d]", i), name, fmt.Sprintf("Use a field of %s: %s.", o.model.Label(), fieldNames(o.model)),
				"refers to '%s', which is not a field of '%s'.", name, o.model.Label())
		}
	}
}

func (c *checker) checkFilterM2M(o formOptions, option string, names []string) {
	for i, name := range names {
		opt := fmt.Sprintf("%s[%d]", option, i)
		switch f := o.model.Field(name); {
		case f == nil:
			c.missingField("admin.E019", opt, name, o.model)
		case f.Kind != orm.KindManyToMany:
			c.errorf("admin.E020", opt, name, "The two-box chooser edits many-to-many fields only.",
				"refers to '%s', which must be a many-to-many field.", name)
		case f.ThroughModel != nil:
			c.errorf("admin.E013", opt, name, fmt.Sprintf("Edit the rows of %s with an inline instead.", f.ThroughModel.Label()),
				"cannot include the many-to-many field '%s', because that field has its own through model.", name)
		}
	}
}

func (c *checker) checkRadioFields(o formOptions) {
	for _, name := range sortedKeys(o.RadioFields) {
		option := fmt.Sprintf("RadioFields[%q]", name)
		switch f := o.model.Field(name); {
		case f == nil:
			c.missingField("admin.E022", "RadioFields", name, o.model)
		case !f.IsForeignKey() && len(f.Choices) == 0:
			c.errorf("admin.E023", "RadioFields", name, "Radio buttons choose among a foreign key's objects or a field's choices.",
				"refers to '%s', which is neither a foreign key nor a field with choices.", name)
		}
		if l := o.RadioFields[name]; l != Horizontal && l != Vertical {
			c.errorf("admin.E024", option, fmt.Sprint(int(l)), "Use admin.Horizontal or admin.Vertical.",
				"must be either admin.Horizontal or admin.Vertical.")
		}
	}
}

func (c *checker) checkPrepopulatedFields(o formOptions) {
	for _, name := range sortedKeys(o.PrepopulatedFields) {
		option := fmt.Sprintf("PrepopulatedFields[%q]", name)
		switch f := o.model.Field(name); {
		case f == nil:
			c.missingField("admin.E027", "PrepopulatedFields", name, o.model)
		case f.Kind == orm.KindDateTime || f.Kind == orm.KindDate || f.IsRelation():
			c.errorf("admin.E028", "PrepopulatedFields", name, "Prepopulate a text field such as a slug.",
				"refers to '%s', which must not be a date, a date-time, a foreign key, a one-to-one or a many-to-many field.", name)
		}
		sources := o.PrepopulatedFields[name]
		if len(sources) == 0 {
			c.errorf("admin.E029", option, "", "Name the fields it is filled from, e.g. {\"slug\": {\"title\"}}.",
				"must list at least one field to fill it from.")
		}
		for i, src := range sources {
			if o.model.Field(src) == nil {
				c.missingField("admin.E030", fmt.Sprintf("%s[%d]", option, i), src, o.model)
			}
		}
	}
}

// checkOrdering checks each Ordering entry by compiling it, so paths
// across relations are checked too (Django skips those).
func (c *checker) checkOrdering(o formOptions) {
	probe := c.site.db.Query(o.model)
	for i, name := range o.Ordering {
		option := fmt.Sprintf("Ordering[%d]", i)
		if name == "?" {
			c.errorf("admin.E032", option, name, "Staffroom has no random ordering; remove the '?'.", "is the random ordering marker '?'.")
			continue
		}
		if _, _, err := probe.OrderBy(name).SQL(); err != nil {
			c.errorf("admin.E033", option, name, "Order by a field or a path across relations, e.g. 'publisher__name'; '-' reverses it.",
				"refers to '%s', which is not a field path of '%s': %v.", name, o.model.Label(), err)
		}
	}
}

func (c *checker) checkReadonlyFields(o formOptions) {
	for i, name := range o.ReadonlyFields {
		if !displayable(o.self, o.model, name) {
			c.errorf("admin.E035", fmt.Sprintf("ReadonlyFields[%d]", i), name,
				fmt.Sprintf("Name a field of %s, a method of %s taking the object, or a method of *%s taking no arguments (in snake_case).", o.model.Label(), typeName(o.self), o.model.Name),
				"refers to '%s', which is not a method of '%s', or a field or method of '%s'.", name, typeName(o.self), o.model.Label())
		}
	}
}

// displayable reports whether a read-only name can be shown: a model
// field, a method of self (the admin or inline) taking the object, or a
// model method.
func displayable(self any, m *orm.Model, name string) bool {
	if m.Field(name) != nil {
		return true
	}
	if _, _, ok := adminMethod(self, m, name); ok {
		return true
	}
	_, ok := modelMethod(m, name)
	return ok
}

// duplicate returns the first name that appears twice.
func duplicate(names []string) (string, bool) {
	seen := map[string]bool{}
	for _, n := range names {
		if seen[n] {
			return n, true
		}
		seen[n] = true
	}
	return "", false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
