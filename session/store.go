package session

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// Salt is the salt Django's database session store signs session data
// with: "django.contrib.sessions." plus the store's class name.
const Salt = "django.contrib.sessions.SessionStore"

// DefaultCookieAge is Django's SESSION_COOKIE_AGE: two weeks.
const DefaultCookieAge = 14 * 24 * time.Hour

// Key lengths. Keys are KeyLength characters; a key shorter than
// MinKeyLength (or longer than the column's MaxKeyLength) counts as no key.
const (
	KeyLength    = 32
	MinKeyLength = 8
	MaxKeyLength = 40
)

// keyChars are the characters of a session key, as Django's
// VALID_KEY_CHARS: lower-case ASCII letters and digits.
const keyChars = "abcdefghijklmnopqrstuvwxyz0123456789"

// ErrInterrupted is returned when saving a session whose row was deleted
// while the request ran, typically by a logout in another tab. The session
// is not written back, so the logout stands; the middleware answers 400 as
// Django's SessionInterrupted does.
var ErrInterrupted = errors.New("session: the session was deleted before the request completed")

// Engine chooses where a Store keeps session data, Django's SESSION_ENGINE.
type Engine string

// The engines.
const (
	// Database keeps the data in the django_session table and only the
	// key in the cookie (the default, "" works too).
	Database Engine = "db"
	// SignedCookies keeps the whole session in the cookie, signed (not
	// encrypted: visitors can read it) in Django's signed_cookies format.
	// Nothing is stored on the server, so a logout cannot revoke a copy of
	// the cookie taken before it, and the admin cannot list sessions.
	SignedCookies Engine = "signed_cookies"
)

// Path returns Django's dotted path of the engine, as Django names it in
// messages.
func (e Engine) Path() string {
	if e == SignedCookies {
		return "django.contrib.sessions.backends.signed_cookies"
	}
	return "django.contrib.sessions.backends.db"
}

// Config configures a Store. Only SecretKey is required.
type Config struct {
	// Engine chooses where sessions live; default Database.
	Engine Engine
	// SecretKey signs session data; Django's SECRET_KEY. Required.
	SecretKey string
	// FallbackKeys are older secrets still accepted when reading session
	// data, never used to write it; Django's SECRET_KEY_FALLBACKS.
	FallbackKeys []string
	// CookieName is the name of the cookie holding the key; default "sessionid".
	CookieName string
	// CookieAge is how long a session lives without a custom expiry;
	// default DefaultCookieAge (two weeks).
	CookieAge time.Duration
	// CookieSecure sets the Secure flag on the cookie. It is also set on
	// responses to requests that arrived over TLS.
	CookieSecure bool
	// CookiePath is the cookie's path; default "/".
	CookiePath string
	// CookieDomain is the cookie's domain; default none (this host only).
	CookieDomain string
	// ExpireAtBrowserClose makes sessions without a custom expiry last only
	// until the browser closes (a cookie without Max-Age), as Django's
	// SESSION_EXPIRE_AT_BROWSER_CLOSE. Their rows still expire after
	// CookieAge.
	ExpireAtBrowserClose bool
	// Logger receives warnings about corrupted session data and errors
	// while loading or saving; default slog.Default().
	Logger *slog.Logger
}

// Store reads and writes sessions with the configured engine. It is safe
// for concurrent use.
type Store struct {
	db    *orm.DB    // nil for SignedCookies
	model *orm.Model // the session model, for Database
	// info is true when the Database engine records Info rows (InfoApp is
	// registered); infoModel is their model.
	info      bool
	infoModel *orm.Model
	cfg       Config
	keys      []string // SecretKey, then FallbackKeys
	log       *slog.Logger
	engine    engine
	decoded   decodedCache // the Database engine's, see decode
}

// engine is where a Store keeps session data.
type engine interface {
	// validKey reports whether a cookie value can name a session at all.
	validKey(key string) bool
	// load returns the live session of key; found is false when there is
	// none (unknown, expired or unreadable), err only for a failure.
	load(ctx context.Context, key string) (data map[string]any, found bool, err error)
	// save stores data under key (a new key when key is "") and returns
	// the key the cookie must carry from now on.
	save(ctx context.Context, key string, data map[string]any, expire time.Time) (string, error)
	// cycle stores data under a new key and forgets the old one.
	cycle(ctx context.Context, old string, data map[string]any, expire time.Time) (string, error)
	// delete forgets key.
	delete(ctx context.Context, key string) error
	// clearExpired removes expired sessions and reports how many.
	clearExpired(ctx context.Context) (int64, error)
}

// ErrClearExpiredUnsupported is returned by ClearExpired for an engine
// that keeps nothing on the server.
var ErrClearExpiredUnsupported = errors.New("session: the engine cannot clear expired sessions")

