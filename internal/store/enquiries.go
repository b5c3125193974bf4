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
                   message_id, in_reply_to, next_attempt_at, created_at, attachment_name, attachment_type, attachment, user_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $15, $16)
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
		m.Subject, m.Body, m.MessageID, m.InReplyTo, now, m.AttachmentName, m.AttachmentType, m.Attachment, m.UserID).Scan(&m.ID)
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

// enquiryWhere builds the WHERE part of the inbox filter over enquiries e.
func enquiryWhere(f defus.EnquiryFilter, today time.Time) where {
	var w where
	if f.FollowUpDue {
		w.add("e.follow_up_on <= ?::date", today.Format(time.DateOnly))
	}
	switch {
	case f.Status == defus.StatusOpen:
		w.addRaw("e.status IN ('new', 'in_progress')")
	case f.Status != "":
		w.add("e.status = ?", string(f.Status))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.addStoredFolds(q, "e.organisation", "e.contact_name") // see migration 00026
	}
	return w
}

// FindEnquiries lists enquiries for the inbox, newest first (or oldest first
// with f.OldestFirst), and how many match in all (0 with f.SkipCount). It
// picks the page's enquiries through an index before it joins their topics.
func (s *Store) FindEnquiries(ctx context.Context, f defus.EnquiryFilter) ([]defus.Enquiry, int, error) {
	w := enquiryWhere(f, defus.BerlinDay(s.now()))
	var total int
	if !f.SkipCount {
		if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM enquiries e `+w.String(), w.args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("count enquiries: %w", err)
		}
	}
	pick, how := f, enquiryPick{}
	if !f.SkipCount && f.Limit > 0 && f.Offset > total/2 && f.Offset < total {
		// A page in the back half: counted from the end, the index is read
		// from there, so the last page costs what the first does.
		pick.Limit = min(f.Limit, total-f.Offset)
		pick.Offset, how.reversed = total-f.Offset-pick.Limit, true
	}
	// A search that few enquiries match: they are found through the trigram
	// indexes and then sorted, rather than looked for along the order's
	// index, which reads every enquiry newer than the last match.
	how.matchesFirst = strings.TrimSpace(f.Query) != "" && !f.SkipCount && total <= fewMatches
	q := enquiryListQuery(pick, w, how)
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find enquiries: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Enquiry, error) { return scanEnquiry(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("find enquiries: %w", err)
	}
	return list, total, nil
}

// fewMatches is how many matches of a search are few enough to be sorted
// after they are found (see FindEnquiries).
const fewMatches = 10_000

// enquiryPick says how enquiryListQuery picks a page.
type enquiryPick struct {
	// reversed picks in the opposite order (f.Offset counts from the end);
	// the enquiries come in f's order all the same.
	reversed bool
	// matchesFirst finds all matches before it sorts them (a fence the
	// planner cannot see through), instead of walking the order's index.
	matchesFirst bool
}

// enquiryListQuery selects the enquiries of f with their topics: it picks
// the page's enquiries (see enquiryPick) before it joins their topics.
func enquiryListQuery(f defus.EnquiryFilter, w where, how enquiryPick) string {
	order, back := "e.created_at DESC, e.id DESC", "e.created_at, e.id"
	switch {
	case f.FollowUpDue:
		order, back = "e.follow_up_on, e.id", "e.follow_up_on DESC, e.id DESC"
	case f.OldestFirst:
		order, back = back, order
	}
	pickOrder := order
	if how.reversed {
		pickOrder = back
	}
	from := `enquiries e ` + w.String()
	if how.matchesFirst {
		from = `(SELECT e.id, e.created_at, e.follow_up_on FROM enquiries e ` + w.String() + ` OFFSET 0) e`
	}
	pick := `SELECT e.id FROM ` + from + `
ORDER BY ` + pickOrder
	if f.Limit > 0 {
		pick += fmt.Sprintf("\nLIMIT %d", f.Limit)
	}
	pick += fmt.Sprintf(" OFFSET %d", max(f.Offset, 0))
	return `
WITH pick AS (` + pick + `)
SELECT ` + enquiryColumns + `
FROM pick JOIN enquiries e ON e.id = pick.id
LEFT JOIN enquiry_topics et ON et.enquiry_id = e.id
LEFT JOIN topics t ON t.id = et.topic_id
GROUP BY e.id
ORDER BY ` + order
}

// EachEnquiry calls fn with every enquiry f matches, in FindEnquiries'
// order, as the rows arrive: memory stays flat however many there are. It
// returns how many it read.
func (s *Store) EachEnquiry(ctx context.Context, f defus.EnquiryFilter, fn func(*defus.Enquiry) error) (int, error) {
	w := enquiryWhere(f, defus.BerlinDay(s.now()))
	rows, err := s.pool.Query(ctx, enquiryListQuery(f, w, enquiryPick{}), w.args...)
	if err != nil {
		return 0, fmt.Errorf("read enquiries: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		e, err := scanEnquiry(rows)
		if err != nil {
			return n, fmt.Errorf("read enquiries: %w", err)
		}
		if err := fn(&e); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("read enquiries: %w", err)
	}
	return n, nil
}

const noteColumns = `id, enquiry_id, author_id, author_name, body, created_at`

func scanNote(row pgx.Row) (defus.EnquiryNote, error) {
	var n defus.EnquiryNote
	err := row.Scan(&n.ID, &n.EnquiryID, &n.AuthorID, &n.AuthorName, &n.Body, &n.CreatedAt)
	return n, err
}

// FindEnquiryNotes lists the internal notes of an enquiry, oldest first.
func (s *Store) FindEnquiryNotes(ctx context.Context, enquiryID int64) ([]defus.EnquiryNote, error) {
	const q = `SELECT ` + noteColumns + ` FROM enquiry_notes WHERE enquiry_id = $1 ORDER BY created_at, id`
	rows, err := s.pool.Query(ctx, q, enquiryID)
	if err != nil {
		return nil, fmt.Errorf("find notes of enquiry %d: %w", enquiryID, err)
	}
	notes, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.EnquiryNote, error) { return scanNote(r) })
	if err != nil {
		return nil, fmt.Errorf("find notes of enquiry %d: %w", enquiryID, err)
	}
	return notes, nil
}

// CountEnquiryMails counts the outgoing mails, queued or sent, that belong
// to an enquiry.
func (s *Store) CountEnquiryMails(ctx context.Context, enquiryID int64) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM mails WHERE enquiry_id = $1`, enquiryID).Scan(&n); err != nil {
		return 0, fmt.Errorf("count mails of enquiry %d: %w", enquiryID, err)
	}
	return n, nil
}

