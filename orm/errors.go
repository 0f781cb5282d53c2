package orm

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned by Get when no row matches.
var ErrNotFound = errors.New("orm: object not found")

// ErrMultipleFound is returned by Get when more than one row matches.
var ErrMultipleFound = errors.New("orm: more than one object found")

// FieldError reports a field path or lookup that does not exist on a model.
// It comes from a name given as a string (a filter, an ordering, a field
// list), never from the database.
type FieldError struct {
	Model string // the model's object name, e.g. "Book"
	Path  string // the path as given, e.g. "publisher__nme__icontains"
	Msg   string
}

func (e *FieldError) Error() string {
	return fmt.Sprintf("orm: %s: cannot resolve %q: %s", e.Model, e.Path, e.Msg)
}

// ValueError reports a value that cannot be converted to a field's type,
// such as "abc" for an integer field.
type ValueError struct {
	Field string
	Value any
	Err   error
}

func (e *ValueError) Error() string {
	return fmt.Sprintf("orm: field %s: invalid value %q: %v", e.Field, fmt.Sprint(e.Value), e.Err)
}

func (e *ValueError) Unwrap() error { return e.Err }
