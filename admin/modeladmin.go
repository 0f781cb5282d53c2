package admin

import (
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// ModelAdmin configures how one model appears in the admin, Django's
// ModelAdmin. Its options are fields; Django's overridable methods are
// methods: declare a type that embeds ModelAdmin, define the method, and
// call the embedded one for super(). The site always calls through the
// registered value, so an override takes effect everywhere.
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
	// ListPerPage is the page size of the change list (default 100).
	ListPerPage int
	// ListMaxShowAll is how many rows "Show all" may show (default 200).
	ListMaxShowAll int
	// ListSelectRelated names foreign keys to load with the change list's
	// query. Foreign keys shown in ListDisplay are always loaded this way.
	ListSelectRelated []string
	// Ordering is the default ordering of the change list; default: the
	// model's Meta ordering.
	Ordering []string
	// Fields lists the fields of the add and change forms, in order.
	// Default: every editable field.
	Fields []string
	// Exclude removes fields from the forms.
	Exclude []string
	// ReadonlyFields are shown on the change form but not editable.
	ReadonlyFields []string

	// The options below are part of Django's ModelAdmin and are built in
	// later steps; Register refuses a ModelAdmin that sets one, rather
	// than silently ignoring it.

	ListFilter          []any
	DateHierarchy       string
	ListEditable        []string
	Inlines             []any
	Actions             []any
	Fieldsets           []any
	RawIDFields         []string
	AutocompleteFields  []string
	FilterHorizontal    []string
	FilterVertical      []string
	PrepopulatedFields  map[string][]string
	SaveAs              bool
	ShowFullResultCount *bool

	self  Admin
	site  *Site
	model *orm.Model
	cols  []*column
}

// Admin is what the site calls on a registered model admin. *ModelAdmin
// implements it; a type embedding ModelAdmin overrides any method by
// defining it.
type Admin interface {
	base() *ModelAdmin
	// GetQueryset returns the objects the admin may show and edit.
	GetQueryset(r *http.Request) orm.QuerySet
	// GetSearchResults narrows qs by the search term; the bool reports
	// whether the result may hold duplicates.
	GetSearchResults(r *http.Request, qs orm.QuerySet, term string) (orm.QuerySet, bool, error)
	// GetOrdering returns the change list's default ordering.
	GetOrdering(r *http.Request) []string
	// HasViewPermission, HasAddPermission, HasChangePermission and
	// HasDeletePermission decide what the user may do; obj is nil for the
	// model as a whole.
	HasViewPermission(r *http.Request, obj any) bool
	HasAddPermission(r *http.Request) bool
	HasChangePermission(r *http.Request, obj any) bool
	HasDeletePermission(r *http.Request, obj any) bool
	// HasModulePermission decides whether the model shows on the index.
	HasModulePermission(r *http.Request) bool
	// SaveModel saves obj; change is false for an addition.
	SaveModel(r *http.Request, obj any, change bool) error
	// DeleteModel deletes the collected objects.
	DeleteModel(r *http.Request, d *orm.Deletion) error
}

func (a *ModelAdmin) base() *ModelAdmin { return a }

// Model returns the model the admin is registered for.
func (a *ModelAdmin) Model() *orm.Model { return a.model }

// Site returns the site the admin is registered on.
func (a *ModelAdmin) Site() *Site { return a.site }

// GetQueryset implements Admin: every object of the model.
func (a *ModelAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	return a.site.db.Query(a.model)
}

// GetOrdering implements Admin: Ordering, else the model's.
func (a *ModelAdmin) GetOrdering(r *http.Request) []string {
	if len(a.Ordering) > 0 {
		return a.Ordering
	}
	return a.model.Meta.Ordering
}

// GetSearchResults implements Admin with Django's rules: the term is split
// into words (quoted phrases kept together); every word must match at
// least one search field.
func (a *ModelAdmin) GetSearchResults(r *http.Request, qs orm.QuerySet, term string) (orm.QuerySet, bool, error) {
	if len(a.SearchFields) == 0 || strings.TrimSpace(term) == "" {
		return qs, false, nil
	}
	var terms []orm.Expr
	for _, word := range smartSplit(term) {
		var any []orm.Expr
		for _, sf := range a.SearchFields {
			any = append(any, orm.Q{searchLookup(sf): word})
		}
		terms = append(terms, orm.Or(any...))
	}
	return qs.Filter(terms...), false, nil
}

// searchLookup turns a search_fields entry into a lookup path.
func searchLookup(sf string) string {
	switch {
	case strings.HasPrefix(sf, "^"):
		return sf[1:] + "__istartswith"
	case strings.HasPrefix(sf, "="):
		return sf[1:] + "__iexact"
	}
	return sf + "__icontains"
}

// smartSplit splits a search term on white space, keeping quoted phrases
// together and unquoting them.
func smartSplit(s string) []string {
	var out []string
	var cur strings.Builder
	var quote rune
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, unquotePhrase(cur.String()))
		}
		cur.Reset()
		inWord = false
	}
	runes := []rune(s)
	for i := 0; i < len(runes); i++ {
		c := runes[i]
		switch {
		case quote != 0:
			cur.WriteRune(c)
			if c == '\\' && i+1 < len(runes) {
				i++
				cur.WriteRune(runes[i])
			} else if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
			inWord = true
			cur.WriteRune(c)
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			flush()
		default:
			inWord = true
			cur.WriteRune(c)
		}
	}
	flush()
	return out
}

