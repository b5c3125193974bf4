package server

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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
	if name, err := url.PathUnescape(chi.URLParam(r, "name")); err != nil || name != m.Name {
		http.Redirect(w, r, m.URL(), http.StatusMovedPermanently)
		return
	}
	h := w.Header()
	h.Set("Content-Type", m.ContentType)
	disposition := "inline"
	if !m.IsImage() {
		disposition = "attachment"
	}
	h.Set("Content-Disposition", contentDisposition(disposition, m.Name))
	h.Set("Cache-Control", "public, max-age=31536000, immutable")
	h.Set("ETag", `"`+m.SHA256+`"`)
	// The file is data, never a document that could run script.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(m.Data))
}

// contentDisposition builds the header for a file name that may hold any
// character: a plain quoted name when it is printable ASCII without quotes
// or backslashes, otherwise a fallback with such characters replaced and the
// real name in RFC 6266's filename* (UTF-8, percent-encoded per RFC 8187).
func contentDisposition(kind, name string) string {
	fallback := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	v := kind + `; filename="` + fallback + `"`
	if fallback == name {
		return v
	}
	var enc strings.Builder
	for _, b := range []byte(strings.ToValidUTF8(name, "_")) {
		if 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || strings.IndexByte("!#$&+-.^_`|~", b) >= 0 {
			enc.WriteByte(b)
		} else {
			fmt.Fprintf(&enc, "%%%02X", b)
		}
	}
	return v + "; filename*=UTF-8''" + enc.String()
}
