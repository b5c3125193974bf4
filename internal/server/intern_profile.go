package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
	"defus.de/portal/web/view"
)

// A representative proposes changes to their own organisation's profile;
// the office approves or rejects them (/admin/profilvorschlaege).

func proposalFormOf(p *defus.ProfileProposal) view.ProposalForm {
	return view.ProposalForm{ProfileProposal: *p, Topics: topicIDStrings(p.TopicIDs)}
}

// renderProfile shows the representative's profile page with the proposal
// form as f (nil: the open proposal, or the profile as it is).
func (s *Server) renderProfile(w http.ResponseWriter, r *http.Request, status int, f *view.ProposalForm, errs defus.FieldErrors, current *defus.ProfileProposal) {
	ctx := r.Context()
	st, err := s.store.FindProfileStatus(ctx, ownMemberID(r))
	if err != nil {
		s.error(w, r, err)
		return
	}
	topics, err := s.publishedTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.InternProfileData{Member: st.Member, Topics: topics, Open: st.Pending}
	switch {
	case f != nil:
		d.Values = *f
	case st.Pending != nil:
		d.Values = proposalFormOf(st.Pending)
	default:
		p := defus.ProfileProposal{Description: st.Member.Description, Website: st.Member.Website, TopicIDs: st.Member.TopicIDs,
			Contacts: defus.PublicContacts(&st.Member)}
		d.Values = proposalFormOf(&p)
	}
	d.Errors, d.Current = errs, formOf(current, proposalFormOf)
	s.render(w, r, status, view.InternProfile(s.internMeta(r, "Profil von "+st.Member.ShortName), d))
}

// GET /intern/profil
func (s *Server) handleInternProfile(w http.ResponseWriter, r *http.Request) {
	s.renderProfile(w, r, http.StatusOK, nil, nil, nil)
}

// POST /intern/profil: a new proposal, or a change to the open one.
func (s *Server) handleInternProposalSave(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	memberID := ownMemberID(r)
	topics, err := s.publishedTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	p := defus.ProfileProposal{MemberID: memberID, Description: formText(r, "description"), Website: formText(r, "website"),
		Version: formVersion(r)}
	p.ID, _ = strconv.ParseInt(r.PostFormValue("id"), 10, 64)
	p.Contacts = readProposedContacts(r)
	errs := p.Validate()
	var ticked []string
	p.TopicIDs, ticked = readTopicIDs(r, "topics", topics, errs)
	logo, msg, err := s.formPicture(r, "logo", "", nil)
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch {
	case msg != "":
		errs.Add("logo", msg)
	case logo != nil && errs.Any():
		errs.Add("logo", chooseFileAgain)
	default:
		p.NewLogo = logo
	}
	f := view.ProposalForm{ProfileProposal: p, Topics: ticked}
	if !errs.Any() {
		m, err := s.store.FindMemberByID(ctx, memberID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		if p.ID == 0 && p.Same(m) {
			errs.Add("description", "Ihr Vorschlag ändert nichts am Profil. Wenn alles stimmt, klicken Sie oben auf „Angaben bestätigen“.")
		}
	}
	if errs.Any() {
		s.renderProfile(w, r, http.StatusUnprocessableEntity, &f, errs, nil)
		return
	}
	current, err := s.store.SaveProposal(ctx, actor(r), &p)
	if err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			if p.NewLogo != nil {
				errs.Add("logo", chooseFileAgain)
			}
			s.renderProfile(w, r, status, &f, errs, current)
		})
		return
	}
	s.flash(r, "Danke! Ihr Vorschlag ist bei der Geschäftsstelle. Sie bekommen eine E-Mail, sobald sie ihn geprüft hat.")
	http.Redirect(w, r, "/intern/profil", http.StatusSeeOther)
}

// POST /intern/profil/bestaetigen: the profile is right as it is.
func (s *Server) handleInternProfileConfirm(w http.ResponseWriter, r *http.Request) {
	if err := s.store.ConfirmProfile(r.Context(), actor(r), ownMemberID(r)); err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Danke! Die Profilseite zeigt jetzt, dass die Angaben heute bestätigt wurden.")
	http.Redirect(w, r, "/intern", http.StatusSeeOther)
}

