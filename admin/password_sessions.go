package admin

import (
	"net/http"
	"strconv"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/session"
)

// maxListedSessions bounds the sessions the password change page lists.
const maxListedSessions = 100

// paramSignOutOthers is the submit button of the password change page's
// "Sign out other sessions" form.
const paramSignOutOthers = "sign_out_others"

// otherSession is one line of the password change page's list of the
// user's other sessions. It never holds the key.
type otherSession struct {
	Address, Browser, LoggedIn, Expires string
}

// otherSessions lists the live sessions of the request's user other than
// the current one, as recorded at login (session.Info), newest first.
func (s *Site) otherSessions(r *http.Request, u *auth.User) ([]otherSession, error) {
	if s.sessions == nil {
		return nil, nil
	}
	owned, err := s.sessions.Owned(r.Context(), strconv.FormatInt(u.ID, 10), maxListedSessions)
	if err != nil {
		return nil, err
	}
	current := session.From(r).Key()
	var out []otherSession
	for _, o := range owned {
		if o.SessionKey == current || !s.auth.SessionIsFor(o.Data, u) {
			continue
		}
		out = append(out, otherSession{Address: orDash(o.Address), Browser: orDash(o.UserAgent),
			LoggedIn: formatDateTime(o.Created, s.zone(r.Context())), Expires: formatDateTime(o.ExpireDate, s.zone(r.Context()))})
	}
	return out, nil
}

// signOutOthers ends every recorded session of the request's user but the
// current one, notes it in the user's history and the log, and goes back
// to the password change page.
func (s *Site) signOutOthers(w http.ResponseWriter, r *http.Request, u *auth.User) error {
	ctx := r.Context()
	n := 0
	if s.sessions != nil {
		var err error
		if n, err = s.sessions.DeleteOwned(ctx, strconv.FormatInt(u.ID, 10), session.From(r).Key()); err != nil {
			return err
		}
	}
	msg := "Signed out " + strconv.Itoa(n) + " other sessions."
	if n == 1 {
		msg = "Signed out 1 other session."
	}
	if m, err := s.db.Registry().ModelOf(auth.User{}); err == nil && n > 0 {
		if err := s.logAction(ctx, u, m, u, Change, msg, ""); err != nil {
			return err
		}
	}
	s.log.InfoContext(ctx, "admin: signed out other sessions", "user", u.Username, "sessions", n)
	flash.Add(r, flash.Success, msg)
	http.Redirect(w, r, s.cfg.Prefix+"password_change/", http.StatusFound)
	return nil
}

// forgetOtherSessions deletes the recorded sessions of the request's user
// but the current one, quietly: a password change has just ended them.
func (s *Site) forgetOtherSessions(r *http.Request, u *auth.User) error {
	if s.sessions == nil {
		return nil
	}
	_, err := s.sessions.DeleteOwned(r.Context(), strconv.FormatInt(u.ID, 10), session.From(r).Key())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
