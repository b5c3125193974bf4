package server

import (
	"errors"
	"net/http"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// What admin forms share: the error summary, the table of what someone
// else saved meanwhile, and how yes/no values read.

// fieldID pairs a form field's name with the id of its control.
type fieldID struct{ field, id string }

// errorLinks lists errs in the order of fields, each linking to its control.
func errorLinks(errs defus.FieldErrors, fields []fieldID) []view.ErrorLink {
	var links []view.ErrorLink
	for _, f := range fields {
		if msg, ok := errs[f.field]; ok {
			links = append(links, view.ErrorLink{Href: "#" + f.id, Text: msg})
		}
	}
	return links
}

// conflictRow is a field of a record that someone else saved meanwhile:
// its label, the value stored now and the value typed.
type conflictRow struct{ label, now, typed string }

// conflictFields lists the rows whose stored value differs from what was
// typed, or says that none does.
func conflictFields(rows []conflictRow) []view.ConflictField {
	var out []view.ConflictField
	for _, c := range rows {
		if c.now != c.typed {
			now := c.now
			if now == "" {
				now = "(leer)"
			}
			out = append(out, view.ConflictField{Label: c.label, Current: now})
		}
	}
	if len(out) == 0 {
		out = []view.ConflictField{{Label: "Hinweis", Current: "Die gespeicherte Fassung stimmt mit Ihren Eingaben überein."}}
	}
	return out
}

func publishedLabelOf(p bool) string {
	if p {
		return "veröffentlicht"
	}
	return "Entwurf"
}

// checkedValue is a checkbox's form value: "ja" when ticked.
func checkedValue(b bool) string {
	if b {
		return "ja"
	}
	return ""
}

// yesNo is a flag as the conflict table shows it.
func yesNo(b bool) string {
	if b {
		return "ja"
	}
	return "nein"
}

// summaryField is one field of a record as the office reads it.
type summaryField struct{ label, value string }

// summaryConflicts compares two summaries of the same record field by field.
func summaryConflicts(current, typed []summaryField) []view.ConflictField {
	rows := make([]conflictRow, len(current))
	for i, c := range current {
		rows[i] = conflictRow{c.label, c.value, typed[i].value}
	}
	return conflictFields(rows)
}

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
