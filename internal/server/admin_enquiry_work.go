package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// The office's daily work on an enquiry: sending a failed mail again,
// answering the sender, and the follow-up day (Wiedervorlage).

// replyBodyLimit lets through an answer of defus.MaxReplyBody characters
// even when every one is a four-byte character percent-encoded (12 bytes),
// so a too-long answer gets its German 422 message; anything larger is
// refused with 413 before it is read.
const replyBodyLimit = 12*(defus.MaxReplyBody+defus.MaxReplySubject) + 4<<10

// readReplyForm reads the answer form and checks it.
func readReplyForm(r *http.Request) (view.ReplyForm, defus.Reply, defus.FieldErrors) {
	f := view.ReplyForm{Subject: formText(r, "subject"), Body: formText(r, "body")}
	reply := defus.Reply{Subject: f.Subject, Body: f.Body}
	return f, reply, reply.Validate()
}

// readFollowUpForm reads the follow-up form and checks it against the day
// it is today (the store's clock) and the day stored on e.
func (s *Server) readFollowUpForm(r *http.Request, e *defus.Enquiry) (view.FollowUpForm, defus.FollowUp, defus.FieldErrors) {
	f := view.FollowUpForm{On: formText(r, "follow_up_on"), Note: formText(r, "follow_up_note")}
	f.Version, _ = strconv.Atoi(r.PostFormValue("version"))
	fu := defus.FollowUp{Note: f.Note}
	on, ok := defus.ParseDate(f.On)
	if ok {
		fu.On = on
	}
	errs := fu.Validate(s.now(), e.FollowUpOn)
	if f.On != "" && !ok {
		errs["follow_up_on"] = "Bitte geben Sie den Tag als TT.MM.JJJJ an, zum Beispiel 01.12.2026."
	}
	return f, fu, errs
}

// followUpFormOf is the follow-up form of e as stored.
func followUpFormOf(e *defus.Enquiry) view.FollowUpForm {
	f := view.FollowUpForm{Note: e.FollowUpNote, Version: e.Version}
	if e.FollowUpOn != nil {
		f.On = e.FollowUpOn.Format("2006-01-02") // what a date field takes
	}
	return f
}

// POST /admin/anfragen/{id}/antwort
func (s *Server) handleEnquiryReplyCreate(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, reply, errs := readReplyForm(r)
	if !errs.Any() {
		m := defus.ReplyMail(reply, actor(r), s.cfg.OfficeEmail)
		if err = s.store.CreateReply(r.Context(), actor(r), e.ID, &m); err == nil {
			s.flash(r, "Ihre Antwort an "+m.To+" ist in der Warteschlange und geht in Kürze hinaus.")
			http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#mail-%d", e.ID, m.ID), http.StatusSeeOther)
			return
		}
		if errs = defus.FieldErrorsOf(err); !errs.Any() {
			s.error(w, r, err)
			return
		}
	}
	s.renderEnquiryPage(w, r, http.StatusUnprocessableEntity, e, func(d *view.EnquiryData) {
		d.Reply, d.ReplyErrors = f, errs
	})
}

// POST /admin/anfragen/{id}/e-mails/{mid}/erneut-senden
func (s *Server) handleEnquiryMailResend(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	mailID, err := pathParamID(r, "mid")
	if err != nil {
		s.error(w, r, err)
		return
	}
	switch err := s.store.ResendMail(r.Context(), actor(r), e.ID, mailID); {
	case errors.Is(err, defus.ErrConflict):
		s.flash(r, "Diese E-Mail ist schon wieder in der Warteschlange oder inzwischen gesendet.")
	case err != nil:
		s.error(w, r, err)
		return
	default:
		s.flash(r, "Die E-Mail ist wieder in der Warteschlange und geht in Kürze erneut hinaus.")
	}
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#mail-%d", e.ID, mailID), http.StatusSeeOther)
}

// POST /admin/anfragen/{id}/wiedervorlage
func (s *Server) handleEnquiryFollowUpUpdate(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, fu, errs := s.readFollowUpForm(r, e)
	if errs.Any() {
		s.renderEnquiryPage(w, r, http.StatusUnprocessableEntity, e, func(d *view.EnquiryData) {
			d.FollowUp, d.FollowUpErrors = f, errs
		})
		return
	}
	err = s.store.SetEnquiryFollowUp(r.Context(), actor(r), e.ID, f.Version, &fu)
	if errors.Is(err, defus.ErrConflict) {
		s.followUpConflict(w, r, e, f)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Wiedervorlage am "+fu.On.Format("02.01.2006")+" ist gespeichert.")
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#follow-up-title", e.ID), http.StatusSeeOther)
}

// POST /admin/anfragen/{id}/wiedervorlage/erledigt
func (s *Server) handleEnquiryFollowUpClear(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err = s.store.SetEnquiryFollowUp(r.Context(), actor(r), e.ID, version, nil)
	if errors.Is(err, defus.ErrConflict) {
		s.followUpConflict(w, r, e, followUpFormOf(e))
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.flash(r, "Die Wiedervorlage ist erledigt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#follow-up-title", e.ID), http.StatusSeeOther)
}

// followUpConflict answers a follow-up change against a stale version (409):
// the page as stored now, saying so, with what was typed kept and the
// current version, so sending it again saves it.
func (s *Server) followUpConflict(w http.ResponseWriter, r *http.Request, e *defus.Enquiry, typed view.FollowUpForm) {
	current, err := s.store.FindEnquiry(r.Context(), e.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderEnquiryPage(w, r, http.StatusConflict, current, func(d *view.EnquiryData) {
		typed.Version = current.Version
		d.FollowUp, d.Conflict = typed, true
	})
}
