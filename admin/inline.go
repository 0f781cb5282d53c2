package admin

import (
	"fmt"
	"html/template"
	"mime/multipart"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/internal/signing"
	"github.com/staffroom/staffroom/orm"
)

// bindInlines ties each inline of the admin to it, as Django instantiates
// an inline with its parent model and site: its model, its foreign key to
// the parent (or generic key), and its own value for the methods an
// override replaces. The checks have passed, so the model and the key
// exist.
func (a *ModelAdmin) bindInlines() error {
	for i, in := range a.Inlines {
		ia := in.inline()
		child, err := a.site.db.Registry().ModelOf(ia.Model)
		if err != nil {
			return fmt.Errorf("Inlines[%d]: %w", i, err)
		}
		if ia.parent != nil && ia.parent != a {
			return fmt.Errorf("Inlines[%d]: this %T value is already an inline of %s; give each admin its own", i, in, ia.parent.model.Label())
		}
		ia.self, ia.parent, ia.model = in, a, child
		if err := ia.bindRelation(a.model.ConcreteModel(), child); err != nil {
			return fmt.Errorf("Inlines[%d]: %w", i, err)
		}
	}
	return nil
}

// inlineSet is one inline of a change form for one request: the inline,
// its formset and what the user may do in it.
type inlineSet struct {
	inline Inline
	fs     *form.ModelFormSet
	perms  inlinePerms
	page   inlinePage
}

// inlineSets makes the formsets of the inlines the user may see, Django's
// _create_formsets, each with its prefix on the page ("-2" for a second
// inline of the same relation).
func (v *modelView) inlineSets(r *http.Request, obj any, inlines []Inline) ([]*inlineSet, error) {
	prefixes := form.Prefixes{}
	var out []*inlineSet
	for _, in := range inlines {
		ia := in.inline()
		if ia.parent != v.base {
			return nil, fmt.Errorf("admin: %s: the inline %T is not one of the admin's Inlines", v.model.Label(), in)
		}
		prefix := prefixes.Next(ia.defaultPrefix())
		fs, err := in.GetFormset(r, obj, prefix)
		if err != nil {
			return nil, err
		}
		fs.SetPrefix(prefix)
		set := &inlineSet{inline: in, fs: fs, perms: ia.perms(r, obj)}
		if obj != nil {
			if _, set.page, err = ia.page(r, obj, prefix); err != nil {
				return nil, err
			}
		}
		out = append(out, set)
	}
	return out, nil
}

// formsets returns the formsets of sets.
func formsets(sets []*inlineSet) []*form.ModelFormSet {
	out := make([]*form.ModelFormSet, len(sets))
	for i, s := range sets {
		out[i] = s.fs
	}
	return out
}

// inlinePageQuery is the query keeping the inlines on the pages shown, for
// the form's action: "<prefix>-page=N" for each inline past its first.
func inlinePageQuery(sets []*inlineSet) url.Values {
	q := url.Values{}
	for _, s := range sets {
		if s.page.Number > 1 {
			q.Set(s.fs.Prefix()+"-page", strconv.Itoa(s.page.Number))
		}
	}
	return q
}

// InlineAdminFormSet is an inline as the change form shows it, Django's
// helpers.InlineAdminFormSet: its heading, management form, the layout of
// each form and of the empty form JavaScript copies to add one.
type InlineAdminFormSet struct {
	Prefix                         string
	Tabular                        bool
	VerboseName, VerboseNamePlural string
	Classes                        string
	Collapsible, Open              bool
	Management                     template.HTML
	NonFormErrors                  []string
	// Headers are a tabular inline's column heads.
	Headers []*FormField
	Forms   []*InlineAdminForm
	// Empty is the form "Add another" copies; nil when the user may not
	// add.
	Empty     *InlineAdminForm
	CanDelete bool
	AddText   string
	// Pages links the pages of a paginated inline; nil for one page.
	Pages []InlinePageLink
	Total int
	// Custom is the inline as its own Template renders it (Django's
	// InlineModelAdmin.template), shown in place of the stock layout;
	// empty without one.
	Custom template.HTML
}

// InlinePageLink is a link to a page of a paginated inline.
type InlinePageLink struct {
	Number  int
	URL     string
	Current bool
}

// InlineAdminForm is one form of an inline, Django's
// helpers.InlineAdminForm: its fields laid out, its hidden inputs, its
// delete box, and for a saved object its name and change link.
type InlineAdminForm struct {
	ID        string // the row's id: "<prefix>-<i>", "<prefix>-empty"
	Number    int    // from 1
	Fieldsets []*FormFieldset
	// Fields are the visible fields in order, a tabular inline's cells.
	Fields    []*FormField
	Hidden    []*form.BoundField
	Delete    *form.BoundField
	Original  string
	ChangeURL string
	// ChangeText labels the change link: "Change", or "View" for a user
	// who may only view the object.
	ChangeText string
	Errors     []string
	IsEmpty    bool
	// Set is the inline the form belongs to; Colspan is the number of a
	// tabular inline\'s columns.
	Set     *InlineAdminFormSet
	Colspan int
}

