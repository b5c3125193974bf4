package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// How other features record what they change
//
// A store method that changes data writes its audit entry in the same
// transaction as the change, so the log never claims a change that was
// rolled back and never misses one that was committed:
//
//	func (s *Store) UpdateEnquiryStatus(ctx context.Context, by defus.Actor, id int64, version int, status defus.EnquiryStatus) error {
//		return s.inTx(ctx, func(tx pgx.Tx) error {
//			// … UPDATE … WHERE id = $1 AND version = $2 RETURNING old values …
//			changes := defus.Changes{}
//			changes.Set("status", old, status)
//			return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionStatusChange,
//				Entity: "enquiry", EntityID: id, EntityLabel: e.Organisation, Changes: changes})
//		})
//	}
//
// The handler passes the logged-in user as actor: currentUser(ctx).Actor(requestID)
// (see server.actor). Changes must never hold passwords, hashes or data
// that an erasure removes; for an erasure record only that it happened.

// inTx runs fn in a transaction, committing when fn returns nil. A
// transaction that failed on a statement a migration made stale ran nothing
// and runs once more (see db): fn must not depend on having run before.
func (s *Store) inTx(ctx context.Context, fn func(tx pgx.Tx) error) error {
	return s.inTxWith(ctx, pgx.TxOptions{}, fn)
}

// inTxWith is inTx with transaction options.
func (s *Store) inTxWith(ctx context.Context, opts pgx.TxOptions, fn func(tx pgx.Tx) error) error {
	return s.pool.retry(func() error {
		var c *changeTx
		err := pgx.BeginTxFunc(ctx, s.pool, opts, func(tx pgx.Tx) error {
			c = &changeTx{Tx: tx}
			return fn(c)
		})
		if err == nil && c != nil {
			s.committed(c)
		}
		return err
	})
}

// auditTx writes e to the audit log inside tx. Call it from every store
// method that changes data, in the same transaction as the change. An entry
// without a time gets the store's clock. It also announces the change to
// every instance of the portal (see changes.go): their page caches forget
// what they kept when tx commits.
func (s *Store) auditTx(ctx context.Context, tx pgx.Tx, e defus.AuditEntry) error {
	if err := s.insertAudit(ctx, tx, e); err != nil {
		return err
	}
	return notifyTx(ctx, tx, e.Entity)
}

// Audit writes e to the audit log on its own, for events that change no
// other data (a failed login, a logout, an export).
func (s *Store) Audit(ctx context.Context, e defus.AuditEntry) error {
	return s.insertAudit(ctx, s.pool, e)
}

// queryRower is a pool or a transaction.
type queryRower interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

func (s *Store) insertAudit(ctx context.Context, db queryRower, e defus.AuditEntry) error {
	const q = `
INSERT INTO audit_log (at, actor_id, actor_name, actor_email, action, entity, entity_id,
                       entity_label, changes, request_id)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
RETURNING id`
	if e.At.IsZero() {
		e.At = s.now()
	}
	changes := e.Changes
	if changes == nil {
		changes = defus.Changes{}
	}
	js, err := json.Marshal(changes)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Entity, err)
	}
	var id int64
	err = db.QueryRow(ctx, q, e.At, nullID(e.Actor.ID), e.Actor.Name, e.Actor.Email,
		string(e.Action), e.Entity, nullID(e.EntityID), e.EntityLabel, js, e.Actor.RequestID).Scan(&id)
	if err != nil {
		return fmt.Errorf("audit %s %s: %w", e.Action, e.Entity, err)
	}
	return nil
}

