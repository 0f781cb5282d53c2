package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/staffroom/staffroom/internal/signing"
	"github.com/staffroom/staffroom/orm"
)

// dbEngine keeps sessions in the django_session table, as Django's db
// backend: the cookie holds a random key, the row the signed data.
type dbEngine struct{ st *Store }

func (e *dbEngine) validKey(key string) bool { return validKey(key) }

// load reads a live row and decodes it; found reports whether the row
// exists, even when its data turned out to be corrupted.
func (e *dbEngine) load(ctx context.Context, key string) (map[string]any, bool, error) {
	row, err := orm.Get[Session](ctx, orm.For[Session](e.st.db),
		orm.Q{"session_key": key, "expire_date__gt": time.Now()})
	if errors.Is(err, orm.ErrNotFound) {
		return map[string]any{}, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("session: load: %w", err)
	}
	return e.st.decode(ctx, row.SessionData), true, nil
}

func (e *dbEngine) save(ctx context.Context, key string, data map[string]any, expire time.Time) (string, error) {
	encoded, err := e.st.Encode(data)
	if err != nil {
		return "", err
	}
	if key != "" {
		return key, e.update(ctx, key, encoded, expire)
	}
	return e.create(ctx, encoded, expire)
}

// cycle moves the data to a new row and deletes the old one, at once.
func (e *dbEngine) cycle(ctx context.Context, old string, data map[string]any, expire time.Time) (string, error) {
	encoded, err := e.st.Encode(data)
	if err != nil {
		return "", err
	}
	var key string
	err = e.st.db.Atomic(ctx, func(ctx context.Context) error {
		var err error
		if key, err = e.create(ctx, encoded, expire); err != nil {
			return err
		}
		if err := e.st.moveInfo(ctx, old, key); err != nil {
			return err
		}
		if old != "" {
			return e.delete(ctx, old)
		}
		return nil
	})
	return key, err
}

// create inserts a row under a new random key and returns the key.
func (e *dbEngine) create(ctx context.Context, data string, expire time.Time) (string, error) {
	for range 8 {
		key := newKey()
		err := e.st.db.Insert(ctx, &Session{SessionKey: key, SessionData: data, ExpireDate: expire.UTC()})
		if err == nil {
			return key, nil
		}
		// With 36^32 keys a collision does not happen, but a key must never
		// be shared, so check before giving up or trying again.
		taken, xerr := orm.For[Session](e.st.db).Filter(orm.Q{"session_key": key}).Exists(ctx)
		if xerr != nil || !taken {
			return "", fmt.Errorf("session: create: %w", err)
		}
	}
	return "", errors.New("session: create: no unused key found")
}

// update rewrites the row of key; ErrInterrupted when it no longer exists.
func (e *dbEngine) update(ctx context.Context, key, data string, expire time.Time) error {
	err := e.st.db.Update(ctx, &Session{SessionKey: key, SessionData: data, ExpireDate: expire.UTC()})
	if errors.Is(err, orm.ErrNotFound) {
		return ErrInterrupted
	}
	if err != nil {
		return fmt.Errorf("session: save: %w", err)
	}
	return nil
}

// delete removes the row of key, if there is one, and its info.
func (e *dbEngine) delete(ctx context.Context, key string) error {
	return e.st.db.Atomic(ctx, func(ctx context.Context) error {
		if err := e.st.db.Delete(ctx, &Session{SessionKey: key}); err != nil {
			return fmt.Errorf("session: delete: %w", err)
		}
		return e.st.deleteInfo(ctx, key)
	})
}

// clearExpired deletes the rows whose expire_date has passed; live rows
// stay. It is one DELETE built from the model's metadata: nothing refers
// to sessions, so there is nothing to cascade to, and QuerySet.Delete
// would load every expired row first.
func (e *dbEngine) clearExpired(ctx context.Context) (int64, error) {
	d := e.st.db.Dialect()
	m := e.st.model
	f := m.Field("expire_date")
	query := "DELETE FROM " + d.Quote(m.Table) + " WHERE " + d.Quote(f.Column) + " < " + d.Placeholder(1)
	res, err := e.st.db.Exec(ctx, query, d.ToDB(f, time.Now().UTC()))
	if err != nil {
		return 0, fmt.Errorf("session: clear expired: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("session: clear expired: %w", err)
	}
	return n, nil
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
	if data, ok := st.decoded.get(s); ok {
		return data
	}
	raw, err := signing.Loads(s, st.keys, Salt, 0)
	if err == nil {
		var data map[string]any
		if data, err = decodeObject(raw); err == nil {
			st.decoded.put(s, data)
			return data
		}
	}
	// Django logs this on its "django.security.SuspiciousSession" logger.
	// The key is a credential, so it is not logged.
	st.log.WarnContext(ctx, "Session data corrupted",
		slog.String("logger", "django.security.SuspiciousSession"), slog.Any("error", err))
	return map[string]any{}
}

// decodedCache remembers what recent session_data strings decode to.
// Decoding (base64, the signature, zlib, JSON) is most of a session
// load's own time, and a session's data seldom changes between two
// requests. An entry is keyed by the whole signed string and holds
// exactly what decoding it gives with the store's keys, so it is the same
// on every server and nothing in it needs the database's agreement; the
// row is still read each time, for its expiry and its current data. Data
// changes the map it is given, so each caller gets a copy.
type decodedCache struct {
	mu sync.Mutex
	m  map[string]map[string]any
}

// decodedCacheSize bounds the cache: when it is full it starts again
// empty, which costs one decoding per active session.
const decodedCacheSize = 1024

func (c *decodedCache) get(s string) (map[string]any, bool) {
	c.mu.Lock()
	data, ok := c.m[s]
	c.mu.Unlock()
	if !ok {
		return nil, false
	}
	return cloneJSON(data).(map[string]any), true
}

func (c *decodedCache) put(s string, data map[string]any) {
	kept := cloneJSON(data).(map[string]any)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= decodedCacheSize {
		c.m = make(map[string]map[string]any)
	}
	c.m[s] = kept
	c.mu.Unlock()
}

// cloneJSON copies a decoded JSON value deeply: its objects and arrays
// are new, its strings, numbers, booleans and nulls shared.
func cloneJSON(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = cloneJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = cloneJSON(e)
		}
		return out
	}
	return v
}