// ErrorCount returns the errors the error note counts for an inline:
// its own, and each form's fields with errors, Django's
// inline_admin_formset error count.
func (s *inlineSet) ErrorCount() int {
	n := len(s.fs.NonFormErrors())
	for _, errs := range s.fs.Errors() {
		n += len(errs)
	}
	return n
}

// newInlineAdminFormSet lays out an inline for the page.
func (v *modelView) newInlineAdminFormSet(r *http.Request, obj any, s *inlineSet) (*InlineAdminFormSet, error) {
	ia := s.inline.inline()
	t, ok := s.inline.(interface{ tabular() bool })
	tabular := ok && t.tabular()
	name, plural := ia.VerboseName, ia.VerboseNamePlural
	if name == "" {
		name = ia.model.VerboseName
	}
	if plural == "" {
		plural = ia.model.VerboseNamePlural
		if ia.VerboseName != "" {
			plural = ia.VerboseName + "s"
		}
	}
	fs := s.fs
	out := &InlineAdminFormSet{Prefix: fs.Prefix(), Tabular: tabular, VerboseName: orm.Capfirst(name), VerboseNamePlural: orm.Capfirst(plural),
		Classes: strings.Join(ia.Classes, " "), Collapsible: slices.Contains(ia.Classes, "collapse"),
		Management: fs.ManagementForm(), NonFormErrors: fs.NonFormErrors(), CanDelete: (ia.CanDelete == nil || *ia.CanDelete) && s.perms.delete,
		AddText: "Add another " + orm.Capfirst(name), Total: s.page.Total}
	fieldsets := ia.Fieldsets
	if fieldsets == nil {
		fieldsets = []Fieldset{{Lines: Lines(ia.shownNames(fs)...)}}
	}
	initial := fs.InitialFormCount()
	for i, mf := range fs.Forms() {
		f, err := v.newInlineAdminForm(r, s, mf, fieldsets, i < initial)
		if err != nil {
			return nil, err
		}
		f.ID, f.Number, f.Set = fmt.Sprintf("%s-%d", fs.Prefix(), i), i+1, out
		out.Forms = append(out.Forms, f)
		out.Open = out.Open || len(f.Errors) > 0 || hasFieldErrors(f)
	}
	empty, err := fs.EmptyForm()
	if err != nil {
		return nil, err
	}
	e, err := v.newInlineAdminForm(r, s, empty, fieldsets, false)
	if err != nil {
		return nil, err
	}
	e.ID, e.IsEmpty, e.Number, e.Set = fs.Prefix()+"-empty", true, len(out.Forms)+1, out
	out.Headers = e.Fields
	if s.perms.add {
		out.Empty = e
	}
	for _, f := range append(out.Forms, e) {
		f.Colspan = len(out.Headers) + 1
		if out.CanDelete {
			f.Colspan++
		}
	}
	out.Pages = inlinePageLinks(r, fs.Prefix(), s.page)
	return out, fs.Err()
}

