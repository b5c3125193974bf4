package server

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/a-h/templ"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/web/view"
)

// meta fills what every page's layout needs.
func (s *Server) meta(r *http.Request, title, description string) view.Meta {
	return view.Meta{
		Title:       title,
		Description: description,
		Path:        r.URL.Path,
		Canonical:   s.cfg.BaseURLString() + r.URL.Path,
		CSS:         s.assets.URL("css/site.css"),
		JS:          s.assets.URL("js/site.js"),
		Favicon:     s.assets.URL("img/favicon.svg"),
	}
}

// render writes a component with status. It renders into a buffer first, so a
// failure half-way gives a clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) {
	var buf bytes.Buffer
	if err := c.Render(r.Context(), &buf); err != nil {
		s.error(w, r, fmt.Errorf("render: %w", err)) // past the request's deadline: 503
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// error is the one place that decides what an error becomes for the visitor:
//
//   - not found: the 404 page;
//   - field errors (defus.FieldErrors) that no form shows at its fields: 422
//     with their messages (a form shows them itself, see saveError);
//   - a stale version (defus.ErrConflict): 409 (a form shows what is stored
//     now instead, see saveError);
//   - the visitor gone: nothing;
//   - the database unavailable: 503 with Retry-After;
//   - anything else: logged with the request id, the 500 page.
func (s *Server) error(w http.ResponseWriter, r *http.Request, err error) {
	switch fe := defus.FieldErrorsOf(err); {
	case errors.Is(err, defus.ErrNotFound):
		s.handleNotFound(w, r)
	case fe.Any():
		var msgs []string
		for _, e := range fe.In() {
			msgs = append(msgs, e.Message)
		}
		s.errorPage(w, r, http.StatusUnprocessableEntity, view.ErrorData{Title: "Aktion nicht möglich", Text: strings.Join(msgs, " ")})
	case errors.Is(err, defus.ErrConflict):
		s.errorPage(w, r, http.StatusConflict, view.ErrorData{
			Title: "Inzwischen geändert",
			Text:  "Jemand anderes hat diesen Eintrag gespeichert, während Sie ihn bearbeitet haben. Bitte laden Sie ihn neu und versuchen Sie es noch einmal.",
		})
	case errors.Is(err, context.Canceled) && r.Context().Err() != nil:
		// The visitor went away; nobody is left to answer.
		s.log.DebugContext(r.Context(), "request canceled", "id", requestIDFrom(r.Context()), "path", r.URL.Path)
	case postgres.Unavailable(err):
		s.unavailable(w, r, err)
	default:
		s.serverError(w, r, err)
	}
}

// saveError answers a write that the store refused, for a handler that
// shows a form: field errors (an address in use, the last admin) show the
// form again with them beside their fields (422), a stale version shows it
// with what is stored now (409). show renders the form with that status and
// those errors (nil for a conflict). Anything else goes to s.error.
//
// So every write handler reads: load → read and check the form (422) →
// store → saveError → flash and 303.
func (s *Server) saveError(w http.ResponseWriter, r *http.Request, err error, show func(status int, errs defus.FieldErrors)) {
	switch fe := defus.FieldErrorsOf(err); {
	case fe.Any():
		show(http.StatusUnprocessableEntity, fe)
	case errors.Is(err, defus.ErrConflict):
		show(http.StatusConflict, nil)
	default:
		s.error(w, r, err)
	}
}

// serverError logs err with the request id and shows the 500 page, which
// names the id but never the error itself.
func (s *Server) serverError(w http.ResponseWriter, r *http.Request, err error) {
	id := requestIDFrom(r.Context())
	s.log.ErrorContext(r.Context(), "server error", "id", id, "method", r.Method, "path", r.URL.Path, "err", err)
	s.errorPage(w, r, http.StatusInternalServerError, view.ErrorData{
		Title:     "Es ist ein Fehler aufgetreten",
		Text:      "Die Seite konnte wegen eines Fehlers auf unserer Seite nicht angezeigt werden. Bitte versuchen Sie es in einigen Minuten noch einmal.",
		RequestID: id,
	})
}

// retryAfter is what the 503 page asks a client to wait, in seconds.
const retryAfter = "30"

// unavailable answers 503 with Retry-After when the database did not answer
// in time or at all (a stalled lock, a timeout, a restart): nothing is wrong
// with the request, and the same page will likely work shortly. It logs a
// warning with the request id, not an error.
func (s *Server) unavailable(w http.ResponseWriter, r *http.Request, err error) {
	id := requestIDFrom(r.Context())
	s.log.WarnContext(r.Context(), "database unavailable", "id", id, "method", r.Method, "path", r.URL.Path, "err", err)
	w.Header().Set("Retry-After", retryAfter)
	s.errorPage(w, r, http.StatusServiceUnavailable, view.ErrorData{
		Title:     "Vorübergehend nicht erreichbar",
		Text:      "Die Seite ist gerade vorübergehend nicht erreichbar, weil unsere Datenbank nicht rechtzeitig geantwortet hat. Bitte versuchen Sie es in einer Minute noch einmal.",
		RequestID: id,
	})
}

func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, status int, d view.ErrorData) {
	d.Status = status
	m := s.meta(r, d.Title, "")
	m.NoIndex = true
	m.Canonical = ""
	var buf bytes.Buffer
	if err := view.Error(m, d).Render(context.WithoutCancel(r.Context()), &buf); err != nil {
		// The error page itself failed: fall back to plain text.
		http.Error(w, d.Title, status)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// handleNotFound serves the 404 page for unknown paths and records.
func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusNotFound, view.ErrorData{
		Title: "Seite nicht gefunden",
		Text:  "Die aufgerufene Seite gibt es nicht oder nicht mehr. Vielleicht hilft einer dieser Links weiter.",
	})
}

// handleMethodNotAllowed answers a method the route does not take.
func (s *Server) handleMethodNotAllowed(w http.ResponseWriter, r *http.Request) {
	s.errorPage(w, r, http.StatusMethodNotAllowed, view.ErrorData{
		Title: "Aktion nicht möglich",
		Text:  "Diese Adresse kann auf diesem Weg nicht aufgerufen werden.",
	})
}

// badRequest shows a German 400 page with a message.
func (s *Server) badRequest(w http.ResponseWriter, r *http.Request, text string) {
	s.errorPage(w, r, http.StatusBadRequest, view.ErrorData{Title: "Ungültige Anfrage", Text: text})
}
