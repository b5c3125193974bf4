package server

import (
	"net/http"
	"net/url"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

// The members' area (/intern) is for member representatives. Its route
// group loads the session like /admin (withSessions) and lets only member
// accounts through (requireMember).

// withSessions are the middlewares of every area with logins: the session
// from PostgreSQL, the account read anew on every request, and no caching.
func (s *Server) withSessions(next http.Handler) http.Handler {
	return s.sessions.LoadAndSave(s.loadUser(noStore(next)))
}

// requireLogin lets through any logged-in account. Anyone else is sent to
// the login page, and after logging in back to the page they asked for (GET
// requests only; a form sent without a session cannot be replayed).
func (s *Server) requireLogin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r.Context()) == nil {
			s.toLogin(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// toLogin sends the request to the login page with the way back.
func (s *Server) toLogin(w http.ResponseWriter, r *http.Request) {
	target := "/admin/login"
	if r.Method == http.MethodGet && r.URL.RequestURI() != "/admin" {
		target += "?next=" + url.QueryEscape(r.URL.RequestURI())
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// requireMember lets through member accounts (role member). Anyone not
// logged in goes to the login page and back; staff get the 403 page, since
// the members' area shows what one member's representatives see.
func (s *Server) requireMember(next http.Handler) http.Handler {
	return s.requireLogin(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if currentUser(r.Context()).Role != defus.RoleMember {
			s.adminErrorPage(w, r, http.StatusForbidden, view.ErrorData{Title: "Kein Zugriff",
				Text: "Der Mitgliederbereich ist für die Konten der Mitglieder gedacht. Ihr Konto arbeitet in der Verwaltung."})
			return
		}
		next.ServeHTTP(w, r)
	}))
}

// GET /intern
//
// A placeholder until the members' area has its start page: it greets the
// member and links to the account's own settings.
func (s *Server) handleInternPlaceholder(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, view.InternWelcome(s.adminMeta(r, "Mitgliederbereich")))
}
