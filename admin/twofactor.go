package admin

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// TwoFactorPolicy says whose sign-in needs a second factor. Anyone may
// set one up; by default nobody must. A user who must but has none is
// asked to enrol right after the password, before being logged in.
type TwoFactorPolicy struct {
	// Required requires a second factor of every staff user.
	Required bool
	// Groups requires it of the members of the groups of these names.
	Groups []string
}

// The session keys of a sign-in whose password was right and whose second
// factor is still to come. Until then the session has no user: every
// admin page sends it to the login page.
const (
	pendingUserKey     = "_staffroom_2fa_user"
	pendingBackendKey  = "_staffroom_2fa_backend"
	pendingHashKey     = "_staffroom_2fa_hash"
	pendingUntilKey    = "_staffroom_2fa_until"
	pendingStepKey     = "_staffroom_2fa_step" // "verify" or "enrol"
	pendingFailuresKey = "_staffroom_2fa_failures"
	// verifiedKey marks a session that signed in with a second factor
	// (or set one up), which the policy then lets through unasked.
	verifiedKey = "_staffroom_2fa_verified"
)

const (
	// pendingTimeout is how long the second step may take.
	pendingTimeout = 5 * time.Minute
	// maxCodeFailures wrong codes in a row drop the pending sign-in: the
	// password must be typed again.
	maxCodeFailures = 5
)

// The messages of the second step.
const (
	msgWrongCode    = "That code is not valid. Enter the current code from your authenticator app, or an unused recovery code."
	msgTooManyCodes = "Too many wrong codes. Please log in again."
	msgCodeExpired  = "Your sign-in took too long. Please log in again."
)

// pending is a half-finished sign-in, read back from the session.
type pending struct {
	user    *auth.User
	backend string
	step    string
}

// requiresTwoFactor reports whether the policy requires u to use a
// second factor.
func (s *Site) requiresTwoFactor(ctx context.Context, u *auth.User) (bool, error) {
	p := s.cfg.TwoFactor
	if p.Required {
		return true, nil
	}
	if len(p.Groups) == 0 {
		return false, nil
	}
	return orm.For[auth.User](s.db).Filter(orm.Q{"pk": u.ID, "groups__name__in": p.Groups}).Exists(ctx)
}

// beginSecondFactor is the login's step after a right password of an
// active staff member: when u has a second factor, or must have one, the
// session becomes a pending sign-in (with a new key) and the browser goes
// on to the code or the enrolment page (done). Otherwise nothing happens.
func (s *Site) beginSecondFactor(w http.ResponseWriter, r *http.Request, u *auth.User, backend, next string) (done bool, err error) {
	ctx := r.Context()
	st, err := s.auth.TwoFactor(ctx, u)
	if err != nil {
		return false, err
	}
	step := "verify"
	if !st.Enabled {
		required, err := s.requiresTwoFactor(ctx, u)
		if err != nil || !required {
			return false, err
		}
		step = "enrol"
	}
	sess := session.From(r)
	if sess.String(auth.SessionUserID) != "" {
		err = s.auth.Logout(r) // whoever was logged in is no longer
	} else {
		err = sess.CycleKey(ctx)
	}
	if err != nil {
		return false, err
	}
	sess.Set(pendingUserKey, strconv.FormatInt(u.ID, 10))
	sess.Set(pendingBackendKey, backend)
	sess.Set(pendingHashKey, s.auth.SessionAuthHash(u))
	sess.Set(pendingUntilKey, time.Now().Add(pendingTimeout).Unix())
	sess.Set(pendingStepKey, step)
	sess.Set(pendingFailuresKey, 0)
	csrf.Rotate(r)
	http.Redirect(w, r, s.cfg.Prefix+"login/"+step+"/"+s.nextQuery(r, next), http.StatusFound)
	return true, nil
}

// nextQuery returns "?next=..." for a safe next, else "".
func (s *Site) nextQuery(r *http.Request, next string) string {
	if next == "" || next == s.cfg.Prefix || !csrf.IsSafeRedirect(next, r) {
		return ""
	}
	return "?" + url.Values{"next": {next}}.Encode()
}

