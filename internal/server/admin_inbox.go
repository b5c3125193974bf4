package server

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

const (
	inboxPageSize = 25
	// noteBodyLimit lets through a note of defus.MaxNoteLength characters
	// even when every one is a four-byte character percent-encoded (12
	// bytes), so a too-long note gets its German 422 message; anything
	// larger is refused with 413 before it is read.
	noteBodyLimit = 12*defus.MaxNoteLength + 4<<10
	// dashboardEnquiries is how many enquiries each dashboard section shows.
	dashboardEnquiries = 5
	dashboardEvents    = 5
)

// enquiryFilterOf reads the inbox filter from the query: status ("" all,
// "open", or a status; anything else is ignored) and q, the search.
func enquiryFilterOf(q url.Values) (defus.EnquiryFilter, url.Values) {
	var f defus.EnquiryFilter
	kept := url.Values{}
	st := defus.EnquiryStatus(q.Get("status"))
	if st == defus.StatusOpen || st.Valid() {
		f.Status = st
		kept.Set("status", string(st))
	}
	search := strings.TrimSpace(strings.ToValidUTF8(q.Get("q"), ""))
	if rs := []rune(search); len(rs) > defus.MaxEnquiryLine {
		search = string(rs[:defus.MaxEnquiryLine])
	}
	if search != "" {
		f.Query = search
		kept.Set("q", search)
	}
	if q.Get("wiedervorlage") == "faellig" {
		f.FollowUpDue = true
		kept.Set("wiedervorlage", "faellig")
	}
	return f, kept
}

// dashboardData collects the dashboard's sections: new enquiries, those
// open longest, the next published events and the latest changes. Every
// query is bounded.
func (s *Server) dashboardData(r *http.Request) (view.DashboardData, error) {
	ctx := r.Context()
	d := view.DashboardData{Now: s.now()}
	var err error
	if d.NewEnquiries, d.NewTotal, err = s.store.FindEnquiries(ctx, defus.EnquiryFilter{Status: defus.StatusNew, Limit: dashboardEnquiries}); err != nil {
		return d, err
	}
	if d.FollowUps, d.FollowUpsTotal, err = s.store.FindEnquiries(ctx, defus.EnquiryFilter{FollowUpDue: true, Limit: dashboardEnquiries}); err != nil {
		return d, err
	}
	if d.LongestOpen, _, err = s.store.FindEnquiries(ctx, defus.EnquiryFilter{Status: defus.StatusOpen, OldestFirst: true, Limit: dashboardEnquiries, SkipCount: true}); err != nil {
		return d, err
	}
	if d.NextEvents, err = s.store.FindEvents(ctx, defus.EventFilter{Now: s.now(), Period: defus.PeriodUpcoming, Limit: dashboardEvents}); err != nil {
		return d, err
	}
	recent, err := s.store.FindAuditPage(ctx, defus.AuditFilter{ChangesOnly: true, Limit: 10, SkipCount: true})
	if err != nil {
		return d, err
	}
	d.Recent = recent.Entries
	return d, nil
}

// GET /admin/anfragen
func (s *Server) handleEnquiriesIndex(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f, kept := enquiryFilterOf(q)
	d := view.InboxData{Status: string(f.Status), Search: f.Query, FollowUpDue: f.FollowUpDue, Query: kept, Now: s.now()}
	d.Page = pageNumber(q)
	f.Limit, f.Offset = inboxPageSize, (d.Page-1)*inboxPageSize
	var err error
	if d.Enquiries, d.Total, err = s.store.FindEnquiries(r.Context(), f); err != nil {
		s.error(w, r, err)
		return
	}
	d.Pages = max((d.Total+inboxPageSize-1)/inboxPageSize, 1)
	s.render(w, r, http.StatusOK, view.AdminInbox(s.adminMeta(r, "Anfragen"), d))
}

// enquiryOfRequest loads the enquiry named by {id}; a malformed id is not found.
func (s *Server) enquiryOfRequest(r *http.Request) (*defus.Enquiry, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindEnquiry(r.Context(), id)
}

// renderEnquiry shows an enquiry's page with status; note is the new note
// as typed with its error, conflict says a change was refused as stale.
func (s *Server) renderEnquiry(w http.ResponseWriter, r *http.Request, status int, e *defus.Enquiry, note view.Form[view.NoteForm], conflict bool) {
	s.renderEnquiryPage(w, r, status, e, func(d *view.EnquiryData) { d.Note, d.Conflict = note, conflict })
}

