package server

import (
	"fmt"
	"net/http"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// contactOfRequest finds the member {id} and its contact {cid}; a contact
// of another member is not found.
func (s *Server) contactOfRequest(r *http.Request) (*defus.Member, *defus.Contact, error) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		return nil, nil, err
	}
	cid, err := pathParamID(r, "cid")
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.FindContact(r.Context(), m.ID, cid)
	if err != nil {
		return nil, nil, err
	}
	return m, c, nil
}

// readContactForm reads the contact form over c (ids stay) and checks it.
func readContactForm(r *http.Request, c defus.Contact) (view.ContactForm, defus.FieldErrors) {
	c.Name = formText(r, "name")
	c.Function = formText(r, "function")
	c.Email = formText(r, "email")
	c.Phone = formText(r, "phone")
	c.Public = formChecked(r, "public")
	c.Version = formVersion(r)
	return view.ContactForm{Contact: c}, c.Validate()
}

func contactFormOf(c *defus.Contact) view.ContactForm { return view.ContactForm{Contact: *c} }

// renderContactForm shows the contact form of member m: c as stored (nil
// for a new one), f as typed with its errors and, after a conflict, what is
// stored now.
func (s *Server) renderContactForm(w http.ResponseWriter, r *http.Request, status int, m *defus.Member, c *defus.Contact, f view.ContactForm, errs defus.FieldErrors, current *defus.Contact) {
	d := view.ContactFormData{Member: *m, Contact: c,
		Form: view.Form[view.ContactForm]{Values: f, Errors: errs, Current: formOf(current, contactFormOf)}}
	title := "Neue Ansprechperson für " + m.ShortName
	if c != nil {
		title = "Ansprechperson „" + c.Name + "“ bearbeiten"
	}
	s.render(w, r, status, view.AdminContactForm(s.adminMeta(r, title), d))
}

// contactsURL is the contacts section of the member's edit page.
func contactsURL(memberID int64) string {
	return fmt.Sprintf("/admin/mitglieder/%d#ansprechpersonen", memberID)
}

// GET /admin/mitglieder/{id}/ansprechpersonen/neu
func (s *Server) handleAdminContactNew(w http.ResponseWriter, r *http.Request) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderContactForm(w, r, http.StatusOK, m, nil, view.ContactForm{}, nil, nil)
}

// POST /admin/mitglieder/{id}/ansprechpersonen
func (s *Server) handleAdminContactCreate(w http.ResponseWriter, r *http.Request) {
	m, err := s.memberOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readContactForm(r, defus.Contact{MemberID: m.ID})
	if errs.Any() {
		s.renderContactForm(w, r, http.StatusUnprocessableEntity, m, nil, f, errs, nil)
		return
	}
	c := &f.Contact
	if err := s.store.CreateContact(r.Context(), actor(r), c); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderContactForm(w, r, status, m, nil, f, errs, nil)
		})
		return
	}
	s.flash(r, c.Name+" ist als Ansprechperson eingetragen.")
	http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
}

// GET /admin/mitglieder/{id}/ansprechpersonen/{cid}
func (s *Server) handleAdminContactEdit(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderContactForm(w, r, http.StatusOK, m, c, contactFormOf(c), nil, nil)
}

// POST /admin/mitglieder/{id}/ansprechpersonen/{cid}
func (s *Server) handleAdminContactUpdate(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readContactForm(r, *c)
	if errs.Any() {
		s.renderContactForm(w, r, http.StatusUnprocessableEntity, m, c, f, errs, nil)
		return
	}
	current, err := s.store.UpdateContact(r.Context(), actor(r), &f.Contact)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderContactForm(w, r, status, m, c, f, errs, current)
		})
		return
	}
	s.flash(r, "Die Angaben zu "+f.Name+" sind gespeichert.")
	http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
}

// GET /admin/mitglieder/{id}/ansprechpersonen/{cid}/loeschen asks before deleting.
func (s *Server) handleAdminContactDeleteConfirm(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ConfirmDeleteData{
		Title: "Ansprechperson „" + c.Name + "“ löschen?",
		Text: c.Name + " wird aus den Ansprechpersonen von " + m.ShortName +
			" entfernt und erscheint nicht mehr im Profil. Das Protokoll behält, dass der Eintrag gelöscht wurde.",
		Action:   contactPath(m.ID, c.ID, "/loeschen"),
		Back:     contactsURL(m.ID),
		Version:  c.Version,
		Erasable: true,
	}
	s.render(w, r, http.StatusOK, view.AdminConfirmDelete(s.adminMeta(r, d.Title), d))
}

func contactPath(memberID, id int64, suffix string) string {
	return fmt.Sprintf("/admin/mitglieder/%d/ansprechpersonen/%d%s", memberID, id, suffix)
}

// POST /admin/mitglieder/{id}/ansprechpersonen/{cid}/loeschen
func (s *Server) handleAdminContactDelete(w http.ResponseWriter, r *http.Request) {
	m, c, err := s.contactOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if formChecked(r, "erase") { // GDPR Art. 17: out of the audit log too
		err = s.store.EraseContact(r.Context(), actor(r), m.ID, c.ID, formVersion(r))
	} else {
		err = s.store.DeleteContact(r.Context(), actor(r), m.ID, c.ID, formVersion(r))
	}
	s.answerDelete(w, r, err, deleted{
		done:   c.Name + " ist als Ansprechperson gelöscht.",
		list:   contactsURL(m.ID),
		stale:  "Die Angaben zu " + c.Name + " wurden inzwischen geändert. Bitte prüfen Sie sie, bevor Sie sie löschen.",
		record: contactPath(m.ID, c.ID, ""),
	})
}

// handleAdminContactMove serves POST /admin/mitglieder/{id}/ansprechpersonen/{cid}/hoch
// (step -1) and …/runter (step +1).
func (s *Server) handleAdminContactMove(step int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		m, c, err := s.contactOfRequest(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if err := s.store.MoveContact(r.Context(), actor(r), m.ID, c.ID, step); err != nil {
			s.error(w, r, err)
			return
		}
		s.flash(r, "Die Reihenfolge der Ansprechpersonen ist gespeichert.")
		http.Redirect(w, r, contactsURL(m.ID), http.StatusSeeOther)
	}
}
