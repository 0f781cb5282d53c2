package admin

import "net/http"

// The errors a view returns to have the site answer with an error page,
// as Django's PermissionDenied, Http404 and SuspiciousOperation do. A
// view of the project's own (View.Handler) returns them too; orm's
// ErrNotFound is answered as ErrNotFound.
var (
	ErrPermissionDenied error = errForbidden
	ErrNotFound         error = errNotFound
)

// BadRequest returns an error the site answers with 400 and msg.
func BadRequest(msg string) error { return badRequest(msg) }

// httpError is an error that maps to a status code.
type httpError struct {
	status int
	msg    string
}

func (e *httpError) Error() string { return e.msg }

var (
	errNotFound  = &httpError{http.StatusNotFound, "not found"}
	errForbidden = &httpError{http.StatusForbidden, "forbidden"}
)

func badRequest(msg string) error { return &httpError{http.StatusBadRequest, msg} }
