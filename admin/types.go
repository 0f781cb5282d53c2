package admin

import (
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// Fieldset is one box of the change form, an entry of Django's fieldsets:
// a heading (empty for none), CSS classes ("collapse", "wide"), a
// description shown above the fields, and the fields, one line each or
// several side by side.
type Fieldset struct {
	Name        string
	Classes     []string
	Description string
	// Lines lists the form's lines; a line of several names shows those
	// fields side by side.
	Lines [][]string
}

// FieldNames returns the names of every field of the fieldset, in order.
func (fs Fieldset) FieldNames() []string {
	var out []string
	for _, line := range fs.Lines {
		out = append(out, line...)
	}
	return out
}

// Lines makes one line per field name, the usual fieldset body.
func Lines(names ...string) [][]string {
	out := make([][]string, len(names))
	for i, n := range names {
		out[i] = []string{n}
	}
	return out
}

// Inline edits objects related to the change form's object on the same
// page, Django's InlineModelAdmin. TabularInline and StackedInline
// implement it, and GenericTabularInline and GenericStackedInline for
// objects pointing at it through a generic foreign key; embed one to
// override a method.
type Inline interface {
	inline() *InlineModelAdmin
	// GetExtra, GetMaxNum and GetMinNum size the formset for obj (nil
	// when adding); a max of 0 means no limit but the site's.
	GetExtra(r *http.Request, obj any) int
	GetMaxNum(r *http.Request, obj any) int
	GetMinNum(r *http.Request, obj any) int
	// GetQueryset returns the related objects the inline may show.
	GetQueryset(r *http.Request) orm.QuerySet
	// GetFormset builds the inline formset for the parent obj (nil when
	// adding), with the prefix the page gives it (Django passes it as a
	// keyword argument) and, for an inline of more than PerPage objects,
	// the objects of the page "?<prefix>-page=N" asks for.
	GetFormset(r *http.Request, obj any, prefix string) (*form.ModelFormSet, error)
	HasViewPermission(r *http.Request, obj any) bool
	HasAddPermission(r *http.Request, obj any) bool
	HasChangePermission(r *http.Request, obj any) bool
	HasDeletePermission(r *http.Request, obj any) bool
}

// InlineModelAdmin holds the options of an inline, Django's
// InlineModelAdmin; use it through TabularInline or StackedInline.
type InlineModelAdmin struct {
	// Model is the related model (a value or pointer of it).
	Model any
	// FkName names the foreign key to the parent when there are several.
	FkName string
	// Extra is the number of blank forms (nil: 3); MaxNum and MinNum
	// bound the number of forms (0: no bound).
	Extra          *int
	MaxNum, MinNum int
	// CanDelete (nil: true) offers a delete box per form; ShowChangeLink
	// links each saved object to its own change page.
	CanDelete      *bool
	ShowChangeLink bool
	// VerboseName and VerboseNamePlural override the model's names.
	VerboseName, VerboseNamePlural string
	// Classes are CSS classes of the inline's fieldset ("collapse").
	Classes []string
	// Template names a template of the site's Templates rendering the
	// inline in place of the stock tabular or stacked one (Django's
	// template). It is given the InlineAdminFormSet, and is parsed with
	// the change form's templates, so it may call {{template
	// "inline_tabular" .}} or "inline_stacked" to wrap the stock layout.
	Template string
	// PerPage is the number of objects shown at most (0: 50); an inline of
	// more is paginated ("?<prefix>-page=N"), a Staffroom addition.
	PerPage                                   int
	Fields, Exclude, ReadonlyFields, Ordering []string
	Fieldsets                                 []Fieldset
	RawIDFields, AutocompleteFields           []string
	// FilterHorizontal and FilterVertical are many-to-many fields of the
	// inline's model edited in the two-box chooser, as on ModelAdmin; a
	// row added by "Add another" gets its chooser too.
	FilterHorizontal, FilterVertical []string

	self   Inline
	parent *ModelAdmin
	model  *orm.Model
	fk     *orm.Field       // the foreign key to the parent
	gk     *form.GenericKey // or a generic inline's key
}

func (a *InlineModelAdmin) inline() *InlineModelAdmin { return a }

// TabularInline shows each related object as a table row.
type TabularInline struct{ InlineModelAdmin }

// StackedInline shows each related object as a stack of fields.
type StackedInline struct{ InlineModelAdmin }

// tabular tells the page which layout an inline has, also through a type
// that embeds one.
func (*TabularInline) tabular() bool { return true }
func (*StackedInline) tabular() bool { return false }

// Tabular declares a tabular inline of model.
func Tabular(model any) *TabularInline {
	return &TabularInline{InlineModelAdmin{Model: model}}
}

// Stacked declares a stacked inline of model.
func Stacked(model any) *StackedInline {
	return &StackedInline{InlineModelAdmin{Model: model}}
}

// Action is a bulk action of the change list, Django's admin action: a
// function run on the selected objects.
type Action struct {
	// Name is the value posted in the "action" field; it must be unique
	// in the admin.
	Name string
	// Description labels the action in the menu; "%(verbose_name_plural)s"
	// is replaced by the model's plural name.
	Description string
	// Permissions are the permissions (of "view", "add", "change",
	// "delete") the user must all hold for the action to be offered,
	// checked through the admin's Has*Permission methods.
	Permissions []string
	// Func runs the action. It may write a response (a confirmation page,
	// a download); if it writes nothing the change list is shown again.
	Func ActionFunc
}

// ActionFunc runs an action on the selected objects qs, for the admin ma.
type ActionFunc func(w http.ResponseWriter, r *http.Request, ma Admin, qs orm.QuerySet) error

// ListFilter is an entry of ListFilter that the change list turns into a
// filter for each request, consuming the query-string parameters it
// expects.
type ListFilter interface {
	// Spec makes the filter for one request; params holds the change
	// list's remaining lookup parameters, and the filter deletes the ones
	// it uses.
	Spec(r *http.Request, params url.Values, m *orm.Model, ma Admin) (FilterSpec, error)
}

// FilterSpec is a list filter made for one request, Django's ListFilter
// instance.
type FilterSpec interface {
	// Title heads the filter ("By publisher").
	Title() string
	// HasOutput reports whether the filter is shown at all.
	HasOutput() bool
	// Choices lists the filter's links, given a function that builds a
	// change list query string with some parameters set and removed.
	Choices(link func(set url.Values, remove []string) string) []FilterChoice
	// Queryset narrows qs by the filter's parameters.
	Queryset(r *http.Request, qs orm.QuerySet) (orm.QuerySet, error)
	// ExpectedParameters lists the query-string keys the filter uses.
	ExpectedParameters() []string
}

// FilterChoice is one link of a filter.
type FilterChoice struct {
	Display     string
	QueryString string
	Selected    bool
}

// SimpleListFilter is a filter written in Go, Django's SimpleListFilter:
// Lookups offers (value, label) pairs and Queryset narrows the objects by
// the chosen value.
type SimpleListFilter struct {
	Title         string
	ParameterName string
	Lookups       func(r *http.Request, ma Admin) [][2]string
	Queryset      func(r *http.Request, qs orm.QuerySet, value string) (orm.QuerySet, error)
	// Template names a template in the site's Templates that renders the
	// filter's box instead of the default (Django's template attribute);
	// see FieldFilter.Template.
	Template string
}

// FieldFilter chooses the filter kind of a field path, Django's
// ("field", FilterClass) list_filter entry; a plain string entry of
// ListFilter is a FieldFilter of kind FilterAuto.
type FieldFilter struct {
	Path string
	Kind FieldFilterKind
	// Template names a template in the site's Templates that renders the
	// filter's box instead of the default (Django's template attribute).
	// It is parsed at Register and executed with .Title, .Choices (each
	// with .Display, .QueryString and .Selected), .More (set when only
	// the first choices are listed: .Limit, .URL, .Param) and .Spec.
	Template string
}

// FieldFilterKind names Django's field list filters.
type FieldFilterKind int

// The field filter kinds, Django's FieldListFilter classes. FilterAuto
// chooses by the field, as Django does: a relation (foreign key,
// many-to-many or reverse) → FilterRelated, a boolean → FilterBoolean, a
// field with choices → FilterChoices, a date or date-time → FilterDate,
// anything else → FilterAllValues. FilterRelatedOnly (the related objects
// the admin's rows refer to) and FilterEmpty (empty or not) are chosen
// explicitly.
const (
	FilterAuto FieldFilterKind = iota
	FilterRelatedOnly
	FilterEmpty
	FilterAllValues
	FilterBoolean
	FilterChoices
	FilterDate
	FilterRelated
)

// RadioLayout lays out a radio_fields entry.
type RadioLayout int

// Django's admin.HORIZONTAL and admin.VERTICAL.
const (
	Vertical RadioLayout = iota + 1
	Horizontal
)

// ShowFacets is Django's show_facets: whether filter choices show counts.
type ShowFacets int

// The ShowFacets values; the zero value is Django's default, ALLOW.
const (
	FacetsAllow ShowFacets = iota
	FacetsAlways
	FacetsNever
)

// Formfield is the form field the admin makes for a model field, handed
// to the FormfieldFor* methods to adjust: the field (widget, label, help,
// required) and, for a relation, the objects it offers.
type Formfield struct {
	*form.Field
	// Choices is the query set offering a relation's objects; the zero
	// QuerySet means all objects of the related model. The field's
	// limit_choices_to applies either way.
	Choices orm.QuerySet
}

// Paginator splits a change list's query set into pages, Django's
// Paginator.
type Paginator interface {
	// Count returns the number of objects.
	Count() (int64, error)
	// NumPages returns the number of pages (at least 1).
	NumPages() (int, error)
	// Page returns the query set of the 1-based page number.
	Page(number int) (orm.QuerySet, error)
	// PerPage returns the page size.
	PerPage() int
}

// View is a page of the site's own or of a model admin's, Django's
// get_urls entry: Path is relative to the site's root (Site.AddView) or
// to the model's URL (ModelAdmin.GetURLs), ends with a slash, and may
// start with "{id}/" for a page of one object, whose id the handler reads
// with r.PathValue("object_id") (already unquoted).
type View struct {
	Path string
	// Name is the URL's name for Site.Reverse ("reports",
	// "auth_user_password_change").
	Name string
	// Handler serves the page; its error is answered as the admin's
	// errors are (ErrNotFound, ErrPermissionDenied, BadRequest).
	Handler func(w http.ResponseWriter, r *http.Request) error
	// Public serves the page to everybody; otherwise only users the site
	// lets in (HasPermission) reach it, the others being sent to log in.
	Public bool
	// Cacheable leaves the response cacheable (Django's
	// admin_view(cacheable=True)); admin pages are no-store by default.
	Cacheable bool
	// Template names a template of the site's Templates that the handler
	// renders with Site.Render; naming it here parses it when the view is
	// added (or its admin registered), so a missing or broken template
	// fails at start-up.
	Template string
}

// DeletedObjects describes what a deletion removes, Django's
// get_deleted_objects: the nested list of objects, the count per model,
// the models the user may not delete, and the protected objects that
// block it.
type DeletedObjects struct {
	Objects     []*DeletedItem
	Counts      []orm.ModelCount
	PermsNeeded []string
	Protected   []*DeletedItem
	// Deletion is the collected deletion, ready to execute.
	Deletion *orm.Deletion
}

// DeletedItem is one line of the nested list of what a delete removes:
// "Book: <a href=...>Title</a>".
type DeletedItem struct {
	Label, Text, URL string
	Children         []*DeletedItem
}
