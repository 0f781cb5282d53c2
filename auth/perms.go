package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/staffroom/staffroom/contenttype"
	"github.com/staffroom/staffroom/orm"
)

// DefaultActions are the permissions every model gets, Django's
// default_permissions.
var DefaultActions = []string{"add", "change", "delete", "view"}

// PermissionName returns "app_label.<action>_<model_name>".
func PermissionName(m *orm.Model, action string) string {
	return m.App.Label + "." + action + "_" + m.ModelName
}

// HasPerm reports whether u holds the permission "app_label.codename": an
// active superuser holds every permission, an inactive user none;
// otherwise the user's own and its groups' permissions count.
func (a *Auth) HasPerm(ctx context.Context, u *User, perm string) (bool, error) {
	if u == nil || !u.IsActive {
		return false, nil
	}
	if u.IsSuperuser {
		return true, nil
	}
	perms, err := a.AllPermissions(ctx, u)
	if err != nil {
		return false, err
	}
	return perms[perm], nil
}

// HasModulePerms reports whether u holds any permission in the app.
func (a *Auth) HasModulePerms(ctx context.Context, u *User, appLabel string) (bool, error) {
	if u == nil || !u.IsActive {
		return false, nil
	}
	if u.IsSuperuser {
		return true, nil
	}
	perms, err := a.AllPermissions(ctx, u)
	if err != nil {
		return false, err
	}
	for p := range perms {
		if strings.HasPrefix(p, appLabel+".") {
			return true, nil
		}
	}
	return false, nil
}

// AllPermissions returns the "app_label.codename" permissions u holds
// directly or through its groups. Within a request handled by Middleware
// the set is loaded once.
func (a *Auth) AllPermissions(ctx context.Context, u *User) (map[string]bool, error) {
	st := stateFrom(ctx)
	if st != nil && st.perms != nil && st.user == u {
		return st.perms, nil
	}
	d := a.db.Dialect()
	q := d.Quote
	query := fmt.Sprintf(`SELECT ct.%[1]s, p.%[2]s FROM %[3]s p JOIN %[4]s ct ON ct.%[5]s = p.%[6]s
WHERE p.%[5]s IN (SELECT %[7]s FROM %[8]s WHERE %[9]s = %[12]s)
   OR p.%[5]s IN (SELECT gp.%[7]s FROM %[10]s gp JOIN %[11]s ug ON ug.%[13]s = gp.%[13]s WHERE ug.%[9]s = %[14]s)`,
		q("app_label"), q("codename"), q("auth_permission"), q("django_content_type"), q("id"), q("content_type_id"),
		q("permission_id"), q("auth_user_user_permissions"), q("user_id"), q("auth_group_permissions"), q("auth_user_groups"),
		d.Placeholder(1), q("group_id"), d.Placeholder(2))
	rows, err := a.db.QueryRaw(ctx, query, u.ID, u.ID)
	if err != nil {
		return nil, fmt.Errorf("auth: permissions of %s: %w", u.Username, err)
	}
	defer rows.Close()
	perms := map[string]bool{}
	for rows.Next() {
		var app, code string
		if err := rows.Scan(&app, &code); err != nil {
			return nil, err
		}
		perms[app+"."+code] = true
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if st != nil && st.user == u {
		st.perms = perms
	}
	return perms, nil
}

// CreatePermissions makes the content type and the add, change, delete
// and view permissions of every registered model, as Django does after
// migrate. Existing rows are kept.
func (a *Auth) CreatePermissions(ctx context.Context) error {
	return a.db.Atomic(ctx, func(ctx context.Context) error {
		for _, m := range a.db.Registry().Models() {
			ct, err := a.types.ForModel(ctx, m)
			if err != nil {
				return err
			}
			for _, action := range DefaultActions {
				code := action + "_" + m.ModelName
				_, err := orm.For[Permission](a.db).Get(ctx, orm.Q{"content_type": ct.ID, "codename": code})
				if err == nil {
					continue
				}
				if !errors.Is(err, orm.ErrNotFound) {
					return err
				}
				p := &Permission{ContentType: orm.FK[contenttype.ContentType](ct.ID), Codename: code, Name: "Can " + action + " " + m.VerboseName}
				if err := a.db.Insert(ctx, p); err != nil {
					return fmt.Errorf("auth: create permission %s.%s: %w", m.App.Label, code, err)
				}
			}
		}
		return nil
	})
}