func nullID(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

// FindAuditEntries lists audit entries newest first, and how many match in
// all. It counts every match and pages by offset: for tests and short
// lists; the office's pages use FindAuditPage.
func (s *Store) FindAuditEntries(ctx context.Context, f defus.AuditFilter) ([]defus.AuditEntry, int, error) {
	w := auditWhere(f)
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM audit_log `+w.String(), w.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count audit entries: %w", err)
	}
	q := auditColumns + w.String() + `
ORDER BY at DESC, id DESC
LIMIT ` + fmt.Sprint(limit) + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	entries, err := s.auditEntries(ctx, q, w.args)
	return entries, total, err
}

// auditWhere is the condition of filter f, without its paging.
func auditWhere(f defus.AuditFilter) where {
	var w where
	if f.ActorID != 0 {
		w.add("actor_id = ?", f.ActorID)
	}
	if f.Entity != "" {
		w.add("entity = ?", f.Entity)
	}
	if f.EntityID != 0 {
		w.add("entity_id = ?", f.EntityID)
	}
	if f.ChangesOnly {
		w.addRaw("action NOT IN ('login', 'login_failed', 'logout')") // as audit_log_changes_idx
	}
	if !f.From.IsZero() {
		w.add("at >= ?", f.From)
	}
	if !f.To.IsZero() {
		w.add("at < ?", f.To)
	}
	return w
}

func (s *Store) auditEntries(ctx context.Context, q string, args []any) ([]defus.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	entries, err := pgx.CollectRows(rows, scanAuditEntry)
	if err != nil {
		return nil, fmt.Errorf("find audit entries: %w", err)
	}
	return entries, nil
}

// FindAuditPage returns a page of the audit log, newest first, after the
// keyset f.Before or f.After (the first page when neither), and how many
// entries match, counted up to defus.AuditCountCap. Each page reads its
// own entries through an index, however long the log.
func (s *Store) FindAuditPage(ctx context.Context, f defus.AuditFilter) (defus.AuditPage, error) {
	var p defus.AuditPage
	w := auditWhere(f)
	if !f.SkipCount {
		var count int
		q := `SELECT count(*) FROM (SELECT 1 FROM audit_log ` + w.String() + ` LIMIT ` + fmt.Sprint(defus.AuditCountCap+1) + `) c`
		if err := s.pool.QueryRow(ctx, q, w.args...).Scan(&count); err != nil {
			return p, fmt.Errorf("count audit entries: %w", err)
		}
		p.Count, p.CountCapped = min(count, defus.AuditCountCap), count > defus.AuditCountCap
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	order := "at DESC, id DESC"
	switch {
	case f.Before != 0:
		w.add("(at, id) < (SELECT at, id FROM audit_log WHERE id = ?)", f.Before)
	case f.After != 0:
		w.add("(at, id) > (SELECT at, id FROM audit_log WHERE id = ?)", f.After)
		order = "at, id"
	}
	entries, err := s.auditEntries(ctx, auditColumns+w.String()+"\nORDER BY "+order+"\nLIMIT "+fmt.Sprint(limit+1), w.args)
	if err != nil {
		return p, err
	}
	more := len(entries) > limit
	entries = entries[:min(len(entries), limit)]
	if f.After != 0 {
		slices.Reverse(entries)
		p.Newer, p.Older = more, true
	} else {
		p.Newer, p.Older = f.Before != 0, more
	}
	p.Entries = entries
	return p, nil
}

// auditColumns selects what scanAuditEntry reads.
const auditColumns = `
SELECT id, at, COALESCE(actor_id, 0), actor_name, actor_email, action, entity,
       COALESCE(entity_id, 0), entity_label, changes, request_id
FROM audit_log
`

func scanAuditEntry(r pgx.CollectableRow) (defus.AuditEntry, error) {
	var e defus.AuditEntry
	var action string
	var js []byte
	err := r.Scan(&e.ID, &e.At, &e.Actor.ID, &e.Actor.Name, &e.Actor.Email, &action, &e.Entity,
		&e.EntityID, &e.EntityLabel, &js, &e.Actor.RequestID)
	if err != nil {
		return e, err
	}
	e.Action = defus.AuditAction(action)
	return e, json.Unmarshal(js, &e.Changes)
}

// FindAuditEntry returns one audit entry, complete; an unknown id gives
// defus.ErrNotFound.
func (s *Store) FindAuditEntry(ctx context.Context, id int64) (defus.AuditEntry, error) {
	rows, err := s.pool.Query(ctx, auditColumns+`WHERE id = $1`, id)
	if err != nil {
		return defus.AuditEntry{}, fmt.Errorf("find audit entry %d: %w", id, err)
	}
	e, err := pgx.CollectExactlyOneRow(rows, scanAuditEntry)
	if err != nil {
		return e, notFound(err, fmt.Sprintf("find audit entry %d", id))
	}
	return e, nil
}

// FindAuditNames looks up in one query the names of the records that audit
// entries refer to by id (see defus.AuditRefs): members and files by name,
// an enquiry's note or mail by when it was written (its text stays out of
// the log). Records that are gone are left out.
func (s *Store) FindAuditNames(ctx context.Context, refs []defus.AuditRef) (defus.AuditNames, error) {
	names := defus.AuditNames{}
	if len(refs) == 0 {
		return names, nil
	}
	ids := map[defus.RefKind][]int64{}
	for _, r := range refs {
		ids[r.Kind] = append(ids[r.Kind], r.ID)
	}
	const q = `
SELECT 'member', id, name, NULL::timestamptz FROM members WHERE id = ANY($1)
UNION ALL
SELECT 'media', id, name, NULL FROM media WHERE id = ANY($2)
UNION ALL
SELECT 'note', id, 'Notiz', created_at FROM enquiry_notes WHERE id = ANY($3)
UNION ALL
SELECT 'mail', id, CASE kind WHEN 'reply' THEN 'Antwort' ELSE 'E-Mail' END, created_at FROM mails WHERE id = ANY($4)`
	rows, err := s.pool.Query(ctx, q, ids[defus.RefMember], ids[defus.RefMedia], ids[defus.RefNote], ids[defus.RefMail])
	if err != nil {
		return nil, fmt.Errorf("find audit names: %w", err)
	}
	var kind, name string
	var id int64
	var at *time.Time
	_, err = pgx.ForEachRow(rows, []any{&kind, &id, &name, &at}, func() error {
		if at != nil {
			name += " vom " + defus.FormatDate(*at) + ", " + defus.FormatTime(*at)
		}
		names[defus.AuditRef{Kind: defus.RefKind(kind), ID: id}] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("find audit names: %w", err)
	}
	return names, nil
}

// FindAuditActors lists the people who appear in the audit log, by name,
// with their latest name and e-mail, for the person filter. It skips
// through the index on actor_id from one person to the next, so it reads
// two entries per person, not the whole log.
func (s *Store) FindAuditActors(ctx context.Context) ([]defus.AuditActor, error) {
	const q = `
WITH RECURSIVE actor AS (
    (SELECT actor_id AS id FROM audit_log WHERE actor_id IS NOT NULL ORDER BY actor_id LIMIT 1)
    UNION ALL
    SELECT (SELECT actor_id FROM audit_log WHERE actor_id > a.id ORDER BY actor_id LIMIT 1)
    FROM actor a WHERE a.id IS NOT NULL
)
SELECT a.id, l.actor_name, l.actor_email
FROM actor a
CROSS JOIN LATERAL (SELECT actor_name, actor_email FROM audit_log
                    WHERE actor_id = a.id ORDER BY at DESC, id DESC LIMIT 1) l
WHERE a.id IS NOT NULL
ORDER BY l.actor_name COLLATE german, a.id`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find audit actors: %w", err)
	}
	actors, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.AuditActor, error) {
		var a defus.AuditActor
		err := r.Scan(&a.ID, &a.Name, &a.Email)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("find audit actors: %w", err)
	}
	return actors, nil
}

// FindAuditEntities lists the entity names that appear in the audit log,
// skipping through the index on entity from one name to the next.
func (s *Store) FindAuditEntities(ctx context.Context) ([]string, error) {
	const q = `
WITH RECURSIVE entity AS (
    (SELECT entity AS name FROM audit_log WHERE entity > '' ORDER BY entity LIMIT 1)
    UNION ALL
    SELECT (SELECT entity FROM audit_log WHERE entity > e.name ORDER BY entity LIMIT 1)
    FROM entity e WHERE e.name IS NOT NULL
)
SELECT name FROM entity WHERE name IS NOT NULL ORDER BY name`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find audit entities: %w", err)
	}
	entities, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("find audit entities: %w", err)
	}
	return entities, nil
}

// DeleteExpiredAuditEntries deletes the audit entries past their retention
// at now (see defus.AuditLoginRetention and defus.AuditChangeRetention), a
// batch at a time so that no long transaction holds the log.
func (s *Store) DeleteExpiredAuditEntries(ctx context.Context, now time.Time) (int64, error) {
	const q = `
DELETE FROM audit_log WHERE id IN (
    SELECT id FROM audit_log
    WHERE at < $2 OR (at < $1 AND action IN ('login', 'login_failed', 'logout'))
    LIMIT 10000)`
	logins, changes := now.Add(-defus.AuditLoginRetention), now.AddDate(-defus.AuditChangeRetentionYears, 0, 0)
	var total int64
	for {
		tag, err := s.pool.Exec(ctx, q, logins, changes)
		if err != nil {
			return total, fmt.Errorf("delete expired audit entries: %w", err)
		}
		total += tag.RowsAffected()
		if tag.RowsAffected() < 10000 {
			return total, nil
		}
	}
}
