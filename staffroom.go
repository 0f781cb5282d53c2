package staffroom

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/guard"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// Project describes a program built on Staffroom: its apps, how it
// registers them in the admin, and how it makes demo data.
type Project struct {
	// Name is the program's name in usage messages.
	Name string
	// Apps are the project's own apps; the built-in ones (contenttypes,
	// auth, staffroom_auth, sessions, staffroom_sessions, admin) are added
	// before them.
	Apps []orm.AppConfig
	// Admin registers the project's models on the site, where auth's User
	// and Group already are (admin.RegisterAuth).
	Admin func(site *admin.Site) error
	// Seed fills a new database with demo data (optional).
	Seed func(ctx context.Context, db *orm.DB, opts SeedOptions) error
	// DefaultDatabase is the database URL when neither --database nor
	// DATABASE_URL names one, e.g. "sqlite:bookstore.sqlite3".
	DefaultDatabase string
	// Site names and brands the admin site (header, title, prefix,
	// templates...), unless Config.Site is set.
	Site admin.SiteOptions
	// TimeZone is the site's time zone, Django's TIME_ZONE with USE_TZ =
	// True, unless Config.TimeZone is set: datetime columns hold UTC
	// instants, and the admin shows, takes and filters them on this zone's
	// clocks (see orm.Options.TimeZone). Nil means UTC.
	TimeZone *time.Location
	// PasswordHashers are the project's PASSWORD_HASHERS, unless
	// Config.Hashers, --password-hashers or STAFFROOM_PASSWORD_HASHERS set
	// them: a project beside a Django 3.2 gives auth.DjangoHashers("3.2").
	// Nil means auth.DefaultPasswordHashers().
	PasswordHashers auth.PasswordHashers
}

// SeedOptions sizes the demo data.
type SeedOptions struct {
	Books int // 0 means the project's default
	// Progress, when set, is told now and then how many of the total
	// books are in; the commands show it as "seed: 12000/100000 books".
	Progress func(done, total int)
}

// Config is what New needs beyond the Project.
type Config struct {
	Database  string // database URL
	SecretKey string // signs sessions; required
	// FallbackKeys are older secret keys, still accepted when verifying
	// session data, session auth hashes and password reset tokens, never
	// used to sign (Django's SECRET_KEY_FALLBACKS).
	FallbackKeys []string
	// SessionEngine chooses where sessions live; default session.Database.
	SessionEngine session.Engine
	// Hashers are the password hashers, Django's PASSWORD_HASHERS: the
	// first makes new hashes, and a login re-hashes a password stored
	// with another algorithm or other parameters. Default:
	// auth.DefaultPasswordHashers() (Django 5.2's). Beside a Django
	// project on the same database, set that Django's, e.g.
	// auth.DjangoHashers("3.2"), so neither side re-hashes what the other
	// wrote (which would log the user out everywhere); see
	// doc/django-coexistence.md. The commands read --password-hashers or
	// STAFFROOM_PASSWORD_HASHERS (auth.ParsePasswordHashers).
	Hashers auth.PasswordHashers
	// Backends authenticate users and grant permissions, in order;
	// default: an auth.ModelBackend.
	Backends []auth.Backend
	// Mail delivers password reset mails (default: written to standard
	// output); MailFrom is their sender address.
	Mail     auth.Sender
	MailFrom string
	// BaseURL is the scheme and host the admin is reached at, for the
	// links in mails, e.g. "https://staff.example.com". Without it the
	// links use the request's host, which Guard.AllowedHosts checked.
	BaseURL string
	// Guard is the server's first line: allowed hosts (default: the
	// loopback names), a trusted proxy, HSTS, request limits and server
	// timeouts (see package guard).
	Guard guard.Config
	// Throttle tunes login throttling (on by default).
	Throttle auth.ThrottleConfig
	// PasswordValidators check new passwords (commands, password views);
	// nil means auth.DefaultPasswordValidators().
	PasswordValidators []auth.PasswordValidator
	// RemoteUser, when set, logs users in from a header a front-end server
	// sets; Backends must then include an auth.RemoteUserBackend.
	RemoteUser *auth.RemoteUserConfig
	// Site names and brands the admin site; when set it replaces the
	// Project's Site whole.
	Site admin.SiteOptions
	// TwoFactor says who must sign in with a second factor (by default
	// nobody must; anyone may set one up).
	TwoFactor admin.TwoFactorPolicy
	// Templates override the admin's templates.
	Templates fs.FS
	// Static holds the project's static files, served by the admin at
	// content-hashed URLs (admin.Config.Static), e.g. those a ModelAdmin's
	// Media names.
	Static fs.FS
	// Storage keeps files uploaded in the admin (form.DirStorage for a
	// local directory); without one, file fields edit the stored name.
	Storage form.Storage
	Logger  *slog.Logger
	// RequestTimeout bounds the database work of one admin request
	// (admin.Config.RequestTimeout: default 60s, negative for none).
	RequestTimeout time.Duration
	// TimeZone, when set, replaces the Project's TimeZone.
	TimeZone *time.Location
	// TimeZoneFor picks the time zone of one admin request, e.g. the one
	// its user chose (admin.Config.TimeZoneFor, Django's
	// timezone.activate); nil or a nil result keeps the site's.
	TimeZoneFor func(*http.Request) *time.Location

	// deferChecks makes the site collect the admins' check errors rather
	// than refuse them, for the check command (admin.Config.DeferChecks).
	deferChecks bool
}

