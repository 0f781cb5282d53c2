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

// String returns the session key, as Django's Session.__str__ does.
func (s *Session) String() string { return s.SessionKey }

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
