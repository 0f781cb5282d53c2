package session

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"sync"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// ExpiryKey is the session key holding a custom expiry, as Django names it:
// whole seconds of inactivity (0 for "at browser close") or an ISO 8601
// date and time.
const ExpiryKey = "_session_expiry"

// errNoStore is returned by operations that need a database from a session
// made outside the middleware.
var errNoStore = errors.New("session: no store: the request did not pass through session middleware")

// Data is one request's session, Django's request.session. It is loaded
// from the database the first time it is used, and is safe for use by the
// goroutines of one request.
type Data struct {
	store *Store
	// ctx is the request's context, kept because the session is loaded
	// lazily by accessors that take none.
	ctx context.Context

	mu       sync.Mutex
	key      string // "" until the session has a row
	values   map[string]any
	loaded   bool
	accessed bool
	modified bool
	err      error // why loading failed, if it did
	info     *Info // to record at the next save (SetInfo)
}

// fresh returns an empty session bound to no store.
func fresh() *Data {
	return &Data{ctx: context.Background(), values: map[string]any{}, loaded: true}
}

// load reads the session once; the caller holds s.mu. Every use of the
// data counts as an access, as in Django.
func (s *Data) load() {
	s.accessed = true
	if s.loaded {
		return
	}
	s.loaded = true
	s.values = map[string]any{}
	if s.key == "" || s.store == nil {
		return
	}
	values, found, err := s.store.engine.load(s.ctx, s.key)
	switch {
	case err != nil:
		// The session is unusable for this request, but it is kept: the
		// middleware will neither save it nor delete its cookie.
		s.err = err
		s.store.log.ErrorContext(s.ctx, "session: load failed", "error", err)
	case !found:
		s.key = "" // unknown or expired: a new key is made on save
	default:
		s.values = values
	}
}

// Key returns the session key, or "" when the session has no row yet.
func (s *Data) Key() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.key
}

// Err reports why the session could not be loaded (a database failure), or
// nil. Such a session reads as empty and is never saved.
func (s *Data) Err() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.err
}

// Get returns the value stored under key. Maps and slices in the result
// are the session's own: change them through Set.
func (s *Data) Get(key string) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	v, ok := s.values[key]
	return v, ok
}

// String returns the string stored under key, or "" when there is none or
// the value is not a string.
func (s *Data) String(key string) string {
	v, _ := s.Get(key)
	str, _ := v.(string)
	return str
}

// Int returns the integer stored under key, whether it was set in this
// request or read back from the database as a json.Number. ok is false when
// there is no value or it is not a whole number.
func (s *Data) Int(key string) (n int64, ok bool) {
	v, _ := s.Get(key)
	return toInt(v)
}

// Set stores v under key and marks the session modified. v must be
// JSON-compatible; the save fails otherwise.
func (s *Data) Set(key string, v any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	s.values[key] = v
	s.modified = true
}

// Delete removes key, marking the session modified if it was there.
func (s *Data) Delete(key string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	if _, ok := s.values[key]; ok {
		delete(s.values, key)
		s.modified = true
	}
}

// Keys returns the keys the session holds, in no particular order.
func (s *Data) Keys() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	keys := make([]string, 0, len(s.values))
	for k := range s.values {
		keys = append(keys, k)
	}
	return keys
}

// Modified reports whether the session changed in this request.
func (s *Data) Modified() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.modified
}

// Accessed reports whether the session was used in this request; the
// response then varies with the Cookie header.
func (s *Data) Accessed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.accessed
}

// IsEmpty reports whether the session has neither a key nor data, without
// loading it (an unloaded session with a key is not empty).
func (s *Data) IsEmpty() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.isEmpty()
}

func (s *Data) isEmpty() bool { return s.key == "" && len(s.values) == 0 }

// Flush clears the data and deletes the session's row; the key becomes ""
// and a new one is made if the session is saved again. The middleware then
// deletes the cookie. Logout uses it.
func (s *Data) Flush(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values = map[string]any{}
	s.loaded, s.accessed, s.modified = true, true, true
	s.info = nil
	key := s.key
	s.key = ""
	if key == "" || s.store == nil {
		return nil
	}
	return s.store.engine.delete(ctx, key)
}

