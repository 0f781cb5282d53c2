package admin

import (
	"net/http"

	"github.com/staffroom/staffroom/auth"
)

// perm reports whether the user holds the model's permission for action:
// model-wide, as Django's ModelAdmin asks, or, failing that and with an
// object, on that object, so that backends granting object permissions
// reach the admin.
func (a *ModelAdmin) perm(r *http.Request, action string, obj any) bool {
	ctx := r.Context()
	u := auth.UserFrom(ctx)
	name := auth.PermissionName(a.model, action)
	ok, err := a.site.auth.HasPerm(ctx, u, name, nil)
	if err == nil && !ok && obj != nil {
		ok, err = a.site.auth.HasPerm(ctx, u, name, obj)
	}
	if err != nil {
		a.site.log.ErrorContext(ctx, "admin: permission check", "perm", name, "err", err)
		return false
	}
	return ok
}

// HasViewPermission implements Admin: the view permission, or the right
// to change (HasChangePermission), as in Django.
func (a *ModelAdmin) HasViewPermission(r *http.Request, obj any) bool {
	return a.perm(r, "view", obj) || a.self.HasChangePermission(r, obj)
}

// HasAddPermission implements Admin.
func (a *ModelAdmin) HasAddPermission(r *http.Request) bool { return a.perm(r, "add", nil) }

// HasChangePermission implements Admin.
func (a *ModelAdmin) HasChangePermission(r *http.Request, obj any) bool {
	return a.perm(r, "change", obj)
}

// HasDeletePermission implements Admin.
func (a *ModelAdmin) HasDeletePermission(r *http.Request, obj any) bool {
	return a.perm(r, "delete", obj)
}

// HasModulePermission implements Admin: any permission in the app.
func (a *ModelAdmin) HasModulePermission(r *http.Request) bool {
	u := auth.UserFrom(r.Context())
	ok, err := a.site.auth.HasModulePerms(r.Context(), u, a.model.App.Label)
	return err == nil && ok
}

// hasViewOrChange is Django's has_view_or_change_permission.
func hasViewOrChange(ma Admin, r *http.Request, obj any) bool {
	return ma.HasViewPermission(r, obj) || ma.HasChangePermission(r, obj)
}
