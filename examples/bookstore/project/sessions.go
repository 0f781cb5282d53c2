package project

import (
	"context"
	"fmt"
	"net/http"

	"github.com/staffroom/staffroom/admin"
	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// SessionAdmin shows the built-in session model in the admin, as the
// spec's article does for Django: who is logged in and until when,
// read-only — and, beyond the article, from which address and browser
// they logged in (session.Info, recorded at login; "-" for sessions made
// elsewhere, such as by Django). A superuser logs somebody out by
// deleting their session.
// Sessions are made by logging in, never by hand.
//
// Unlike the article's admin it never shows a session's key or data: the
// key is the cookie, so whoever reads it — a staff user allowed only to
// view sessions — could log in as the session's user. The key is also the
// primary key, which the admin puts in URLs and in its log, so the admin
// names sessions by their public ID (session.Store.ID, the key encrypted
// with the secret key) instead; the list shows a short digest. Nothing in
// the query string may filter or search by key or data, which would make
// the list an oracle for guessing a key.
type SessionAdmin struct {
	admin.ModelAdmin
	store *session.Store
	db    *orm.DB
}

// sessionColumns are the columns of the list and the fields of the view
// page: the admin's methods below, and the expiry.
var sessionColumns = []string{"session", "user", "address", "browser", "expire_date"}

// registerSessions registers session.Session at /admin/sessions/session/.
func registerSessions(site *admin.Site) error {
	cols := make([]any, len(sessionColumns))
	for i, c := range sessionColumns {
		cols[i] = c
	}
	return site.Register(session.Session{}, &SessionAdmin{ModelAdmin: admin.ModelAdmin{
		ListDisplay:    cols,
		Ordering:       []string{"-expire_date"},
		SortableBy:     []string{"expire_date"},
		Fields:         sessionColumns,
		ReadonlyFields: sessionColumns,
	}, store: site.Sessions(), db: site.DB()})
}

// HasAddPermission refuses: a session typed in would log nobody in.
func (a *SessionAdmin) HasAddPermission(r *http.Request) bool { return false }

// HasChangePermission refuses: a session is viewed or deleted, never
// edited, so its page is the read-only view for everyone.
func (a *SessionAdmin) HasChangePermission(r *http.Request, obj any) bool { return false }

// LookupAllowed refuses every lookup: a filter on the key or the data in
// the query string would tell, row count by row count, what they hold.
func (a *SessionAdmin) LookupAllowed(r *http.Request, lookup, value string) bool { return false }

// ObjectID names a session by its public ID in URLs and in the log.
func (a *SessionAdmin) ObjectID(obj any) string {
	return a.store.ID(obj.(*session.Session).SessionKey)
}

// ObjectKey returns the key a public ID names, for the action checkboxes.
func (a *SessionAdmin) ObjectKey(id string) (string, bool) { return a.store.KeyOf(id) }

// GetObject finds a session by its public ID; a key, or anything else, is
// not found.
func (a *SessionAdmin) GetObject(r *http.Request, objectID string) (any, error) {
	key, ok := a.store.KeyOf(objectID)
	if !ok {
		return nil, fmt.Errorf("sessions: no session with ID %q: %w", objectID, orm.ErrNotFound)
	}
	return a.Self().GetQueryset(r).Get(r.Context(), orm.Q{"pk": key})
}

// DeleteModel ends the session through the store.
func (a *SessionAdmin) DeleteModel(r *http.Request, obj any) error {
	return a.store.Delete(r.Context(), obj.(*session.Session).SessionKey)
}

// Session is the list's first column: the session's digest.
func (a *SessionAdmin) Session(s *session.Session) string { return s.String() }

// User names the session's logged-in user, or "Anonymous". It decodes the
// row and costs one query, which a page of at most 100 sessions affords.
func (a *SessionAdmin) User(s *session.Session) string {
	id, _ := a.store.Decode(s.SessionData)[auth.SessionUserID].(string)
	if id == "" {
		return "Anonymous"
	}
	u, err := orm.Get[auth.User](context.Background(), orm.For[auth.User](a.db), orm.Q{"pk": id})
	if err != nil {
		return "Anonymous"
	}
	return u.Username
}

// Address is the client address recorded when the session logged in.
func (a *SessionAdmin) Address(s *session.Session) string { return a.info(s).Address }

// Browser is the User-Agent recorded when the session logged in.
func (a *SessionAdmin) Browser(s *session.Session) string { return a.info(s).UserAgent }

// info returns what was recorded at the session's login, or nothing. Like
// User it costs a query per row.
func (a *SessionAdmin) info(s *session.Session) *session.Info {
	info, err := orm.Get[session.Info](context.Background(), orm.For[session.Info](a.db), orm.Q{"session_key": s.SessionKey})
	if err != nil {
		return &session.Info{}
	}
	return info
}