// NewStore returns a store for the configured engine. The Database engine
// needs db, whose registry must hold App; SignedCookies needs no database
// (db may be nil). It fails when cfg.SecretKey is empty.
func NewStore(db *orm.DB, cfg Config) (*Store, error) {
	if cfg.SecretKey == "" {
		return nil, errors.New("session: new store: SecretKey is required")
	}
	if cfg.Engine == "" {
		cfg.Engine = Database
	}
	if cfg.CookieName == "" {
		cfg.CookieName = "sessionid"
	}
	if cfg.CookieAge <= 0 {
		cfg.CookieAge = DefaultCookieAge
	}
	if cfg.CookiePath == "" {
		cfg.CookiePath = "/"
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	keys := append([]string{cfg.SecretKey}, cfg.FallbackKeys...)
	st := &Store{db: db, cfg: cfg, keys: keys, log: cfg.Logger}
	switch cfg.Engine {
	case Database:
		if db == nil {
			return nil, errors.New("session: new store: the database engine needs a database")
		}
		m, err := db.Registry().ModelOf(Session{})
		if err != nil {
			return nil, fmt.Errorf("session: new store: register session.App() with the registry: %w", err)
		}
		st.model, st.engine = m, &dbEngine{st}
		if im, err := db.Registry().ModelOf(Info{}); err == nil {
			st.info, st.infoModel = true, im
		}
	case SignedCookies:
		st.engine = &cookieEngine{st}
	default:
		return nil, fmt.Errorf("session: new store: unknown engine %q", cfg.Engine)
	}
	return st, nil
}

// DB returns the store's database (nil for SignedCookies).
func (st *Store) DB() *orm.DB { return st.db }

// Engine returns the store's engine.
func (st *Store) Engine() Engine { return st.cfg.Engine }

// CookieName returns the name of the session cookie.
func (st *Store) CookieName() string { return st.cfg.CookieName }

// Session returns the session with the given key (typically taken from a
// cookie), loaded when first used. ctx is kept for that load. An invalid,
// unknown or expired key gives an empty session that gets a new key when
// saved. The middleware calls it for each request; other code can use it
// with Data.Save to prepare or inspect sessions.
func (st *Store) Session(ctx context.Context, key string) *Data {
	if !st.engine.validKey(key) {
		key = ""
	}
	return &Data{store: st, ctx: ctx, key: key}
}

// validKey reports whether key can name a database session at all.
func validKey(key string) bool {
	return len(key) >= MinKeyLength && len(key) <= MaxKeyLength
}

// newKey returns a random key of KeyLength characters from keyChars.
func newKey() string {
	const limit = 256 - 256%len(keyChars) // reject bytes that would bias the result
	out := make([]byte, 0, KeyLength)
	buf := make([]byte, KeyLength+8)
	for len(out) < KeyLength {
		rand.Read(buf) // never fails: the runtime aborts instead
		for _, b := range buf {
			if int(b) < limit && len(out) < KeyLength {
				out = append(out, keyChars[int(b)%len(keyChars)])
			}
		}
	}
	return string(out)
}

// Load returns the decoded data of the live session with the given key: an
// empty map when there is no such session, when it has expired or when its
// data is corrupted. Only a database failure is an error.
func (st *Store) Load(ctx context.Context, key string) (map[string]any, error) {
	if !st.engine.validKey(key) {
		return map[string]any{}, nil
	}
	data, _, err := st.engine.load(ctx, key)
	if err != nil {
		return nil, err
	}
	return data, nil
}

// Delete ends the session with the given key, wherever the request that
// uses it runs: its row goes (with the SignedCookies engine there is none,
// so nothing can end it early).
func (st *Store) Delete(ctx context.Context, key string) error {
	if !st.engine.validKey(key) {
		return nil
	}
	return st.engine.delete(ctx, key)
}

// ClearExpired deletes the sessions whose expiry date has passed and
// returns how many went; the clearsessions command calls it. An engine
// that stores nothing returns ErrClearExpiredUnsupported.
func (st *Store) ClearExpired(ctx context.Context) (int64, error) {
	n, err := st.engine.clearExpired(ctx)
	if err != nil {
		return n, err
	}
	return n, st.clearOrphanInfo(ctx)
}

// decodeJSON decodes one JSON document keeping numbers as json.Number, so
// integers of any size survive a round trip.
func decodeJSON(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// decodeObject turns signed JSON into session data.
func decodeObject(raw []byte) (map[string]any, error) {
	var data map[string]any
	if err := decodeJSON(raw, &data); err != nil {
		return nil, err
	}
	if data == nil {
		return nil, errors.New("session data is not a JSON object")
	}
	return data, nil
}
