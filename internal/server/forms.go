package server

import (
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

// slugTaken is the field message for a slug that another record uses.
const slugTaken = "Diese Adresse ist schon vergeben. Bitte wählen Sie eine andere."

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