// pendingSignIn returns the session's pending sign-in at the given step,
// or nil when there is none, it expired, or its user changed (password,
// active or staff status) since the password was typed.
func (s *Site) pendingSignIn(r *http.Request, step string) (*pending, error) {
	sess := session.From(r)
	idText := sess.String(pendingUserKey)
	if idText == "" {
		return nil, nil
	}
	until, _ := sess.Int(pendingUntilKey)
	id, err := strconv.ParseInt(idText, 10, 64)
	if err != nil || time.Now().Unix() > until || sess.String(pendingStepKey) != step {
		return nil, nil
	}
	p := &pending{backend: sess.String(pendingBackendKey), step: step}
	for _, b := range s.auth.Backends() {
		if b.Path() == p.backend {
			if p.user, err = b.GetUser(r.Context(), id); err != nil {
				return nil, err
			}
		}
	}
	if u := p.user; u == nil || !u.IsActive || !u.IsStaff || sess.String(pendingHashKey) != s.auth.SessionAuthHash(u) {
		return nil, nil
	}
	return p, nil
}

// clearPending forgets the session's pending sign-in.
func clearPending(r *http.Request) {
	sess := session.From(r)
	for _, k := range []string{pendingUserKey, pendingBackendKey, pendingHashKey, pendingUntilKey, pendingStepKey, pendingFailuresKey} {
		sess.Delete(k)
	}
}

// backToLogin drops the pending sign-in and sends the browser to the
// login page with a message, next kept.
func (s *Site) backToLogin(w http.ResponseWriter, r *http.Request, msg, next string) error {
	clearPending(r)
	if err := session.From(r).CycleKey(r.Context()); err != nil {
		return err
	}
	if msg != "" {
		flash.AddError(r, msg)
	}
	http.Redirect(w, r, s.cfg.Prefix+"login/"+s.nextQuery(r, next), http.StatusFound)
	return nil
}

// countWrongCode counts a wrong code of the pending sign-in and reports
// whether it was one too many.
func countWrongCode(r *http.Request) bool {
	sess := session.From(r)
	n, _ := sess.Int(pendingFailuresKey)
	sess.Set(pendingFailuresKey, n+1)
	return n+1 >= maxCodeFailures
}

// finishSignIn logs the pending sign-in's user in, which gives the
// session a new key once more.
func (s *Site) finishSignIn(r *http.Request, p *pending) error {
	clearPending(r)
	if err := s.auth.Login(r, p.user, p.backend); err != nil {
		return err
	}
	session.From(r).Set(verifiedKey, "1")
	return nil
}

// mustEnrol reports whether the policy requires the request's logged-in
// user to have a second factor which they have not signed in with: a
// session older than the policy, or than a change of groups.
func (s *Site) mustEnrol(r *http.Request) (bool, error) {
	p := s.cfg.TwoFactor
	sess := session.From(r)
	if !p.Required && len(p.Groups) == 0 || sess.String(verifiedKey) != "" {
		return false, nil
	}
	ctx := r.Context()
	u := auth.UserFrom(ctx)
	if required, err := s.requiresTwoFactor(ctx, u); err != nil || !required {
		return false, err
	}
	on, err := s.auth.HasTwoFactor(ctx, u)
	if on {
		sess.Set(verifiedKey, "1")
	}
	return !on, err
}

// enrolFirst sends a user whom the policy requires to have a second
// factor, and who has none, to set one up before any other page (done).
func (s *Site) enrolFirst(w http.ResponseWriter, r *http.Request) (done bool, err error) {
	p := strings.TrimPrefix(r.URL.Path, s.cfg.Prefix)
	if p == "two_factor/setup/" || p == "logout/" {
		return false, nil
	}
	if must, err := s.mustEnrol(r); err != nil || !must {
		return false, err
	}
	flash.AddWarning(r, "This site requires two-factor sign-in of your account. Set it up to go on.")
	http.Redirect(w, r, s.cfg.Prefix+"two_factor/setup/", http.StatusFound)
	return true, nil
}
