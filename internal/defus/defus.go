// Package defus holds the domain of the DEFUS portal: members, topics, pages
// and the association itself, the rules about them, and the German way of
// writing slugs, numbers and dates. It knows nothing of SQL or HTTP.
package defus

import "errors"

// ErrNotFound is returned when a requested record does not exist (or is not published).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a record was changed by someone else since it was read.
var ErrConflict = errors.New("conflict: record was changed meanwhile")
