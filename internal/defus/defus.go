// Package defus holds the domain of the DEFUS portal: members, topics, pages
// and the association itself, the rules about them, and the German way of
// writing slugs, numbers and dates. It knows nothing of SQL or HTTP.
package defus

import (
	"errors"
	"strings"
)

// ErrNotFound is returned when a requested record does not exist (or is not published).
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a record was changed by someone else since it was read.
var ErrConflict = errors.New("conflict: record was changed meanwhile")

// ErrSlugTaken is returned when a record's slug is already used by another
// record of the same kind; forms show it as a field error.
var ErrSlugTaken = errors.New("slug already taken")

// ErrRequiredPage is returned when a required page would be unpublished,
// deleted or moved to another address.
var ErrRequiredPage = errors.New("required pages stay published at their address")

// ListFilter is the common part of the office's content lists: a search
// text, a publication state and paging.
type ListFilter struct {
	Query  string // searched in titles and names, case-insensitively
	State  string // "", "published" or "draft"
	Limit  int    // 0: no limit
	Offset int
}

// LikePattern escapes a search text for SQL ILIKE and wraps it in %.
func LikePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}
