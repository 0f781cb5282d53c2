package admin

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/staffroom/staffroom/flash"
)

//go:embed templates
var templateFS embed.FS

// pageNames are the embedded page templates; each is parsed with base.html.
var pageNames = []string{
	"login.html", "logged_out.html", "index.html", "app_index.html", "change_list.html",
	"change_form.html", "delete_confirmation.html", "delete_selected_confirmation.html", "object_history.html", "error.html", "invalid_setup.html",
	"password_change_form.html", "password_change_done.html", "password_reset_form.html", "password_reset_done.html",
	"password_reset_confirm.html", "password_reset_complete.html", "change_password.html",
	"two_factor.html", "two_factor_verify.html", "two_factor_setup.html", "two_factor_codes.html", "two_factor_confirm.html",
	"popup_response.html",
}

// templates holds one parsed set per page and per override level, keyed
// "<page>", "<app>/<page>" or "<app>/<model>/<page>".
type templates struct {
	sets  map[string]*template.Template
	named map[string]*template.Template // the *Template options' files, by name
	user  fs.FS
	funcs template.FuncMap

	mu      sync.Mutex
	pages   map[string]*template.Template // the project's own pages (Site.Render), by name
	filters map[string]*template.Template // list filters' own templates, by name
	inlines map[string]*template.Template // inlines' own templates, by name

	// goChangeList is the set of change_list.html when neither it nor
	// base.html is overridden site-wide, nil otherwise: the change list
	// chosen with it is written in Go (changelist_page.go). Per-app and
	// per-model overrides and ChangeListTemplate are other sets.
	goChangeList *template.Template
}

// parseTemplates parses every page once, at start-up. A site's overrides
// (admin/<name>.html, admin/<app>/<name>.html,
// admin/<app>/<model>/<name>.html in user) are parsed after the embedded
// page, so each replaces only the blocks it defines. reverse is the
// site's Reverse, the templates' url function.
func parseTemplates(user fs.FS, st *staticFiles, reverse func(string, ...string) (string, error)) (*templates, error) {
	funcs := template.FuncMap{
		"static": st.url,
		// url reverses a URL name: {{url "admin:index"}},
		// {{url "admin:notes_note_change" .ID}}.
		"url": func(name string, args ...any) (string, error) {
			strs := make([]string, len(args))
			for i, a := range args {
				strs[i] = fmt.Sprint(a)
			}
			return reverse(name, strs...)
		},
		"capfirst": capfirstString,
		// capfirstHTML capitalises a message as Django's base template
		// does; a message starting with markup is left alone.
		"capfirstHTML": func(h template.HTML) template.HTML { return template.HTML(capfirstString(string(h))) },
		"deref":        func(b *bool) bool { return b != nil && *b },
		"cssName":      cssName,
	}
	t := &templates{sets: map[string]*template.Template{}, named: map[string]*template.Template{}, user: user,
		funcs: funcs, pages: map[string]*template.Template{}, filters: map[string]*template.Template{},
		inlines: map[string]*template.Template{}}
	for _, page := range pageNames {
		set := template.New(page).Funcs(funcs)
		srcs := append(t.baseSources(), source{"embedded " + page, templateFS, "templates/admin/" + page})
		if user != nil {
			srcs = append(srcs, source{"admin/" + page, user, "admin/" + page})
		}
		if err := parseInto(set, srcs); err != nil {
			return nil, err
		}
		t.sets[page] = set
		if page == "change_list.html" && !overridden(srcs) {
			t.goChangeList = set
		}
	}
	if user == nil {
		return t, nil
	}
	return t, t.parseOverrides(user)
}

// baseSources are base.html and the site's override of it.
func (t *templates) baseSources() []source {
	srcs := []source{{"embedded base.html", templateFS, "templates/admin/base.html"}}
	if t.user != nil {
		srcs = append(srcs, source{"admin/base.html", t.user, "admin/base.html"})
	}
	return srcs
}

// parseOverrides builds the per-app and per-model sets found in user.
func (t *templates) parseOverrides(user fs.FS) error {
	var files []string
	for _, pattern := range []string{"admin/*/*.html", "admin/*/*/*.html"} {
		m, err := fs.Glob(user, pattern)
		if err != nil {
			return err
		}
		files = append(files, m...)
	}
	sort.Strings(files) // app-level files sort before model-level ones
	for _, f := range files {
		parts := strings.Split(strings.TrimPrefix(f, "admin/"), "/")
		page := parts[len(parts)-1]
		generic, ok := t.sets[page]
		if !ok {
			continue
		}
		key := strings.TrimPrefix(f, "admin/")
		parentKey := page
		if len(parts) == 3 {
			if _, ok := t.sets[parts[0]+"/"+page]; ok {
				parentKey = parts[0] + "/" + page
			}
		}
		parent := generic
		if p, ok := t.sets[parentKey]; ok {
			parent = p
		}
		set, err := parent.Clone()
		if err != nil {
			return err
		}
		if err := parseInto(set, []source{{f, user, f}}); err != nil {
			return err
		}
		t.sets[key] = set
	}
	return nil
}

