package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/jackc/pgx/v5/pgxpool"

	"defus.de/portal/internal/config"
	"defus.de/portal/internal/mailer"
	"defus.de/portal/internal/postgres"
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// serve runs `defus serve` until ctx ends, then shuts down gracefully.
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
	worker := &mailer.Worker{Store: st, Log: log, Now: st.Now,
		ClosedRetention: time.Duration(cfg.EnquiryRetentionDays) * 24 * time.Hour}
	if cfg.SMTPURL != nil {
		worker.Sender = mailer.NewSMTP(cfg.SMTPURL)
	}
	workerCtx, stopWorker := context.WithCancel(ctx)
	workerDone := make(chan struct{})
	go func() { defer close(workerDone); worker.Run(workerCtx) }()
	defer func() { stopWorker(); <-workerDone }() // finishes the mail in hand

	hs := srv.HTTPServer()
	errc := make(chan error, 1)
	go func() {
		log.Info("listening", "addr", cfg.Addr, "base_url", cfg.BaseURLString())
		errc <- hs.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}
