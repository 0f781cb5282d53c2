package admin

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"

	"github.com/staffroom/staffroom/internal/pagecheck"
)

// The change list page is written here in Go, byte for byte as
// change_list.html within base.html's "base" renders it, when the site
// overrides neither (templates.goChangeList): html/template's interpreter
// spends some 0.7 ms and 1,400 allocations on the page, escaping each
// action's value through reflection, and this writes it in a fraction.
// The templates stay the source of truth, for overrides to extend; with
// the test switch of internal/pagecheck on (the admin's and the examples'
// test runs), every page written here is rendered by the template too
// and the bytes compared. Each function below names the template part it
// writes; the text between actions is copied from the templates.

// errUseTemplate stops the Go writer when a part the page needs was not
// pre-rendered (a link html/template must judge, see plainHref): the
// template renders the page instead.
var errUseTemplate = errors.New("admin: the change list needs its template")

// renderChangeList renders the change list with set, the template set
// chosen for it, writing it in Go when set is the embedded one.
func (s *Site) renderChangeList(w http.ResponseWriter, r *http.Request, set *template.Template, p *changelistPage) {
	if set != s.tmpl.goChangeList {
		s.render(w, r, http.StatusOK, set, p)
		return
	}
	name := "embedded " + set.Name()
	s.renderWith(w, r, http.StatusOK, set, p, func(buf *bytes.Buffer) error {
		err := s.writeChangeList(buf, p)
		if errors.Is(err, errUseTemplate) {
			buf.Reset()
			return set.ExecuteTemplate(buf, name, p)
		}
		if pagecheck.Enabled() {
			return compareWithTemplate(buf, err, set, name, p)
		}
		return err
	})
}

// compareWithTemplate renders the page with its template as well, for
// the test switch, and fails when the bytes (or the failures) differ.
func compareWithTemplate(buf *bytes.Buffer, goErr error, set *template.Template, name string, p page) error {
	var want bytes.Buffer
	tmplErr := set.ExecuteTemplate(&want, name, p)
	if (goErr == nil) != (tmplErr == nil) {
		return pagecheck.Compare(name, []byte("error: "+errString(goErr)), []byte("error: "+errString(tmplErr)))
	}
	if goErr != nil {
		return goErr
	}
	return pagecheck.Compare(name, buf.Bytes(), want.Bytes())
}

func errString(err error) string {
	if err == nil {
		return "none"
	}
	return err.Error()
}

// writeChangeList writes the whole page: base.html's "base" with the
// blocks change_list.html defines.
func (s *Site) writeChangeList(b *bytes.Buffer, p *changelistPage) error {
	w := &pageWriter{b: b, site: s}
	w.head(&p.Context, func() { w.changeListHead(p) })
	w.raw(`<body class="app-`)
	w.text(p.AppLabel)
	w.raw(" model-")
	w.text(p.ModelName)
	w.raw(" change-list")
	if p.IsPopup {
		w.raw(" popup")
	}
	w.raw(`" data-admin-root="`)
	w.text(p.Root)
	w.raw(`" data-admin-utc-offset="`)
	w.int(int64(p.UTCOffset))
	w.raw("\">\n<a href=\"#content-start\" class=\"skip-to-content-link\">Skip to main content</a>\n<div id=\"container\">\n")
	w.header(&p.Context)
	w.raw("\n")
	w.breadcrumbs(p.Breadcrumbs)
	w.raw("\n<div class=\"main\" id=\"main\">\n")
	if p.NavSidebar {
		if err := w.navSidebar(p.AvailableApps); err != nil {
			return err
		}
	}
	w.raw("\n<main id=\"content-start\" class=\"content\" tabindex=\"-1\">\n")
	w.messages(&p.Context)
	w.raw("\n<div id=\"content\" class=\"colM\">\n\n")
	w.contentTitles(&p.Context)
	if err := w.changeListContent(p); err != nil {
		return err
	}
	w.raw("\n\n</div>\n</main>\n</div>\n<footer id=\"footer\"></footer>\n</div>\n</body>\n</html>\n\n\n\n\n\n")
	return w.err
}

