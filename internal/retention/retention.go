// Package retention deletes what the portal keeps only for a while: closed
// enquiries ENQUIRY_RETENTION_DAYS after closing and spam 30 days after it
// (with their topics, notes and mails), and login counts once their window
// has passed. A Job runs inside every `defus serve`; several instances
// running it at once do no harm.
package retention

import (
	"context"
	"log/slog"
	"time"

	"defus.de/portal/internal/store"
)

// DefaultInterval is how often a Job deletes when Interval is not set.
const DefaultInterval = time.Hour

// Job deletes expired data at the store's clock, once at start and then
// every Interval.
type Job struct {
	Store           *store.Store
	Log             *slog.Logger
	ClosedRetention time.Duration // ENQUIRY_RETENTION_DAYS: how long a closed enquiry is kept
	Interval        time.Duration // 0: DefaultInterval
}

// Result says what one pass deleted.
type Result struct {
	Enquiries     int64
	LoginAttempts int64
	Sessions      int64 // account session rows of ended sessions, and expired links
}

// Run deletes until ctx ends. A failed pass is logged and tried again at the
// next interval.
func (j *Job) Run(ctx context.Context) {
	interval := j.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := j.Once(ctx); err != nil && ctx.Err() == nil {
			j.Log.Error("retention", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Once deletes what has expired now, by the store's clock: expired
// enquiries first, then expired login counts (see server/logins.go).
func (j *Job) Once(ctx context.Context) (Result, error) {
	var res Result
	now := j.Store.Now()
	n, err := j.Store.DeleteExpiredEnquiries(ctx, now, j.ClosedRetention)
	if err != nil {
		return res, err
	}
	res.Enquiries = n
	if n > 0 {
		j.Log.Info("deleted expired enquiries", "count", n)
	}
	if res.LoginAttempts, err = j.Store.DeleteExpiredLoginAttempts(ctx, now); err != nil {
		return res, err
	}
	if res.Sessions, err = j.Store.DeleteStaleSessions(ctx, now); err != nil {
		return res, err
	}
	return res, nil
}
