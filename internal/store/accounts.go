package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// Accounts beyond what the office types in: invitations, links sent by
// mail (invitation, password reset, e-mail confirmation) and the
// sessions of each account. A link's token is stored only as its hash
// (defus.Token); the mail carries the token until it is sent, and then
// blankAccountLinks removes it from the stored copy, so the database never
// holds a live link once the mail is out.

// blankAccountLinks is the SQL expression that replaces the tokens of the
// account links in body by "entfernt".
const blankAccountLinks = `regexp_replace(body, '/konto/(einladung|passwort-neu|e-mail)/[A-Za-z0-9_-]{43}', '/konto/\1/entfernt', 'g')`

// ErrNotInvited refuses to resend or withdraw an invitation of an account
// that has accepted it or is disabled.
var ErrNotInvited = errors.New("the account is not waiting for its invitation")

// AccountMail builds the mail of a link that expires at expires, for
// account u.
type AccountMail func(u *defus.User, expires time.Time) defus.Mail

// issueToken stores tok as the one live link of purpose for account u
// (replacing an older one) and queues its mail, in tx.
func (s *Store) issueToken(ctx context.Context, tx pgx.Tx, u *defus.User, purpose defus.TokenPurpose, tok defus.Token, newEmail string, mail AccountMail) error {
	const qDelete = `DELETE FROM account_tokens WHERE user_id = $1 AND purpose = $2`
	const qInsert = `
INSERT INTO account_tokens (token_hash, user_id, purpose, new_email, mail_id, expires_at, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)`
	now := s.now()
	expires := now.Add(purpose.Lifetime())
	if _, err := tx.Exec(ctx, qDelete, u.ID, string(purpose)); err != nil {
		return fmt.Errorf("replace %s link: %w", purpose, err)
	}
	m := mail(u, expires)
	m.UserID = &u.ID
	if err := createMail(ctx, tx, &m, now); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, qInsert, tok.Hash, u.ID, string(purpose), newEmail, m.ID, expires, now); err != nil {
		return fmt.Errorf("store %s link: %w", purpose, err)
	}
	return nil
}

// InviteUser creates u, a member's representative, as an invited account
// without a password, stores the invitation link tok and queues its mail,
// in one transaction, and records the invitation. An e-mail address in
// use is a field error on "email".
func (s *Store) InviteUser(ctx context.Context, by defus.Actor, u *defus.User, tok defus.Token, mail AccountMail) error {
	const q = `
INSERT INTO users (email, name, role, member_id, password_hash, invited_at, created_at, updated_at)
VALUES ($1, $2, 'member', $3, '', $4, $4, $4)
RETURNING id, created_at, updated_at, version, invited_at`
	u.Role, u.PasswordHash = defus.RoleMember, ""
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, u.Email, u.Name, u.MemberID, s.now()).
			Scan(&u.ID, &u.CreatedAt, &u.UpdatedAt, &u.Version, &u.InvitedAt)
		if err != nil {
			return userWriteError(err, "invite user")
		}
		if err := s.issueToken(ctx, tx, u, defus.TokenInvitation, tok, "", mail); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionInvite,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name, Changes: newUserChanges(u)})
	})
}

