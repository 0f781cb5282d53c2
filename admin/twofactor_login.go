package admin

import (
	"encoding/base64"
	"errors"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"rsc.io/qr"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/session"
)

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
