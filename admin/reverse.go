package admin

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ErrNoReverseMatch is wrapped by the errors of Site.Reverse, Django's
// NoReverseMatch: no URL has the name, or not with that many arguments.
var ErrNoReverseMatch = errors.New("no reverse match")

// urlName is a named URL of the site: how many arguments it takes and
// how it builds the path below the site's root from them; build reports
// false for arguments no URL of that name accepts.
type urlName struct {
	nargs int
	build func(args []string) (string, bool)
}

func fixedURL(path string) urlName {
	return urlName{build: func([]string) (string, bool) { return path, true }}
}

// objectURLName is a model URL taking an object id, which is
// admin-quoted and path-escaped, as the routes expect.
func objectURLName(base, rest string) urlName {
	return urlName{nargs: 1, build: func(a []string) (string, bool) {
		return base + objectPath(a[0]) + "/" + rest, true
	}}
}

// Reverse returns the URL path of a named page of the site, Django's
// reverse("admin:<name>", args=...). The name may carry the namespace
// "admin" or the site's Name ("admin:index", "staff:index"), which both
// mean this site, or none. The names are Django's: index, login, logout,
// password_change, password_change_done, two_factor, app_list (app label),
// view_on_site (content type id, object id),
// <app>_<model>_changelist, _add, _history, _delete and _change (object
// id), the password reset pages (admin_password_reset,
// password_reset_done, password_reset_confirm, password_reset_complete)
// and the names of the views of AddView and of every admin's GetURLs,
// whose "{id}/" pages take the object id. Object ids are given raw;
// Reverse quotes them.
func (s *Site) Reverse(name string, args ...string) (string, error) {
	bare := name
	if ns, rest, ok := strings.Cut(name, ":"); ok {
		if ns != "admin" && ns != s.cfg.Name {
			return "", s.noReverse(name, args)
		}
		bare = rest
	}
	s.mu.Lock()
	u, ok := s.urlNamed(bare)
	s.mu.Unlock()
	if !ok || u.nargs != len(args) {
		return "", s.noReverse(name, args)
	}
	for _, a := range args {
		if a == "" {
			return "", s.noReverse(name, args)
		}
	}
	path, ok := u.build(args)
	if !ok {
		return "", s.noReverse(name, args)
	}
	return s.cfg.Prefix + path, nil
}

func (s *Site) noReverse(name string, args []string) error {
	return fmt.Errorf("admin: reverse %q with arguments %q on the site %q: %w", name, args, s.cfg.Name, ErrNoReverseMatch)
}

// urlNamed finds the URL of a name without namespace; s.mu is held.
func (s *Site) urlNamed(name string) (urlName, bool) {
	switch name {
	case "index":
		return fixedURL(""), true
	case "login", "logout", "password_change":
		return fixedURL(name + "/"), true
	case "password_change_done":
		return fixedURL("password_change/done/"), true
	case "two_factor":
		return fixedURL("two_factor/"), true
	case "app_list":
		return urlName{nargs: 1, build: func(a []string) (string, bool) { return a[0] + "/", s.hasModels(a[0]) }}, true
	case "view_on_site":
		return urlName{nargs: 2, build: func(a []string) (string, bool) {
			ct, err := strconv.ParseInt(a[0], 10, 64)
			return strings.TrimPrefix(s.viewOnSitePath(ct, a[1]), s.cfg.Prefix), err == nil && ct > 0
		}}, true
	}
	if u, ok := s.resetURLNamed(name); ok {
		return u, true
	}
	for _, v := range s.views {
		if v.Name == name {
			return fixedURL(v.Path), true
		}
	}
	for _, ma := range s.admins {
		if u, ok := modelURLNamed(ma, name); ok {
			return u, true
		}
	}
	return urlName{}, false
}

// resetURLNamed finds the password reset pages, unless they are disabled.
func (s *Site) resetURLNamed(name string) (urlName, bool) {
	if s.cfg.DisablePasswordReset {
		return urlName{}, false
	}
	switch name {
	case "admin_password_reset", "password_reset":
		return fixedURL("password_reset/"), true
	case "password_reset_done":
		return fixedURL("password_reset/done/"), true
	case "password_reset_complete":
		return fixedURL("reset/done/"), true
	case "password_reset_confirm":
		return urlName{nargs: 2, build: func(a []string) (string, bool) {
			return "reset/" + url.PathEscape(a[0]) + "/" + url.PathEscape(a[1]) + "/", true
		}}, true
	}
	return urlName{}, false
}

// modelURLNamed finds a URL of one model admin: its GetURLs views, then
// <app>_<model>_<view>.
func modelURLNamed(ma Admin, name string) (urlName, bool) {
	m := ma.base().model
	base := m.App.Label + "/" + m.ModelName + "/"
	for _, v := range ma.GetURLs() {
		if v.Name != name {
			continue
		}
		if rest, ok := strings.CutPrefix(v.Path, "{id}/"); ok {
			return objectURLName(base, rest), true
		}
		return fixedURL(base + v.Path), true
	}
	suffix, ok := strings.CutPrefix(name, m.App.Label+"_"+m.ModelName+"_")
	switch {
	case !ok:
	case suffix == "changelist":
		return fixedURL(base), true
	case suffix == "add":
		return fixedURL(base + "add/"), true
	case suffix == "history" || suffix == "delete" || suffix == "change":
		return objectURLName(base, suffix+"/"), true
	}
	return urlName{}, false
}

// hasModels reports whether an app has registered models; s.mu is held.
func (s *Site) hasModels(label string) bool {
	for m := range s.admins {
		if m.App.Label == label {
			return true
		}
	}
	return false
}
