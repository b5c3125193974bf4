package mailer

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/store"
)

// Sender hands one message to a mail server. *SMTP is the real one.
type Sender interface {
	Send(ctx context.Context, from string, to []string, msg []byte) error
}

// Worker delivers queued mail. Run one inside every `defus serve`; several
// instances share the work safely. (Deleting expired enquiries is the
// retention job's, package retention.)
type Worker struct {
	Store  *store.Store
	Sender Sender // nil: mail stays queued (no SMTP_URL)
	Log    *slog.Logger
	Now    func() time.Time

	// Concurrency is how many mails go out at once (default 4): a server
	// that hangs on one mail holds one of them, not the queue.
	Concurrency int
	// Lease is how long a claimed mail is reserved for its attempt (default
	// 10 min); a crashed worker's mail is due again after it.
	Lease time.Duration

	Interval time.Duration // how often to look for due mail
}

// Run works until ctx ends. The mails being sent when ctx ends are finished
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

// Tick does one round of work: deliver what is due.
func (w *Worker) Tick(ctx context.Context) {
	if _, err := w.DeliverDue(ctx); err != nil && ctx.Err() == nil {
		w.Log.Error("mail delivery", "err", err)
	}
}

// DeliverDue sends every mail that is due now, up to Concurrency at once, and
// reports how many were sent. Failures are recorded on the mail for a later
// attempt; only database errors are returned. Without a Sender it does
// nothing.
func (w *Worker) DeliverDue(ctx context.Context) (sent int, err error) {
	if w.Sender == nil {
		return 0, nil
	}
	n := w.Concurrency
	if n <= 0 {
		n = 4
	}
	var count atomic.Int64
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			for ctx.Err() == nil {
				ok, err := w.deliverOne(ctx, &count)
				if err != nil || !ok {
					errs[i] = err
					return
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return int(count.Load()), err
	}
	return int(count.Load()), ctx.Err()
}

// deliverOne claims one due mail, sends it and records the outcome; it
// reports false when nothing was due. No transaction is open while the SMTP
// server is talked to (see store.ClaimMail). The mail in hand is finished
// even when ctx ends meanwhile, so shutting down never leaves it half-recorded.
func (w *Worker) deliverOne(ctx context.Context, sent *atomic.Int64) (bool, error) {
	lease := w.Lease
	if lease <= 0 {
		lease = 10 * time.Minute
	}
	ctx = context.WithoutCancel(ctx)
	m, err := w.Store.ClaimMail(ctx, w.Now(), lease)
	if err != nil || m == nil {
		return false, err
	}
	// The send ends well within the lease, so no other worker takes the mail
	// while this one may still deliver it.
	sendCtx, cancel := context.WithTimeout(ctx, lease/2)
	sendErr := w.Sender.Send(sendCtx, m.From, []string{m.To}, Message(*m))
	cancel()
	if err := w.Store.RecordMailOutcome(ctx, m, w.Now(), sendErr); errors.Is(err, defus.ErrConflict) {
		w.Log.Warn("mail attempt outlived its lease; a later attempt counts", "mail", m.ID, "attempts", m.Attempts, "err", sendErr)
		return true, nil
	} else if err != nil {
		return false, err
	}
	switch m.Status {
	case defus.MailSent:
		sent.Add(1)
		w.Log.Info("mail sent", "mail", m.ID, "attempts", m.Attempts)
	case defus.MailFailed:
		w.Log.Error("mail given up", "mail", m.ID, "attempts", m.Attempts, "err", m.LastError)
	default:
		w.Log.Warn("mail not sent, will retry", "mail", m.ID, "attempts", m.Attempts, "next", m.NextAttemptAt, "err", m.LastError)
	}
	return true, nil
}
