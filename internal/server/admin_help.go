package server

import (
	"net/http"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
	"defus.de/portal/web/view"
)

// GET /admin/hilfe
func (s *Server) handleAdminHelp(w http.ResponseWriter, r *http.Request) {
	d := view.HelpData{
		RetentionDays:      s.cfg.EnquiryRetentionDays,
		SpamRetentionDays:  int(defus.SpamRetention.Hours() / 24),
		MaxMegapixels:      imaging.MaxPixels / 1_000_000,
		LoginAttempts:      loginPerClient,
		LoginWindowMinutes: int(loginPerClientWindow.Minutes()),
	}
	s.render(w, r, http.StatusOK, view.AdminHelp(s.adminMeta(r, "Hilfe"), d))
}
