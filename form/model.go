package form

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// Options chooses and adjusts the fields of a model form, as the admin's
// fields, exclude, readonly_fields and formfield_overrides do.
type Options struct {
	// Fields lists the fields in order. Nil means every editable field
	// except an auto primary key, in struct order, then the Readonly ones.
	Fields []string
	// Exclude drops fields (a field also listed in Readonly is still shown).
	Exclude []string
	// Readonly fields are shown as text and never read from submitted data.
	// They may be non-editable fields.
	Readonly []string
	// Choices, when set, gives the query set that offers and accepts the
	// related objects of a foreign key or many-to-many field (Django's
	// formfield_for_foreignkey narrowing the queryset). A zero QuerySet
	// means all objects of the related model.
	Choices func(f *orm.Field) orm.QuerySet
	// KindWidgets gives the editable fields of a kind a widget of their
	// own, made anew for each field, Django's formfield_overrides:
	// {orm.KindText: func() form.Widget { return &form.Textarea{...} }}.
	KindWidgets map[orm.Kind]func() Widget
	// Widgets, Labels and HelpTexts override the widget, label and help
	// text of editable fields by name (a ModelForm's Meta.widgets, labels
	// and help_texts); a per-field widget wins over a per-kind one. A new
	// widget that offers choices gets the field's.
	Widgets   map[string]func() Widget
	Labels    map[string]string
	HelpTexts map[string]string
	// Customize, when set, is called with each editable field once it is
	// built and overridden, to change anything else (Django's
	// formfield_for_dbfield).
	Customize func(of *orm.Field, f *Field)
	// Prefix is the form's HTML name prefix (see Form.Prefix).
	Prefix string
	// Storage keeps the uploads of file and image fields, which are then
	// FileField and ImageField; without one they are text inputs holding
	// the stored name.
	Storage Storage
	// UploadTo names, per file field, the directory its uploads go to in
	// Storage (Django's upload_to; see the UploadTo option).
	UploadTo map[string]string
}

// ModelForm is a form whose fields come from a model, Django's ModelForm:
// it takes its initial values from an object and applies what was submitted
// back to one. It belongs to one request: it keeps the context given to
// ForModel for the queries it makes later (choices of relation fields,
// checks that chosen objects exist and that unique values are free). Those
// queries run when Fields is first called and when the form is validated,
// and never load all related objects just to validate.
type ModelForm struct {
	Form

	ctx      context.Context
	db       *orm.DB
	model    *orm.Model
	opts     Options
	instance any  // the object being changed, or model.New() when adding
	adding   bool // no SetInstance yet: unique checks include the primary key
	loaded   map[*Field]bool
	prepared bool
	err      error
	// choiceCache, shared by the forms of a formset, keeps the choices of
	// relation fields once loaded; nil for a form on its own.
	choiceCache map[string][]Choice
}

// ForModel returns an unbound form for model m with the fields opts
// chooses, whose initial values are the model's defaults (an add form).
// Unknown field names, and non-editable fields not listed in Readonly, are
// errors.
func ForModel(ctx context.Context, db *orm.DB, m *orm.Model, opts Options) (*ModelForm, error) {
	names, err := formFieldNames(m, opts)
	if err != nil {
		return nil, err
	}
	mf := &ModelForm{ctx: ctx, db: db, model: m, opts: opts, instance: m.New(), adding: true, loaded: map[*Field]bool{}}
	mf.Form = Form{Prefix: opts.Prefix, initial: map[string][]string{}, afterFields: mf.checkRelated, check: mf.checkUniqueness}
	readonly := nameSet(opts.Readonly)
	for _, name := range names {
		mf.fields = append(mf.fields, mf.newField(m.Field(name), readonly[name]))
	}
	mf.setInitialFrom(mf.instance, true)
	return mf, nil
}

// formFieldNames applies Fields, Exclude and Readonly to the model's fields.
func formFieldNames(m *orm.Model, opts Options) ([]string, error) {
	for _, list := range [][]string{opts.Fields, opts.Exclude, opts.Readonly, slices.Collect(maps.Keys(opts.Widgets)),
		slices.Collect(maps.Keys(opts.Labels)), slices.Collect(maps.Keys(opts.HelpTexts))} {
		for _, name := range list {
			if m.Field(name) == nil || name == "pk" {
				return nil, fmt.Errorf("form: %s has no field %q", m.Label(), name)
			}
		}
	}
	readonly, exclude := nameSet(opts.Readonly), nameSet(opts.Exclude)
	if opts.Fields == nil {
		return defaultFieldNames(m, opts.Readonly, readonly, exclude), nil
	}
	var names []string
	seen := map[string]bool{}
	for _, name := range opts.Fields {
		of := m.Field(name)
		switch {
		case seen[name]:
			return nil, fmt.Errorf("form: %s: field %q is listed twice", m.Label(), name)
		case exclude[name] && !readonly[name]:
			continue
		case !readonly[name] && !isEditable(of):
			return nil, fmt.Errorf("form: %s: field %q is not editable; list it in Readonly", m.Label(), name)
		}
		seen[name] = true
		names = append(names, name)
	}
	return names, nil
}