// renderEnquiryPage shows an enquiry's page with status: its notes, staff,
// mails and forms, the answer and follow-up forms filled as a fresh page
// has them; set changes what a failed form shows instead.
func (s *Server) renderEnquiryPage(w http.ResponseWriter, r *http.Request, status int, e *defus.Enquiry, set func(*view.EnquiryData)) {
	ctx := r.Context()
	notes, err := s.store.FindEnquiryNotes(ctx, e.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	staff, err := s.store.FindStaff(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	mails, err := s.store.FindEnquiryMails(ctx, e.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.EnquiryData{Enquiry: *e, Notes: notes, Staff: staff, Now: s.now()}
	d.EnquiryWork = view.EnquiryWork{Mails: mails, MailServer: s.cfg.SMTPURL != nil,
		Reply: view.Form[view.ReplyForm]{Values: view.ReplyForm{Reply: defus.Reply{Subject: defus.ReplySubject(mails, e),
			Body: defus.ReplyGreeting(e, actor(r).Name)}}},
		FollowUp: view.Form[view.FollowUpForm]{Values: followUpFormOf(e)}}
	set(&d)
	s.render(w, r, status, view.AdminEnquiry(s.adminMeta(r, "Anfrage von "+e.Organisation), d))
}

// GET /admin/anfragen/{id}
func (s *Server) handleEnquiryShow(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderEnquiryPage(w, r, http.StatusOK, e, func(*view.EnquiryData) {})
}

// enquiryChanged answers a change to e: on success a flash and a redirect
// to its page, on a stale version its current page with a conflict
// message (409), on other errors the error page.
func (s *Server) enquiryChanged(w http.ResponseWriter, r *http.Request, e *defus.Enquiry, err error, msg string) {
	if errors.Is(err, defus.ErrConflict) {
		current, ferr := s.store.FindEnquiry(r.Context(), e.ID)
		if ferr != nil {
			s.error(w, r, ferr)
			return
		}
		s.renderEnquiry(w, r, http.StatusConflict, current, view.Form[view.NoteForm]{}, true)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, msg)
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d", e.ID), http.StatusSeeOther)
}

// setEnquiryStatus changes e's status from the form's version.
func (s *Server) setEnquiryStatus(w http.ResponseWriter, r *http.Request, e *defus.Enquiry, status defus.EnquiryStatus) {
	version := formVersion(r)
	err := s.store.UpdateEnquiryStatus(r.Context(), actor(r), e.ID, version, status)
	s.enquiryChanged(w, r, e, err, "Der Status ist jetzt „"+status.Label()+"“.")
}

// POST /admin/anfragen/{id}/status
func (s *Server) handleEnquiryStatus(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	status := defus.EnquiryStatus(r.PostFormValue("status"))
	if !status.Valid() {
		s.badRequest(w, r, "Bitte wählen Sie einen Status aus der Liste.")
		return
	}
	s.setEnquiryStatus(w, r, e, status)
}

// POST /admin/anfragen/{id}/spam and /admin/anfragen/{id}/kein-spam
func (s *Server) handleEnquirySpam(spam bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		e, err := s.enquiryOfRequest(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		status := defus.StatusNew
		if spam {
			status = defus.StatusSpam
		}
		s.setEnquiryStatus(w, r, e, status)
	}
}

// POST /admin/anfragen/{id}/zuweisung
func (s *Server) handleEnquiryAssign(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version := formVersion(r)
	var userID *int64
	if v := r.PostFormValue("user"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.badRequest(w, r, "Bitte wählen Sie eine Person aus der Liste.")
			return
		}
		userID = &id
	}
	err = s.store.AssignEnquiry(r.Context(), actor(r), e.ID, version, userID)
	if errors.Is(err, defus.ErrNotFound) {
		// The enquiry exists: the person is not (or no longer) active staff.
		s.badRequest(w, r, "Diese Person kann keine Anfragen übernehmen. Bitte wählen Sie eine Person aus der Liste.")
		return
	}
	s.enquiryChanged(w, r, e, err, "Die Zuständigkeit ist gespeichert.")
}

// POST /admin/anfragen/{id}/notizen
func (s *Server) handleEnquiryNoteCreate(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	raw := r.PostFormValue("body")
	body := strings.TrimSpace(raw)
	if msg := defus.ValidateNote(body); msg != "" {
		// Keep what was typed, but never echo megabytes or broken or hidden characters.
		kept := defus.CleanText(raw)
		if rs := []rune(kept); len(rs) > 2*defus.MaxNoteLength {
			kept = string(rs[:2*defus.MaxNoteLength])
		}
		s.renderEnquiry(w, r, http.StatusUnprocessableEntity, e,
			view.Form[view.NoteForm]{Values: view.NoteForm{Body: kept}, Errors: defus.FieldErrors{"body": msg}}, false)
		return
	}
	n := &defus.EnquiryNote{EnquiryID: e.ID, Body: body}
	if err := s.store.CreateEnquiryNote(r.Context(), actor(r), n); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Notiz ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#notes-title", e.ID), http.StatusSeeOther)
}

// GET /admin/anfragen/{id}/loeschen
func (s *Server) handleEnquiryEraseConfirm(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	notes, err := s.store.FindEnquiryNotes(r.Context(), e.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	mails, err := s.store.CountEnquiryMails(r.Context(), e.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminEnquiryErase(s.adminMeta(r, "Anfrage endgültig löschen"),
		view.EraseData{Enquiry: *e, Notes: len(notes), Mails: mails}))
}

// POST /admin/anfragen/{id}/loeschen
func (s *Server) handleEnquiryErase(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.store.EraseEnquiry(r.Context(), actor(r), e.ID); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Die Anfrage Nr. %d ist endgültig gelöscht.", e.ID))
	http.Redirect(w, r, "/admin/anfragen", http.StatusSeeOther)
}

// GET /admin/anfragen/datenschutz/{id}
func (s *Server) handlePrivacyNoticeShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p, err := s.store.FindPrivacyNotice(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminPrivacyNotice(s.adminMeta(r, "Datenschutzerklärung, damalige Fassung"),
		view.PrivacyNoticeData{Notice: *p}))
}

// csvTime is a date and time for Excel in Germany: "24.11.2026 11:00", Berlin time.
func csvTime(t time.Time) string { return t.In(defus.Berlin).Format("02.01.2006 15:04") }

// csvSafe neutralises a field a spreadsheet would run as a formula: one
// that begins with =, +, -, @, a tab or a carriage return gets a leading '.
func csvSafe(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}

// GET /admin/anfragen/export.csv
func (s *Server) handleEnquiriesExport(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	f, _ := enquiryFilterOf(r.URL.Query())
	// The rows are written as they come from the database, so memory stays
	// flat however many there are; the audit entry, written first, says
	// how many the export holds.
	_, total, err := s.store.FindEnquiries(ctx, defus.EnquiryFilter{Status: f.Status, Query: f.Query, FollowUpDue: f.FollowUpDue, Limit: 1})
	if err != nil {
		s.error(w, r, err)
		return
	}
	changes := defus.Changes{}
	changes.Set("filter_status", nil, string(f.Status))
	// Only whether a search was used: the text may be a person's name, and
	// the audit log holds no personal data.
	changes.Set("filter_search", nil, f.Query != "")
	changes.Set("rows", nil, total)
	err = s.store.Audit(ctx, defus.AuditEntry{Actor: actor(r), Action: defus.ActionExport,
		Entity: defus.EntityEnquiry, EntityLabel: "CSV-Export", Changes: changes})
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := "anfragen-" + s.now().In(defus.Berlin).Format("2006-01-02") + ".csv"
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	bw := bufio.NewWriterSize(w, 32<<10)
	cw := excelCSV(bw)
	cw.Write([]string{"Nr.", "Eingang", "Status", "Organisation", "Art", "Bundesland", "Ansprechperson", "Funktion",
		"E-Mail", "Telefon", "Einwohnerzahl", "Themen", "Nachricht", "Wie von DEFUS erfahren", "Zuständig",
		"Einwilligung", "Abgeschlossen"})
	_, err = s.store.EachEnquiry(ctx, f, func(e *defus.Enquiry) error {
		var population, closed string
		if e.Population != nil {
			population = strconv.Itoa(*e.Population)
		}
		if e.ClosedAt != nil {
			closed = csvTime(*e.ClosedAt)
		}
		row := []string{strconv.FormatInt(e.ID, 10), csvTime(e.CreatedAt), e.Status.Label(), e.Organisation,
			e.Kind.Label(), e.State, e.ContactName, e.Function, e.Email, e.Phone, population,
			strings.Join(e.Topics, ", "), e.Message, e.HeardFrom, e.AssignedName, csvTime(e.ConsentAt), closed}
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		return cw.Write(row)
	})
	cw.Flush()
	if err == nil {
		err = cw.Error()
	}
	if err == nil {
		err = bw.Flush()
	}
	if err != nil {
		// Part of the file may be out: cut the connection, so the download
		// fails visibly instead of ending short.
		s.log.ErrorContext(ctx, "export enquiries", "id", requestIDFrom(ctx), "err", err)
		panic(http.ErrAbortHandler)
	}
}

// readSubjectEmail reads and checks the e-mail address of a request for
// access; msg is the German message when it is not an address.
func readSubjectEmail(r *http.Request) (email, msg string) {
	email = strings.TrimSpace(strings.ToValidUTF8(r.PostFormValue("email"), "�"))
	switch {
	case email == "":
		msg = "Bitte geben Sie die E-Mail-Adresse an, zu der Sie Auskunft geben möchten."
	case !defus.LookupEmail(email):
		if rs := []rune(email); len(rs) > defus.MaxEnquiryEmail {
			email = string(rs[:defus.MaxEnquiryEmail])
		}
		msg = "Bitte geben Sie eine gültige E-Mail-Adresse an, zum Beispiel name@stadt.de."
	}
	return email, msg
}

// GET /admin/anfragen/auskunft
func (s *Server) handleSubjectAccessNew(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, view.AdminSubjectAccess(s.adminMeta(r, "Auskunft nach Art. 15 DSGVO"), view.SubjectAccessData{}))
}

// POST /admin/anfragen/auskunft
func (s *Server) handleSubjectAccessConfirm(w http.ResponseWriter, r *http.Request) {
	email, msg := readSubjectEmail(r)
	m := s.adminMeta(r, "Auskunft nach Art. 15 DSGVO")
	f := view.Form[view.AccessForm]{Values: view.AccessForm{Email: email}}
	if msg != "" {
		f.Errors = defus.FieldErrors{"email": msg}
		s.render(w, r, http.StatusUnprocessableEntity, view.AdminSubjectAccess(m, view.SubjectAccessData{Form: f}))
		return
	}
	data, err := s.store.FindSubjectData(r.Context(), email)
	if err != nil {
		s.error(w, r, err)
		return
	}
	intern, err := s.internSubjectData(r, email)
	if err != nil {
		s.error(w, r, err)
		return
	}
	regs, _, err := s.store.FindRegistrationsByEmail(r.Context(), email)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminSubjectAccess(m, view.SubjectAccessData{Form: f,
		Confirm: true, Enquiries: len(data.Enquiries), Notes: len(data.Notes), Mails: len(data.Mails),
		Contacts: len(intern.Contacts), Proposals: len(intern.Proposals),
		Registrations: len(regs), Accounts: len(data.Accounts)}))
}

