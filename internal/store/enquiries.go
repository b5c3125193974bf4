package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"defus.de/portal/internal/defus"
)

// CreateEnquiry stores a new enquiry with its topics, a reference to the
// current text of /datenschutz and its outgoing mails, all in one
// transaction. e.CreatedAt is the time of sending; closed statuses (spam)
// are closed at that time. When an enquiry with the same IdempotencyKey
// exists already (a double click, a resent form), nothing is stored and
// created is false. On success e gets its ID, PrivacyNoticeID and Version.
func (s *Store) CreateEnquiry(ctx context.Context, e *defus.Enquiry, mails []defus.Mail) (created bool, err error) {
	const qNotice = `
INSERT INTO privacy_notices (page_version, body, body_sha256, created_at)
SELECT version, body, sha256(convert_to(body, 'UTF8')), $1 FROM pages WHERE slug = 'datenschutz'
ON CONFLICT (body_sha256) DO UPDATE SET body_sha256 = EXCLUDED.body_sha256
RETURNING id`
	const qEnquiry = `
INSERT INTO enquiries (organisation, kind, state, contact_name, function, email, phone, population,
                       message, heard_from, consent_at, privacy_notice_id, status, spam_reason,
                       closed_at, idempotency_key, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $17)
ON CONFLICT (idempotency_key) DO NOTHING
RETURNING id, version`
	const qTopics = `
INSERT INTO enquiry_topics (enquiry_id, topic_id)
SELECT $1, unnest($2::bigint[])
ON CONFLICT DO NOTHING`
	var closedAt *time.Time
	if e.Status.Closed() {
		closedAt = &e.CreatedAt
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, qNotice, e.CreatedAt).Scan(&e.PrivacyNoticeID); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return errors.New("privacy page datenschutz is missing: run defus seed")
			}
			return fmt.Errorf("privacy notice: %w", err)
		}
		err := tx.QueryRow(ctx, qEnquiry, e.Organisation, string(e.Kind), e.State, e.ContactName, e.Function,
			e.Email, e.Phone, e.Population, e.Message, e.HeardFrom, e.ConsentAt, e.PrivacyNoticeID,
			string(e.Status), e.SpamReason, closedAt, e.IdempotencyKey, e.CreatedAt).Scan(&e.ID, &e.Version)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // sent before: store nothing
		}
		if err != nil {
			return err
		}
		created = true
		e.ClosedAt, e.UpdatedAt = closedAt, e.CreatedAt
		if len(e.TopicIDs) > 0 {
			if _, err := tx.Exec(ctx, qTopics, e.ID, e.TopicIDs); err != nil {
				return fmt.Errorf("topics: %w", err)
			}
		}
		for i := range mails {
			mails[i].EnquiryID = &e.ID
			if err := createMail(ctx, tx, &mails[i], e.CreatedAt); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("create enquiry: %w", err)
	}
	return created, nil
}

// createMail queues m in tx, due at now, with a new Message-ID.
func createMail(ctx context.Context, tx pgx.Tx, m *defus.Mail, now time.Time) error {
	const q = `
INSERT INTO mails (enquiry_id, kind, author_name, from_name, from_addr, to_addr, reply_to, subject, body,
                   message_id, in_reply_to, next_attempt_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12)
RETURNING id`
	if m.Kind == "" {
		m.Kind = defus.MailAutomatic
	}
	b := make([]byte, 12)
	rand.Read(b)
	domain := m.From[strings.LastIndexByte(m.From, '@')+1:]
	m.MessageID = fmt.Sprintf("%d.%s@%s", now.Unix(), hex.EncodeToString(b), domain)
	m.Status, m.NextAttemptAt, m.CreatedAt = defus.MailQueued, now, now
	err := tx.QueryRow(ctx, q, m.EnquiryID, string(m.Kind), m.AuthorName, m.FromName, m.From, m.To, m.ReplyTo,
		m.Subject, m.Body, m.MessageID, m.InReplyTo, now).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("queue mail: %w", err)
	}
	return nil
}

const enquiryColumns = `e.id, e.organisation, e.kind, e.state, e.contact_name, e.function, e.email, e.phone,
	e.population, e.message, e.heard_from, e.consent_at, e.privacy_notice_id, e.status, e.spam_reason,
	e.assigned_to, coalesce((SELECT u.name FROM users u WHERE u.id = e.assigned_to), ''), e.closed_at,
	e.follow_up_on, e.follow_up_note, e.idempotency_key, e.created_at, e.updated_at, e.version,
	coalesce(array_agg(t.id ORDER BY t.title) FILTER (WHERE t.id IS NOT NULL), '{}'),
	coalesce(array_agg(t.title::text ORDER BY t.title) FILTER (WHERE t.id IS NOT NULL), '{}')`

// enquiryFrom joins an enquiry's topics for enquiryColumns; the query
// groups by e.id.
const enquiryFrom = `
FROM enquiries e
LEFT JOIN enquiry_topics et ON et.enquiry_id = e.id
LEFT JOIN topics t ON t.id = et.topic_id
`

func scanEnquiry(row pgx.Row) (defus.Enquiry, error) {
	var e defus.Enquiry
	var kind, status string
	var followUp pgtype.Date
	err := row.Scan(&e.ID, &e.Organisation, &kind, &e.State, &e.ContactName, &e.Function, &e.Email, &e.Phone,
		&e.Population, &e.Message, &e.HeardFrom, &e.ConsentAt, &e.PrivacyNoticeID, &status, &e.SpamReason,
		&e.AssignedTo, &e.AssignedName, &e.ClosedAt, &followUp, &e.FollowUpNote, &e.IdempotencyKey,
		&e.CreatedAt, &e.UpdatedAt, &e.Version, &e.TopicIDs, &e.Topics)
	e.Kind, e.Status = defus.EnquiryKind(kind), defus.EnquiryStatus(status)
	e.FollowUpOn = berlinDay(followUp)
	return e, err
}

// FindEnquiry returns one enquiry with its topics.
func (s *Store) FindEnquiry(ctx context.Context, id int64) (*defus.Enquiry, error) {
	const q = `
SELECT ` + enquiryColumns + enquiryFrom + `
WHERE e.id = $1
GROUP BY e.id`
	e, err := scanEnquiry(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find enquiry %d", id))
	}
	return &e, nil
}

// DeleteExpiredEnquiries deletes, with their topics, notes and mails,
// enquiries marked as spam that were closed more than defus.SpamRetention
// before now, and other closed enquiries closed more than closedAfter before
// now. Their audit entries lose the enquiry's name, as after an erasure. It
// returns how many enquiries it deleted.
func (s *Store) DeleteExpiredEnquiries(ctx context.Context, now time.Time, closedAfter time.Duration) (int64, error) {
	const q = `
WITH gone AS (
    DELETE FROM enquiries
    WHERE closed_at IS NOT NULL
      AND ((status = 'spam' AND closed_at < $1) OR (status <> 'spam' AND closed_at < $2))
    RETURNING id
), scrubbed AS (
    UPDATE audit_log SET entity_label = ''
    WHERE entity = 'enquiry' AND entity_id IN (SELECT id FROM gone)
)
SELECT count(*) FROM gone`
	var n int64
	if err := s.pool.QueryRow(ctx, q, now.Add(-defus.SpamRetention), now.Add(-closedAfter)).Scan(&n); err != nil {
		return 0, fmt.Errorf("delete expired enquiries: %w", err)
	}
	return n, nil
}