// defaultFieldNames lists the editable fields of m, a multi-table child's
// parents' first as Django's fields_for_model takes them (the parent link
// is not editable), then the ordered names not yet listed.
func defaultFieldNames(m *orm.Model, ordered []string, readonly, exclude map[string]bool) []string {
	var names []string
	for _, of := range m.AllFields() {
		if isEditable(of) && !exclude[of.Name] && !readonly[of.Name] {
			names = append(names, of.Name)
		}
	}
	seen := map[string]bool{}
	for _, name := range ordered {
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names
}

// isEditable reports whether a model field gets a form field by default.
func isEditable(of *orm.Field) bool { return of.Editable && !of.IsAuto() }

func nameSet(names []string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// zone is the time zone of the form's context: its date-time fields
// show and read that zone's clocks, as Django's forms use the current
// time zone.
func (mf *ModelForm) zone() *time.Location { return mf.db.CurrentTimeZone(mf.ctx) }

// newField builds the form field for a model field and lets Customize adjust
// an editable one.
func (mf *ModelForm) newField(of *orm.Field, readonly bool) *Field {
	f := fieldFor(of, mf.zone())
	if (of.Kind == orm.KindFile || of.Kind == orm.KindImage) && mf.opts.Storage != nil {
		f = fileFieldFor(of, mf.opts)
	}
	if label, ok := mf.opts.Labels[of.Name]; ok {
		f.Label = label
	}
	if readonly {
		f.Readonly, f.Required = true, false
		return f
	}
	overrideField(f, of, mf.opts)
	if mf.opts.Customize != nil {
		mf.opts.Customize(of, f)
	}
	return f
}

// overrideField applies the widget and help text overrides of opts.
func overrideField(f *Field, of *orm.Field, opts Options) {
	if help, ok := opts.HelpTexts[of.Name]; ok {
		f.HelpText = help
	}
	mk := opts.Widgets[of.Name]
	if mk == nil {
		mk = opts.KindWidgets[of.Kind]
	}
	if mk == nil {
		return
	}
	f.Widget = mk()
	if cw, ok := f.Widget.(ChoiceWidget); ok && f.choices != nil {
		cw.SetChoices(f.choices)
	}
}

// setInitialFrom takes the initial values from obj; with defaultsOnly, only
// of fields with a default, so an add form starts empty where Django's does.
func (mf *ModelForm) setInitialFrom(obj any, defaultsOnly bool) {
	for _, f := range mf.modelFields() {
		if defaultsOnly && !f.Model.HasDefault {
			delete(mf.initial, f.Name)
			continue
		}
		mf.initial[f.Name] = f.format(f.Model.Get(obj))
	}
}

// SetInstance makes obj, a pointer to a model struct, the object the form
// changes: its values become the initial ones (many-to-many ids are loaded
// with db.LoadM2MKeys), read-only fields show it, and unique checks skip it.
func (mf *ModelForm) SetInstance(ctx context.Context, obj any) error {
	if err := mf.checkType(obj); err != nil {
		return err
	}
	for _, f := range mf.modelFields() {
		if f.Model.Kind != orm.KindManyToMany {
			continue
		}
		if _, err := mf.db.LoadM2MKeys(ctx, obj, f.Name); err != nil {
			return fmt.Errorf("form: set instance of %s: %w", mf.model.Label(), err)
		}
	}
	mf.instance, mf.adding, mf.prepared = obj, false, false
	mf.setInitialFrom(obj, false)
	return nil
}

// modelFields returns the form's fields made from model fields, leaving
// out those a formset adds (DELETE, ORDER).
func (mf *ModelForm) modelFields() []*Field {
	out := make([]*Field, 0, len(mf.fields))
	for _, f := range mf.fields {
		if f.Model != nil {
			out = append(out, f)
		}
	}
	return out
}

// MakeReadonly shows every model field of the form as text, never read
// from submitted data, for a user who may only view the object; the
// hidden keys of a formset's form and its DELETE and ORDER fields stay as
// they are. Call it before the form is bound.
func (mf *ModelForm) MakeReadonly() {
	for _, f := range mf.modelFields() {
		if !f.formsetKey {
			f.Readonly, f.Required = true, false
		}
	}
	mf.prepared = false
}

// Instance returns the object the form changes: the one given to
// SetInstance, or a new one with the model's defaults.
func (mf *ModelForm) Instance() any { return mf.instance }

// Model returns the form's model.
func (mf *ModelForm) Model() *orm.Model { return mf.model }

// SetContext replaces the context the form queries with, e.g. by one that
// carries the transaction the form is validated and saved in.
func (mf *ModelForm) SetContext(ctx context.Context) { mf.ctx = ctx }

// Err returns the database error that stopped the form from loading its
// choices or validating, if any. Such a form is not valid, but the error is
// the server's, not the user's: report it rather than re-render the form.
func (mf *ModelForm) Err() error { return mf.err }

// IsValid cleans the submitted data, checks it against the database, once,
// and reports whether it has no errors.
func (mf *ModelForm) IsValid() bool {
	return mf.Form.IsValid() && mf.err == nil
}

// Fields returns the form's fields bound to its data, for rendering. The
// first call loads the choices of relation fields and the text of
// read-only ones; check Err afterwards.
func (mf *ModelForm) Fields() []*BoundField {
	mf.prepare()
	return mf.Form.Fields()
}

// Field returns the bound field called name, or nil, loaded as Fields does.
func (mf *ModelForm) Field(name string) *BoundField {
	mf.prepare()
	return mf.Form.Field(name)
}

// Apply sets the concrete fields of obj from a valid form's cleaned values;
// read-only and many-to-many fields are left alone (see SaveM2M). A file
// field's upload is stored first, with the form's context, and the field
// set to the name it was stored under.
func (mf *ModelForm) Apply(obj any) error {
	if err := mf.checkType(obj); err != nil {
		return err
	}
	if !mf.IsValid() {
		return errors.New("form: apply: the form is not valid")
	}
	for _, f := range mf.modelFields() {
		if f.Readonly || f.formsetKey || !f.Model.Concrete() {
			continue
		}
		v := mf.cleaned[f.Name]
		if u, ok := v.(*Upload); ok {
			stored, err := mf.store(f, u)
			if err != nil {
				return err
			}
			v = stored
		}
		if err := f.Model.Set(obj, v); err != nil {
			return fmt.Errorf("form: apply %s.%s: %w", mf.model.Label(), f.Name, err)
		}
	}
	return nil
}

// store saves an upload of a file field in the form's Storage, under the
// field's upload directory, and returns the name it was stored under.
func (mf *ModelForm) store(f *Field, u *Upload) (string, error) {
	if f.storage == nil {
		return "", fmt.Errorf("form: apply %s.%s: an upload and no Storage to keep it", mf.model.Label(), f.Name)
	}
	stored, err := u.Save(mf.ctx, f.storage, f.uploadTo, f.Model.MaxLength)
	if err != nil {
		return "", fmt.Errorf("form: apply %s.%s: %w", mf.model.Label(), f.Name, err)
	}
	return stored, nil
}

// SaveM2M writes the many-to-many fields of a valid form to obj, which must
// be saved first, with db.SetM2M.
func (mf *ModelForm) SaveM2M(ctx context.Context, obj any) error {
	if err := mf.checkType(obj); err != nil {
		return err
	}
	if !mf.IsValid() {
		return errors.New("form: save many-to-many: the form is not valid")
	}
	for _, f := range mf.modelFields() {
		if f.Readonly || f.Model.Kind != orm.KindManyToMany {
			continue
		}
		if err := mf.db.SetM2MKeys(ctx, obj, f.Name, keyValues(mf.cleaned[f.Name])); err != nil {
			return fmt.Errorf("form: save %s.%s: %w", mf.model.Label(), f.Name, err)
		}
	}
	return nil
}

func (mf *ModelForm) checkType(obj any) error {
	if reflect.TypeOf(obj) != reflect.PointerTo(mf.model.Type()) || reflect.ValueOf(obj).IsNil() {
		return fmt.Errorf("form: %s: want a *%s, got %T", mf.model.Label(), mf.model.Type(), obj)
	}
	return nil
}

// checkRelated checks, once the fields are cleaned, that the chosen
// related objects exist; checkUniqueness checks, after the hooks, that
// unique values are free. A database error stops both.
func (mf *ModelForm) checkRelated() {
	if mf.err == nil {
		mf.err = mf.checkRelations()
	}
}

func (mf *ModelForm) checkUniqueness() {
	if mf.err == nil {
		mf.err = mf.checkUnique()
	}
}

// fieldError replaces a field's cleaned value by an error.
func (mf *ModelForm) fieldError(name, msg string) {
	mf.errors[name] = append(mf.errors[name], msg)
	delete(mf.cleaned, name)
}

// AddField appends a field that is not the model's, such as a password
// typed twice: it is bound, cleaned and validated with the others, and left
// for the caller to read with Cleaned, since Apply sets model fields only.
func (mf *ModelForm) AddField(f *Field) {
	mf.fields = append(mf.fields, f)
	mf.done = false
}