// overridden reports whether a source of srcs that is not embedded
// exists, the site's override of a page or of base.html.
func overridden(srcs []source) bool {
	for _, s := range srcs {
		if strings.HasPrefix(s.name, "embedded") {
			continue
		}
		if _, err := fs.Stat(s.fsys, s.path); err == nil {
			return true
		}
	}
	return false
}

type source struct {
	name string
	fsys fs.FS
	path string
}

func parseInto(set *template.Template, srcs []source) error {
	for _, s := range srcs {
		b, err := fs.ReadFile(s.fsys, s.path)
		if err != nil {
			if strings.HasPrefix(s.name, "embedded") {
				return fmt.Errorf("admin: template %s: %w", s.name, err)
			}
			continue // no override at this level
		}
		if _, err := set.New(path.Clean(s.name)).Parse(string(b)); err != nil {
			return fmt.Errorf("admin: template %s: %w", s.name, err)
		}
	}
	return nil
}

// parseNamed parses the template file name of the site's Templates as a
// replacement of page (Django's change_form_template and its siblings):
// it extends the embedded page, so it may redefine only some blocks.
func (t *templates) parseNamed(name, page string) error {
	if name == "" {
		return nil
	}
	if _, ok := t.named[name]; ok {
		return nil
	}
	if t.user == nil {
		return fmt.Errorf("admin: template %s: the site has no Templates to find it in", name)
	}
	if _, err := fs.Stat(t.user, name); err != nil {
		return fmt.Errorf("admin: template %s: %w", name, err)
	}
	set, err := t.sets[page].Clone()
	if err != nil {
		return err
	}
	if err := parseInto(set, []source{{name, t.user, name}}); err != nil {
		return err
	}
	t.named[name] = set
	return nil
}

// parseSiteTemplates parses the site's *Template options.
func (t *templates) parseSiteTemplates(o SiteOptions) error {
	for _, x := range []struct{ name, page string }{
		{o.IndexTemplate, "index.html"}, {o.AppIndexTemplate, "app_index.html"}, {o.LoginTemplate, "login.html"},
		{o.LogoutTemplate, "logged_out.html"}, {o.PasswordChangeTemplate, "password_change_form.html"},
		{o.PasswordChangeDoneTemplate, "password_change_done.html"},
	} {
		if err := t.parseNamed(x.name, x.page); err != nil {
			return err
		}
	}
	return nil
}

// page returns the set of a project's own page, the template file name
// of the site's Templates parsed with base.html (and the site's
// override of it), parsing it on first use. The page starts with
// {{template "base" .}} and defines blocks, as the admin's pages do.
func (t *templates) page(name string) (*template.Template, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if set, ok := t.pages[name]; ok {
		return set, nil
	}
	if t.user == nil {
		return nil, fmt.Errorf("admin: template %s: the site has no Templates to find it in", name)
	}
	if _, err := fs.Stat(t.user, name); err != nil {
		return nil, fmt.Errorf("admin: template %s: %w", name, err)
	}
	set := template.New("page " + name).Funcs(t.funcs)
	if err := parseInto(set, append(t.baseSources(), source{name, t.user, name})); err != nil {
		return nil, err
	}
	t.pages[name] = set
	return set, nil
}

// filter returns the template file name of the site's Templates that
// renders a list filter's box (Django's ListFilter.template), parsing it
// on first use; Register parses those of ListFilter, so that a missing
// or broken one fails at start-up.
func (t *templates) filter(name string) (*template.Template, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if set, ok := t.filters[name]; ok {
		return set, nil
	}
	if t.user == nil {
		return nil, fmt.Errorf("admin: template %s: the site has no Templates to find it in", name)
	}
	set := template.New(name).Funcs(t.funcs)
	b, err := fs.ReadFile(t.user, name)
	if err == nil {
		_, err = set.Parse(string(b))
	}
	if err != nil {
		return nil, fmt.Errorf("admin: template %s: %w", name, err)
	}
	t.filters[name] = set
	return set, nil
}

