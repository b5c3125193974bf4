package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// The sessions of each account. scs keeps a session's data in sessions
// under its token; user_sessions names the account of a logged-in session
// under the token's SHA-256 (defus.HashToken), with the browser and when it
// was last seen. A logged-in session without a row here counts as logged
// out (see FindSessionUser), so ending a session is deleting its row, and
// its scs row goes too.

// sessionTouchEvery is how stale "last seen" may get before a request
// writes it anew: not every page view is a write.
const sessionTouchEvery = 5 * time.Minute

// RecordLogin notes a successful login: the account's last login time,
// its new session (the hash of the session token, the browser in a few
// words) and an audit entry, in one transaction.
func (s *Store) RecordLogin(ctx context.Context, u *defus.User, requestID string, session []byte, agent string) error {
	at := s.now()
	const qSession = `
INSERT INTO user_sessions (token_hash, user_id, agent, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)
ON CONFLICT (token_hash) DO UPDATE SET user_id = EXCLUDED.user_id, agent = EXCLUDED.agent,
    created_at = EXCLUDED.created_at, last_seen_at = EXCLUDED.last_seen_at`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET last_login_at = $2 WHERE id = $1`, u.ID, at); err != nil {
			return fmt.Errorf("record login of user %d: %w", u.ID, err)
		}
		if _, err := tx.Exec(ctx, qSession, session, u.ID, truncate(agent, 100), at); err != nil {
			return fmt.Errorf("record session of user %d: %w", u.ID, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: u.Actor(requestID), Action: defus.ActionLogin, At: at,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name})
	})
}

// FindSessionUser returns account id when the session whose token hashes
// to session is recorded as its login, and notes when it was last seen
// (at most every few minutes). A session that was ended, or an account
// that is gone, is defus.ErrNotFound.
func (s *Store) FindSessionUser(ctx context.Context, id int64, session []byte) (*defus.User, error) {
	const q = `
SELECT u.*, s.last_seen_at
FROM (SELECT ` + userColumns + ` FROM users WHERE id = $1) u
JOIN user_sessions s ON s.user_id = u.id AND s.token_hash = $2`
	var u defus.User
	var seen time.Time
	var role string
	err := s.pool.QueryRow(ctx, q, id, session).Scan(&u.ID, &u.Email, &u.Name, &role, &u.MemberID, &u.PasswordHash,
		&u.DisabledAt, &u.LastLoginAt, &u.CreatedAt, &u.UpdatedAt, &u.Version, &u.InvitedAt, &u.TOTPOn, &seen)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find user %d of a session", id))
	}
	u.Role = defus.Role(role)
	if now := s.now(); now.Sub(seen) >= sessionTouchEvery {
		// Not audited: when a session was last used is no change to content.
		if _, err := s.pool.Exec(ctx, `UPDATE user_sessions SET last_seen_at = $2 WHERE token_hash = $1`, session, now); err != nil {
			return nil, fmt.Errorf("note session of user %d as seen: %w", id, err)
		}
	}
	return &u, nil
}

// FindUserSessions lists the logged-in sessions of account id, the most
// recently seen first.
func (s *Store) FindUserSessions(ctx context.Context, id int64) ([]defus.Session, error) {
	const q = `
SELECT token_hash, agent, created_at, last_seen_at FROM user_sessions
WHERE user_id = $1
ORDER BY last_seen_at DESC, created_at DESC`
	rows, err := s.pool.Query(ctx, q, id)
	if err != nil {
		return nil, fmt.Errorf("find sessions of user %d: %w", id, err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[defus.Session])
	if err != nil {
		return nil, fmt.Errorf("find sessions of user %d: %w", id, err)
	}
	return list, nil
}

// EndSession ends one session (logout): its row goes; scs deletes its data.
func (s *Store) EndSession(ctx context.Context, session []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM user_sessions WHERE token_hash = $1`, session); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// EndUserSessions ends the sessions of account id (all of them, or only
// those in which, when not nil) except keep, and records how many, in one
// transaction. It returns that number.
func (s *Store) EndUserSessions(ctx context.Context, by defus.Actor, id int64, which [][]byte, keep []byte) (int, error) {
	var n int
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if n, err = endSessions(ctx, tx, id, which, keep); err != nil || n == 0 {
			return err
		}
		changes := defus.Changes{}
		changes.Set("sessions", nil, n)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionSessionsEnd,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name, Changes: changes})
	})
	if err != nil {
		return 0, fmt.Errorf("end sessions of user %d: %w", id, err)
	}
	return n, nil
}

