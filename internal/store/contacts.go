package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// FindContact returns a contact person of the member with memberID; a
// contact of another member is not found.
func (s *Store) FindContact(ctx context.Context, memberID, id int64) (*defus.Contact, error) {
	const q = `SELECT ` + contactColumns + ` FROM member_contacts WHERE id = $1 AND member_id = $2`
	c, err := scanContact(s.pool.QueryRow(ctx, q, id, memberID))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find contact %d of member %d", id, memberID))
	}
	return &c, nil
}

// lockMemberForContacts locks the member's row, so that changes to its
// contacts' order happen one after the other, and returns its short name.
// The member's profile changes with its contacts, so its updated_at (the
// sitemap's lastmod) moves too; its version, which guards the member form,
// does not.
func (s *Store) lockMemberForContacts(ctx context.Context, tx pgx.Tx, memberID int64) (string, error) {
	var name string
	const q = `UPDATE members SET updated_at = $2 WHERE id = $1 RETURNING short_name`
	err := tx.QueryRow(ctx, q, memberID, s.now()).Scan(&name)
	if err != nil {
		return "", notFound(err, fmt.Sprintf("lock member %d", memberID))
	}
	return name, nil
}

// contactLabel names a contact in the audit log: "Anna Muster (Köln)".
func contactLabel(name, member string) string { return name + " (" + member + ")" }

// contactChanges lists what differs between old and c. E-mail address and
// phone number are personal data: the log records that they changed, not
// what they are.
func contactChanges(old, c *defus.Contact) defus.Changes {
	changes := defus.Changes{}
	changes.Set("name", old.Name, c.Name)
	changes.Set("function", old.Function, c.Function)
	changes.SetWithheld("email", old.Email, c.Email)
	changes.SetWithheld("phone", old.Phone, c.Phone)
	changes.Set("public", old.Public, c.Public)
	return changes
}

// CreateContact adds a contact person at the end of its member's list
// (c.MemberID) and records it in the audit log. An unknown member gives
// defus.ErrNotFound.
func (s *Store) CreateContact(ctx context.Context, by defus.Actor, c *defus.Contact) error {
	const q = `
INSERT INTO member_contacts (member_id, position, name, function, email, phone, public, created_at, updated_at)
SELECT $1, COALESCE(max(position), 0) + 1, $2, $3, $4, $5, $6, $7, $7
FROM member_contacts WHERE member_id = $1
RETURNING id, position, updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		member, err := s.lockMemberForContacts(ctx, tx, c.MemberID)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, q, c.MemberID, c.Name, c.Function, c.Email, c.Phone, c.Public, s.now()).
			Scan(&c.ID, &c.Position, &c.UpdatedAt, &c.Version)
		if err != nil {
			return fmt.Errorf("create contact of member %d: %w", c.MemberID, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate, Entity: defus.EntityContact,
			EntityID: c.ID, EntityLabel: contactLabel(c.Name, member), Changes: contactChanges(&defus.Contact{}, c)})
	})
}

// lockContact reads a contact of a member for change, locking its row; a
// version other than version gives defus.ErrConflict.
func lockContact(ctx context.Context, tx pgx.Tx, memberID, id int64, version int) (defus.Contact, error) {
	const q = `SELECT ` + contactColumns + ` FROM member_contacts WHERE id = $1 AND member_id = $2 FOR UPDATE`
	c, err := scanContact(tx.QueryRow(ctx, q, id, memberID))
	if err != nil {
		return c, notFound(err, fmt.Sprintf("lock contact %d of member %d", id, memberID))
	}
	if c.Version != version {
		return c, fmt.Errorf("contact %d: %w", id, defus.ErrConflict)
	}
	return c, nil
}

// UpdateContact saves c if nobody changed it since version c.Version was
// read; otherwise it returns defus.ErrConflict and the contact as it is now.
func (s *Store) UpdateContact(ctx context.Context, by defus.Actor, c *defus.Contact) (current *defus.Contact, err error) {
	const q = `
UPDATE member_contacts
SET name = $2, function = $3, email = $4, phone = $5, public = $6, updated_at = $7, version = version + 1
WHERE id = $1
RETURNING position, updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		member, err := s.lockMemberForContacts(ctx, tx, c.MemberID)
		if err != nil {
			return err
		}
		old, err := lockContact(ctx, tx, c.MemberID, c.ID, c.Version)
		if err != nil {
			current = &old
			return err
		}
		if err := tx.QueryRow(ctx, q, c.ID, c.Name, c.Function, c.Email, c.Phone, c.Public, s.now()).Scan(&c.Position, &c.UpdatedAt, &c.Version); err != nil {
			return fmt.Errorf("update contact %d: %w", c.ID, err)
		}
		changes := contactChanges(&old, c)
		if len(changes) == 0 {
			return nil
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate, Entity: defus.EntityContact,
			EntityID: c.ID, EntityLabel: contactLabel(c.Name, member), Changes: changes})
	})
	return current, err
}