// ResendInvitation sends account id a new invitation link tok; the old
// link stops working. An account that is no longer invited, or is
// disabled, gets nothing: ErrNotInvited.
func (s *Store) ResendInvitation(ctx context.Context, by defus.Actor, id int64, tok defus.Token, mail AccountMail) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if u.Status() != defus.AccountInvited {
			return fmt.Errorf("resend invitation to user %d: %w", id, ErrNotInvited)
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET invited_at = $2, updated_at = $2, version = version + 1 WHERE id = $1`, id, s.now()); err != nil {
			return fmt.Errorf("resend invitation to user %d: %w", id, err)
		}
		if err := s.issueToken(ctx, tx, &u, defus.TokenInvitation, tok, "", mail); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionInviteResend,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name})
	})
}

// WithdrawInvitation deletes an invited account with its link and mails:
// the link stops working, a mail not yet sent is not sent. An account that
// has accepted its invitation is not deleted (ErrNotInvited).
func (s *Store) WithdrawInvitation(ctx context.Context, by defus.Actor, id int64) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if !u.Invited() {
			return fmt.Errorf("withdraw invitation of user %d: %w", id, ErrNotInvited)
		}
		// Links, sessions and mails go with the account (ON DELETE CASCADE).
		if _, err := tx.Exec(ctx, `DELETE FROM users WHERE id = $1`, id); err != nil {
			return fmt.Errorf("withdraw invitation of user %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionInviteWithdraw,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name})
	})
}

// FindLink returns the live link whose token has hash, for purpose, with
// its account. A link that is unknown, used, replaced, expired, of another
// purpose, or whose account is disabled (or, for an invitation, no longer
// invited) is defus.ErrNotFound.
func (s *Store) FindLink(ctx context.Context, hash []byte, purpose defus.TokenPurpose) (*defus.LinkToken, *defus.User, error) {
	return findLink(ctx, s.pool, hash, purpose, s.now(), false)
}

func findLink(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, hash []byte, purpose defus.TokenPurpose, now time.Time, lock bool) (*defus.LinkToken, *defus.User, error) {
	qToken := `SELECT user_id, new_email, expires_at FROM account_tokens WHERE token_hash = $1 AND purpose = $2`
	qUser := `SELECT ` + userColumns + ` FROM users WHERE id = $1`
	if lock {
		qToken += ` FOR UPDATE`
		qUser += ` FOR UPDATE`
	}
	t := defus.LinkToken{Purpose: purpose}
	if err := db.QueryRow(ctx, qToken, hash, string(purpose)).Scan(&t.UserID, &t.NewEmail, &t.ExpiresAt); err != nil {
		return nil, nil, notFound(err, "find "+string(purpose)+" link")
	}
	u, err := scanUser(db.QueryRow(ctx, qUser, t.UserID))
	if err != nil {
		return nil, nil, notFound(err, "find account of "+string(purpose)+" link")
	}
	switch {
	case !t.ExpiresAt.After(now), !u.Active():
		return nil, nil, fmt.Errorf("%s link: %w", purpose, defus.ErrNotFound)
	case purpose == defus.TokenInvitation && !u.Invited():
		return nil, nil, fmt.Errorf("%s link: %w", purpose, defus.ErrNotFound)
	}
	return &t, &u, nil
}

// useLink locks and deletes the live link hash of purpose (see FindLink),
// in tx: it works once.
func (s *Store) useLink(ctx context.Context, tx pgx.Tx, hash []byte, purpose defus.TokenPurpose) (*defus.LinkToken, *defus.User, error) {
	t, u, err := findLink(ctx, tx, hash, purpose, s.now(), true)
	if err != nil {
		return nil, nil, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM account_tokens WHERE token_hash = $1`, hash); err != nil {
		return nil, nil, fmt.Errorf("use %s link: %w", purpose, err)
	}
	return t, u, nil
}

// RequestPasswordReset stores the reset link tok for the active account
// with email, in any case, and queues its mail, in one transaction, and
// records the request. For an address without such an account (none, a
// disabled one, one still invited) it changes nothing (decoyReset), and
// says nothing about it: the caller answers alike either way.
func (s *Store) RequestPasswordReset(ctx context.Context, email string, tok defus.Token, mail AccountMail, requestID string) error {
	const q = `SELECT ` + userColumns + ` FROM users WHERE lower(email) = lower($1) FOR UPDATE`
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := scanUser(tx.QueryRow(ctx, q, email))
		if errors.Is(err, pgx.ErrNoRows) {
			return s.decoyReset(ctx, tx, email, mail)
		}
		if err != nil {
			return err
		}
		if u.Status() != defus.AccountActive {
			return s.decoyReset(ctx, tx, email, mail)
		}
		if err := s.issueToken(ctx, tx, &u, defus.TokenPasswordReset, tok, "", mail); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: defus.Actor{RequestID: requestID}, Action: defus.ActionResetRequest,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name})
	})
	if err != nil {
		return fmt.Errorf("request password reset: %w", err)
	}
	return nil
}

// AcceptInvitation sets the password (its hash) of the account invited by
// the link hash, which then stops working, and records it. A link that is
// not live is defus.ErrNotFound.
func (s *Store) AcceptInvitation(ctx context.Context, hash []byte, passwordHash, requestID string) (*defus.User, error) {
	return s.setPasswordByLink(ctx, hash, defus.TokenInvitation, defus.ActionInviteAccept, passwordHash, requestID)
}

