package admin

import (
	"net/http"
	"strings"

	"github.com/staffroom/staffroom/auth"
	"github.com/staffroom/staffroom/orm"
)

// ThrottleAdmin shows login throttling (auth.LoginThrottle) to superusers
// alone: which addresses, and which usernames from which address, are
// failing or locked out. Rows are read-only; deleting one lifts its
// lockout. Usernames are stored only as HMACs, so the search box finds a
// username's rows by the exact username, or an address's.
type ThrottleAdmin struct{ ModelAdmin }

// NewThrottleAdmin returns the admin RegisterAuth registers when the
// registry holds auth.ThrottleApp.
func NewThrottleAdmin() *ThrottleAdmin {
	cols := []string{"scope", "address", "failures", "last_failure", "locked_until"}
	return &ThrottleAdmin{ModelAdmin{
		ListDisplay:    []any{"__str__", "scope", "address", "failures", "last_failure", "locked_until", "locked"},
		Ordering:       []string{"-last_failure"},
		Fields:         cols,
		ReadonlyFields: cols,
		SearchFields:   []string{"=address"},
		SearchHelpText: "A username or a client address, exactly.",
	}}
}

func superuser(r *http.Request) bool {
	u := auth.UserFrom(r.Context())
	return u != nil && u.IsActive && u.IsSuperuser
}

// HasModulePermission shows the model to superusers only.
func (a *ThrottleAdmin) HasModulePermission(r *http.Request) bool { return superuser(r) }

// HasViewPermission lets superusers only see the counts.
func (a *ThrottleAdmin) HasViewPermission(r *http.Request, obj any) bool { return superuser(r) }

// HasDeletePermission lets superusers lift a lockout.
func (a *ThrottleAdmin) HasDeletePermission(r *http.Request, obj any) bool { return superuser(r) }

// HasAddPermission refuses: counts come from failed logins only.
func (a *ThrottleAdmin) HasAddPermission(r *http.Request) bool { return false }

// HasChangePermission refuses: a count is deleted, never edited.
func (a *ThrottleAdmin) HasChangePermission(r *http.Request, obj any) bool { return false }

// GetSearchResults matches the exact address, or the username through its
// HMAC.
func (a *ThrottleAdmin) GetSearchResults(r *http.Request, qs orm.QuerySet, term string) (orm.QuerySet, bool, error) {
	term = strings.TrimSpace(term)
	if term == "" {
		return qs, false, nil
	}
	return qs.Filter(orm.Or(orm.Q{"address": term}, orm.Q{"username_key": a.Site().Auth().ThrottleUsernameKey(term)})), false, nil
}