// inline returns the template file name of the site's Templates that
// renders an inline (Django's InlineModelAdmin.template) in place of the
// stock tabular or stacked one, parsing it on first use; Register parses
// those of Inlines, so that a missing or broken one fails at start-up.
// It is parsed with the change form's templates, so it may use their
// "inline_tabular", "inline_stacked" and "fieldset" for its parts.
func (t *templates) inline(name string) (*template.Template, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if set, ok := t.inlines[name]; ok {
		return set, nil
	}
	if t.user == nil {
		return nil, fmt.Errorf("admin: template %s: the site has no Templates to find it in", name)
	}
	if _, err := fs.Stat(t.user, name); err != nil {
		return nil, fmt.Errorf("admin: template %s: %w", name, err)
	}
	set, err := t.sets["change_form.html"].Clone()
	if err != nil {
		return nil, err
	}
	if err := parseInto(set, []source{{name, t.user, name}}); err != nil {
		return nil, err
	}
	t.inlines[name] = set
	return set, nil
}

// parseModelTemplates parses the *Template options of a model admin.
func (t *templates) parseModelTemplates(a *ModelAdmin) error {
	for _, x := range []struct{ name, page string }{
		{a.AddFormTemplate, "change_form.html"}, {a.ChangeFormTemplate, "change_form.html"},
		{a.ChangeListTemplate, "change_list.html"}, {a.DeleteConfirmationTemplate, "delete_confirmation.html"},
		{a.ObjectHistoryTemplate, "object_history.html"},
		{a.DeleteSelectedConfirmationTemplate, "delete_selected_confirmation.html"},
		{a.PopupResponseTemplate, "popup_response.html"},
	} {
		if err := t.parseNamed(x.name, x.page); err != nil {
			return err
		}
	}
	for _, entry := range a.ListFilter {
		if name := entryTemplate(entry); name != "" {
			if _, err := t.filter(name); err != nil {
				return err
			}
		}
	}
	for _, in := range a.Inlines {
		if name := in.inline().Template; name != "" {
			if _, err := t.inline(name); err != nil {
				return err
			}
		}
	}
	return nil
}

// choose returns the set of the named template when name is set, else
// the most specific set for the page.
func (t *templates) choose(name, app, model, page string) *template.Template {
	if set, ok := t.named[name]; ok {
		return set
	}
	return t.lookup(app, model, page)
}

// lookup returns the most specific set for a page: the model's override,
// the app's, or the site-wide one.
func (t *templates) lookup(app, model, page string) *template.Template {
	if app != "" {
		if set, ok := t.sets[app+"/"+model+"/"+page]; ok {
			return set
		}
		if set, ok := t.sets[app+"/"+page]; ok {
			return set
		}
	}
	return t.sets[page]
}

func capfirstString(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render executes a page into a pooled buffer, then writes it, so a
// template error never sends half a page. Pending messages are taken from
// the session here, as late as possible.
func (s *Site) render(w http.ResponseWriter, r *http.Request, status int, set *template.Template, data page) {
	name := "embedded " + set.Name()
	s.renderWith(w, r, status, set, data, func(buf *bytes.Buffer) error { return set.ExecuteTemplate(buf, name, data) })
}

// renderWith is render with write, which writes the page of set into the
// buffer, in place of executing the template (see renderChangeList).
func (s *Site) renderWith(w http.ResponseWriter, r *http.Request, status int, set *template.Template, data page, write func(*bytes.Buffer) error) {
	if s.onRender != nil {
		s.onRender(set.Name())
	}
	if err := s.executeWith(w, r, status, data, write); err != nil {
		s.log.ErrorContext(r.Context(), "admin: render", "template", set.Name(), "err", err)
		http.Error(w, "Server error (500)", http.StatusInternalServerError)
	}
}

// execute runs the template name of set into a pooled buffer, then
// writes it with the status; on error it writes nothing.
func (s *Site) execute(w http.ResponseWriter, r *http.Request, status int, set *template.Template, name string, data page) error {
	return s.executeWith(w, r, status, data, func(buf *bytes.Buffer) error { return set.ExecuteTemplate(buf, name, data) })
}

// executeWith gives data the pending messages, has write write the page
// into a pooled buffer, then writes it with the status; on error it
// writes nothing.
func (s *Site) executeWith(w http.ResponseWriter, r *http.Request, status int, data page, write func(*bytes.Buffer) error) error {
	data.base().Messages = flash.Pop(r)
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := write(buf); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = buf.WriteTo(w)
	return nil
}
