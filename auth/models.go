package auth

import (
	"errors"
	"strings"
	"time"
	"unicode"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

// Permission is a row of auth_permission: "<app_label>.<codename>" grants
// one action on one model.
type Permission struct {
	ID          int64                                   `orm:"type=integer"`
	ContentType orm.ForeignKey[contenttype.ContentType] `orm:"on_delete=cascade,verbose_name='content type'"`
	Codename    string                                  `orm:"max_length=100"`
	Name        string                                  `orm:"max_length=255"`
}

// Meta gives Django's table, names, uniqueness, ordering and natural key
// (codename, app label, model), which fixtures use.
func (Permission) Meta() orm.Meta {
	return orm.Meta{
		Table:          "auth_permission",
		Ordering:       []string{"content_type__app_label", "content_type__model", "codename"},
		UniqueTogether: [][]string{{"content_type", "codename"}},
		NaturalKey:     []string{"codename", "content_type__app_label", "content_type__model"},
	}
}

func (p *Permission) String() string {
	if ct, ok := p.ContentType.Get(); ok {
		return ct.String() + " | " + p.Name
	}
	return p.Name
}

// Group is a row of auth_group: a named set of permissions given to users.
type Group struct {
	ID          int64                      `orm:"type=integer"`
	Name        string                     `orm:"max_length=150,unique"`
	Permissions orm.ManyToMany[Permission] `orm:"blank"`
}

// Meta gives Django's table and natural key.
func (Group) Meta() orm.Meta { return orm.Meta{Table: "auth_group", NaturalKey: []string{"name"}} }

func (g *Group) String() string { return g.Name }

// User is a row of auth_user, Django's default user model, column for
// column.
type User struct {
	ID              int64                      `orm:"type=integer"`
	Password        string                     `orm:"max_length=128"`
	LastLogin       *time.Time                 `orm:"blank,verbose_name='last login'"`
	IsSuperuser     bool                       `orm:"verbose_name='superuser status',help_text='Designates that this user has all permissions without explicitly assigning them.'"`
	Username        string                     `orm:"max_length=150,unique,help_text='Required. 150 characters or fewer. Letters, digits and @/./+/-/_ only.'"`
	LastName        string                     `orm:"max_length=150,blank,verbose_name='last name'"`
	Email           string                     `orm:"type=email,max_length=254,blank,verbose_name='email address'"`
	IsStaff         bool                       `orm:"verbose_name='staff status',help_text='Designates whether the user can log into this admin site.'"`
	IsActive        bool                       `orm:"default=true,verbose_name='active',help_text='Designates whether this user should be treated as active. Unselect this instead of deleting accounts.'"`
	DateJoined      time.Time                  `orm:"verbose_name='date joined'"`
	FirstName       string                     `orm:"max_length=150,blank,verbose_name='first name'"`
	Groups          orm.ManyToMany[Group]      `orm:"blank,help_text='The groups this user belongs to. A user will get all permissions granted to each of their groups.'"`
	UserPermissions orm.ManyToMany[Permission] `orm:"blank,verbose_name='user permissions',help_text='Specific permissions for this user.'"`
}

// Meta gives Django's table and natural key.
func (User) Meta() orm.Meta {
	return orm.Meta{Table: "auth_user", NaturalKey: []string{"username"},
		Validators: map[string][]func(any) error{"username": {ValidateUsername}}}
}

// ErrBadUsername is the message of ValidateUsername, Django's
// UnicodeUsernameValidator's.
var ErrBadUsername = errors.New("Enter a valid username. This value may contain only letters, numbers, and @/./+/-/_ characters.")

// ValidateUsername accepts letters, digits and @/./+/-/_, Django's
// UnicodeUsernameValidator. Every form of a user runs it through the
// model.
func ValidateUsername(v any) error {
	s, _ := v.(string)
	if strings.IndexFunc(s, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("@.+-_", r))
	}) >= 0 {
		return ErrBadUsername
	}
	return nil
}

