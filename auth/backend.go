package auth

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"sort"
)

// ErrPermissionDenied stops the search at the backend that returns it,
// Django's PermissionDenied: Authenticate tries no later backend and
// reports no user, and a permission check answers false at once.
var ErrPermissionDenied = errors.New("auth: permission denied")

// The credential names the built-in backends take.
const (
	CredentialUsername   = "username"
	CredentialPassword   = "password"
	CredentialRemoteUser = "remote_user"
)

// Credentials is what a visitor presents to Authenticate: named values,
// as the keyword arguments of Django's authenticate(). A key that is
// absent differs from one holding "" (a blank password is a password).
type Credentials map[string]string

// PasswordCredentials returns a username and a password, what a login
// form collects.
func PasswordCredentials(username, password string) Credentials {
	return Credentials{CredentialUsername: username, CredentialPassword: password}
}

// RemoteUserCredentials returns the user name a front-end server vouches
// for, what RemoteUserMiddleware passes on.
func RemoteUserCredentials(remoteUser string) Credentials {
	return Credentials{CredentialRemoteUser: remoteUser}
}

// Has reports whether every named credential is present.
func (c Credentials) Has(names ...string) bool {
	for _, n := range names {
		if _, ok := c[n]; !ok {
			return false
		}
	}
	return true
}

// OnlyHas reports whether the credentials hold exactly the named keys.
func (c Credentials) OnlyHas(names ...string) bool {
	return len(c) == len(names) && c.Has(names...)
}

// sensitiveCredential matches the names Django hides in the credentials
// it reports after a failed login.
var sensitiveCredential = regexp.MustCompile(`(?i)api|token|key|secret|password|signature`)

// cleansedValue replaces a sensitive credential, as Django's
// cleanse_setting does.
const cleansedValue = "********************"

// Cleansed returns a copy fit for a log: values whose names look secret
// (password, token, key, ...) are replaced by asterisks.
func (c Credentials) Cleansed() map[string]string {
	out := make(map[string]string, len(c))
	for k, v := range c {
		if sensitiveCredential.MatchString(k) {
			v = cleansedValue
		}
		out[k] = v
	}
	return out
}

// names returns the credential names, sorted, for messages.
func (c Credentials) names() []string {
	out := make([]string, 0, len(c))
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Backend authenticates users, loads them by id and answers permission
// questions, Django's authentication backend. Embed BaseBackend to get
// its defaults (reject everyone, grant nothing) and define only what
// differs; Auth calls every method through the registered value, so an
// override also takes effect where another default method calls it.
type Backend interface {
	// Path names the backend in sessions, e.g.
	// "django.contrib.auth.backends.ModelBackend"; a session naming a
	// backend that is no longer configured is anonymous.
	Path() string
	// Accepts reports whether the backend takes credentials of this shape
	// (Django: whether authenticate's signature binds them). Backends that
	// do not are skipped.
	Accepts(c Credentials) bool
	// Authenticate returns the user the credentials identify, or nil when
	// they identify nobody. ErrPermissionDenied stops the search.
	Authenticate(ctx context.Context, r *http.Request, c Credentials) (*User, error)
	// GetUser returns the user with the given id, or nil when there is
	// none or it may not authenticate.
	GetUser(ctx context.Context, id int64) (*User, error)
	// UserPermissions, GroupPermissions and AllPermissions return the
	// "app_label.codename" permissions u holds directly, through its
	// groups, and both; obj is nil for model-wide permissions. u is nil for
	// an anonymous visitor.
	UserPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error)
	GroupPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error)
	AllPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error)
	// HasPerm reports whether u holds perm, on obj when it is not nil.
	// ErrPermissionDenied makes the answer false whatever later backends
	// say.
	HasPerm(ctx context.Context, u *User, perm string, obj any) (bool, error)
}

// ModulePermBackend is implemented by backends that can tell whether a
// user holds any permission in an app; Auth.HasModulePerms asks only
// those, as Django asks only backends with has_module_perms.
type ModulePermBackend interface {
	HasModulePerms(ctx context.Context, u *User, appLabel string) (bool, error)
}

// BaseBackendPath is BaseBackend's name in sessions, Django's.
const BaseBackendPath = "django.contrib.auth.backends.BaseBackend"

// BaseBackend is a backend that rejects every credential and grants no
// permission, Django's BaseBackend. Embed it in a backend of your own:
// its AllPermissions is the union of the embedding backend's
// UserPermissions and GroupPermissions, and its HasPerm looks perm up in
// the embedding backend's AllPermissions, once New has registered it.
type BaseBackend struct {
	self Backend // the registered value embedding this one, set by New
}

// baseBackend gives New the embedded BaseBackend of a backend.
func (b *BaseBackend) baseBackend() *BaseBackend { return b }

// top returns the registered backend, or b itself outside an Auth.
func (b *BaseBackend) top() Backend {
	if b.self != nil {
		return b.self
	}
	return b
}

// Path implements Backend.
func (b *BaseBackend) Path() string { return BaseBackendPath }

// Accepts implements Backend: any credentials, as Django's **kwargs.
func (b *BaseBackend) Accepts(c Credentials) bool { return true }

// Authenticate implements Backend: nobody.
func (b *BaseBackend) Authenticate(ctx context.Context, r *http.Request, c Credentials) (*User, error) {
	return nil, nil
}

// GetUser implements Backend: nobody.
func (b *BaseBackend) GetUser(ctx context.Context, id int64) (*User, error) { return nil, nil }

// UserPermissions implements Backend: none.
func (b *BaseBackend) UserPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	return map[string]bool{}, nil
}

// GroupPermissions implements Backend: none.
func (b *BaseBackend) GroupPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	return map[string]bool{}, nil
}

// AllPermissions implements Backend: the union of the registered
// backend's UserPermissions and GroupPermissions.
func (b *BaseBackend) AllPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	self := b.top()
	perms, err := self.UserPermissions(ctx, u, obj)
	if err != nil {
		return nil, err
	}
	group, err := self.GroupPermissions(ctx, u, obj)
	if err != nil {
		return nil, err
	}
	return union(perms, group), nil
}

// HasPerm implements Backend: perm is in the registered backend's
// AllPermissions.
func (b *BaseBackend) HasPerm(ctx context.Context, u *User, perm string, obj any) (bool, error) {
	perms, err := b.top().AllPermissions(ctx, u, obj)
	if err != nil {
		return false, err
	}
	return perms[perm], nil
}

// union returns a new set holding the members of all sets.
func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		for k, v := range s {
			if v {
				out[k] = true
			}
		}
	}
	return out
}

// registerBackend points the embedded BaseBackend of b, if any, at b.
func registerBackend(b Backend) {
	if e, ok := b.(interface{ baseBackend() *BaseBackend }); ok {
		if base := e.baseBackend(); Backend(base) != b {
			base.self = b
		}
	}
}