// subjectExport is the file of a request for access, with German keys so
// the person can read it.
type subjectExport struct {
	Erstellt  string                `json:"erstellt"`
	EMail     string                `json:"e_mail"`
	Anfragen  []subjectEnquiry      `json:"anfragen"`
	Notizen   []subjectNote         `json:"interne_notizen"`
	EMails    []subjectMail         `json:"e_mails"`
	Hinweis   string                `json:"hinweis"`
	Fassungen []int64               `json:"datenschutzerklaerung_fassungen"`
	Anmeldung []subjectRegistration `json:"anmeldungen_zu_terminen"`
	Konten    []subjectAccount      `json:"benutzerkonten"`
	subjectIntern
}

type subjectEnquiry struct {
	Nr             int64    `json:"nr"`
	Eingang        string   `json:"eingang"`
	Status         string   `json:"status"`
	Organisation   string   `json:"organisation"`
	Art            string   `json:"art"`
	Bundesland     string   `json:"bundesland"`
	Ansprechperson string   `json:"ansprechperson"`
	Funktion       string   `json:"funktion"`
	EMail          string   `json:"e_mail"`
	Telefon        string   `json:"telefon"`
	Einwohnerzahl  *int     `json:"einwohnerzahl"`
	Themen         []string `json:"themen"`
	Nachricht      string   `json:"nachricht"`
	WieErfahren    string   `json:"wie_von_defus_erfahren"`
	Einwilligung   string   `json:"einwilligung"`
	Datenschutz    int64    `json:"datenschutzerklaerung_fassung"`
	Zustaendig     string   `json:"zustaendig"`
	Abgeschlossen  string   `json:"abgeschlossen,omitempty"`
	Wiedervorlage  string   `json:"wiedervorlage,omitempty"`
	WVNotiz        string   `json:"wiedervorlage_notiz,omitempty"`
}

