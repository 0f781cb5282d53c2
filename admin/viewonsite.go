package admin

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/staffroom/staffroom/orm"
)

// viewOnSitePath is the site's "View on site" redirect for an object,
// r/<content_type_id>/<object_id>/; the id is not admin-quoted, as in
// Django, only percent-encoded (slashes stay).
func (s *Site) viewOnSitePath(ctID int64, objectID string) string {
	return s.cfg.Prefix + "r/" + strconv.FormatInt(ctID, 10) + "/" + escapePath(objectID) + "/"
}

// viewOnSiteView redirects to an object's absolute URL, Django's
// contenttypes shortcut: 404 when the content type, the object or its
// absolute URL is missing. rest is the path after "r/".
func (s *Site) viewOnSiteView(w http.ResponseWriter, r *http.Request, rest string) error {
	ctPart, idPart, ok := strings.Cut(strings.TrimSuffix(rest, "/"), "/")
	ctID, err := strconv.ParseInt(ctPart, 10, 64)
	if !ok || err != nil || idPart == "" {
		return errNotFound
	}
	ct, err := s.types.ByID(r.Context(), ctID)
	if err != nil {
		return errNotFound
	}
	m := s.types.ModelOf(ct)
	if m == nil || !m.HasAbsoluteURL() {
		return errNotFound
	}
	if _, err := m.PK.Parse(idPart); err != nil {
		return errNotFound
	}
	obj, err := s.db.Query(m).Get(r.Context(), orm.Q{"pk": idPart})
	if errors.Is(err, orm.ErrNotFound) {
		return errNotFound
	}
	if err != nil {
		return err
	}
	target := m.AbsoluteURL(obj)
	if target == "" {
		return errNotFound
	}
	http.Redirect(w, r, target, http.StatusFound)
	return nil
}
