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
	"strings"
	"sync"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// SiteOptions are a site's name, place and branding, Django's AdminSite
// attributes; staffroom.Config passes them through.
type SiteOptions struct {
	// Name is the site's instance name, the namespace of its URL names
	// (default "admin").
	Name string
	// Prefix is the URL path the site is mounted at, with slashes on both
	// sides (default "/admin/").
	Prefix string
	// SiteTitle ends every page title (default "Staffroom site admin");
	// SiteHeader tops every page (default "Staffroom administration");
	// IndexTitle heads the index (default "Site administration").
	SiteTitle, SiteHeader, IndexTitle string
	// SiteURL is the "View site" link (default "/"; "-" hides it).
	SiteURL string
	// EmptyValueDisplay is shown for empty values (default "-").
	EmptyValueDisplay string
	// DisableNavSidebar hides the navigation sidebar (Django's
	// enable_nav_sidebar = False).
	DisableNavSidebar bool
	// DisableFinalCatchAll answers unknown admin URLs with a plain 404
	// even to anonymous users (Django's final_catch_all_view = False).
	// By default they are sent to log in, so that nobody who is not
	// logged in can tell registered models from others.
	DisableFinalCatchAll bool
	// The *Template options name templates in Config.Templates that
	// replace the site's pages of that kind (Django's index_template and
	// its siblings), e.g. "admin/my_index.html".
	IndexTemplate, AppIndexTemplate, LoginTemplate, LogoutTemplate string
	PasswordChangeTemplate, PasswordChangeDoneTemplate             string
	// BigTableRows is the size of table, by the database's estimate, from
	// which check advises (staffroom.W003) and `migrate --admin-indexes`
	// creates the indexes only a big table needs: a substring index for
	// each text column the change lists search (see IndexAdvice.Substring)
	// and an index for each ListDisplay column they may be sorted by;
	// default DefaultBigTableRows, negative for never. Below it reading
	// every row is fast enough, and the indexes would only cost writes
	// and disk.
	BigTableRows int64
}

