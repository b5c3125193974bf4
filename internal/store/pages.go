package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
	"defus.de/portal/internal/postgres"
)

const pageColumns = `id, slug, title, summary, body, required, published, created_at, updated_at, version`

func scanPage(row pgx.Row) (defus.Page, error) {
	var p defus.Page
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Required, &p.Published, &p.CreatedAt, &p.UpdatedAt, &p.Version)
	return p, err
}

// FindPage returns one published page.
func (s *Store) FindPage(ctx context.Context, slug string) (*defus.Page, error) {
	const q = `SELECT ` + pageColumns + ` FROM pages WHERE slug = $1 AND published`
	p, err := scanPage(s.pool.QueryRow(ctx, q, slug))
	if err != nil {
		return nil, notFound(err, "find page "+slug)
	}
	return &p, nil
}

// FindPages lists the published pages by slug.
func (s *Store) FindPages(ctx context.Context) ([]defus.Page, error) {
	const q = `SELECT ` + pageColumns + ` FROM pages WHERE published ORDER BY slug`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find pages: %w", err)
	}
	pages, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Page, error) { return scanPage(r) })
	if err != nil {
		return nil, fmt.Errorf("find pages: %w", err)
	}
	return pages, nil
}

const associationColumns = `a.name, a.short_name, a.founded_on, a.founded_place, a.street, a.postcode, a.city, a.phone, a.email,
       a.logo_media_id, a.updated_at, a.version`

// scanAssociation reads associationColumns and then more.
func scanAssociation(row pgx.Row, more ...any) (defus.Association, error) {
	var a defus.Association
	err := row.Scan(append([]any{&a.Name, &a.ShortName, &a.FoundedOn, &a.FoundedPlace,
		&a.Street, &a.Postcode, &a.City, &a.Phone, &a.Email, &a.LogoMediaID, &a.UpdatedAt, &a.Version}, more...)...)
	a.FoundedOn = time.Date(a.FoundedOn.Year(), a.FoundedOn.Month(), a.FoundedOn.Day(), 0, 0, 0, 0, defus.Berlin)
	return a, err
}

// FindAssociation returns the association's own record (name, founding,
// office) with its logo. The layout of every page shows it, so it is one
// query: a primary-key lookup of a one-row table and of the logo's record.
func (s *Store) FindAssociation(ctx context.Context) (*defus.Association, error) {
	const q = `
SELECT ` + associationColumns + `,
       m.id, m.name, m.content_type, m.alt_text, COALESCE(m.width, 0), COALESCE(m.height, 0)
FROM association a
LEFT JOIN media m ON m.id = a.logo_media_id
WHERE a.id = 1`
	var logo struct {
		ID                         *int64
		Name, ContentType, AltText *string
		Width, Height              *int
	}
	a, err := scanAssociation(s.pool.QueryRow(ctx, q), &logo.ID, &logo.Name, &logo.ContentType, &logo.AltText, &logo.Width, &logo.Height)
	if err != nil {
		return nil, notFound(err, "find association")
	}
	if logo.ID != nil {
		a.Logo = &defus.Media{ID: *logo.ID, Name: *logo.Name, ContentType: *logo.ContentType, AltText: *logo.AltText,
			Width: *logo.Width, Height: *logo.Height}
	}
	return &a, nil
}

