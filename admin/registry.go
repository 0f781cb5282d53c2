package admin

import (
	"fmt"
	"sort"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// AlreadyRegisteredError is returned by Register for a model registered
// already, Django's AlreadyRegistered.
type AlreadyRegisteredError struct {
	Model string // the model's Go name
	Admin string // "<app_label>.<admin type>", e.g. "bookstore.BookAdmin"
}

func (e *AlreadyRegisteredError) Error() string {
	if app, ok := strings.CutSuffix(e.Admin, ".ModelAdmin"); ok {
		return fmt.Sprintf("admin: the model %s is already registered in app '%s'", e.Model, app)
	}
	return fmt.Sprintf("admin: the model %s is already registered with '%s'", e.Model, e.Admin)
}

// NotRegisteredError is returned by Unregister for a model that is not
// registered, Django's NotRegistered.
type NotRegisteredError struct {
	Model string
}

func (e *NotRegisteredError) Error() string {
	return fmt.Sprintf("admin: the model %s is not registered", e.Model)
}

// Register adds a model to the site. model is a value or pointer of a
// registered orm model; ma may be nil for the defaults, a *ModelAdmin, or
// a pointer to a type embedding ModelAdmin, registered for this model
// only. Options are checked now (ModelAdmin.Check): an unknown field, a
// bad path or an option not built yet is a *CheckError listing every
// message with its id, model, option and value — unless the site defers
// checks (Config.DeferChecks). The site refuses registrations once it
// serves.
func (s *Site) Register(model any, ma Admin) error {
	m, err := s.db.Registry().ModelOf(model)
	if err != nil {
		return fmt.Errorf("admin: register: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handler != nil {
		return fmt.Errorf("admin: register %s: the site %q is already serving; register every model before the first request", m.Label(), s.cfg.Name)
	}
	if reservedLabels[m.App.Label] {
		return fmt.Errorf("admin: register %s: the app label %q is one of the site's own URLs", m.Label(), m.App.Label)
	}
	if prev, dup := s.admins[m]; dup {
		return &AlreadyRegisteredError{Model: m.Name, Admin: adminName(prev)}
	}
	if ma == nil {
		ma = &ModelAdmin{}
	}
	b := ma.base()
	if b.site != nil {
		return fmt.Errorf("admin: register %s: this %T value is already registered for %s; give each model its own admin value", m.Label(), ma, b.model.Label())
	}
	b.self, b.site, b.model = ma, s, m
	if err := checkError(m.Label(), b.validate()); err != nil {
		if !s.cfg.DeferChecks {
			b.self, b.site, b.model = nil, nil, nil
			return err
		}
	} else if err := b.prepare(); err != nil {
		b.self, b.site, b.model = nil, nil, nil
		return fmt.Errorf("admin: register %s: %w", m.Label(), err)
	} else if err := s.parseViewTemplates(ma.GetURLs()); err != nil {
		b.self, b.site, b.model = nil, nil, nil
		return fmt.Errorf("admin: register %s: %w", m.Label(), err)
	}
	s.admins[m] = ma
	s.byPath[m.App.Label+"/"+m.ModelName] = ma
	return nil
}

// parseViewTemplates parses the templates the views name, so that a
// missing or broken one fails at start-up.
func (s *Site) parseViewTemplates(views []View) error {
	for _, v := range views {
		if v.Template == "" {
			continue
		}
		if _, err := s.tmpl.page(v.Template); err != nil {
			return fmt.Errorf("view %q: %w", v.Path, err)
		}
	}
	return nil
}

// adminName is Django's str(model_admin): "<app_label>.<type name>".
func adminName(ma Admin) string {
	t := fmt.Sprintf("%T", ma)
	if i := strings.LastIndexByte(t, '.'); i >= 0 {
		t = t[i+1:]
	}
	return ma.base().model.App.Label + "." + t
}

// reservedLabels are the first path segments of the site's own pages,
// which an app's URLs would collide with.
var reservedLabels = map[string]bool{
	"login": true, "logout": true, "password_change": true, "password_reset": true, "reset": true, "static": true,
	"r": true, "autocomplete": true, "jsi18n": true, "palette": true, "two_factor": true,
}

// Unregister removes a model from the site; the site refuses it once it
// serves.
func (s *Site) Unregister(model any) error {
	m, err := s.db.Registry().ModelOf(model)
	if err != nil {
		return fmt.Errorf("admin: unregister: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handler != nil {
		return fmt.Errorf("admin: unregister %s: the site %q is already serving", m.Label(), s.cfg.Name)
	}
	ma, ok := s.admins[m]
	if !ok {
		return &NotRegisteredError{Model: m.Name}
	}
	b := ma.base()
	b.self, b.site, b.model = nil, nil, nil
	delete(s.admins, m)
	delete(s.byPath, m.App.Label+"/"+m.ModelName)
	return nil
}

// IsRegistered reports whether the model of v is registered.
func (s *Site) IsRegistered(v any) bool {
	m, err := s.db.Registry().ModelOf(v)
	if err != nil {
		return false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.admins[m]
	return ok
}

// ModelAdmin returns the admin registered for the model of v, Django's
// get_model_admin; a model that is not registered is a
// *NotRegisteredError.
func (s *Site) ModelAdmin(v any) (Admin, error) {
	m, err := s.db.Registry().ModelOf(v)
	if err != nil {
		return nil, fmt.Errorf("admin: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ma, ok := s.admins[m]; ok {
		return ma, nil
	}
	return nil, &NotRegisteredError{Model: m.Name}
}

// registered returns the admin of m, or nil. Once the site serves, the
// registry no longer changes, so readers need no lock.
func (s *Site) registered(m *orm.Model) Admin { return s.admins[m] }

// adminFor returns the admin of the model with the given app label and
// model name, or nil.
func (s *Site) adminFor(app, model string) Admin { return s.byPath[app+"/"+model] }

// hasApp reports whether an app has registered models.
func (s *Site) hasApp(label string) bool {
	for _, e := range s.apps {
		if e.app.Label == label {
			return true
		}
	}
	return false
}

// sortedApps returns the apps with registered models, sorted by verbose
// name, and each app's admins sorted by plural name, as Django sorts them.
func (s *Site) sortedApps() []*appEntry {
	byLabel := map[string]*appEntry{}
	var apps []*appEntry
	for m, a := range s.admins {
		e := byLabel[m.App.Label]
		if e == nil {
			e = &appEntry{app: m.App}
			byLabel[m.App.Label] = e
			apps = append(apps, e)
		}
		e.admins = append(e.admins, a)
	}
	sort.Slice(apps, func(i, j int) bool {
		return strings.ToLower(apps[i].app.VerboseName) < strings.ToLower(apps[j].app.VerboseName)
	})
	for _, e := range apps {
		sort.Slice(e.admins, func(i, j int) bool {
			return orm.Capfirst(e.admins[i].base().model.VerboseNamePlural) < orm.Capfirst(e.admins[j].base().model.VerboseNamePlural)
		})
	}
	return apps
}

type appEntry struct {
	app    *orm.App
	admins []Admin
}
