package server

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/pagecache"
	"defus.de/portal/internal/store"
)

// The page cache
//
// Public pages are kept rendered in memory (pagecache), each with its gzip
// and brotli forms made once, for visitors without any cookie: a request
// with a cookie (a logged-in member or staff, a device cookie) or an
// Authorization header neither reads nor fills it, so a page made for one
// person is never shared. Only the routes in Handler's cachedPages are
// kept, only answers 200 without Set-Cookie and without no-store, and a
// query string only when the handler recognised every value in it
// (knownQuery): a flood of made-up queries reaches the handler each time
// and keeps nothing.
//
// Pages are never stale:
//   - every commit that changes data flushes the whole cache on every
//     instance (store.ChangesChannel; on this instance at once through the
//     store's change hook). Changes to enquiries and accounts, which no
//     public page shows, flush nothing. Finer tagging would keep more pages
//     across an edit, but edits are rare and a page is made again in
//     milliseconds;
//   - while an instance cannot hear the notifications (before WatchChanges
//     listens, after the connection was lost) the cache is off and every
//     page comes fresh from the database; once listening again it starts
//     empty;
//   - a page expires at the turnover, the next moment at which pages change
//     with time alone: midnight in Berlin ("heute", "morgen", "in 3
//     Tagen", the month of the calendar) and the next start or end of an
//     event (see store.NextTurnover), by the injected clock.

const (
	pageCacheBytes = 24 << 20 // all forms of all pages together
	pageCachePages = 4096
)

// fillKey is the context key of the fill state of a request that may be kept.
type fillKey struct{}

type fillState struct {
	mu         sync.Mutex
	knownQuery bool
}

// knownQuery tells the page cache that r's query string holds only values
// the handler recognised, so the page may be kept under it. Handlers call
// it after checking every filter value; a request without one gives no
// reason to.
func knownQuery(r *http.Request) {
	if st, ok := r.Context().Value(fillKey{}).(*fillState); ok {
		st.mu.Lock()
		st.knownQuery = true
		st.mu.Unlock()
	}
}

// onlyParams reports whether q holds no parameter but those named, each
// once: a page whose handler knows all its values may be kept (knownQuery).
func onlyParams(q url.Values, names ...string) bool {
	n := 0
	for _, name := range names {
		switch len(q[name]) {
		case 0:
		case 1:
			n++
		default:
			return false
		}
	}
	return n == len(q)
}

// hasCredentials reports whether r may carry a person's identity: any
// cookie (the public site sets none) or an Authorization header.
func hasCredentials(r *http.Request) bool {
	return r.Header.Get("Cookie") != "" || r.Header.Get("Authorization") != ""
}

// sharedKey is the page cache's key for r, and whether r may be answered
// from the cache at all: a GET or HEAD without credentials.
func sharedKey(r *http.Request) (string, bool) {
	if (r.Method != http.MethodGet && r.Method != http.MethodHead) || hasCredentials(r) {
		return "", false
	}
	if r.URL.RawQuery != "" {
		return r.URL.Path + "?" + r.URL.RawQuery, true
	}
	return r.URL.Path, true
}

// keptPages answers a request for a kept page before anything else runs:
// no routing, no middleware, only what every answer carries (an id, the
// security headers, a log line): a map lookup and one write. Everything
// else goes on to next, whose cachePages makes and keeps the page.
func (s *Server) keptPages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if key, ok := sharedKey(r); ok {
			if p := s.pages.Get(key); p != nil {
				start := time.Now()
				id := newRequestID()
				h := w.Header()
				h["X-Request-Id"] = []string{id}
				setSecurityHeaders(h, r)
				status, n := p.ServeWith(w, r, sendCorked)
				s.logRequest(r, id, status, n, start)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// cachePages makes the pages of the routes in cached and keeps them (a kept
// one keptPages answers before the route table), and sends every other
// request through other (compression).
func (s *Server) cachePages(mux *chi.Mux, cached map[string]bool, other func(http.Handler) http.Handler) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		fallback := other(next)
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method != http.MethodGet && r.Method != http.MethodHead {
				fallback.ServeHTTP(w, r)
				return
			}
			keeps := cached[routePattern(mux, r)]
			key, shareable := sharedKey(r)
			if !keeps || !shareable || !s.pages.Live() {
				if keeps { // made for this request alone, kept for others
					w.Header().Set("Vary", pagecache.Vary)
				}
				fallback.ServeHTTP(w, r)
				return
			}
			t := s.pages.Begin()
			v, shared := s.pages.Once(t, key, func() any { return s.fillPage(t, key, next, r) })
			res := v.(*recorder)
			switch {
			case res.page != nil:
				res.page.ServeWith(w, r, sendCorked)
			case shared: // not to be shared: this request is made on its own
				w.Header().Set("Vary", pagecache.Vary)
				fallback.ServeHTTP(w, r)
			default:
				res.replay(w)
			}
		})
	}
}

