package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
)

const userColumns = `id, email, name, role, member_id, password_hash, disabled_at,
	last_login_at, created_at, updated_at, version, invited_at, totp_enabled_at`

func scanUser(row pgx.Row) (defus.User, error) {
	var u defus.User
	var role string
	err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &u.MemberID, &u.PasswordHash, &u.DisabledAt,
		&u.LastLoginAt, &u.CreatedAt, &u.UpdatedAt, &u.Version, &u.InvitedAt, &u.TOTPOn)
	u.Role = defus.Role(role)
	return u, err
}

// FindUsers lists every account, active ones first, by name.
func (s *Store) FindUsers(ctx context.Context) ([]defus.User, error) {
	const q = `
SELECT ` + userColumns + `
FROM users
ORDER BY disabled_at IS NOT NULL, name COLLATE german, id`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	users, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.User, error) { return scanUser(r) })
	if err != nil {
		return nil, fmt.Errorf("find users: %w", err)
	}
	return users, nil
}

// FindUser returns one account, disabled or not.
func (s *Store) FindUser(ctx context.Context, id int64) (*defus.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	u, err := scanUser(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find user %d", id))
	}
	return &u, nil
}

// FindUserByEmail returns the account with that e-mail address, in any case.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (*defus.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE lower(email) = lower($1)`
	u, err := scanUser(s.pool.QueryRow(ctx, q, email))
	if err != nil {
		return nil, notFound(err, "find user by e-mail")
	}
	return &u, nil
}

// FindMemberIDBySlug returns the id of a member, published or not.
func (s *Store) FindMemberIDBySlug(ctx context.Context, slug string) (int64, error) {
	var id int64
	if err := s.pool.QueryRow(ctx, `SELECT id FROM members WHERE slug = $1`, slug).Scan(&id); err != nil {
		return 0, notFound(err, "find member "+slug)
	}
	return id, nil
}

