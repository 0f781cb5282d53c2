package session

import (
	"context"
	"fmt"
	"time"

	"github.com/staffroom/staffroom/internal/signing"
)

// CookieSalt is the salt Django's signed_cookies engine signs sessions
// with.
const CookieSalt = "django.contrib.sessions.backends.signed_cookies"

// maxCookieSize is the size browsers are sure to keep; a larger session
// cookie is still sent, with a warning, since browsers may drop it.
const maxCookieSize = 4093

// cookieEngine keeps the whole session in the cookie, as Django's
// signed_cookies backend: the "key" is the signed, compressed JSON, with a
// timestamp; it is valid for the store's CookieAge.
type cookieEngine struct{ st *Store }

func (e *cookieEngine) validKey(key string) bool { return key != "" }

// load verifies the cookie. A bad or expired signature is simply no
// session, as in Django: nothing was stored that could be corrupted.
func (e *cookieEngine) load(ctx context.Context, key string) (map[string]any, bool, error) {
	raw, err := signing.Loads(key, e.st.keys, CookieSalt, e.st.cfg.CookieAge)
	if err != nil {
		return map[string]any{}, false, nil
	}
	data, err := decodeObject(raw)
	if err != nil {
		return map[string]any{}, false, nil
	}
	return data, true, nil
}

func (e *cookieEngine) save(ctx context.Context, key string, data map[string]any, expire time.Time) (string, error) {
	if data == nil {
		data = map[string]any{}
	}
	signed, err := signing.Dumps(data, e.st.cfg.SecretKey, CookieSalt, true)
	if err != nil {
		return "", fmt.Errorf("session: encode cookie: %w", err)
	}
	if len(signed) > maxCookieSize {
		e.st.log.WarnContext(ctx, "session: the signed session cookie may be too large for browsers", "bytes", len(signed))
	}
	return signed, nil
}

// cycle signs the data afresh: the old cookie cannot be revoked, but it
// no longer comes back from this browser.
func (e *cookieEngine) cycle(ctx context.Context, old string, data map[string]any, expire time.Time) (string, error) {
	return e.save(ctx, "", data, expire)
}

func (e *cookieEngine) delete(ctx context.Context, key string) error { return nil }

func (e *cookieEngine) clearExpired(ctx context.Context) (int64, error) {
	return 0, fmt.Errorf("%w: Session engine '%s' doesn't support clearing expired sessions", ErrClearExpiredUnsupported, SignedCookies.Path())
}
