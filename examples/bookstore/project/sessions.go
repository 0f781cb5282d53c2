package project

import (
	"context"
	"net/http"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// SessionAdmin shows the built-in session model in the admin, as the
// spec's article does for Django: who is logged in, until when, and the
// session's data, read-only. A superuser logs somebody out by deleting
// their session. Sessions are made by logging in, never by hand.
type SessionAdmin struct {
	admin.ModelAdmin
}

// HasAddPermission refuses: a session typed in would log nobody in.
func (a *SessionAdmin) HasAddPermission(r *http.Request) bool { return false }

// registerSessions registers session.Session at /admin/sessions/session/.
func registerSessions(site *admin.Site) error {
	return site.Register(session.Session{}, &SessionAdmin{admin.ModelAdmin{
		ListDisplay:    []any{"session_key", "expire_date", admin.Column("User", sessionUser(site))},
		SearchFields:   []string{"session_key"},
		Ordering:       []string{"-expire_date"},
		ReadonlyFields: []string{"session_key", "session_data", "expire_date"},
	}})
}

// sessionUser returns the column function that decodes a session row and
// names its logged-in user, or "Anonymous". It costs one query per row,
// which a page of at most 100 sessions affords.
func sessionUser(site *admin.Site) func(*session.Session) string {
	return func(s *session.Session) string {
		id, _ := site.Sessions().Decode(s.SessionData)[auth.SessionUserID].(string)
		if id == "" {
			return "Anonymous"
		}
		u, err := orm.Get[auth.User](context.Background(), orm.For[auth.User](site.DB()), orm.Q{"pk": id})
		if err != nil {
			return "Anonymous"
		}
		return u.Username
	}
}
