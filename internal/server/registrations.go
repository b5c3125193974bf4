package server

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical"
	"defus.de/portal/web/view"
)

// Registration for events: the part of the event page, the guest's form,
// the member's one click, and the pages behind the links in the mails.
//
// A link names the registration, what it does and a signature:
// /anmeldung/{id}/{sig}/{action}. The signature is an HMAC (keyed from
// FORM_SECRET, the same on every instance) over the action, the id and the
// registration's random link key, so a link cannot be made up, does not work
// for another action or registration, and dies when the person registers
// anew. The link shows a page with a button; only the POST changes anything,
// so mail scanners that open links change nothing.

// The actions of the links, by their German path word.
const (
	linkConfirm = "bestaetigen"
	linkCancel  = "abmelden"
	linkOffer   = "platz"
	linkCert    = "bescheinigung"
)

// registrationLinks signs and checks the links of registration mails.
type registrationLinks struct {
	key  []byte
	base string // BASE_URL without trailing slash
}

func (l registrationLinks) sig(action string, r *defus.Registration) string {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(action + "\x00" + strconv.FormatInt(r.ID, 10) + "\x00"))
	m.Write(r.LinkKey)
	return hex.EncodeToString(m.Sum(nil)[:16])
}

// path is the site path of r's link for action.
func (l registrationLinks) path(action string, r *defus.Registration) string {
	return fmt.Sprintf("/anmeldung/%d/%s/%s", r.ID, l.sig(action, r), action)
}

func (l registrationLinks) valid(action, sig string, r *defus.Registration) bool {
	return hmac.Equal([]byte(sig), []byte(l.sig(action, r)))
}

// registrationMails writes the mails of registrations (defus.RegistrationMailer).
type registrationMails struct {
	links  registrationLinks
	office string // OFFICE_EMAIL
	site   ical.Site
}

// RegistrationMailer is what writes the registrations' mails, with this
// server's links; the store takes it (store.SetRegistrationMailer), for the
// retention job as well.
func (s *Server) RegistrationMailer() defus.RegistrationMailer {
	return registrationMails{links: s.regLinks(), office: s.cfg.OfficeEmail,
		site: ical.Site{BaseURL: s.cfg.BaseURLString(), Organizer: ical.Organizer{Name: officeName, Email: s.cfg.OfficeEmail}}}
}

func (s *Server) regLinks() registrationLinks {
	return registrationLinks{key: deriveKey(s.cfg.FormSecret, "registration-links"), base: s.cfg.BaseURLString()}
}

const officeName = "DEFUS-Geschäftsstelle"

