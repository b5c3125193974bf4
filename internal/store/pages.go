package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const pageColumns = `id, slug, title, summary, body, legal, published, created_at, updated_at, version`

func scanPage(row pgx.Row) (defus.Page, error) {
	var p defus.Page
	err := row.Scan(&p.ID, &p.Slug, &p.Title, &p.Summary, &p.Body, &p.Legal, &p.Published, &p.CreatedAt, &p.UpdatedAt, &p.Version)
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

// FindAssociation returns the association's own record (name, founding, office).
func (s *Store) FindAssociation(ctx context.Context) (*defus.Association, error) {
	const q = `
SELECT name, short_name, founded_on, founded_place, street, postcode, city, phone, email
FROM association
WHERE id = 1`
	var a defus.Association
	err := s.pool.QueryRow(ctx, q).Scan(&a.Name, &a.ShortName, &a.FoundedOn, &a.FoundedPlace,
		&a.Street, &a.Postcode, &a.City, &a.Phone, &a.Email)
	if err != nil {
		return nil, notFound(err, "find association")
	}
	return &a, nil
}