type subjectNote struct {
	Anfrage int64  `json:"anfrage"`
	Von     string `json:"von"`
	Zeit    string `json:"zeit"`
	Text    string `json:"text"`
}

type subjectMail struct {
	Anfrage   *int64 `json:"anfrage"`
	Art       string `json:"art"`
	Erstellt  string `json:"erstellt"`
	Status    string `json:"status"`
	Gesendet  string `json:"gesendet,omitempty"`
	Von       string `json:"von"`
	VonName   string `json:"von_name"`
	An        string `json:"an"`
	AntwortAn string `json:"antwort_an"`
	Betreff   string `json:"betreff"`
	Text      string `json:"text"`
}

// subjectMailOf is a mail in the file of a request for access, in German.
func subjectMailOf(m defus.Mail) subjectMail {
	sm := subjectMail{Anfrage: m.EnquiryID, Art: "automatische E-Mail des Portals", Erstellt: csvTime(m.CreatedAt),
		Status: "in der Warteschlange", Von: m.From, VonName: m.FromName, An: m.To, AntwortAn: m.ReplyTo,
		Betreff: m.Subject, Text: m.Body}
	if m.Kind == defus.MailReply {
		sm.Art = "Antwort der Geschäftsstelle"
	}
	switch m.Status {
	case defus.MailSent:
		sm.Status = "gesendet"
		if m.SentAt != nil {
			sm.Gesendet = csvTime(*m.SentAt)
		}
	case defus.MailFailed:
		sm.Status = "nicht zugestellt"
	}
	return sm
}

