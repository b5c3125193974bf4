package server

import (
	"bytes"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"
)

// handleMediaShow serves GET /medien/{id}/{name}: an uploaded file with the
// content type found at upload, a safe file name and a long cache lifetime.
// A stored file never changes (a new upload is a new record), so the URL is
// immutable.
func (s *Server) handleMediaShow(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		s.handleNotFound(w, r)
		return
	}
	m, err := s.store.FindMedia(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if chi.URLParam(r, "name") != m.Name {
		http.Redirect(w, r, m.URL(), http.StatusMovedPermanently)
		return
	}
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	disposition := "inline"
	if !m.IsImage() {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", disposition+`; filename="`+m.Name+`"`)
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+m.SHA256+`"`)
	// The file is data, never a document that could run script.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(m.Data))
}
