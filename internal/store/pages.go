package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
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

// FindPagesAdmin lists pages for the office, drafts included, by title, and
// how many match in all.
func (s *Store) FindPagesAdmin(ctx context.Context, f defus.ListFilter) ([]defus.Page, int, error) {
	var w where
	if f.Query != "" {
		w.addFolded(f.Query, "title", "slug")
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

// CreatePage stores a new page. p.Required marks a page the site needs
// (see defus.Page); only the seed makes such pages, forms never set it.
func (s *Store) CreatePage(ctx context.Context, by defus.Actor, p *defus.Page) error {
	const q = `
INSERT INTO pages (slug, title, summary, body, required, published, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $7)
RETURNING id, created_at, updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, p.Slug, p.Title, p.Summary, p.Body, p.Required, p.Published, s.now()).Scan(&p.ID, &p.CreatedAt, &p.UpdatedAt, &p.Version)
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
// otherwise it returns defus.ErrConflict and the page as it is now.
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
			return fmt.Errorf("update page %d: %w", p.ID, defus.FieldErrors{"published": defus.MsgRequiredPublished})
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

// DeletePage removes a page at version; a required page is refused with a
// field error on "required" (defus.MsgRequiredPage).
func (s *Store) DeletePage(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockPage(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if old.Required {
			return fmt.Errorf("delete page %d: %w", id, defus.FieldErrors{"required": defus.MsgRequiredPage})
		}
		if _, err := tx.Exec(ctx, `DELETE FROM pages WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete page %d: %w", id, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityPage, EntityID: id, EntityLabel: old.Title})
	})
}