// shownNames are the names an inline without Fieldsets shows: its form's
// visible fields, then the read-only names that are not model fields.
func (a *InlineModelAdmin) shownNames(fs *form.ModelFormSet) []string {
	var names []string
	empty, err := fs.EmptyForm()
	if err != nil {
		return nil
	}
	for _, bf := range empty.Fields() {
		if bf.Field.Model != nil && !bf.IsHidden() {
			names = append(names, bf.Name)
		}
	}
	for _, n := range a.ReadonlyFields {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// newInlineAdminForm lays out one form of an inline.
func (v *modelView) newInlineAdminForm(r *http.Request, s *inlineSet, mf *form.ModelForm, fieldsets []Fieldset, saved bool) (*InlineAdminForm, error) {
	ia := s.inline.inline()
	fields := formFields{f: mf, owner: ia.self, model: ia.model, readonly: ia.ReadonlyFields, empty: ia.parent.emptyValue()}
	sets, placed, err := layoutFieldsets(fieldsets, fields.field)
	if err != nil {
		return nil, err
	}
	out := &InlineAdminForm{Errors: mf.NonFieldErrors(), Fieldsets: sets}
	for _, fs := range sets {
		for _, l := range fs.Lines {
			out.Fields = append(out.Fields, l.Fields...)
		}
	}
	for _, bf := range mf.Fields() {
		switch {
		case bf.Name == form.DeleteField && bf.Field.Model == nil:
			out.Delete = bf
		case !placed[bf.Name] && bf.IsHidden():
			out.Hidden = append(out.Hidden, bf)
		}
	}
	if saved {
		obj := mf.Instance()
		out.Original = ia.model.String(obj)
		if ia.ShowChangeLink {
			if other := v.site.registered(ia.model); other != nil && hasViewOrChange(other, r, obj) {
				out.ChangeURL, out.ChangeText = v.site.objectURL(ia.model, v.site.objectID(ia.model, obj), "change/"), "View"
				if other.HasChangePermission(r, obj) {
					out.ChangeText = "Change"
				}
			}
		}
	}
	return out, mf.Err()
}

// hasFieldErrors reports whether a form has a field with errors.
func hasFieldErrors(f *InlineAdminForm) bool {
	for _, ff := range f.Fields {
		if len(ff.Errors) > 0 {
			return true
		}
	}
	return false
}

// inlinePageLinks links the pages of a paginated inline, keeping the rest
// of the query; nil for one page.
func inlinePageLinks(r *http.Request, prefix string, p inlinePage) []InlinePageLink {
	if p.Count <= 1 {
		return nil
	}
	links := make([]InlinePageLink, p.Count)
	for i := range links {
		q := r.URL.Query()
		q.Set(prefix+"-page", strconv.Itoa(i+1))
		links[i] = InlinePageLink{Number: i + 1, URL: "?" + q.Encode(), Current: i+1 == p.Number}
	}
	return links
}

// inlineChangeMessage adds the entries of Django's change message for the
// inline formsets: per formset, the added objects, the changed ones with
// their fields' labels, then the deleted ones.
func inlineChangeMessage(items []changeItem, formsets []*form.ModelFormSet) []changeItem {
	for _, fs := range formsets {
		saved := fs.Saved()
		if saved == nil {
			continue
		}
		m := fs.Model()
		for _, obj := range saved.New {
			items = append(items, changeItem{Added: &changeDetail{Name: m.VerboseName, Object: m.String(obj)}})
		}
		for _, c := range saved.Changed {
			items = append(items, changeItem{Changed: &changeDetail{Name: m.VerboseName, Object: m.String(c.Object), Fields: c.Labels}})
		}
		for _, obj := range saved.Deleted {
			items = append(items, changeItem{Deleted: &changeDetail{Name: m.VerboseName, Object: m.String(obj)}})
		}
	}
	return items
}

// validateAll binds the inline formsets to the submission and validates
// them with the bound form f, all of them, Django's all_valid: nothing is
// saved unless every one is valid. On an add page the formsets' parent is
// the object f creates.
func validateAll(r *http.Request, f *form.ModelForm, sets []*inlineSet, add bool) bool {
	valid := f.IsValid()
	for _, s := range sets {
		if add {
			in := s.inline.inline()
			s.fs.SetParent(concreteObject(in.parent.model, f.Instance()))
		}
		s.fs.BindFiles(r.PostForm, multipartFiles(r))
		valid = s.fs.IsValid() && valid
	}
	return valid
}

// multipartFiles returns the request's uploads, nil for none.
func multipartFiles(r *http.Request) map[string][]*multipart.FileHeader {
	if r.MultipartForm == nil {
		return nil
	}
	return r.MultipartForm.File
}

// inlinePage adds the inlines to the change form's page: their layout, a
// multipart form when one has a file field, and the inline pages shown in
// the form's action, so a submission edits the objects it showed.
func (v *modelView) inlinePage(r *http.Request, p *changeFormPage, obj any, sets []*inlineSet) error {
	for _, s := range sets {
		ifs, err := v.newInlineAdminFormSet(r, obj, s)
		if err != nil {
			return err
		}
		if ifs.Custom, err = v.site.renderInline(s.inline.inline().Template, ifs); err != nil {
			return err
		}
		p.Inlines = append(p.Inlines, ifs)
		if empty, err := s.fs.EmptyForm(); err == nil && empty.IsMultipart() {
			p.Multipart = true
		}
	}
	if q := inlinePageQuery(sets); len(q) > 0 {
		sep := "?"
		if p.Action != "" {
			sep = "&"
		}
		p.Action += sep + q.Encode()
	}
	return nil
}

// renderInline renders an inline with its own template name, given the
// InlineAdminFormSet as data; "" when the inline has none.
func (s *Site) renderInline(name string, ifs *InlineAdminFormSet) (template.HTML, error) {
	if name == "" {
		return "", nil
	}
	set, err := s.tmpl.inline(name)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	if err := set.ExecuteTemplate(&b, path.Clean(name), ifs); err != nil {
		return "", fmt.Errorf("admin: inline template %s: %w", name, err)
	}
	return template.HTML(b.String()), nil
}

// encodeChangeMessage writes change message entries as Django's JSON.
func encodeChangeMessage(items []changeItem) string {
	if len(items) == 0 {
		return "[]"
	}
	b, err := signing.PythonJSONSpaced(items)
	if err != nil {
		panic(fmt.Sprintf("admin: encode change message: %v", err)) // a fixed struct of strings always encodes
	}
	return string(b)
}
