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

	"github.com/staffroom/staffroom/internal/signing"
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

// Config configures a Store. Only SecretKey is required.
type Config struct {
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

// Store reads and writes sessions in the django_session table of one
// database. It is safe for concurrent use.
type Store struct {
	db    *orm.DB
	model *orm.Model
	cfg   Config
	keys  []string // SecretKey, then FallbackKeys
	log   *slog.Logger
}

// NewStore returns a store for db, whose registry must hold App. It fails
// when cfg.SecretKey is empty.
func NewStore(db *orm.DB, cfg Config) (*Store, error) {
	if db == nil {
		return nil, errors.New("session: new store: no database")
	}
	if cfg.SecretKey == "" {
		return nil, errors.New("session: new store: SecretKey is required")
	}
	m, err := db.Registry().ModelOf(Session{})
	if err != nil {
		return nil, fmt.Errorf("session: new store: register session.App() with the registry: %w", err)
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
	return &Store{db: db, model: m, cfg: cfg, keys: keys, log: cfg.Logger}, nil
}

// DB returns the store's database.
func (st *Store) DB() *orm.DB { return st.db }

// CookieName returns the name of the session cookie.
func (st *Store) CookieName() string { return st.cfg.CookieName }

// Session returns the session with the given key (typically taken from a
// cookie), loaded from the database when first used. ctx is kept for that
// load. An invalid, unknown or expired key gives an empty session that gets
// a new key when saved. The middleware calls it for each request; other
// code can use it with Data.Save to prepare or inspect sessions.
func (st *Store) Session(ctx context.Context, key string) *Data {
	if !validKey(key) {
		key = ""
	}
	return &Data{store: st, ctx: ctx, key: key}
}

// validKey reports whether key can name a session at all.
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
// empty map when there is no such row, when it has expired or when its data
// is corrupted. Only a database failure is an error.
func (st *Store) Load(ctx context.Context, key string) (map[string]any, error) {
	if !validKey(key) {
		return map[string]any{}, nil
	}
	data, _, err := st.load(ctx, key)
	if err != nil {
		return nil, err
	}
	return data, nil
}

// load reads a live row and decodes it; found reports whether the row
// exists, even when its data turned out to be corrupted.
func (st *Store) load(ctx context.Context, key string) (data map[string]any, found bool, err error) {
	row, err := orm.Get[Session](ctx, orm.For[Session](st.db),
		orm.Q{"session_key": key, "expire_date__gt": time.Now()})
	if errors.Is(err, orm.ErrNotFound) {
		return map[string]any{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("session: load: %w", err)
	}
	return st.decode(ctx, row.SessionData), true, nil
}

// Encode signs and encodes data as Django stores it in session_data:
// compact JSON, compressed when that helps, in a timestamped signature made
// with the secret key and Salt.
func (st *Store) Encode(data map[string]any) (string, error) {
	if data == nil {
		data = map[string]any{}
	}
	s, err := signing.Dumps(data, st.cfg.SecretKey, Salt, true)
	if err != nil {
		return "", fmt.Errorf("session: encode: %w", err)
	}
	return s, nil
}

// Decode verifies and decodes session_data written by Encode or by Django,
// accepting the secret key and the fallback keys. Data that fails to decode
// gives an empty map and a "Session data corrupted" warning in the log.
// Numbers come back as json.Number.
func (st *Store) Decode(s string) map[string]any {
	return st.decode(context.Background(), s)
}

func (st *Store) decode(ctx context.Context, s string) map[string]any {
	raw, err := signing.Loads(s, st.keys, Salt, 0)
	if err == nil {
		var data map[string]any
		if err = decodeJSON(raw, &data); err == nil && data != nil {
			return data
		}
		if err == nil {
			err = errors.New("session data is not a JSON object")
		}
	}
	// Django logs this on its "django.security.SuspiciousSession" logger.
	// The key is a credential, so it is not logged.
	st.log.WarnContext(ctx, "Session data corrupted",
		slog.String("logger", "django.security.SuspiciousSession"), slog.Any("error", err))
	return map[string]any{}
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

// create inserts a row under a new random key and returns the key.
func (st *Store) create(ctx context.Context, data string, expire time.Time) (string, error) {
	for range 8 {
		key := newKey()
		err := st.db.Insert(ctx, &Session{SessionKey: key, SessionData: data, ExpireDate: expire.UTC()})
		if err == nil {
			return key, nil
		}
		// With 36^32 keys a collision does not happen, but a key must never
		// be shared, so check before giving up or trying again.
		taken, xerr := orm.For[Session](st.db).Filter(orm.Q{"session_key": key}).Exists(ctx)
		if xerr != nil || !taken {
			return "", fmt.Errorf("session: create: %w", err)
		}
	}
	return "", errors.New("session: create: no unused key found")
}

// update rewrites the row of key; ErrInterrupted when it no longer exists.
func (st *Store) update(ctx context.Context, key, data string, expire time.Time) error {
	err := st.db.Update(ctx, &Session{SessionKey: key, SessionData: data, ExpireDate: expire.UTC()})
	if errors.Is(err, orm.ErrNotFound) {
		return ErrInterrupted
	}
	if err != nil {
		return fmt.Errorf("session: save: %w", err)
	}
	return nil
}

// delete removes the row of key, if there is one.
func (st *Store) delete(ctx context.Context, key string) error {
	if err := st.db.Delete(ctx, &Session{SessionKey: key}); err != nil {
		return fmt.Errorf("session: delete: %w", err)
	}
	return nil
}

// ClearExpired deletes the rows whose expire_date has passed and returns
// how many went; the clearsessions command calls it.
func (st *Store) ClearExpired(ctx context.Context) (int64, error) {
	// The orm has no bulk delete on a query set yet, so the statement is
	// built here, from the model's metadata and the dialect. Nothing refers
	// to sessions, so there is nothing to cascade to.
	d := st.db.Dialect()
	f := st.model.Field("expire_date")
	query := "DELETE FROM " + d.Quote(st.model.Table) + " WHERE " + d.Quote(f.Column) + " < " + d.Placeholder(1)
	res, err := st.db.Exec(ctx, query, d.ToDB(f, time.Now().UTC()))
	if err != nil {
		return 0, fmt.Errorf("session: clear expired: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("session: clear expired: %w", err)
	}
	return n, nil
}