// CycleKey moves the data to a new key at once and deletes the old row, so
// a key known before a login is worthless after it. SignedCookies simply
// signs the data afresh.
func (s *Data) CycleKey(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	if s.store == nil {
		return errNoStore
	}
	if s.err != nil {
		return s.err
	}
	key, err := s.store.engine.cycle(ctx, s.key, s.values, s.expiryDate(time.Now()))
	if err != nil {
		return err
	}
	s.key, s.modified = key, true
	return s.recordInfo(ctx, key)
}

// Save writes the session now (for SignedCookies: signs it into a new
// key), under a new key when it has none, with its expiry date recomputed. The middleware calls it; handlers
// need not. It returns ErrInterrupted when the row was deleted meanwhile.
func (s *Data) Save(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	if s.store == nil {
		return errNoStore
	}
	if s.err != nil {
		return s.err
	}
	key, err := s.store.engine.save(ctx, s.key, s.values, s.expiryDate(time.Now()))
	if err != nil {
		return err
	}
	if key != s.key {
		s.key, s.modified = key, true
	}
	return s.recordInfo(ctx, key)
}

// SetExpiry sets how many seconds of inactivity end the session (Django's
// set_expiry with an int). 0 means when the browser closes: the cookie then
// has no Max-Age, while the row keeps the store's default age.
func (s *Data) SetExpiry(seconds int) {
	s.Set(ExpiryKey, seconds)
}

// SetExpiryAt makes the session end at a fixed moment (Django's set_expiry
// with a datetime, stored as an ISO 8601 string).
func (s *Data) SetExpiryAt(t time.Time) {
	layout := "2006-01-02T15:04:05-07:00"
	if t.Nanosecond()/1000 != 0 {
		layout = "2006-01-02T15:04:05.000000-07:00"
	}
	s.Set(ExpiryKey, t.Format(layout))
}

// ExpiryAge returns the session's remaining life in seconds, counted from
// now: the custom expiry if one is set, otherwise the store's cookie age.
func (s *Data) ExpiryAge() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.expiryAge(time.Now())
}

// ExpiryDate returns the moment the session expires if saved now.
func (s *Data) ExpiryDate() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	return s.expiryDate(time.Now())
}

// ExpireAtBrowserClose reports whether the cookie should last only until
// the browser closes: a custom expiry of 0, or, without a custom expiry,
// the store's ExpireAtBrowserClose setting.
func (s *Data) ExpireAtBrowserClose() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.load()
	v, ok := s.values[ExpiryKey]
	if !ok || v == nil {
		return s.store != nil && s.store.cfg.ExpireAtBrowserClose
	}
	n, isInt := toInt(v)
	return isInt && n == 0
}

func (s *Data) defaultAge() time.Duration {
	if s.store == nil {
		return DefaultCookieAge
	}
	return s.store.cfg.CookieAge
}

// expiryKind tells the custom expiries apart.
type expiryKind int

const (
	noExpiry       expiryKind = iota // the store's default age
	relativeExpiry                   // seconds of inactivity
	absoluteExpiry                   // a fixed moment
)

// customExpiry interprets the stored expiry.
func (s *Data) customExpiry() (seconds int64, at time.Time, kind expiryKind) {
	switch v := s.values[ExpiryKey].(type) {
	case nil:
		return 0, time.Time{}, noExpiry
	case string:
		t, err := orm.ParseDateTime(v)
		if err != nil {
			return 0, time.Time{}, noExpiry
		}
		return 0, t, absoluteExpiry
	default:
		n, ok := toInt(v)
		if !ok || n == 0 {
			return 0, time.Time{}, noExpiry
		}
		return n, time.Time{}, relativeExpiry
	}
}

func (s *Data) expiryAge(now time.Time) int {
	seconds, at, kind := s.customExpiry()
	switch kind {
	case relativeExpiry:
		return int(seconds)
	case absoluteExpiry:
		return int(math.Floor(at.Sub(now).Seconds()))
	}
	return int(s.defaultAge() / time.Second)
}

func (s *Data) expiryDate(now time.Time) time.Time {
	seconds, at, kind := s.customExpiry()
	switch kind {
	case relativeExpiry:
		return now.Add(time.Duration(seconds) * time.Second)
	case absoluteExpiry:
		return at
	}
	return now.Add(s.defaultAge())
}

// toInt reads a whole number from the types a session value may have.
func toInt(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int64:
		return x, true
	case int32:
		return int64(x), true
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n, true
		}
		f, err := x.Float64()
		if err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return int64(f), true
		}
	case float64:
		if x == math.Trunc(x) && math.Abs(x) < 1<<53 {
			return int64(x), true
		}
	}
	return 0, false
}
