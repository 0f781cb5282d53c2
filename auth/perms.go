package auth

import (
	"context"
	"errors"
	"fmt"
	"sync"

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

// HasPerm reports whether u holds the permission "app_label.codename", on
// obj when obj is not nil, as Django's User.has_perm: an active superuser
// holds every permission; otherwise each backend is asked in turn, the
// first yes wins and ErrPermissionDenied from a backend means no. u is nil
// for an anonymous visitor.
func (a *Auth) HasPerm(ctx context.Context, u *User, perm string, obj any) (bool, error) {
	if u != nil && u.IsActive && u.IsSuperuser {
		return true, nil
	}
	for _, b := range a.backends {
		ok, err := b.HasPerm(ctx, u, perm, obj)
		if errors.Is(err, ErrPermissionDenied) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("auth: has perm %s (%s): %w", perm, b.Path(), err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// HasPerms reports whether u holds every permission in perms (on obj when
// it is not nil).
func (a *Auth) HasPerms(ctx context.Context, u *User, perms []string, obj any) (bool, error) {
	for _, p := range perms {
		ok, err := a.HasPerm(ctx, u, p, obj)
		if err != nil || !ok {
			return false, err
		}
	}
	return true, nil
}

// HasModulePerms reports whether u holds any permission in the app: true
// for an active superuser, otherwise the first backend implementing
// ModulePermBackend that says yes (ErrPermissionDenied means no).
func (a *Auth) HasModulePerms(ctx context.Context, u *User, appLabel string) (bool, error) {
	if u != nil && u.IsActive && u.IsSuperuser {
		return true, nil
	}
	for _, b := range a.backends {
		mb, ok := b.(ModulePermBackend)
		if !ok {
			continue
		}
		ok, err := mb.HasModulePerms(ctx, u, appLabel)
		if errors.Is(err, ErrPermissionDenied) {
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("auth: has module perms %s (%s): %w", appLabel, b.Path(), err)
		}
		if ok {
			return true, nil
		}
	}
	return false, nil
}

// AllPermissions returns the union of every backend's permissions for u
// (on obj when it is not nil), Django's User.get_all_permissions.
func (a *Auth) AllPermissions(ctx context.Context, u *User, obj any) (map[string]bool, error) {
	out := map[string]bool{}
	for _, b := range a.backends {
		perms, err := b.AllPermissions(ctx, u, obj)
		if err != nil {
			return nil, fmt.Errorf("auth: permissions (%s): %w", b.Path(), err)
		}
		out = union(out, perms)
	}
	return out, nil
}

// loadPermissions reads "app_label.codename" permissions: kind "user"
// for a user's own, "group" for its groups', "every" for all of them. The
// statement is built from the models' metadata.
func loadPermissions(ctx context.Context, db *orm.DB, kind string, userID int64) (map[string]bool, error) {
	query, args, err := permissionQuery(db, kind, userID)
	if err != nil {
		return nil, err
	}
	rows, err := db.QueryRaw(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("auth: %s permissions of user %d: %w", kind, userID, err)
	}
	defer rows.Close()
	perms := map[string]bool{}
	for rows.Next() {
		var app, code string
		if err := rows.Scan(&app, &code); err != nil {
			return nil, fmt.Errorf("auth: %s permissions of user %d: %w", kind, userID, err)
		}
		perms[app+"."+code] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("auth: %s permissions of user %d: %w", kind, userID, err)
	}
	return perms, nil
}

// permissionQuery builds the SELECT of loadPermissions.
func permissionQuery(db *orm.DB, kind string, userID int64) (string, []any, error) {
	reg := db.Registry()
	pm, err1 := reg.ModelOf(Permission{})
	um, err2 := reg.ModelOf(User{})
	gm, err3 := reg.ModelOf(Group{})
	if err := errors.Join(err1, err2, err3); err != nil {
		return "", nil, fmt.Errorf("auth: permissions: register auth.App(): %w", err)
	}
	d := db.Dialect()
	q := d.Quote
	ctField := pm.Field("content_type")
	ct := ctField.Related
	query := "SELECT ct." + q(ct.Field("app_label").Column) + ", p." + q(pm.Field("codename").Column) +
		" FROM " + q(pm.Table) + " p JOIN " + q(ct.Table) + " ct ON ct." + q(ct.PK.Column) + " = p." + q(ctField.Column)
	userPerms, groups, groupPerms := um.Field("user_permissions"), um.Field("groups"), gm.Field("permissions")
	switch kind {
	case "every":
		return query, nil, nil
	case "user":
		query += " WHERE p." + q(pm.PK.Column) + " IN (SELECT " + q(userPerms.ThroughTo) + " FROM " + q(userPerms.Through) +
			" WHERE " + q(userPerms.ThroughFrom) + " = " + d.Placeholder(1) + ")"
	default:
		query += " WHERE p." + q(pm.PK.Column) + " IN (SELECT gp." + q(groupPerms.ThroughTo) + " FROM " + q(groupPerms.Through) +
			" gp JOIN " + q(groups.Through) + " ug ON ug." + q(groups.ThroughTo) + " = gp." + q(groupPerms.ThroughFrom) +
			" WHERE ug." + q(groups.ThroughFrom) + " = " + d.Placeholder(1) + ")"
	}
	return query, []any{userID}, nil
}

// permCache holds the permission sets loaded during one request.
type permCache struct {
	mu   sync.Mutex
	sets map[string]map[string]bool
}

// cachedPerms returns the set cached under key in the request's cache, or
// loads and caches it. Outside Middleware nothing is cached.
func cachedPerms(ctx context.Context, key string, load func() (map[string]bool, error)) (map[string]bool, error) {
	st := stateFrom(ctx)
	if st == nil {
		return load()
	}
	c := &st.cache
	c.mu.Lock()
	perms, ok := c.sets[key]
	c.mu.Unlock()
	if ok {
		return perms, nil
	}
	perms, err := load()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.sets == nil {
		c.sets = map[string]map[string]bool{}
	}
	c.sets[key] = perms
	c.mu.Unlock()
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
