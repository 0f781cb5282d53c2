package form

import (
	"fmt"
	"slices"
	"strings"
)

// checkForms runs a model formset's checks across its cleaned forms:
// values that must be unique must differ from form to form, and objects
// marked for deletion must not be protected.
func (fs *ModelFormSet) checkForms() {
	fs.checkDeletedKeys()
	fs.checkUniqueAcross()
	if fs.FormSet.opts.CanDelete {
		fs.checkProtected()
	}
}

// checkDeletedKeys keeps the errors of the hidden keys of forms marked for
// deletion, whose other errors do not count: a tampered key is reported
// even with DELETE.
func (fs *ModelFormSet) checkDeletedKeys() {
	for i, f := range fs.FormSet.forms {
		if !fs.shouldDelete(f) {
			continue
		}
		for _, fld := range f.fields {
			if msgs := f.errors[fld.Name]; fld.formsetKey && len(msgs) > 0 {
				if fs.errs[i] == nil {
					fs.errs[i] = map[string][]string{}
				}
				fs.errs[i][fld.Name] = slices.Clone(msgs)
			}
		}
	}
}

// uniqueChecks lists the sets of fields that must be unique together,
// among those the forms edit: each unique field (the hidden primary key
// included) alone, then each Meta.UniqueTogether set.
func (fs *ModelFormSet) uniqueChecks(f *Form) [][]string {
	var checks [][]string
	for _, fld := range f.fields {
		if fld.Model != nil && !fld.Readonly && (fld.Model.Unique || fld.Model.PrimaryKey) {
			checks = append(checks, []string{fld.Name})
		}
	}
	for _, set := range fs.model.Meta.UniqueTogether {
		all := true
		for _, name := range set {
			if fld := f.field(name); fld == nil || fld.Readonly {
				all = false
			}
		}
		if all {
			checks = append(checks, set)
		}
	}
	return checks
}

// checkUniqueAcross is Django's BaseModelFormSet.validate_unique: a second
// valid form repeating a unique value gets "Please correct the duplicate
// values below.", and the formset "Please correct the duplicate data for
// slug." (or "for publisher and number, which must be unique.").
func (fs *ModelFormSet) checkUniqueAcross() {
	forms := fs.FormSet.forms
	if len(forms) == 0 {
		return
	}
	for _, check := range fs.uniqueChecks(forms[0]) {
		seen := map[string]bool{}
		for i, f := range forms {
			if fs.shouldDelete(f) || len(f.errors) > 0 {
				continue
			}
			key, ok := rowKey(f, check)
			if !ok {
				continue
			}
			if seen[key] {
				fs.nonForm = append(fs.nonForm, duplicateMessage(check))
				f.errors[NonField] = []string{"Please correct the duplicate values below."}
				for _, name := range check {
					delete(f.cleaned, name)
				}
				fs.errs[i] = f.Errors()
			}
			seen[key] = true
		}
	}
}

// rowKey joins a form's cleaned values of the fields of a check; ok is
// false when one is missing or nil.
func rowKey(f *Form, check []string) (string, bool) {
	parts := make([]string, len(check))
	for i, name := range check {
		v, ok := f.cleaned[name]
		if !ok || v == nil {
			return "", false
		}
		parts[i] = strings.Join(f.field(name).format(v), "\x00")
	}
	return strings.Join(parts, "\x01"), true
}

func duplicateMessage(check []string) string {
	if len(check) == 1 {
		return "Please correct the duplicate data for " + check[0] + "."
	}
	return "Please correct the duplicate data for " + textList(check) + ", which must be unique."
}

// checkProtected refuses to delete an object that protected (or
// restricted) rows point at, as the admin's inline forms do: "Deleting
// chapter Ch. 1 would require deleting the following protected related
// objects: foot note Fn. 1". The form gets the error, and the formset is
// invalid.
func (fs *ModelFormSet) checkProtected() {
	for i, f := range fs.FormSet.forms {
		mf := fs.byForm[f]
		if !fs.shouldDelete(f) || mf.adding {
			continue
		}
		d, err := fs.db.Collect(fs.ctx, mf.instance)
		if err != nil {
			fs.dbErr = fmt.Errorf("form: %s: deletion check: %w", fs.model.Label(), err)
			return
		}
		if len(d.Protected) == 0 {
			continue
		}
		related := make([]string, len(d.Protected))
		for j, p := range d.Protected {
			related[j] = p.Model.VerboseName + " " + p.Model.String(p.Object)
		}
		f.AddError(NonField, "Deleting "+fs.model.VerboseName+" "+fs.model.String(mf.instance)+
			" would require deleting the following protected related objects: "+textList(related))
		fs.errs[i] = f.Errors()
	}
}
