package admin

import (
	"fmt"
)

// validate checks the admin when it is registered: every option goes
// through Check. Every message is returned; an error-level one refuses
// the registration.
func (a *ModelAdmin) validate() []CheckMessage { return a.Check() }

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
