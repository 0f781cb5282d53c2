package auth

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// The session keys that hold the logged-in user, as Django names them.
const (
	SessionUserID  = "_auth_user_id"
	SessionBackend = "_auth_user_backend"
	SessionHash    = "_auth_user_hash"
)

// Config configures an Auth.
type Config struct {
	DB    *orm.DB
	Types *contenttype.Types
	// SecretKey keys the session auth hash; FallbackKeys are older keys
	// still accepted.
	SecretKey    string
	FallbackKeys []string
	// Hashers hash and check passwords; the first is preferred. Default:
	// DefaultPasswordHashers().
	Hashers PasswordHashers
	// Backends authenticate users and grant permissions, tried in order.
	// Default: a ModelBackend.
	Backends []Backend
	// Throttle tunes login throttling, on by default; it needs ThrottleApp
	// registered.
	Throttle ThrottleConfig
	// Mail delivers password reset mails; default: a ConsoleSender on
	// standard output. MailFrom is their sender (default
	// DefaultFromEmail).
	Mail     Sender
	MailFrom string
	// PasswordResetTimeout is how long reset links work; default
	// DefaultPasswordResetTimeout (three days).
	PasswordResetTimeout time.Duration
	// PasswordValidators check new passwords in the views and commands
	// that set them. Nil means DefaultPasswordValidators(); an empty,
	// non-nil slice checks nothing.
	PasswordValidators []PasswordValidator
	Logger             *slog.Logger
}

// Auth authenticates users, keeps them logged in through the session and
// answers permission questions.
type Auth struct {
	db       *orm.DB
	types    *contenttype.Types
	secret   string
	fallback []string
	hashers  PasswordHashers
	backends []Backend
	validate []PasswordValidator
	throttle *throttle
	tokens   TokenGenerator
	mail     Sender
	mailFrom string
	log      *slog.Logger
	// twoFactor is set when the two-factor tables are registered.
	twoFactor bool
	now       func() time.Time
}

// New checks the configuration and returns an Auth.
func New(cfg Config) (*Auth, error) {
	if cfg.DB == nil {
		return nil, errors.New("auth: Config.DB is required")
	}
	if cfg.SecretKey == "" {
		return nil, errors.New("auth: Config.SecretKey is required")
	}
	a := &Auth{db: cfg.DB, types: cfg.Types, secret: cfg.SecretKey, fallback: cfg.FallbackKeys,
		hashers: cfg.Hashers, backends: cfg.Backends, validate: cfg.PasswordValidators, log: cfg.Logger, now: time.Now}
	if _, err := cfg.DB.Registry().ModelOf(TOTPDevice{}); err == nil {
		a.twoFactor = true
	}
	if a.validate == nil {
		a.validate = DefaultPasswordValidators()
	}
	a.tokens = TokenGenerator{SecretKey: cfg.SecretKey, FallbackKeys: cfg.FallbackKeys, Timeout: cfg.PasswordResetTimeout}
	a.mail, a.mailFrom = cfg.Mail, cfg.MailFrom
	if a.mail == nil {
		a.mail = &ConsoleSender{W: os.Stdout}
	}
	if a.mailFrom == "" {
		a.mailFrom = DefaultFromEmail
	}
	if a.types == nil {
		a.types = contenttype.New(cfg.DB)
	}
	if len(a.hashers) == 0 {
		a.hashers = DefaultPasswordHashers()
	}
	if a.log == nil {
		a.log = slog.Default()
	}
	if len(a.backends) == 0 {
		a.backends = []Backend{&ModelBackend{}}
	}
	if !cfg.Throttle.Disabled {
		if _, err := cfg.DB.Registry().ModelOf(LoginThrottle{}); err != nil {
			return nil, fmt.Errorf("auth: login throttling needs auth.ThrottleApp() registered (or Throttle.Disabled): %w", err)
		}
		a.throttle = &throttle{db: cfg.DB, cfg: cfg.Throttle.withDefaults(), secret: cfg.SecretKey, now: time.Now}
	}
	seen := map[string]bool{}
	for _, b := range a.backends {
		if seen[b.Path()] {
			return nil, fmt.Errorf("auth: backend %s is configured twice", b.Path())
		}
		seen[b.Path()] = true
		registerBackend(b)
		if d, ok := b.(defaulter); ok {
			d.setDefaults(cfg.DB, a.hashers)
		}
	}
	return a, nil
}

