package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"

	"defus.de/portal/internal/defus"
	"defus.de/portal/web/view"
)

type ctxKey int

const requestIDKey ctxKey = iota

// requestID gives every request an id, in the context, the logs and the
// X-Request-Id header, so a visitor's error report can be found in the log.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := newRequestID()
		w.Header()["X-Request-Id"] = []string{id}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// newRequestID is the instance's random prefix and a count: unique without
// asking the system for randomness on every request.
func newRequestID() string {
	var b [16]byte
	hex.Encode(b[:8], requestIDPrefix[:])
	n := requestCount.Add(1)
	hex.Encode(b[8:], []byte{byte(n >> 24), byte(n >> 16), byte(n >> 8), byte(n)})
	return string(b[:])
}

var (
	requestIDPrefix = func() (p [4]byte) { rand.Read(p[:]); return p }()
	requestCount    atomic.Uint32
)

func requestIDFrom(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// logRequests writes one structured line per request. It logs no IP address
// and no query string: the privacy policy promises that.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		ww := middleware.NewWrapResponseWriter(w, r.ProtoMajor)
		next.ServeHTTP(ww, r)
		s.logRequest(r, requestIDFrom(r.Context()), ww.Status(), ww.BytesWritten(), start)
	})
}

// logRequest writes the line of a request that began at start.
func (s *Server) logRequest(r *http.Request, id string, status, bytes int, start time.Time) {
	if status == 0 {
		status = http.StatusOK
	}
	level := slog.LevelInfo
	if status == http.StatusServiceUnavailable {
		level = slog.LevelWarn // a stall or overload, not a fault
	} else if status >= 500 {
		level = slog.LevelError
	}
	s.log.LogAttrs(r.Context(), level, "request",
		slog.String("id", id),
		slog.String("method", r.Method),
		slog.String("path", r.URL.Path),
		slog.Int("status", status),
		slog.Int("bytes", bytes),
		slog.Duration("duration", time.Since(start)),
	)
}

// recoverPanics turns a panic into the 500 page and a log line with the stack.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.serverError(w, r, fmt.Errorf("panic: %v\n%s", v, debug.Stack()))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// contentSecurityPolicy allows only the site itself: no inline script, no
// third-party fonts, scripts, frames or images.
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'"

// securityHeaderValues are the headers securityHeaders sets, their values
// made once (every request gets them; the slices are only read).
var securityHeaderValues = map[string][]string{
	"Content-Security-Policy":    {contentSecurityPolicy},
	"X-Content-Type-Options":     {"nosniff"},
	"Referrer-Policy":            {"strict-origin-when-cross-origin"},
	"X-Frame-Options":            {"DENY"},
	"Permissions-Policy":         {"camera=(), microphone=(), geolocation=(), interest-cohort=()"},
	"Cross-Origin-Opener-Policy": {"same-origin"},
}

var hstsValue = []string{"max-age=31536000"}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		setSecurityHeaders(w.Header(), r)
		next.ServeHTTP(w, r)
	})
}

func setSecurityHeaders(h http.Header, r *http.Request) {
	for k, v := range securityHeaderValues {
		h[k] = v
	}
	if r.TLS != nil {
		h["Strict-Transport-Security"] = hstsValue
	}
}

