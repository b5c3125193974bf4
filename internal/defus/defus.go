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

// Some rules only the store can check: an address (slug) or e-mail address
// that another record uses, the last active admin, a required page. The
// store refuses such a write with FieldErrors (an error) naming the field
// and saying in German what to do, so a form shows them beside the field
// like its own checks. These are their messages.
const (
	MsgSlugTaken         = "Diese Adresse ist schon vergeben. Bitte wählen Sie eine andere."
	MsgEmailTaken        = "Diese E-Mail-Adresse verwendet schon ein anderes Konto."
	MsgLastAdmin         = "Das ist das letzte aktive Konto mit der Rolle Administration. Es muss mindestens eines bleiben."
	MsgRequiredPublished = "Diese Pflichtseite muss veröffentlicht bleiben."
	MsgRequiredPage      = "Diese Pflichtseite kann nicht gelöscht werden."
)

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