// decoyReset does the work of a reset request for an address that gets no
// link, and undoes it (a savepoint): the answer takes about as long either
// way, so its timing does not tell which addresses have accounts.
func (s *Store) decoyReset(ctx context.Context, tx pgx.Tx, email string, mail AccountMail) error {
	if _, err := tx.Exec(ctx, `SAVEPOINT decoy`); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM account_tokens WHERE user_id = 0 AND purpose = $1`, string(defus.TokenPasswordReset)); err != nil {
		return err
	}
	m := mail(&defus.User{Email: email}, s.now().Add(defus.PasswordResetLifetime))
	if err := createMail(ctx, tx, &m, s.now()); err != nil {
		return err
	}
	_, err := tx.Exec(ctx, `ROLLBACK TO SAVEPOINT decoy`)
	return err
}

// ResetPassword sets the password (its hash) of the account of the reset
// link hash, which then stops working; ends every session of the account
// and its login locks, and records it, in one transaction. A link that is
// not live is defus.ErrNotFound.
func (s *Store) ResetPassword(ctx context.Context, hash []byte, passwordHash, requestID string) (*defus.User, error) {
	return s.setPasswordByLink(ctx, hash, defus.TokenPasswordReset, defus.ActionResetByLink, passwordHash, requestID)
}

// setPasswordByLink uses the link hash of purpose to set its account's
// password, ends the account's sessions and login locks, and records
// action, in one transaction.
func (s *Store) setPasswordByLink(ctx context.Context, hash []byte, purpose defus.TokenPurpose, action defus.AuditAction, passwordHash, requestID string) (*defus.User, error) {
	var user *defus.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		_, u, err := s.useLink(ctx, tx, hash, purpose)
		if err != nil {
			return err
		}
		const q = `UPDATE users SET password_hash = $2, updated_at = $3, version = version + 1 WHERE id = $1 RETURNING version`
		if err := tx.QueryRow(ctx, q, u.ID, passwordHash, s.now()).Scan(&u.Version); err != nil {
			return fmt.Errorf("set password of user %d: %w", u.ID, err)
		}
		if err := deleteLoginAttempts(ctx, tx, u.ID); err != nil {
			return err
		}
		n, err := endSessions(ctx, tx, u.ID, nil, nil)
		if err != nil {
			return err
		}
		u.PasswordHash, user = passwordHash, u
		changes := defus.Changes{}
		if n > 0 {
			changes.Set("sessions", nil, n)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: u.Actor(requestID), Action: action,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name, Changes: changes})
	})
	if err != nil {
		return nil, fmt.Errorf("set password by %s link: %w", purpose, err)
	}
	return user, nil
}

// ChangePassword sets a new password (its hash) for account id, which
// knows its old one, ends its other sessions (all but keep) and its login
// locks, and records it, in one transaction.
func (s *Store) ChangePassword(ctx context.Context, by defus.Actor, id int64, passwordHash string, keep []byte) error {
	const q = `UPDATE users SET password_hash = $2, updated_at = $3, version = version + 1 WHERE id = $1`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, q, id, passwordHash, s.now()); err != nil {
			return fmt.Errorf("change password of user %d: %w", id, err)
		}
		if err := deleteLoginAttempts(ctx, tx, id); err != nil {
			return err
		}
		n, err := endSessions(ctx, tx, id, nil, keep)
		if err != nil {
			return err
		}
		changes := defus.Changes{}
		if n > 0 {
			changes.Set("sessions", nil, n)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionPasswordChange,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name, Changes: changes})
	})
}

// RequestEmailChange stores the confirmation link tok for account id's new
// address newEmail and queues its mail (to that address), in one
// transaction, and records the request. An address another account has is
// a field error on "email".
func (s *Store) RequestEmailChange(ctx context.Context, by defus.Actor, id int64, newEmail string, tok defus.Token, mail AccountMail) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		u, err := lockUser(ctx, tx, id, 0)
		if err != nil {
			return err
		}
		if err := emailFree(ctx, tx, newEmail, id); err != nil {
			return err
		}
		if err := s.issueToken(ctx, tx, &u, defus.TokenEmailChange, tok, newEmail, mail); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionEmailRequest,
			Entity: defus.EntityUser, EntityID: id, EntityLabel: u.Name})
	})
}

// emailFree refuses an address that an account other than id has, with a
// field error on "email".
func emailFree(ctx context.Context, tx pgx.Tx, email string, id int64) error {
	var taken bool
	const q = `SELECT EXISTS (SELECT 1 FROM users WHERE lower(email) = lower($1) AND id <> $2)`
	if err := tx.QueryRow(ctx, q, email, id).Scan(&taken); err != nil {
		return fmt.Errorf("check e-mail address: %w", err)
	}
	if taken {
		return defus.FieldErrors{"email": defus.MsgEmailTaken}
	}
	return nil
}

// ConfirmEmailChange makes the new address of the confirmation link hash
// the account's address; the link stops working. notice writes the mail
// that tells the old address, queued in the same transaction. A link that
// is not live is defus.ErrNotFound; an address taken meanwhile a field
// error on "email".
func (s *Store) ConfirmEmailChange(ctx context.Context, hash []byte, requestID string, notice func(u *defus.User, newEmail string) defus.Mail) (*defus.User, error) {
	var user *defus.User
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		t, u, err := s.useLink(ctx, tx, hash, defus.TokenEmailChange)
		if err != nil {
			return err
		}
		if err := emailFree(ctx, tx, t.NewEmail, u.ID); err != nil {
			return err
		}
		const q = `UPDATE users SET email = $2, updated_at = $3, version = version + 1 WHERE id = $1 RETURNING version`
		if err := tx.QueryRow(ctx, q, u.ID, t.NewEmail, s.now()).Scan(&u.Version); err != nil {
			return userWriteError(err, fmt.Sprintf("change e-mail of user %d", u.ID))
		}
		m := notice(u, t.NewEmail)
		m.UserID = &u.ID
		if err := createMail(ctx, tx, &m, s.now()); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("email", u.Email, t.NewEmail)
		u.Email, user = t.NewEmail, u
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: u.Actor(requestID), Action: defus.ActionEmailConfirm,
			Entity: defus.EntityUser, EntityID: u.ID, EntityLabel: u.Name, Changes: changes})
	})
	if err != nil {
		return nil, fmt.Errorf("confirm e-mail change: %w", err)
	}
	return user, nil
}