// FindPrivacyNotice returns a text of the privacy notice that someone consented to.
func (s *Store) FindPrivacyNotice(ctx context.Context, id int64) (*defus.PrivacyNotice, error) {
	const q = `SELECT id, page_version, body, created_at FROM privacy_notices WHERE id = $1`
	var p defus.PrivacyNotice
	if err := s.pool.QueryRow(ctx, q, id).Scan(&p.ID, &p.PageVersion, &p.Body, &p.CreatedAt); err != nil {
		return nil, notFound(err, fmt.Sprintf("find privacy notice %d", id))
	}
	return &p, nil
}

// FindStaff lists the active accounts that may handle enquiries (admins
// and editors), by name.
func (s *Store) FindStaff(ctx context.Context) ([]defus.User, error) {
	const q = `
SELECT ` + userColumns + `
FROM users
WHERE role IN ('admin', 'editor') AND disabled_at IS NULL
ORDER BY name COLLATE german, id`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find staff: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("find staff: %w", err)
	}
	return users, nil
}

// lockEnquiry reads an enquiry's status, assignee and organisation for a
// change, locking its row. A missing enquiry gives defus.ErrNotFound, a
// version other than version defus.ErrConflict.
func lockEnquiry(ctx context.Context, tx pgx.Tx, id int64, version int) (status defus.EnquiryStatus, assigned *int64, organisation string, err error) {
	const q = `SELECT status, assigned_to, organisation, version FROM enquiries WHERE id = $1 FOR UPDATE`
	var st string
	var v int
	if err := tx.QueryRow(ctx, q, id).Scan(&st, &assigned, &organisation, &v); err != nil {
		return "", nil, "", notFound(err, fmt.Sprintf("lock enquiry %d", id))
	}
	if v != version {
		return "", nil, "", fmt.Errorf("enquiry %d: %w", id, defus.ErrConflict)
	}
	return defus.EnquiryStatus(st), assigned, organisation, nil
}

