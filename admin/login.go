package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/csrf"
	"github.com/staffroom/staffroom/form"
)

// loginPage is the data of login.html.
type loginPage struct {
	Context
	Form           *form.Form
	ErrorNote      string
	NonFieldErrors []string
	NotAuthorized  bool
	Next           string
	Action         string
	// PasswordResetURL links to the password reset page, unless disabled.
	PasswordResetURL string
}

// loginError is Django's AdminAuthenticationForm message for a wrong
// password, an unknown user, an inactive user and a non-staff user alike.
const loginError = "Please enter the correct username and password for a staff account. Note that both fields may be case-sensitive."

// inactiveError is Django's AuthenticationForm message for an inactive
// user whom a backend such as AllowAllUsersModelBackend authenticated.
const inactiveError = "This account is inactive."

func loginForm() *form.Form {
	return form.New(
		form.CharField("username", "Username", form.MaxLength(150), form.WithBareAttr("autofocus"),
			form.WithAttr("autocapitalize", "none"), form.WithAttr("autocomplete", "username")),
		form.PasswordField("password", "Password", form.NoStrip(), form.WithAttr("autocomplete", "current-password")),
	)
}

// loginView shows the login form and logs active staff in. Anyone already
// allowed in is sent to the index.
func (s *Site) loginView(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodGet && r.Method != http.MethodPost && r.Method != http.MethodHead {
		return &httpError{http.StatusMethodNotAllowed, "method not allowed"}
	}
	user := auth.UserFrom(r.Context())
	if err := auth.LoadError(r.Context()); err != nil { // the database failed: see adminView
		return err
	}
	if r.Method != http.MethodPost && s.HasPermission(r) {
		http.Redirect(w, r, s.cfg.Prefix, http.StatusFound)
		return nil
	}
	f := loginForm()
	status := http.StatusOK
	next := r.URL.Query().Get("next")
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		if r.PostForm.Has("next") {
			next = r.PostForm.Get("next")
		}
		f.Bind(r.PostForm)
		if f.IsValid() {
			done, st, err := s.logIn(w, r, f, next)
			if err != nil || done {
				return err
			}
			status = st
		}
	}
	if next == "" {
		next = s.cfg.Prefix
	} else if !csrf.IsSafeRedirect(next, r) {
		next = ""
	}
	// The form posts back to this very URL, query included, as Django's
	// login form does (its action is request.get_full_path()).
	p := &loginPage{Context: s.pageContext(r, "Log in"), Form: f, NonFieldErrors: f.NonFieldErrors(), Next: next,
		Action: r.URL.RequestURI(), NotAuthorized: user != nil && !s.HasPermission(r)}
	p.User, p.NavSidebar = user, false
	p.BodyClass = "login"
	if !s.cfg.DisablePasswordReset {
		p.PasswordResetURL = s.cfg.Prefix + "password_reset/"
	}
	if n := f.ErrorCount(); n > 0 && len(p.NonFieldErrors) == 0 {
		p.ErrorNote = "Please correct the error below."
		if n > 1 {
			p.ErrorNote = "Please correct the errors below."
		}
	}
	s.render(w, r, status, s.tmpl.choose(s.cfg.LoginTemplate, "", "", "login.html"), p)
	return nil
}

// logIn authenticates the credentials of a valid login form and, for an
// active staff member, logs in and redirects (done). Otherwise it adds the
// error to the form and returns the status to show it with: 429 with
// Retry-After while login throttling holds the attempt back.
func (s *Site) logIn(w http.ResponseWriter, r *http.Request, f *form.Form, next string) (done bool, status int, err error) {
	creds := auth.PasswordCredentials(f.Cleaned("username").(string), f.Cleaned("password").(string))
	u, backend, err := s.auth.Authenticate(r.Context(), r, creds)
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		f.AddError(form.NonField, throttled.Message())
		w.Header().Set("Retry-After", strconv.Itoa(int(throttled.RetryAfter.Seconds())+1))
		return false, http.StatusTooManyRequests, nil
	case err != nil:
		return false, 0, err
	case u != nil && !u.IsActive:
		// Only a backend that lets inactive users through gets here.
		f.AddError(form.NonField, inactiveError)
	case u != nil && u.IsStaff:
		if done, err := s.beginSecondFactor(w, r, u, backend, next); done || err != nil {
			return done, 0, err
		}
		if err := s.auth.Login(r, u, backend); err != nil {
			return false, 0, err
		}
		http.Redirect(w, r, s.safeNext(r, next), http.StatusFound)
		return true, 0, nil
	default:
		f.AddError(form.NonField, loginError)
	}
	return false, http.StatusOK, nil
}

// safeNext returns next when it stays on this host, else the index.
func (s *Site) safeNext(r *http.Request, next string) string {
	if next != "" && csrf.IsSafeRedirect(next, r) {
		return next
	}
	return s.cfg.Prefix
}

// logoutView logs out on POST only and shows the "logged out" page.
func (s *Site) logoutView(w http.ResponseWriter, r *http.Request) error {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return &httpError{http.StatusMethodNotAllowed, "method not allowed"}
	}
	if err := s.auth.Logout(r); err != nil {
		return err
	}
	p := &errorPage{Context: s.pageContext(r, "Logged out")}
	p.User, p.HasPermission, p.NavSidebar, p.AvailableApps = nil, false, false, nil
	s.render(w, r, http.StatusOK, s.tmpl.choose(s.cfg.LogoutTemplate, "", "", "logged_out.html"), p)
	return nil
}