// RegistrationMail implements defus.RegistrationMailer.
func (m registrationMails) RegistrationMail(kind defus.RegistrationMailKind, e *defus.Event, r *defus.Registration) (defus.Mail, bool) {
	link := func(action string) string { return m.links.base + m.links.path(action, r) }
	page := m.links.base + "/termine/" + e.Slug
	where := e.Address()
	if e.Format == defus.FormatOnline || where == "" {
		where = e.Place()
	}
	facts := e.Title + "\n" + e.When() + "\n" + where + "\n" + page + "\n"
	cancel := "Falls Sie doch nicht teilnehmen können, melden Sie sich bitte hier ab, damit jemand von der Warteliste nachrücken kann:\n" + link(linkCancel) + "\n"
	mail := defus.Mail{FromName: officeName, From: m.office, To: r.Email}
	var body []string
	switch kind {
	case defus.MailRegConfirmLink:
		mail.Subject = "Bitte bestätigen Sie Ihre Anmeldung: " + e.Title
		body = []string{"bitte bestätigen Sie Ihre Anmeldung zu diesem Termin:", facts,
			"Zum Bestätigen öffnen Sie diesen Link (24 Stunden gültig):\n" + link(linkConfirm) + "\n",
			"Ohne Bestätigung hält die Anmeldung keinen Platz und wird nach 24 Stunden gelöscht. Haben Sie sich nicht angemeldet, können Sie diese E-Mail einfach löschen."}
	case defus.MailRegConfirmed:
		mail.Subject = "Anmeldung bestätigt: " + e.Title
		body = []string{"Sie sind angemeldet:", facts}
		if e.CanSeeOnlineURL(false, true) {
			body = append(body, "Online teilnehmen: "+e.OnlineURL+"\n")
		}
		body = append(body, "Im Anhang finden Sie den Termin für Ihren Kalender.", cancel)
		m.attachICS(&mail, e)
	case defus.MailRegWaiting:
		mail.Subject = "Warteliste: " + e.Title
		body = []string{"alle Plätze dieses Termins sind vergeben. Sie stehen auf der Warteliste, an Stelle " + strconv.Itoa(max(r.Position, 1)) + ":", facts,
			"Wird ein Platz frei, schreiben wir Ihnen; dann haben Sie 48 Stunden Zeit, ihn anzunehmen.",
			"Möchten Sie nicht mehr warten, nehmen Sie sich hier von der Liste:\n" + link(linkCancel) + "\n"}
	case defus.MailRegOffered:
		mail.Subject = "Ein Platz ist frei: " + e.Title
		body = []string{"für diesen Termin ist ein Platz frei geworden, und Sie sind als Nächste oder Nächster an der Reihe:", facts,
			"Bitte nehmen Sie den Platz bis " + view.OfferedUntilText(*r) + " an; danach fragen wir die nächste Person auf der Warteliste:\n" + link(linkOffer) + "\n",
			"Brauchen Sie den Platz nicht mehr, melden Sie sich bitte hier ab:\n" + link(linkCancel) + "\n"}
	case defus.MailRegCancelled:
		mail.Subject = "Abmeldung bestätigt: " + e.Title
		body = []string{"Sie sind von diesem Termin abgemeldet:", facts, "Möchten Sie doch teilnehmen, melden Sie sich gern auf der Seite des Termins neu an."}
	case defus.MailRegOfferLapsed:
		mail.Subject = "Platzangebot abgelaufen: " + e.Title
		body = []string{"der Platz, den wir Ihnen für diesen Termin angeboten haben, ist nach 48 Stunden an die nächste Person auf der Warteliste gegangen:", facts,
			"Möchten Sie doch teilnehmen, melden Sie sich bitte auf der Seite des Termins neu an."}
	case defus.MailRegChanged:
		mail.Subject = "Änderung: " + e.Title
		status := "Der Termin hat sich geändert. So steht er jetzt fest:"
		switch e.Status {
		case defus.StatusCancelled:
			status = "Dieser Termin ist abgesagt."
		case defus.StatusPostponed:
			status = "Dieser Termin wird verschoben. Das neue Datum teilen wir Ihnen mit."
		}
		body = []string{status, facts}
		if e.Format != defus.FormatInPerson && e.CanSeeOnlineURL(false, r.State == defus.RegConfirmed) {
			body = append(body, "Online teilnehmen: "+e.OnlineURL+"\n")
		}
		if r.State == defus.RegConfirmed {
			body = append(body, "Im Anhang finden Sie den geänderten Termin für Ihren Kalender; er ersetzt den bisherigen Eintrag.")
			m.attachICS(&mail, e)
		}
		switch {
		case e.Status == defus.StatusCancelled:
		case r.State == defus.RegWaiting:
			body = append(body, "Sie stehen weiter auf der Warteliste. Möchten Sie nicht mehr warten, nehmen Sie sich hier von der Liste:\n"+link(linkCancel)+"\n")
		default:
			body = append(body, cancel)
		}
	case defus.MailRegCertificate:
		mail.Subject = "Ihre Teilnahmebescheinigung: " + e.Title
		body = []string{"vielen Dank für Ihre Teilnahme:", facts,
			"Ihre Teilnahmebescheinigung (PDF) können Sie hier herunterladen:\n" + m.links.base + m.links.path(linkCert, r) + "\n"}
	case defus.MailRegReminder:
		mail.Subject = "Erinnerung: " + e.Title
		body = []string{"wir freuen uns auf Ihre Teilnahme in zwei Tagen:", facts}
		if e.CanSeeOnlineURL(false, true) {
			body = append(body, "Online teilnehmen: "+e.OnlineURL+"\n")
		}
		body = append(body, cancel)
	case defus.MailRegAlready:
		mail.Subject = "Sie sind schon angemeldet: " + e.Title
		body = []string{"mit Ihrer Adresse wurde eben noch einmal eine Anmeldung zu diesem Termin abgeschickt:", facts}
		switch r.State {
		case defus.RegWaiting:
			body = append(body, "Sie stehen schon auf der Warteliste, an Stelle "+strconv.Itoa(max(r.Position, 1))+". Möchten Sie nicht mehr warten, nehmen Sie sich hier von der Liste:\n"+link(linkCancel)+"\n")
		case defus.RegOffered:
			body = append(body, "Für Sie ist schon ein Platz frei. Bitte nehmen Sie ihn bis "+view.OfferedUntilText(*r)+" an:\n"+link(linkOffer)+"\n")
		default:
			body = append(body, "Sie sind schon angemeldet; Ihr Platz bleibt Ihnen.", cancel)
		}
		body = append(body, "Haben Sie die Anmeldung nicht noch einmal abgeschickt, müssen Sie nichts tun.")
	default:
		return mail, false
	}
	mail.Body = "Guten Tag " + r.Name + ",\n\n" + strings.Join(body, "\n") + "\nMit freundlichen Grüßen\n" + officeName + "\n"
	return mail, true
}

