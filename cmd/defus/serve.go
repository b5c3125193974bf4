package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/gcfloor"
	"defus.de/portal/internal/mailer"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/reminders"
	"defus.de/portal/internal/retention"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// serve runs `defus serve` until ctx ends (SIGTERM or SIGINT), then shuts
// down in order: the listener closes at once, so new connections are
// refused; running requests get up to SHUTDOWN_TIMEOUT to finish; the mail
// worker finishes the mail in hand and stops, and so does the retention job;
// the caller closes the pool last, once nothing uses it any more.
func serve(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool, log *slog.Logger) error {
	if err := postgres.CheckMigrated(ctx, pool); err != nil {
		return err
	}
	sessions := server.NewSessions(pgxstore.New(pool), cfg.CookieSecure)

	st := store.New(pool, time.Now) // the process's one clock
	srv, err := server.New(cfg, st, sessions, log)
	if err != nil {
		return err
	}
	if cfg.FormSecretIsDefault {
		log.Warn("FORM_SECRET is not set: using the development value; set it in production (see .env.example)")
	}
	// Listening before anything starts reports a taken port at once, and the
	// log names the real address (ADDR may say port 0).
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}

	worker := &mailer.Worker{Store: st, Log: log, Now: st.Now}
	if cfg.SMTPURL != nil {
		worker.Sender = mailer.NewSMTP(cfg.SMTPURL)
	}
	// The worker's context ends with ctx; it then finishes the mail in hand
	// (never abandoning an SMTP conversation) and returns.
	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workerCtx) }()
	defer func() { stopWorker(); <-workerDone }() // also when Serve fails

	// The collector's heap goal stays at 16 MB or more (see gcfloor), unless
	// the operator set GOGC.
	if os.Getenv("GOGC") == "" {
		gcCtx, stopGC := context.WithCancel(ctx)
		gcDone := make(chan struct{})
		go func() { defer close(gcDone); gcfloor.Run(gcCtx, 16<<20, 100*time.Millisecond) }()
		defer func() { stopGC(); <-gcDone }()
	}

	// Expired enquiries and login counts go once at start, then every hour.
	job := &retention.Job{Store: st, Log: log, ClosedRetention: time.Duration(cfg.EnquiryRetentionDays) * 24 * time.Hour,
		RegistrationMonths: cfg.RegistrationRetentionMonths, CertificateMonths: cfg.CertificateRetentionMonths}
	jobCtx, stopJob := context.WithCancel(ctx)
	jobDone := make(chan struct{})
	go func() { defer close(jobDone); job.Run(jobCtx) }()
	defer func() { stopJob(); <-jobDone }()

	// Once a year the representatives are asked to confirm their profile.
	remind := &reminders.Job{Store: st, Log: log,
		Mail: defus.ProfileMailSettings{Office: cfg.OfficeEmail, BaseURL: cfg.BaseURLString()}}
	remindCtx, stopRemind := context.WithCancel(ctx)
	remindDone := make(chan struct{})
	go func() { defer close(remindDone); remind.Run(remindCtx) }()
	defer func() { stopRemind(); <-remindDone }()

	// The page cache is on while this instance hears every change, on a
	// connection of its own: one more than DB_MAX_CONNS.
	watchCtx, stopWatch := context.WithCancel(ctx)
	watchDone := make(chan struct{})
	go func() { defer close(watchDone); srv.WatchChanges(watchCtx, store.Connector(pool)) }()
	defer func() { stopWatch(); <-watchDone }()

	hs := srv.HTTPServer()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURLString())
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}

	log.Info("shutting down: no new connections; waiting for running requests", "timeout", cfg.ShutdownTimeout)
	stopWorker()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	var cutOff error
	if err := hs.Shutdown(shutdownCtx); err != nil {
		hs.Close() // the timeout passed: drop what is left
		cutOff = fmt.Errorf("shutdown: requests still running after SHUTDOWN_TIMEOUT=%s were cut off", cfg.ShutdownTimeout)
		log.Warn("requests still running after the shutdown timeout were cut off", "timeout", cfg.ShutdownTimeout)
	} else {
		log.Info("all requests finished")
	}
	select {
	case <-workerDone:
	default:
		log.Info("waiting for the mail worker to finish the mail in hand")
		<-workerDone
	}
	log.Info("mail worker stopped")
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return cutOff
}
