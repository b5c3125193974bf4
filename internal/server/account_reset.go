package server

import (
	"net/http"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// "Passwort vergessen": a link valid for an hour, by mail, for every
// account. The answer is the same whether or not the address has an
// account, and so is the work done: a token is made and a transaction
// runs either way. Requests are counted like logins (store.CountAttempt,
// keyed hashes): per address and per client.
const (
	resetPerAddress       = 3
	resetPerAddressWindow = time.Hour
	resetPerClient        = 10
	resetPerClientWindow  = time.Hour
)

// GET /konto/passwort-vergessen
func (s *Server) handleForgotShow(w http.ResponseWriter, r *http.Request) {
	d := view.ForgotData{Sent: r.URL.Query().Has("gesendet")}
	s.render(w, r, http.StatusOK, view.Forgot(s.adminMeta(r, "Passwort vergessen"), d))
}

// POST /konto/passwort-vergessen
func (s *Server) handleForgotCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	email := strings.TrimSpace(r.PostFormValue("email"))
	d := view.ForgotData{Email: defus.CleanText(email)}
	if email == "" {
		d.Error = "Bitte geben Sie Ihre E-Mail-Adresse ein."
	} else if msg := defus.CheckEmail(email, "Die E-Mail-Adresse"); msg != "" {
		d.Error = msg
	}
	if d.Error != "" {
		s.render(w, r, http.StatusUnprocessableEntity, view.Forgot(s.adminMeta(r, "Passwort vergessen"), d))
		return
	}
	wait, err := s.store.CountAttempt(ctx, []defus.Limit{
		{Key: s.limitKey("reset", strings.ToLower(email)), Max: resetPerAddress, Window: resetPerAddressWindow},
		{Key: s.limitKey("reset-client", clientNetwork(s.clientIP(r))), Max: resetPerClient, Window: resetPerClientWindow},
	})
	if err != nil {
		s.error(w, r, err)
		return
	}
	if wait > 0 {
		setRetryAfter(w, wait)
		d.Limited = "Für diese Adresse oder von diesem Anschluss aus wurden gerade viele Links angefordert. " +
			"Bitte warten Sie " + germanMinutes(wait) + " und sehen Sie inzwischen nach, ob eine E-Mail angekommen ist."
		s.render(w, r, http.StatusTooManyRequests, view.Forgot(s.adminMeta(r, "Passwort vergessen"), d))
		return
	}
	tok := defus.NewToken()
	mail := func(u *defus.User, expires time.Time) defus.Mail {
		return defus.PasswordResetMail(u, tok.Raw, expires, s.accountMails())
	}
	if err := s.store.RequestPasswordReset(ctx, email, tok, mail, requestIDFrom(ctx)); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, "/konto/passwort-vergessen?gesendet", http.StatusSeeOther)
}

// GET /konto/passwort-neu/{token}
func (s *Server) handleResetShow(w http.ResponseWriter, r *http.Request) {
	_, _, u, err := s.linkOfRequest(r, defus.TokenPasswordReset)
	if err != nil {
		s.linkError(w, r, defus.TokenPasswordReset, err)
		return
	}
	s.renderSetPassword(w, r, http.StatusOK, defus.TokenPasswordReset, u, nil)
}

// POST /konto/passwort-neu/{token}
//
// The new password is set, every session of the account ends, and the
// person logs in with it (a second factor, where switched on, is asked
// for there).
func (s *Server) handleResetUpdate(w http.ResponseWriter, r *http.Request) {
	if u := s.passwordByLink(w, r, defus.TokenPasswordReset, s.store.ResetPassword); u == nil {
		return
	}
	s.sessions.Remove(r.Context(), sessionUserID)
	s.flash(r, "Ihr neues Passwort ist gespeichert, und alle Geräte sind abgemeldet. Bitte melden Sie sich jetzt damit an.")
	http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
}
