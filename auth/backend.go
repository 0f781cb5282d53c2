package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/staffroom/staffroom/orm"
)

// ErrPermissionDenied stops authentication at the backend that returns it:
// no later backend is tried.
var ErrPermissionDenied = errors.New("auth: permission denied")

// Backend authenticates users and loads them by id, Django's
// authentication backend.
type Backend interface {
	// Path names the backend in the session, e.g.
	// "django.contrib.auth.backends.ModelBackend".
	Path() string
	// Authenticate returns the user the credentials identify, or nil when
	// they do not (nil error); ErrPermissionDenied stops the search.
	Authenticate(ctx context.Context, r *http.Request, username, password string) (*User, error)
	// GetUser returns the user with the given id, or nil when there is none
	// or it may not authenticate.
	GetUser(ctx context.Context, id int64) (*User, error)
}

// ModelBackend checks usernames and passwords against auth_user and
// rejects inactive users, Django's default backend.
type ModelBackend struct {
	DB      *orm.DB
	Hashers PasswordHashers
}

// ModelBackendPath is the ModelBackend's name in sessions, Django's.
const ModelBackendPath = "django.contrib.auth.backends.ModelBackend"

// Path implements Backend.
func (b *ModelBackend) Path() string { return ModelBackendPath }

// Authenticate implements Backend. An unknown username still runs the
// password hasher once, so response times do not reveal which usernames
// exist. A correct password stored with a weaker hasher is re-hashed.
func (b *ModelBackend) Authenticate(ctx context.Context, r *http.Request, username, password string) (*User, error) {
	u, err := orm.Get[User](ctx, orm.For[User](b.DB), orm.Q{"username": username})
	if errors.Is(err, orm.ErrNotFound) {
		b.Hashers.Check(password, "")
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth: authenticate: %w", err)
	}
	ok, upgrade := b.Hashers.Check(password, u.Password)
	if !ok || !u.IsActive {
		return nil, nil
	}
	if upgrade {
		if h, err := b.Hashers.Make(password); err == nil {
			u.Password = h
			if err := b.DB.Update(ctx, u, "password"); err != nil {
				return nil, fmt.Errorf("auth: upgrade password hash: %w", err)
			}
		}
	}
	return u, nil
}

// GetUser implements Backend.
func (b *ModelBackend) GetUser(ctx context.Context, id int64) (*User, error) {
	u, err := orm.Get[User](ctx, orm.For[User](b.DB), orm.Q{"pk": id})
	if errors.Is(err, orm.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !u.IsActive {
		return nil, nil
	}
	return u, nil
}
