package form

import (
	"errors"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
)

// The names of a formset's management form fields, and of the fields a
// formset adds to its forms, as Django names them.
const (
	TotalFormsField   = "TOTAL_FORMS"
	InitialFormsField = "INITIAL_FORMS"
	MinNumFormsField  = "MIN_NUM_FORMS"
	MaxNumFormsField  = "MAX_NUM_FORMS"
	DeleteField       = "DELETE"
	OrderField        = "ORDER"
)

// DefaultMaxNum is the max_num of a formset that sets none, and what
// absolute_max adds to max_num.
const DefaultMaxNum = 1000

// MaxNone, as FormSetOptions.MaxNum, allows no form beyond the initial
// ones (Django's max_num=0), since a zero MaxNum means DefaultMaxNum.
const MaxNone = -1

// FormSetOptions shapes a formset, as the arguments of Django's
// formset_factory do.
type FormSetOptions struct {
	// Prefix starts the name of every field ("<prefix>-<i>-<field>") and
	// of the management form's; "form" when empty.
	Prefix string
	// Extra is the number of empty forms shown after the initial ones.
	Extra int
	// MinNum forms are shown at least; with ValidateMin fewer filled-in,
	// undeleted forms are "Please submit at least 2 forms."
	MinNum      int
	ValidateMin bool
	// MaxNum forms are shown at most (DefaultMaxNum when 0; MaxNone for
	// none beyond the initial ones); with ValidateMax more are "Please
	// submit at most 3 forms."
	MaxNum      int
	ValidateMax bool
	// AbsoluteMax caps the forms a submission may ask for, whatever its
	// TOTAL_FORMS says; MaxNum + DefaultMaxNum when 0.
	AbsoluteMax int
	// CanDelete adds a DELETE checkbox to the initial forms, and to the
	// extra ones too with CanDeleteExtra.
	CanDelete, CanDeleteExtra bool
	// CanOrder adds an ORDER number to every form (OrderedForms).
	CanOrder bool
	// Renderer draws the forms; nil means DefaultRenderer.
	Renderer *Renderer
}

// FormSet is a list of forms of the same shape edited together, Django's
// formset: a management form tells how many were shown and submitted, and
// each form's fields are named "<prefix>-<i>-<field>". It is made for one
// request and not safe for concurrent use.
type FormSet struct {
	opts    FormSetOptions
	build   func(i int) (*Form, error) // form i; i < 0 for the empty form
	initial []map[string][]string
	// initialCount gives the number of initial forms of an unbound
	// formset; nil means one per initial row.
	initialCount func() int
	data         url.Values
	files        map[string][]*multipart.FileHeader
	bound        bool

	mgmt    *Form
	forms   []*Form
	built   bool
	err     error
	done    bool
	errs    []map[string][]string
	nonForm []string
	hooks   []func(*FormSet) error
	// afterForms runs once the forms are cleaned, before the hooks: a
	// model formset's checks across forms.
	afterForms func()
}

// NewFormSet returns an unbound formset whose forms newForm makes, each
// anew. Its options are checked: AbsoluteMax may not be below MaxNum.
func NewFormSet(newForm func() *Form, opts FormSetOptions) (*FormSet, error) {
	fs, err := newFormSet(opts)
	if err != nil {
		return nil, err
	}
	fs.build = func(int) (*Form, error) { return newForm(), nil }
	return fs, nil
}

func newFormSet(opts FormSetOptions) (*FormSet, error) {
	if opts.Prefix == "" {
		opts.Prefix = "form"
	}
	switch {
	case opts.MaxNum == 0:
		opts.MaxNum = DefaultMaxNum
	case opts.MaxNum < 0:
		opts.MaxNum = 0
	}
	if opts.AbsoluteMax == 0 {
		opts.AbsoluteMax = opts.MaxNum + DefaultMaxNum
	}
	if opts.AbsoluteMax < opts.MaxNum {
		return nil, errors.New("form: formset: AbsoluteMax must be greater or equal to MaxNum")
	}
	if opts.Extra < 0 || opts.MinNum < 0 {
		return nil, errors.New("form: formset: Extra and MinNum may not be negative")
	}
	return &FormSet{opts: opts}, nil
}

// Prefix returns the formset's prefix.
func (fs *FormSet) Prefix() string { return fs.opts.Prefix }

// SetPrefix replaces the formset's prefix ("form" when empty), as a page
// of several formsets does to tell them apart; call it before the forms
// are built or bound.
func (fs *FormSet) SetPrefix(prefix string) {
	if prefix == "" {
		prefix = "form"
	}
	fs.opts.Prefix, fs.mgmt, fs.built, fs.done = prefix, nil, false, false
}

// SetInitial gives the initial forms their values, one row per form, as
// Form.SetInitial takes them; an unbound formset shows one initial form
// per row, then its extra forms.
func (fs *FormSet) SetInitial(rows []map[string][]string) {
	fs.initial, fs.built, fs.done = rows, false, false
}

// Bind gives the formset submitted data (r.PostForm). Binding again starts
// over.
func (fs *FormSet) Bind(data url.Values) { fs.BindFiles(data, nil) }

// BindFiles gives the formset submitted data and uploaded files.
func (fs *FormSet) BindFiles(data url.Values, files map[string][]*multipart.FileHeader) {
	fs.data, fs.files, fs.bound = data, files, true
	fs.mgmt, fs.built, fs.done = nil, false, false
}

// BindRequest parses a request's body as Form.BindRequest does and binds
// the formset to it.
func (fs *FormSet) BindRequest(r *http.Request, maxMemory int64) error {
	f := &Form{}
	if err := f.BindRequest(r, maxMemory); err != nil {
		return err
	}
	fs.BindFiles(f.data, f.files)
	return nil
}

