package admin

import (
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// ModelAdmin configures how one model appears in the admin, Django's
// ModelAdmin. Its options are fields; Django's overridable methods are
// methods: declare a type that embeds ModelAdmin, define the method, and
// call the embedded one for super(). The site always calls through the
// registered value, and every default method reaches its siblings through
// it too, so an override takes effect everywhere Django's would.
type ModelAdmin struct {
	// ListDisplay lists the change list's columns: model field names,
	// names of model methods (snake_case of the Go method name, e.g.
	// "was_published_recently" for WasPublishedRecently), or *Col values
	// made by Column. Default: the object's string.
	ListDisplay []any
	// ListDisplayLinks names the columns that link to the change page.
	// Default: the first column.
	ListDisplayLinks []string
	// SearchFields are the field paths the search box matches: "name"
	// (icontains), "^name" (istartswith), "=name" (iexact); paths may
	// cross foreign keys ("publisher__name").
	SearchFields []string
	// SearchHelpText is shown under the search box.
	SearchHelpText string
	// ListPerPage is the page size of the change list (default 100).
	ListPerPage int
	// ListMaxShowAll is how many rows "Show all" may show (default 200).
	ListMaxShowAll int
	// ListSelectRelated names foreign keys to load with the change list's
	// query. Foreign keys shown in ListDisplay are always loaded this way.
	// A multi-table child of the model ("book" on Item), which Django
	// joins as a reverse one-to-one, is refused (admin.E117): the parent's
	// struct has no place for it; GetQueryset can annotate
	// orm.Count("book") to tell the rows' kinds in the page's query, and a
	// column can read the child with orm.DB.RelatedObjects or a query.
	ListSelectRelated []string
	// Ordering is the default ordering of the change list; default: the
	// model's Meta ordering.
	Ordering []string
	// SortableBy names the ListDisplay columns the change list may sort
	// by; nil means every sortable column, an empty non-nil slice none.
	SortableBy []string
	// EmptyValueDisplay is shown for empty values in this admin's pages
	// (default: the site's, "-").
	EmptyValueDisplay string
	// Fields lists the fields of the add and change forms, in order.
	// Default: every editable field.
	Fields []string
	// Exclude removes fields from the forms.
	Exclude []string
	// ReadonlyFields are shown on the change form but not editable: model
	// fields, or methods of the admin (taking the object) or of the model
	// (taking nothing), as in ListDisplay.
	ReadonlyFields []string
	// FormfieldOverrides gives the editable fields of a kind a widget of
	// their own, made anew for each field (Django's formfield_overrides):
	// {orm.KindText: func() form.Widget { return &form.Textarea{...} }}.
	FormfieldOverrides map[orm.Kind]func() form.Widget
	// PreserveFilters keeps the change list's filters when going to a form
	// and back; nil means true, as in Django.
	PreserveFilters *bool
	// SaveAsContinue, with SaveAs, opens the new object's change page
	// after "Save as new"; nil means true.
	SaveAsContinue *bool
	// SaveOnTop repeats the save buttons above the form.
	SaveOnTop bool
	// HideViewOnSite hides the "View on site" link of objects whose model
	// has an absolute URL; ViewOnSiteURL, when set, gives the link itself
	// (Django's view_on_site set to False or to a callable).
	HideViewOnSite bool
	ViewOnSiteURL  func(obj any) string

	// The *Template options name templates in the site's Templates that
	// replace the page of that kind for this model (Django's
	// change_form_template and its siblings). Each is parsed at Register.
	AddFormTemplate, ChangeFormTemplate, ChangeListTemplate string
	DeleteConfirmationTemplate, ObjectHistoryTemplate       string
	DeleteSelectedConfirmationTemplate                      string
	// PopupResponseTemplate replaces the page a related-object popup's
	// add, change or delete answers with (Django's
	// popup_response_template). It extends admin/popup_response.html, so
	// it may redefine its blocks; the page's script must stay for the
	// popup to hand its answer back and close.
	PopupResponseTemplate string

	// ListEditable names ListDisplay fields edited in the change list, by
	// users with change permission, outside popups.
	ListEditable []string
	// Actions are the bulk actions of the change list, after the site's
	// (Site.AddAction; delete selected by default).
	Actions []Action
	// DisableActions removes every action, the site's too, and the
	// checkbox column with them (Django's actions = None; a nil Actions
	// only means "no actions of the admin's own").
	DisableActions bool
	// ActionsOnTop and ActionsOnBottom place the action bar; nil
	// ActionsOnTop means true. ActionsSelectionCounter (nil: true) shows
	// "N of M selected".
	ActionsOnTop, ActionsSelectionCounter *bool
	ActionsOnBottom                       bool

	// AutocompleteFields are relations chosen with a search-as-you-type
	// select (autocomplete.js) that lists only the chosen objects and
	// asks the site's autocomplete/ endpoint for the others, through the
	// related model's admin, which must have SearchFields.
	AutocompleteFields []string
	// RawIDFields are relations edited as the related object's key typed
	// in a text input (comma-separated keys for a many-to-many), with a
	// link to look it up in the related change list.
	RawIDFields []string
	// FilterHorizontal and FilterVertical are many-to-many fields edited
	// in the two-box chooser (selectfilter.js), its boxes side by side or
	// stacked: "Available" and "Chosen", each with a filter. Past
	// SelectMaxChoices only the chosen objects are listed and the
	// "Available" box searches the autocomplete/ endpoint.
	FilterHorizontal []string
	FilterVertical   []string

	// ListFilter lists the change list's filters: field paths (string,
	// the kind chosen by the field), FieldFilter values choosing a filter
	// kind for a path, and ListFilter values such as *SimpleListFilter.
	ListFilter []any
	// ListFilterMaxChoices is how many choices a filter over a relation
	// or over a field's distinct values lists at most (default
	// DefaultListFilterMaxChoices, 100); past it the filter lists the
	// first ones and a link to the related change list, so that no page
	// lists ten thousand publishers.
	ListFilterMaxChoices int
	// SelectMaxChoices is how many related objects a relation's select
	// lists at most (default DefaultSelectMaxChoices, 100; negative: no
	// limit). Past it a relation not in AutocompleteFields, RawIDFields
	// or RadioFields is edited with the autocomplete widget when the
	// related admin has SearchFields, else with a raw id input, so that
	// no form lists ten thousand authors.
	SelectMaxChoices int
	// DeletedObjectsMax is how many objects of each kind the delete pages
	// list at most (default DefaultDeletedObjectsMax, 100); past it a
	// list ends with "and N more books". The summary's counts are exact.
	DeletedObjectsMax int
	// ExactCountLimit is the number of rows the change list counts
	// exactly at most (0: DefaultExactCountLimit, 100,000; negative:
	// always exact), a Staffroom addition. Past it, the list shows the
	// database's estimate ("About 1,250,000 books") or "More than
	// 100000 books", with a link counting them exactly ("_count=exact");
	// pages go on by next and previous.
	ExactCountLimit int
	// DateHierarchy is a date or date-time field path to drill down by,
	// year → month → day. The chosen period filters by a range on the
	// column; a date-time's periods are in the server's time zone
	// (time.Local).
	DateHierarchy string
	// Media adds stylesheets and scripts, static files of the site, to
	// the admin's change list and change form pages (see Media).
	Media Media

	// Inlines edit related objects on the change form.
	Inlines []Inline
	// Fieldsets lay the form out in titled boxes.
	Fieldsets           []Fieldset
	RadioFields         map[string]RadioLayout
	PrepopulatedFields  map[string][]string
	SaveAs              bool
	ShowFullResultCount *bool
	ShowFacets          ShowFacets

	self  Admin
	site  *Site
	model *orm.Model
	cols  map[string]*column // resolved ListDisplay entries by name
}

// Admin is what the site calls on a registered model admin: every
// documented method of Django's ModelAdmin, in Go form. *ModelAdmin
// implements it; a type embedding ModelAdmin overrides any method by
// defining it.
type Admin interface {
	base() *ModelAdmin

	// The change list.

	// GetQueryset returns the objects the admin may show and edit.
	GetQueryset(r *http.Request) orm.QuerySet
	// GetListDisplay returns the columns of the change list.
	GetListDisplay(r *http.Request) []any
	// GetListDisplayLinks returns the names of the columns of listDisplay
	// that link to the change page.
	GetListDisplayLinks(r *http.Request, listDisplay []any) []string
	// GetListFilter returns the change list's filters.
	GetListFilter(r *http.Request) []any
	// GetListSelectRelated returns the foreign keys the change list joins.
	GetListSelectRelated(r *http.Request) []string
	// GetSearchFields returns the fields the search box matches.
	GetSearchFields(r *http.Request) []string
	// GetSearchResults narrows qs by the search term; the bool reports
	// whether the result may hold duplicates.
	GetSearchResults(r *http.Request, qs orm.QuerySet, term string) (orm.QuerySet, bool, error)
	// GetSortableBy returns the names of the columns that may be sorted.
	GetSortableBy(r *http.Request) []string
	// GetOrdering returns the change list's default ordering.
	GetOrdering(r *http.Request) []string
	// GetPaginator returns the paginator of the change list.
	GetPaginator(r *http.Request, qs orm.QuerySet, perPage int) Paginator
	// LookupAllowed reports whether the change list may filter by lookup
	// (a query-string key such as "publisher__name__exact") with value.
	LookupAllowed(r *http.Request, lookup, value string) bool
	// GetActions returns the bulk actions offered to the user.
	GetActions(r *http.Request) []Action

	// The change form.

	// GetFields returns the form's fields for obj (nil when adding).
	GetFields(r *http.Request, obj any) []string
	// GetFieldsets returns the form's layout for obj.
	GetFieldsets(r *http.Request, obj any) []Fieldset
	// GetExclude returns fields left out of the form.
	GetExclude(r *http.Request, obj any) []string
	// GetReadonlyFields returns the fields shown but not edited.
	GetReadonlyFields(r *http.Request, obj any) []string
	// GetPrepopulatedFields returns fields filled from others as typed.
	GetPrepopulatedFields(r *http.Request, obj any) map[string][]string
	// GetAutocompleteFields returns relation fields chosen by search.
	GetAutocompleteFields(r *http.Request) []string
	// GetInlines returns the inlines of the form for obj.
	GetInlines(r *http.Request, obj any) []Inline
	// GetInlineInstances returns the inlines the user may see for obj.
	GetInlineInstances(r *http.Request, obj any) []Inline
	// GetForm builds the model form for obj (nil when adding); change
	// reports whether obj is being changed.
	GetForm(r *http.Request, obj any, change bool) (*form.ModelForm, error)
	// GetChangeformInitialData returns the add form's initial values.
	GetChangeformInitialData(r *http.Request) url.Values
	// GetObject loads the object with the given (unquoted) id through
	// GetQueryset; a missing or unparsable id is orm.ErrNotFound.
	GetObject(r *http.Request, objectID string) (any, error)
	// FormfieldForForeignKey, FormfieldForManyToMany and
	// FormfieldForChoiceField adjust the form field made for a model
	// field of that kind: its widget, label, or the objects it offers.
	FormfieldForForeignKey(r *http.Request, dbField *orm.Field, ff *Formfield)
	FormfieldForManyToMany(r *http.Request, dbField *orm.Field, ff *Formfield)
	FormfieldForChoiceField(r *http.Request, dbField *orm.Field, ff *Formfield)

	// Permissions; obj is nil for the model as a whole.

	HasViewPermission(r *http.Request, obj any) bool
	HasAddPermission(r *http.Request) bool
	HasChangePermission(r *http.Request, obj any) bool
	HasDeletePermission(r *http.Request, obj any) bool
	// HasModulePermission decides whether the model shows on the index.
	HasModulePermission(r *http.Request) bool

	// Saving and deleting.

	// SaveForm applies the valid form to obj, without saving.
	SaveForm(r *http.Request, f *form.ModelForm, obj any, change bool) error
	// SaveModel saves obj; change is false for an addition.
	SaveModel(r *http.Request, obj any, f *form.ModelForm, change bool) error
	// SaveRelated saves what depends on the saved object: the form's
	// many-to-many relations, then each inline formset (SaveFormset).
	SaveRelated(r *http.Request, f *form.ModelForm, formsets []*form.ModelFormSet, change bool) error
	// SaveFormset saves one inline formset.
	SaveFormset(r *http.Request, f *form.ModelForm, fs *form.ModelFormSet, change bool) error
	// DeleteModel deletes obj and what cascades from it.
	DeleteModel(r *http.Request, obj any) error
	// DeleteQueryset deletes the objects of qs (the delete action).
	DeleteQueryset(r *http.Request, qs orm.QuerySet) error
	// GetDeletedObjects describes what deleting objs would remove.
	GetDeletedObjects(r *http.Request, objs []any) (*DeletedObjects, error)

	// The log and messages.

	// ConstructChangeMessage returns the LogEntry change message of a
	// saved form and its formsets.
	ConstructChangeMessage(r *http.Request, f *form.ModelForm, formsets []*form.ModelFormSet, add bool) string
	LogAddition(r *http.Request, obj any, message string) error
	LogChange(r *http.Request, obj any, message string) error
	// LogDeletion records the deletion of obj, shown as objectRepr.
	LogDeletion(r *http.Request, obj any, objectRepr string) error
	// LogDeletions records the deletion of objs by the delete action,
	// in one INSERT (Django 5.1's log_deletions).
	LogDeletions(r *http.Request, objs []any) error
	// MessageUser shows the user a one-time message on the next page.
	MessageUser(r *http.Request, level flash.Level, message string)

	// Responses after a successful POST.

	ResponseAdd(w http.ResponseWriter, r *http.Request, obj any) error
	ResponseChange(w http.ResponseWriter, r *http.Request, obj any) error
	// ResponseDelete answers a deletion of the object shown as
	// objDisplay, whose id was objectID.
	ResponseDelete(w http.ResponseWriter, r *http.Request, objDisplay, objectID string) error

	// The views, which a type may wrap (calling the embedded one).

	ChangelistView(w http.ResponseWriter, r *http.Request) error
	AddView(w http.ResponseWriter, r *http.Request) error
	ChangeView(w http.ResponseWriter, r *http.Request, objectID string) error
	DeleteView(w http.ResponseWriter, r *http.Request, objectID string) error
	HistoryView(w http.ResponseWriter, r *http.Request, objectID string) error
	// GetURLs returns the admin's own pages, below the model's URL, tried
	// before the standard ones.
	GetURLs() []View
}

func (a *ModelAdmin) base() *ModelAdmin { return a }

// Model returns the model the admin is registered for.
func (a *ModelAdmin) Model() *orm.Model { return a.model }

// Site returns the site the admin is registered on.
func (a *ModelAdmin) Site() *Site { return a.site }

// Self returns the registered value: the type embedding this ModelAdmin,
// through which every default method calls its siblings.
func (a *ModelAdmin) Self() Admin { return a.self }