// getsOnly applies mw to GET and HEAD requests only. It keeps compression
// (chi's Compress) away from POSTs: Compress takes an encoder of about 1 MB
// from its pool when a request starts, not when the answer is written, and
// a login waits for its password check, so 200 waiting logins would hold
// 200 MB. The answers to POSTs are small form pages, shown once.
func getsOnly(mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		wrapped := mw(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				wrapped.ServeHTTP(w, r)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// bodyWithin limits r's body to max bytes: a declared Content-Length over
// the limit is answered with 413 before anything is read (and it reports
// false), and reading past the limit fails for bodies that lie about their
// length or send none.
func bodyWithin(w http.ResponseWriter, r *http.Request, max int64) bool {
	if r.ContentLength > max {
		w.Header().Set("Connection", "close")
		http.Error(w, "Die gesendeten Daten sind zu groß.", http.StatusRequestEntityTooLarge)
		return false
	}
	r.Body = http.MaxBytesReader(w, r.Body, max)
	return true
}

// handlerLimit marks a route in the body limits whose handler reads the
// body as a stream and enforces its own limit: no outer limit is set (an
// outer limit could not be raised inside), and rejectBadBytes leaves the
// body to the handler.
const handlerLimit = -1

// routeBodyLimit is the body limit of the route r will reach: its entry in
// limits, keyed "METHOD pattern", or def. It runs before routing, so it asks
// mux which route that is.
func routeBodyLimit(mux *chi.Mux, r *http.Request, def int64, limits map[string]int64) int64 {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return def
	}
	if max, ok := limits[r.Method+" "+routePattern(mux, r)]; ok {
		return max
	}
	return def
}

// routePattern is the pattern of the route r will reach, asked of mux
// before routing.
func routePattern(mux *chi.Mux, r *http.Request) string {
	path := r.URL.RawPath
	if path == "" {
		path = r.URL.Path
	}
	return mux.Find(chi.NewRouteContext(), r.Method, path)
}

// limitBodies limits every request body to def bytes, or to its route's
// entry in limits (see routeBodyLimit); handlerLimit routes get none here.
// A route's own limit belongs in limits, not in a middleware on the route:
// rejectBadBytes reads forms before routing, so a limit set after it would
// come too late.
func limitBodies(mux *chi.Mux, def int64, limits map[string]int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			max := routeBodyLimit(mux, r, def, limits)
			if max == handlerLimit || bodyWithin(w, r, max) {
				next.ServeHTTP(w, r)
			}
		})
	}
}

// rejectBadBytes answers requests that carry bytes or characters no person
// types and no page of the portal links to, before any handler sees them.
// PostgreSQL refuses invalid UTF-8 and NUL in text, so without this they
// would reach a query and come back as a 500.
//
//   - The path (decoded) must be text of a single line (defus.ValidText):
//     otherwise the 404 page, as no page has such an address.
//   - Query parameters, names and values, likewise: otherwise 400 with the
//     German error page. Filters and the search box are single lines.
//   - Form fields (URL-encoded and the text parts of multipart forms) must
//     not carry invalid UTF-8 or NUL in names or values, nor an uploaded
//     file's name a control character: otherwise 400. A browser sends
//     neither for what a person typed or chose. Other control and invisible
//     characters, which pasted text can bring along, are for the forms to
//     refuse field by field with a German message (defus.CheckText), so
//     what was typed is kept.
//
// It parses forms itself, within the body limits that run before it; the
// handlers then find them parsed. Routes with handlerLimit in limits read
// their body as a stream and check it themselves (the upload, see
// readMediaUpload).
func (s *Server) rejectBadBytes(mux *chi.Mux, limits map[string]int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if !defus.ValidText(r.URL.Path, false) {
				s.handleNotFound(w, r)
				return
			}
			if r.URL.RawQuery != "" && !validQuery(r.URL.Query()) {
				s.badRequest(w, r, "Die Adresse enthält Zeichen, die hier nicht vorkommen können: eine ungültige Kodierung, "+
					"Steuerzeichen oder unsichtbare Zeichen. Bitte prüfen Sie den Link oder Ihre Suchbegriffe.")
				return
			}
			if ft := formType(r); ft != "" && routeBodyLimit(mux, r, 0, limits) != handlerLimit && !s.formReadable(w, r, ft) {
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// validQuery reports whether every name and value of q is a single line of
// valid text.
func validQuery(q url.Values) bool {
	return allValid(q, func(v string) bool { return defus.ValidText(v, false) })
}

// allValid reports whether ok holds for every name and value of vs.
func allValid(vs url.Values, ok func(string) bool) bool {
	for k, values := range vs {
		if !ok(k) {
			return false
		}
		for _, v := range values {
			if !ok(v) {
				return false
			}
		}
	}
	return true
}

// formType is the media type of the form r carries in its body:
// "application/x-www-form-urlencoded", "multipart/form-data", or "" for none.
func formType(r *http.Request) string {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return ""
	}
	ct, _, _ := strings.Cut(r.Header.Get("Content-Type"), ";")
	switch ct = strings.ToLower(strings.TrimSpace(ct)); ct {
	case "application/x-www-form-urlencoded", "multipart/form-data":
		return ct
	}
	return ""
}

// maxFormMemory is how much of a multipart form is held in memory: more
// than any body limit that applies before it, so nothing goes to disk.
const maxFormMemory = 32 << 20

// formReadable parses r's form and checks it (see rejectBadBytes). When it
// cannot be read or carries bad bytes, it answers and reports false.
func (s *Server) formReadable(w http.ResponseWriter, r *http.Request, formType string) bool {
	var err error
	if formType == "multipart/form-data" {
		err = r.ParseMultipartForm(maxFormMemory)
	} else {
		err = r.ParseForm()
	}
	if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
		w.Header().Set("Connection", "close")
		text := "Die gesendeten Angaben sind zu umfangreich und wurden nicht angenommen. Bitte kürzen Sie Ihre Eingaben und senden Sie das Formular noch einmal."
		if formType == "multipart/form-data" { // a form with a file: most likely the file
			text = "Die gewählte Datei ist viel zu groß und wurde nicht angenommen: Bilder dürfen höchstens " +
				defus.FormatBytes(defus.MaxImageBytes) + " groß sein. Bitte gehen Sie zurück, verkleinern Sie das Bild und wählen Sie es noch einmal aus."
		}
		s.errorPage(w, r, http.StatusRequestEntityTooLarge, view.ErrorData{Title: "Zu viele Angaben", Text: text})
		return false
	}
	if err != nil {
		s.badRequest(w, r, "Das Formular konnte nicht gelesen werden. Bitte laden Sie die Seite neu und senden Sie das Formular noch einmal.")
		return false
	}
	ok := allValid(r.PostForm, validFormValue)
	if r.MultipartForm != nil {
		for k, files := range r.MultipartForm.File {
			ok = ok && validFormValue(k)
			for _, f := range files {
				ok = ok && validFileName(f.Filename)
			}
		}
	}
	if !ok {
		s.badRequest(w, r, formBytesMessage)
	}
	return ok
}

