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
// (<prefix>auth/user/, <prefix>auth/group/), and, when the registry holds
// auth.ThrottleApp, the login throttling counts with ThrottleAdmin, for
// superusers only. staffroom.New calls it; a
// project that wants its own user admin unregisters User and registers it
// again.
func RegisterAuth(site *Site) error {
	if err := site.Register(auth.User{}, NewUserAdmin()); err != nil {
		return err
	}
	if err := site.Register(auth.Group{}, NewGroupAdmin()); err != nil {
		return err
	}
	if _, err := site.DB().Registry().ModelOf(auth.LoginThrottle{}); err == nil {
		return site.Register(auth.LoginThrottle{}, NewThrottleAdmin())
	}
	return nil
}

// UserAdmin is the admin of auth.User, Django's UserAdmin, built on the
// public methods like any admin: the add page asks for the username and
// the password twice (GetFieldsets, GetForm, SaveForm) and then opens the
// new user's change page (ResponseAdd); the change page shows the
// password as a masked summary of its hash (GetReadonlyFields, GetForm)
// with a link to <id>/password/ (GetURLs), and saving leaves the password
// column alone (SaveModel); lookups on the password are refused
// (LookupAllowed).
type UserAdmin struct {
	ModelAdmin
	// AddFieldsets lay out the add page (Django's add_fieldsets).
	AddFieldsets []Fieldset
}

