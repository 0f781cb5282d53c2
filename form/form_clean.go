package form

import (
	"errors"
	"maps"
	"mime/multipart"
	"slices"
)

// fieldHook is a clean hook of one field.
type fieldHook struct {
	name string
	fn   func(v any) (any, error)
}

// CleanField adds a hook run once the field called name has cleaned
// without error, Django's clean_<name>: it receives the cleaned value (on a
// model form, a related object's key as the field cleans it) and returns
// the value to keep, or an error whose messages become the field's errors.
// Hooks run in the order added, after every field is cleaned.
func (f *Form) CleanField(name string, fn func(v any) (any, error)) {
	f.fieldHooks = append(f.fieldHooks, fieldHook{name, fn})
	f.done = false
}

// Clean adds a hook run after the fields and their hooks, Django's
// Form.clean, for checks across fields. It may read Cleaned, attach errors
// to fields with AddError, and return an error: a FieldErrors attaches its
// messages to the fields it names, any other error's messages (a
// ValidationError's, or its text) are the form's own. A model form checks
// uniqueness after its Clean hooks.
func (f *Form) Clean(fn func(f *Form) error) {
	f.formHooks = append(f.formHooks, fn)
	f.done = false
}

// FieldErrors maps field names to messages; returned by a Clean hook, each
// message is added to its field, or to the form's own errors under "" or
// NonField (Django's ValidationError with a dict).
type FieldErrors map[string][]string

// Error implements error.
func (e FieldErrors) Error() string {
	var msgs []string
	for _, k := range slices.Sorted(maps.Keys(e)) {
		msgs = append(msgs, e[k]...)
	}
	return ValidationError(msgs).Error()
}

// IsValid cleans the submitted data, once, and reports whether it has no
// errors. An unbound form is not valid.
func (f *Form) IsValid() bool {
	f.fullClean()
	return f.bound && len(f.errors) == 0
}

// fullClean cleans every editable field, then runs the model form's
// relation check, the field hooks, the form hooks and the model form's
// uniqueness check, as Django's full_clean does. A form that may stay
// empty and did is left clean, without errors.
func (f *Form) fullClean() {
	if !f.bound || f.done {
		return
	}
	f.done = true
	f.cleaned, f.errors = map[string]any{}, map[string][]string{}
	f.empty = f.emptyPermitted && !f.changedRaw()
	if f.empty {
		return
	}
	for _, fld := range f.fields {
		if fld.Readonly {
			continue
		}
		v, err := f.cleanField(fld)
		if err != nil {
			f.errors[fld.Name] = messages(err)
			continue
		}
		f.cleaned[fld.Name] = v
	}
	if f.afterFields != nil {
		f.afterFields()
	}
	f.runHooks()
	if f.check != nil {
		f.check()
	}
}

// runHooks runs the field hooks of fields that cleaned, then the form's.
func (f *Form) runHooks() {
	for _, h := range f.fieldHooks {
		v, ok := f.cleaned[h.name]
		if !ok {
			continue
		}
		out, err := h.fn(v)
		if err != nil {
			f.errors[h.name] = append(f.errors[h.name], messages(err)...)
			delete(f.cleaned, h.name)
			continue
		}
		f.cleaned[h.name] = out
	}
	for _, fn := range f.formHooks {
		err := fn(f)
		var fe FieldErrors
		switch {
		case err == nil:
		case errors.As(err, &fe):
			for name, msgs := range fe {
				for _, m := range msgs {
					f.AddError(name, m)
				}
			}
		default:
			f.errors[NonField] = append(f.errors[NonField], messages(err)...)
		}
	}
}

// changedRaw reports whether anything submitted differs from the initial
// values, without cleaning the form: what decides whether a formset's
// extra form is left empty (Django's has_changed before full_clean).
func (f *Form) changedRaw() bool {
	for _, fld := range f.fields {
		if !fld.Readonly && f.fieldChangedRaw(fld) {
			return true
		}
	}
	return false
}

// fieldChangedRaw compares what was submitted for a field with its
// initial value, each cleaned when it cleans: a file field changed when a
// file was sent or its clear box checked.
func (f *Form) fieldChangedRaw(fld *Field) bool {
	if fld.CleanFile != nil {
		return f.upload(fld) != nil || Truthy(f.submitted(fld))
	}
	return fld.canonical(f.initial[fld.Name]) != fld.canonical(f.submitted(fld))
}

// cleanField cleans what was submitted for fld: its values, or for a file
// field its upload.
func (f *Form) cleanField(fld *Field) (any, error) {
	if fld.CleanFile == nil {
		return fld.CleanValues(f.submitted(fld))
	}
	return fld.cleanUpload(f.upload(fld), f.submitted(fld), last(f.initial[fld.Name]))
}

// upload returns the file submitted for a file field, if any.
func (f *Form) upload(fld *Field) *multipart.FileHeader {
	if fw, ok := fld.widget().(FileWidget); ok {
		return fw.FileFrom(f.files, f.htmlName(fld.Name))
	}
	return lastFile(f.files, f.htmlName(fld.Name))
}

// AddError records a validation error found after the fields were cleaned,
// such as a wrong password, as Django's add_error does: on the field called
// name (whose cleaned value is dropped), or on the form as a whole when name
// is "" or NonField. It makes the form invalid.
func (f *Form) AddError(name, message string) {
	f.fullClean()
	if f.errors == nil {
		f.errors, f.cleaned = map[string][]string{}, map[string]any{}
	}
	if name == "" || f.field(name) == nil {
		name = NonField
	}
	f.errors[name] = append(f.errors[name], message)
	delete(f.cleaned, name)
}
