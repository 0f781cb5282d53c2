package admin

import (
	"errors"
	"net/http"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// errInlineUnbound is returned by an inline's methods before the inline
// belongs to a registered admin.
var errInlineUnbound = errors.New("admin: the inline is not registered with a model admin")

// GetExtra implements Inline: Extra, else 3.
func (a *InlineModelAdmin) GetExtra(r *http.Request, obj any) int {
	if a.Extra != nil {
		return *a.Extra
	}
	return 3
}

// GetMaxNum implements Inline: MaxNum.
func (a *InlineModelAdmin) GetMaxNum(r *http.Request, obj any) int { return a.MaxNum }

// GetMinNum implements Inline: MinNum.
func (a *InlineModelAdmin) GetMinNum(r *http.Request, obj any) int { return a.MinNum }

// GetQueryset implements Inline: every object of the inline's model, in
// its Ordering.
func (a *InlineModelAdmin) GetQueryset(r *http.Request) orm.QuerySet {
	if a.parent == nil {
		return orm.QuerySet{}
	}
	qs := a.parent.site.db.Query(a.model)
	if len(a.Ordering) > 0 {
		qs = qs.OrderBy(a.Ordering...)
	}
	return qs
}

// GetFormset implements Inline: the inline formset of the parent obj,
// sized by GetExtra, GetMinNum and GetMaxNum, with the fields of the
// inline's options.
func (a *InlineModelAdmin) GetFormset(r *http.Request, obj any) (*form.ModelFormSet, error) {
	if a.parent == nil {
		return nil, errInlineUnbound
	}
	opts := form.ModelFormSetOptions{FKName: a.FkName,
		Form: form.Options{Fields: a.Fields, Exclude: a.Exclude, Readonly: a.ReadonlyFields, Storage: a.parent.site.cfg.Storage}}
	opts.Extra = a.self.GetExtra(r, obj)
	opts.MinNum = a.self.GetMinNum(r, obj)
	opts.MaxNum = a.self.GetMaxNum(r, obj)
	opts.CanDelete = (a.CanDelete == nil || *a.CanDelete) && a.self.HasDeletePermission(r, obj)
	parent := obj
	if parent == nil {
		parent = a.parent.model.New()
	}
	return form.NewInlineFormSet(r.Context(), a.parent.site.db, parent, a.model, opts)
}

// perm reports whether the user holds the inline model's permission.
func (a *InlineModelAdmin) perm(r *http.Request, action string) bool {
	if a.parent == nil {
		return false
	}
	ctx := r.Context()
	ok, err := a.parent.site.auth.HasPerm(ctx, auth.UserFrom(ctx), auth.PermissionName(a.model, action), nil)
	return err == nil && ok
}

// HasViewPermission implements Inline: view or change permission on the
// inline's model.
func (a *InlineModelAdmin) HasViewPermission(r *http.Request, obj any) bool {
	return a.perm(r, "view") || a.self.HasChangePermission(r, obj)
}

// HasAddPermission implements Inline.
func (a *InlineModelAdmin) HasAddPermission(r *http.Request, obj any) bool { return a.perm(r, "add") }

// HasChangePermission implements Inline.
func (a *InlineModelAdmin) HasChangePermission(r *http.Request, obj any) bool {
	return a.perm(r, "change")
}

// HasDeletePermission implements Inline.
func (a *InlineModelAdmin) HasDeletePermission(r *http.Request, obj any) bool {
	return a.perm(r, "delete")
}
