package server

import (
	"bytes"
	"context"
	"net/http"

	"defus.de/portal/web/view"
)

// adminMeta fills what every admin page's layout needs, including the flash
// message left by the previous request.
func (s *Server) adminMeta(r *http.Request, title string) view.AdminMeta {
	m := s.meta(r, title, "")
	m.NoIndex = true
	m.Canonical = ""
	return view.AdminMeta{
		Meta:  m,
		User:  currentUser(r.Context()),
		Flash: s.sessions.PopString(r.Context(), sessionFlash),
	}
}

// flash leaves a message for the next page the user sees.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), sessionFlash, msg)
}

// adminErrorPage shows an error page (403, 413, 422) inside the admin layout.
func (s *Server) adminErrorPage(w http.ResponseWriter, r *http.Request, status int, d view.ErrorData) {
	d.Status = status
	var buf bytes.Buffer
	if err := view.AdminError(s.adminMeta(r, d.Title), d).Render(context.WithoutCancel(r.Context()), &buf); err != nil {
		http.Error(w, d.Title, status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// GET /admin
func (s *Server) handleAdminDashboard(w http.ResponseWriter, r *http.Request) {
	d, err := s.dashboardData(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, view.AdminDashboard(s.adminMeta(r, "Übersicht"), d))
}