// UpdateAssociation saves the association's record if nobody changed it
// since version a.Version was read; otherwise it returns defus.ErrConflict
// and the record as it is now. The logo becomes a.LogoMediaID (nil: none);
// a.Logo without an ID is a new upload, stored in the same transaction (as
// CreateMedia does) and made the logo.
func (s *Store) UpdateAssociation(ctx context.Context, by defus.Actor, a *defus.Association) (current *defus.Association, err error) {
	const lock = `SELECT ` + associationColumns + ` FROM association a WHERE a.id = 1 FOR UPDATE`
	const q = `
UPDATE association
SET name = $1, short_name = $2, founded_on = $3, founded_place = $4, street = $5, postcode = $6,
    city = $7, phone = $8, email = $9, updated_at = $10, version = version + 1,
    logo_media_id = (SELECT id FROM media WHERE id = $11) -- deleted meanwhile: none
WHERE id = 1
RETURNING logo_media_id, updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := scanAssociation(tx.QueryRow(ctx, lock))
		if err != nil {
			return notFound(err, "lock association")
		}
		if old.Version != a.Version {
			current = &old
			return fmt.Errorf("update association: %w", defus.ErrConflict)
		}
		if a.Logo != nil && a.Logo.ID == 0 {
			if err := s.createMedia(ctx, tx, by, a.Logo); err != nil {
				return err
			}
			a.LogoMediaID = &a.Logo.ID
		}
		err = tx.QueryRow(ctx, q, a.Name, a.ShortName, a.FoundedOn.Format("2006-01-02"), a.FoundedPlace, a.Street,
			a.Postcode, a.City, a.Phone, a.Email, s.now(), a.LogoMediaID).Scan(&a.LogoMediaID, &a.UpdatedAt, &a.Version)
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
		changes.Set("logo_media_id", old.LogoMediaID, a.LogoMediaID)
		if len(changes) == 0 {
			return nil
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityAssociation, EntityID: 1, EntityLabel: a.ShortName, Changes: changes})
	})
	return current, err
}

// FindPagesAdmin lists pages for the office, drafts included, by title, and
// how many match in all.
func (s *Store) FindPagesAdmin(ctx context.Context, f defus.ListFilter) ([]defus.Page, int, error) {
	var w where
	if f.Query != "" {
		w.add("(title ILIKE ? OR slug ILIKE $"+fmt.Sprint(len(w.args)+1)+")", defus.LikePattern(f.Query))
	}
	switch f.State {
	case "published":
		w.addRaw("published")
	case "draft":
		w.addRaw("NOT published")
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
SELECT ` + pageColumns + `, count(*) OVER ()
FROM pages
` + w.String() + `
ORDER BY title COLLATE german, id
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find pages: %w", err)
	}
	total := 0
	pages, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Page, error) {
		var p defus.Page
		err := r.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Required, &p.Published, &p.CreatedAt, &p.UpdatedAt, &p.Version, &total)
		return p, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find pages: %w", err)
	}
	return pages, total, nil
}

// FindPageByID returns one page, draft or not.
func (s *Store) FindPageByID(ctx context.Context, id int64) (*defus.Page, error) {
	const q = `SELECT ` + pageColumns + ` FROM pages WHERE id = $1`
	p, err := scanPage(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find page %d", id))
	}
	return &p, nil
}

// slugError maps a unique violation on the slug to defus.ErrSlugTaken.
func slugError(err error, what string) error {
	if c, ok := postgres.IsUniqueViolation(err); ok && strings.HasSuffix(c, "_slug_key") {
		return fmt.Errorf("%s: %w", what, defus.ErrSlugTaken)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// CreatePage stores a new page. Required pages are only ever made by the seed.
func (s *Store) CreatePage(ctx context.Context, by defus.Actor, p *defus.Page) error {
	const q = `
INSERT INTO pages (slug, title, summary, body, published, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $6)
RETURNING id, created_at, updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, p.Slug, p.Title, p.Summary, p.Body, p.Published, s.now()).Scan(&p.ID, &p.CreatedAt, &p.UpdatedAt, &p.Version)
		if err != nil {
			return slugError(err, "create page "+p.Slug)
		}
		if err := claimSlug(ctx, tx, defus.EntityPage, p.Slug); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("title", nil, p.Title)
		changes.Set("slug", nil, p.Slug)
		changes.Set("published", nil, p.Published)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityPage, EntityID: p.ID, EntityLabel: p.Title, Changes: changes})
	})
}

// lockPage reads a page for change, locking its row; a version other than
// version gives defus.ErrConflict.
func lockPage(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.Page, error) {
	const q = `SELECT ` + pageColumns + ` FROM pages WHERE id = $1 FOR UPDATE`
	p, err := scanPage(tx.QueryRow(ctx, q, id))
	if err != nil {
		return p, notFound(err, fmt.Sprintf("lock page %d", id))
	}
	if p.Version != version {
		return p, fmt.Errorf("page %d: %w", id, defus.ErrConflict)
	}
	return p, nil
}

// UpdatePage saves p if nobody changed it since version p.Version was read;
// otherwise it returns defus.ErrConflict and the page as it is now. A new
// slug keeps the old address as a redirect.
func (s *Store) UpdatePage(ctx context.Context, by defus.Actor, p *defus.Page) (current *defus.Page, err error) {
	const q = `
UPDATE pages
SET slug = $2, title = $3, summary = $4, body = $5, published = $6, updated_at = $7, version = version + 1
WHERE id = $1
RETURNING updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockPage(ctx, tx, p.ID, p.Version)
		if err != nil {
			current = &old
			return err
		}
		if old.Required && (!p.Published || p.Slug != old.Slug) {
			return fmt.Errorf("update page %d: %w", p.ID, defus.ErrRequiredPage)
		}
		if err := tx.QueryRow(ctx, q, p.ID, p.Slug, p.Title, p.Summary, p.Body, p.Published, s.now()).Scan(&p.UpdatedAt, &p.Version); err != nil {
			return slugError(err, fmt.Sprintf("update page %d", p.ID))
		}
		if err := moveSlug(ctx, tx, defus.EntityPage, p.ID, old.Slug, p.Slug); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("title", old.Title, p.Title)
		changes.Set("slug", old.Slug, p.Slug)
		changes.Set("summary", old.Summary, p.Summary)
		changes.Set("body", old.Body, p.Body)
		changes.Set("published", old.Published, p.Published)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityPage, EntityID: p.ID, EntityLabel: p.Title, Changes: changes})
	})
	return current, err
}

// DeletePage removes a page at version; required pages give defus.ErrRequiredPage.
func (s *Store) DeletePage(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockPage(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if old.Required {
			return fmt.Errorf("delete page %d: %w", id, defus.ErrRequiredPage)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pages WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete page %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityPage, EntityID: id, EntityLabel: old.Title})
	})
}
