package server

import (
	"context"
	"errors"
	"net/http"

	"defus.de/portal/internal/defus"
)

// movedMaxAge is how long browsers may keep a 301 for an old address. A
// moved record keeps its old address for as long as it exists, but a new
// record may take that address later: then browsers should ask again.
const movedMaxAge = "public, max-age=86400"

// errorOrMoved answers a request for a record of kind by slug that failed
// with err. When nothing has that slug but a published record of kind had
// it before, the answer is a 301 to the record's address now, path(slug),
// with the query kept; otherwise s.error decides as always.
func (s *Server) errorOrMoved(w http.ResponseWriter, r *http.Request, err error, kind, slug string, path func(string) string) {
	if errors.Is(err, defus.ErrNotFound) {
		now, rerr := s.movedSlug(r.Context(), kind, slug)
		if rerr == nil {
			to := path(now)
			if r.URL.RawQuery != "" {
				to += "?" + r.URL.RawQuery
			}
			movedPermanently(w, r, to)
			return
		}
		if !errors.Is(rerr, defus.ErrNotFound) {
			err = rerr
		}
	}
	s.error(w, r, err)
}

// movedSlug is the slug now of the published record of kind that had slug
// before, or defus.ErrNotFound. Only well-formed slugs reach the store.
func (s *Server) movedSlug(ctx context.Context, kind, slug string) (string, error) {
	if !defus.ValidSlug(slug) {
		return "", defus.ErrNotFound
	}
	return s.store.FindSlugRedirect(ctx, kind, slug)
}

// movedPermanently answers 301 with to as the new address.
func movedPermanently(w http.ResponseWriter, r *http.Request, to string) {
	w.Header().Set("Cache-Control", movedMaxAge)
	http.Redirect(w, r, to, http.StatusMovedPermanently)
}