// ownProposal reads the proposal of the URL; one of another member is
// refused with 403 (and reported false).
func (s *Server) ownProposal(w http.ResponseWriter, r *http.Request) (*defus.ProfileProposal, bool) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	p, err := s.store.FindProposal(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return nil, false
	}
	if p.MemberID != ownMemberID(r) {
		s.forbidden(w, r, "Dieser Vorschlag gehört zum Profil eines anderen Mitglieds.")
		return nil, false
	}
	return p, true
}

// GET /intern/vorschlaege/{id}
func (s *Server) handleInternProposalShow(w http.ResponseWriter, r *http.Request) {
	p, ok := s.ownProposal(w, r)
	if !ok {
		return
	}
	topics, err := s.store.FindAllTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.InternProposal(s.internMeta(r, "Änderungsvorschlag"), view.InternProposalData{Proposal: *p, Topics: topics}))
}

// POST /intern/vorschlaege/{id}/zurueckziehen
func (s *Server) handleInternProposalWithdraw(w http.ResponseWriter, r *http.Request) {
	p, ok := s.ownProposal(w, r)
	if !ok {
		return
	}
	err := s.store.WithdrawProposal(r.Context(), actor(r), p.MemberID, p.ID, formVersion(r))
	switch {
	case errors.Is(err, defus.ErrConflict):
		s.flash(r, "Der Vorschlag wurde inzwischen geändert oder entschieden; er ist nicht zurückgezogen.")
	case err != nil:
		s.error(w, r, err)
		return
	default:
		s.flash(r, "Der Vorschlag ist zurückgezogen.")
	}
	http.Redirect(w, r, "/intern/profil", http.StatusSeeOther)
}

// GET /admin/profilvorschlaege
func (s *Server) handleAdminProposalsIndex(w http.ResponseWriter, r *http.Request) {
	open, decided, err := s.store.FindProposals(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminProposalsIndex(s.adminMeta(r, "Profilvorschläge"), view.ProposalsAdminData{Open: open, Decided: decided}))
}

// renderProposal shows a proposal beside the profile as it is now, with
// the decision form as f (nil: fresh, against the member as now).
func (s *Server) renderProposal(w http.ResponseWriter, r *http.Request, status int, p *defus.ProfileProposal, f *view.DecisionForm, errs defus.FieldErrors) {
	m, err := s.store.FindMemberByID(r.Context(), p.MemberID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	topics, err := s.store.FindAllTopics(r.Context())
	if err != nil {
		s.error(w, r, err)
		return
	}
	d := view.ProposalAdminData{Proposal: *p, Member: *m, Topics: topics}
	d.Values = view.DecisionForm{Version: p.Version, MemberVersion: m.Version}
	if f != nil {
		d.Values.Note = f.Note
	}
	d.Errors = errs
	s.render(w, r, status, view.AdminProposalShow(s.adminMeta(r, "Profilvorschlag für "+p.MemberName), d))
}

// GET /admin/profilvorschlaege/{id}
func (s *Server) handleAdminProposalShow(w http.ResponseWriter, r *http.Request) {
	p, err := s.proposalOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderProposal(w, r, http.StatusOK, p, nil, nil)
}

func (s *Server) proposalOfRequest(r *http.Request) (*defus.ProfileProposal, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.FindProposal(r.Context(), id)
}

// handleAdminProposalDecide serves POST /admin/profilvorschlaege/{id}/uebernehmen
// and /ablehnen. A rejection needs a note. When the profile or the proposal
// changed since the page was shown, nothing is written: the page comes
// back (409) with the comparison as it is now.
func (s *Server) handleAdminProposalDecide(approve bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.proposalOfRequest(r)
		if err != nil {
			s.error(w, r, err)
			return
		}
		f := view.DecisionForm{Note: formText(r, "note")}
		errs := defus.FieldErrors{}
		errs.Check("note", defus.CheckText(f.Note, "Der Hinweis", false, defus.MaxProposalNote, true))
		if !approve && f.Note == "" {
			errs.Add("note", "Bitte schreiben Sie, warum Sie den Vorschlag ablehnen; der Hinweis steht in der E-Mail an die Person.")
		}
		if errs.Any() {
			s.renderProposal(w, r, http.StatusUnprocessableEntity, p, &f, errs)
			return
		}
		memberVersion, _ := strconv.Atoi(r.PostFormValue("member_version"))
		var logo *defus.Media
		if approve && p.HasLogo() {
			if logo, err = s.proposalLogo(r, p); err != nil {
				s.error(w, r, err)
				return
			}
		}
		decided, err := s.store.DecideProposal(r.Context(), actor(r), store.ProfileDecision{ProposalID: p.ID,
			ProposalVersion: formVersion(r), MemberVersion: memberVersion, Approve: approve, Note: f.Note, Logo: logo,
			Mail: defus.ProfileMailSettings{Office: s.cfg.OfficeEmail, BaseURL: s.cfg.BaseURLString()}})
		if errors.Is(err, defus.ErrConflict) {
			if p, err = s.store.FindProposal(r.Context(), p.ID); err != nil {
				s.error(w, r, err)
				return
			}
			errs.Add("note", "Das Profil oder der Vorschlag wurde inzwischen geändert. Bitte prüfen Sie den Vergleich, wie er jetzt ist, und entscheiden Sie noch einmal.")
			s.renderProposal(w, r, http.StatusConflict, p, &f, errs)
			return
		}
		if err != nil {
			s.error(w, r, err)
			return
		}
		msg := fmt.Sprintf("Der Vorschlag für %s ist übernommen und öffentlich. %s bekommt eine E-Mail.", decided.MemberName, decided.AuthorName)
		if !approve {
			msg = fmt.Sprintf("Der Vorschlag für %s ist abgelehnt. %s bekommt eine E-Mail mit Ihrem Hinweis.", decided.MemberName, decided.AuthorName)
		}
		s.flash(r, msg)
		http.Redirect(w, r, "/admin/profilvorschlaege", http.StatusSeeOther)
	}
}

