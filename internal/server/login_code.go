package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// Two-factor login (TOTP, RFC 6238). After the right password an account
// with a second factor is not logged in yet: the session (with a new
// token) holds only sessionPending, and /admin/login/code asks for a code
// from the app or a recovery code. Codes are counted per account like
// passwords (CountAttempt); a code is accepted once (the store keeps its
// step). REQUIRE_TWO_FACTOR makes it compulsory for admins and editors:
// requireRole sends those without one to the setup first.
const (
	codeChecks       = 5
	codeChecksWindow = 15 * time.Minute
	sessionSetup     = "totpSetup"   // the sealed secret being set up
	sessionNext      = "pendingNext" // where the login goes after its code
	sessionPendingAt = "pendingAt"   // when the password was right (Unix seconds)
	// codeStepTimeout is how long the second step waits for its code: then
	// the password is asked for again.
	codeStepTimeout = 10 * time.Minute
)

// twoFactorRequired reports whether the setting requires a second factor
// of u.
func (s *Server) twoFactorRequired(u *defus.User) bool { return s.cfg.RequireTwoFactor && u.Staff() }

// askForCode ends the first step of the login of u, whose password was
// right: the second step at /admin/login/code follows.
func (s *Server) askForCode(w http.ResponseWriter, r *http.Request, u *defus.User, next string) {
	ctx := r.Context()
	if err := s.sessions.RenewToken(ctx); err != nil {
		s.error(w, r, err)
		return
	}
	s.sessions.Put(ctx, sessionPending, u.ID)
	s.sessions.Put(ctx, sessionPassword, passwordStamp(u))
	s.sessions.Put(ctx, sessionNext, next)
	s.sessions.Put(ctx, sessionPendingAt, s.now().Unix())
	http.Redirect(w, r, "/admin/login/code", http.StatusSeeOther)
}

// pendingUser is the account whose password was right in this session and
// whose code is due, or nil.
func (s *Server) pendingUser(r *http.Request) (*defus.User, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, sessionPending)
	if id == 0 || s.now().Sub(time.Unix(s.sessions.GetInt64(ctx, sessionPendingAt), 0)) > codeStepTimeout {
		return nil, nil
	}
	u, err := s.store.FindUser(ctx, id)
	if errors.Is(err, defus.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	if !u.Active() || u.TOTPOn == nil || s.sessions.GetString(ctx, sessionPassword) != passwordStamp(u) {
		return nil, nil
	}
	return u, nil
}

// pendingOrLogin is pendingUser, or nil when it has answered: with the
// login page for a session without a first step.
func (s *Server) pendingOrLogin(w http.ResponseWriter, r *http.Request) *defus.User {
	u, err := s.pendingUser(r)
	switch {
	case err != nil:
		s.error(w, r, err)
	case u == nil:
		http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
	}
	return u
}

// GET /admin/login/code
func (s *Server) handleLoginCodeShow(w http.ResponseWriter, r *http.Request) {
	if s.pendingOrLogin(w, r) == nil {
		return
	}
	s.render(w, r, http.StatusOK, view.LoginCode(s.adminMeta(r, "Anmeldung: zweiter Schritt"), view.LoginCodeData{}))
}

// POST /admin/login/code
func (s *Server) handleLoginCodeCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := s.pendingOrLogin(w, r)
	if u == nil {
		return
	}
	fail := func(status int, msg string) {
		s.render(w, r, status, view.LoginCode(s.adminMeta(r, "Anmeldung: zweiter Schritt"), view.LoginCodeData{Error: msg}))
	}
	code := strings.TrimSpace(r.PostFormValue("code"))
	if code == "" {
		fail(http.StatusUnprocessableEntity, "Bitte geben Sie den Code aus Ihrer App oder einen Wiederherstellungscode ein.")
		return
	}
	key := s.limitKey("second-factor", fmt.Sprint(u.ID))
	wait, err := s.store.CountAttempt(ctx, []defus.Limit{{Key: key, UserID: u.ID, Max: codeChecks, Window: codeChecksWindow}})
	if err != nil {
		s.error(w, r, err)
		return
	}
	if wait > 0 {
		setRetryAfter(w, wait)
		fail(http.StatusTooManyRequests, "Zu viele falsche Codes. Bitte warten Sie "+germanMinutes(wait)+
			" und versuchen Sie es dann noch einmal. Wenn es eilt, kann die Administration der Geschäftsstelle die Sperre aufheben.")
		return
	}
	ok, err := s.checkSecondFactor(r, u, code)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !ok {
		failed := defus.AuditEntry{Actor: u.Actor(requestIDFrom(ctx)), Action: defus.ActionLoginFailed,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name}
		if err := s.store.Audit(ctx, failed); err != nil {
			s.error(w, r, err)
			return
		}
		fail(http.StatusUnprocessableEntity, "Der Code stimmt nicht, ist abgelaufen oder wurde schon benutzt. Bitte nehmen Sie den nächsten Code der App.")
		return
	}
	if err := s.store.SettleAttempt(ctx, [][]byte{key}, nil); err != nil {
		s.error(w, r, err)
		return
	}
	next := s.sessions.GetString(ctx, sessionNext)
	s.sessions.Remove(ctx, sessionNext)
	if err := s.startSession(r, u); err != nil {
		s.error(w, r, err)
		return
	}
	http.Redirect(w, r, landing(u, safeNext(next)), http.StatusSeeOther)
}

