package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"defus.de/portal/internal/defus"
)

// ClaimMail leases the queued mail that is due longest at now until
// now+lease and counts the attempt, in one short transaction: no transaction
// and no row lock is held while the mail goes out. Until the lease ends no
// other worker, on this instance or another, takes the mail; when it ends
// without an outcome (the worker crashed, perhaps after the SMTP server's
// "250"), the mail is due again and goes out once more with the same
// Message-ID: delivery is at least once. It returns nil when nothing is due.
func (s *Store) ClaimMail(ctx context.Context, now time.Time, lease time.Duration) (*defus.Mail, error) {
	const q = `
UPDATE mails SET lease_until = $2, attempts = attempts + 1
WHERE id = (
    SELECT id FROM mails
    WHERE status = 'queued' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
    ORDER BY next_attempt_at, id
    LIMIT 1
    FOR UPDATE SKIP LOCKED)
RETURNING id, enquiry_id, from_name, from_addr, to_addr, reply_to, subject, body, message_id,
          status, attempts, next_attempt_at, last_error, sent_at, created_at`
	var m defus.Mail
	var status string
	err := s.pool.QueryRow(ctx, q, now, now.Add(lease)).Scan(&m.ID, &m.EnquiryID, &m.FromName, &m.From, &m.To, &m.ReplyTo,
		&m.Subject, &m.Body, &m.MessageID, &status, &m.Attempts, &m.NextAttemptAt, &m.LastError, &m.SentAt, &m.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	m.Status = defus.MailStatus(status)
	return &m, nil
}

// RecordMailOutcome records how the attempt on m that ClaimMail counted
// ended at now, and updates m: sent when sendErr is nil, else the error with
// the next attempt (defus.NextMailAttempt), or failed after the last one.
//
// A mail the SMTP server accepted is recorded as sent even when its lease ran
// out meanwhile: it did go. A failure is recorded only while the attempt is
// still the mail's latest; when another worker has claimed the mail since,
// its outcome counts and this one returns defus.ErrConflict.
func (s *Store) RecordMailOutcome(ctx context.Context, m *defus.Mail, now time.Time, sendErr error) error {
	const qSent = `
UPDATE mails SET status = 'sent', sent_at = $2, last_error = '', lease_until = NULL
WHERE id = $1 AND status = 'queued'`
	const qRetry = `
UPDATE mails SET next_attempt_at = $3, last_error = $4, lease_until = NULL
WHERE id = $1 AND attempts = $2 AND status = 'queued'`
	const qFailed = `
UPDATE mails SET status = 'failed', last_error = $3, lease_until = NULL
WHERE id = $1 AND attempts = $2 AND status = 'queued'`
	if sendErr == nil {
		m.Status, m.SentAt, m.LastError = defus.MailSent, &now, ""
		if _, err := s.pool.Exec(ctx, qSent, m.ID, now); err != nil {
			return fmt.Errorf("record mail %d as sent: %w", m.ID, err)
		}
		return nil
	}
	m.LastError = truncate(sendErr.Error(), 1000)
	var tag pgconn.CommandTag
	var err error
	if next, ok := defus.NextMailAttempt(now, m.Attempts); ok {
		m.NextAttemptAt = next
		tag, err = s.pool.Exec(ctx, qRetry, m.ID, m.Attempts, next, m.LastError)
	} else {
		m.Status = defus.MailFailed
		tag, err = s.pool.Exec(ctx, qFailed, m.ID, m.Attempts, m.LastError)
	}
	if err != nil {
		return fmt.Errorf("record failed attempt on mail %d: %w", m.ID, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("record failed attempt %d on mail %d: a later attempt took over: %w", m.Attempts, m.ID, defus.ErrConflict)
	}
	return nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