// attachICS attaches the event for the participant's calendar, with the
// online link: same UID as every calendar of the portal, so a changed event
// replaces the old entry.
func (m registrationMails) attachICS(mail *defus.Mail, e *defus.Event) {
	var buf bytes.Buffer
	ev := *e
	ev.OnlineURLPublic = e.CanSeeOnlineURL(false, true) // the participant's entry carries their link
	if err := ical.WriteEvent(&buf, m.site, &ev); err != nil {
		return // the mail goes without; the event page has the .ics
	}
	mail.AttachmentName, mail.AttachmentType, mail.Attachment = e.Slug+".ics", "text/calendar; charset=utf-8; method=PUBLISH", buf.Bytes()
}

// Session key of the registrations a visitor made without an account, so
// the event page can say "Sie sind angemeldet".
const sessionRegistrations = "registrations"

// sessionRegistrationEcho is "event-id address" of echoRegistration.
const sessionRegistrationEcho = "registration_echo"

func (s *Server) sessionRegistrationIDs(r *http.Request) []int64 {
	if s.sessions == nil {
		return nil
	}
	var ids []int64
	for _, f := range strings.Split(s.sessions.GetString(r.Context(), sessionRegistrations), ",") {
		if id, err := strconv.ParseInt(f, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// echoRegistration remembers in this browser that a registration of email
// for the event was answered as new although the address was registered
// already (see handleRegistrationCreate): the event page then shows what it
// shows after a new registration, with the address as typed.
func (s *Server) echoRegistration(r *http.Request, eventID int64, email string) {
	if s.sessions != nil {
		s.sessions.Put(r.Context(), sessionRegistrationEcho, strconv.FormatInt(eventID, 10)+" "+email)
	}
}

func (s *Server) rememberRegistration(r *http.Request, id int64) {
	ids := s.sessionRegistrationIDs(r)
	if s.sessions == nil || slices.Contains(ids, id) {
		return
	}
	ids = append(ids, id)
	if len(ids) > 20 {
		ids = ids[len(ids)-20:]
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	s.sessions.Put(r.Context(), sessionRegistrations, strings.Join(parts, ","))
}

// visitorSession loads the session and its account on the public pages of
// registration (a server without sessions has neither).
func (s *Server) visitorSession(next http.Handler) http.Handler {
	if s.sessions == nil {
		return next
	}
	return s.sessions.LoadAndSave(s.loadUser(next))
}

// memberUser is the logged-in member representative, or nil.
func memberUser(r *http.Request) *defus.User {
	if u := currentUser(r.Context()); u != nil && u.Role == defus.RoleMember && u.MemberID != nil {
		return u
	}
	return nil
}

// myRegistration is the visitor's registration for e: the member's, or
// one remembered in the session.
func (s *Server) myRegistration(r *http.Request, e *defus.Event) (*defus.Registration, error) {
	if u := memberUser(r); u != nil {
		reg, err := s.store.FindUserRegistration(r.Context(), e.ID, u.ID)
		if errors.Is(err, defus.ErrNotFound) {
			return nil, nil
		}
		return reg, err
	}
	for _, id := range slices.Backward(s.sessionRegistrationIDs(r)) {
		reg, err := s.store.FindRegistration(r.Context(), id)
		if errors.Is(err, defus.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if reg.EventID == e.ID && reg.State != defus.RegCancelled {
			return reg, nil
		}
	}
	if s.sessions != nil {
		id, email, _ := strings.Cut(s.sessions.GetString(r.Context(), sessionRegistrationEcho), " ")
		if id == strconv.FormatInt(e.ID, 10) {
			return &defus.Registration{EventID: e.ID, Email: email, State: defus.RegPending}, nil
		}
	}
	return nil, nil
}

// eventRegistration fills what the event page shows of registration: the
// box (nil where the portal takes none) and whether the online link shows.
func (s *Server) eventRegistration(r *http.Request, e *defus.Event, d *view.EventData, form view.Form[view.RegistrationForm]) error {
	mine, err := s.myRegistration(r, e)
	if err != nil {
		return err
	}
	u := memberUser(r)
	d.SeesOnlineURL = e.CanSeeOnlineURL(u != nil, mine != nil && mine.State == defus.RegConfirmed)
	if e.Registration.Mode == defus.RegistrationOff || e.Registration.Mode == "" {
		return nil
	}
	c, err := s.store.CountRegistrations(r.Context(), e.ID)
	if err != nil {
		return err
	}
	b := &view.RegistrationBox{Slug: e.Slug, Note: e.RegistrationNote, Closed: e.RegistrationClosed(s.now()), Mode: e.Registration.Mode,
		Capacity: e.Registration.Capacity, Counts: c, Member: u != nil, Mine: mine, Form: form}
	if u != nil {
		b.Name = u.Name
		if e.Registration.ShowParticipants {
			if b.Participants, err = s.store.FindParticipatingOrganisations(r.Context(), e.ID); err != nil {
				return err
			}
		}
	}
	if form.Errors == nil {
		b.Values.Waitlist = b.Full()
	}
	d.Registration = b
	return nil
}

// refusalStatus is the status of a page that refuses a registration.
func refusalStatus(why defus.RegistrationRefusal) int {
	switch why {
	case defus.RefusedMembersOnly:
		return http.StatusForbidden
	case defus.RefusedLinkInvalid:
		return http.StatusNotFound
	case defus.RefusedLinkExpired, defus.RefusedPast, defus.RefusedCancelled:
		return http.StatusGone
	}
	return http.StatusConflict
}

// registrationRefused answers a refused registration or link with a German
// page naming the event, or reports false when err is no refusal.
func (s *Server) registrationRefused(w http.ResponseWriter, r *http.Request, err error, e *defus.Event) bool {
	var why defus.RegistrationRefusal
	if !errors.As(err, &why) {
		return false
	}
	title := map[defus.RegistrationRefusal]string{
		defus.RefusedLinkInvalid: "Link ungültig", defus.RefusedLinkExpired: "Link abgelaufen",
		defus.RefusedLinkUsed: "Link schon verwendet", defus.RefusedRegistered: "Schon angemeldet",
	}[why]
	if title == "" {
		title = "Anmeldung nicht möglich"
	}
	if e == nil || e.ID == 0 {
		s.errorPage(w, r, refusalStatus(why), view.ErrorData{Title: title, Text: why.Message()})
		return true
	}
	s.renderRegistrationPage(w, r, refusalStatus(why), view.RegistrationPage{Event: *e, Title: title, Text: []string{why.Message()}})
	return true
}

func (s *Server) renderRegistrationPage(w http.ResponseWriter, r *http.Request, status int, p view.RegistrationPage) {
	m := s.meta(r, p.Title, "")
	m.NoIndex, m.Canonical = true, ""
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer") // the path holds the link's signature
	s.render(w, r, status, view.RegistrationLink(m, p))
}

// POST /termine/{slug}/anmeldung registers: a logged-in member with one
// click, a guest with name, e-mail and organisation (name and e-mail for
// the waitlist).
func (s *Server) handleRegistrationCreate(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.FindEvent(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	var in defus.RegistrationInput
	if u := memberUser(r); u != nil {
		m, err := s.store.FindMemberByID(r.Context(), *u.MemberID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		in = defus.RegistrationInput{Name: u.Name, Email: u.Email, Organisation: m.Name, MemberID: u.MemberID, UserID: &u.ID, ShowOrganisation: true}
	} else {
		f := view.RegistrationForm{Name: formText(r, "name"), Email: formText(r, "email"), Organisation: formText(r, "organisation"),
			ShowOrganisation: formChecked(r, "show_organisation"), Waitlist: formChecked(r, "warteliste")}
		in = defus.RegistrationInput{Name: f.Name, Email: f.Email, Organisation: f.Organisation, ShowOrganisation: f.ShowOrganisation, Waitlist: f.Waitlist}
		if errs := in.Validate(); errs.Any() {
			if e.RegistrationClosed(s.now()) == "" {
				s.renderEventShow(w, r, http.StatusUnprocessableEntity, e, view.Form[view.RegistrationForm]{Values: f, Errors: errs})
				return
			}
		}
		// Every guest registration sends a mail: so many per client and
		// per address, or the form would send mail to anybody for anybody.
		if !s.allowAttempt(w, r, defus.Limit{Key: s.limitKey("registration", clientNetwork(s.clientIP(r))),
			Max: registrationsPerClient, Window: time.Hour}) {
			return
		}
		if !s.allowAttemptSaying(w, r, defus.Limit{Key: s.limitKey("registration-address", defus.EmailKey(in.Email)),
			Max: registrationsPerAddress, Window: time.Hour}, "Mit dieser E-Mail-Adresse sind in kurzer Zeit sehr viele Anmeldungen abgeschickt worden.") {
			return
		}
	}
	reg, err := s.store.Register(r.Context(), actor(r), e.ID, in)
	if memberUser(r) == nil && errors.Is(err, defus.RefusedRegistered) {
		// A guest's address that is registered already: the mail to it
		// says where it stands. Whoever typed it gets the answer of a new
		// registration, so the form tells nobody who is registered; the
		// registration itself is not remembered in this browser.
		s.echoRegistration(r, e.ID, in.Email)
		http.Redirect(w, r, "/termine/"+e.Slug+"#anmeldung", http.StatusSeeOther)
		return
	}
	if s.registrationRefused(w, r, err, e) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	if memberUser(r) == nil {
		s.rememberRegistration(r, reg.ID)
	}
	http.Redirect(w, r, "/termine/"+e.Slug+"#anmeldung", http.StatusSeeOther)
}

// Guest registrations per client network and per address and hour. A city
// hall registering a team shares one address range.
const (
	registrationsPerClient  = 30
	registrationsPerAddress = 5
)

// POST /termine/{slug}/abmeldung cancels the logged-in member's registration.
func (s *Server) handleRegistrationCancelMember(w http.ResponseWriter, r *http.Request) {
	e, err := s.store.FindEvent(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	u := memberUser(r)
	if u == nil {
		s.registrationRefused(w, r, defus.RefusedMembersOnly, e)
		return
	}
	reg, err := s.store.FindUserRegistration(r.Context(), e.ID, u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	_, _, err = s.store.CancelRegistration(r.Context(), actor(r), reg.ID)
	if s.registrationRefused(w, r, err, e) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/termine/"+e.Slug+"#anmeldung", http.StatusSeeOther)
}

// registrationOfLink reads /anmeldung/{id}/{sig}/{action} and checks the
// signature: a forged, swapped or void link gives defus.RefusedLinkInvalid.
func (s *Server) registrationOfLink(r *http.Request) (*defus.Registration, string, error) {
	action := chi.URLParam(r, "action")
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || !slices.Contains([]string{linkConfirm, linkCancel, linkOffer, linkCert}, action) {
		return nil, action, defus.RefusedLinkInvalid
	}
	reg, err := s.store.FindRegistration(r.Context(), id)
	if errors.Is(err, defus.ErrNotFound) {
		return nil, action, defus.RefusedLinkInvalid
	}
	if err != nil {
		return nil, action, err
	}
	if !s.regLinks().valid(action, chi.URLParam(r, "sig"), reg) {
		return nil, action, defus.RefusedLinkInvalid
	}
	return reg, action, nil
}

// linkedRegistration is registrationOfLink that answers a bad link itself
// (ok=false).
func (s *Server) linkedRegistration(w http.ResponseWriter, r *http.Request) (*defus.Registration, string, bool) {
	reg, action, err := s.registrationOfLink(r)
	if s.registrationRefused(w, r, err, nil) {
		return nil, "", false
	}
	if err != nil {
		s.error(w, r, err)
		return nil, "", false
	}
	return reg, action, true
}

// eventOfRegistration is the event of a registration, published or not.
func (s *Server) eventOfRegistration(r *http.Request, reg *defus.Registration) (*defus.Event, error) {
	return s.store.FindEventByID(r.Context(), reg.EventID)
}

// GET /anmeldung/{id}/{sig}/{action} shows what the link will do, with a
// button; the POST does it.
func (s *Server) handleRegistrationLinkShow(w http.ResponseWriter, r *http.Request) {
	reg, action, ok := s.linkedRegistration(w, r)
	if !ok {
		return
	}
	e, err := s.eventOfRegistration(r, reg)
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := view.RegistrationPage{Event: *e, Reg: *reg, Action: r.URL.Path}
	switch {
	case action == linkCert:
		s.serveCertificate(w, r, e, reg)
		return
	case action == linkConfirm && reg.State == defus.RegPending:
		if !reg.CreatedAt.Add(defus.PendingTTL).After(s.now()) {
			s.registrationRefused(w, r, defus.RefusedLinkExpired, e)
			return
		}
		p.Title, p.Button = "Anmeldung bestätigen", "Anmeldung bestätigen"
		p.Text = []string{"Bitte bestätigen Sie, dass Sie sich mit " + reg.Email + " zu diesem Termin anmelden möchten."}
	case action == linkCancel && reg.State != defus.RegCancelled:
		p.Title, p.Button = "Abmelden", "Ja, abmelden"
		p.Text = []string{"Möchten Sie sich von diesem Termin abmelden? Ihr Platz geht dann an die nächste Person auf der Warteliste."}
	case action == linkOffer && reg.State == defus.RegOffered:
		if !reg.OfferedUntil.After(s.now()) {
			s.registrationRefused(w, r, defus.RefusedLinkExpired, e)
			return
		}
		p.Title, p.Button, p.Offer = "Platz annehmen", "Platz verbindlich annehmen", true
		p.Text = []string{"Für Sie ist ein Platz frei geworden. Er ist bis " + view.OfferedUntilText(*reg) + " für Sie reserviert. Bitte ergänzen Sie noch, für welche Organisation Sie teilnehmen."}
		p.Values = view.RegistrationForm{Organisation: reg.Organisation, ShowOrganisation: reg.ShowOrganisation}
	default:
		s.renderRegistrationDone(w, r, http.StatusOK, e, reg, action)
		return
	}
	s.renderRegistrationPage(w, r, http.StatusOK, p)
}

// POST /anmeldung/{id}/{sig}/{action}
func (s *Server) handleRegistrationLinkDo(w http.ResponseWriter, r *http.Request) {
	reg, action, ok := s.linkedRegistration(w, r)
	if !ok {
		return
	}
	if action == linkCert { // a download, nothing to post
		s.registrationRefused(w, r, defus.RefusedLinkInvalid, nil)
		return
	}
	var e *defus.Event
	var err error
	switch action {
	case linkConfirm:
		reg, e, err = s.store.ConfirmRegistration(r.Context(), reg.ID)
	case linkCancel:
		reg, e, err = s.store.CancelRegistration(r.Context(), actor(r), reg.ID)
	case linkOffer:
		f := view.RegistrationForm{Organisation: formText(r, "organisation"), ShowOrganisation: formChecked(r, "show_organisation")}
		if msg := defus.CheckText(f.Organisation, "Die Organisation", true, 300, false); msg != "" {
			ev, err := s.eventOfRegistration(r, reg)
			if err != nil {
				s.error(w, r, err)
				return
			}
			s.renderRegistrationPage(w, r, http.StatusUnprocessableEntity, view.RegistrationPage{Event: *ev, Reg: *reg,
				Action: r.URL.Path, Title: "Platz annehmen", Button: "Platz verbindlich annehmen", Offer: true,
				Text: []string{"Bitte ergänzen Sie noch, für welche Organisation Sie teilnehmen."},
				Form: view.Form[view.RegistrationForm]{Values: f, Errors: defus.FieldErrors{"organisation": msg}}})
			return
		}
		reg, e, err = s.store.AcceptOffer(r.Context(), reg.ID, f.Organisation, f.ShowOrganisation)
	}
	if errors.Is(err, defus.RefusedLinkUsed) {
		s.renderRegistrationDone(w, r, http.StatusConflict, e, reg, action)
		return
	}
	if s.registrationRefused(w, r, err, e) {
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.rememberRegistration(r, reg.ID)
	s.renderRegistrationDone(w, r, http.StatusOK, e, reg, action)
}

// renderRegistrationDone says where a registration stands after its link
// was used (now, or before).
func (s *Server) renderRegistrationDone(w http.ResponseWriter, r *http.Request, status int, e *defus.Event, reg *defus.Registration, action string) {
	p := view.RegistrationPage{Event: *e, Reg: *reg}
	switch reg.State {
	case defus.RegConfirmed:
		p.Title = "Sie sind angemeldet"
		p.Text = []string{"Ihre Anmeldung ist bestätigt. Wir haben Ihnen eine E-Mail mit dem Termin für Ihren Kalender an " + reg.Email + " geschickt."}
	case defus.RegWaiting:
		p.Title = "Sie stehen auf der Warteliste"
		p.Text = []string{"Alle Plätze sind vergeben. Sie stehen an Stelle " + strconv.Itoa(reg.Position) + " der Warteliste; wird ein Platz frei, schreiben wir Ihnen."}
	case defus.RegCancelled:
		p.Title = "Sie sind abgemeldet"
		p.Text = []string{"Ihre Anmeldung zu diesem Termin ist aufgehoben. Möchten Sie doch teilnehmen, melden Sie sich auf der Seite des Termins neu an."}
	case defus.RegOffered:
		p.Title = "Ein Platz ist für Sie reserviert"
		p.Text = []string{"Bitte nehmen Sie ihn über den Link in unserer E-Mail bis " + view.OfferedUntilText(*reg) + " an."}
	default:
		p.Title = "Anmeldung noch nicht bestätigt"
		p.Text = []string{"Bitte bestätigen Sie Ihre Anmeldung über den Link in unserer E-Mail."}
	}
	if status == http.StatusConflict {
		p.Text = append([]string{defus.RefusedLinkUsed.Message()}, p.Text...)
	}
	_ = action
	s.renderRegistrationPage(w, r, status, p)
}

// registrationPrivacy is the privacy page's section on registrations, in
// Markdown, with the retention periods of the settings.
func (s *Server) registrationPrivacy() string {
	return fmt.Sprintf(`

## Anmeldungen zu Terminen

Wer sich über dieses Portal zu einem Termin anmeldet, gibt Name, E-Mail-Adresse und Organisation an; wer auf die Warteliste kommt, zunächst nur Name und E-Mail-Adresse (die Organisation fragen wir erst, wenn ein Platz frei wird). Mitglieder mit Konto melden sich mit den Angaben ihres Kontos an. Wir verwenden diese Angaben nur, um die Teilnahme zu organisieren: Bestätigung, Warteliste, Hinweise auf Änderungen des Termins, Erinnerung, Teilnahmeliste und Teilnahmebescheinigung (Art. 6 Abs. 1 lit. b DSGVO).

- Eine Anmeldung, die nicht innerhalb von 24 Stunden über den Link in unserer E-Mail bestätigt wird, löschen wir.
- Die Anmeldungen vergangener Termine löschen wir **%d Monate** nach dem Termin.
- Wer teilgenommen hat, dessen Name, Organisation und Teilnahme bewahren wir **%d Monate** nach dem Termin auf, damit wir die Teilnahmebescheinigung erneut ausstellen können; danach löschen wir auch sie.
- Ihre Organisation zeigen wir anderen Mitgliedern in der Liste „Teilnehmende Städte“ nur, wenn Sie dem bei der Anmeldung zustimmen; Ihren Namen nie.
- Ein Cookie setzen wir erst, wenn Sie sich anmelden: Es merkt sich für höchstens 12 Stunden, dass Sie in diesem Browser angemeldet sind.

Auf Wunsch geben wir Auskunft über Ihre Anmeldungen und löschen sie (Art. 15 und 17 DSGVO); schreiben Sie uns dazu an die Geschäftsstelle.
`, s.cfg.RegistrationRetentionMonths, s.cfg.CertificateRetentionMonths)
}
