package form

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Clean adds a hook run once every form is cleaned, Django's
// BaseFormSet.clean, for checks across forms; its error's messages are
// the formset's own (NonFormErrors).
func (fs *FormSet) Clean(fn func(fs *FormSet) error) {
	fs.hooks = append(fs.hooks, fn)
	fs.done = false
}

// IsValid cleans every form, once, and reports whether the formset is
// bound, its forms (but those marked for deletion) are valid, and it has
// no errors of its own. A form marked for deletion counts only when its
// deletion is refused (a model formset's protected objects).
func (fs *FormSet) IsValid() bool {
	fs.fullClean()
	if !fs.bound || fs.err != nil || len(fs.nonForm) > 0 {
		return false
	}
	for i, f := range fs.forms {
		if len(fs.errs[i]) > 0 || !fs.shouldDelete(f) && !f.IsValid() {
			return false
		}
	}
	return true
}

// fullClean is Django's BaseFormSet.full_clean.
func (fs *FormSet) fullClean() {
	fs.buildForms()
	if !fs.bound || fs.done {
		return
	}
	fs.done = true
	fs.nonForm, fs.errs = nil, make([]map[string][]string, len(fs.forms))
	if fs.err != nil {
		return
	}
	if missing := fs.missingManagement(); missing != "" {
		fs.nonForm = append(fs.nonForm, "ManagementForm data is missing or has been tampered with. Missing fields: "+
			missing+". You may need to file a bug report if the issue persists.")
	}
	empty := 0
	for i, f := range fs.forms {
		if i >= fs.InitialFormCount() && !f.HasChanged() {
			empty++
		}
		f.fullClean()
		if !fs.shouldDelete(f) {
			fs.errs[i] = f.Errors()
		}
	}
	if fs.afterForms != nil {
		fs.afterForms()
	}
	fs.checkCounts(empty)
	for _, fn := range fs.hooks {
		if err := fn(fs); err != nil {
			fs.nonForm = append(fs.nonForm, messages(err)...)
		}
	}
}

// missingManagement names the management fields that are missing or not
// numbers, as Django lists them: "form-TOTAL_FORMS, form-INITIAL_FORMS".
func (fs *FormSet) missingManagement() string {
	m := fs.managementForm()
	if m.IsValid() {
		return ""
	}
	var names []string
	for _, fld := range m.fields {
		if _, bad := m.errors[fld.Name]; bad {
			names = append(names, m.htmlName(fld.Name))
		}
	}
	return strings.Join(names, ", ")
}

// checkCounts applies ValidateMax, ValidateMin and AbsoluteMax. A
// submission asking for more forms than AbsoluteMax is refused whatever
// ValidateMax says: its extra forms were never built.
func (fs *FormSet) checkCounts(empty int) {
	total, deleted := fs.TotalFormCount(), len(fs.DeletedForms())
	switch {
	case fs.opts.ValidateMax && total-deleted > fs.opts.MaxNum || fs.submittedCount(TotalFormsField) > fs.opts.AbsoluteMax:
		fs.nonForm = append(fs.nonForm, fmt.Sprintf("Please submit at most %d %s.", fs.opts.MaxNum, plural(fs.opts.MaxNum, "form", "forms")))
	case fs.opts.ValidateMin && total-deleted-empty < fs.opts.MinNum:
		fs.nonForm = append(fs.nonForm, fmt.Sprintf("Please submit at least %d %s.", fs.opts.MinNum, plural(fs.opts.MinNum, "form", "forms")))
	}
}

// shouldDelete reports whether a form was marked for deletion.
func (fs *FormSet) shouldDelete(f *Form) bool {
	if !fs.opts.CanDelete {
		return false
	}
	v, _ := f.Cleaned(DeleteField).(bool)
	return v
}

// Errors returns each form's errors, in form order; a form marked for
// deletion has none, as its errors do not count.
func (fs *FormSet) Errors() []map[string][]string {
	fs.fullClean()
	return slices.Clone(fs.errs)
}

// NonFormErrors returns the errors of the formset as a whole: a missing or
// tampered management form, too many or too few forms, and its hooks'.
func (fs *FormSet) NonFormErrors() []string {
	fs.fullClean()
	return slices.Clone(fs.nonForm)
}

// TotalErrorCount returns the number of the formset's own errors plus,
// for each form, its number of fields with errors (and one for its own
// errors): what the admin counts for "Please correct the errors below."
func (fs *FormSet) TotalErrorCount() int {
	fs.fullClean()
	n := len(fs.nonForm)
	for _, e := range fs.errs {
		n += len(e)
	}
	return n
}

// HasChanged reports whether any form changed.
func (fs *FormSet) HasChanged() bool {
	for _, f := range fs.Forms() {
		if f.HasChanged() {
			return true
		}
	}
	return false
}

// DeletedForms returns the forms marked for deletion, leaving out extra
// forms nobody filled in.
func (fs *FormSet) DeletedForms() []*Form {
	var out []*Form
	for i, f := range fs.Forms() {
		if i >= fs.InitialFormCount() && !f.HasChanged() {
			continue
		}
		if fs.shouldDelete(f) {
			out = append(out, f)
		}
	}
	return out
}

// OrderedForms returns the forms in the order their ORDER fields give
// (those without one last, in form order), leaving out deleted forms and
// extra forms nobody filled in. It is empty unless CanOrder.
func (fs *FormSet) OrderedForms() []*Form {
	if !fs.opts.CanOrder {
		return nil
	}
	fs.fullClean()
	var out []*Form
	for i, f := range fs.forms {
		if i >= fs.InitialFormCount() && !f.HasChanged() || fs.shouldDelete(f) {
			continue
		}
		out = append(out, f)
	}
	slices.SortStableFunc(out, func(a, b *Form) int {
		x, okA := a.Cleaned(OrderField).(int64)
		y, okB := b.Cleaned(OrderField).(int64)
		switch {
		case okA && okB:
			return cmp.Compare(x, y)
		case okA:
			return -1
		case okB:
			return 1
		}
		return 0
	})
	return out
}