// UpdateEnquiryStatus sets the status of the enquiry whose version is
// version and records the change. A closed status sets the closed time to
// the store's now (retention counts from it), an open one clears it; leaving spam
// clears the spam reason. A stale version gives defus.ErrConflict.
func (s *Store) UpdateEnquiryStatus(ctx context.Context, by defus.Actor, id int64, version int, status defus.EnquiryStatus) error {
	const q = `
UPDATE enquiries
SET status = $2, closed_at = $3,
    spam_reason = CASE WHEN $2 = 'spam' THEN spam_reason ELSE '' END,
    updated_at = $4, version = version + 1
WHERE id = $1`
	if !status.Valid() {
		return fmt.Errorf("update enquiry %d: unknown status %q", id, status)
	}
	now := s.now()
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		old, _, org, err := lockEnquiry(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if old == status {
			return nil
		}
		var closedAt *time.Time
		if status.Closed() {
			closedAt = &now
		}
		if _, err := tx.Exec(ctx, q, id, string(status), closedAt, now); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("status", old.Label(), status.Label())
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionStatusChange,
			Entity: defus.EntityEnquiry, EntityID: id, EntityLabel: org, Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("update status of enquiry %d: %w", id, err)
	}
	return nil
}

// AssignEnquiry gives the enquiry whose version is version to an active
// admin or editor (nil: to nobody) and records the change. An account that
// is not active staff gives defus.ErrNotFound, a stale version
// defus.ErrConflict.
func (s *Store) AssignEnquiry(ctx context.Context, by defus.Actor, id int64, version int, userID *int64) error {
	const qName = `SELECT name FROM users WHERE id = $1`
	const qStaff = `SELECT name FROM users WHERE id = $1 AND role IN ('admin', 'editor') AND disabled_at IS NULL FOR SHARE`
	const q = `UPDATE enquiries SET assigned_to = $2, updated_at = $3, version = version + 1 WHERE id = $1`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, old, org, err := lockEnquiry(ctx, tx, id, version)
		if err != nil {
			return err
		}
		var oldName, newName string
		if old != nil {
			if err := tx.QueryRow(ctx, qName, *old).Scan(&oldName); err != nil {
				return fmt.Errorf("name of user %d: %w", *old, err)
			}
		}
		if userID != nil {
			if err := tx.QueryRow(ctx, qStaff, *userID).Scan(&newName); err != nil {
				return notFound(err, fmt.Sprintf("staff member %d", *userID))
			}
		}
		if (old == nil) == (userID == nil) && (old == nil || *old == *userID) {
			return nil
		}
		if _, err := tx.Exec(ctx, q, id, userID, s.now()); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("assigned_to", oldName, newName)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityEnquiry, EntityID: id, EntityLabel: org, Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("assign enquiry %d: %w", id, err)
	}
	return nil
}

// CreateEnquiryNote adds an internal note by the actor to an enquiry and
// records that a note was added (not its text). It fills n.ID,
// n.AuthorID, n.AuthorName and n.CreatedAt. A missing enquiry gives
// defus.ErrNotFound.
func (s *Store) CreateEnquiryNote(ctx context.Context, by defus.Actor, n *defus.EnquiryNote) error {
	const qOrg = `SELECT organisation FROM enquiries WHERE id = $1 FOR SHARE`
	const q = `
INSERT INTO enquiry_notes (enquiry_id, author_id, author_name, body, created_at)
VALUES ($1, $2, $3, $4, $5)
RETURNING id, created_at`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var org string
		if err := tx.QueryRow(ctx, qOrg, n.EnquiryID).Scan(&org); err != nil {
			return notFound(err, fmt.Sprintf("enquiry %d", n.EnquiryID))
		}
		n.AuthorID, n.AuthorName = nullID(by.ID), by.Name
		if err := tx.QueryRow(ctx, q, n.EnquiryID, n.AuthorID, n.AuthorName, n.Body, s.now()).Scan(&n.ID, &n.CreatedAt); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("note", nil, n.ID)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityEnquiry, EntityID: n.EnquiryID, EntityLabel: org, Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("create note on enquiry %d: %w", n.EnquiryID, err)
	}
	return nil
}

// EraseEnquiry deletes an enquiry for good (GDPR Art. 17): the enquiry, its
// notes and topics, and its outgoing mails, queued or sent. Earlier audit
// entries of the enquiry lose its name; the new entry records only that it
// was erased and the id. A missing enquiry gives defus.ErrNotFound.
func (s *Store) EraseEnquiry(ctx context.Context, by defus.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		// Notes, topics and mails go with the enquiry (ON DELETE CASCADE);
		// deleting the mails first says so explicitly.
		if _, err := tx.Exec(ctx, `DELETE FROM mails WHERE enquiry_id = $1`, id); err != nil {
			return fmt.Errorf("mails: %w", err)
		}
		tag, err := tx.Exec(ctx, `DELETE FROM enquiries WHERE id = $1`, id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return defus.ErrNotFound
		}
		const qScrub = `UPDATE audit_log SET entity_label = '' WHERE entity = $1 AND entity_id = $2`
		if _, err := tx.Exec(ctx, qScrub, defus.EntityEnquiry, id); err != nil {
			return fmt.Errorf("audit labels: %w", err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionErase,
			Entity: defus.EntityEnquiry, EntityID: id})
	})
	if err != nil {
		return fmt.Errorf("erase enquiry %d: %w", id, err)
	}
	return nil
}