// NewUserAdmin returns a UserAdmin with Django's options.
func NewUserAdmin() *UserAdmin {
	return &UserAdmin{
		ModelAdmin: ModelAdmin{
			ListDisplay:  []any{"username", "email", "first_name", "last_name", "is_staff"},
			SearchFields: []string{"username", "first_name", "last_name", "email"},
			Ordering:     []string{"username"},
			Fieldsets: []Fieldset{
				{Lines: Lines("username", "password")},
				{Name: "Personal info", Lines: Lines("first_name", "last_name", "email")},
				{Name: "Permissions", Lines: Lines("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
				{Name: "Important dates", Lines: Lines("last_login", "date_joined")},
			},
		},
		AddFieldsets: []Fieldset{{Classes: []string{"wide"}, Lines: Lines("username", "password1", "password2")}},
	}
}

// GetFieldsets returns AddFieldsets on the add page, else the
// ModelAdmin's.
func (a *UserAdmin) GetFieldsets(r *http.Request, obj any) []Fieldset {
	if obj == nil {
		return a.AddFieldsets
	}
	return a.ModelAdmin.GetFieldsets(r, obj)
}

// GetReadonlyFields adds the password on the change page, whatever the
// options say: it is set on its own page only.
func (a *UserAdmin) GetReadonlyFields(r *http.Request, obj any) []string {
	fields := a.ModelAdmin.GetReadonlyFields(r, obj)
	if obj == nil || containsName(fields, "password") {
		return fields
	}
	return append(append([]string(nil), fields...), "password")
}

// GetForm adds the two password fields to the add form, checked against
// each other and the validators; on the change form the password shows
// as a masked summary of the hash with a link to the page that sets it.
func (a *UserAdmin) GetForm(r *http.Request, obj any, change bool) (*form.ModelForm, error) {
	f, err := a.ModelAdmin.GetForm(r, obj, change)
	if err != nil {
		return nil, err
	}
	if !change {
		for _, pf := range newPasswordFields("password1", "Password", "password2", "Password confirmation") {
			f.AddField(pf)
		}
		f.Field("password1").Field.HelpHTML = helpList(a.site.auth.PasswordHelpTexts())
		f.Clean(func(ff *form.Form) error {
			username, _ := ff.Cleaned("username").(string)
			a.site.checkNewPasswords(ff, &auth.User{Username: username}, "password1", "password2")
			return nil
		})
		return f, nil
	}
	if bf := f.Field("password"); bf != nil {
		bf.Field.ReadonlyHTML = a.passwordSummary
	}
	return f, nil
}

// helpList renders help texts as a list, Django's
// password_validators_help_text_html.
func helpList(items []string) template.HTML {
	if len(items) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("<ul>")
	for _, it := range items {
		b.WriteString("<li>" + template.HTMLEscapeString(it) + "</li>")
	}
	b.WriteString("</ul>")
	return template.HTML(b.String())
}

// passwordSummary shows a password hash as its masked summary, with the
// link to the page that sets a new one.
func (a *UserAdmin) passwordSummary(value any) template.HTML {
	hash, _ := value.(string)
	items, note := a.site.auth.Hashers().Summary(hash)
	var b strings.Builder
	b.WriteString(`<div class="password-summary">`)
	if note != "" {
		b.WriteString(`<strong>` + template.HTMLEscapeString(note) + `</strong>`)
	}
	for _, it := range items {
		b.WriteString(`<strong>` + template.HTMLEscapeString(it.Label) + `</strong>: <bdi>` + template.HTMLEscapeString(it.Value) + `</bdi> `)
	}
	b.WriteString(`</div><p class="password-help">Passwords are stored only as hashes, so nobody can read this one. ` +
		`<a href="../password/">Set a new password</a> instead.</p>`)
	return template.HTML(b.String())
}

// SaveForm gives a new user the typed password, marks it active and sets
// its joining date.
func (a *UserAdmin) SaveForm(r *http.Request, f *form.ModelForm, obj any, change bool) error {
	if err := a.ModelAdmin.SaveForm(r, f, obj, change); err != nil || change {
		return err
	}
	u := obj.(*auth.User)
	if err := a.site.auth.SetPassword(u, f.Cleaned("password1").(string)); err != nil {
		return err
	}
	u.IsActive = true
	if u.DateJoined.IsZero() {
		u.DateJoined = time.Now().UTC()
	}
	return nil
}

// SaveModel saves a changed user without its password column, so that a
// password changed meanwhile (by its owner, say) is not put back.
func (a *UserAdmin) SaveModel(r *http.Request, obj any, f *form.ModelForm, change bool) error {
	if !change {
		return a.ModelAdmin.SaveModel(r, obj, f, change)
	}
	var fields []string
	for _, fld := range a.model.ConcreteFields() {
		if fld.Name != "password" && !fld.PrimaryKey {
			fields = append(fields, fld.Name)
		}
	}
	return a.site.db.Update(r.Context(), obj, fields...)
}

// ResponseAdd opens the new user's change page, to fill in the rest,
// unless another user is to be added.
func (a *UserAdmin) ResponseAdd(w http.ResponseWriter, r *http.Request, obj any) error {
	if !r.PostForm.Has("_addanother") {
		r.PostForm.Set("_continue", "1")
	}
	return a.ModelAdmin.ResponseAdd(w, r, obj)
}

// LookupAllowed refuses every lookup on the password, which would let a
// staff member guess hashes one character at a time.
func (a *UserAdmin) LookupAllowed(r *http.Request, lookup, value string) bool {
	return !strings.HasPrefix(lookup, "password") && a.ModelAdmin.LookupAllowed(r, lookup, value)
}

// FormfieldForManyToMany offers permissions with their content types, so
// that "Can add book" says of which app.
func (a *UserAdmin) FormfieldForManyToMany(r *http.Request, dbField *orm.Field, ff *Formfield) {
	permissionChoices(a.site, dbField, ff)
	a.ModelAdmin.FormfieldForManyToMany(r, dbField, ff)
}

// GetURLs adds the password page, <id>/password/, named
// auth_user_password_change.
func (a *UserAdmin) GetURLs() []View {
	return append([]View{{Path: "{id}/password/", Name: "auth_user_password_change", Handler: a.passwordView}},
		a.ModelAdmin.GetURLs()...)
}

// GroupAdmin is the admin of auth.Group, Django's GroupAdmin: groups are
// searched and ordered by name, and their permissions chosen from a
// multiple select naming each permission's content type.
type GroupAdmin struct {
	ModelAdmin
}

// NewGroupAdmin returns a GroupAdmin with Django's options.
func NewGroupAdmin() *GroupAdmin {
	return &GroupAdmin{ModelAdmin{SearchFields: []string{"name"}, Ordering: []string{"name"}}}
}

// FormfieldForManyToMany offers permissions with their content types.
func (a *GroupAdmin) FormfieldForManyToMany(r *http.Request, dbField *orm.Field, ff *Formfield) {
	permissionChoices(a.site, dbField, ff)
	a.ModelAdmin.FormfieldForManyToMany(r, dbField, ff)
}

// permissionChoices loads the permissions a relation field offers with
// their content types in the same query; other fields keep the default.
func permissionChoices(s *Site, f *orm.Field, ff *Formfield) {
	if f.Related != nil && f.Related.Type() == reflect.TypeFor[auth.Permission]() {
		ff.Choices = s.db.Query(f.Related).SelectRelated("content_type")
	}
}
