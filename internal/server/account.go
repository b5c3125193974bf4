package server

import (
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// Every account's own page at /konto: its address, password and sessions.
// Checks of the current password count like logins (per account): a stolen
// session cannot be used to guess it.
const (
	accountChecks       = 5
	accountChecksWindow = 15 * time.Minute
)

// renderAccount shows the own account's page; set fills in a failed form.
func (s *Server) renderAccount(w http.ResponseWriter, r *http.Request, status int, set func(*view.AccountData)) {
	ctx := r.Context()
	u := currentUser(ctx)
	sessions, err := s.store.FindUserSessions(ctx, u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.AccountData{User: u, Sessions: sessions, Current: s.currentSession(ctx), Required: s.twoFactorRequired(u)}
	if set != nil {
		set(&d)
	}
	s.render(w, r, status, view.Account(s.adminMeta(r, "Mein Konto"), d))
}

// GET /konto
func (s *Server) handleAccountShow(w http.ResponseWriter, r *http.Request) {
	s.renderAccount(w, r, http.StatusOK, nil)
}

// checkOwnPassword checks the current password typed into field, counted
// per account; it adds a message to errs when it is wrong or too many
// checks were made, and reports false when the answer is already given.
func (s *Server) checkOwnPassword(w http.ResponseWriter, r *http.Request, field string, errs defus.FieldErrors) bool {
	u := currentUser(r.Context())
	pw := r.PostFormValue(field)
	if pw == "" {
		errs.Add(field, "Bitte geben Sie Ihr bisheriges Passwort ein.")
		return true
	}
	wait, err := s.store.CountAttempt(r.Context(), []defus.Limit{
		{Key: s.limitKey("own-password", u.Email), UserID: u.ID, Max: accountChecks, Window: accountChecksWindow}})
	if err != nil {
		s.error(w, r, err)
		return false
	}
	switch {
	case wait > 0:
		setRetryAfter(w, wait)
		errs.Add(field, "Zu viele falsche Versuche. Bitte warten Sie "+germanMinutes(wait)+".")
	case len(pw) > 4*defus.MaxPasswordLen || !defus.CheckPassword(u.PasswordHash, pw):
		errs.Add(field, "Das Passwort stimmt nicht.")
	}
	return true
}

// POST /konto/passwort
func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(ctx)
	_, errs := readNewPassword(r)
	if !s.checkOwnPassword(w, r, "current_password", errs) {
		return
	}
	if errs.Any() {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, func(d *view.AccountData) {
			d.Password = view.Form[view.PasswordChangeForm]{Errors: errs}
		})
		return
	}
	hash, err := defus.HashPassword(r.PostFormValue("password"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.store.ChangePassword(ctx, actor(r), u.ID, hash, s.currentSession(ctx)); err != nil {
		s.error(w, r, err)
		return
	}
	u.PasswordHash = hash
	s.sessions.Put(ctx, sessionPassword, passwordStamp(u)) // this session goes on
	s.flash(r, "Ihr Passwort ist geändert. Alle anderen Geräte sind abgemeldet.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
}

// POST /konto/e-mail
func (s *Server) handleAccountEmail(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(ctx)
	f := view.EmailChangeForm{Email: formText(r, "email")}
	errs := defus.FieldErrors{}
	switch {
	case f.Email == "":
		errs.Add("email", "Bitte geben Sie die neue E-Mail-Adresse ein.")
	case strings.EqualFold(f.Email, u.Email):
		errs.Add("email", "Das ist schon Ihre Adresse. Bitte geben Sie die neue ein.")
	default:
		errs.Check("email", defus.CheckEmail(f.Email, "Die E-Mail-Adresse"))
	}
	if !s.checkOwnPassword(w, r, "email_password", errs) {
		return
	}
	show := func(status int, errs defus.FieldErrors) {
		s.renderAccount(w, r, status, func(d *view.AccountData) {
			d.Email = view.Form[view.EmailChangeForm]{Values: f, Errors: errs}
		})
	}
	if errs.Any() {
		show(http.StatusUnprocessableEntity, errs)
		return
	}
	tok := defus.NewToken()
	mail := func(u *defus.User, expires time.Time) defus.Mail {
		return defus.EmailChangeMail(u, f.Email, tok.Raw, expires, s.accountMails())
	}
	if err := s.store.RequestEmailChange(ctx, actor(r), u.ID, f.Email, tok, mail); err != nil {
		s.saveError(w, r, err, show)
		return
	}
	s.flash(r, "Wir haben einen Link an "+f.Email+" geschickt. Sobald Sie ihn öffnen und bestätigen, gilt die neue Adresse.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
}

// GET /konto/e-mail/{token}
//
// A page with a button, not the change itself: mail programs that open
// links in advance confirm nothing.
func (s *Server) handleEmailConfirmShow(w http.ResponseWriter, r *http.Request) {
	_, t, u, err := s.linkOfRequest(r, defus.TokenEmailChange)
	if err != nil {
		s.linkError(w, r, defus.TokenEmailChange, err)
		return
	}
	d := view.EmailConfirmData{Action: r.URL.Path, Name: u.Name, NewEmail: t.NewEmail}
	s.render(w, r, http.StatusOK, view.EmailConfirm(s.adminMeta(r, "Neue E-Mail-Adresse bestätigen"), d))
}

// POST /konto/e-mail/{token}
func (s *Server) handleEmailConfirm(w http.ResponseWriter, r *http.Request) {
	raw, t, u, err := s.linkOfRequest(r, defus.TokenEmailChange)
	if err != nil {
		s.linkError(w, r, defus.TokenEmailChange, err)
		return
	}
	notice := func(u *defus.User, newEmail string) defus.Mail {
		return defus.EmailChangedMail(u, newEmail, s.accountMails())
	}
	_, err = s.store.ConfirmEmailChange(r.Context(), defus.HashToken(raw), requestIDFrom(r.Context()), notice)
	if fe := defus.FieldErrorsOf(err); fe.Any() {
		d := view.EmailConfirmData{Action: r.URL.Path, Name: u.Name, NewEmail: t.NewEmail,
			Error: "Mit der Adresse " + t.NewEmail + " meldet sich inzwischen ein anderes Konto an. Bitte wählen Sie eine andere."}
		s.render(w, r, http.StatusConflict, view.EmailConfirm(s.adminMeta(r, "Neue E-Mail-Adresse bestätigen"), d))
		return
	}
	if err != nil {
		s.linkError(w, r, defus.TokenEmailChange, err)
		return
	}
	s.flash(r, "Ihre neue E-Mail-Adresse ist bestätigt. Sie melden sich ab jetzt damit an.")
	target := "/admin/login"
	if cu := currentUser(r.Context()); cu != nil && cu.ID == u.ID {
		target = "/konto"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// POST /konto/sitzungen/beenden
//
// sitzung is the hex hash of one other session, or "andere" for all others.
func (s *Server) handleAccountSessionsEnd(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(ctx)
	var which [][]byte
	if v := r.PostFormValue("sitzung"); v != "andere" {
		h, err := hex.DecodeString(v)
		if err != nil || len(h) != 32 {
			http.Error(w, "Ungültige Sitzung", http.StatusBadRequest)
			return
		}
		which = [][]byte{h}
	}
	n, err := s.store.EndUserSessions(ctx, actor(r), u.ID, which, s.currentSession(ctx))
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch n {
	case 0:
		s.flash(r, "Dieses Gerät war schon abgemeldet.")
	case 1:
		s.flash(r, "Ein Gerät ist abgemeldet.")
	default:
		s.flash(r, defus.FormatNumber(n)+" Geräte sind abgemeldet.")
	}
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
}

// subjectAccount is an account in the file of a request for access.
type subjectAccount struct {
	Nr              int64           `json:"nr"`
	Name            string          `json:"name"`
	EMail           string          `json:"e_mail"`
	Rolle           string          `json:"rolle"`
	Mitglied        *int64          `json:"mitglied_nr,omitempty"`
	Status          string          `json:"status"`
	Angelegt        string          `json:"angelegt"`
	LetzteAnmeldung string          `json:"letzte_anmeldung,omitempty"`
	ZweiFaktor      bool            `json:"zwei_faktor_anmeldung"`
	Geraete         []subjectDevice `json:"angemeldete_geraete"`
}

type subjectDevice struct {
	Geraet       string `json:"geraet"`
	Angemeldet   string `json:"angemeldet"`
	ZuletztAktiv string `json:"zuletzt_aktiv"`
}

// subjectAccountsOf lists the accounts of d with their sessions (all of
// them belong to the accounts of the address).
func subjectAccountsOf(d *defus.SubjectData) []subjectAccount {
	out := []subjectAccount{}
	for _, u := range d.Accounts {
		a := subjectAccount{Nr: u.ID, Name: u.Name, EMail: u.Email, Rolle: u.Role.Label(), Mitglied: u.MemberID,
			Status: u.Status().Label(), Angelegt: csvTime(u.CreatedAt), ZweiFaktor: u.TOTPOn != nil, Geraete: []subjectDevice{}}
		if u.LastLoginAt != nil {
			a.LetzteAnmeldung = csvTime(*u.LastLoginAt)
		}
		out = append(out, a)
	}
	if len(out) > 0 {
		for _, s := range d.Sessions {
			// One address has at most one account; its sessions are its.
			out[0].Geraete = append(out[0].Geraete, subjectDevice{Geraet: s.Agent, Angemeldet: csvTime(s.Created), ZuletztAktiv: csvTime(s.LastSeen)})
		}
	}
	return out
}
