// Package admin is the automatic admin site: register models with a Site
// and trusted staff get change lists, add/change forms, deletion with a
// cascade preview and history, in Django's URL shapes and protocols.
package admin

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// Config configures a Site.
type Config struct {
	// Name is the site's instance name (default "admin").
	Name string
	// Prefix is the URL path the site is mounted at, with slashes on both
	// sides (default "/admin/").
	Prefix   string
	DB       *orm.DB
	Auth     *auth.Auth
	Sessions *session.Store
	// CSRF protects unsafe requests; default: csrf.New with defaults.
	CSRF *csrf.Protector
	// Types caches content types; default: a new cache over DB.
	Types *contenttype.Types
	// SiteTitle ends every page title (default "Staffroom site admin");
	// SiteHeader tops every page (default "Staffroom administration");
	// IndexTitle heads the index (default "Site administration").
	SiteTitle, SiteHeader, IndexTitle string
	// RemoteUser, when set, logs in the user a front-end server names in
	// a header (auth.Auth.RemoteUserMiddleware); Auth must then have an
	// auth.RemoteUserBackend among its backends.
	RemoteUser *auth.RemoteUserConfig
	// BaseURL is the scheme and host the site is reached at, e.g.
	// "https://staff.example.com", used in the links of password reset
	// mails. Set it in production: without it the links are built from
	// the request's Host header, which a client controls.
	BaseURL string
	// DisablePasswordReset removes the password reset pages and the
	// login page's link to them (for sites whose users sign in elsewhere).
	DisablePasswordReset bool
	// SiteURL is the "View site" link (default "/"; "-" hides it).
	SiteURL string
	// Templates overrides embedded templates: a file at
	// admin/<app>/<model>/<name>.html, admin/<app>/<name>.html or
	// admin/<name>.html replaces the blocks it defines, and one at
	// form/<name>.html or form/widgets/<name>.html the form template of
	// that name (see form.NewRenderer).
	Templates fs.FS
	// Storage keeps the files uploaded to file and image fields; without
	// one they are edited as the stored name.
	Storage form.Storage
	Logger  *slog.Logger
}

// Site is an admin site: an http.Handler serving every registered model.
type Site struct {
	cfg      Config
	db       *orm.DB
	auth     *auth.Auth
	sessions *session.Store
	csrf     *csrf.Protector
	types    *contenttype.Types
	log      *slog.Logger
	tmpl     *templates
	forms    *form.Renderer
	static   *staticFiles

	mu       sync.Mutex
	admins   map[*orm.Model]Admin
	handler  http.Handler
	building sync.Once
}

// NewSite checks the configuration, parses the templates and returns a
// site with no models registered.
func NewSite(cfg Config) (*Site, error) {
	if cfg.DB == nil || cfg.Auth == nil || cfg.Sessions == nil {
		return nil, errors.New("admin: Config.DB, Config.Auth and Config.Sessions are required")
	}
	if cfg.Name == "" {
		cfg.Name = "admin"
	}
	if cfg.Prefix == "" {
		cfg.Prefix = "/admin/"
	}
	if !strings.HasPrefix(cfg.Prefix, "/") || !strings.HasSuffix(cfg.Prefix, "/") {
		return nil, fmt.Errorf("admin: Config.Prefix %q must start and end with a slash", cfg.Prefix)
	}
	if cfg.SiteTitle == "" {
		cfg.SiteTitle = "Staffroom site admin"
	}
	if cfg.SiteHeader == "" {
		cfg.SiteHeader = "Staffroom administration"
	}
	if cfg.IndexTitle == "" {
		cfg.IndexTitle = "Site administration"
	}
	if cfg.SiteURL == "" {
		cfg.SiteURL = "/"
	}
	s := &Site{cfg: cfg, db: cfg.DB, auth: cfg.Auth, sessions: cfg.Sessions, csrf: cfg.CSRF, types: cfg.Types,
		log: cfg.Logger, admins: map[*orm.Model]Admin{}}
	if s.csrf == nil {
		s.csrf = csrf.New(csrf.Config{})
	}
	if s.types == nil {
		s.types = contenttype.New(cfg.DB)
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	var err error
	if s.static, err = newStaticFiles(cfg.Prefix + "static/"); err != nil {
		return nil, err
	}
	if s.forms, err = form.NewRenderer(cfg.Templates); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(cfg.Templates, s.static); err != nil {
		return nil, err
	}
	return s, nil
}

// Register adds a model to the site. model is a value or pointer of a
// registered orm model; ma may be nil for the defaults, a *ModelAdmin, or
// a pointer to a type embedding ModelAdmin. Options are checked now: an
// unknown field, a bad path or an option not built yet is an error naming
// the model and the option.
func (s *Site) Register(model any, ma Admin) error {
	m, err := s.db.Registry().ModelOf(model)
	if err != nil {
		return fmt.Errorf("admin: register: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.handler != nil {
		return fmt.Errorf("admin: register %s: the site is already serving", m.Label())
	}
	if reservedLabels[m.App.Label] {
		return fmt.Errorf("admin: register %s: the app label %q is one of the site's own URLs", m.Label(), m.App.Label)
	}
	if _, dup := s.admins[m]; dup {
		return fmt.Errorf("admin: register: the model %s is already registered with %q", m.Name, s.cfg.Name)
	}
	if ma == nil {
		ma = &ModelAdmin{}
	}
	b := ma.base()
	b.self, b.site, b.model = ma, s, m
	if err := b.validate(); err != nil {
		return fmt.Errorf("admin: register %s: %w", m.Label(), err)
	}
	s.admins[m] = ma
	return nil
}

// reservedLabels are the first path segments of the site's own pages,
// which an app's URLs would collide with.
var reservedLabels = map[string]bool{
	"login": true, "logout": true, "password_change": true, "password_reset": true, "reset": true, "static": true,
}

// Unregister removes a model from the site.
func (s *Site) Unregister(model any) error {
	m, err := s.db.Registry().ModelOf(model)
	if err != nil {
		return fmt.Errorf("admin: unregister: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.admins[m]; !ok {
		return fmt.Errorf("admin: unregister: the model %s is not registered", m.Name)
	}
	delete(s.admins, m)
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

// adminFor returns the admin of the model with the given app label and
// model name, or nil.
func (s *Site) adminFor(app, model string) Admin {
	for m, a := range s.admins {
		if m.App.Label == app && m.ModelName == model {
			return a
		}
	}
	return nil
}

// registeredApps returns the apps with registered models, sorted by
// verbose name, and each app's admins sorted by plural name.
func (s *Site) registeredApps() []*appEntry {
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

// ServeHTTP implements http.Handler. The routes are fixed at the first
// request; Register after that is an error.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.building.Do(func() {
		s.mu.Lock()
		s.handler = s.routes()
		s.mu.Unlock()
	})
	s.handler.ServeHTTP(w, r)
}

// URL returns the site's root URL path.
func (s *Site) URL() string { return s.cfg.Prefix }

// DB returns the site's database.
func (s *Site) DB() *orm.DB { return s.db }

// Auth returns the site's authentication.
func (s *Site) Auth() *auth.Auth { return s.auth }

// Sessions returns the site's session store, e.g. to decode the session
// rows an admin of the session model shows.
func (s *Site) Sessions() *session.Store { return s.sessions }