func unquotePhrase(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		q := string(s[0])
		return strings.ReplaceAll(strings.ReplaceAll(s[1:len(s)-1], `\`+q, q), `\\`, `\`)
	}
	return s
}

// perm reports whether the user holds the model's permission for action:
// model-wide, as Django's ModelAdmin asks, or, failing that and with an
// object, on that object, so that backends granting object permissions
// reach the admin.
func (a *ModelAdmin) perm(r *http.Request, action string, obj any) bool {
	ctx := r.Context()
	u := auth.UserFrom(ctx)
	name := auth.PermissionName(a.model, action)
	ok, err := a.site.auth.HasPerm(ctx, u, name, nil)
	if err == nil && !ok && obj != nil {
		ok, err = a.site.auth.HasPerm(ctx, u, name, obj)
	}
	if err != nil {
		a.site.log.ErrorContext(ctx, "admin: permission check", "perm", name, "err", err)
		return false
	}
	return ok
}

// HasViewPermission implements Admin: view or change permission.
func (a *ModelAdmin) HasViewPermission(r *http.Request, obj any) bool {
	return a.perm(r, "view", obj) || a.perm(r, "change", obj)
}

// HasAddPermission implements Admin.
func (a *ModelAdmin) HasAddPermission(r *http.Request) bool { return a.perm(r, "add", nil) }

// HasChangePermission implements Admin.
func (a *ModelAdmin) HasChangePermission(r *http.Request, obj any) bool {
	return a.perm(r, "change", obj)
}

// HasDeletePermission implements Admin.
func (a *ModelAdmin) HasDeletePermission(r *http.Request, obj any) bool {
	return a.perm(r, "delete", obj)
}

// HasModulePermission implements Admin: any permission in the app.
func (a *ModelAdmin) HasModulePermission(r *http.Request) bool {
	u := auth.UserFrom(r.Context())
	ok, err := a.site.auth.HasModulePerms(r.Context(), u, a.model.App.Label)
	return err == nil && ok
}

// SaveModel implements Admin: an insert or an update of obj.
func (a *ModelAdmin) SaveModel(r *http.Request, obj any, change bool) error {
	if change {
		return a.site.db.Update(r.Context(), obj)
	}
	return a.site.db.Insert(r.Context(), obj)
}

// DeleteModel implements Admin.
func (a *ModelAdmin) DeleteModel(r *http.Request, d *orm.Deletion) error {
	return a.site.db.Execute(r.Context(), d)
}

// validate checks the options against the model, as Django's system checks
// do, and refuses options that are not built yet.
func (a *ModelAdmin) validate() error {
	if err := a.refuseUnbuilt(); err != nil {
		return err
	}
	cols, err := a.buildColumns()
	if err != nil {
		return err
	}
	a.cols = cols
	for _, name := range a.ListDisplayLinks {
		if !a.hasColumn(name) {
			return fmt.Errorf("ListDisplayLinks: %q is not in ListDisplay", name)
		}
	}
	probe := a.site.db.Query(a.model)
	for _, sf := range a.SearchFields {
		if _, _, err := probe.Filter(orm.Q{searchLookup(sf): ""}).SQL(); err != nil || strings.HasPrefix(sf, "@") {
			return fmt.Errorf("SearchFields: %q is not a searchable field path: %v", sf, err)
		}
	}
	if _, _, err := probe.OrderBy(a.Ordering...).SQL(); err != nil {
		return fmt.Errorf("Ordering: %w", err)
	}
	if _, _, err := probe.SelectRelated(a.ListSelectRelated...).SQL(); err != nil {
		return fmt.Errorf("ListSelectRelated: %w", err)
	}
	for _, group := range [][]string{a.Fields, a.Exclude, a.ReadonlyFields} {
		for _, name := range group {
			if a.model.Field(name) == nil {
				return fmt.Errorf("%q is not a field of %s", name, a.model.Name)
			}
		}
	}
	if a.ListPerPage < 0 || a.ListMaxShowAll < 0 {
		return fmt.Errorf("ListPerPage and ListMaxShowAll must not be negative")
	}
	return nil
}

func (a *ModelAdmin) refuseUnbuilt() error {
	v := reflect.ValueOf(a).Elem()
	for _, name := range []string{"ListFilter", "DateHierarchy", "ListEditable", "Inlines", "Actions", "Fieldsets",
		"RawIDFields", "AutocompleteFields", "FilterHorizontal", "FilterVertical", "PrepopulatedFields", "SaveAs", "ShowFullResultCount"} {
		if !v.FieldByName(name).IsZero() {
			return fmt.Errorf("%s is not implemented yet", name)
		}
	}
	return nil
}

func (a *ModelAdmin) hasColumn(name string) bool {
	for _, c := range a.cols {
		if c.name == name {
			return true
		}
	}
	return false
}

// perPage and maxShowAll apply the defaults.
func (a *ModelAdmin) perPage() int {
	if a.ListPerPage > 0 {
		return a.ListPerPage
	}
	return 100
}

func (a *ModelAdmin) maxShowAll() int {
	if a.ListMaxShowAll > 0 {
		return a.ListMaxShowAll
	}
	return 200
}
