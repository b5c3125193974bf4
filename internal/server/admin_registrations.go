package server

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// The office's work on an event's registrations: the lists, adding, moving
// and removing people, the CSV export, the attendance list and attendance.

// registrationsData loads what the office's list shows.
func (s *Server) registrationsData(r *http.Request) (view.AdminRegistrationsData, error) {
	e, err := s.eventOfRequest(r)
	if err != nil {
		return view.AdminRegistrationsData{}, err
	}
	regs, err := s.store.FindEventRegistrations(r.Context(), e.ID)
	if err != nil {
		return view.AdminRegistrationsData{}, err
	}
	d := view.AdminRegistrationsData{Event: *e, Regs: regs, Past: !e.Upcoming(s.now()) || !e.StartsAt.After(s.now()),
		Form: view.Form[view.AdminRegistrationForm]{Values: view.AdminRegistrationForm{State: string(defus.RegConfirmed)}}}
	for _, reg := range regs {
		switch reg.State {
		case defus.RegConfirmed:
			d.Counts.Confirmed++
		case defus.RegOffered:
			d.Counts.Offered++
		case defus.RegWaiting:
			d.Counts.Waiting++
		case defus.RegPending:
			d.Counts.Pending++
		case defus.RegCancelled:
			d.Counts.Cancelled++
		}
	}
	return d, nil
}

func (s *Server) renderRegistrations(w http.ResponseWriter, r *http.Request, status int, d view.AdminRegistrationsData) {
	s.render(w, r, status, view.AdminRegistrations(s.adminMeta(r, "Anmeldungen: "+d.Event.Title), d))
}

// GET /admin/termine/{id}/anmeldungen
func (s *Server) handleAdminRegistrationsIndex(w http.ResponseWriter, r *http.Request) {
	d, err := s.registrationsData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderRegistrations(w, r, http.StatusOK, d)
}

// POST /admin/termine/{id}/anmeldungen adds a person by hand.
func (s *Server) handleAdminRegistrationCreate(w http.ResponseWriter, r *http.Request) {
	d, err := s.registrationsData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := view.AdminRegistrationForm{Name: formText(r, "name"), Email: formText(r, "email"),
		Organisation: formText(r, "organisation"), State: r.PostFormValue("state")}
	in := defus.RegistrationInput{Name: f.Name, Email: f.Email, Organisation: f.Organisation, Waitlist: true}
	errs := in.Validate()
	state := defus.RegistrationState(f.State)
	if state != defus.RegConfirmed && state != defus.RegWaiting {
		errs.Add("state", "Bitte wählen Sie, ob die Person einen Platz bekommt oder auf die Warteliste kommt.")
	}
	d.Values = f
	if errs.Any() {
		d.Errors = errs
		s.renderRegistrations(w, r, http.StatusUnprocessableEntity, d)
		return
	}
	_, err = s.store.AddRegistration(r.Context(), actor(r), d.Event.ID, in, state)
	if errors.Is(err, defus.RefusedRegistered) {
		d.Errors = defus.FieldErrors{"email": "Mit dieser E-Mail-Adresse besteht schon eine Anmeldung zu diesem Termin; verschieben Sie sie in der Liste oben."}
		s.renderRegistrations(w, r, http.StatusConflict, d)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, f.Name+" ist hinzugefügt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d/anmeldungen", d.Event.ID), http.StatusSeeOther)
}

// registrationOfEvent reads {rid}; a registration of another event is not found.
func (s *Server) registrationOfEvent(r *http.Request) (*defus.Registration, int64, error) {
	eventID, err := pathID(r)
	if err != nil {
		return nil, 0, err
	}
	id, err := pathParamID(r, "rid")
	if err != nil {
		return nil, 0, err
	}
	reg, err := s.store.FindRegistration(r.Context(), id)
	if err == nil && reg.EventID != eventID {
		err = fmt.Errorf("registration %d of event %d: %w", id, eventID, defus.ErrNotFound)
	}
	return reg, eventID, err
}