// DB returns the database users live in.
func (a *Auth) DB() *orm.DB { return a.db }

// Hashers returns the configured password hashers.
func (a *Auth) Hashers() PasswordHashers { return a.hashers }

// Authenticate asks each configured backend in turn to accept the
// credentials, as Django's authenticate(): a backend that does not take
// credentials of this shape is skipped, the first user one returns wins,
// and a backend answering ErrPermissionDenied ends the search with no
// user. It returns the user and the path of the backend that accepted it
// (give both to Login), or nil and "" when nobody was authenticated, which
// is logged with the secret credentials masked. r may be nil.
//
// Credentials with a password are throttled (see ThrottleConfig): while
// r's client address, or the username from it, is cooling off, the error
// is a *ThrottledError and no backend is asked.
func (a *Auth) Authenticate(ctx context.Context, r *http.Request, c Credentials) (*User, string, error) {
	var keys []throttleKey
	if a.throttle != nil && c.Has(CredentialPassword) {
		keys = a.throttle.keys(r, c)
	}
	if len(keys) > 0 {
		wait, err := a.throttle.attempt(ctx, keys)
		if err != nil {
			return nil, "", err
		}
		if wait > 0 {
			a.log.WarnContext(ctx, "auth: login throttled", "credentials", c.Cleansed(), "retry_after", wait)
			return nil, "", &ThrottledError{RetryAfter: wait}
		}
	}
	u, path, err := a.authenticate(ctx, r, c)
	if err == nil && u != nil && len(keys) > 0 {
		err = a.throttle.succeeded(ctx, keys)
	}
	if err != nil {
		return nil, "", err
	}
	return u, path, nil
}

// authenticate runs the backends.
func (a *Auth) authenticate(ctx context.Context, r *http.Request, c Credentials) (*User, string, error) {
	for _, b := range a.backends {
		if !b.Accepts(c) {
			continue
		}
		u, err := b.Authenticate(ctx, r, c)
		if errors.Is(err, ErrPermissionDenied) {
			break
		}
		if err != nil {
			return nil, "", fmt.Errorf("auth: authenticate (%s): %w", b.Path(), err)
		}
		if u != nil {
			return u, b.Path(), nil
		}
	}
	a.log.InfoContext(ctx, "auth: login failed", "credentials", c.Cleansed())
	return nil, "", nil
}

// ClearStaleThrottles deletes the throttling counts that no longer hold
// anyone back and reports how many; the clearsessions command calls it.
func (a *Auth) ClearStaleThrottles(ctx context.Context) (int64, error) {
	if a.throttle == nil {
		return 0, nil
	}
	return a.throttle.clearStale(ctx)
}

// Backends returns the configured backends, in order.
func (a *Auth) Backends() []Backend { return append([]Backend(nil), a.backends...) }

// SetPassword hashes raw with the preferred hasher into u.Password; the
// caller saves u.
func (a *Auth) SetPassword(u *User, raw string) error {
	h, err := a.hashers.Make(raw)
	if err != nil {
		return err
	}
	u.Password = h
	return nil
}

// ValidatePassword runs the configured password validators on a new
// password for u (which may be nil or not saved yet); the error is a
// *PasswordError listing every failed rule.
func (a *Auth) ValidatePassword(password string, u *User) error {
	return ValidatePassword(password, u, a.validate)
}

// PasswordHelpTexts returns the configured validators' help texts.
func (a *Auth) PasswordHelpTexts() []string { return PasswordHelpTexts(a.validate) }

func (a *Auth) backend(path string) Backend {
	for _, b := range a.backends {
		if b.Path() == path {
			return b
		}
	}
	return nil
}

func constantEqual(x, y string) bool {
	return subtle.ConstantTimeCompare([]byte(x), []byte(y)) == 1
}

// sessionBackend returns the configured backend the request's session was
// logged in with, or nil.
func (a *Auth) sessionBackend(r *http.Request) Backend {
	return a.backend(session.From(r).String(SessionBackend))
}
