// Package retention deletes what the portal keeps only for a while: closed
// enquiries ENQUIRY_RETENTION_DAYS after closing and spam 30 days after it
// (with their topics, notes and mails), login counts once their window
// has passed, unconfirmed registrations after 24 hours, registrations of
// past events after their retention, audit entries after theirs
// (logins 90 days, changes 5 years; see defus.AuditLoginRetention), and
// mails that belong to no enquiry 90 days after they went. It
// also does what registrations need by the clock: passing lapsed waitlist
// offers on and sending reminders two days before an event. A Job runs
// inside every `defus serve`; several instances
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
	// REGISTRATION_RETENTION_MONTHS and CERTIFICATE_RETENTION_MONTHS: how
	// long registrations of past events are kept, and those who attended
	// (for certificates); 0 keeps them.
	RegistrationMonths, CertificateMonths int
}

// Result says what one pass deleted.
type Result struct {
	Enquiries     int64
	LoginAttempts int64
	Registrations store.ExpiredRegistrations // unconfirmed guests deleted, lapsed offers passed on
	// PastRegistrations were of events longer ago than the retention.
	PastRegistrations int64
	Reminders         int // reminders queued two days before events
	AuditEntries      int64
	Mails             int64 // mails of no enquiry, sent or given up on longer ago than defus.MailRetention
	Sessions          int64 // account session rows of ended sessions, and expired links
}

// Run deletes until ctx ends. A failed pass is logged and tried again at the
// next interval.
func (j *Job) Run(ctx context.Context) {
	Loop(ctx, j.Interval, j.Log, "retention", func(ctx context.Context) error {
		_, err := j.Once(ctx)
		return err
	})
}

// Loop runs once at start and then every interval (0: DefaultInterval)
// until ctx ends; a failed pass is logged under name and tried again at
// the next interval. Other periodic jobs (the profile reminders) use it too.
func Loop(ctx context.Context, interval time.Duration, log *slog.Logger, name string, once func(context.Context) error) {
	if interval <= 0 {
		interval = DefaultInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if err := once(ctx); err != nil && ctx.Err() == nil {
			log.Error(name, "err", err)
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
	if res.Registrations, err = j.Store.ExpireRegistrations(ctx); err != nil {
		return res, err
	}
	if res.Reminders, err = j.Store.SendReminders(ctx); err != nil {
		return res, err
	}
	if j.RegistrationMonths > 0 && j.CertificateMonths > 0 {
		res.PastRegistrations, err = j.Store.DeleteExpiredRegistrations(ctx,
			now.AddDate(0, -j.RegistrationMonths, 0), now.AddDate(0, -j.CertificateMonths, 0))
		if err != nil {
			return res, err
		}
	}
	if res.AuditEntries, err = j.Store.DeleteExpiredAuditEntries(ctx, now); err != nil {
		return res, err
	}
	if res.AuditEntries > 0 {
		j.Log.Info("deleted expired audit entries", "count", res.AuditEntries)
	}
	if res.Sessions, err = j.Store.DeleteStaleSessions(ctx, now); err != nil {
		return res, err
	}
	if res.Mails, err = j.Store.DeleteExpiredMails(ctx, now); err != nil {
		return res, err
	}
	return res, nil
}