// UniqueMessage gives the error a form shows for a taken unique value,
// Django's error_messages["unique"] on the username field.
func (User) UniqueMessage(field string) string {
	if field == "username" {
		return "A user with that username already exists."
	}
	return ""
}

func (u *User) String() string { return u.Username }

// HasUsablePassword reports whether some password can match the user's
// (false for the unusable ones a remote-user backend gives).
func (u *User) HasUsablePassword() bool { return u != nil && IsPasswordUsable(u.Password) }

// App returns the auth app, with Django's name and label.
func App() orm.AppConfig {
	return orm.AppConfig{
		Name: "django.contrib.auth", Label: "auth", VerboseName: "Authentication and Authorization",
		Models: []any{Permission{}, Group{}, User{}},
	}
}

// LoginThrottle is a row of staffroom_auth_loginthrottle: the run of
// failed logins of one client address, of one username from one address,
// or (ThrottleConfig.LockUsername) of one username from anywhere. The key
// is an HMAC, so a password typed into the username box is never written
// down; Scope and Address say what the row counts, for the superusers who
// see the rows in the admin, and UsernameKey lets them find a username's
// rows by typing it.
type LoginThrottle struct {
	ID  int64
	Key string `orm:"max_length=64,unique,editable=false"`
	// Scope is ScopeAddress, ScopeUsernameAddress, ScopeUsername or
	// ScopeSecondFactor.
	Scope string `orm:"max_length=20,blank,default=,editable=false"`
	// Address is the client address counted (not for ScopeUsername).
	Address string `orm:"max_length=64,blank,default=,editable=false"`
	// UsernameKey is the HMAC of the username counted, if any.
	UsernameKey string `orm:"max_length=64,blank,default=,db_index,editable=false,verbose_name='username key'"`
	// Failures counts the failed logins in a row; Attempts every attempt
	// ever counted, which changes with each update so that concurrent
	// requests can tell they raced.
	Failures    int32      `orm:"editable=false"`
	Attempts    int64      `orm:"editable=false"`
	LastFailure time.Time  `orm:"editable=false,db_index,verbose_name='last failure'"`
	LockedUntil *time.Time `orm:"db_index,editable=false,verbose_name='locked until'"`
}

// The scopes of LoginThrottle rows.
const (
	ScopeAddress         = "address"
	ScopeUsernameAddress = "username+address"
	ScopeUsername        = "username"
	// ScopeSecondFactor counts wrong two-factor codes of one user.
	ScopeSecondFactor = "second factor"
)

// Meta names the model.
func (LoginThrottle) Meta() orm.Meta {
	return orm.Meta{VerboseName: "login throttle", VerboseNamePlural: "login throttles"}
}

// String describes what the row counts, never the username.
func (t *LoginThrottle) String() string {
	switch t.Scope {
	case ScopeAddress:
		return "address " + t.Address
	case ScopeUsernameAddress:
		return "a username from " + t.Address
	case ScopeUsername:
		return "a username"
	}
	return t.Key[:min(len(t.Key), 12)]
}

// Locked reports whether the row's cool-off still runs.
func (t *LoginThrottle) Locked() bool { return t.wait(time.Now()) > 0 }

// wait returns how long the row's cool-off still runs after now.
func (t *LoginThrottle) wait(now time.Time) time.Duration {
	if t.LockedUntil == nil || !t.LockedUntil.After(now) {
		return 0
	}
	return t.LockedUntil.Sub(now)
}

// ThrottleApp returns Staffroom's own auth app, label "staffroom_auth",
// which holds the login throttling counts and the second factors
// (TOTPDevice, RecoveryCode). Register it beside App unless throttling
// is disabled and nobody uses two-factor sign-in; staffroom.Project does.
func ThrottleApp() orm.AppConfig {
	return orm.AppConfig{
		Name: "staffroom.auth", Label: "staffroom_auth", VerboseName: "Login throttling",
		Models: []any{LoginThrottle{}, TOTPDevice{}, RecoveryCode{}},
	}
}
