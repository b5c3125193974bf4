package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
	"defus.de/portal/web/view"
)

// accountMails are the settings of the mails about accounts.
func (s *Server) accountMails() defus.AccountMailSettings {
	return defus.AccountMailSettings{Office: s.cfg.OfficeEmail, BaseURL: s.cfg.BaseURLString(), SiteName: "DEFUS-Geschäftsstelle"}
}

// invitationMail writes the invitation of a representative of the member
// named memberName, with the link to tok.
func (s *Server) invitationMail(memberName string, tok defus.Token) store.AccountMail {
	return func(u *defus.User, expires time.Time) defus.Mail {
		return defus.InvitationMail(u, memberName, tok.Raw, expires, s.accountMails())
	}
}

func (s *Server) renderInvite(w http.ResponseWriter, r *http.Request, status int, members []defus.Member, f view.InviteForm, errs defus.FieldErrors) {
	d := view.InviteData{Members: members, Form: view.Form[view.InviteForm]{Values: f, Errors: errs}}
	s.render(w, r, status, view.AdminInvite(s.adminMeta(r, "In den Mitgliederbereich einladen"), d))
}

// GET /admin/benutzer/einladen
//
// ?mitglied={id} chooses the member; ?mitglied={id}&kontakt={cid} fills in
// that contact person of the member, as the member's page links it.
func (s *Server) handleInviteNew(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	members, err := s.userChoices(ctx)
	if err != nil {
		s.error(w, r, err)
		return
	}
	q := r.URL.Query()
	f := view.InviteForm{}
	if id, err := strconv.ParseInt(q.Get("mitglied"), 10, 64); err == nil && id > 0 {
		f.Member = strconv.FormatInt(id, 10)
		if cid, err := strconv.ParseInt(q.Get("kontakt"), 10, 64); err == nil && cid > 0 {
			c, err := s.store.FindContact(ctx, id, cid)
			if err != nil {
				s.error(w, r, err)
				return
			}
			f.Name, f.Email = c.Name, c.Email
		}
	}
	s.renderInvite(w, r, http.StatusOK, members, f, nil)
}

// POST /admin/benutzer/einladen
func (s *Server) handleInviteCreate(w http.ResponseWriter, r *http.Request) {
	members, err := s.userChoices(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	f := view.InviteForm{Name: formText(r, "name"), Email: formText(r, "email"), Member: r.PostFormValue("member")}
	u := &defus.User{Name: f.Name, Email: f.Email, Role: defus.RoleMember}
	errs := u.Validate()
	var memberName string
	for _, m := range members {
		if strconv.FormatInt(m.ID, 10) == f.Member {
			u.MemberID, memberName = &m.ID, m.Name
		}
	}
	if u.MemberID == nil {
		errs.Add("member", "Bitte wählen Sie das Mitglied, für das die Person spricht.")
	}
	if errs.Any() {
		s.renderInvite(w, r, http.StatusUnprocessableEntity, members, f, errs)
		return
	}
	tok := defus.NewToken()
	if err := s.store.InviteUser(r.Context(), actor(r), u, tok, s.invitationMail(memberName, tok)); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderInvite(w, r, status, members, f, errs)
		})
		return
	}
	s.flash(r, "Die Einladung an "+u.Name+" ist unterwegs.")
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}

// POST /admin/benutzer/{id}/einladung
func (s *Server) handleInvitationResend(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	memberName := ""
	if u.MemberID != nil {
		if m, err := s.store.FindMemberByID(r.Context(), *u.MemberID); err == nil {
			memberName = m.Name
		}
	}
	tok := defus.NewToken()
	err = s.store.ResendInvitation(r.Context(), actor(r), u.ID, tok, s.invitationMail(memberName, tok))
	switch {
	case errors.Is(err, store.ErrNotInvited):
		s.flash(r, "Es wurde keine Einladung gesendet: Das Konto von "+u.Name+" ist gesperrt oder schon angenommen.")
	case err != nil:
		s.error(w, r, err)
		return
	default:
		s.flash(r, "Eine neue Einladung an "+u.Name+" ist unterwegs; der bisherige Link gilt nicht mehr.")
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
}

// POST /admin/benutzer/{id}/einladung/zurueckziehen
func (s *Server) handleInvitationWithdraw(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	err = s.store.WithdrawInvitation(r.Context(), actor(r), u.ID)
	if errors.Is(err, store.ErrNotInvited) {
		s.flash(r, u.Name+" hat die Einladung schon angenommen. Sperren Sie das Konto, wenn es keinen Zugang mehr haben soll.")
		http.Redirect(w, r, fmt.Sprintf("/admin/benutzer/%d", u.ID), http.StatusSeeOther)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Einladung an "+u.Name+" ist zurückgezogen; der Link gilt nicht mehr.")
	http.Redirect(w, r, "/admin/benutzer", http.StatusSeeOther)
}

// GET /admin/benutzer/{id}/loeschen
func (s *Server) handleUserEraseConfirm(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminUserErase(s.adminMeta(r, "Konto löschen"), view.UserEraseData{User: u}))
}

// POST /admin/benutzer/{id}/loeschen
//
// Erasure (GDPR Art. 17); the own account cannot be erased.
func (s *Server) handleUserErase(w http.ResponseWriter, r *http.Request) {
	u, err := s.userOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	refuse := func(msg string) {
		s.render(w, r, http.StatusUnprocessableEntity, view.AdminUserErase(s.adminMeta(r, "Konto löschen"), view.UserEraseData{User: u, Error: msg}))
	}
	if u.ID == currentUser(r.Context()).ID {
		refuse("Ihr eigenes Konto können Sie nicht löschen. Bitten Sie eine andere Person aus der Administration darum.")
		return
	}
	if err := s.store.EraseUser(r.Context(), actor(r), u.ID); err != nil {
		if fe := defus.FieldErrorsOf(err); fe.Any() {
			refuse(fe["erase"])
			return
		}
		s.error(w, r, err)
		return
	}
	s.flash(r, fmt.Sprintf("Konto Nr. %d ist endgültig gelöscht.", u.ID))
	http.Redirect(w, r, "/admin/benutzer", http.StatusSeeOther)
}

// accountStatuses is the status of the account of every address (lower
// case) that has one, for the contact list of a member's page.
func (s *Server) accountStatuses(ctx context.Context) (map[string]defus.AccountStatus, error) {
	users, err := s.store.FindUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]defus.AccountStatus, len(users))
	for _, u := range users {
		out[strings.ToLower(u.Email)] = u.Status()
	}
	return out, nil
}