// checkSecondFactor checks code against u's app (six digits) or recovery
// codes (anything else); either is used up by the check.
func (s *Server) checkSecondFactor(r *http.Request, u *defus.User, code string) (bool, error) {
	ctx := r.Context()
	if digits := strings.ReplaceAll(code, " ", ""); len(digits) == defus.TOTPDigits && strings.Trim(digits, "0123456789") == "" {
		var openErr error
		ok, err := s.store.CheckTOTPCode(ctx, u.ID, func(sealed []byte, last int64) (int64, bool) {
			secret, err := s.openTOTP(sealed, u.ID)
			if err != nil {
				openErr = err
				return 0, false
			}
			return defus.CheckTOTP(secret, digits, s.now(), last)
		})
		if openErr != nil {
			s.log.WarnContext(ctx, "second factor does not open (FORM_SECRET changed?)", "id", requestIDFrom(ctx), "user", u.ID)
		}
		return ok, err
	}
	if len(code) > 64 {
		return false, nil
	}
	ok, left, err := s.store.UseRecoveryCode(ctx, u.ID, s.recoveryHash(code), requestIDFrom(ctx))
	if ok {
		s.flash(r, fmt.Sprintf("Sie haben sich mit einem Wiederherstellungscode angemeldet; %d sind noch übrig. "+
			"Haben Sie Ihr Telefon verloren, schalten Sie die Zwei-Faktor-Anmeldung unter „Mein Konto“ aus und wieder ein.", left))
	}
	return ok, err
}

// setupSecret is the secret being set up in this session for u, made and
// kept (sealed) on first use, so reloading the page keeps the QR code.
func (s *Server) setupSecret(r *http.Request, u *defus.User) (secret, sealed []byte) {
	ctx := r.Context()
	if sealed = s.sessions.GetBytes(ctx, sessionSetup); sealed != nil {
		if secret, err := s.openTOTP(sealed, u.ID); err == nil {
			return secret, sealed
		}
	}
	secret = defus.NewTOTPSecret()
	sealed = s.sealTOTP(secret, u.ID)
	s.sessions.Put(ctx, sessionSetup, sealed)
	return secret, sealed
}

func (s *Server) renderTOTPSetup(w http.ResponseWriter, r *http.Request, status int, errMsg string) {
	u := currentUser(r.Context())
	secret, _ := s.setupSecret(r, u)
	qr, err := qrSVG(defus.TOTPURI(secret, u.Email, "DEFUS"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.TOTPSetupData{QR: qr, Secret: defus.TOTPSecretText(secret), Required: s.twoFactorRequired(u),
		Code: view.TOTPCodeField("totp-code", errMsg)}
	s.render(w, r, status, view.TOTPSetup(s.adminMeta(r, "Zwei-Faktor-Anmeldung einrichten"), d))
}

// GET /konto/zwei-faktor
func (s *Server) handleTOTPSetupShow(w http.ResponseWriter, r *http.Request) {
	if currentUser(r.Context()).TOTPOn != nil {
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return
	}
	s.renderTOTPSetup(w, r, http.StatusOK, "")
}

// POST /konto/zwei-faktor
//
// The first code from the app switches the second factor on; the recovery
// codes are shown once.
func (s *Server) handleTOTPSetupCreate(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(ctx)
	if u.TOTPOn != nil {
		http.Redirect(w, r, "/konto", http.StatusSeeOther)
		return
	}
	secret, sealed := s.setupSecret(r, u)
	step, ok := defus.CheckTOTP(secret, r.PostFormValue("code"), s.now(), 0)
	if !ok {
		msg := "Der Code stimmt nicht. Bitte prüfen Sie, ob die Uhr Ihres Telefons richtig geht, und nehmen Sie den nächsten Code."
		if strings.TrimSpace(r.PostFormValue("code")) == "" {
			msg = "Bitte geben Sie den Code ein, den die App anzeigt."
		}
		s.renderTOTPSetup(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	codes := defus.NewRecoveryCodes()
	hashes := make([][]byte, len(codes))
	for i, c := range codes {
		hashes[i] = s.recoveryHash(c)
	}
	if err := s.store.EnableTOTP(ctx, actor(r), u.ID, sealed, step, hashes); err != nil {
		s.error(w, r, err)
		return
	}
	s.sessions.Remove(ctx, sessionSetup)
	next := "/konto"
	if u.Staff() {
		next = "/admin"
	}
	s.render(w, r, http.StatusOK, view.RecoveryCodes(s.adminMeta(r, "Ihre Wiederherstellungscodes"),
		view.RecoveryCodesData{Codes: codes, Next: next}))
}

// POST /konto/zwei-faktor/aus
func (s *Server) handleTOTPOff(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	u := currentUser(ctx)
	if s.twoFactorRequired(u) {
		s.adminErrorPage(w, r, http.StatusForbidden, view.ErrorData{Title: "Nicht möglich",
			Text: "Für Ihr Konto ist die Zwei-Faktor-Anmeldung vorgeschrieben."})
		return
	}
	errs := defus.FieldErrors{}
	if !s.checkOwnPassword(w, r, "totp_password", errs) {
		return
	}
	if errs.Any() {
		s.renderAccount(w, r, http.StatusUnprocessableEntity, func(d *view.AccountData) { d.TOTPOff = errs["totp_password"] })
		return
	}
	if err := s.store.DisableTOTP(ctx, actor(r), u.ID, defus.ActionTOTPOff); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Zwei-Faktor-Anmeldung ist ausgeschaltet; Ihre Wiederherstellungscodes gelten nicht mehr.")
	http.Redirect(w, r, "/konto", http.StatusSeeOther)
}

// POST /admin/benutzer/{id}/zwei-faktor/zuruecksetzen
func (s *Server) handleUserTOTPReset(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if err := s.store.DisableTOTP(r.Context(), actor(r), u.ID, defus.ActionTOTPReset); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Zwei-Faktor-Anmeldung von "+u.Name+" ist zurückgesetzt. Die Person meldet sich mit ihrem Passwort an und richtet sie neu ein.")
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}