// App is a wired Staffroom program: the database, authentication,
// sessions and the admin site, whose Handler serves everything behind the
// guard.
type App struct {
	DB       *orm.DB
	Auth     *auth.Auth
	Sessions *session.Store
	Types    *contenttype.Types
	Site     *admin.Site
	Handler  http.Handler
	guard    *guard.Guard
}

// Server returns an http.Server for Handler with the timeouts of
// Config.Guard.
func (a *App) Server() *http.Server { return a.guard.Server(a.Handler) }

// Registry returns the registry of the built-in apps followed by the
// project's.
func (p Project) Registry() (*orm.Registry, error) {
	reg := orm.NewRegistry()
	apps := append([]orm.AppConfig{contenttype.App(), auth.App(), auth.ThrottleApp(), session.App(), session.InfoApp(), admin.App()}, p.Apps...)
	for _, a := range apps {
		if _, err := reg.Register(a); err != nil {
			return nil, err
		}
	}
	return reg, reg.Ready()
}

// New opens the database and wires the admin. It does not migrate.
func New(p Project, cfg Config) (*App, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("staffroom: a secret key is required")
	}
	reg, err := p.Registry()
	if err != nil {
		return nil, err
	}
	db, err := orm.Open(cfg.Database, reg, orm.Options{TimeZone: p.timeZone(cfg)})
	if err != nil {
		return nil, err
	}
	app, err := wire(p, cfg, db)
	if err != nil {
		db.Close()
		return nil, err
	}
	return app, nil
}

// timeZone is the site's zone: the Config's, else the Project's.
func (p Project) timeZone(cfg Config) *time.Location {
	if cfg.TimeZone != nil {
		return cfg.TimeZone
	}
	return p.TimeZone
}

