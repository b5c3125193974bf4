// Package reminders asks member representatives once a year to confirm or
// update their organisation's profile, and deletes old profile proposals. A Job runs inside every `defus
// serve`, like the retention job; several instances running it at once
// send each reminder once (the store claims each member).
package reminders

import (
	"context"
	"log/slog"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/retention"
	"defus.de/portal/internal/store"
)

// DefaultInterval is how often a Job looks for due reminders.
const DefaultInterval = 6 * time.Hour

// Job queues the yearly profile reminders at the store's clock, once at
// start and then every Interval.
type Job struct {
	Store    *store.Store
	Log      *slog.Logger
	Mail     defus.ProfileMailSettings
	Interval time.Duration // 0: DefaultInterval
}

// Run sends due reminders until ctx ends; see retention.Loop.
func (j *Job) Run(ctx context.Context) {
	interval := j.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	retention.Loop(ctx, interval, j.Log, "profile reminders", func(ctx context.Context) error {
		_, err := j.Once(ctx)
		return err
	})
}

// Once queues the reminders due now, by the store's clock, and returns how
// many members were reminded. It also deletes the proposals decided more
// than two years ago (store.ProposalRetention), as the privacy page says.
func (j *Job) Once(ctx context.Context) (int, error) {
	now := j.Store.Now()
	n, err := j.Store.SendProfileReminders(ctx, now, j.Mail)
	if n > 0 {
		j.Log.Info("profile reminders queued", "members", n)
	}
	if err != nil {
		return n, err
	}
	if _, err := j.Store.DeleteOldProposals(ctx, now); err != nil {
		return n, err
	}
	return n, nil
}
