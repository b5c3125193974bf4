package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const associationColumns = `name, short_name, founded_on, founded_place, street, postcode, city, phone, email, updated_at, version`

func scanAssociation(row pgx.Row) (defus.Association, error) {
	var a defus.Association
	err := row.Scan(&a.Name, &a.ShortName, &a.FoundedOn, &a.FoundedPlace,
		&a.Street, &a.Postcode, &a.City, &a.Phone, &a.Email, &a.UpdatedAt, &a.Version)
	a.FoundedOn = time.Date(a.FoundedOn.Year(), a.FoundedOn.Month(), a.FoundedOn.Day(), 0, 0, 0, 0, defus.Berlin)
	return a, err
}

// FindAssociation returns the association's own record (name, founding, office).
func (s *Store) FindAssociation(ctx context.Context) (*defus.Association, error) {
	const q = `SELECT ` + associationColumns + ` FROM association WHERE id = 1`
	a, err := scanAssociation(s.pool.QueryRow(ctx, q))
	if err != nil {
		return nil, notFound(err, "find association")
	}
	return &a, nil
}

// CreateAssociation stores the association's record where there is none
// yet (the seed makes it) and records it in the audit log. It fills
// a.UpdatedAt and a.Version.
func (s *Store) CreateAssociation(ctx context.Context, by defus.Actor, a *defus.Association) error {
	const q = `
INSERT INTO association (id, name, short_name, founded_on, founded_place, street, postcode, city, phone, email,
                         created_at, updated_at)
VALUES (1, $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)
RETURNING updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, a.Name, a.ShortName, a.FoundedOn.Format("2006-01-02"), a.FoundedPlace, a.Street,
			a.Postcode, a.City, a.Phone, a.Email, s.now()).Scan(&a.UpdatedAt, &a.Version)
		if err != nil {
			return fmt.Errorf("create association: %w", err)
		}
		changes := defus.Changes{}
		changes.Set("name", nil, a.Name)
		changes.Set("founded_on", nil, defus.FormatDate(a.FoundedOn))
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityAssociation, EntityID: 1, EntityLabel: a.ShortName, Changes: changes})
	})
}

// UpdateAssociation saves the association's record if nobody changed it
// since version a.Version was read; otherwise it returns defus.ErrConflict
// and the record as it is now.
func (s *Store) UpdateAssociation(ctx context.Context, by defus.Actor, a *defus.Association) (current *defus.Association, err error) {
	const lock = `SELECT ` + associationColumns + ` FROM association WHERE id = 1 FOR UPDATE`
	const q = `
UPDATE association
SET name = $1, short_name = $2, founded_on = $3, founded_place = $4, street = $5, postcode = $6,
    city = $7, phone = $8, email = $9, updated_at = $10, version = version + 1
WHERE id = 1
RETURNING updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := scanAssociation(tx.QueryRow(ctx, lock))
		if err != nil {
			return notFound(err, "lock association")
		}
		if old.Version != a.Version {
			current = &old
			return fmt.Errorf("update association: %w", defus.ErrConflict)
		}
		err = tx.QueryRow(ctx, q, a.Name, a.ShortName, a.FoundedOn.Format("2006-01-02"), a.FoundedPlace, a.Street,
			a.Postcode, a.City, a.Phone, a.Email, s.now()).Scan(&a.UpdatedAt, &a.Version)
		if err != nil {
			return fmt.Errorf("update association: %w", err)
		}
		if err := s.touchCalendar(ctx, tx); err != nil { // the ORGANIZER of every event
			return err
		}
		changes := defus.Changes{}
		changes.Set("name", old.Name, a.Name)
		changes.Set("short_name", old.ShortName, a.ShortName)
		changes.Set("founded_on", defus.FormatDate(old.FoundedOn), defus.FormatDate(a.FoundedOn))
		changes.Set("founded_place", old.FoundedPlace, a.FoundedPlace)
		changes.Set("street", old.Street, a.Street)
		changes.Set("postcode", old.Postcode, a.Postcode)
		changes.Set("city", old.City, a.City)
		changes.Set("phone", old.Phone, a.Phone)
		changes.Set("email", old.Email, a.Email)
		if len(changes) == 0 {
			return nil
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityAssociation, EntityID: 1, EntityLabel: a.ShortName, Changes: changes})
	})
	return current, err
}