func wire(p Project, cfg Config, db *orm.DB) (*App, error) {
	types := contenttype.New(db)
	hashers := cfg.Hashers
	if hashers == nil {
		hashers = p.PasswordHashers
	}
	a, err := auth.New(auth.Config{DB: db, Types: types, SecretKey: cfg.SecretKey, FallbackKeys: cfg.FallbackKeys,
		Hashers: hashers, Backends: cfg.Backends, PasswordValidators: cfg.PasswordValidators, Throttle: cfg.Throttle,
		Mail: cfg.Mail, MailFrom: cfg.MailFrom, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	sessions, err := session.NewStore(db, session.Config{SecretKey: cfg.SecretKey, FallbackKeys: cfg.FallbackKeys,
		Engine: cfg.SessionEngine, Logger: cfg.Logger})
	if err != nil {
		return nil, err
	}
	opts := cfg.Site
	if opts == (admin.SiteOptions{}) {
		opts = p.Site
	}
	if cfg.Guard.Logger == nil {
		cfg.Guard.Logger = cfg.Logger
	}
	g := guard.New(cfg.Guard)
	site, err := admin.NewSite(admin.Config{SiteOptions: opts, DB: db, Auth: a, Sessions: sessions, CSRF: csrf.New(csrf.Config{}),
		Types: types, RemoteUser: cfg.RemoteUser, BaseURL: cfg.BaseURL, AllowedHosts: g.Config().AllowedHosts,
		TwoFactor: cfg.TwoFactor, Templates: cfg.Templates, Static: cfg.Static, Storage: cfg.Storage, Logger: cfg.Logger,
		DeferChecks: cfg.deferChecks, RequestTimeout: cfg.RequestTimeout, TimeZoneFor: cfg.TimeZoneFor})
	if err != nil {
		return nil, err
	}
	if err := admin.RegisterAuth(site); err != nil {
		return nil, err
	}
	if p.Admin != nil {
		if err := p.Admin(site); err != nil {
			return nil, err
		}
	}
	mux := http.NewServeMux()
	mux.Handle(site.URL(), site)
	mux.Handle("/{$}", http.RedirectHandler(site.URL(), http.StatusFound))
	// Health checks come from load balancers, which often name the
	// machine by its address: they pass outside the guard's host check,
	// and read nothing but the database's answer.
	outer := http.NewServeMux()
	outer.Handle("GET "+HealthPath, healthHandler(db))
	outer.Handle("/", g.Handler(mux))
	return &App{DB: db, Auth: a, Sessions: sessions, Types: types, Site: site, Handler: outer, guard: g}, nil
}

// Migrate creates missing tables, then the content types and permissions
// of every model. It reports whether the database was new (had no user
// table before).
func (a *App) Migrate(ctx context.Context) (fresh bool, err error) {
	return a.MigrateReporting(ctx, nil)
}

// MigrateReporting is Migrate telling report, when not nil, how many
// schema changes have been made (see orm.DB.MigrateReporting).
func (a *App) MigrateReporting(ctx context.Context, report func(done, total int)) (fresh bool, err error) {
	existed, err := a.DB.HasTable(ctx, "auth_user")
	if err != nil {
		return false, err
	}
	if err := a.DB.MigrateReporting(ctx, report); err != nil {
		return false, err
	}
	if err := a.Auth.CreatePermissions(ctx); err != nil {
		return false, err
	}
	return !existed, nil
}

// Close closes the database.
func (a *App) Close() error { return a.DB.Close() }

// secretKey returns the secret key from STAFFROOM_SECRET_KEY, or from a
// file beside a SQLite database, made with a random key on first use.
// cmd names the command that needs it, for the message when there is none.
func secretKey(getenv func(string) string, cmd, dbURL string, stderr io.Writer) (string, error) {
	if k := getenv("STAFFROOM_SECRET_KEY"); k != "" {
		return k, nil
	}
	path, ok := sqlitePath(dbURL)
	if !ok {
		return "", fmt.Errorf("%s signs sessions and password reset links, so it needs a secret key: "+
			"set STAFFROOM_SECRET_KEY to a long random string, the same on every run "+
			"(e.g. STAFFROOM_SECRET_KEY=$(openssl rand -hex 32)); only a SQLite database keeps one beside its file", cmd)
	}
	keyFile := path + ".secret"
	if b, err := os.ReadFile(keyFile); err == nil {
		if k := strings.TrimSpace(string(b)); k != "" {
			return k, nil
		}
	}
	key, err := randomKey()
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(keyFile, []byte(key+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("staffroom: keep the secret key in %s: %w", keyFile, err)
	}
	fmt.Fprintf(stderr, "Made a new secret key in %s (keep it private; set STAFFROOM_SECRET_KEY to use another).\n", keyFile)
	return key, nil
}

// randomKey returns a new random secret key.
func randomKey() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("staffroom: make a secret key: %w", err)
	}
	return hex.EncodeToString(buf), nil
}

// fallbackKeys returns the older secret keys listed, comma-separated, in
// STAFFROOM_SECRET_KEY_FALLBACKS.
func fallbackKeys(getenv func(string) string) []string {
	var keys []string
	for _, k := range strings.Split(getenv("STAFFROOM_SECRET_KEY_FALLBACKS"), ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	return keys
}

// sqlitePath returns the file of a sqlite: URL.
func sqlitePath(dbURL string) (string, bool) {
	scheme, rest, ok := strings.Cut(dbURL, ":")
	if !ok || (scheme != "sqlite" && scheme != "sqlite3") {
		return "", false
	}
	rest = strings.TrimPrefix(rest, "//")
	if rest == "" || rest == ":memory:" {
		return "", false
	}
	if i := strings.IndexByte(rest, '?'); i >= 0 {
		rest = rest[:i]
	}
	return filepath.Clean(rest), true
}