// renumberContacts gives the member's contacts the positions 1, 2, … in the
// order of ids.
func (s *Store) renumberContacts(ctx context.Context, tx pgx.Tx, ids []int64) error {
	const q = `
UPDATE member_contacts c
SET position = u.pos, updated_at = $2
FROM unnest($1::bigint[]) WITH ORDINALITY AS u(id, pos)
WHERE c.id = u.id AND c.position <> u.pos`
	_, err := tx.Exec(ctx, q, ids, s.now())
	return err
}

// contactIDs lists the ids of the member's contacts in order, locking them.
func contactIDs(ctx context.Context, tx pgx.Tx, memberID int64) ([]int64, error) {
	const q = `SELECT id FROM member_contacts WHERE member_id = $1 ORDER BY position, id FOR UPDATE`
	rows, err := tx.Query(ctx, q, memberID)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// DeleteContact removes a contact of a member at version and closes the gap
// in the order.
func (s *Store) DeleteContact(ctx context.Context, by defus.Actor, memberID, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, member, err := s.removeContact(ctx, tx, memberID, id, version)
		if err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete, Entity: defus.EntityContact,
			EntityID: id, EntityLabel: contactLabel(old.Name, member)})
	})
}

// removeContact deletes a contact of a member at version and renumbers the
// others; it returns the contact and the member's short name.
func (s *Store) removeContact(ctx context.Context, tx pgx.Tx, memberID, id int64, version int) (defus.Contact, string, error) {
	member, err := s.lockMemberForContacts(ctx, tx, memberID)
	if err != nil {
		return defus.Contact{}, "", err
	}
	old, err := lockContact(ctx, tx, memberID, id, version)
	if err != nil {
		return old, member, err
	}
	if _, err := tx.Exec(ctx, `DELETE FROM member_contacts WHERE id = $1`, id); err != nil {
		return old, member, fmt.Errorf("delete contact %d: %w", id, err)
	}
	ids, err := contactIDs(ctx, tx, memberID)
	if err == nil {
		err = s.renumberContacts(ctx, tx, ids)
	}
	if err != nil {
		return old, member, fmt.Errorf("delete contact %d: renumber: %w", id, err)
	}
	return old, member, nil
}

// MoveContact moves a contact of a member one place up (by -1) or down
// (by +1) in the member's list, renumbering the whole list in one
// transaction. Moving the first up or the last down changes nothing.
func (s *Store) MoveContact(ctx context.Context, by defus.Actor, memberID, id int64, step int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		member, err := s.lockMemberForContacts(ctx, tx, memberID)
		if err != nil {
			return err
		}
		ids, err := contactIDs(ctx, tx, memberID)
		if err != nil {
			return fmt.Errorf("move contact %d: %w", id, err)
		}
		i := slices.Index(ids, id)
		if i < 0 {
			return fmt.Errorf("move contact %d of member %d: %w", id, memberID, defus.ErrNotFound)
		}
		j := i + step
		if j < 0 || j >= len(ids) || step == 0 {
			return nil
		}
		ids[i], ids[j] = ids[j], ids[i]
		if err := s.renumberContacts(ctx, tx, ids); err != nil {
			return fmt.Errorf("move contact %d: %w", id, err)
		}
		var name string
		if err := tx.QueryRow(ctx, `SELECT name FROM member_contacts WHERE id = $1`, id).Scan(&name); err != nil {
			return fmt.Errorf("move contact %d: %w", id, err)
		}
		changes := defus.Changes{}
		changes.Set("position", i+1, j+1)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate, Entity: defus.EntityContact,
			EntityID: id, EntityLabel: contactLabel(name, member), Changes: changes})
	})
}
