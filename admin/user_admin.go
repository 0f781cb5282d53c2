package admin

import (
	"html/template"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/form"
	"github.com/staffroom/staffroom/orm"
)

// RegisterAuth registers auth's User and Group with UserAdmin and
// GroupAdmin, as Django's auth app does, at Django's URLs
// (<prefix>auth/user/, <prefix>auth/group/). staffroom.New calls it; a
// project that wants its own user admin unregisters User and registers it
// again.
func RegisterAuth(site *Site) error {
	if err := site.Register(auth.User{}, NewUserAdmin()); err != nil {
		return err
	}
	return site.Register(auth.Group{}, NewGroupAdmin())
}

// UserAdmin is the admin of auth.User, Django's UserAdmin. Whatever its
// options say, the password is never an editable field: the change page
// shows a masked summary of the hash with a link to <id>/password/, where
// a new password is typed twice; the add page asks for the username and
// the password twice; lookups on password in the change list's query
// string are refused.
type UserAdmin struct {
	ModelAdmin
}

// NewUserAdmin returns a UserAdmin with Django's options (of those built
// so far).
func NewUserAdmin() *UserAdmin {
	return &UserAdmin{ModelAdmin{
		ListDisplay:  []any{"username", "email", "first_name", "last_name", "is_staff"},
		SearchFields: []string{"username", "first_name", "last_name", "email"},
		Ordering:     []string{"username"},
		Fields: []string{"username", "password", "first_name", "last_name", "email", "is_active", "is_staff",
			"is_superuser", "groups", "user_permissions", "last_login", "date_joined"},
		ReadonlyFields: []string{"password"},
	}}
}

// LookupAllowed refuses every lookup on the password, which would let a
// staff member guess hashes one character at a time.
func (a *UserAdmin) LookupAllowed(r *http.Request, lookup, value string) bool {
	return !strings.HasPrefix(lookup, "password")
}

// SaveModel saves a changed user without its password column, so that a
// password changed meanwhile (by its owner, say) is not put back.
func (a *UserAdmin) SaveModel(r *http.Request, obj any, change bool) error {
	if !change {
		return a.ModelAdmin.SaveModel(r, obj, change)
	}
	var fields []string
	for _, f := range a.model.ConcreteFields() {
		if f.Name != "password" && !f.PrimaryKey {
			fields = append(fields, f.Name)
		}
	}
	return a.site.db.Update(r.Context(), obj, fields...)
}

// alwaysReadonly implements readonlyForcer.
func (a *UserAdmin) alwaysReadonly() []string { return []string{"password"} }

// readonlyHTML implements readonlyRenderer: the password as a masked
// summary of its hash, with the link to the page that changes it.
func (a *UserAdmin) readonlyHTML(r *http.Request, obj any, field string) (template.HTML, bool) {
	u, ok := obj.(*auth.User)
	if field != "password" || !ok {
		return "", false
	}
	items, note := a.site.auth.Hashers().Summary(u.Password)
	var b strings.Builder
	b.WriteString(`<div class="password-summary">`)
	if note != "" {
		b.WriteString(`<strong>` + template.HTMLEscapeString(note) + `</strong>`)
	}
	for _, it := range items {
		b.WriteString(`<strong>` + template.HTMLEscapeString(it.Label) + `</strong>: <bdi>` + template.HTMLEscapeString(it.Value) + `</bdi> `)
	}
	b.WriteString(`</div>`)
	if u.ID != 0 {
		b.WriteString(`<p class="password-help">Passwords are stored only as hashes, so nobody can read this one. ` +
			`<a href="../password/">Set a new password</a> instead.</p>`)
	}
	return template.HTML(b.String()), true
}

// addFields implements addFormer: the add page asks for the username
// only, plus the two password fields of addExtra.
func (a *UserAdmin) addFields() []string { return []string{"username"} }

// addExtra implements addFormer.
func (a *UserAdmin) addExtra(r *http.Request) *form.Form {
	return form.New(newPasswordFields("password1", "Password", "password2", "Password confirmation")...)
}

// checkAddExtra implements addFormer: the passwords must match and pass
// the validators, for a user with the username typed. (The username's own
// rule is the model's validator, checked by every user form.)
func (a *UserAdmin) checkAddExtra(r *http.Request, mf *form.ModelForm, extra *form.Form) {
	username, _ := mf.Cleaned("username").(string)
	a.site.checkNewPasswords(extra, &auth.User{Username: username}, "password1", "password2")
}

// applyAddExtra implements addFormer: the new user gets the password.
func (a *UserAdmin) applyAddExtra(obj any, extra *form.Form) error {
	u := obj.(*auth.User)
	if err := a.site.auth.SetPassword(u, extra.Cleaned("password1").(string)); err != nil {
		return err
	}
	u.IsActive = true
	if u.DateJoined.IsZero() {
		u.DateJoined = time.Now().UTC()
	}
	return nil
}

// continueAfterAdd implements addFormer: after adding a user, its change
// page opens, to fill in the rest.
func (a *UserAdmin) continueAfterAdd() bool { return true }

// choices implements choicesProvider: permissions are offered with their
// content types, so that "Can add book" says of which app.
func (a *UserAdmin) choices(f *orm.Field) orm.QuerySet { return permissionChoices(a.site, f) }

// objectView implements objectViewer: <id>/password/.
func (a *UserAdmin) objectView(name string) (objectViewFunc, bool) {
	if name != "password" {
		return nil, false
	}
	return a.passwordView, true
}

// GroupAdmin is the admin of auth.Group, Django's GroupAdmin: groups are
// searched and ordered by name, and their permissions chosen from a
// multiple select naming each permission's content type.
type GroupAdmin struct {
	ModelAdmin
}

// NewGroupAdmin returns a GroupAdmin with Django's options (of those
// built so far).
func NewGroupAdmin() *GroupAdmin {
	return &GroupAdmin{ModelAdmin{SearchFields: []string{"name"}, Ordering: []string{"name"}}}
}

// choices implements choicesProvider.
func (a *GroupAdmin) choices(f *orm.Field) orm.QuerySet { return permissionChoices(a.site, f) }

// permissionChoices loads the permissions a relation field offers with
// their content types in the same query; other fields keep the default.
func permissionChoices(s *Site, f *orm.Field) orm.QuerySet {
	if f.Related == nil || f.Related.Type() != reflect.TypeFor[auth.Permission]() {
		return orm.QuerySet{}
	}
	return s.db.Query(f.Related).SelectRelated("content_type")
}
