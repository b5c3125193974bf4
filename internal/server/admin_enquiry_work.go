package server

import (
	"errors"
	"fmt"
	"net/http"

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
func readReplyForm(r *http.Request) (view.ReplyForm, defus.FieldErrors) {
	f := view.ReplyForm{Reply: defus.Reply{Subject: formText(r, "subject"), Body: formText(r, "body")}}
	return f, f.Validate()
}

// readFollowUpForm reads the follow-up form and checks it against the day
// it is today (the store's clock) and the day stored on e.
func (s *Server) readFollowUpForm(r *http.Request, e *defus.Enquiry) (view.FollowUpForm, defus.FollowUp, defus.FieldErrors) {
	f := view.FollowUpForm{On: formText(r, "follow_up_on"), Note: formText(r, "follow_up_note"), Version: formVersion(r)}
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

// renderFollowUp shows e's page with the follow-up form as typed and its
// errors; after a conflict (409) the page as stored now, the form still as
// typed, with what is stored now beside it and its version.
func (s *Server) renderFollowUp(w http.ResponseWriter, r *http.Request, status int, e *defus.Enquiry, f view.FollowUpForm, errs defus.FieldErrors) {
	var current *view.FollowUpForm
	if status == http.StatusConflict {
		now, err := s.store.FindEnquiry(r.Context(), e.ID)
		if err != nil {
			s.error(w, r, err)
			return
		}
		e, current = now, formOf(now, followUpFormOf)
	}
	s.renderEnquiryPage(w, r, status, e, func(d *view.EnquiryData) {
		d.FollowUp = view.Form[view.FollowUpForm]{Values: f, Errors: errs, Current: current}
	})
}

// POST /admin/anfragen/{id}/antwort
func (s *Server) handleEnquiryReplyCreate(w http.ResponseWriter, r *http.Request) {
	e, err := s.enquiryOfRequest(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	f, errs := readReplyForm(r)
	show := func(status int, errs defus.FieldErrors) {
		s.renderEnquiryPage(w, r, status, e, func(d *view.EnquiryData) {
			d.Reply = view.Form[view.ReplyForm]{Values: f, Errors: errs}
		})
	}
	if errs.Any() {
		show(http.StatusUnprocessableEntity, errs)
		return
	}
	m := defus.ReplyMail(f.Reply, actor(r), s.cfg.OfficeEmail)
	if err := s.store.CreateReply(r.Context(), actor(r), e.ID, &m); err != nil {
		s.saveError(w, r, err, show) // an enquiry marked as spam meanwhile: 422
		return
	}
	s.flash(r, "Ihre Antwort an "+m.To+" ist in der Warteschlange und geht in Kürze hinaus.")
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#mail-%d", e.ID, m.ID), http.StatusSeeOther)
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
		s.renderFollowUp(w, r, http.StatusUnprocessableEntity, e, f, errs)
		return
	}
	if err := s.store.SetEnquiryFollowUp(r.Context(), actor(r), e.ID, f.Version, &fu); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) { s.renderFollowUp(w, r, status, e, f, errs) })
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
	if err := s.store.SetEnquiryFollowUp(r.Context(), actor(r), e.ID, formVersion(r), nil); err != nil {
		s.saveError(w, r, err, func(status int, errs defus.FieldErrors) {
			s.renderFollowUp(w, r, status, e, followUpFormOf(e), errs)
		})
		return
	}
	s.flash(r, "Die Wiedervorlage ist erledigt.")
	http.Redirect(w, r, fmt.Sprintf("/admin/anfragen/%d#follow-up-title", e.ID), http.StatusSeeOther)
}