// FindSubjectData collects everything stored about an e-mail address, in
// any case (GDPR Art. 15): the enquiries sent from it with their topics and
// notes, and every mail that belongs to those enquiries or went to the
// address.
func (s *Store) FindSubjectData(ctx context.Context, email string) (*defus.SubjectData, error) {
	const qEnquiries = `
SELECT ` + enquiryColumns + enquiryFrom + `
WHERE lower(e.email) = lower($1)
GROUP BY e.id
ORDER BY e.created_at, e.id`
	const qNotes = `SELECT ` + noteColumns + ` FROM enquiry_notes WHERE enquiry_id = ANY($1) ORDER BY enquiry_id, created_at, id`
	const qMails = `
SELECT ` + mailColumns + `
FROM mails
WHERE enquiry_id = ANY($1) OR lower(to_addr) = lower($2) OR lower(reply_to) = lower($2) OR user_id = ANY($3)
ORDER BY created_at, id`
	d := &defus.SubjectData{Email: email}
	err := s.inTxWith(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, qEnquiries, email)
		if err != nil {
			return err
		}
		if d.Enquiries, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Enquiry, error) { return scanEnquiry(r) }); err != nil {
			return fmt.Errorf("enquiries: %w", err)
		}
		ids := []int64{}
		for _, e := range d.Enquiries {
			ids = append(ids, e.ID)
		}
		if rows, err = tx.Query(ctx, qNotes, ids); err != nil {
			return err
		}
		if d.Notes, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.EnquiryNote, error) { return scanNote(r) }); err != nil {
			return fmt.Errorf("notes: %w", err)
		}
		accounts, err := findSubjectAccounts(ctx, tx, email, d)
		if err != nil {
			return err
		}
		if rows, err = tx.Query(ctx, qMails, ids, email, accounts); err != nil {
			return err
		}
		d.Mails, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Mail, error) { return scanMail(r) })
		if err != nil {
			return fmt.Errorf("mails: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find data about an e-mail address: %w", err)
	}
	return d, nil
}

// SetEnquiryFollowUp sets the follow-up day and note of the enquiry whose
// version is version (f nil: clears them) and records the change; the note
// only as changed, since it may name a person. A stale version gives
// defus.ErrConflict.
func (s *Store) SetEnquiryFollowUp(ctx context.Context, by defus.Actor, id int64, version int, f *defus.FollowUp) error {
	const qOld = `SELECT follow_up_on, follow_up_note FROM enquiries WHERE id = $1`
	const q = `
UPDATE enquiries SET follow_up_on = $2::date, follow_up_note = $3, updated_at = $4, version = version + 1
WHERE id = $1`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, _, org, err := lockEnquiry(ctx, tx, id, version)
		if err != nil {
			return err
		}
		var oldOn pgtype.Date
		var oldNote string
		if err := tx.QueryRow(ctx, qOld, id).Scan(&oldOn, &oldNote); err != nil {
			return err
		}
		var on *string
		var note, oldDay, newDay string
		if d := berlinDay(oldOn); d != nil {
			oldDay = d.Format("02.01.2006")
		}
		if f != nil {
			day := defus.BerlinDay(f.On)
			iso := day.Format(time.DateOnly)
			on, note, newDay = &iso, f.Note, day.Format("02.01.2006")
		}
		changes := defus.Changes{}
		changes.Set("follow_up_on", oldDay, newDay)
		changes.SetWithheld("follow_up_note", oldNote, note)
		if len(changes) == 0 {
			return nil
		}
		if _, err := tx.Exec(ctx, q, id, on, note, s.now()); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityEnquiry, EntityID: id, EntityLabel: org, Changes: changes})
	})
	if err != nil {
		return fmt.Errorf("set follow-up of enquiry %d: %w", id, err)
	}
	return nil
}

// berlinDay is a date column as the domain holds days: midnight Berlin, or
// nil for NULL. (pgx reads a date as midnight UTC.)
func berlinDay(d pgtype.Date) *time.Time {
	if !d.Valid {
		return nil
	}
	t := time.Date(d.Time.Year(), d.Time.Month(), d.Time.Day(), 0, 0, 0, 0, defus.Berlin)
	return &t
}
