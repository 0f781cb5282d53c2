package form

import (
	"context"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// ModelFormSetOptions shapes a model formset: the formset's options, the
// options of each of its model forms (their Prefix is the formset's), and
// a hook that adjusts each form once built.
type ModelFormSetOptions struct {
	FormSetOptions
	Form Options
	// Setup, when set, is called with each model form once built and
	// before it is bound, with its index (-1 for the empty form), e.g. to
	// make the fields of a form the user may not change read-only, which
	// leaves the form unchanged, unvalidated and unsaved.
	Setup func(i int, mf *ModelForm)
	// FKName names the foreign key of an inline formset's model to the
	// parent, needed when it has several (Django's fk_name).
	FKName string
	// CtField and CtFkField name the content type and object id fields of
	// a generic inline formset's model ("": "content_type" and
	// "object_id"), Django's ct_field and fk_field.
	CtField, CtFkField string
	// Queryset, when it has a model, is the query set an inline formset
	// takes its objects from (Django's queryset argument), e.g. one page
	// of them; it is filtered by the parent all the same.
	Queryset orm.QuerySet
	// ParentAdding tells an inline formset that its parent is being added,
	// not yet saved: a key the parent holds from its field's default (a
	// generated UUID) is not its key yet, so the forms carry an empty
	// parent key and load no objects, as Django's inline formsets ignore
	// such a key.
	ParentAdding bool
}

// ModelFormSet edits objects of a model together, Django's model formset:
// one form per object of a query set (an initial form, carrying the
// object's primary key in a hidden field "<prefix>-<i>-<pk>"), then extra
// forms for new objects; Save writes the changes. An inline formset
// (NewInlineFormSet) edits the objects of a parent, and a generic inline
// formset (NewGenericInlineFormSet) those pointing at it through a
// generic foreign key.
//
// Hidden keys are checked, never trusted: an initial form's key must be
// one of the query set's objects, an extra form's must be empty, and an
// inline form's parent key the parent's; a form that breaks this is
// invalid ("Select a valid choice. ...", "The inline value did not match
// the parent instance."), so a tampered submission changes nothing.
type ModelFormSet struct {
	FormSet

	ctx     context.Context
	db      *orm.DB
	model   *orm.Model
	mopts   ModelFormSetOptions
	objects []any
	byPK    map[string]any
	byForm  map[*Form]*ModelForm
	choices map[string][]Choice // the choices of relation fields, loaded once
	// link and parent tie an inline formset's objects to its parent
	// object; fk is the foreign key of one that is not generic.
	link   inlineLink
	fk     *orm.Field
	parent any
	dbErr  error // a database error met while validating
	saved  *SavedObjects
}

// NewModelFormSet returns an unbound formset over the objects of qs, read
// now in its order (by primary key when it has none). Its forms query with
// ctx, as a ModelForm does.
func NewModelFormSet(ctx context.Context, db *orm.DB, qs orm.QuerySet, opts ModelFormSetOptions) (*ModelFormSet, error) {
	fs, err := newModelFormSet(ctx, db, qs.Model(), opts)
	if err != nil {
		return nil, err
	}
	return fs, fs.load(qs)
}

func newModelFormSet(ctx context.Context, db *orm.DB, m *orm.Model, opts ModelFormSetOptions) (*ModelFormSet, error) {
	if m == nil {
		return nil, fmt.Errorf("form: model formset: a query set without a model")
	}
	base, err := newFormSet(opts.FormSetOptions)
	if err != nil {
		return nil, err
	}
	if _, err := formFieldNames(m, opts.Form); err != nil {
		return nil, err
	}
	fs := &ModelFormSet{FormSet: *base, ctx: ctx, db: db, model: m, mopts: opts, byPK: map[string]any{}, byForm: map[*Form]*ModelForm{},
		choices: map[string][]Choice{}}
	fs.build = fs.buildForm
	fs.initialCount = func() int { return len(fs.objects) }
	fs.afterForms = fs.checkForms
	return fs, nil
}

// load reads the objects the initial forms edit.
func (fs *ModelFormSet) load(qs orm.QuerySet) error {
	if len(qs.Ordering()) == 0 {
		qs = qs.OrderBy("pk")
	}
	objs, err := qs.All(fs.ctx)
	if err != nil {
		return fmt.Errorf("form: model formset of %s: %w", fs.model.Label(), err)
	}
	fs.objects = objs
	for _, obj := range objs {
		fs.byPK[pkString(fs.model, obj)] = obj
	}
	return nil
}

// Objects returns the objects of the initial forms.
func (fs *ModelFormSet) Objects() []any { return fs.objects }

// Model returns the formset's model.
func (fs *ModelFormSet) Model() *orm.Model { return fs.model }

// SetContext replaces the context the formset and its forms query with,
// e.g. by one carrying the transaction they are validated and saved in.
func (fs *ModelFormSet) SetContext(ctx context.Context) {
	fs.ctx = ctx
	for _, mf := range fs.byForm {
		mf.SetContext(ctx)
	}
}

// Forms returns the formset's model forms, built on the first call.
func (fs *ModelFormSet) Forms() []*ModelForm { return fs.modelForms(fs.FormSet.Forms()) }

// InitialForms returns the forms of the query set's objects.
func (fs *ModelFormSet) InitialForms() []*ModelForm { return fs.modelForms(fs.FormSet.InitialForms()) }

// ExtraForms returns the forms for new objects.
func (fs *ModelFormSet) ExtraForms() []*ModelForm { return fs.modelForms(fs.FormSet.ExtraForms()) }

// DeletedForms returns the forms marked for deletion (see
// FormSet.DeletedForms).
func (fs *ModelFormSet) DeletedForms() []*ModelForm { return fs.modelForms(fs.FormSet.DeletedForms()) }

func (fs *ModelFormSet) modelForms(forms []*Form) []*ModelForm {
	out := make([]*ModelForm, len(forms))
	for i, f := range forms {
		out[i] = fs.byForm[f]
	}
	return out
}

// EmptyForm returns the model form JavaScript copies to add one, prefixed
// "<prefix>-__prefix__".
func (fs *ModelFormSet) EmptyForm() (*ModelForm, error) {
	f, err := fs.FormSet.EmptyForm()
	if err != nil {
		return nil, err
	}
	return fs.byForm[f], nil
}

// Err returns the database error that stopped the formset, or one of its
// forms, from loading or validating, if any.
func (fs *ModelFormSet) Err() error {
	if err := fs.FormSet.Err(); err != nil {
		return err
	}
	if fs.dbErr != nil {
		return fs.dbErr
	}
	for _, mf := range fs.Forms() {
		if err := mf.Err(); err != nil {
			return err
		}
	}
	return nil
}

// IsValid validates every form against the database, once, and reports
// whether the formset is valid (see FormSet.IsValid).
func (fs *ModelFormSet) IsValid() bool {
	valid := fs.FormSet.IsValid()
	return valid && fs.Err() == nil
}

// Render returns the management form, the formset's own errors and each
// form, loaded as ModelForm.Fields loads it.
func (fs *ModelFormSet) Render() (template.HTML, error) {
	return fs.render(fs.FormSet.Forms(), func(f *Form) (template.HTML, error) { return fs.byForm[f].Render() })
}

// buildForm builds model form i (-1 for the empty form) with its hidden
// keys, on the object its submitted key names when bound.
func (fs *ModelFormSet) buildForm(i int) (*Form, error) {
	formOpts := fs.mopts.Form
	formOpts.Prefix = ""
	if fs.link != nil {
		formOpts.Exclude = append(append([]string(nil), formOpts.Exclude...), fs.link.fields()...)
	}
	mf, err := ForModel(fs.ctx, fs.db, fs.model, formOpts)
	if err != nil {
		return nil, err
	}
	mf.choiceCache = fs.choices
	initial := i >= 0 && i < fs.InitialFormCount()
	if obj := fs.objectFor(i, initial); obj != nil {
		if err := mf.SetInstance(fs.ctx, obj); err != nil {
			return nil, err
		}
	}
	fs.addKeys(mf, initial)
	if fs.mopts.Setup != nil {
		fs.mopts.Setup(i, mf)
	}
	fs.byForm[&mf.Form] = mf
	return &mf.Form, nil
}

// objectFor returns the object initial form i edits: the one whose key was
// submitted for it, or unbound the i-th; nil for none.
func (fs *ModelFormSet) objectFor(i int, initial bool) any {
	if !initial {
		return nil
	}
	if !fs.bound {
		if i < len(fs.objects) {
			return fs.objects[i]
		}
		return nil
	}
	key := fs.FormSet.opts.Prefix + "-" + strconv.Itoa(i) + "-" + fs.model.PK.Name
	return fs.byPK[fs.pkKey(last(fs.data[key]))]
}

// pkKey normalizes a submitted primary key as pkString writes one; "" when
// it is not one.
func (fs *ModelFormSet) pkKey(v string) string {
	v = strings.TrimFunc(v, isSpace)
	if v == "" {
		return ""
	}
	pk, err := fs.model.PK.Parse(v)
	if err != nil {
		return ""
	}
	s, _ := scalarString(pk)
	return s
}
