package admin

import (
	"context"
	"net/http"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/flash"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// passwordView is UserAdmin's <id>/password/ page, Django's
// user_change_password: whoever may change the user sets a new password,
// typed twice and checked by the validators. It is logged as a change of
// "password"; when it is the staff member's own, their session stays
// logged in while the user's other sessions end.
func (a *UserAdmin) passwordView(w http.ResponseWriter, r *http.Request) error {
	v := a.view()
	id := r.PathValue("object_id")
	obj, _, err := v.getObject(r, id)
	if err != nil {
		return err
	}
	if !v.admin.HasChangePermission(r, obj) {
		return errForbidden
	}
	user, ok := obj.(*auth.User)
	if !ok {
		return errNotFound
	}
	f := form.New(newPasswordFields("password1", "Password", "password2", "Password (again)")...)
	if r.Method == http.MethodPost {
		if err := r.ParseForm(); err != nil {
			return badRequest("malformed form data")
		}
		f.Bind(r.PostForm)
		a.site.checkNewPasswords(f, user, "password1", "password2")
		if f.IsValid() {
			return a.setPassword(w, r, v, user, f.Cleaned("password1").(string))
		}
	}
	p := a.site.passwordPageFor(r, "Change password: "+user.Username, f)
	p.Username = user.Username
	p.Breadcrumbs = []Crumb{{"Home", a.site.cfg.Prefix}, {v.model.App.VerboseName, v.appURL()},
		{orm.Capfirst(v.model.VerboseNamePlural), v.url("")}, {user.Username, v.objectURL(user, "change/")}, {"Change password", ""}}
	a.site.render(w, r, http.StatusOK, a.site.tmpl.lookup(v.model.App.Label, v.model.ModelName, "change_password.html"), p)
	return nil
}

// setPassword saves the new password with its log entry, keeps the
// current session, and goes back to the user's change page.
func (a *UserAdmin) setPassword(w http.ResponseWriter, r *http.Request, v *modelView, user *auth.User, password string) error {
	staff := auth.UserFrom(r.Context())
	err := a.site.db.Atomic(r.Context(), func(ctx context.Context) error {
		if err := a.site.auth.ChangePassword(ctx, user, password); err != nil {
			return err
		}
		return a.site.logAction(ctx, staff, v.model, user, Change, changedMessage([]string{"password"}), "")
	})
	if err != nil {
		return err
	}
	if staff != nil && staff.ID == user.ID {
		if err := a.site.auth.UpdateSessionAuthHash(r, user); err != nil {
			return err
		}
	}
	flash.AddSuccess(r, "Password changed successfully.")
	http.Redirect(w, r, v.objectURL(user, "change/"), http.StatusFound)
	return nil
}
