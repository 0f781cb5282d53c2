package admin

import (
	"bytes"
	"strconv"
)

// The parts of base.html's "base" that the pages written in Go share
// (see changelist_page.go), each copied from the template with the text
// between its actions, and the writer that escapes values as
// html/template does in each context.

// pageWriter writes a page's HTML, escaping values as html/template
// escapes them in each context; the first error (a missing static file,
// a URL name that does not reverse) is kept and ends the page.
type pageWriter struct {
	b    *bytes.Buffer
	site *Site
	err  error
}

// raw writes markup: the templates' own text, or template.HTML.
func (w *pageWriter) raw(s string) { w.b.WriteString(s) }

// text writes s escaped for text or a quoted attribute value.
func (w *pageWriter) text(s string) { templateEscaper.WriteString(w.b, s) }

func (w *pageWriter) int(n int64) { w.b.WriteString(strconv.FormatInt(n, 10)) }

// url writes s escaped for a quoted attribute that it fills as a URL.
func (w *pageWriter) url(s string) { writeURLAttr(w.b, s) }

// static writes the URL of a static file: {{static name}}.
func (w *pageWriter) static(name string) {
	u, err := w.site.static.url(name)
	w.fail(err)
	w.url(u)
}

// reverse writes the URL of a URL name: {{url name}}.
func (w *pageWriter) reverse(name string) {
	u, err := w.site.Reverse(name)
	w.fail(err)
	w.url(u)
}

func (w *pageWriter) fail(err error) {
	if err != nil && w.err == nil {
		w.err = err
	}
}

