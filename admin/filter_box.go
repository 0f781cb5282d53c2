package admin

import (
	"bytes"
	"html/template"
	"net/url"
	"strings"
)

// filterBox is one list filter of the sidebar, Django's admin/filter.html
// context: the title, the choices, and More when only the first choices
// are listed.
type filterBox struct {
	Title   string
	Choices []FilterChoice
	More    *filterMore
	Spec    FilterSpec

	tmpl     *templates
	template string // the filter's own template, "" for the default markup
}

// Custom renders the box with the filter's own template (Django's
// ListFilter.template); it is empty when the filter has none, and the
// page shows the default markup.
func (b filterBox) Custom() (template.HTML, error) {
	if b.template == "" {
		return "", nil
	}
	set, err := b.tmpl.filter(b.template)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := set.Execute(&buf, b); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// ChoicesHTML is the box's list items, rendered here rather than by the
// template: a filter of a hundred related objects is three hundred
// template actions, each escaped through reflection. It is empty (and
// the template ranges over Choices) when a choice's link is not a plain
// query string, which the template's URL filter must judge.
func (b filterBox) ChoicesHTML() template.HTML {
	var sb strings.Builder
	for _, c := range b.Choices {
		sb.WriteString("<li")
		if c.Selected {
			sb.WriteString(` class="selected"`)
		}
		sb.WriteString(">")
		if !writeLink(&sb, c.QueryString, c.Display) {
			return ""
		}
		sb.WriteString("</li>")
	}
	return template.HTML(sb.String())
}

// filterSidebar is what the change list's sidebar shows besides the
// boxes: the "Show counts"/"Hide counts" link when the admin lets the
// user choose (ShowFacets is FacetsAllow) and "Clear all filters" when a
// filter is in use.
type filterSidebar struct {
	FacetsOptional, AddFacets bool
	FacetsURL                 string
	ClearFiltersURL           string
}

// filterBoxes lays the change list's filters out for the sidebar.
func (v *modelView) filterBoxes(cl *ChangeList) ([]filterBox, filterSidebar) {
	q := cl.q
	var boxes []filterBox
	var prefixes []string
	for _, spec := range cl.FilterSpecs {
		b := filterBox{Title: spec.Title(), Choices: spec.Choices(q.filterLink), Spec: spec, tmpl: v.site.tmpl}
		if t, ok := spec.(truncatedSpec); ok {
			b.More = t.moreChoices()
		}
		if t, ok := spec.(templatedSpec); ok {
			b.template = t.filterTemplate()
		}
		boxes = append(boxes, b)
		prefixes = append(prefixes, spec.ExpectedParameters()...)
	}
	side := filterSidebar{FacetsOptional: cl.a.ShowFacets == FacetsAllow, AddFacets: cl.AddFacets}
	if side.FacetsOptional {
		if cl.AddFacets {
			side.FacetsURL = q.filterLink(nil, []string{paramFacets})
		} else {
			side.FacetsURL = q.filterLink(url.Values{paramFacets: {"True"}}, nil)
		}
	}
	if cl.HasActiveFilters {
		side.ClearFiltersURL = q.filterLink(nil, prefixes)
	}
	return boxes, side
}
