package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// Attempts are counted here, in PostgreSQL — logins before a password is
// checked, enquiry posts before the form is read: concurrent requests wait
// for each other's row locks, and every instance of the server sees the
// same counts. The table is still called login_attempts, after its first
// use. Every statement that locks
// more than one row locks them in the order of their keys, so two logins
// never wait for each other in a circle.

// errLimitReached rolls back the counting transaction.
var errLimitReached = errors.New("limit reached")

// CountAttempt counts one attempt under every limit, in one
// transaction. When a limit is used up it counts nothing at all and returns
// how long until the last of the used-up limits frees again; otherwise it
// returns 0 and the attempt may be checked. A window starts with its first
// attempt; an attempt after the window starts a new one.
func (s *Store) CountAttempt(ctx context.Context, limits []defus.Limit) (time.Duration, error) {
	const q = `
INSERT INTO login_attempts AS a (key, user_id, attempts, expires_at)
SELECT key, NULLIF(user_id, 0), 1, expires_at
FROM unnest($1::bytea[], $2::bigint[], $3::timestamptz[]) AS l (key, user_id, expires_at)
ORDER BY key
ON CONFLICT (key) DO UPDATE
SET attempts   = CASE WHEN a.expires_at <= $4 THEN 1 ELSE a.attempts + 1 END,
    expires_at = CASE WHEN a.expires_at <= $4 THEN EXCLUDED.expires_at ELSE a.expires_at END,
    user_id    = COALESCE(EXCLUDED.user_id, a.user_id)
RETURNING key, attempts, expires_at`
	now := s.now()
	keys := make([][]byte, len(limits))
	users := make([]int64, len(limits))
	expires := make([]time.Time, len(limits))
	for i, l := range limits {
		keys[i], users[i], expires[i] = l.Key, l.UserID, now.Add(l.Window)
	}
	var wait time.Duration
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, q, keys, users, expires, now)
		if err != nil {
			return err
		}
		var key []byte
		var attempts int
		var until time.Time
		_, err = pgx.ForEachRow(rows, []any{&key, &attempts, &until}, func() error {
			i := slices.IndexFunc(limits, func(l defus.Limit) bool { return bytes.Equal(l.Key, key) })
			if i >= 0 && attempts > limits[i].Max {
				wait = max(wait, until.Sub(now))
			}
			return nil
		})
		if err != nil {
			return err
		}
		if wait > 0 {
			return errLimitReached
		}
		return nil
	})
	switch {
	case errors.Is(err, errLimitReached):
		return wait, nil
	case err != nil:
		return 0, fmt.Errorf("count attempt: %w", err)
	}
	return 0, nil
}

// SettleAttempt settles an attempt counted by CountAttempt: the
// counts under clear end (the client got in), and those under refund lose
// the one attempt again (it was right, or its password was never checked).
func (s *Store) SettleAttempt(ctx context.Context, clear, refund [][]byte) error {
	const q = `
WITH locked AS (
    SELECT key, key = ANY($1) AS clear FROM login_attempts
    WHERE key = ANY($1) OR key = ANY($2)
    ORDER BY key
    FOR UPDATE
), cleared AS (
    DELETE FROM login_attempts a USING locked WHERE a.key = locked.key AND locked.clear
)
UPDATE login_attempts a
SET attempts = a.attempts - 1
FROM locked
WHERE a.key = locked.key AND NOT locked.clear AND a.attempts > 0`
	if clear == nil {
		clear = [][]byte{} // = ANY('{}') is false, = ANY(NULL) would be NULL
	}
	if _, err := s.pool.Exec(ctx, q, clear, refund); err != nil {
		return fmt.Errorf("settle attempt: %w", err)
	}
	return nil
}

// UnlockLogins lifts every login lock of account id: its counts for all
// clients and devices end. The audit log records that it happened.
func (s *Store) UnlockLogins(ctx context.Context, by defus.Actor, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if err := deleteLoginAttempts(ctx, tx, id); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionLoginUnlock,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name})
	})
}

// deleteLoginAttempts ends the login counts of account id.
func deleteLoginAttempts(ctx context.Context, tx pgx.Tx, id int64) error {
	const q = `
DELETE FROM login_attempts
WHERE key IN (SELECT key FROM login_attempts WHERE user_id = $1 ORDER BY key FOR UPDATE)`
	if _, err := tx.Exec(ctx, q, id); err != nil {
		return fmt.Errorf("delete login attempts of user %d: %w", id, err)
	}
	return nil
}

// DeleteExpiredLoginAttempts deletes the counts whose window has passed at
// now: a count is kept only as long as its limit needs it. Counts in use
// by a login right now are left for the next time.
func (s *Store) DeleteExpiredLoginAttempts(ctx context.Context, now time.Time) (int64, error) {
	const q = `
DELETE FROM login_attempts
WHERE key IN (SELECT key FROM login_attempts WHERE expires_at <= $1 ORDER BY key FOR UPDATE SKIP LOCKED)`
	tag, err := s.pool.Exec(ctx, q, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired login attempts: %w", err)
	}
	return tag.RowsAffected(), nil
}
