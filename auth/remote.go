package auth

import (
	"net/http"
	"net/textproto"
)

// DefaultRemoteUserHeader is the header RemoteUserMiddleware reads by
// default, named after the REMOTE_USER variable of CGI servers.
const DefaultRemoteUserHeader = "REMOTE_USER"

// RemoteUserConfig configures RemoteUserMiddleware.
type RemoteUserConfig struct {
	// Header names the request header that holds the name the front-end
	// server authenticated; default DefaultRemoteUserHeader. The front end
	// must set it on every request and drop any copy a client sends,
	// otherwise anyone can claim any name.
	Header string
	// Persistent keeps a user logged in when a request arrives without the
	// header, for sites where only the login page sits behind the
	// front end's authentication (Django's PersistentRemoteUserMiddleware).
	// By default such a request logs out a user that a remote-user backend
	// logged in.
	Persistent bool
}

// remoteUserBackend is implemented by RemoteUserBackend and every backend
// embedding it (Django's isinstance check).
type remoteUserBackend interface {
	Clean(remoteUser string) string
	remoteUser()
}

func (b *RemoteUserBackend) remoteUser() {}

// RemoteUserMiddleware logs in the user a front-end server names in a
// header, Django's RemoteUserMiddleware. It must run inside the session
// middleware and Middleware, and the configured backends must include a
// RemoteUserBackend (or one embedding it). A request naming another user
// than the logged-in one logs that one out first (when a remote-user
// backend logged them in) and authenticates the new name.
func (a *Auth) RemoteUserMiddleware(cfg RemoteUserConfig) func(http.Handler) http.Handler {
	header := textproto.CanonicalMIMEHeaderKey(cfg.Header)
	if cfg.Header == "" {
		header = textproto.CanonicalMIMEHeaderKey(DefaultRemoteUserHeader)
	}
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if err := a.remoteUser(r, header, cfg.Persistent); err != nil {
				a.log.ErrorContext(r.Context(), "auth: remote user", "err", err)
				http.Error(w, "Server error", http.StatusInternalServerError)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// remoteUser applies the header to the request's session.
func (a *Auth) remoteUser(r *http.Request, header string, persistent bool) error {
	values, present := r.Header[header]
	current := UserFrom(r.Context())
	if !present {
		if current != nil && !persistent {
			return a.removeRemoteUser(r)
		}
		return nil
	}
	name := ""
	if len(values) > 0 {
		name = values[0]
	}
	if current != nil {
		if current.Username == a.cleanRemote(r, name) {
			return nil
		}
		if err := a.removeRemoteUser(r); err != nil {
			return err
		}
	}
	u, backend, err := a.Authenticate(r.Context(), r, RemoteUserCredentials(name))
	if err != nil || u == nil {
		return err
	}
	return a.Login(r, u, backend)
}

// cleanRemote cleans a remote name with the session's backend, when it is
// a remote-user backend.
func (a *Auth) cleanRemote(r *http.Request, name string) string {
	if b, ok := a.sessionBackend(r).(remoteUserBackend); ok {
		return b.Clean(name)
	}
	return name
}

// removeRemoteUser logs out a user that a remote-user backend logged in,
// or whose backend is no longer configured.
func (a *Auth) removeRemoteUser(r *http.Request) error {
	b := a.sessionBackend(r)
	if _, remote := b.(remoteUserBackend); b == nil || remote {
		return a.Logout(r)
	}
	return nil
}