// POST /admin/anfragen/auskunft/download
func (s *Server) handleSubjectAccessDownload(w http.ResponseWriter, r *http.Request) {
	email, msg := readSubjectEmail(r)
	if msg != "" {
		s.badRequest(w, r, msg)
		return
	}
	data, err := s.store.FindSubjectData(r.Context(), email)
	if err != nil {
		s.error(w, r, err)
		return
	}
	out := subjectExport{Erstellt: csvTime(s.now()), EMail: email, Anfragen: []subjectEnquiry{},
		Notizen: []subjectNote{}, EMails: []subjectMail{}, Fassungen: []int64{},
		Hinweis: "Alle Daten, die die DEFUS-Geschäftsstelle zu dieser E-Mail-Adresse gespeichert hat (Art. 15 DSGVO)."}
	for _, e := range data.Enquiries {
		se := subjectEnquiry{Nr: e.ID, Eingang: csvTime(e.CreatedAt), Status: e.Status.Label(), Organisation: e.Organisation,
			Art: e.Kind.Label(), Bundesland: e.State, Ansprechperson: e.ContactName, Funktion: e.Function, EMail: e.Email,
			Telefon: e.Phone, Einwohnerzahl: e.Population, Themen: e.Topics, Nachricht: e.Message, WieErfahren: e.HeardFrom,
			Einwilligung: csvTime(e.ConsentAt), Datenschutz: e.PrivacyNoticeID, Zustaendig: e.AssignedName}
		if e.ClosedAt != nil {
			se.Abgeschlossen = csvTime(*e.ClosedAt)
		}
		if e.FollowUpOn != nil {
			se.Wiedervorlage, se.WVNotiz = e.FollowUpOn.Format("02.01.2006"), e.FollowUpNote
		}
		out.Anfragen = append(out.Anfragen, se)
		out.Fassungen = append(out.Fassungen, e.PrivacyNoticeID)
	}
	for _, n := range data.Notes {
		out.Notizen = append(out.Notizen, subjectNote{Anfrage: n.EnquiryID, Von: n.AuthorName, Zeit: csvTime(n.CreatedAt), Text: n.Body})
	}
	for _, m := range data.Mails {
		out.EMails = append(out.EMails, subjectMailOf(m))
	}
	if out.subjectIntern, err = s.internSubjectData(r, email); err != nil {
		s.error(w, r, err)
		return
	}
	if out.Anmeldung, err = s.subjectRegistrations(r, email); err != nil {
		s.error(w, r, err)
		return
	}
	out.Konten = subjectAccountsOf(data)
	js, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		s.error(w, r, err)
		return
	}
	changes := defus.Changes{}
	changes.Set("request", nil, "Auskunft Art. 15 DSGVO")
	changes.Set("enquiries", nil, len(data.Enquiries))
	err = s.store.Audit(r.Context(), defus.AuditEntry{Actor: actor(r), Action: defus.ActionExport,
		Entity: defus.EntityEnquiry, EntityLabel: "Auskunft nach Art. 15 DSGVO", Changes: changes})
	if err != nil {
		s.error(w, r, err)
		return
	}
	name := "auskunft-" + s.now().In(defus.Berlin).Format("2006-01-02") + ".json"
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Write(append(js, '\n'))
}
