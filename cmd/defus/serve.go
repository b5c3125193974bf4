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
	"defus.de/portal/internal/server"
	"defus.de/portal/internal/store"
)

// serve runs `defus serve` until ctx ends, then shuts down gracefully.
func serve(ctx context.Context, cfg *config.Config, pool *pgxpool.Pool, log *slog.Logger) error {
	sessions := server.NewSessions(pgxstore.New(pool), cfg.CookieSecure)

	srv, err := server.New(cfg, store.New(pool), sessions, log, time.Now)
	if err != nil {
		return err
	}
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