// changeListHead is change_list.html's "extrahead".
func (w *pageWriter) changeListHead(p *changelistPage) {
	if p.checkbox() {
		w.script("admin/js/actions.js")
	}
	if len(p.Filters) > 0 {
		w.script("admin/js/filters.js")
		w.script("admin/js/filter_toggle.js")
	}
	if p.IsPopup {
		w.script("admin/js/related_lookup.js")
	}
	for _, css := range p.Media.CSS {
		w.raw(`<link rel="stylesheet" href="`)
		w.static(css)
		w.raw(`">`)
	}
	for _, js := range p.Media.JS {
		w.script(js)
	}
}

// changeListContent is change_list.html's "content".
func (w *pageWriter) changeListContent(p *changelistPage) error {
	w.raw("\n<div id=\"content-main\">\n  ")
	if p.AddURL != "" {
		w.raw("\n  <ul class=\"object-tools\"><li><a href=\"")
		w.url(p.AddURL)
		w.raw(`" class="addlink">Add `)
		w.text(p.VerboseName)
		w.raw("</a></li></ul>\n  ")
	}
	w.raw("\n  <div class=\"module")
	if len(p.Filters) > 0 {
		w.raw(" filtered")
	}
	w.raw("\" id=\"changelist\">\n    <div class=\"changelist-form-container\">\n      ")
	if p.Searchable {
		w.search(p)
	}
	if err := w.dateHierarchy(p.DateHierarchy); err != nil {
		return err
	}
	w.raw("\n\n      ")
	if p.ErrorNote != "" {
		w.raw(`<p class="errornote">`)
		w.text(p.ErrorNote)
		w.raw("</p>")
		w.raw(string(p.NonFormErrors))
	}
	if err := w.changeListForm(p); err != nil {
		return err
	}
	w.raw("\n    </div>\n    ")
	if err := w.filters(p); err != nil {
		return err
	}
	w.raw("\n  </div>\n</div>\n")
	return nil
}

// search is change_list.html's "search" block of a searchable list.
func (w *pageWriter) search(p *changelistPage) {
	w.raw("\n      <div id=\"toolbar\"><form id=\"changelist-search\" method=\"get\" role=\"search\">\n        <div>\n" +
		"          <label for=\"searchbar\"><span class=\"visually-hidden\">Search</span></label>\n" +
		"          <input type=\"text\" size=\"40\" name=\"q\" value=\"")
	w.text(p.Query)
	w.raw("\" id=\"searchbar\">\n          <input type=\"submit\" value=\"Search\">\n          ")
	if p.ShowResultCount {
		w.resultCount(p)
	}
	w.raw("\n          ")
	for _, h := range p.HiddenParams {
		w.raw(`<input type="hidden" name="`)
		w.text(h.Name)
		w.raw(`" value="`)
		w.text(h.Value)
		w.raw(`">`)
	}
	w.raw("\n        </div>\n        ")
	if p.SearchHelpText != "" {
		w.raw(`<div class="help" id="searchbar_helptext">`)
		w.text(p.SearchHelpText)
		w.raw("</div>")
	}
	w.raw("\n      </form></div>\n      ")
}

// resultCount is the search bar's "3 results (12 total)".
func (w *pageWriter) resultCount(p *changelistPage) {
	w.raw(`<span class="small quiet">`)
	if p.ResultCountText != "" {
		w.text(p.ResultCountText)
		w.raw(" results")
	} else {
		w.int(p.ResultCount)
		w.raw(" result")
		if p.ResultCount != 1 {
			w.raw("s")
		}
	}
	w.raw(` (<a href="?">`)
	switch {
	case !p.ShowFullResultCount:
		w.raw("Show all")
	case p.FullCountText != "":
		w.text(p.FullCountText)
		w.raw(" total")
	default:
		w.int(p.FullCount)
		w.raw(" total")
	}
	w.raw("</a>)</span>")
}

// dateHierarchy is change_list.html's "date_hierarchy" block.
func (w *pageWriter) dateHierarchy(nav *dateHierarchyNav) error {
	if nav == nil {
		return nil
	}
	choices := nav.ChoicesHTML()
	if choices == "" && len(nav.Choices) > 0 {
		return errUseTemplate
	}
	w.raw("\n      <nav class=\"xfull\" id=\"date-hierarchy\" aria-label=\"Dates\">\n        <ul class=\"toplinks\">\n          ")
	if b := nav.Back; b != nil {
		w.raw(`<li class="date-back"><a href="`)
		w.url(b.URL)
		w.raw(`">&lsaquo; `)
		w.text(b.Title)
		w.raw("</a></li>")
	}
	w.raw("\n          ")
	w.raw(string(choices))
	w.raw("\n        </ul><br class=\"clear\">\n      </nav>")
	return nil
}

