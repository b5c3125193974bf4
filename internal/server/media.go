package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/imaging"
)

// handleMediaShow serves GET /medien/{id}/{name}: an uploaded file as it
// was uploaded, with the content type found at upload, a safe file name and
// a long cache lifetime. A stored file never changes (a new upload is a new
// record), so the URL is immutable.
func (s *Server) handleMediaShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	m, err := s.store.FindMedia(r.Context(), id)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !s.mediaNameRight(w, r, m, m.URL()) {
		return
	}
	disposition := "inline"
	if !m.IsImage() {
		disposition = "attachment"
	}
	serveFile(w, r, m.ContentType, contentDisposition(disposition, m.Name), m.SHA256, m.Data)
}

// mediaNameRight reports whether the {name} of the request is the file's
// name. A former name (the file was renamed) is redirected to now, the
// file's address now; any other is not found, so the addresses of uploads
// cannot be counted through by id. It answers when it reports false.
func (s *Server) mediaNameRight(w http.ResponseWriter, r *http.Request, m *defus.Media, now string) bool {
	name, err := url.PathUnescape(chi.URLParam(r, "name"))
	if err == nil && name == m.Name {
		return true
	}
	had := false
	if err == nil {
		if had, err = s.store.MediaHadName(r.Context(), m.ID, name); err != nil {
			s.error(w, r, err)
			return false
		}
	}
	if had {
		http.Redirect(w, r, now, http.StatusMovedPermanently)
	} else {
		s.handleNotFound(w, r)
	}
	return false
}

// serveFile writes stored bytes that never change under their address:
// cached for a year, revalidated by their hash, and never run as a document.
func serveFile(w http.ResponseWriter, r *http.Request, contentType, disposition, sha string, data []byte) {
	serveBytes(w, r, contentType, disposition, sha, "public, max-age=31536000, immutable", data)
}

// serveBytes is serveFile with the Cache-Control header cache.
func serveBytes(w http.ResponseWriter, r *http.Request, contentType, disposition, sha, cache string, data []byte) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", disposition)
	h.Set("Cache-Control", cache)
	h.Set("ETag", `"`+sha+`"`)
	// The file is data, never a document that could run script.
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
}

// handleMediaVariantShow serves GET /medien/{id}/{box}/{name}: a picture
// scaled down to fit one of the boxes the pages use (defus.ImageBoxes).
// Pictures uploaded before variants existed get theirs on the first
// request of any of them.
func (s *Server) handleMediaVariantShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	box, known := defus.ParseBox(chi.URLParam(r, "box"))
	if !known {
		s.handleNotFound(w, r)
		return
	}
	m, v, err := s.store.FindMediaVariant(r.Context(), id, box)
	if err != nil {
		s.error(w, r, err)
		return
	}
	if !m.IsImage() || m.Undecodable {
		s.handleNotFound(w, r)
		return
	}
	if !s.mediaNameRight(w, r, m, m.VariantURL(box)) {
		return
	}
	if v == nil {
		if v, err = s.makeVariants(r.Context(), m.ID, box); err != nil {
			s.error(w, r, err)
			return
		}
	}
	ext := ".png"
	if v.ContentType == "image/jpeg" {
		ext = ".jpg"
	}
	name := strings.TrimSuffix(m.Name, path.Ext(m.Name)) + ext
	serveFile(w, r, v.ContentType, contentDisposition("inline", name), v.SHA256, v.Data)
}

// makeVariants makes and stores all variants of a picture stored before
// uploads were decoded, and returns the one for box b. Requests for the
// same picture at once share one decode; a picture that does not decode is
// marked, so it is not decoded again, and its variants are not found.
func (s *Server) makeVariants(ctx context.Context, id int64, b defus.Box) (*defus.MediaVariant, error) {
	res, err, _ := s.variants.Do(strconv.FormatInt(id, 10), func() (any, error) {
		// Shared by every waiting request: not ended by the first one leaving.
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), variantTimeout)
		defer cancel()
		m, err := s.store.FindMedia(ctx, id)
		if err != nil {
			return nil, err
		}
		res, err := s.images.Process(ctx, m.Data, m.ContentType, defus.ImageBoxes)
		if imageProblem(err) != "" {
			s.log.WarnContext(ctx, "stored picture does not decode", "media", id, "err", err)
			if err := s.store.MarkMediaUndecodable(ctx, id); err != nil {
				return nil, err
			}
			return nil, fmt.Errorf("variants of media %d: %w", id, defus.ErrNotFound)
		}
		if err != nil {
			return nil, fmt.Errorf("variants of media %d: %w", id, err)
		}
		if err := s.store.SaveMediaVariants(ctx, id, res.Width, res.Height, res.Variants); err != nil {
			return nil, err
		}
		return res, nil
	})
	if err != nil {
		return nil, err
	}
	for _, v := range res.(*imaging.Result).Variants {
		if v.Box == b {
			return &v, nil
		}
	}
	return nil, fmt.Errorf("variant %s of media %d: %w", b, id, defus.ErrNotFound)
}

// variantTimeout bounds waiting for and making the variants of one picture.
const variantTimeout = 30 * time.Second

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