// errFormBytes is what a handler reading a form as a stream reports for
// what rejectBadBytes refuses in other forms; formBytesMessage is the
// German text of the 400 page for both.
var errFormBytes = errors.New("form field with invalid UTF-8 or NUL, or a file name with a control character")

const formBytesMessage = "Das Formular enthält Zeichen, die nicht verarbeitet werden können (eine ungültige Kodierung, " +
	"Nullzeichen oder Steuerzeichen im Dateinamen). Bitte laden Sie die Seite neu und geben Sie Ihre Angaben noch einmal ein."

// validFormValue reports whether v is valid UTF-8 without NUL: what
// PostgreSQL takes as text, and all a browser sends for typed text.
func validFormValue(v string) bool {
	return utf8.ValidString(v) && strings.IndexByte(v, 0) < 0
}

// validFileName reports whether an uploaded file's name is valid UTF-8
// without control characters, as every file chooser gives it.
func validFileName(name string) bool {
	if !utf8.ValidString(name) {
		return false
	}
	for _, r := range name {
		if r < 0x20 || (r >= 0x7f && r < 0xa0) {
			return false
		}
	}
	return true
}

// deadline gives every request a context deadline of timeout (REQUEST_TIMEOUT):
// when the database stalls, the store gives up at the deadline and s.error
// answers 503, instead of the visitor waiting as long as the stall lasts.
func deadline(timeout time.Duration) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), timeout)
			defer cancel()
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
}

// except applies mw to every request except those whose route, as "METHOD
// pattern", is in skip (POST routes only). It runs before routing, so it asks
// mux which route the request will reach.
func except(mux *chi.Mux, skip map[string]bool, mw func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		wrapped := mw(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead && skip[r.Method+" "+routePattern(mux, r)] {
				next.ServeHTTP(w, r)
				return
			}
			wrapped.ServeHTTP(w, r)
		})
	}
}
