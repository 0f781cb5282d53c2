package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/staffroom/staffroom/orm"
)

// The remote-user backends' names in sessions, Django's dotted paths.
const (
	RemoteUserBackendPath              = "django.contrib.auth.backends.RemoteUserBackend"
	AllowAllUsersRemoteUserBackendPath = "django.contrib.auth.backends.AllowAllUsersRemoteUserBackend"
)

// RemoteUserBackend trusts the user name that a front-end server (single
// sign-on, a proxy doing client certificates or Kerberos) has already
// authenticated and passes on, Django's RemoteUserBackend. It takes
// RemoteUserCredentials only; RemoteUserMiddleware feeds it. Permissions
// are ModelBackend's. Inactive users are refused.
type RemoteUserBackend struct {
	ModelBackend
	// CreateUnknownUser makes a user (with an unusable password) for a
	// remote name that has none yet. NewRemoteUserBackend sets it, as
	// Django does by default.
	CreateUnknownUser bool
	// CleanUsername turns the remote name into a username, e.g. to strip
	// a Kerberos realm; default: unchanged. RemoteUserMiddleware uses it
	// too, to compare the logged-in user with the remote one.
	CleanUsername func(remoteUser string) string
	// ConfigureUser, when set, is called with each authenticated user,
	// created says whether it was just made; it may change and save the
	// user (e.g. set is_staff from a directory group) and returns the user
	// to log in, or nil to refuse.
	ConfigureUser func(r *http.Request, u *User, created bool) (*User, error)
}

// NewRemoteUserBackend returns a RemoteUserBackend that creates unknown
// users, Django's default.
func NewRemoteUserBackend() *RemoteUserBackend {
	return &RemoteUserBackend{CreateUnknownUser: true}
}

// Path implements Backend.
func (b *RemoteUserBackend) Path() string { return RemoteUserBackendPath }

// Accepts implements Backend: a remote user name and nothing else.
func (b *RemoteUserBackend) Accepts(c Credentials) bool { return c.OnlyHas(CredentialRemoteUser) }

// Clean returns the username for a remote name through CleanUsername.
func (b *RemoteUserBackend) Clean(remoteUser string) string {
	if b.CleanUsername != nil {
		return b.CleanUsername(remoteUser)
	}
	return remoteUser
}

// Authenticate implements Backend: an empty name is nobody; otherwise the
// user with the cleaned name, created when CreateUnknownUser is set, then
// ConfigureUser, then the UserCanAuthenticate check.
func (b *RemoteUserBackend) Authenticate(ctx context.Context, r *http.Request, c Credentials) (*User, error) {
	remote := c[CredentialRemoteUser]
	if !b.Accepts(c) || remote == "" {
		return nil, nil
	}
	username := b.Clean(remote)
	u, created, err := b.lookup(ctx, username)
	if err != nil || u == nil {
		return nil, err
	}
	if b.ConfigureUser != nil {
		if u, err = b.ConfigureUser(r, u, created); err != nil || u == nil {
			return nil, err
		}
	}
	if !b.canAuthenticate(u) {
		return nil, nil
	}
	return u, nil
}

// lookup finds the user named username, or makes one when allowed; a
// concurrent creation of the same name is tolerated.
func (b *RemoteUserBackend) lookup(ctx context.Context, username string) (*User, bool, error) {
	if !b.CreateUnknownUser {
		u, err := orm.Get[User](ctx, orm.For[User](b.DB), orm.Q{"username": username})
		if errors.Is(err, orm.ErrNotFound) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, fmt.Errorf("auth: remote user %q: %w", username, err)
		}
		return u, false, nil
	}
	m, err := b.DB.Registry().ModelOf(User{})
	if err != nil {
		return nil, false, fmt.Errorf("auth: remote user: %w", err)
	}
	defaults := map[string]any{"password": MakeUnusablePassword(), "is_active": true, "date_joined": time.Now().UTC()}
	obj, created, err := b.DB.GetOrCreate(ctx, m, orm.Q{"username": username}, defaults)
	if err != nil {
		return nil, false, fmt.Errorf("auth: remote user %q: %w", username, err)
	}
	return obj.(*User), created, nil
}

// AllowAllUsersRemoteUserBackend is RemoteUserBackend without the check
// on is_active.
type AllowAllUsersRemoteUserBackend struct {
	RemoteUserBackend
}

// NewAllowAllUsersRemoteUserBackend returns one that creates unknown
// users, Django's default.
func NewAllowAllUsersRemoteUserBackend() *AllowAllUsersRemoteUserBackend {
	return &AllowAllUsersRemoteUserBackend{RemoteUserBackend{CreateUnknownUser: true}}
}

// Path implements Backend.
func (b *AllowAllUsersRemoteUserBackend) Path() string { return AllowAllUsersRemoteUserBackendPath }

// UserCanAuthenticate lets every user log in.
func (b *AllowAllUsersRemoteUserBackend) UserCanAuthenticate(u *User) bool { return true }