// Config configures a Site.
type Config struct {
	SiteOptions
	DB       *orm.DB
	Auth     *auth.Auth
	Sessions *session.Store
	// CSRF protects unsafe requests; default: csrf.New with defaults.
	CSRF *csrf.Protector
	// Types caches content types; default: a new cache over DB.
	Types *contenttype.Types
	// RemoteUser, when set, logs in the user a front-end server names in
	// a header (auth.Auth.RemoteUserMiddleware); Auth must then have an
	// auth.RemoteUserBackend among its backends.
	RemoteUser *auth.RemoteUserConfig
	// BaseURL is the scheme and host the site is reached at, e.g.
	// "https://staff.example.com", used in the links of password reset
	// mails. Without it the links are built from the host the request
	// names, which must then be one of AllowedHosts: a reset asked for
	// under another host is refused.
	BaseURL string
	// AllowedHosts are the hosts links may be built from without a
	// BaseURL, in guard.Config.AllowedHosts' syntax; default
	// guard.DefaultAllowedHosts(). A request that passed a guard's
	// AllowedHosts is trusted as it is.
	AllowedHosts []string
	// HasPermission reports whether a request's user may use the site,
	// Django's AdminSite.has_permission; default: an active staff member.
	// Logging in still requires a staff account.
	HasPermission func(r *http.Request) bool
	// TwoFactor says who must sign in with a second factor; by default
	// nobody must, and every staff user may.
	TwoFactor TwoFactorPolicy
	// DisablePasswordReset removes the password reset pages and the
	// login page's link to them (for sites whose users sign in elsewhere).
	DisablePasswordReset bool
	// Templates overrides embedded templates: a file at
	// admin/<app>/<model>/<name>.html, admin/<app>/<name>.html or
	// admin/<name>.html replaces the blocks it defines, and one at
	// form/<name>.html or form/widgets/<name>.html the form template of
	// that name (see form.NewRenderer).
	Templates fs.FS
	// Static holds the project's static files, served with the admin's
	// own under the site's static URL (<Prefix>static/<hash>/<path>) and
	// cached as they are; a file at an embedded file's path, such as
	// admin/css/base.css, replaces it. The ModelAdmin's Media names
	// files of either.
	Static fs.FS
	// Storage keeps the files uploaded to file and image fields; without
	// one they are edited as the stored name.
	Storage form.Storage
	Logger  *slog.Logger
	// RequestTimeout bounds what one request may make the database do:
	// its queries run under a context with this deadline, and one that
	// passes it is answered 503 (default 60s; negative: no deadline).
	// On PostgreSQL a statement_timeout in the database URL
	// (?options=-c%20statement_timeout%3D30000) bounds each statement on
	// the server's side too.
	RequestTimeout time.Duration
	// TimeZoneFor, when set, picks the time zone of a request (Django's
	// timezone.activate in a middleware, e.g. a zone each user chose):
	// the change list's dates, date filters and date hierarchy, the
	// forms' date-times and every date-time shown use it. It runs after
	// the user is known (auth.UserFrom(r.Context())); nil, or a nil
	// result, keeps the site's zone, the database's orm.Options.TimeZone.
	TimeZoneFor func(*http.Request) *time.Location
	// DeferChecks registers admins whose options fail the checks instead
	// of refusing them, so that Site.Check reports every admin's errors at
	// once; the check command uses it. A site that defers checks never
	// serves: it answers every request with an error.
	DeferChecks bool
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
	byPath   map[string]Admin // "<app_label>/<model_name>"
	apps     []*appEntry      // sorted, fixed when the site starts serving
	views    []View           // the site's own pages (AddView)
	actions  []Action         // the site-wide actions (AddAction)
	global   []Action         // every action ever added, for GetAction
	handler  http.Handler
	onRender func(page string) // a test's hook, told each page rendered
	building sync.Once
	indexes  indexCache // the tables' indexed columns, read now and then
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
	if cfg.RequestTimeout == 0 {
		cfg.RequestTimeout = 60 * time.Second
	}
	if cfg.EmptyValueDisplay == "" {
		cfg.EmptyValueDisplay = emptyValueDisplay
	}
	s := &Site{cfg: cfg, db: cfg.DB, auth: cfg.Auth, sessions: cfg.Sessions, csrf: cfg.CSRF, types: cfg.Types,
		log: cfg.Logger, admins: map[*orm.Model]Admin{}, byPath: map[string]Admin{}}
	s.actions = []Action{DeleteSelectedAction()}
	s.global = s.actions
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
	if s.static, err = newStaticFiles(cfg.Prefix+"static/", cfg.Static); err != nil {
		return nil, err
	}
	if s.forms, err = form.NewRenderer(cfg.Templates); err != nil {
		return nil, err
	}
	if s.tmpl, err = parseTemplates(cfg.Templates, s.static, s.Reverse); err != nil {
		return nil, err
	}
	if err := s.tmpl.parseSiteTemplates(cfg.SiteOptions); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP implements http.Handler. The routes are fixed at the first
// request; Register after that is an error.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.building.Do(func() {
		s.mu.Lock()
		s.apps = s.sortedApps()
		s.handler = s.routes()
		if s.cfg.DeferChecks {
			s.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				http.Error(w, "Server error: this admin site was made for checking, not serving", http.StatusInternalServerError)
			})
		}
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

// AddView adds a page of the project's own to the site, at v.Path below
// the site's root, Django's AdminSite.get_urls extended by a project. The
// page is served to the users the site lets in (unless v.Public), with
// the admin's headers and CSRF protection, and reversed by v.Name. Views
// are tried before the model pages, in the order added.
func (s *Site) AddView(v View) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.handler != nil:
		return fmt.Errorf("admin: add view %q: the site %q is already serving", v.Path, s.cfg.Name)
	case v.Handler == nil:
		return fmt.Errorf("admin: add view %q: no Handler", v.Path)
	case v.Path == "" || strings.HasPrefix(v.Path, "/") || !strings.HasSuffix(v.Path, "/") || strings.Contains(v.Path, "{"):
		return fmt.Errorf("admin: add view %q: the path must be relative, end with a slash and hold no pattern", v.Path)
	}
	if err := s.parseViewTemplates([]View{v}); err != nil {
		return fmt.Errorf("admin: add view: %w", err)
	}
	for _, other := range s.views {
		if other.Path == v.Path || (v.Name != "" && other.Name == v.Name) {
			return fmt.Errorf("admin: add view %q: the path or the name %q is taken", v.Path, v.Name)
		}
	}
	s.views = append(s.views, v)
	return nil
}