// readProposedContacts reads the public contact persons of the proposal
// form; a row left empty (or emptied to remove the person) is left out.
func readProposedContacts(r *http.Request) []defus.ProposedContact {
	var out []defus.ProposedContact
	for i := range defus.MaxProposedContacts {
		c := defus.ProposedContact{Name: formText(r, defus.ContactField(i, "name")), Function: formText(r, defus.ContactField(i, "function")),
			Email: formText(r, defus.ContactField(i, "email")), Phone: formText(r, defus.ContactField(i, "phone"))}
		if c.Name == "" && c.Function == "" && c.Email == "" && c.Phone == "" {
			continue
		}
		c.ID, _ = strconv.ParseInt(r.PostFormValue(defus.ContactField(i, "id")), 10, 64)
		out = append(out, c)
	}
	return out
}

// proposalLogo decodes the logo a proposal brings, with its variants, to
// become a file of the media library. It was decoded when it was
// uploaded, so a failure now is the server's.
func (s *Server) proposalLogo(r *http.Request, p *defus.ProfileProposal) (*defus.Media, error) {
	logo, err := s.store.FindProposalLogo(r.Context(), p.ID)
	if err != nil {
		return nil, err
	}
	logo.AltText = "Logo: " + p.MemberName
	msg, err := s.decodePicture(r.Context(), logo, nil)
	if err == nil && msg != "" {
		err = fmt.Errorf("logo of proposal %d: %s", p.ID, msg)
	}
	return logo, err
}

// serveProposalLogo sends the logo a proposal brings; never cached.
func (s *Server) serveProposalLogo(w http.ResponseWriter, r *http.Request, p *defus.ProfileProposal) {
	logo, err := s.store.FindProposalLogo(r.Context(), p.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	serveBytes(w, r, logo.ContentType, contentDisposition("inline", logo.Name), "", "private, no-store", logo.Data)
}

// GET /intern/vorschlaege/{id}/logo
func (s *Server) handleInternProposalLogo(w http.ResponseWriter, r *http.Request) {
	if p, ok := s.ownProposal(w, r); ok {
		s.serveProposalLogo(w, r, p)
	}
}

// GET /admin/profilvorschlaege/{id}/logo
func (s *Server) handleAdminProposalLogo(w http.ResponseWriter, r *http.Request) {
	p, err := s.proposalOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.serveProposalLogo(w, r, p)
}
