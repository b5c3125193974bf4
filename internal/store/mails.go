package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// DeliverNextMail takes the queued mail that is due longest at now, hands it
// to send and records the outcome: sent, or the error with the next attempt
// (defus.NextMailAttempt), or failed after the last one. It returns the mail
// as recorded, or nil when nothing is due.
//
// The row stays locked (FOR UPDATE SKIP LOCKED) while send runs, so several
// workers and instances never take the same mail, and a crash during send
// rolls the claim back instead of leaving it claimed forever. The one window
// left for a second delivery is a crash between the SMTP server's "250 OK"
// and the commit; the mail then goes again with the same Message-ID, which
// lets the receiving side recognise it.
func (s *Store) DeliverNextMail(ctx context.Context, now time.Time, send func(context.Context, defus.Mail) error) (*defus.Mail, error) {
	const qNext = `
SELECT id, enquiry_id, from_name, from_addr, to_addr, reply_to, subject, body, message_id,
       status, attempts, next_attempt_at, last_error, sent_at, created_at
FROM mails
WHERE status = 'queued' AND next_attempt_at <= $1
ORDER BY next_attempt_at, id
LIMIT 1
FOR UPDATE SKIP LOCKED`
	const qSent = `UPDATE mails SET status = 'sent', attempts = $2, sent_at = $3, last_error = '' WHERE id = $1`
	const qRetry = `UPDATE mails SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1`
	const qFailed = `UPDATE mails SET status = 'failed', attempts = $2, last_error = $3 WHERE id = $1`
	var out *defus.Mail
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var m defus.Mail
		var status string
		err := tx.QueryRow(ctx, qNext, now).Scan(&m.ID, &m.EnquiryID, &m.FromName, &m.From, &m.To, &m.ReplyTo,
			&m.Subject, &m.Body, &m.MessageID, &status, &m.Attempts, &m.NextAttemptAt, &m.LastError, &m.SentAt, &m.CreatedAt)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		m.Status = defus.MailStatus(status)
		out = &m
		m.Attempts++
		sendErr := send(ctx, m)
		if sendErr == nil {
			m.Status, m.SentAt, m.LastError = defus.MailSent, &now, ""
			_, err = tx.Exec(ctx, qSent, m.ID, m.Attempts, now)
			return err
		}
		m.LastError = truncate(sendErr.Error(), 1000)
		if next, ok := defus.NextMailAttempt(now, m.Attempts); ok {
			m.NextAttemptAt = next
			_, err = tx.Exec(ctx, qRetry, m.ID, m.Attempts, next, m.LastError)
			return err
		}
		m.Status = defus.MailFailed
		_, err = tx.Exec(ctx, qFailed, m.ID, m.Attempts, m.LastError)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("deliver mail: %w", err)
	}
	return out, nil
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n])
	}
	return s
}
