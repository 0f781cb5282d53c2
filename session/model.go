package session

import (
	"time"

	"github.com/staffroom/staffroom/orm"
)

// Session is a row of django_session: one visitor's session data, signed
// and encoded, and the moment it stops being valid.
type Session struct {
	SessionKey  string    `orm:"primary_key,max_length=40,verbose_name='session key'"`
	SessionData string    `orm:"type=text,verbose_name='session data'"`
	ExpireDate  time.Time `orm:"db_index,verbose_name='expire date'"`
}

// Meta gives the model Django's table and names.
func (Session) Meta() orm.Meta {
	return orm.Meta{Table: "django_session", VerboseName: "session", VerboseNamePlural: "sessions"}
}

// String returns the session's Digest. Django's Session.__str__ returns
// the key itself, which the admin would then print on every page and in
// its log: whoever reads the key can send it as their cookie.
func (s *Session) String() string { return Digest(s.SessionKey) }

// App returns the sessions application, Django's django.contrib.sessions,
// for registration with an orm.Registry. NewStore requires it.
func App() orm.AppConfig {
	return orm.AppConfig{
		Name:        "django.contrib.sessions",
		Label:       "sessions",
		VerboseName: "Sessions",
		Models:      []any{Session{}},
	}
}
