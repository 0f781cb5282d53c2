package admin

import (
	"errors"
	"net/http"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/session"
)

// twoFactorView shows the logged-in user's two-factor status, with links
// to set it up, get new recovery codes or turn it off.
func (s *Site) twoFactorView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := auth.UserFrom(ctx)
	st, err := s.auth.TwoFactor(ctx, u)
	if err != nil {
		return err
	}
	p := s.accountPage(r, "Two-factor sign-in", nil)
	p.Status = st
	if p.Required, err = s.requiresTwoFactor(ctx, u); err != nil {
		return err
	}
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "two_factor.html"), p)
	return nil
}

// accountPage lays out a page of the user's own two-factor settings.
func (s *Site) accountPage(r *http.Request, title string, f *form.Form) *twoFactorPage {
	p := s.twoFactorPageFor(r, title, f)
	p.Breadcrumbs = []Crumb{{"Home", s.cfg.Prefix}, {"Two-factor sign-in", s.cfg.Prefix + "two_factor/"}, {title, ""}}
	if title == "Two-factor sign-in" {
		p.Breadcrumbs = []Crumb{{"Home", s.cfg.Prefix}, {title, ""}}
	}
	return p
}

// passwordConfirmField is where the user types their password to confirm
// a change to their second factor.
func passwordConfirmField() *form.Field {
	return form.PasswordField("password", "Your password", form.NoStrip(), form.WithAttr("autocomplete", "current-password"))
}

// bindWithOwnPassword binds f to the POSTed form and checks the password
// typed in its password field as a login would, throttled; a wrong one
// adds the error to the field.
func (s *Site) bindWithOwnPassword(r *http.Request, f *form.Form) error {
	if err := r.ParseForm(); err != nil {
		return badRequest("malformed form data")
	}
	f.Bind(r.PostForm)
	pw, ok := f.Cleaned("password").(string)
	if !ok {
		return nil
	}
	u := auth.UserFrom(r.Context())
	got, _, err := s.auth.Authenticate(r.Context(), r, auth.PasswordCredentials(u.Username, pw))
	var throttled *auth.ThrottledError
	switch {
	case errors.As(err, &throttled):
		f.AddError("password", throttled.Message())
	case err != nil:
		return err
	case got == nil || got.ID != u.ID:
		f.AddError("password", msgOldPassword)
	}
	return nil
}

// twoFactorSetupView sets up an authenticator for the logged-in user, or
// a new one in place of the current, confirmed by a code from it and the
// password; it shows the new recovery codes.
func (s *Site) twoFactorSetupView(w http.ResponseWriter, r *http.Request) error {
	if err := allowGetPost(r); err != nil {
		return err
	}
	u := auth.UserFrom(r.Context())
	f := form.New(codeField("Code from the app"), passwordConfirmField())
	status := http.StatusOK
	if r.Method == http.MethodPost {
		if err := s.bindWithOwnPassword(r, f); err != nil {
			return err
		}
		if f.IsValid() {
			codes, err := s.auth.ConfirmTOTP(r.Context(), u, f.Cleaned("code").(string))
			if err == nil {
				sess := session.From(r)
				if err := sess.CycleKey(r.Context()); err != nil {
					return err
				}
				sess.Set(verifiedKey, "1")
				return s.renderCodes(w, r, codes, s.cfg.Prefix+"two_factor/")
			}
			if status, _, err = s.codeError(w, r, f, err, ""); err != nil {
				return err
			}
		}
	}
	p := s.accountPage(r, "Set up two-factor sign-in", f)
	if err := s.fillEnrolment(r, p, u); err != nil {
		return err
	}
	s.render(w, r, status, s.tmpl.lookup("", "", "two_factor_setup.html"), p)
	return nil
}

// twoFactorCodesView gives the logged-in user new recovery codes, the
// old ones no longer working, once they confirm with their password.
func (s *Site) twoFactorCodesView(w http.ResponseWriter, r *http.Request) error {
	return s.confirmTwoFactorChange(w, r, "New recovery codes",
		"New recovery codes replace your current ones, which will stop working.", "Make new codes",
		func(u *auth.User) error {
			codes, err := s.auth.NewRecoveryCodes(r.Context(), u)
			if err != nil {
				return err
			}
			return s.renderCodes(w, r, codes, s.cfg.Prefix+"two_factor/")
		})
}

// twoFactorDisableView turns the logged-in user's second factor off once
// they confirm with their password, unless the site requires it of them.
func (s *Site) twoFactorDisableView(w http.ResponseWriter, r *http.Request) error {
	return s.confirmTwoFactorChange(w, r, "Turn off two-factor sign-in",
		"Your authenticator app and recovery codes will stop working, and your password alone will sign you in.", "Turn off",
		func(u *auth.User) error {
			if required, err := s.requiresTwoFactor(r.Context(), u); err != nil || required {
				if err == nil {
					flash.AddError(r, "This site requires two-factor sign-in of your account. Set up a new authenticator instead.")
					http.Redirect(w, r, s.cfg.Prefix+"two_factor/", http.StatusFound)
				}
				return err
			}
			if err := s.auth.ResetTwoFactor(r.Context(), u); err != nil {
				return err
			}
			session.From(r).Delete(verifiedKey)
			flash.AddSuccess(r, "Two-factor sign-in is off.")
			http.Redirect(w, r, s.cfg.Prefix+"two_factor/", http.StatusFound)
			return nil
		})
}

// confirmTwoFactorChange asks for the password, then (with a new session
// key) does the change, which writes the response.
func (s *Site) confirmTwoFactorChange(w http.ResponseWriter, r *http.Request, title, intro, button string, do func(u *auth.User) error) error {
	if err := allowGetPost(r); err != nil {
		return err
	}
	u := auth.UserFrom(r.Context())
	if on, err := s.auth.HasTwoFactor(r.Context(), u); err != nil || !on {
		if err == nil {
			http.Redirect(w, r, s.cfg.Prefix+"two_factor/", http.StatusFound)
		}
		return err
	}
	f := form.New(passwordConfirmField())
	if r.Method == http.MethodPost {
		if err := s.bindWithOwnPassword(r, f); err != nil {
			return err
		}
		if f.IsValid() {
			if err := session.From(r).CycleKey(r.Context()); err != nil {
				return err
			}
			return do(u)
		}
	}
	p := s.accountPage(r, title, f)
	p.Intro, p.Button = intro, button
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "two_factor_confirm.html"), p)
	return nil
}