// endSessions deletes the sessions of account id, in tx: those in which
// (all when nil) except keep, with their scs data.
func endSessions(ctx context.Context, tx pgx.Tx, id int64, which [][]byte, keep []byte) (int, error) {
	const q = `
WITH ended AS (
    DELETE FROM user_sessions
    WHERE user_id = $1 AND ($2::bytea[] IS NULL OR token_hash = ANY($2)) AND token_hash IS DISTINCT FROM $3
    RETURNING token_hash
), gone AS (
    DELETE FROM sessions WHERE sha256(convert_to(token, 'UTF8')) IN (SELECT token_hash FROM ended)
)
SELECT count(*) FROM ended`
	var n int
	if err := tx.QueryRow(ctx, q, id, which, keep).Scan(&n); err != nil {
		return 0, fmt.Errorf("end sessions: %w", err)
	}
	return n, nil
}

// DeleteStaleSessions deletes the session rows whose scs session has
// expired or is gone, and the links that have expired: the retention job's
// part for accounts.
func (s *Store) DeleteStaleSessions(ctx context.Context, now time.Time) (int64, error) {
	const qSessions = `
DELETE FROM user_sessions us
WHERE NOT EXISTS (SELECT 1 FROM sessions s WHERE sha256(convert_to(s.token, 'UTF8')) = us.token_hash AND s.expiry > $1)`
	tag, err := s.pool.Exec(ctx, qSessions, now)
	if err != nil {
		return 0, fmt.Errorf("delete stale sessions: %w", err)
	}
	tokens, err := s.pool.Exec(ctx, `DELETE FROM account_tokens WHERE expires_at <= $1`, now)
	if err != nil {
		return 0, fmt.Errorf("delete expired links: %w", err)
	}
	return tag.RowsAffected() + tokens.RowsAffected(), nil
}

// findSubjectAccounts adds the accounts that log in with email, and their
// sessions, to d (GDPR Art. 15), and returns their ids.
func findSubjectAccounts(ctx context.Context, tx pgx.Tx, email string, d *defus.SubjectData) ([]int64, error) {
	rows, err := tx.Query(ctx, `SELECT `+userColumns+` FROM users WHERE lower(email) = lower($1) ORDER BY id`, email)
	if err != nil {
		return nil, err
	}
	if d.Accounts, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.User, error) { return scanUser(r) }); err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	ids := []int64{}
	for _, u := range d.Accounts {
		ids = append(ids, u.ID)
	}
	const q = `
SELECT token_hash, agent, created_at, last_seen_at FROM user_sessions
WHERE user_id = ANY($1) ORDER BY created_at`
	if rows, err = tx.Query(ctx, q, ids); err != nil {
		return nil, err
	}
	if d.Sessions, err = pgx.CollectRows(rows, pgx.RowToStructByPos[defus.Session]); err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	return ids, nil
}

// EraseUser deletes account id for good (GDPR Art. 17) with its links,
// sessions, second factor and the mails about it; enquiries assigned to it
// and notes it wrote stay without it. Earlier audit entries about the
// account lose its name and their changes, entries of its own actions its
// name and address ("Gelöschtes Konto Nr. N"); the new entry records only
// that account no. N was erased. The last active admin is not erased (a
// field error on "erase").
func (s *Store) EraseUser(ctx context.Context, by defus.Actor, id int64) error {
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if u.Role == defus.RoleAdmin && u.Active() {
			if err := checkAdminsLeft(ctx, tx, id, "erase"); err != nil {
				return err
			}
		}
		if _, err := endSessions(ctx, tx, id, nil, nil); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, id); err != nil {
			return err
		}
		const qAbout = `UPDATE audit_log SET entity_label = '', changes = '{}' WHERE entity = $1 AND entity_id = $2`
		if _, err := tx.Exec(ctx, qAbout, defus.EntityUser, id); err != nil {
			return fmt.Errorf("audit entries about the account: %w", err)
		}
		const qBy = `UPDATE audit_log SET actor_name = $2, actor_email = '' WHERE actor_id = $1`
		if _, err := tx.Exec(ctx, qBy, id, fmt.Sprintf("Gelöschtes Konto Nr. %d", id)); err != nil {
			return fmt.Errorf("audit entries by the account: %w", err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionErase, Entity: defus.EntityUser, EntityID: id})
	})
	if err != nil {
		return fmt.Errorf("erase user %d: %w", id, err)
	}
	return nil
}
