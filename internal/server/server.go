// Package server is the portal's HTTP layer: the route table, middleware,
// handlers and the one place that turns errors into pages.
package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"sync"
	"time"

	"github.com/alexedwards/scs/v2"
	"golang.org/x/sync/singleflight"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/geomap"
	"defus.de/portal/internal/imaging"
	"defus.de/portal/internal/pagecache"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/store"
	"defus.de/portal/web"
)

// Server holds every dependency of the handlers.
type Server struct {
	cfg      *config.Config
	store    *store.Store
	sessions *scs.SessionManager
	log      *slog.Logger
	now      func() time.Time
	assets   *web.Assets
	germany  *geomap.Map
	spread   geomap.SpreadCache // the member map's dots, placed once per set of members

	schemaVersion int64 // the newest embedded migration: /readyz wants the database there

	formMinAge    time.Duration // enquiry form sent faster than this: spam
	enquiryPosts  int           // POSTs of the enquiry form per client and enquiryWindow
	enquiryWindow time.Duration

	images         *imaging.Processor // decodes pictures within a memory budget
	variants       singleflight.Group // one decode per picture that lacks variants
	loginSecret    []byte             // keys the login counts and signs device cookies; see logins.go
	passwordChecks *checkSlots        // bounds the argon2id checks running at once

	pages  *pagecache.Cache // rendered public pages; see pagecache.go
	syncMu sync.Mutex
	syncs  map[string]chan struct{} // SyncChanges waiting for their tokens
}

// New builds a Server. Its clock is the store's (st.Now): one clock for the
// whole process, which tests fix.
func New(cfg *config.Config, st *store.Store, sessions *scs.SessionManager, log *slog.Logger) (*Server, error) {
	assets, err := web.NewAssets()
	if err != nil {
		return nil, err
	}
	germany, err := geomap.Germany()
	if err != nil {
		return nil, fmt.Errorf("member map: %w", err)
	}
	s := &Server{cfg: cfg, store: st, sessions: sessions, log: log, now: st.Now, assets: assets, germany: germany,
		images:      imaging.NewProcessor(imaging.DefaultBudget),
		loginSecret: deriveKey(cfg.FormSecret, "login-protection"),
		pages:       pagecache.New(pageCacheBytes, pageCachePages, st.Now)}
	s.SetEnquiryLimits(defaultFormMinAge, enquiryPostsPerWindow, enquiryWindow)
	// One core fewer than there are, at least one: however many logins
	// arrive, a core is left for the pages (see logins.go).
	s.SetPasswordChecks(max(1, runtime.NumCPU()-1), passwordCheckWait)
	if s.schemaVersion, err = postgres.LatestMigration(); err != nil {
		return nil, err
	}
	st.SetRegistrationMailer(s.RegistrationMailer()) // its mails carry this server's signed links
	if sessions != nil {
		sessions.ErrorFunc = s.error // a stalled session table answers like any stalled page
	}
	return s, nil
}

// HTTPServer wraps the handler with the timeouts a public server needs.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.cfg.Addr,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      max(60*time.Second, s.cfg.RequestTimeout+10*time.Second), // the 503 still gets out
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
		ConnContext:       connContext, // kept pages are sent corked (cork.go)
	}
}