// head writes base.html from the doctype to </head>, with extrahead the
// page's block.
func (w *pageWriter) head(c *Context, extrahead func()) {
	w.raw("<!DOCTYPE html>\n<html lang=\"en\" data-theme=\"auto\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
	if c.Subtitle != "" {
		w.text(c.Subtitle)
		w.raw(" | ")
	}
	w.text(c.Title)
	w.raw(" | ")
	w.text(c.SiteTitle)
	w.raw("</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1.0\">\n<meta name=\"robots\" content=\"NONE,NOARCHIVE\">\n")
	for _, css := range baseStylesheets {
		w.raw(`<link rel="stylesheet" href="`)
		w.static(css)
		w.raw("\">\n")
	}
	w.script("admin/js/theme.js")
	w.raw("\n")
	if c.HasPermission {
		w.script("admin/js/palette.js")
		w.raw("\n")
		w.script("admin/js/shortcuts.js")
	}
	if c.NavSidebar {
		w.raw("\n")
		w.script("admin/js/nav_sidebar.js")
	}
	w.raw("\n")
	extrahead()
	w.raw("\n</head>\n")
}

// baseStylesheets are the stylesheets base.html links, in its order.
var baseStylesheets = []string{"admin/css/base.css", "admin/css/forms.css", "admin/css/changelists.css", "admin/css/login.css",
	"admin/css/nav_sidebar.css", "admin/css/responsive.css", "admin/css/palette.css"}

// script writes <script src="{{static name}}" defer></script>.
func (w *pageWriter) script(name string) {
	w.raw(`<script src="`)
	w.static(name)
	w.raw(`" defer></script>`)
}

// header is base.html's "header" block, with "branding" and "usertools".
func (w *pageWriter) header(c *Context) {
	w.raw("\n<header id=\"header\">\n  <div id=\"branding\"><div id=\"site-name\"><a href=\"")
	w.url(c.Root)
	w.raw(`">`)
	w.text(c.SiteHeader)
	w.raw("</a></div></div>\n  ")
	if c.HasPermission {
		w.userTools(c)
	}
	w.raw("\n</header>\n")
}

// userTools is the "usertools" block of a user the site lets in.
func (w *pageWriter) userTools(c *Context) {
	w.raw("\n  <div id=\"user-tools\">\n    Welcome, <strong>")
	if u := c.User; u != nil {
		if u.FirstName != "" {
			w.text(u.FirstName)
		} else {
			w.text(u.Username)
		}
	}
	w.raw("</strong>.\n    ")
	if c.SiteURL != "" {
		w.raw(`<a href="`)
		w.url(c.SiteURL)
		w.raw(`">View site</a> /`)
	}
	w.raw("\n    ")
	if c.User.HasUsablePassword() {
		w.raw(`<a href="`)
		w.reverse("admin:password_change")
		w.raw(`">Change password</a> /`)
	}
	w.raw("\n    <form id=\"logout-form\" method=\"post\" action=\"")
	w.reverse("admin:logout")
	w.raw("\">\n      <input type=\"hidden\" name=\"csrfmiddlewaretoken\" value=\"")
	w.text(c.CSRFToken)
	w.raw("\">\n      <button type=\"submit\">Log out</button>\n    </form>\n" +
		"    <button type=\"button\" class=\"palette-toggle\" aria-haspopup=\"dialog\" aria-keyshortcuts=\"Control+K Meta+K\">Search <kbd aria-hidden=\"true\">Ctrl K</kbd></button>\n" +
		"    <button type=\"button\" class=\"theme-toggle\" title=\"Toggle theme\"><span class=\"visually-hidden\">Toggle theme (current theme: auto)</span></button>\n  </div>")
}

// breadcrumbs is base.html's "breadcrumbs" block.
func (w *pageWriter) breadcrumbs(crumbs []Crumb) {
	if len(crumbs) == 0 {
		return
	}
	w.raw("\n<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\">")
	for i, c := range crumbs {
		if i > 0 {
			w.raw(" › ")
		}
		if c.URL != "" {
			w.link(c.URL, c.Text)
		} else {
			w.text(c.Text)
		}
	}
	w.raw("</nav>\n")
}

// link writes <a href="{{href}}">{{text}}</a>.
func (w *pageWriter) link(href, text string) {
	w.raw(`<a href="`)
	w.url(href)
	w.raw(`">`)
	w.text(text)
	w.raw("</a>")
}

// navSidebar is base.html's "nav_sidebar"; its model rows are the apps'
// NavModelsHTML.
func (w *pageWriter) navSidebar(apps []AppListItem) error {
	w.raw("\n<button type=\"button\" id=\"toggle-nav-sidebar\" aria-controls=\"nav-sidebar\" aria-expanded=\"true\" title=\"Show or hide the navigation\" hidden><span class=\"toggle-nav-sidebar-label\">Navigation</span></button>\n" +
		"<nav id=\"nav-sidebar\" aria-label=\"Sidebar\">\n" +
		"<input type=\"search\" id=\"nav-filter\" placeholder=\"Start typing to filter…\" aria-label=\"Filter the models\" autocomplete=\"off\" hidden>\n")
	for _, a := range apps {
		rows := a.NavModelsHTML()
		if rows == "" && len(a.Models) > 0 {
			return errUseTemplate
		}
		w.raw("\n<div class=\"app-")
		w.text(a.Label)
		w.raw(" module")
		if a.Current {
			w.raw(" current-app")
		}
		w.raw("\">\n<table>\n  <caption><a href=\"")
		w.url(a.URL)
		w.raw(`" class="section" title="Models in the `)
		w.text(a.Name)
		w.raw(` application">`)
		w.text(a.Name)
		w.raw("</a></caption>\n  <tbody>\n  ")
		w.raw(string(rows))
		w.raw("\n  </tbody>\n</table>\n</div>\n")
	}
	w.raw("\n</nav>\n")
	return nil
}

// messages is base.html's "messages" block.
func (w *pageWriter) messages(c *Context) {
	if len(c.Messages) == 0 {
		return
	}
	w.raw("\n<ul class=\"messagelist\">")
	for _, m := range c.Messages {
		w.raw(`<li class="`)
		w.text(m.Tags())
		w.raw(`">`)
		w.raw(capfirstString(string(m.HTML())))
		w.raw("</li>")
	}
	w.raw("</ul>\n")
}

// contentTitles are base.html's "content_title" and "content_subtitle".
func (w *pageWriter) contentTitles(c *Context) {
	if c.Title != "" {
		w.raw("<h1>")
		w.text(c.Title)
		w.raw("</h1>")
	}
	w.raw("\n")
	if c.Subtitle != "" {
		w.raw("<h2>")
		w.text(c.Subtitle)
		w.raw("</h2>")
	}
	w.raw("\n")
}
