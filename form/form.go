package form

import (
	"fmt"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
)

// NonField is the key of Errors that holds the errors of the form as a
// whole, Django's NON_FIELD_ERRORS.
const NonField = "__all__"

// Form is a set of fields, their initial values and, once bound, the values
// submitted for them. It is made for one request and is not safe for
// concurrent use.
type Form struct {
	// Prefix, when set, is put before every field's HTML name ("book-name")
	// so several forms can share one <form>, as formsets do.
	Prefix string
	// Renderer draws the form; nil means DefaultRenderer.
	Renderer *Renderer

	fields  []*Field
	initial map[string][]string
	data    url.Values
	files   map[string][]*multipart.FileHeader
	bound   bool
	done    bool // fields cleaned since the last Bind
	cleaned map[string]any
	errors  map[string][]string
	// afterFields runs once the fields are cleaned, before the hooks: a
	// model form's check that chosen related objects exist. check runs
	// last: its uniqueness checks.
	afterFields, check func()
	fieldHooks         []fieldHook
	formHooks          []func(*Form) error
	// emptyPermitted skips cleaning when nothing changed, as a formset's
	// extra forms do; empty records that it did.
	emptyPermitted, empty bool
	// noRequiredAttr leaves out the required attribute, as a formset's
	// forms do (Django's use_required_attribute=False).
	noRequiredAttr bool
}

// New returns an unbound form with the given fields, in order.
func New(fields ...*Field) *Form {
	return &Form{fields: fields, initial: map[string][]string{}}
}

// SetInitial sets initial values the way a query string gives them (Django's
// add view reads ?name=x this way): the last value of each key, or for a
// many-to-many field or multiple select every value split on commas
// ("?authors=1,2"), and for a split date-time the value read whole
// ("?when=2024-03-09 14:30"). Keys that name no field are ignored.
func (f *Form) SetInitial(values map[string][]string) {
	if f.initial == nil {
		f.initial = map[string][]string{}
	}
	for _, fld := range f.fields {
		vs, ok := values[fld.Name]
		if !ok {
			continue
		}
		f.initial[fld.Name] = initialStrings(fld, vs)
	}
}

func initialStrings(fld *Field, vs []string) []string {
	if fld.multiple() {
		var out []string
		for _, v := range vs {
			for part := range strings.SplitSeq(v, ",") {
				if part != "" {
					out = append(out, part)
				}
			}
		}
		return out
	}
	if len(vs) == 0 {
		return nil
	}
	if _, split := fld.Widget.(*MultiWidget); split {
		if v, err := fld.clean(vs[len(vs)-1:]); err == nil {
			return fld.format(v)
		}
	}
	return vs[len(vs)-1:]
}

// Bind gives the form submitted data (r.PostForm) to validate. Binding
// again starts over.
func (f *Form) Bind(data url.Values) { f.BindFiles(data, nil) }

// BindFiles gives the form submitted data and the files uploaded with it
// (r.MultipartForm.File), which its file fields clean.
func (f *Form) BindFiles(data url.Values, files map[string][]*multipart.FileHeader) {
	f.data, f.files, f.bound, f.done = data, files, true, false
}

// BindRequest parses a POST request's body — as multipart/form-data,
// keeping at most maxMemory bytes of its files in memory and the rest in
// temporary files, when the request says so — and binds the form to its
// values and files. Limit the body's size beforehand with
// http.MaxBytesReader; remove the temporary files with
// r.MultipartForm.RemoveAll once done.
func (f *Form) BindRequest(r *http.Request, maxMemory int64) error {
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if ct == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxMemory); err != nil {
			return fmt.Errorf("form: parse multipart form: %w", err)
		}
		f.BindFiles(r.PostForm, r.MultipartForm.File)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return fmt.Errorf("form: parse form: %w", err)
	}
	f.Bind(r.PostForm)
	return nil
}

