package admin

import (
	"context"
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"rsc.io/qr"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
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

// codeField is the field a second-factor code is typed in.
func codeField(label string) *form.Field {
	return form.CharField("code", label, form.MaxLength(32), form.WithBareAttr("autofocus"),
		form.WithAttr("autocomplete", "one-time-code"), form.WithAttr("autocapitalize", "none"), form.WithAttr("spellcheck", "false"))
}

// codeError handles the error of checking a code: a wrong code goes on
// the form (or, one too many, ends the pending sign-in: done), throttling
// too, with status 429; anything else is returned.
func (s *Site) codeError(w http.ResponseWriter, r *http.Request, f *form.Form, err error, next string) (status int, done bool, _ error) {
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		f.AddError(form.NonField, throttled.Message())
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds())+1))
		return http.StatusTooManyRequests, false, nil
	case errors.Is(err, auth.ErrWrongCode):
		if session.From(r).String(pendingUserKey) != "" && countWrongCode(r) {
			return 0, true, s.backToLogin(w, r, msgTooManyCodes, next)
		}
		f.AddError(form.NonField, msgWrongCode)
		return http.StatusOK, false, nil
	}
	return 0, false, err
}

// twoFactorPage is the data of the two-factor pages.
type twoFactorPage struct {
	Context
	Form      *form.Form
	HelpTexts []string // none; the shared form_rows template reads it
	ErrorNote string
	Action    string
	// QR is the enrolment's otpauth URI as a PNG data URI; Secret is the
	// same secret for typing in, in groups of four.
	QR     template.URL
	Secret string
	// Codes are new recovery codes, shown once; ContinueURL follows them.
	Codes       []string
	ContinueURL string
	Status      auth.TwoFactorStatus
	Required    bool
	// Intro and Button word a confirmation page.
	Intro, Button string
}

// twoFactorPageFor lays out a two-factor page with its form's error note.
func (s *Site) twoFactorPageFor(r *http.Request, title string, f *form.Form) *twoFactorPage {
	p := &twoFactorPage{Context: s.pageContext(r, title), Form: f, Action: r.URL.RequestURI()}
	if f != nil && f.ErrorCount() > 0 && len(f.NonFieldErrors()) == 0 {
		p.ErrorNote = "Please correct the error below."
	}
	return p
}

// loginPageFor is a two-factor page of the sign-in, laid out as the
// login page: no user yet, no sidebar.
func (s *Site) loginPageFor(r *http.Request, title string, f *form.Form) *twoFactorPage {
	p := s.twoFactorPageFor(r, title, f)
	p.User, p.HasPermission, p.NavSidebar, p.AvailableApps = nil, false, false, nil
	p.BodyClass = "login"
	return p
}

// loginVerifyView asks a pending sign-in for its code.
func (s *Site) loginVerifyView(w http.ResponseWriter, r *http.Request) error {
	if err := allowGetPost(r); err != nil {
		return err
	}
	next := r.URL.Query().Get("next")
	p, err := s.pendingSignIn(r, "verify")
	if err != nil {
		return err
	}
	if p == nil {
		return s.backToLogin(w, r, expiredMessage(r), next)
	}
	f := form.New(codeField("Authentication code"))
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		if f.Bind(r.PostForm); f.IsValid() {
			err := s.auth.VerifySecondFactor(r.Context(), p.user, f.Cleaned("code").(string))
			if err == nil {
				if err := s.finishSignIn(r, p); err != nil {
					return err
				}
				http.Redirect(w, r, s.safeNext(r, next), http.StatusFound)
				return nil
			}
			var done bool
			if status, done, err = s.codeError(w, r, f, err, next); done || err != nil {
				return err
			}
		}
	}
	s.render(w, r, status, s.tmpl.lookup("", "", "two_factor_verify.html"), s.loginPageFor(r, "Two-factor sign-in", f))
	return nil
}

// loginEnrolView sets up a second factor for a pending sign-in whose user
// must have one and has none, then logs in and shows the recovery codes.
func (s *Site) loginEnrolView(w http.ResponseWriter, r *http.Request) error {
	if err := allowGetPost(r); err != nil {
		return err
	}
	next := r.URL.Query().Get("next")
	p, err := s.pendingSignIn(r, "enrol")
	if err != nil {
		return err
	}
	if p == nil {
		return s.backToLogin(w, r, expiredMessage(r), next)
	}
	if on, err := s.auth.HasTwoFactor(r.Context(), p.user); err != nil {
		return err
	} else if on {
		// Enrolled meanwhile: a pending sign-in may not replace that.
		return s.backToLogin(w, r, "", next)
	}
	f := form.New(codeField("Code from the app"))
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		if f.Bind(r.PostForm); f.IsValid() {
			codes, err := s.auth.ConfirmTOTP(r.Context(), p.user, f.Cleaned("code").(string))
			if err == nil {
				if err := s.finishSignIn(r, p); err != nil {
					return err
				}
				return s.renderCodes(w, r, codes, s.safeNext(r, next))
			}
			var done bool
			if status, done, err = s.codeError(w, r, f, err, next); done || err != nil {
				return err
			}
		}
	}
	page := s.loginPageFor(r, "Set up two-factor sign-in", f)
	page.Required = true
	if err := s.fillEnrolment(r, page, p.user); err != nil {
		return err
	}
	s.render(w, r, status, s.tmpl.lookup("", "", "two_factor_setup.html"), page)
	return nil
}

// expiredMessage is the message for a second step reached without a
// pending sign-in: none for a visitor who never started one.
func expiredMessage(r *http.Request) string {
	if session.From(r).String(pendingUserKey) == "" {
		return ""
	}
	return msgCodeExpired
}

// fillEnrolment starts (or resumes) u's enrolment and puts its QR code
// and secret on the page.
func (s *Site) fillEnrolment(r *http.Request, p *twoFactorPage, u *auth.User) error {
	secret, err := s.auth.BeginTOTP(r.Context(), u)
	if err != nil {
		return err
	}
	img, err := qrDataURI(auth.TOTPURI(secret, s.cfg.SiteHeader, u.Username))
	if err != nil {
		return err
	}
	p.QR, p.Secret = img, groupSecret(secret)
	return nil
}

// renderCodes shows new recovery codes. It answers the POST that made
// them rather than redirecting, so that they are never stored in clear,
// not even in the session for the next request.
func (s *Site) renderCodes(w http.ResponseWriter, r *http.Request, codes []string, continueURL string) error {
	p := s.twoFactorPageFor(r, "Your recovery codes", nil)
	p.Codes, p.ContinueURL = codes, continueURL
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "two_factor_codes.html"), p)
	return nil
}

// qrDataURI renders text as a QR code in a PNG data URI, which the
// Content-Security-Policy allows as an image.
func qrDataURI(text string) (template.URL, error) {
	code, err := qr.Encode(text, qr.M)
	if err != nil {
		return "", err
	}
	code.Scale = 5
	return template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(code.PNG())), nil
}

// groupSecret spaces a base32 secret in groups of four, for reading.
func groupSecret(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// allowGetPost refuses methods other than GET, HEAD and POST.
func allowGetPost(r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		return &httpError{http.StatusMethodNotAllowed, "method not allowed"}
	}
	return nil
}
