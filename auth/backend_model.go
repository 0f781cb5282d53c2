package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// The built-in backends' names in sessions, Django's dotted paths.
const (
	ModelBackendPath              = "django.contrib.auth.backends.ModelBackend"
	AllowAllUsersModelBackendPath = "django.contrib.auth.backends.AllowAllUsersModelBackend"
)

// ModelBackend checks usernames and passwords against auth_user and grants
// the permissions stored in auth_permission, Django's default backend.
// Inactive users cannot authenticate and hold no permission; permissions
// asked for a particular object are always refused (grant those with a
// backend of your own). Permission sets are loaded once per request
// handled by Auth.Middleware.
type ModelBackend struct {
	BaseBackend
	// DB holds the users; default: the Auth's database.
	DB *orm.DB
	// Hashers check passwords; default: the Auth's hashers.
	Hashers PasswordHashers
}

// userAuthenticator is the hook that decides whether a user whose
// credentials checked out may log in (Django's user_can_authenticate).
type userAuthenticator interface {
	UserCanAuthenticate(u *User) bool
}

// defaulter is implemented by the built-in backends that need the Auth's
// database and hashers when their own are not set.
type defaulter interface {
	setDefaults(db *orm.DB, hashers PasswordHashers)
}

func (b *ModelBackend) setDefaults(db *orm.DB, hashers PasswordHashers) {
	if b.DB == nil {
		b.DB = db
	}
	if len(b.Hashers) == 0 {
		b.Hashers = hashers
	}
}

// me returns the registered backend embedding b, or b.
func (b *ModelBackend) me() Backend {
	if b.self != nil {
		return b.self
	}
	return b
}

// canAuthenticate asks the registered backend's UserCanAuthenticate.
func (b *ModelBackend) canAuthenticate(u *User) bool {
	if ua, ok := b.me().(userAuthenticator); ok {
		return ua.UserCanAuthenticate(u)
	}
	return b.UserCanAuthenticate(u)
}

// Path implements Backend.
func (b *ModelBackend) Path() string { return ModelBackendPath }

// Accepts implements Backend: a username and a password.
func (b *ModelBackend) Accepts(c Credentials) bool {
	return c.Has(CredentialUsername, CredentialPassword)
}

// UserCanAuthenticate reports whether u may log in: only active users.
func (b *ModelBackend) UserCanAuthenticate(u *User) bool { return u.IsActive }

// Authenticate implements Backend. The username must match exactly (as
// the database compares). An unknown username still runs the password
// hasher once, so response times do not reveal which usernames exist. A
// correct password stored with a weaker hasher is re-hashed.
func (b *ModelBackend) Authenticate(ctx context.Context, r *http.Request, c Credentials) (*User, error) {
	if !b.Accepts(c) {
		return nil, nil
	}
	password := c[CredentialPassword]
	u, err := orm.Get[User](ctx, orm.For[User](b.DB), orm.Q{"username": c[CredentialUsername]})
	if errors.Is(err, orm.ErrNotFound) {
		b.Hashers.Check(password, "")
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: authenticate: %w", err)
	}
	ok, upgrade := b.Hashers.Check(password, u.Password)
	if !ok || !b.canAuthenticate(u) {
		return nil, nil
	}
	if upgrade {
		if err := b.upgrade(ctx, u, password); err != nil {
			return nil, err
		}
	}
	return u, nil
}

// upgrade stores a fresh hash of a password that checked out against a
// weaker one, touching only the password column.
func (b *ModelBackend) upgrade(ctx context.Context, u *User, password string) error {
	h, err := b.Hashers.Make(password)
	if err != nil {
		return nil // keep the old hash; the login itself is fine
	}
	u.Password = h
	if err := b.DB.Update(ctx, u, "password"); err != nil {
		return fmt.Errorf("auth: upgrade password hash: %w", err)
	}
	return nil
}

// GetUser implements Backend: the user, if it may authenticate.
func (b *ModelBackend) GetUser(ctx context.Context, id int64) (*User, error) {
	u, err := orm.Get[User](ctx, orm.For[User](b.DB), orm.Q{"pk": id})
	if errors.Is(err, orm.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: get user %d: %w", id, err)
	}
	if !b.canAuthenticate(u) {
		return nil, nil
	}
	return u, nil
}

// UserPermissions implements Backend: the user's own permissions; every
// permission for a superuser; none for an inactive or anonymous user or
// for an object.
func (b *ModelBackend) UserPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	return b.permissions(ctx, u, obj, "user")
}

// GroupPermissions implements Backend: the permissions of the user's
// groups, with the same rules as UserPermissions.
func (b *ModelBackend) GroupPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	return b.permissions(ctx, u, obj, "group")
}

// AllPermissions implements Backend: the union of the registered
// backend's user and group permissions, with the same rules.
func (b *ModelBackend) AllPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	if u == nil || !u.IsActive || obj != nil {
		return map[string]bool{}, nil
	}
	self := b.me()
	return cachedPerms(ctx, self.Path()+"|all|"+strconv.FormatInt(u.ID, 10), func() (map[string]bool, error) {
		perms, err := self.UserPermissions(ctx, u, nil)
		if err != nil {
			return nil, err
		}
		group, err := self.GroupPermissions(ctx, u, nil)
		if err != nil {
			return nil, err
		}
		return union(perms, group), nil
	})
}

// HasPerm implements Backend: an active user holding perm.
func (b *ModelBackend) HasPerm(ctx context.Context, u *User, perm string, obj any) (bool, error) {
	if u == nil || !u.IsActive {
		return false, nil
	}
	perms, err := b.me().AllPermissions(ctx, u, obj)
	if err != nil {
		return false, err
	}
	return perms[perm], nil
}

// HasModulePerms implements ModulePermBackend: an active user holding any
// permission of the app.
func (b *ModelBackend) HasModulePerms(ctx context.Context, u *User, appLabel string) (bool, error) {
	if u == nil || !u.IsActive {
		return false, nil
	}
	perms, err := b.me().AllPermissions(ctx, u, nil)
	if err != nil {
		return false, err
	}
	for p := range perms {
		if strings.HasPrefix(p, appLabel+".") {
			return true, nil
		}
	}
	return false, nil
}

// permissions loads one kind of permission set, once per request.
func (b *ModelBackend) permissions(ctx context.Context, u *User, obj any, kind string) (map[string]bool, error) {
	if u == nil || !u.IsActive || obj != nil {
		return map[string]bool{}, nil
	}
	key := b.me().Path() + "|" + kind + "|" + strconv.FormatInt(u.ID, 10)
	return cachedPerms(ctx, key, func() (map[string]bool, error) {
		if u.IsSuperuser {
			kind = "every"
		}
		return loadPermissions(ctx, b.DB, kind, u.ID)
	})
}

// AllowAllUsersModelBackend is ModelBackend without the check on
// is_active: inactive users authenticate too, and stay logged in. Forms
// that log users in must then refuse inactive ones themselves (the
// admin's login says "This account is inactive.").
type AllowAllUsersModelBackend struct {
	ModelBackend
}

// Path implements Backend.
func (b *AllowAllUsersModelBackend) Path() string { return AllowAllUsersModelBackendPath }

// UserCanAuthenticate lets every user log in.
func (b *AllowAllUsersModelBackend) UserCanAuthenticate(u *User) bool { return true }