// IsBound reports whether the formset has submitted data.
func (fs *FormSet) IsBound() bool { return fs.bound }

// managementForm returns the management form: bound to the submission, or
// holding the counts an unbound formset shows.
func (fs *FormSet) managementForm() *Form {
	if fs.mgmt != nil {
		return fs.mgmt
	}
	hidden := func() Option { return WithWidget(&Input{Type: "hidden"}) }
	f := New(
		IntegerField(TotalFormsField, "", hidden()),
		IntegerField(InitialFormsField, "", hidden()),
		IntegerField(MinNumFormsField, "", hidden(), Optional(), NilIfEmpty()),
		IntegerField(MaxNumFormsField, "", hidden(), Optional(), NilIfEmpty()),
	)
	f.Prefix, f.Renderer = fs.opts.Prefix, fs.opts.Renderer
	if fs.bound {
		f.BindFiles(fs.data, nil)
	} else {
		f.SetInitial(map[string][]string{
			TotalFormsField: {strconv.Itoa(fs.TotalFormCount())}, InitialFormsField: {strconv.Itoa(fs.InitialFormCount())},
			MinNumFormsField: {strconv.Itoa(fs.opts.MinNum)}, MaxNumFormsField: {strconv.Itoa(fs.opts.MaxNum)},
		})
	}
	fs.mgmt = f
	return f
}

// submittedCount is a count the management form carries, 0 when it is
// missing or not a number (Django's ManagementForm.clean defaults).
func (fs *FormSet) submittedCount(name string) int {
	n, _ := fs.managementForm().Cleaned(name).(int64)
	return int(max(n, 0))
}

// InitialFormCount returns the number of initial forms: as submitted for
// a bound formset, else one per initial row (or object).
func (fs *FormSet) InitialFormCount() int {
	if fs.bound {
		return fs.submittedCount(InitialFormsField)
	}
	if fs.initialCount != nil {
		return fs.initialCount()
	}
	return len(fs.initial)
}

// TotalFormCount returns the number of forms: as submitted for a bound
// formset, capped at AbsoluteMax; else the initial ones, at least MinNum,
// plus Extra, within MaxNum unless the initial ones are more.
func (fs *FormSet) TotalFormCount() int {
	if fs.bound {
		return min(fs.submittedCount(TotalFormsField), fs.opts.AbsoluteMax)
	}
	initial := fs.InitialFormCount()
	total := max(initial, fs.opts.MinNum) + fs.opts.Extra
	switch {
	case initial > fs.opts.MaxNum:
		return initial
	case total > fs.opts.MaxNum:
		return fs.opts.MaxNum
	}
	return total
}

// Forms returns the formset's forms, built on the first call.
func (fs *FormSet) Forms() []*Form {
	fs.buildForms()
	return fs.forms
}

// Err returns the error that stopped the forms from being built (a model
// formset's database error), if any; such a formset is not valid.
func (fs *FormSet) Err() error {
	fs.buildForms()
	return fs.err
}

func (fs *FormSet) buildForms() {
	if fs.built {
		return
	}
	fs.built, fs.forms, fs.err = true, nil, nil
	total, initial := fs.TotalFormCount(), fs.InitialFormCount()
	for i := range total {
		f, err := fs.build(i)
		if err != nil {
			fs.err = err
			return
		}
		fs.setUp(f, i, initial)
		fs.forms = append(fs.forms, f)
	}
}

// setUp prepares a new form as form i of the formset: its prefix, initial
// values, the fields the formset adds, and the submission.
func (fs *FormSet) setUp(f *Form, i, initial int) {
	f.Prefix = fs.opts.Prefix + "-" + strconv.Itoa(i)
	if i < 0 {
		f.Prefix = fs.opts.Prefix + "-__prefix__"
	}
	f.Renderer, f.noRequiredAttr = fs.opts.Renderer, true
	if i >= 0 && i < initial && i < len(fs.initial) {
		f.SetInitial(fs.initial[i])
	}
	f.emptyPermitted = i < 0 || i >= initial && i >= fs.opts.MinNum
	if fs.opts.CanOrder {
		order := IntegerField(OrderField, "Order", Optional(), NilIfEmpty())
		f.fields = append(f.fields, order)
		if i >= 0 && i < initial {
			f.initial[OrderField] = []string{strconv.Itoa(i + 1)}
		}
	}
	if fs.opts.CanDelete && (fs.opts.CanDeleteExtra || i >= 0 && i < initial) {
		f.fields = append(f.fields, BooleanField(DeleteField, "Delete", Optional()))
	}
	if fs.bound && i >= 0 {
		f.BindFiles(fs.data, fs.files)
	}
}

// EmptyForm returns a form as JavaScript copies it to add one: its prefix
// is "<prefix>-__prefix__", to be replaced by the new form's index.
func (fs *FormSet) EmptyForm() (*Form, error) {
	f, err := fs.build(-1)
	if err != nil {
		return nil, err
	}
	fs.setUp(f, -1, fs.InitialFormCount())
	return f, nil
}

// InitialForms returns the forms of the initial rows (or objects).
func (fs *FormSet) InitialForms() []*Form {
	forms := fs.Forms()
	return forms[:min(fs.InitialFormCount(), len(forms))]
}

// ExtraForms returns the forms after the initial ones.
func (fs *FormSet) ExtraForms() []*Form {
	forms := fs.Forms()
	return forms[min(fs.InitialFormCount(), len(forms)):]
}