// IsMultipart reports whether the form has a file field, so its <form>
// needs enctype="multipart/form-data" (Django's is_multipart).
func (f *Form) IsMultipart() bool {
	for _, fld := range f.fields {
		if _, ok := fld.widget().(FileWidget); ok && !fld.Readonly {
			return true
		}
	}
	return false
}

// IsBound reports whether the form has submitted data.
func (f *Form) IsBound() bool { return f.bound }

// submitted returns what the field's widget reads from the bound data.
func (f *Form) submitted(fld *Field) []string {
	return fld.widget().ValueFrom(f.data, f.htmlName(fld.Name))
}

func (f *Form) htmlName(name string) string {
	if f.Prefix == "" {
		return name
	}
	return f.Prefix + "-" + name
}

// field returns the field called name, or nil.
func (f *Form) field(name string) *Field {
	for _, fld := range f.fields {
		if fld.Name == name {
			return fld
		}
	}
	return nil
}

// Cleaned returns the cleaned value of a field that validated, or nil.
func (f *Form) Cleaned(name string) any {
	f.fullClean()
	return f.cleaned[name]
}

// Errors returns the messages of each field with errors, and of the form
// under NonField. It cleans a bound form first.
func (f *Form) Errors() map[string][]string {
	f.fullClean()
	out := make(map[string][]string, len(f.errors))
	for k, v := range f.errors {
		out[k] = slices.Clone(v)
	}
	return out
}

// NonFieldErrors returns the errors of the form as a whole.
func (f *Form) NonFieldErrors() []string {
	f.fullClean()
	return slices.Clone(f.errors[NonField])
}

// ErrorCount returns the number of fields with errors, plus one when the
// form has errors of its own: the count behind the admin's "Please correct
// the error(s) below."
func (f *Form) ErrorCount() int {
	f.fullClean()
	return len(f.errors)
}

// Changed returns the names of the editable fields whose submitted value
// differs from the initial one, in form order (nil on an unbound form).
// Values are compared cleaned: decimals by value, dates by day,
// many-to-many ids as sets. A field that failed to validate is compared as
// submitted, so a value that does not clean counts as changed and a
// required field left empty does not, as in Django.
func (f *Form) Changed() []string {
	f.fullClean()
	if !f.bound {
		return nil
	}
	out := []string{} // never nil on a bound form: it becomes a JSON list
	if f.empty {
		return out
	}
	for _, fld := range f.fields {
		if !fld.Readonly && !fld.formsetKey && f.hasChanged(fld) {
			out = append(out, fld.Name)
		}
	}
	return out
}

func (f *Form) hasChanged(fld *Field) bool {
	if _, bad := f.errors[fld.Name]; bad {
		return f.fieldChangedRaw(fld)
	}
	if fld.CleanFile != nil {
		_, upload := f.cleaned[fld.Name].(*Upload)
		name, _ := f.cleaned[fld.Name].(string)
		return upload || name != last(f.initial[fld.Name])
	}
	return fld.canonical(f.initial[fld.Name]) != strings.Join(fld.format(f.cleaned[fld.Name]), "\x00")
}

// HasChanged reports whether any field changed.
func (f *Form) HasChanged() bool { return len(f.Changed()) > 0 }

// ChangedLabels returns the labels of the changed fields, e.g. ["Name",
// "Price"]: what the admin's change message stores, untranslated.
func (f *Form) ChangedLabels() []string {
	names := f.Changed()
	for i, name := range names {
		names[i] = f.field(name).Label
	}
	return names
}

// Fields returns the form's fields bound to its data, in order, for
// rendering.
func (f *Form) Fields() []*BoundField {
	f.fullClean()
	out := make([]*BoundField, len(f.fields))
	for i, fld := range f.fields {
		out[i] = f.bind(fld)
	}
	return out
}

// Field returns the bound field called name, or nil.
func (f *Form) Field(name string) *BoundField {
	fld := f.field(name)
	if fld == nil {
		return nil
	}
	f.fullClean()
	return f.bind(fld)
}
