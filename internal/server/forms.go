package server

import (
	"errors"
	"net/http"

	"defus.de/portal/internal/defus"
)

// What the admin handlers share besides reading the request (request.go)
// and answering errors (render.go): the form of a record after a conflict,
// and how a delete answers. Each resource's form type, field list, labels
// and hints live in its view (web/view/admin_*.go).

// deleted says how a delete handler answers: the flash and the place after
// deleting, and those when the record changed since the confirmation was
// shown.
type deleted struct {
	done, list    string
	stale, record string
}

// answerDelete answers a delete the store was asked to do: done, a flash and
// 303 to the list; refused as stale (someone changed the record after the
// confirmation was shown), a flash saying so and 303 back to the record, so
// the person sees what changed before deleting; anything else is s.error's.
func (s *Server) answerDelete(w http.ResponseWriter, r *http.Request, err error, a deleted) {
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.flash(r, a.stale)
		http.Redirect(w, r, a.record, http.StatusSeeOther)
	case err != nil:
		s.error(w, r, err)
	default:
		s.flash(r, a.done)
		http.Redirect(w, r, a.list, http.StatusSeeOther)
	}
}

// formOf is the form of current, a record as stored now after a conflict,
// or nil without one.
func formOf[T, F any](current *T, form func(*T) F) *F {
	if current == nil {
		return nil
	}
	f := form(current)
	return &f
}
