package server

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"defus.de/portal/internal/certificate"
	"defus.de/portal/internal/defus"
)

// Certificates of attendance: the participant downloads theirs by the
// signed link in the mail, the office all of an event at once as a zip.

// certificateOf is what the certificate of reg at e says.
func (s *Server) certificateOf(r *http.Request, e *defus.Event, reg *defus.Registration) (certificate.Certificate, error) {
	a, err := s.association(r)
	if err != nil {
		return certificate.Certificate{}, err
	}
	var topics []string
	for _, t := range e.Topics {
		topics = append(topics, t.Title)
	}
	place := e.Address()
	if e.Format == defus.FormatOnline || place == "" {
		place = e.Place()
	}
	// Issued on the last day of the event, whenever it is made.
	issued := e.LastDay()
	return certificate.Certificate{Name: reg.Name, Organisation: reg.Organisation, Event: e.Title, Kind: e.Kind.Label(),
		Date: e.DateRange(), Place: place, Duration: e.DurationText(), Topics: topics, Office: a.Name,
		OfficeCity: a.City, Issued: issued, IssuedText: defus.FormatDate(issued)}, nil
}

// certificateName is the file name of reg's certificate.
func certificateName(e *defus.Event, reg *defus.Registration) string {
	name := defus.Slugify(reg.Name)
	if name == "" {
		name = fmt.Sprint(reg.ID)
	}
	return "teilnahmebescheinigung-" + e.Slug + "-" + name + ".pdf"
}

// serveCertificate answers the link of a certificate mail: the PDF, for
// someone who attended.
func (s *Server) serveCertificate(w http.ResponseWriter, r *http.Request, e *defus.Event, reg *defus.Registration) {
	if reg.Attended == nil || !*reg.Attended {
		s.registrationRefused(w, r, defus.RefusedLinkInvalid, nil)
		return
	}
	c, err := s.certificateOf(r, e, reg)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := certificate.Write(&buf, c); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+certificateName(e, reg)+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(buf.Bytes())
}

// GET /admin/termine/{id}/bescheinigungen.zip: every attendee's certificate.
func (s *Server) handleAdminCertificatesZip(w http.ResponseWriter, r *http.Request) {
	d, err := s.registrationsData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := 0
	for i := range d.Regs {
		reg := &d.Regs[i]
		if reg.Attended == nil || !*reg.Attended {
			continue
		}
		c, err := s.certificateOf(r, &d.Event, reg)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f, err := zw.CreateHeader(&zip.FileHeader{Name: fmt.Sprintf("%02d-%s", n+1, strings.TrimPrefix(certificateName(&d.Event, reg), "teilnahmebescheinigung-"+d.Event.Slug+"-")),
			Method: zip.Deflate, Modified: c.Issued})
		if err == nil {
			err = certificate.Write(f, c)
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
		n++
	}
	if err := zw.Close(); err != nil {
		s.error(w, r, err)
		return
	}
	changes := defus.Changes{}
	changes.Set("rows", nil, n)
	if err := s.store.Audit(r.Context(), defus.AuditEntry{Actor: actor(r), Action: defus.ActionExport, Entity: defus.EntityEvent,
		EntityID: d.Event.ID, EntityLabel: d.Event.Title, Changes: changes}); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", `attachment; filename="teilnahmebescheinigungen-`+d.Event.Slug+`.zip"`)
	w.Write(buf.Bytes())
}

// POST /admin/termine/{id}/bescheinigungen mails every attendee the link
// to their certificate.
func (s *Server) handleAdminCertificatesSend(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	n, err := s.store.SendCertificates(r.Context(), actor(r), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("%d Teilnahmebescheinigung(en) sind per E-Mail unterwegs.", n))
	http.Redirect(w, r, fmt.Sprintf("/admin/termine/%d/anmeldungen", id), http.StatusSeeOther)
}
