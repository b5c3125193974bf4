package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// CreateMedia stores an uploaded file; the caller has checked its type and
// size with defus.DetectMediaType and defus.MaxBytesFor.
func (s *Store) CreateMedia(ctx context.Context, m *defus.Media) error {
	const q = `
INSERT INTO media (name, content_type, size, sha256, data, alt_text, created_by)
VALUES ($1, $2, $3, $4, $5, $6, $7)
RETURNING id, created_at, updated_at, version`
	sum := sha256.Sum256(m.Data)
	m.SHA256 = hex.EncodeToString(sum[:])
	m.Size = len(m.Data)
	err := s.pool.QueryRow(ctx, q, m.Name, m.ContentType, m.Size, m.SHA256, m.Data, m.AltText, m.CreatedBy).
		Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	if err != nil {
		return fmt.Errorf("create media %s: %w", m.Name, err)
	}
	return nil
}

// FindMedia returns one file with its content.
func (s *Store) FindMedia(ctx context.Context, id int64) (*defus.Media, error) {
	const q = `
SELECT id, name, content_type, size, sha256, data, alt_text, created_by, created_at, updated_at, version
FROM media
WHERE id = $1`
	var m defus.Media
	err := s.pool.QueryRow(ctx, q, id).Scan(&m.ID, &m.Name, &m.ContentType, &m.Size, &m.SHA256, &m.Data,
		&m.AltText, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find media %d", id))
	}
	return &m, nil
}

// FindMediaList lists the files newest first, without their content.
func (s *Store) FindMediaList(ctx context.Context) ([]defus.Media, error) {
	const q = `
SELECT id, name, content_type, size, sha256, alt_text, created_by, created_at, updated_at, version
FROM media
ORDER BY created_at DESC, id DESC`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find media list: %w", err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Media, error) {
		var m defus.Media
		err := r.Scan(&m.ID, &m.Name, &m.ContentType, &m.Size, &m.SHA256, &m.AltText, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.Version)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("find media list: %w", err)
	}
	return list, nil
}

// DeleteMedia removes a file; members using it as logo lose the logo.
func (s *Store) DeleteMedia(ctx context.Context, id int64) error {
	tag, err := s.pool.Exec(ctx, `DELETE FROM media WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("delete media %d: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("delete media %d: %w", id, defus.ErrNotFound)
	}
	return nil
}
