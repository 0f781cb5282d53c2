package admin

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// validate checks the options against the model when the admin is
// registered, and refuses options that are not built yet.
func (a *ModelAdmin) validate() error {
	if err := a.refuseUnbuilt(); err != nil {
		return err
	}
	a.cols = map[string]*column{}
	names := map[string]bool{}
	for _, item := range a.ListDisplay {
		c, err := a.resolveColumn(item)
		if err != nil {
			return fmt.Errorf("ListDisplay: %w", err)
		}
		a.cols[c.name] = c
		names[c.name] = true
	}
	if len(a.ListDisplay) == 0 {
		names["__str__"] = true
	}
	for _, name := range a.ListDisplayLinks {
		if !names[name] {
			return fmt.Errorf("ListDisplayLinks: %q is not in ListDisplay", name)
		}
	}
	for _, name := range a.SortableBy {
		if !names[name] {
			return fmt.Errorf("SortableBy: %q is not in ListDisplay", name)
		}
	}
	probe := a.site.db.Query(a.model)
	for _, sf := range a.SearchFields {
		if strings.HasPrefix(sf, "@") {
			return fmt.Errorf("SearchFields: %q: full-text search fields (@) are not supported; the search uses the database's own", sf)
		}
		if _, _, err := probe.Filter(orm.Q{searchLookup(sf): ""}).SQL(); err != nil {
			return fmt.Errorf("SearchFields: %q is not a searchable field path: %v", sf, err)
		}
	}
	if _, _, err := probe.OrderBy(a.Ordering...).SQL(); err != nil {
		return fmt.Errorf("Ordering: %w", err)
	}
	if _, _, err := probe.SelectRelated(a.ListSelectRelated...).SQL(); err != nil {
		return fmt.Errorf("ListSelectRelated: %w", err)
	}
	for _, group := range [][]string{a.Fields, a.Exclude} {
		for _, name := range group {
			if a.model.Field(name) == nil {
				return fmt.Errorf("%q is not a field of %s", name, a.model.Name)
			}
		}
	}
	for _, name := range a.ReadonlyFields {
		if !a.displayable(name) {
			return fmt.Errorf("ReadonlyFields: %q is neither a field of %s, a method of the admin taking the object, nor a method of *%s taking no arguments", name, a.model.Name, a.model.Name)
		}
	}
	for i, fs := range a.Fieldsets {
		for _, name := range fs.FieldNames() {
			if a.model.Field(name) == nil && !containsName(a.ReadonlyFields, name) {
				return fmt.Errorf("Fieldsets[%d]: %q is not a field of %s (nor in ReadonlyFields)", i, name, a.model.Name)
			}
		}
	}
	if err := a.validateListFilter(); err != nil {
		return err
	}
	if a.Fields != nil && a.Fieldsets != nil {
		return fmt.Errorf("both Fields and Fieldsets are set; use one")
	}
	if a.ListPerPage < 0 || a.ListMaxShowAll < 0 {
		return fmt.Errorf("ListPerPage and ListMaxShowAll must not be negative")
	}
	return a.site.tmpl.parseModelTemplates(a)
}

// displayable reports whether a read-only name can be shown: a model
// field, a method of the admin taking the object, or a model method.
func (a *ModelAdmin) displayable(name string) bool {
	if a.model.Field(name) != nil {
		return true
	}
	if _, _, ok := adminMethod(a.self, a.model, name); ok {
		return true
	}
	_, ok := modelMethod(a.model, name)
	return ok
}

// unbuilt lists the options whose feature comes in later steps, with the
// issue that brings it.
var unbuilt = []string{"DateHierarchy", "ListEditable", "Inlines", "Actions", "ActionsOnTop",
	"ActionsOnBottom", "ActionsSelectionCounter", "RawIDFields", "AutocompleteFields", "FilterHorizontal",
	"FilterVertical", "RadioFields", "PrepopulatedFields", "SaveAs", "SaveAsContinue", "ShowFacets"}

func (a *ModelAdmin) refuseUnbuilt() error {
	v := reflect.ValueOf(a).Elem()
	for _, name := range unbuilt {
		if !v.FieldByName(name).IsZero() {
			return fmt.Errorf("%s is not implemented yet", name)
		}
	}
	return nil
}

// validateListFilter accepts the list filters built so far: Go-written
// ones (SimpleListFilter or another ListFilter); the field filters come
// with the complete change list.
func (a *ModelAdmin) validateListFilter() error {
	for i, entry := range a.ListFilter {
		switch x := entry.(type) {
		case *SimpleListFilter:
			switch {
			case x.Title == "" || x.ParameterName == "":
				return fmt.Errorf("ListFilter[%d]: a SimpleListFilter needs a Title and a ParameterName", i)
			case x.Lookups == nil || x.Queryset == nil:
				return fmt.Errorf("ListFilter[%d] %q: a SimpleListFilter needs Lookups and Queryset", i, x.ParameterName)
			case reservedParams[x.ParameterName]:
				return fmt.Errorf("ListFilter[%d]: the parameter name %q is one of the change list's own", i, x.ParameterName)
			}
		case ListFilter:
		case string, FieldFilter:
			return fmt.Errorf("ListFilter[%d] %v: field list filters are not implemented yet", i, entry)
		default:
			return fmt.Errorf("ListFilter[%d]: unsupported entry %v (%T): want a field path, a FieldFilter or a ListFilter", i, entry, entry)
		}
	}
	return nil
}
