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
RETURNING ` + mailColumns
	m, err := scanMail(s.pool.QueryRow(ctx, q, now, now.Add(lease)))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("claim mail: %w", err)
	}
	return &m, nil
}

const mailColumns = `id, enquiry_id, kind, author_name, from_name, from_addr, to_addr, reply_to, subject, body,
       message_id, in_reply_to, status, attempts, next_attempt_at, last_error, problem, sent_at, created_at,
       attachment_name, attachment_type, attachment`

func scanMail(row pgx.Row) (defus.Mail, error) {
	var m defus.Mail
	var kind, status, problem string
	err := row.Scan(&m.ID, &m.EnquiryID, &kind, &m.AuthorName, &m.FromName, &m.From, &m.To, &m.ReplyTo, &m.Subject,
		&m.Body, &m.MessageID, &m.InReplyTo, &status, &m.Attempts, &m.NextAttemptAt, &m.LastError, &problem,
		&m.SentAt, &m.CreatedAt, &m.AttachmentName, &m.AttachmentType, &m.Attachment)
	m.Kind, m.Status, m.Problem = defus.MailKind(kind), defus.MailStatus(status), defus.MailProblem(problem)
	return m, err
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
UPDATE mails SET status = 'sent', sent_at = $2, last_error = '', problem = '', lease_until = NULL,
    body = CASE WHEN user_id IS NULL THEN body ELSE ` + blankAccountLinks + ` END
WHERE id = $1 AND status = 'queued'`
	const qRetry = `
UPDATE mails SET next_attempt_at = $3, last_error = $4, problem = $5, lease_until = NULL
WHERE id = $1 AND attempts = $2 AND status = 'queued'`
	const qFailed = `
UPDATE mails SET status = 'failed', last_error = $3, problem = $4, lease_until = NULL
WHERE id = $1 AND attempts = $2 AND status = 'queued'`
	if sendErr == nil {
		m.Status, m.SentAt, m.LastError, m.Problem = defus.MailSent, &now, "", ""
		if _, err := s.pool.Exec(ctx, qSent, m.ID, now); err != nil {
			return fmt.Errorf("record mail %d as sent: %w", m.ID, err)
		}
		return nil
	}
	m.LastError, m.Problem = truncate(sendErr.Error(), 1000), defus.MailProblemOf(sendErr)
	var tag pgconn.CommandTag
	var err error
	if next, ok := defus.NextMailAttempt(now, m.Attempts); ok {
		m.NextAttemptAt = next
		tag, err = s.pool.Exec(ctx, qRetry, m.ID, m.Attempts, next, m.LastError, string(m.Problem))
	} else {
		m.Status = defus.MailFailed
		tag, err = s.pool.Exec(ctx, qFailed, m.ID, m.Attempts, m.LastError, string(m.Problem))
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

// FindEnquiryMails lists the mails of an enquiry, automatic ones and the
// office's answers, oldest first.
func (s *Store) FindEnquiryMails(ctx context.Context, enquiryID int64) ([]defus.Mail, error) {
	const q = `SELECT ` + mailColumns + ` FROM mails WHERE enquiry_id = $1 ORDER BY created_at, id`
	rows, err := s.pool.Query(ctx, q, enquiryID)
	if err != nil {
		return nil, fmt.Errorf("find mails of enquiry %d: %w", enquiryID, err)
	}
	mails, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Mail, error) { return scanMail(r) })
	if err != nil {
		return nil, fmt.Errorf("find mails of enquiry %d: %w", enquiryID, err)
	}
	return mails, nil
}

// ResendMail puts the failed mail mailID of an enquiry back into the outbox,
// due now, with a fresh set of attempts, and records who asked. It stays the
// same message with the same Message-ID: if an earlier attempt did arrive
// after all (a server that took the mail and then did not answer), the
// recipient's mail program recognises the repetition, and the enquiry keeps
// one line per mail. The last error stays until the next attempt's outcome.
// A mail that is not (or no longer) failed gives defus.ErrConflict, one that
// does not belong to the enquiry defus.ErrNotFound.
func (s *Store) ResendMail(ctx context.Context, by defus.Actor, enquiryID, mailID int64) error {
	const qLock = `
SELECT m.status, e.organisation
FROM mails m JOIN enquiries e ON e.id = m.enquiry_id
WHERE m.id = $1 AND m.enquiry_id = $2
FOR UPDATE OF m`
	const q = `
UPDATE mails SET status = 'queued', attempts = 0, next_attempt_at = $2, lease_until = NULL
WHERE id = $1`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var status, org string
		if err := tx.QueryRow(ctx, qLock, mailID, enquiryID).Scan(&status, &org); err != nil {
			return notFound(err, fmt.Sprintf("mail %d", mailID))
		}
		if defus.MailStatus(status) != defus.MailFailed {
			return fmt.Errorf("mail %d is %s, not failed: %w", mailID, status, defus.ErrConflict)
		}
		if _, err := tx.Exec(ctx, q, mailID, s.now()); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("mail_resent", nil, mailID)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityEnquiry, EntityID: enquiryID, EntityLabel: org, Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("resend mail %d of enquiry %d: %w", mailID, enquiryID, err)
	}
	return nil
}

// CreateReply queues m, the office's answer to an enquiry (see
// defus.ReplyMail), in the transaction that records it, so the answer is
// kept with the enquiry exactly when it leaves. The recipient is the
// enquiry's sender as stored, and the answer goes in the thread of the last
// mail the sender got. The audit log records that an answer was written,
// not its text. A missing enquiry gives defus.ErrNotFound; one marked as
// spam is refused with defus.FieldErrors: a bot's address may be someone
// else's.
func (s *Store) CreateReply(ctx context.Context, by defus.Actor, enquiryID int64, m *defus.Mail) error {
	const qEnquiry = `SELECT organisation, email, status FROM enquiries WHERE id = $1 FOR SHARE`
	const qThread = `
SELECT message_id FROM mails
WHERE enquiry_id = $1 AND lower(to_addr) = lower($2)
ORDER BY created_at DESC, id DESC
LIMIT 1`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var org, email, status string
		if err := tx.QueryRow(ctx, qEnquiry, enquiryID).Scan(&org, &email, &status); err != nil {
			return notFound(err, fmt.Sprintf("enquiry %d", enquiryID))
		}
		if defus.EnquiryStatus(status) == defus.StatusSpam {
			return defus.FieldErrors{"body": defus.MsgReplyToSpam}
		}
		m.EnquiryID, m.To, m.Kind, m.InReplyTo = &enquiryID, email, defus.MailReply, ""
		err := tx.QueryRow(ctx, qThread, enquiryID, email).Scan(&m.InReplyTo)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("thread: %w", err)
		}
		if err := createMail(ctx, tx, m, s.now()); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("reply", nil, m.ID)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityEnquiry, EntityID: enquiryID, EntityLabel: org, Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("answer enquiry %d: %w", enquiryID, err)
	}
	return nil
}

// DeleteExpiredMails deletes the mails that belong to no enquiry and were
// sent or given up on more than defus.MailRetention before now (by when
// they were queued for a failed one), and says how many.
func (s *Store) DeleteExpiredMails(ctx context.Context, now time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `
DELETE FROM mails
WHERE enquiry_id IS NULL AND status <> 'queued' AND coalesce(sent_at, created_at) < $1`, now.Add(-defus.MailRetention))
	if err != nil {
		return 0, fmt.Errorf("delete expired mails: %w", err)
	}
	return tag.RowsAffected(), nil
}
