package server

import (
	"errors"
	"net/http"
	"strings"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// loginFailed is the one message for an unknown e-mail address and a wrong
// password, so the form does not tell which addresses have accounts.
const loginFailed = "E-Mail-Adresse oder Passwort ist falsch."

// GET /admin/login
func (s *Server) handleLoginShow(w http.ResponseWriter, r *http.Request) {
	if currentUser(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return
	}
	d := view.LoginData{Next: safeNext(r.URL.Query().Get("next")), LoggedOut: r.URL.Query().Has("abgemeldet")}
	s.render(w, r, http.StatusOK, view.AdminLogin(s.adminMeta(r, "Anmeldung"), d))
}

// POST /admin/login
func (s *Server) handleLoginCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	email, pw := strings.TrimSpace(r.PostFormValue("email")), r.PostFormValue("password")
	d := view.LoginData{Email: defus.CleanText(email), Next: safeNext(r.PostFormValue("next"))}
	fail := func(msg string) {
		d.Error = msg
		s.render(w, r, http.StatusUnprocessableEntity, view.AdminLogin(s.adminMeta(r, "Anmeldung"), d))
	}
	if email == "" || pw == "" {
		fail("Bitte geben Sie E-Mail-Adresse und Passwort ein.")
		return
	}
	if len(email) > defus.MaxEmailLen || len(pw) > 4*defus.MaxPasswordLen {
		fail(loginFailed) // no account has such an address or password; do not hash it
		return
	}
	now := s.now()
	if s.logins.blocked(r, now) {
		s.tooManyLogins(w, r, "client", 0)
		return
	}
	u, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && !errors.Is(err, defus.ErrNotFound) {
		s.error(w, r, err)
		return
	}
	var hash string
	failed := defus.AuditEntry{At: now, Actor: actor(r), Action: defus.ActionLoginFailed, Entity: defus.EntityUser}
	if u != nil {
		n, err := s.store.CountFailedLogins(ctx, u.ID, now.Add(-loginWindow))
		if err != nil {
			s.error(w, r, err)
			return
		}
		if n >= loginMaxFailures {
			s.tooManyLogins(w, r, "account", u.ID)
			return
		}
		hash, failed.EntityID, failed.EntityLabel = u.PasswordHash, u.ID, u.Name
	}
	// An unknown address checks against a dummy hash: the answer takes as long.
	if !defus.CheckPassword(hash, pw) || u == nil {
		s.logins.fail(r, now)
		if err := s.store.Audit(ctx, failed); err != nil {
			s.error(w, r, err)
			return
		}
		fail(loginFailed)
		return
	}
	if !u.Active() {
		// Only someone who knows the password learns that the account is disabled.
		if err := s.store.Audit(ctx, failed); err != nil {
			s.error(w, r, err)
			return
		}
		fail("Dieses Konto ist gesperrt. Bitte wenden Sie sich an die Administration der Geschäftsstelle.")
		return
	}
	// A new token at login: a session id planted before login is worthless.
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionPassword, passwordStamp(u))
	if err := s.store.RecordLogin(ctx, u, requestIDFrom(ctx), now); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// tooManyLogins refuses a login after too many failures and logs it.
func (s *Server) tooManyLogins(w http.ResponseWriter, r *http.Request, reason string, userID int64) {
	s.log.WarnContext(r.Context(), "login throttled", "id", requestIDFrom(r.Context()), "reason", reason, "user_id", userID)
	w.Header().Set("Retry-After", "900")
	s.adminErrorPage(w, r, http.StatusTooManyRequests, view.ErrorData{
		Title: "Zu viele Anmeldeversuche",
		Text:  "Es gab zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie 15 Minuten und versuchen Sie es dann noch einmal.",
	})
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
	// Destroy deletes the session from the database: the old cookie is dead.
	if err := s.sessions.Destroy(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/admin/login?abgemeldet", http.StatusSeeOther)
}