// CreateUser adds an account (u.PasswordHash must be set) and records it in
// the audit log. It fills u.ID, u.Version and the times. An e-mail address
// in use is a field error on "email" (defus.MsgEmailTaken).
func (s *Store) CreateUser(ctx context.Context, by defus.Actor, u *defus.User) error {
	const q = `
INSERT INTO users (email, name, role, member_id, password_hash, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING id, created_at, updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, u.Email, u.Name, string(u.Role), u.MemberID, u.PasswordHash, s.now()).
			Scan(&u.ID, &u.CreatedAt, &u.UpdatedAt, &u.Version)
		if err != nil {
			return userWriteError(err, "create user")
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name, Changes: newUserChanges(u)})
	})
}

// newUserChanges records the fields of a new account.
func newUserChanges(u *defus.User) defus.Changes {
	changes := defus.Changes{}
	changes.Set("email", nil, u.Email)
	changes.Set("name", nil, u.Name)
	changes.Set("role", nil, string(u.Role))
	if u.MemberID != nil {
		changes.Set("member_id", nil, *u.MemberID)
	}
	return changes
}

func userWriteError(err error, what string) error {
	if c, ok := postgres.IsUniqueViolation(err); ok && c == "users_email_lower_idx" {
		return fmt.Errorf("%s: %w", what, defus.FieldErrors{"email": defus.MsgEmailTaken})
	}
	return fmt.Errorf("%s: %w", what, err)
}

// lockUser reads an account for change, locking its row. A missing account
// gives defus.ErrNotFound, a version other than version defus.ErrConflict
// (version 0 skips that check).
func lockUser(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.User, error) {
	const q = `SELECT ` + userColumns + ` FROM users WHERE id = $1 FOR UPDATE`
	u, err := scanUser(tx.QueryRow(ctx, q, id))
	if err != nil {
		return u, notFound(err, fmt.Sprintf("lock user %d", id))
	}
	if version != 0 && u.Version != version {
		return u, fmt.Errorf("user %d: %w", id, defus.ErrConflict)
	}
	return u, nil
}

// checkAdminsLeft refuses a change that would leave no active admin with a
// field error on field (defus.MsgLastAdmin). It locks the active admins'
// rows, so two admins demoting each other at the same moment are
// serialised and the second is refused.
func checkAdminsLeft(ctx context.Context, tx pgx.Tx, losing int64, field string) error {
	const q = `SELECT id FROM users WHERE role = 'admin' AND disabled_at IS NULL FOR UPDATE`
	rows, err := tx.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	for _, id := range ids {
		if id != losing {
			return nil
		}
	}
	return fmt.Errorf("user %d: %w", losing, defus.FieldErrors{field: defus.MsgLastAdmin})
}

// UpdateUser saves e-mail, name, role and member of an account whose
// version is u.Version, and records what changed. A stale version gives
// defus.ErrConflict and the account as it is now; demoting the last active
// admin is a field error on "role", an e-mail address in use one on "email".
func (s *Store) UpdateUser(ctx context.Context, by defus.Actor, u *defus.User) (current *defus.User, err error) {
	const q = `
UPDATE users
SET email = $2, name = $3, role = $4, member_id = $5, updated_at = $6, version = version + 1
WHERE id = $1
RETURNING updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockUser(ctx, tx, u.ID, u.Version)
		if err != nil {
			current = &old
			return err
		}
		if old.Role == defus.RoleAdmin && u.Role != defus.RoleAdmin && old.Active() {
			if err := checkAdminsLeft(ctx, tx, u.ID, "role"); err != nil {
				return err
			}
		}
		if err := tx.QueryRow(ctx, q, u.ID, u.Email, u.Name, string(u.Role), u.MemberID, s.now()).Scan(&u.UpdatedAt, &u.Version); err != nil {
			return userWriteError(err, fmt.Sprintf("update user %d", u.ID))
		}
		changes := defus.Changes{}
		changes.Set("email", old.Email, u.Email)
		changes.Set("name", old.Name, u.Name)
		changes.Set("role", string(old.Role), string(u.Role))
		changes.Set("member_id", old.MemberID, u.MemberID)
		if len(changes) == 0 {
			return nil
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name, Changes: changes})
	})
	return current, err
}

// SetUserDisabled disables or re-enables an account at version (0: any
// version). Disabling the last active admin is a field error on "disable",
// the form's button.
func (s *Store) SetUserDisabled(ctx context.Context, by defus.Actor, id int64, version int, disabled bool) error {
	at := s.now()
	const q = `
UPDATE users
SET disabled_at = $2, updated_at = $3, version = version + 1
WHERE id = $1`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockUser(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if disabled == !old.Active() {
			return nil // nothing to do
		}
		var disabledAt *time.Time
		action := defus.ActionEnable
		if disabled {
			if old.Role == defus.RoleAdmin {
				if err := checkAdminsLeft(ctx, tx, id, "disable"); err != nil {
					return err
				}
			}
			disabledAt, action = &at, defus.ActionDisable
		}
		if _, err := tx.Exec(ctx, q, id, disabledAt, s.now()); err != nil {
			return fmt.Errorf("disable user %d: %w", id, err)
		}
		changes := defus.Changes{}
		changes.Set("disabled", !disabled, disabled)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: action, At: at,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: old.Name, Changes: changes})
	})
}

// SetUserPassword replaces an account's password hash and records that it
// happened (never the password or the hash). It lifts the account's login
// locks: whoever knows the new password may try it at once.
func (s *Store) SetUserPassword(ctx context.Context, by defus.Actor, id int64, hash string) error {
	const q = `
UPDATE users
SET password_hash = $2, updated_at = $3, version = version + 1
WHERE id = $1`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, q, id, hash, s.now()); err != nil {
			return fmt.Errorf("set password of user %d: %w", id, err)
		}
		if err := deleteLoginAttempts(ctx, tx, id); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionPasswordReset,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: old.Name})
	})
}
