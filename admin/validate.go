package admin

import (
	"fmt"
	"reflect"
)

// validate checks the admin when it is registered: the options not built
// yet are refused, then every option goes through Check. Every message
// is returned; an error-level one refuses the registration.
func (a *ModelAdmin) validate() []CheckMessage {
	return append(a.refuseUnbuilt(), a.Check()...)
}

// prepare does the work Register keeps for serving, once the checks
// pass: the ListDisplay columns resolved and the *Template options parsed.
func (a *ModelAdmin) prepare() error {
	if err := a.bindInlines(); err != nil {
		return err
	}
	a.cols = map[string]*column{}
	for _, item := range a.ListDisplay {
		c, err := a.resolveColumn(item)
		if err != nil {
			return fmt.Errorf("ListDisplay: %w", err)
		}
		a.cols[c.name] = c
	}
	return a.site.tmpl.parseModelTemplates(a)
}

// unbuilt lists the options whose feature comes in later steps, with the
// issue that brings it.
var unbuilt []string

// refuseUnbuilt reports each option that is set but not built yet
// (staffroom.E001), rather than letting it be silently ignored.
func (a *ModelAdmin) refuseUnbuilt() []CheckMessage {
	c := &checker{site: a.site, label: a.model.Label(), admin: typeName(a.self)}
	const hint = "Remove the option until Staffroom serves it."
	v := reflect.ValueOf(a).Elem()
	for _, name := range unbuilt {
		if !v.FieldByName(name).IsZero() {
			c.add(LevelError, "staffroom.E001", name, "", hint, "%s is not implemented yet.", name)
		}
	}
	return c.msgs
}