// fillPage makes the page of r with next and keeps it when it may be kept.
// The result holds the page, or (when it may not be shared) the answer as
// the handler gave it.
func (s *Server) fillPage(t pagecache.Ticket, key string, next http.Handler, r *http.Request) *recorder {
	rec := &recorder{header: http.Header{}}
	// The moment the page turns over is taken before it is made: a turnover
	// while it is made expires it at once rather than too late.
	expires, err := s.pages.Turnover(r.Context(), t, s.turnover)
	st := &fillState{}
	fr := r.WithContext(context.WithValue(r.Context(), fillKey{}, st))
	if fr.Method == http.MethodHead {
		fr.Method = http.MethodGet // the page is kept with its body
	}
	next.ServeHTTP(rec, fr)
	st.mu.Lock()
	known := st.knownQuery
	st.mu.Unlock()
	if err != nil || !rec.shareable() || (r.URL.RawQuery != "" && !known) {
		return rec
	}
	h := rec.header.Clone()
	for _, k := range []string{"Etag", "Content-Length", "Content-Encoding", "Vary"} {
		delete(h, k)
	}
	p := pagecache.NewPage(h, rec.body.Bytes(), expires)
	s.pages.Put(t, key, p)
	rec.page = p
	return rec
}

// turnover is the next moment after now at which public pages change with
// time alone: the next midnight in Berlin, or an event's start or end.
func (s *Server) turnover(ctx context.Context) (time.Time, error) {
	now := s.now()
	b := now.In(defus.Berlin)
	midnight := time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, defus.Berlin)
	at, err := s.store.NextTurnover(ctx, now)
	if err != nil {
		return time.Time{}, err
	}
	if at.IsZero() || midnight.Before(at) {
		return midnight, nil
	}
	return at, nil
}

// recorder keeps what a handler answers, to keep it or pass it on.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
	page   *pagecache.Page // set when the answer was kept
}

func (rec *recorder) Header() http.Header { return rec.header }

func (rec *recorder) WriteHeader(status int) {
	if rec.status == 0 {
		rec.status = status
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	return rec.body.Write(b)
}

// shareable reports whether the answer may be kept for everybody.
func (rec *recorder) shareable() bool {
	cc := strings.ToLower(rec.header.Get("Cache-Control"))
	return (rec.status == http.StatusOK || rec.status == 0) && rec.body.Len() > 0 &&
		rec.header.Get("Set-Cookie") == "" && rec.header.Get("Content-Encoding") == "" &&
		!strings.Contains(cc, "no-store") && !strings.Contains(cc, "private")
}

// replay writes the answer as the handler gave it.
func (rec *recorder) replay(w http.ResponseWriter) {
	h := w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	h.Set("Vary", pagecache.Vary)
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	w.WriteHeader(rec.status)
	w.Write(rec.body.Bytes())
}

// publicEntity reports whether a change of entity may alter a public page:
// everything but enquiries and accounts (a login writes its audit entry
// too), so that an entity added later flushes the cache until said otherwise.
func publicEntity(entity string) bool {
	switch entity {
	case defus.EntityEnquiry, defus.EntityUser:
		return false
	}
	return true
}

// WatchChanges keeps the page cache on while this instance hears every
// change (see store.ListenChanges), until ctx ends; connect opens the
// listening connection, one more than the pool's. Without it the cache
// stays off and pages come fresh from the database.
func (s *Server) WatchChanges(ctx context.Context, connect func(context.Context) (*pgx.Conn, error)) {
	s.store.SetChangeHook(s.changed)
	store.ListenChanges(ctx, connect, store.ChangeListener{
		Connected: func() {
			s.pages.SetLive(true)
			s.log.Info("page cache on: listening for changes")
		},
		Lost: func(err error) {
			if s.pages.Live() {
				s.pages.SetLive(false)
				if ctx.Err() == nil {
					s.log.Warn("page cache off until the change notifications are back: pages come from the database", "err", err)
				}
			}
			s.releaseSyncs()
		},
		Changed: s.changed,
	})
}

// changed flushes the page cache when a change may alter a page, and
// releases a Sync waiting for its token.
func (s *Server) changed(payload string) {
	if token, ok := strings.CutPrefix(payload, syncPrefix); ok {
		s.syncMu.Lock()
		if c := s.syncs[token]; c != nil {
			close(c)
			delete(s.syncs, token)
		}
		s.syncMu.Unlock()
		return
	}
	if publicEntity(payload) {
		s.pages.Flush()
	}
}

const syncPrefix = "sync "

// SyncChanges returns once this instance has heard every change committed
// before it was called (PostgreSQL delivers notifications in the order of
// the commits, so hearing a token sent now means hearing those before it),
// or at once when it is not listening. Tests use it to see another
// instance's change on the very next request.
func (s *Server) SyncChanges(ctx context.Context) error {
	if !s.pages.Live() {
		return nil
	}
	b := make([]byte, 8)
	rand.Read(b)
	token := hex.EncodeToString(b)
	c := make(chan struct{})
	s.syncMu.Lock()
	if s.syncs == nil {
		s.syncs = map[string]chan struct{}{}
	}
	s.syncs[token] = c
	s.syncMu.Unlock()
	if err := s.store.Notify(ctx, syncPrefix+token); err != nil {
		return err
	}
	select {
	case <-c:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// releaseSyncs lets every waiting SyncChanges return: the cache is off.
func (s *Server) releaseSyncs() {
	s.syncMu.Lock()
	for token, c := range s.syncs {
		close(c)
		delete(s.syncs, token)
	}
	s.syncMu.Unlock()
}

// PageCache is the server's page cache, for tests and benchmarks.
func (s *Server) PageCache() *pagecache.Cache { return s.pages }
