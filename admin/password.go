package admin

import (
	"errors"
	"net/http"
	"net/mail"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/form"
)

// The messages of Django's password forms.
const (
	msgOldPassword      = "Your old password was entered incorrectly. Please enter it again."
	msgPasswordMismatch = "The two password fields didn’t match."
	msgInvalidEmail     = "Enter a valid email address."
)

// passwordPage is the data of the password change and reset pages.
type passwordPage struct {
	Context
	Form      *form.Form
	ErrorNote string
	// HelpTexts are the password validators' rules, listed under the
	// first new password field.
	HelpTexts []string
	// ValidLink is false on a reset confirmation page reached with a link
	// that does not (or no longer) work.
	ValidLink bool
	// Username names the user whose password an admin sets.
	Username string
	// OtherSessions are the user's other live sessions, on the password
	// change page.
	OtherSessions []otherSession
}

// newPasswordFields returns the two fields a new password is typed in,
// named name1 and name2, with Django's labels.
func newPasswordFields(name1, label1, name2, label2 string) []*form.Field {
	return []*form.Field{
		form.PasswordField(name1, label1, form.WithAttr("autocomplete", "new-password")),
		form.PasswordField(name2, label2, form.WithAttr("autocomplete", "new-password"),
			form.HelpText("Enter the same password as before, for verification.")),
	}
}

// checkNewPasswords adds Django's errors for the new password fields of a
// bound form: a mismatch, then every validator's message, on the second
// field. u is the user the password is for.
func (s *Site) checkNewPasswords(f *form.Form, u *auth.User, name1, name2 string) {
	p1, ok1 := f.Cleaned(name1).(string)
	p2, ok2 := f.Cleaned(name2).(string)
	if ok1 && ok2 && p1 != p2 {
		f.AddError(name2, msgPasswordMismatch)
		return
	}
	if !ok2 {
		return
	}
	var pe *auth.PasswordError
	if err := s.auth.ValidatePassword(p2, u); errors.As(err, &pe) {
		for _, m := range pe.Messages {
			f.AddError(name2, m)
		}
	}
}

// passwordPageFor lays out a password page with its form's error note.
func (s *Site) passwordPageFor(r *http.Request, title string, f *form.Form) *passwordPage {
	p := &passwordPage{Context: s.pageContext(r, title), Form: f, HelpTexts: s.auth.PasswordHelpTexts(), ValidLink: true}
	p.Breadcrumbs = []Crumb{{"Home", s.cfg.Prefix}, {title, ""}}
	if f != nil {
		switch n := f.ErrorCount(); {
		case n == 1:
			p.ErrorNote = "Please correct the error below."
		case n > 1:
			p.ErrorNote = "Please correct the errors below."
		}
	}
	return p
}

// passwordChangeView lets the logged-in user change their password:
// the old one, then the new one twice. The current session stays logged
// in; every other session of the user ends.
func (s *Site) passwordChangeView(w http.ResponseWriter, r *http.Request) error {
	user := auth.UserFrom(r.Context())
	f := form.New(append([]*form.Field{form.PasswordField("old_password", "Old password",
		form.WithBareAttr("autofocus"), form.WithAttr("autocomplete", "current-password"))},
		newPasswordFields("new_password1", "New password", "new_password2", "New password confirmation")...)...)
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		if r.PostForm.Has(paramSignOutOthers) {
			return s.signOutOthers(w, r, user)
		}
		f.Bind(r.PostForm)
		if old, ok := f.Cleaned("old_password").(string); ok && !s.auth.CheckPassword(user, old) {
			f.AddError("old_password", msgOldPassword)
		}
		s.checkNewPasswords(f, user, "new_password1", "new_password2")
		if f.IsValid() {
			if err := s.auth.ChangePassword(r.Context(), user, f.Cleaned("new_password1").(string)); err != nil {
				return err
			}
			if err := s.auth.UpdateSessionAuthHash(r, user); err != nil {
				return err
			}
			// The other sessions ended with the old password; forget them.
			if err := s.forgetOtherSessions(r, user); err != nil {
				return err
			}
			http.Redirect(w, r, s.cfg.Prefix+"password_change/done/", http.StatusFound)
			return nil
		}
	}
	p := s.passwordPageFor(r, "Password change", f)
	others, err := s.otherSessions(r, user)
	if err != nil {
		return err
	}
	p.OtherSessions = others
	s.render(w, r, http.StatusOK, s.tmpl.choose(s.cfg.PasswordChangeTemplate, "", "", "password_change_form.html"), p)
	return nil
}

// passwordChangeDoneView confirms a password change.
func (s *Site) passwordChangeDoneView(w http.ResponseWriter, r *http.Request) error {
	p := s.passwordPageFor(r, "Password change successful", nil)
	p.Breadcrumbs = []Crumb{{"Home", s.cfg.Prefix}, {"Password change", ""}}
	s.render(w, r, http.StatusOK, s.tmpl.choose(s.cfg.PasswordChangeDoneTemplate, "", "", "password_change_done.html"), p)
	return nil
}

// emailField is Django's EmailField in a password reset form.
func emailField() *form.Field {
	f := form.CharField("email", "Email", form.MaxLength(254), form.WithWidget(&form.Input{Type: "email"}),
		form.WithAttr("autocomplete", "email"), form.WithBareAttr("autofocus"))
	clean := f.Clean
	f.Clean = func(values []string) (any, error) {
		v, err := clean(values)
		if err != nil {
			return nil, err
		}
		if !validEmail(v.(string)) {
			return nil, form.ValidationError{msgInvalidEmail}
		}
		return v, nil
	}
	return f
}

// validEmail accepts a bare address whose domain has a dot (or is
// localhost).
func validEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return domain == "localhost" || (strings.Contains(domain, ".") && !strings.HasSuffix(domain, ".") && !strings.HasPrefix(domain, "."))
}
