package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// The second factor of an account: its TOTP secret, sealed by the server
// (the store never sees it in the clear), the last step a code was accepted
// in, and the hashes of its recovery codes.

// EnableTOTP switches the second factor of account id on with the sealed
// secret, whose code of step was just typed (it is not accepted again), and
// the hashes of new recovery codes, and records it, in one transaction.
func (s *Store) EnableTOTP(ctx context.Context, by defus.Actor, id int64, sealed []byte, step int64, recovery [][]byte) error {
	const q = `
UPDATE users SET totp_secret = $2, totp_last_step = $3, totp_enabled_at = $4, updated_at = $4, version = version + 1
WHERE id = $1`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, q, id, sealed, step, s.now()); err != nil {
			return fmt.Errorf("enable second factor of user %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("replace recovery codes of user %d: %w", id, err)
		}
		const qCodes = `INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`
		if _, err := tx.Exec(ctx, qCodes, id, recovery); err != nil {
			return fmt.Errorf("store recovery codes of user %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionTOTPOn,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name})
	})
}

// DisableTOTP switches the second factor of account id off, its secret and
// recovery codes deleted, and records action (the owner's ActionTOTPOff or
// an admin's ActionTOTPReset). An account without one is left alone.
func (s *Store) DisableTOTP(ctx context.Context, by defus.Actor, id int64, action defus.AuditAction) error {
	const q = `
UPDATE users SET totp_secret = NULL, totp_last_step = 0, totp_enabled_at = NULL, updated_at = $2, version = version + 1
WHERE id = $1`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if u.TOTPOn == nil {
			return nil
		}
		if _, err := tx.Exec(ctx, q, id, s.now()); err != nil {
			return fmt.Errorf("disable second factor of user %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1`, id); err != nil {
			return fmt.Errorf("delete recovery codes of user %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: action,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name})
	})
}

// CheckTOTPCode asks check whether a code fits the sealed secret of account
// id and its last used step, and when it does, records the code's step so
// that it is never accepted again. The account's row is locked meanwhile:
// two requests with the same code cannot both succeed. An account without
// a second factor gives false.
func (s *Store) CheckTOTPCode(ctx context.Context, id int64, check func(sealed []byte, lastStep int64) (step int64, ok bool)) (bool, error) {
	var ok bool
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		var sealed []byte
		var last int64
		const q = `SELECT totp_secret, totp_last_step FROM users WHERE id = $1 AND totp_enabled_at IS NOT NULL FOR UPDATE`
		if err := tx.QueryRow(ctx, q, id).Scan(&sealed, &last); err != nil {
			return notFound(err, fmt.Sprintf("second factor of user %d", id))
		}
		var step int64
		if step, ok = check(sealed, last); !ok {
			return nil
		}
		_, err := tx.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1`, id, step)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("check second factor: %w", err)
	}
	return ok, nil
}

// UseRecoveryCode uses the recovery code of account id whose hash is hash:
// it is deleted, and its use recorded. It reports whether there was such a
// code and how many are left.
func (s *Store) UseRecoveryCode(ctx context.Context, id int64, hash []byte, requestID string) (ok bool, left int, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM recovery_codes WHERE user_id = $1 AND code_hash = $2`, id, hash)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		ok = true
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM recovery_codes WHERE user_id = $1`, id).Scan(&left); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("recovery_codes_left", nil, left)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: u.Actor(requestID), Action: defus.ActionRecoveryUsed,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name, Changes: changes})
	})
	if err != nil {
		return false, 0, fmt.Errorf("use recovery code: %w", err)
	}
	return ok, left, nil
}
