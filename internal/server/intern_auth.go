package server

import (
	"net/http"
	"net/url"
)

// The areas with logins besides /admin — the members' area (/intern, see
// requireIntern in intern.go) and the own account (/konto) — load the
// session like /admin (withSessions).

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
