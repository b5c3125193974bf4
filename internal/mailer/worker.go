package mailer

import (
	"context"
	"log/slog"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// Sender hands one message to a mail server. *SMTP is the real one.
type Sender interface {
	Send(ctx context.Context, from string, to []string, msg []byte) error
}

// Worker delivers queued mail and deletes expired enquiries and login counts. Run one inside
// every `defus serve`; several instances share the work safely.
type Worker struct {
	Store  *store.Store
	Sender Sender // nil: mail stays queued (no SMTP_URL)
	Log    *slog.Logger
	Now    func() time.Time

	Interval          time.Duration // how often to look for due mail
	RetentionInterval time.Duration // how often to delete expired enquiries
	ClosedRetention   time.Duration // ENQUIRY_RETENTION_DAYS

	lastRetention time.Time
}

// Run works until ctx ends. A mail being sent when ctx ends is finished
// first, so shutting down never leaves a mail half-recorded.
func (w *Worker) Run(ctx context.Context) {
	if w.Sender == nil {
		w.Log.Warn("SMTP_URL is not set: outgoing mail stays queued in the database until it is")
	}
	interval := w.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		w.Tick(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Tick does one round of work: deliver what is due, and delete expired
// enquiries when RetentionInterval has passed since the last time.
func (w *Worker) Tick(ctx context.Context) {
	if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
		w.Log.Error("mail delivery", "err", err)
	}
	every := w.RetentionInterval
	if every <= 0 {
		every = time.Hour
	}
	if now := w.Now(); now.Sub(w.lastRetention) >= every && ctx.Err() == nil {
		n, err := w.DeleteExpired(ctx)
		if err != nil {
			w.Log.Error("enquiry retention", "err", err)
			return
		}
		w.lastRetention = now
		if n > 0 {
			w.Log.Info("deleted expired enquiries", "count", n)
		}
		// Login counts are kept only as long as their window (see server/logins.go).
		if _, err := w.Store.DeleteExpiredLoginAttempts(ctx, now); err != nil {
			w.Log.Error("login attempt retention", "err", err)
		}
	}
}

// DeliverDue sends every mail that is due now and reports how many were
// sent. Failures are recorded on the mail for a later attempt; only database
// errors are returned. Without a Sender it does nothing.
func (w *Worker) DeliverDue(ctx context.Context) (sent int, err error) {
	if w.Sender == nil {
		return 0, nil
	}
	for ctx.Err() == nil {
		// The mail in hand is finished even when ctx ends meanwhile.
		one, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
		m, err := w.Store.DeliverNextMail(one, w.Now(), w.send)
		cancel()
		if err != nil {
			return sent, err
		}
		if m == nil {
			return sent, nil
		}
		switch m.Status {
		case defus.MailSent:
			sent++
			w.Log.Info("mail sent", "mail", m.ID, "attempts", m.Attempts)
		case defus.MailFailed:
			w.Log.Error("mail given up", "mail", m.ID, "attempts", m.Attempts, "err", m.LastError)
		default:
			w.Log.Warn("mail not sent, will retry", "mail", m.ID, "attempts", m.Attempts, "next", m.NextAttemptAt, "err", m.LastError)
		}
	}
	return sent, ctx.Err()
}

func (w *Worker) send(ctx context.Context, m defus.Mail) error {
	return w.Sender.Send(ctx, m.From, []string{m.To}, Message(m))
}

// DeleteExpired deletes closed enquiries past their retention period.
func (w *Worker) DeleteExpired(ctx context.Context) (int64, error) {
	return w.Store.DeleteExpiredEnquiries(ctx, w.Now(), w.ClosedRetention)
}
