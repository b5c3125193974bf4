package server

import (
	"bytes"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/ical"
	"defus.de/portal/web/view"
)

// A member's own registrations and personal calendar feed.

// requireMember sends a visitor without a member account to the login and
// back; it reports whether to go on.
func (s *Server) requireMember(w http.ResponseWriter, r *http.Request) (*defus.User, bool) {
	u := memberUser(r)
	if u == nil {
		s.toLogin(w, r)
		return nil, false
	}
	return u, true
}

func (s *Server) renderMyRegistrations(w http.ResponseWriter, r *http.Request, u *defus.User, feedURL string) {
	regs, events, err := s.store.FindUserRegistrations(r.Context(), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	m := s.meta(r, "Meine Anmeldungen", "")
	m.NoIndex, m.Canonical = true, ""
	w.Header().Set("Cache-Control", "no-store")
	s.render(w, r, http.StatusOK, view.MyRegistrations(m, view.MyRegistrationsData{Regs: regs, Events: events, FeedURL: feedURL}))
}

// GET /termine/meine lists the member's registrations.
func (s *Server) handleMyRegistrations(w http.ResponseWriter, r *http.Request) {
	if u, ok := s.requireMember(w, r); ok {
		s.renderMyRegistrations(w, r, u, "")
	}
}

// POST /termine/meine/kalender makes a new secret address for the
// member's calendar feed, shown once; the old one stops working.
func (s *Server) handleMyCalendarRenew(w http.ResponseWriter, r *http.Request) {
	u, ok := s.requireMember(w, r)
	if !ok {
		return
	}
	token, err := s.store.RenewCalendarToken(r.Context(), actor(r), u.ID)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.renderMyRegistrations(w, r, u, s.cfg.BaseURLString()+"/termine/meine/"+token+".ics")
}

// GET /termine/meine/{token}.ics is the member's personal calendar: the
// events they hold a place at, with the online link.
func (s *Server) handleMyCalendarFeed(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutSuffix(chi.URLParam(r, "token"), ".ics")
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	events, err := s.store.FindCalendarEvents(r.Context(), token)
	if errors.Is(err, defus.ErrNotFound) {
		s.handleNotFound(w, r)
		return
	}
	if err != nil {
		s.error(w, r, err)
		return
	}
	site, _, err := s.calendarSite(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	for i := range events {
		// A participant's own calendar carries the link they may see.
		events[i].OnlineURLPublic = events[i].CanSeeOnlineURL(true, true)
	}
	var buf bytes.Buffer
	if err := ical.WriteFeed(&buf, site, ical.Feed{Name: "Meine DEFUS-Termine"}, events); err != nil {
		s.error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Write(buf.Bytes())
}