// changeListForm is the changelist-form: the list_editable management
// form, "result_list" and "pagination".
func (w *pageWriter) changeListForm(p *changelistPage) error {
	w.raw("\n      <form id=\"changelist-form\" method=\"post\" novalidate>\n        <input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"")
	w.text(p.CSRFToken)
	w.raw("\">\n        ")
	if p.ManagementForm != "" {
		w.raw("<div>")
		w.raw(string(p.ManagementForm))
		w.raw("</div>")
	}
	w.raw("\n        ")
	if err := w.resultList(p); err != nil {
		return err
	}
	w.raw("\n        ")
	if err := w.pagination(p); err != nil {
		return err
	}
	w.raw("\n      </form>")
	return nil
}

// resultList is change_list.html's "result_list" block.
func (w *pageWriter) resultList(p *changelistPage) error {
	w.raw("\n        ")
	if p.TopActions != nil {
		w.actions(p.TopActions)
	}
	w.raw("\n        ")
	if len(p.Rows) > 0 {
		if p.HeadersHTML == "" && len(p.Headers) > 0 {
			return errUseTemplate
		}
		w.raw("\n        ")
		if p.HiddenFields != "" {
			w.raw(`<div class="hiddenfields">`)
			w.raw(string(p.HiddenFields))
			w.raw("</div>")
		}
		w.raw("\n        <div class=\"results\">\n        <table id=\"result_list\">\n          <thead><tr>\n          ")
		if p.checkbox() {
			w.raw(`<th scope="col" class="action-checkbox-column"><div class="text"><span><input type="checkbox" id="action-toggle" aria-label="Select all objects on this page for an action"></span></div><div class="clear"></div></th>`)
		}
		w.raw("\n          ")
		w.raw(string(p.HeadersHTML))
		w.raw("\n          </tr></thead>\n          <tbody>\n          ")
		p.writeRows(w.b)
		w.raw("\n          </tbody>\n        </table>\n        </div>\n        ")
	} else {
		w.raw("\n        <p class=\"paginator\">0 ")
		w.text(p.VerboseNamePlural)
		w.raw("</p>\n        ")
	}
	w.raw("\n        ")
	if p.BottomActions != nil {
		w.actions(p.BottomActions)
	}
	w.raw("\n        ")
	return nil
}

// actions is change_list.html's "actions", an action bar.
func (w *pageWriter) actions(a *actionBar) {
	w.raw("<div class=\"actions\">\n  <label>Action: <select name=\"action\" required>")
	for _, c := range a.Choices {
		w.raw(`<option value="`)
		w.text(c.Value)
		w.raw(`"`)
		if c.Value == "" {
			w.raw(" selected")
		}
		w.raw(">")
		w.text(c.Label)
		w.raw("</option>")
	}
	w.raw("</select></label>\n  <input type=\"hidden\" name=\"select_across\" value=\"0\" class=\"select-across\">\n" +
		"  <button type=\"submit\" class=\"button\" title=\"Run the selected action\" name=\"index\" value=\"")
	w.int(int64(a.Index))
	w.raw("\">Go</button>\n  ")
	if a.Counter {
		w.raw(`<span class="action-counter" data-actions-icnt="`)
		w.int(int64(a.Rows))
		w.raw(`">`)
		w.text(a.SelectionNote)
		w.raw("</span>\n  ")
		if a.SelectAcross {
			w.raw(`<span class="all hidden">`)
			w.text(a.SelectionNoteAll)
			w.raw("</span>\n  <span class=\"question hidden\"><a role=\"button\" href=\"#\" title=\"Click here to select the objects across all pages\">")
			w.text(a.SelectAllText)
			w.raw("</a></span>\n  <span class=\"clear hidden\"><a role=\"button\" href=\"#\">Clear selection</a></span>")
		}
	}
	w.raw("\n</div>")
}

// pagination is change_list.html's "pagination" block.
func (w *pageWriter) pagination(p *changelistPage) error {
	if len(p.Rows) == 0 {
		return nil
	}
	if p.PageLinksHTML == "" && len(p.PageLinks) > 0 {
		return errUseTemplate
	}
	w.raw("\n        <p class=\"paginator\">\n          ")
	w.raw(string(p.PageLinksHTML))
	w.raw("\n          ")
	if p.ResultCountText != "" {
		w.text(p.ResultCountText)
		w.raw(" ")
		w.text(p.VerboseNamePlural)
	} else {
		w.int(p.ResultCount)
		w.raw(" ")
		if p.ResultCount == 1 {
			w.text(p.VerboseName)
		} else {
			w.text(p.VerboseNamePlural)
		}
	}
	if p.ExactCountURL != "" {
		w.raw(` (<a href="`)
		w.url(p.ExactCountURL)
		w.raw(`" class="exact-count">count exactly</a>)`)
	}
	w.raw("\n          ")
	if p.NextURL != "" {
		w.raw(`&nbsp;&nbsp;<a href="`)
		w.url(p.NextURL)
		w.raw(`" class="next" rel="next">Next ›</a>`)
	}
	if p.ShowAllURL != "" {
		w.raw(`&nbsp;&nbsp;<a href="`)
		w.url(p.ShowAllURL)
		w.raw(`" class="showall">Show all</a>`)
	}
	w.raw("\n          ")
	if p.ShowSave {
		w.raw(`<input type="submit" name="_save" class="default" value="Save">`)
	}
	w.raw("\n        </p>\n        ")
	return nil
}

// filters is change_list.html's "filters" block.
func (w *pageWriter) filters(p *changelistPage) error {
	if len(p.Filters) == 0 {
		return nil
	}
	w.raw("\n    <nav id=\"changelist-filter\" aria-labelledby=\"changelist-filter-header\">\n      <h2 id=\"changelist-filter-header\">Filter</h2>\n      ")
	if p.FacetsOptional || p.ClearFiltersURL != "" {
		w.filterActions(&p.filterSidebar)
	}
	w.raw("\n      ")
	for _, f := range p.Filters {
		if err := w.filterBox(f); err != nil {
			return err
		}
	}
	w.raw("\n    </nav>\n    ")
	return nil
}

// filterActions are the sidebar's "Show counts" and "Clear all filters".
func (w *pageWriter) filterActions(side *filterSidebar) {
	w.raw("<div id=\"changelist-filter-extra-actions\">\n        ")
	if side.FacetsOptional {
		w.raw(`<h3><a href="`)
		w.url(side.FacetsURL)
		if side.AddFacets {
			w.raw(`" class="hidelink">Hide counts</a></h3>`)
		} else {
			w.raw(`" class="viewlink">Show counts</a></h3>`)
		}
	}
	w.raw("\n        ")
	if side.ClearFiltersURL != "" {
		w.raw(`<h3><a href="`)
		w.url(side.ClearFiltersURL)
		w.raw(`">&#10006; Clear all filters</a></h3>`)
	}
	w.raw("\n      </div>")
}

// filterBox is one filter of the sidebar: its own template's output, or
// the default markup.
func (w *pageWriter) filterBox(f filterBox) error {
	custom, err := f.Custom()
	if err != nil {
		return err
	}
	if custom != "" {
		w.raw(string(custom))
		return nil
	}
	choices := f.ChoicesHTML()
	if choices == "" && len(f.Choices) > 0 {
		return errUseTemplate
	}
	w.raw("\n      <details data-filter-title=\"")
	w.text(f.Title)
	w.raw("\" open>\n        <summary><h3>By ")
	w.text(f.Title)
	w.raw("</h3></summary>\n        <ul>")
	w.raw(string(choices))
	w.raw("</ul>\n        ")
	if m := f.More; m != nil {
		w.raw(`<div class="filter-more" data-filter-param="`)
		w.text(m.Param)
		w.raw(`" data-filter-limit="`)
		w.int(int64(m.Limit))
		w.raw("\">\n          <input type=\"search\" class=\"filter-autocomplete\" aria-label=\"Search the choices\" hidden>\n          ")
		if m.URL != "" {
			w.raw(`<a href="`)
			w.url(m.URL)
			w.raw(`" class="filter-more-link">More…</a>`)
		} else {
			w.raw(`<span class="filter-more-note">First `)
			w.int(int64(m.Limit))
			w.raw(" shown</span>")
		}
		w.raw("\n        </div>")
	}
	w.raw("\n      </details>\n      ")
	return nil
}
