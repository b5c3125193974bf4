package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// Pages behind the links sent by mail. A link that does not work (unknown,
// used, replaced, expired, of another kind, or for a disabled account)
// gets a German page that says what to do, with status 410: never an
// error page and never the login.

// linkOfRequest reads the token of {token} and finds its live link of
// purpose. Junk is refused without asking the database.
func (s *Server) linkOfRequest(r *http.Request, purpose defus.TokenPurpose) (raw string, t *defus.LinkToken, u *defus.User, err error) {
	raw = chi.URLParam(r, "token")
	if !defus.TokenLooksValid(raw) {
		return raw, nil, nil, defus.ErrNotFound
	}
	t, u, err = s.store.FindLink(r.Context(), defus.HashToken(raw), purpose)
	return raw, t, u, err
}

// linkError answers a link that does not work with the page for purpose,
// anything else with s.error.
func (s *Server) linkError(w http.ResponseWriter, r *http.Request, purpose defus.TokenPurpose, err error) {
	if !errors.Is(err, defus.ErrNotFound) {
		s.error(w, r, err)
		return
	}
	title := map[defus.TokenPurpose]string{
		defus.TokenInvitation:    "Einladungslink ungültig",
		defus.TokenPasswordReset: "Link nicht mehr gültig",
		defus.TokenEmailChange:   "Bestätigungslink ungültig",
	}[purpose]
	s.render(w, r, http.StatusGone, view.LinkInvalid(s.adminMeta(r, title), view.LinkInvalidData{Purpose: purpose, Office: s.cfg.OfficeEmail}))
}

// readNewPassword reads a new password typed twice and checks it.
func readNewPassword(r *http.Request) (view.PasswordForm, defus.FieldErrors) {
	f := view.PasswordForm{Password: r.PostFormValue("password"), Repeat: r.PostFormValue("password_repeat")}
	errs := defus.FieldErrors{}
	errs.Check("password", defus.ValidatePassword(f.Password))
	if f.Repeat == "" {
		errs.Add("password_repeat", "Bitte geben Sie das Passwort ein zweites Mal ein.")
	} else if f.Repeat != f.Password && !errs.Any() {
		errs.Add("password_repeat", "Die beiden Passwörter stimmen nicht überein. Bitte tippen Sie es noch einmal.")
	}
	if errs.Any() {
		f = view.PasswordForm{} // passwords are never sent back
	}
	return f, errs
}

func (s *Server) renderSetPassword(w http.ResponseWriter, r *http.Request, status int, purpose defus.TokenPurpose, u *defus.User, errs defus.FieldErrors) {
	title := "Passwort festlegen"
	if purpose == defus.TokenPasswordReset {
		title = "Neues Passwort festlegen"
	}
	d := view.SetPasswordData{Purpose: purpose, Action: r.URL.Path, Name: u.Name, Email: u.Email,
		Form: view.Form[view.PasswordForm]{Errors: errs}}
	s.render(w, r, status, view.SetPassword(s.adminMeta(r, title), d))
}

// GET /konto/einladung/{token}
func (s *Server) handleInvitationShow(w http.ResponseWriter, r *http.Request) {
	_, _, u, err := s.linkOfRequest(r, defus.TokenInvitation)
	if err != nil {
		s.linkError(w, r, defus.TokenInvitation, err)
		return
	}
	s.renderSetPassword(w, r, http.StatusOK, defus.TokenInvitation, u, nil)
}

// passwordByLink handles a form behind a link of purpose that sets a new
// password: it checks the link and the password and calls set with the
// link's hash and the new password's hash. The returned account is nil
// when the answer has been given (an error, the form again).
func (s *Server) passwordByLink(w http.ResponseWriter, r *http.Request, purpose defus.TokenPurpose,
	set func(ctx context.Context, link []byte, passwordHash, requestID string) (*defus.User, error)) *defus.User {
	raw, _, u, err := s.linkOfRequest(r, purpose)
	if err != nil {
		s.linkError(w, r, purpose, err)
		return nil
	}
	if _, errs := readNewPassword(r); errs.Any() {
		s.renderSetPassword(w, r, http.StatusUnprocessableEntity, purpose, u, errs)
		return nil
	}
	hash, err := defus.HashPassword(r.PostFormValue("password"))
	if err != nil {
		s.error(w, r, err)
		return nil
	}
	// The link is used in the same transaction that sets the password: of
	// two requests with it, one wins and the other finds it gone.
	if u, err = set(r.Context(), defus.HashToken(raw), hash, requestIDFrom(r.Context())); err != nil {
		s.linkError(w, r, purpose, err)
		return nil
	}
	return u
}

// POST /konto/einladung/{token}
//
// The invited person sets their password and is logged in.
func (s *Server) handleInvitationAccept(w http.ResponseWriter, r *http.Request) {
	u := s.passwordByLink(w, r, defus.TokenInvitation, s.store.AcceptInvitation)
	if u == nil {
		return
	}
	if err := s.startSession(r, u); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Willkommen! Ihr Passwort ist gespeichert, und Sie sind angemeldet.")
	http.Redirect(w, r, landing(u, ""), http.StatusSeeOther)
}
