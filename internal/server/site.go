package server

import (
	"context"
	"net/http"
	"sync"

	"github.com/go-chi/chi/v5"

	"defus.de/portal/internal/defus"
)

// The layout of every page shows the association's record: its name and
// office in the footer, its logo in the header and as the site's icon. The
// record is read when a page is rendered, at most once per request (the
// handler shares it when it needs the record too), and never kept longer:
// a primary-key lookup of a one-row table costs about as much as a cache
// lookup would, and an edit shows at once on every instance behind the
// load balancer with nothing to invalidate.

// associationMemo holds the association's record once a request read it.
type associationMemo struct {
	once sync.Once
	a    *defus.Association
	err  error
}

type associationKey struct{}

// memoAssociation gives each request a place to keep the association's
// record once read (see Server.association).
func memoAssociation(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), associationKey{}, &associationMemo{})))
	})
}

// association returns the association's record, read at most once per
// request (without memoAssociation, on every call).
func (s *Server) association(r *http.Request) (*defus.Association, error) {
	m, ok := r.Context().Value(associationKey{}).(*associationMemo)
	if !ok {
		return s.store.FindAssociation(r.Context())
	}
	m.once.Do(func() { m.a, m.err = s.store.FindAssociation(r.Context()) })
	return m.a, m.err
}

// site is the association's record for the layout, or nil when it cannot
// be read: the page is still worth showing, with the letter "D", the SVG
// icon and the footer's legal links, and the failure is logged. A request
// that did not pass memoAssociation (a middleware tried on its own) shows
// none either.
func (s *Server) site(r *http.Request) *defus.Association {
	if _, ok := r.Context().Value(associationKey{}).(*associationMemo); !ok {
		return nil
	}
	a, err := s.association(r)
	if err != nil {
		s.log.WarnContext(r.Context(), "layout without the association's record", "id", requestIDFrom(r.Context()), "path", r.URL.Path, "err", err)
		return nil
	}
	return a
}

// handleIconShow serves GET /favicon/{id}/{file}: an icon made from the
// association's logo (defus.IconFile names the sizes). The picture {id}
// never changes, so neither does its icon: cached for a year.
func (s *Server) handleIconShow(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.error(w, r, err)
		return
	}
	size, ok := defus.IconSize(chi.URLParam(r, "file"))
	if !ok {
		s.handleNotFound(w, r)
		return
	}
	ic, err := s.store.FindMediaIcon(r.Context(), id, size)
	if err != nil {
		s.error(w, r, err)
		return
	}
	serveFile(w, r, "image/png", contentDisposition("inline", defus.IconFile(size)), ic.SHA256, ic.Data)
}
