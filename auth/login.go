package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/session"
)

// SessionAuthHash returns Django's session auth hash of u under the
// current secret key: an HMAC-SHA256 of the password hash, so a password
// change ends every other session.
func (a *Auth) SessionAuthHash(u *User) string { return sessionAuthHash(u, a.secret) }

func sessionAuthHash(u *User, secret string) string {
	key := sha256.Sum256([]byte("django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash" + secret))
	mac := hmac.New(sha256.New, key[:])
	mac.Write([]byte(u.Password))
	return hex.EncodeToString(mac.Sum(nil))
}

// Login records u as the session's user, as Django's login does: a session
// that belonged to someone else is flushed, an anonymous one gets a new key
// (no fixation), the CSRF secret rotates, and last_login is updated.
//
// backend is the path Authenticate returned; "" is accepted only when a
// single backend is configured, which is then recorded.
func (a *Auth) Login(r *http.Request, u *User, backend string) error {
	ctx := r.Context()
	if backend == "" {
		if len(a.backends) != 1 {
			return errors.New("auth: login: several backends are configured: name the one that authenticated the user")
		}
		backend = a.backends[0].Path()
	}
	s := session.From(r)
	hash := a.SessionAuthHash(u)
	id := strconv.FormatInt(u.ID, 10)
	prevID := s.String(SessionUserID)
	if prevID != "" && (prevID != id || (s.String(SessionHash) != "" && !constantEqual(s.String(SessionHash), hash))) {
		if err := s.Flush(ctx); err != nil {
			return fmt.Errorf("auth: login: %w", err)
		}
	} else if prevID == "" {
		if err := s.CycleKey(ctx); err != nil {
			return fmt.Errorf("auth: login: %w", err)
		}
	}
	s.Set(SessionUserID, id)
	s.Set(SessionBackend, backend)
	s.Set(SessionHash, hash)
	s.SetInfo(id, a.clientAddress(r), r.UserAgent())
	csrf.Rotate(r)
	now := time.Now().UTC()
	u.LastLogin = &now
	if err := a.db.Update(ctx, u, "last_login"); err != nil {
		return fmt.Errorf("auth: login: %w", err)
	}
	if st := stateFrom(ctx); st != nil {
		st.set(u)
	}
	return nil
}

// Logout flushes the session, as Django's logout does.
func (a *Auth) Logout(r *http.Request) error {
	if st := stateFrom(r.Context()); st != nil {
		st.set(nil)
	}
	return session.From(r).Flush(r.Context())
}

// UpdateSessionAuthHash keeps the current session logged in after u's
// password changed (every other session of u stops being valid): a new
// session key and the new hash.
func (a *Auth) UpdateSessionAuthHash(r *http.Request, u *User) error {
	s := session.From(r)
	if err := s.CycleKey(r.Context()); err != nil {
		return err
	}
	if s.String(SessionUserID) == strconv.FormatInt(u.ID, 10) {
		s.Set(SessionHash, a.SessionAuthHash(u))
	}
	return nil
}

// Middleware makes the session's user available to handlers through
// UserFrom. The user is loaded on first use. It must run inside the
// session middleware; a request that already passed it is passed on.
func (a *Auth) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stateFrom(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		st := &userState{}
		r = r.WithContext(context.WithValue(r.Context(), userKey{}, st))
		st.load = func() *User { return a.userFromSession(r, st) }
		next.ServeHTTP(w, r)
	})
}

type userKey struct{}

type userState struct {
	once  sync.Once
	load  func() *User
	user  *User
	err   error // why the user could not be loaded: the database failed
	cache permCache
}

func (st *userState) get() *User {
	st.once.Do(func() { st.user = st.load() })
	return st.user
}

func (st *userState) set(u *User) {
	st.once.Do(func() {})
	st.user = u
}

func stateFrom(ctx context.Context) *userState {
	st, _ := ctx.Value(userKey{}).(*userState)
	return st
}

// LoadError reports why the request's user could not be loaded — the
// session or the user could not be read from the database —, or nil. A
// request whose user failed to load reads as anonymous; a caller about to
// send it to the login page should answer the error instead, since the
// user is most likely logged in.
func LoadError(ctx context.Context) error {
	st := stateFrom(ctx)
	if st == nil {
		return nil
	}
	st.get()
	return st.err
}

// UserFrom returns the logged-in user of a request handled by Middleware,
// or nil for an anonymous one.
func UserFrom(ctx context.Context) *User {
	if st := stateFrom(ctx); st != nil {
		return st.get()
	}
	return nil
}

// userFromSession is Django's get_user: the session's user when its backend
// is still configured and its auth hash still matches; otherwise the
// session is flushed and the request is anonymous. When the database
// fails, the request reads as anonymous too, and st.err says why (see
// LoadError).
func (a *Auth) userFromSession(r *http.Request, st *userState) *User {
	ctx := r.Context()
	s := session.From(r)
	idText := s.String(SessionUserID)
	if err := s.Err(); err != nil {
		st.err = fmt.Errorf("auth: load the session: %w", err)
		return nil
	}
	if idText == "" {
		return nil
	}
	id, err := strconv.ParseInt(idText, 10, 64)
	backend := a.backend(s.String(SessionBackend))
	if err != nil || backend == nil {
		return nil
	}
	u, err := backend.GetUser(ctx, id)
	if err != nil {
		a.log.ErrorContext(ctx, "auth: load session user", "err", err)
		st.err = fmt.Errorf("auth: load the session's user: %w", err)
		return nil
	}
	if u == nil {
		return nil
	}
	stored := s.String(SessionHash)
	if stored != "" && constantEqual(stored, a.SessionAuthHash(u)) {
		return u
	}
	for _, key := range a.fallback {
		if stored != "" && constantEqual(stored, sessionAuthHash(u, key)) {
			if err := s.CycleKey(ctx); err == nil {
				s.Set(SessionHash, a.SessionAuthHash(u))
				return u
			}
		}
	}
	if err := s.Flush(ctx); err != nil {
		a.log.ErrorContext(ctx, "auth: flush session", "err", err)
	}
	return nil
}
