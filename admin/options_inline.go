package admin

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

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
// inline's options. As Django's, it offers no new form to a user who may
// not add, shows the objects read-only to one who may not change them
// (their forms are then neither validated nor saved), and a delete box
// only with CanDelete and the delete permission.
func (a *InlineModelAdmin) GetFormset(r *http.Request, obj any, prefix string) (*form.ModelFormSet, error) {
	if a.parent == nil {
		return nil, errInlineUnbound
	}
	p := a.perms(r, obj)
	fields, readonly := a.formFields()
	opts := form.ModelFormSetOptions{
		Form: form.Options{Fields: fields, Exclude: a.Exclude, Readonly: readonly, Storage: a.parent.site.cfg.Storage,
			KindWidgets: kindWidgets(a.parent.FormfieldOverrides)}}
	opts.Prefix = prefix
	opts.Extra = a.self.GetExtra(r, obj)
	opts.MinNum = a.self.GetMinNum(r, obj)
	opts.MaxNum = a.self.GetMaxNum(r, obj)
	if !p.add {
		opts.MaxNum = form.MaxNone
	}
	opts.CanDelete = (a.CanDelete == nil || *a.CanDelete) && p.delete
	parent := obj
	if parent == nil {
		parent = a.parent.model.New()
		opts.ParentAdding = true
	} else {
		qs, _, err := a.page(r, obj, prefix)
		if err != nil {
			return nil, err
		}
		opts.Queryset = qs
	}
	var fs *form.ModelFormSet
	opts.Setup = func(i int, mf *form.ModelForm) {
		mf.Renderer = a.parent.site.forms
		initial := i >= 0 && i < fs.InitialFormCount()
		if initial && !p.change || !initial && !p.add {
			mf.MakeReadonly()
		}
	}
	var degradeErr error
	opts.Form.Customize = a.parent.inlineCustomize(r, a, &degradeErr)
	// A proxy's inline objects point at the concrete model's object.
	fs, err := a.newFormSet(r.Context(), concreteObject(a.parent.model, parent), opts)
	if err == nil {
		err = degradeErr
	}
	return fs, err
}

// formFields splits the inline's field options into the model fields its
// forms hold (nil for all) and the read-only ones among them.
func (a *InlineModelAdmin) formFields() (fields, readonly []string) {
	switch {
	case a.Fieldsets != nil:
		fields = modelFieldNames(a.model, flattenFieldsets(a.Fieldsets))
	case a.Fields != nil:
		fields = modelFieldNames(a.model, a.Fields)
	}
	return fields, modelFieldNames(a.model, a.ReadonlyFields)
}

// modelFieldNames keeps the names of m's fields, leaving out methods.
func modelFieldNames(m *orm.Model, names []string) []string {
	out := []string{}
	for _, n := range names {
		if m.Field(n) != nil && n != "pk" {
			out = append(out, n)
		}
	}
	return out
}

// inlinePerms are what the user may do in an inline of one parent.
type inlinePerms struct{ view, add, change, delete bool }

// perms returns the user's permissions in the inline for the parent obj
// (nil when adding); a parent the user may not change leaves its inlines
// view-only.
func (a *InlineModelAdmin) perms(r *http.Request, obj any) inlinePerms {
	p := inlinePerms{view: a.self.HasViewPermission(r, obj), add: a.self.HasAddPermission(r, obj),
		change: a.self.HasChangePermission(r, obj), delete: a.self.HasDeletePermission(r, obj)}
	editable := a.parent.self.HasAddPermission(r)
	if obj != nil {
		editable = a.parent.self.HasChangePermission(r, obj)
	}
	if !editable {
		p.add, p.change, p.delete = false, false, false
	}
	return p
}

// defaultInlinePerPage is the number of objects an inline shows at most
// unless PerPage says otherwise.
const defaultInlinePerPage = 50

// inlinePage is the page of an inline's objects shown. Django shows them
// all; Staffroom pages an inline of more than PerPage objects, the page
// chosen by "?<prefix>-page=N", so a long one stays usable.
type inlinePage struct {
	Number, Count int // the page, from 1, and the number of pages
	Total         int // the number of objects
}

// pageWindow chooses the page the parameter asks for among those of total
// objects; a missing or wrong one is the first (the last when too big).
func pageWindow(total, perPage int, param string) inlinePage {
	p := inlinePage{Number: 1, Count: max(1, (total+perPage-1)/perPage), Total: total}
	if n, err := strconv.Atoi(param); err == nil && n > 1 {
		p.Number = min(n, p.Count)
	}
	return p
}

// page returns the query set of the objects of obj the page shows, in
// the inline's ordering, and which page that is.
func (a *InlineModelAdmin) page(r *http.Request, obj any, prefix string) (orm.QuerySet, inlinePage, error) {
	qs := a.self.GetQueryset(r).Filter(a.parentFilter(obj))
	if len(qs.Ordering()) == 0 {
		qs = qs.OrderBy("pk")
	}
	total, err := qs.Count(r.Context())
	if err != nil {
		return qs, inlinePage{}, fmt.Errorf("admin: inline %s: %w", a.model.Label(), err)
	}
	per := a.PerPage
	if per <= 0 {
		per = defaultInlinePerPage
	}
	p := pageWindow(int(total), per, r.URL.Query().Get(prefix+"-page"))
	if p.Count > 1 {
		qs = qs.Slice((p.Number-1)*per, p.Number*per)
	}
	return qs, p, nil
}

// parentKey returns the value of the inline's foreign key for obj. The
// key may lead to a multi-table parent of obj's model: its field is read
// as obj's model holds it.
func (a *InlineModelAdmin) parentKey(obj any) any {
	// A proxy's object holds its concrete model's struct.
	return a.fk.KeyOf(a.parent.model.ConcreteModel(), concreteObject(a.parent.model, obj))
}

// perm reports whether the user holds the inline model's permission. A
// join model the orm made for a many-to-many field has none of its own:
// as in Django, adding, changing and deleting its rows takes the change
// permission of the model at the relation's other end, and viewing them
// its view or change permission.
func (a *InlineModelAdmin) perm(r *http.Request, action string) bool {
	if a.parent == nil {
		return false
	}
	ctx := r.Context()
	has := func(m *orm.Model, action string) bool {
		ok, err := a.parent.site.auth.HasPerm(ctx, auth.UserFrom(ctx), auth.PermissionName(m, action), nil)
		return err == nil && ok
	}
	if a.model.AutoCreated == nil {
		return has(a.model, action)
	}
	target := a.parent.model
	for _, f := range a.model.Fields {
		if f.IsForeignKey() && f.Related != a.parent.model.ConcreteModel() {
			target = f.Related
			break
		}
	}
	return has(target, "change") || action == "view" && has(target, "view")
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
