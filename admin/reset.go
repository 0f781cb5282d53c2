package admin

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/guard"
	"github.com/staffroom/staffroom/orm"
	"github.com/staffroom/staffroom/session"
)

// resetSessionKey holds a reset token while the set-password page is
// shown, Django's _password_reset_token.
const resetSessionKey = "_password_reset_token"

// resetURLToken replaces the token in the confirmation URL once the token
// is in the session, Django's reset_url_token.
const resetURLToken = "set-password"

// passwordResetView asks for an email address and mails a reset link to
// every active user with a usable password registered with it. The answer
// is the same whether there was one or not.
func (s *Site) passwordResetView(w http.ResponseWriter, r *http.Request) error {
	f := form.New(emailField())
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		f.Bind(r.PostForm)
		if f.IsValid() {
			if err := s.sendResetMails(r, f.Cleaned("email").(string)); err != nil {
				return err
			}
			http.Redirect(w, r, s.cfg.Prefix+"password_reset/done/", http.StatusFound)
			return nil
		}
	}
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "password_reset_form.html"), s.passwordPageFor(r, "Password reset", f))
	return nil
}

// sendResetMails mails each matching user a link with a fresh token, to
// the address stored for the user. A failed delivery is logged, not
// shown, so that the page never tells whether an account exists.
func (s *Site) sendResetMails(r *http.Request, email string) error {
	base, ok := s.baseURL(r)
	if !ok {
		return badRequest("the request's host is not one the site answers to")
	}
	users, err := s.auth.PasswordResetUsers(r.Context(), email)
	if err != nil {
		return err
	}
	host := base
	if u, err := url.Parse(base); err == nil {
		host = u.Host
	}
	for _, u := range users {
		link := base + s.cfg.Prefix + "reset/" + auth.EncodeUID(u.ID) + "/" + s.auth.PasswordResetTokens().MakeToken(u) + "/"
		m := auth.Mail{To: []string{u.Email}, Subject: "Password reset on " + host, Body: resetMailBody(host, link, u.Username)}
		if err := s.auth.SendMail(r.Context(), m); err != nil {
			s.log.ErrorContext(r.Context(), "admin: failed to send a password reset mail", "user", u.ID, "err", err)
		}
	}
	return nil
}

func resetMailBody(host, link, username string) string {
	return "Someone asked to reset the password of your account at " + host + ".\n\n" +
		"To choose a new password, open this link:\n" + link + "\n\n" +
		"Your username is " + username + ".\n\n" +
		"If you did not ask for this, ignore this mail: your password stays as it is.\n"
}

// baseURL is the scheme and host reset links point at: Config.BaseURL,
// or the request's own when it is an allowed host (Django's
// get_current_site with request.get_host()); false when it is not.
func (s *Site) baseURL(r *http.Request) (string, bool) {
	if s.cfg.BaseURL != "" {
		return s.cfg.BaseURL, true
	}
	host := guard.Host(r)
	if !guard.HostChecked(r) && !guard.HostAllowed(host, s.allowedHosts()) {
		return "", false
	}
	return guard.Scheme(r) + "://" + host, true
}

// allowedHosts returns Config.AllowedHosts or their default.
func (s *Site) allowedHosts() []string {
	if len(s.cfg.AllowedHosts) == 0 {
		return guard.DefaultAllowedHosts()
	}
	return s.cfg.AllowedHosts
}

// passwordResetDoneView says a mail is on its way, if the address is
// known.
func (s *Site) passwordResetDoneView(w http.ResponseWriter, r *http.Request) error {
	p := s.passwordPageFor(r, "Password reset sent", nil)
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "password_reset_done.html"), p)
	return nil
}

// passwordResetConfirmView checks the link of a reset mail. A valid token
// moves into the session and the browser is sent to the same URL with
// "set-password" instead, so that the token does not leak through the
// Referer of anything the page loads; that URL shows the form to set the
// new password, as long as the session's token still checks out.
func (s *Site) passwordResetConfirmView(w http.ResponseWriter, r *http.Request) error {
	uid, token := r.PathValue("uidb64"), r.PathValue("token")
	u, found, err := s.resetUser(r, uid)
	if err != nil {
		return err
	}
	sess := session.From(r)
	tokens := s.auth.PasswordResetTokens()
	valid := false
	switch {
	case !found:
	case token == resetURLToken:
		valid = tokens.CheckToken(u, sess.String(resetSessionKey))
	case tokens.CheckToken(u, token):
		sess.Set(resetSessionKey, token)
		http.Redirect(w, r, s.cfg.Prefix+"reset/"+url.PathEscape(uid)+"/"+resetURLToken+"/", http.StatusFound)
		return nil
	}
	f := form.New(newPasswordFields("new_password1", "New password", "new_password2", "Confirm password")...)
	if valid && r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		f.Bind(r.PostForm)
		s.checkNewPasswords(f, u, "new_password1", "new_password2")
		if f.IsValid() {
			if err := s.auth.ChangePassword(r.Context(), u, f.Cleaned("new_password1").(string)); err != nil {
				return err
			}
			sess.Delete(resetSessionKey)
			http.Redirect(w, r, s.cfg.Prefix+"reset/done/", http.StatusFound)
			return nil
		}
	}
	title := "Enter new password"
	if !valid {
		title = "Password reset unsuccessful"
	}
	p := s.passwordPageFor(r, title, f)
	p.ValidLink = valid
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "password_reset_confirm.html"), p)
	return nil
}

// resetUser returns the user a reset link names; found is false for a
// link naming nobody.
func (s *Site) resetUser(r *http.Request, uid string) (u *auth.User, found bool, err error) {
	id, ok := auth.DecodeUID(uid)
	if !ok {
		return nil, false, nil
	}
	u, err = orm.Get[auth.User](r.Context(), orm.For[auth.User](s.db), orm.Q{"pk": id})
	if errors.Is(err, orm.ErrNotFound) {
		return nil, false, nil
	}
	return u, err == nil, err
}

// passwordResetCompleteView confirms the new password.
func (s *Site) passwordResetCompleteView(w http.ResponseWriter, r *http.Request) error {
	p := s.passwordPageFor(r, "Password reset complete", nil)
	s.render(w, r, http.StatusOK, s.tmpl.lookup("", "", "password_reset_complete.html"), p)
	return nil
}
