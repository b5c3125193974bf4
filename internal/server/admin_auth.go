package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// loginFailed is the one message for an unknown e-mail address and a wrong
// password, so the form does not tell which addresses have accounts.
const loginFailed = "E-Mail-Adresse oder Passwort ist falsch."

// GET /admin/login
func (s *Server) handleLoginShow(w http.ResponseWriter, r *http.Request) {
	if u := currentUser(r.Context()); u != nil {
		http.Redirect(w, r, landing(u, safeNext(r.URL.Query().Get("next"))), http.StatusSeeOther)
		return
	}
	d := view.LoginData{Next: safeNext(r.URL.Query().Get("next")), LoggedOut: r.URL.Query().Has("abgemeldet")}
	s.render(w, r, http.StatusOK, view.AdminLogin(s.adminMeta(r, "Anmeldung"), d))
}

// POST /admin/login
//
// The attempt is counted before the password is checked, and the check
// waits for a free slot; see logins.go for the limits.
func (s *Server) handleLoginCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	email, pw := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	d := view.LoginData{Email: defus.CleanText(email), Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, msg string) {
		d.Error = msg
		s.render(w, r, status, view.AdminLogin(s.adminMeta(r, "Anmeldung"), d))
	}
	if email == "" || pw == "" {
		fail(http.StatusUnprocessableEntity, "Bitte geben Sie E-Mail-Adresse und Passwort ein.")
		return
	}
	if len(email) > defus.MaxEmailLen || len(pw) > 4*defus.MaxPasswordLen {
		fail(http.StatusUnprocessableEntity, loginFailed) // no account has such an address or password; do not hash it
		return
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && !errors.Is(err, defus.ErrNotFound) {
		s.error(w, r, err)
		return
	}
	attempt := s.newLoginAttempt(r, email, u)
	wait, err := s.store.CountAttempt(ctx, attempt.limits)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if wait > 0 {
		s.log.WarnContext(ctx, "login throttled", "id", requestIDFrom(ctx), "client", s.clientPseudonym(r),
			"device", attempt.device != "", "retry_after", wait.Round(time.Second))
		setRetryAfter(w, wait)
		fail(http.StatusTooManyRequests, "Zu viele Anmeldeversuche. Bitte warten Sie "+germanMinutes(wait)+
			" und versuchen Sie es dann noch einmal. Wenn es eilt, kann die Administration der Geschäftsstelle die Sperre aufheben.")
		return
	}
	release := s.passwordChecks.acquire(ctx, attempt.device != "")
	if release == nil {
		if err := s.loginNotChecked(ctx, attempt); err != nil {
			s.error(w, r, err)
			return
		}
		setRetryAfter(w, passwordBusyRetry)
		fail(http.StatusServiceUnavailable, "Gerade werden sehr viele Anmeldungen zugleich geprüft. "+
			"Bitte versuchen Sie es in einigen Sekunden noch einmal.")
		return
	}
	// An unknown address checks against no hash: the answer takes as long.
	var hash string
	if u != nil {
		hash = u.PasswordHash
	}
	ok := defus.CheckPassword(hash, pw) && u != nil
	release()
	if u == nil {
		fail(http.StatusUnprocessableEntity, loginFailed) // counted, not audited: no account to audit
		return
	}
	if !ok || !u.Active() {
		failed := defus.AuditEntry{At: s.now(), Actor: actor(r), Action: defus.ActionLoginFailed,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name}
		if err := s.store.Audit(ctx, failed); err != nil {
			s.error(w, r, err)
			return
		}
		msg := loginFailed
		if ok { // only someone who knows the password learns that the account is disabled
			msg = "Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration der Geschäftsstelle."
		}
		fail(http.StatusUnprocessableEntity, msg)
		return
	}
	if err := s.loginSucceeded(ctx, attempt); err != nil {
		s.error(w, r, err)
		return
	}
	if u.TOTPOn != nil {
		s.setDeviceCookie(w, u, attempt.device)
		s.askForCode(w, r, u, d.Next)
		return
	}
	if err := s.startSession(r, u); err != nil {
		s.error(w, r, err)
		return
	}
	s.setDeviceCookie(w, u, attempt.device)
	http.Redirect(w, r, landing(u, d.Next), http.StatusSeeOther)
}

// POST /admin/logout
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if u := currentUser(ctx); u != nil {
		err := s.store.Audit(ctx, defus.AuditEntry{At: s.now(), Actor: actor(r), Action: defus.ActionLogout,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name})
		if err != nil {
			s.error(w, r, err)
			return
		}
	}
	if err := s.store.EndSession(ctx, s.currentSession(ctx)); err != nil {
		s.error(w, r, err)
		return
	}
	// Destroy deletes the session from the database: the old cookie is dead.
	if err := s.sessions.Destroy(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/login?abgemeldet", http.StatusSeeOther)
}