// POST /admin/termine/{id}/anmeldungen/{rid}/verschieben moves a person to
// a place, the waitlist or out, at the version the office saw.
func (s *Server) handleAdminRegistrationMove(w http.ResponseWriter, r *http.Request) {
	reg, eventID, err := s.registrationOfEvent(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	to := defus.RegistrationState(r.PostFormValue("to"))
	if to != defus.RegConfirmed && to != defus.RegWaiting && to != defus.RegCancelled {
		s.badRequest(w, r, "Unbekanntes Ziel.")
		return
	}
	_, err = s.store.MoveRegistration(r.Context(), actor(r), reg.ID, formVersion(r), to)
	if errors.Is(err, defus.ErrConflict) {
		d, err := s.registrationsData(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		d.Notice = "Die Anmeldung von " + reg.Name + " wurde inzwischen geändert (von Ihnen in einem anderen Fenster oder von jemand anderem). Die Liste zeigt den Stand jetzt; bitte prüfen Sie ihn und versuchen Sie es noch einmal."
		s.renderRegistrations(w, r, http.StatusConflict, d)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, reg.Name+": "+to.Label()+".")
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d/anmeldungen", eventID), http.StatusSeeOther)
}

// POST /admin/termine/{id}/anmeldungen/{rid}/loeschen erases a registration (Art. 17).
func (s *Server) handleAdminRegistrationErase(w http.ResponseWriter, r *http.Request) {
	reg, eventID, err := s.registrationOfEvent(r)
	if err == nil {
		err = s.store.EraseRegistration(r.Context(), actor(r), reg.ID)
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Anmeldung von "+reg.Name+" ist endgültig gelöscht.")
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d/anmeldungen", eventID), http.StatusSeeOther)
}

// POST /admin/termine/{id}/teilnahme records who attended.
func (s *Server) handleAdminAttendanceUpdate(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var ids []int64
	for _, v := range r.PostForm["attended"] {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.badRequest(w, r, "Ungültige Auswahl.")
			return
		}
		ids = append(ids, n)
	}
	if err := s.store.SetAttendance(r.Context(), actor(r), id, ids); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Teilnahme ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d/anmeldungen", id), http.StatusSeeOther)
}

// GET /admin/termine/{id}/teilnahmeliste is the list to sign, for printing.
func (s *Server) handleAdminAttendanceList(w http.ResponseWriter, r *http.Request) {
	d, err := s.registrationsData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminAttendanceList(s.adminMeta(r, "Teilnahmeliste: "+d.Event.Title), d))
}

// excelCSV starts a CSV file on w the way Excel reads it: UTF-8 with a
// BOM, semicolons, CRLF. Callers pass every value through csvSafe.
func excelCSV(w io.Writer) *csv.Writer {
	io.WriteString(w, "\uFEFF")
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = ';', true
	return cw
}

// csvFile writes rows under header as excelCSV does, formulas neutralised
// (as the enquiry export).
func csvFile(header []string, rows [][]string) ([]byte, error) {
	var buf bytes.Buffer
	cw := excelCSV(&buf)
	cw.Write(header)
	for _, row := range rows {
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		cw.Write(row)
	}
	cw.Flush()
	return buf.Bytes(), cw.Error()
}

// GET /admin/termine/{id}/anmeldungen.csv
func (s *Server) handleAdminRegistrationsExport(w http.ResponseWriter, r *http.Request) {
	d, err := s.registrationsData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var rows [][]string
	for _, reg := range d.Regs {
		pos, attended := "", ""
		if reg.State == defus.RegWaiting {
			pos = strconv.Itoa(reg.Position)
		}
		if reg.Attended != nil {
			attended = map[bool]string{true: "ja", false: "nein"}[*reg.Attended]
		}
		rows = append(rows, []string{reg.Name, reg.Organisation, reg.Email, reg.State.Label(), pos,
			csvTime(reg.CreatedAt), attended})
	}
	body, err := csvFile([]string{"Name", "Organisation", "E-Mail", "Stand", "Stelle auf der Warteliste", "Angemeldet am", "Teilgenommen"}, rows)
	if err != nil {
		s.error(w, r, err)
		return
	}
	changes := defus.Changes{}
	changes.Set("rows", nil, len(rows))
	err = s.store.Audit(r.Context(), defus.AuditEntry{Actor: actor(r), Action: defus.ActionExport,
		Entity: defus.EntityEvent, EntityID: d.Event.ID, EntityLabel: d.Event.Title, Changes: changes})
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := "anmeldungen-" + d.Event.Slug + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(body)
}

// subjectRegistration is a registration in the file of a request for access.
type subjectRegistration struct {
	Termin       string `json:"termin"`
	Wann         string `json:"wann"`
	Name         string `json:"name"`
	EMail        string `json:"e_mail"`
	Organisation string `json:"organisation"`
	Stand        string `json:"stand"`
	Angemeldet   string `json:"angemeldet_am"`
	Teilnahme    string `json:"teilgenommen,omitempty"`
	Zeigen       bool   `json:"organisation_in_teilnehmenden_staedten"`
}

// subjectRegistrations are the registrations of email for Art. 15.
func (s *Server) subjectRegistrations(r *http.Request, email string) ([]subjectRegistration, error) {
	regs, events, err := s.store.FindRegistrationsByEmail(r.Context(), email)
	if err != nil {
		return nil, err
	}
	out := []subjectRegistration{}
	for i, reg := range regs {
		sr := subjectRegistration{Termin: events[i].Title, Wann: events[i].When(), Name: reg.Name, EMail: reg.Email,
			Organisation: reg.Organisation, Stand: reg.State.Label(), Angemeldet: csvTime(reg.CreatedAt), Zeigen: reg.ShowOrganisation}
		if reg.Attended != nil {
			sr.Teilnahme = map[bool]string{true: "ja", false: "nein"}[*reg.Attended]
		}
		out = append(out, sr)
	}
	return out, nil
}

// POST /admin/anfragen/auskunft/anmeldungen-loeschen erases every
// registration of an address (Art. 17).
func (s *Server) handleSubjectRegistrationsErase(w http.ResponseWriter, r *http.Request) {
	email, msg := readSubjectEmail(r)
	if msg != "" {
		s.badRequest(w, r, msg)
		return
	}
	n, err := s.store.EraseRegistrationsByEmail(r.Context(), actor(r), email)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("%d Anmeldung(en) zu Terminen sind endgültig gelöscht.", n))
	http.Redirect(w, r, "/admin/anfragen/auskunft", http.StatusSeeOther)
}
