package store

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// mediaColumns are the columns of a file without its content, plus the
// members that show it as logo (id, slug and name, in directory order) and
// whether it is the association's logo.
const mediaColumns = `m.id, m.name, m.content_type, m.size, m.sha256, m.alt_text,
       COALESCE(m.width, 0), COALESCE(m.height, 0), m.created_by, m.created_at, m.updated_at, m.version, m.undecodable,
       COALESCE((SELECT json_agg(json_build_object('ID', mb.id, 'Slug', mb.slug, 'Name', mb.name) ORDER BY mb.short_name)
                 FROM members mb WHERE mb.logo_media_id = m.id), '[]'),
       EXISTS (SELECT FROM association a WHERE a.logo_media_id = m.id)`

func mediaFields(m *defus.Media) []any {
	return []any{&m.ID, &m.Name, &m.ContentType, &m.Size, &m.SHA256, &m.AltText,
		&m.Width, &m.Height, &m.CreatedBy, &m.CreatedAt, &m.UpdatedAt, &m.Version, &m.Undecodable, &m.LogoOf, &m.SiteLogo}
}

// CreateMedia stores an uploaded file with its variants (pictures) and
// records the upload in the audit log; the caller has checked its type and
// size with defus.CheckMediaFile and decoded a picture to make the variants.
func (s *Store) CreateMedia(ctx context.Context, by defus.Actor, m *defus.Media) error {
	return s.inTx(ctx, func(tx pgx.Tx) error { return s.createMedia(ctx, tx, by, m) })
}

// createMedia is CreateMedia in tx; it stores m's icons too.
func (s *Store) createMedia(ctx context.Context, tx pgx.Tx, by defus.Actor, m *defus.Media) error {
	const q = `
INSERT INTO media (name, content_type, size, sha256, data, alt_text, width, height, created_by, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, NULLIF($7, 0), NULLIF($8, 0), $9, $10, $10)
RETURNING id, created_at, updated_at, version`
	sum := sha256.Sum256(m.Data)
	m.SHA256 = hex.EncodeToString(sum[:])
	m.Size = len(m.Data)
	if by.ID != 0 {
		m.CreatedBy = &by.ID
	}
	err := tx.QueryRow(ctx, q, m.Name, m.ContentType, m.Size, m.SHA256, m.Data, m.AltText, m.Width, m.Height, m.CreatedBy, s.now()).
		Scan(&m.ID, &m.CreatedAt, &m.UpdatedAt, &m.Version)
	if err != nil {
		return fmt.Errorf("create media %s: %w", m.Name, err)
	}
	if err := insertVariants(ctx, tx, m.ID, m.Variants); err != nil {
		return err
	}
	if err := insertIcons(ctx, tx, m.ID, m.Icons); err != nil {
		return err
	}
	changes := defus.Changes{}
	changes.Set("name", nil, m.Name)
	changes.Set("content_type", nil, m.TypeLabel())
	changes.Set("size", nil, defus.FormatBytes(int64(m.Size)))
	changes.Set("alt_text", nil, m.AltText)
	return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
		Entity: defus.EntityMedia, EntityID: m.ID, EntityLabel: m.Name, Changes: changes})
}

// FindMedia returns one file with its content and where it is used.
func (s *Store) FindMedia(ctx context.Context, id int64) (*defus.Media, error) {
	const q = `SELECT ` + mediaColumns + `, m.data FROM media m WHERE m.id = $1`
	var m defus.Media
	if err := s.pool.QueryRow(ctx, q, id).Scan(append(mediaFields(&m), &m.Data)...); err != nil {
		return nil, notFound(err, fmt.Sprintf("find media %d", id))
	}
	return &m, nil
}

// FindMediaInfo returns one file without its content, and where it is used.
func (s *Store) FindMediaInfo(ctx context.Context, id int64) (*defus.Media, error) {
	const q = `SELECT ` + mediaColumns + ` FROM media m WHERE m.id = $1`
	var m defus.Media
	if err := s.pool.QueryRow(ctx, q, id).Scan(mediaFields(&m)...); err != nil {
		return nil, notFound(err, fmt.Sprintf("find media %d", id))
	}
	return &m, nil
}

// FindMediaList lists files newest first, without their content, and how
// many match in all.
func (s *Store) FindMediaList(ctx context.Context, f defus.MediaFilter) ([]defus.Media, int, error) {
	var w where
	if f.Query != "" {
		w.addFolded(f.Query, "m.name")
	}
	switch f.Kind {
	case defus.MediaImages:
		w.addRaw("m.content_type LIKE 'image/%'")
	case defus.MediaDocuments:
		w.addRaw("m.content_type NOT LIKE 'image/%'")
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
SELECT ` + mediaColumns + `, count(*) OVER ()
FROM media m
` + w.String() + `
ORDER BY m.created_at DESC, m.id DESC
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find media list: %w", err)
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Media, error) {
		var m defus.Media
		err := r.Scan(append(mediaFields(&m), &total)...)
		return m, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find media list: %w", err)
	}
	return list, total, nil
}

// lockMedia reads a file (without content) for change, locking its row; a
// version other than version gives defus.ErrConflict.
func lockMedia(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.Media, error) {
	const q = `SELECT ` + mediaColumns + ` FROM media m WHERE m.id = $1 FOR UPDATE OF m`
	var m defus.Media
	if err := tx.QueryRow(ctx, q, id).Scan(mediaFields(&m)...); err != nil {
		return m, notFound(err, fmt.Sprintf("lock media %d", id))
	}
	if m.Version != version {
		return m, fmt.Errorf("media %d: %w", id, defus.ErrConflict)
	}
	return m, nil
}

// UpdateMedia saves a file's name and alternative text if nobody changed it
// since version m.Version was read; otherwise it returns defus.ErrConflict
// and the file as it is now. The content never changes: a new file is a new
// upload.
func (s *Store) UpdateMedia(ctx context.Context, by defus.Actor, m *defus.Media) (current *defus.Media, err error) {
	const q = `
UPDATE media
SET name = $2, alt_text = $3, updated_at = $4, version = version + 1
WHERE id = $1
RETURNING updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockMedia(ctx, tx, m.ID, m.Version)
		if err != nil {
			current = &old
			return err
		}
		if err := tx.QueryRow(ctx, q, m.ID, m.Name, m.AltText, s.now()).Scan(&m.UpdatedAt, &m.Version); err != nil {
			return fmt.Errorf("update media %d: %w", m.ID, err)
		}
		changes := defus.Changes{}
		changes.Set("name", old.Name, m.Name)
		changes.Set("alt_text", old.AltText, m.AltText)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityMedia, EntityID: m.ID, EntityLabel: m.Name, Changes: changes})
	})
	return current, err
}

// DeleteMedia removes a file at version; members using it as logo lose the
// logo (the foreign key sets it to NULL), and the audit entry names them.
func (s *Store) DeleteMedia(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockMedia(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM media WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete media %d: %w", id, err)
		}
		changes := defus.Changes{}
		if len(old.LogoOf) > 0 {
			var names []string
			for _, mb := range old.LogoOf {
				names = append(names, mb.Name)
			}
			changes.Set("logo_of", strings.Join(names, ", "), nil)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityMedia, EntityID: id, EntityLabel: old.Name, Changes: changes})
	})
}

// insertVariants stores a picture's variants; one that exists already (made
// by another request at the same time) is kept.
func insertVariants(ctx context.Context, tx pgx.Tx, mediaID int64, vs []defus.MediaVariant) error {
	const q = `
INSERT INTO media_variants (media_id, box, content_type, width, height, sha256, data)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (media_id, box) DO NOTHING`
	for _, v := range vs {
		if _, err := tx.Exec(ctx, q, mediaID, v.Box.String(), v.ContentType, v.Width, v.Height, v.SHA256, v.Data); err != nil {
			return fmt.Errorf("insert variant %s of media %d: %w", v.Box, mediaID, err)
		}
	}
	return nil
}

func insertIcons(ctx context.Context, tx pgx.Tx, mediaID int64, icons []defus.MediaIcon) error {
	const q = `INSERT INTO media_icons (media_id, size, sha256, data) VALUES ($1, $2, $3, $4)`
	for _, ic := range icons {
		if _, err := tx.Exec(ctx, q, mediaID, ic.Size, ic.SHA256, ic.Data); err != nil {
			return fmt.Errorf("insert icon %d of media %d: %w", ic.Size, mediaID, err)
		}
	}
	return nil
}

// FindMediaIcon returns the icon of a size made from picture id.
func (s *Store) FindMediaIcon(ctx context.Context, id int64, size int) (*defus.MediaIcon, error) {
	const q = `SELECT size, sha256, data FROM media_icons WHERE media_id = $1 AND size = $2`
	var ic defus.MediaIcon
	if err := s.pool.QueryRow(ctx, q, id, size).Scan(&ic.Size, &ic.SHA256, &ic.Data); err != nil {
		return nil, notFound(err, fmt.Sprintf("find icon %d of media %d", size, id))
	}
	return &ic, nil
}

// FindMediaVariant returns a file (without its content) and its variant
// for box b, or a nil variant when none is stored (yet).
func (s *Store) FindMediaVariant(ctx context.Context, id int64, b defus.Box) (*defus.Media, *defus.MediaVariant, error) {
	const q = `
SELECT m.id, m.name, m.content_type, COALESCE(m.width, 0), COALESCE(m.height, 0), m.undecodable,
       v.content_type, v.width, v.height, v.sha256, v.data
FROM media m
LEFT JOIN media_variants v ON v.media_id = m.id AND v.box = $2
WHERE m.id = $1`
	var (
		m    defus.Media
		ct   *string
		w, h *int
		sum  *string
		data []byte
	)
	err := s.pool.QueryRow(ctx, q, id, b.String()).
		Scan(&m.ID, &m.Name, &m.ContentType, &m.Width, &m.Height, &m.Undecodable, &ct, &w, &h, &sum, &data)
	if err != nil {
		return nil, nil, notFound(err, fmt.Sprintf("find variant %s of media %d", b, id))
	}
	if ct == nil {
		return &m, nil, nil
	}
	return &m, &defus.MediaVariant{Box: b, ContentType: *ct, Width: *w, Height: *h, SHA256: *sum, Data: data}, nil
}

// SaveMediaVariants stores the variants of a picture stored before uploads
// were decoded, and its size as decoded (shown) then. Variants are derived
// data: the file's version, time and audit log stay as they are.
func (s *Store) SaveMediaVariants(ctx context.Context, id int64, width, height int, vs []defus.MediaVariant) error {
	const q = `UPDATE media SET width = $2, height = $3 WHERE id = $1 AND content_type LIKE 'image/%'`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, q, id, width, height)
		if err != nil {
			return fmt.Errorf("save size of media %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return fmt.Errorf("save variants of media %d: %w", id, defus.ErrNotFound)
		}
		return insertVariants(ctx, tx, id, vs)
	})
}

// MarkMediaUndecodable records that a stored picture does not decode, so
// that it is not decoded again for every request of a variant.
func (s *Store) MarkMediaUndecodable(ctx context.Context, id int64) error {
	const q = `UPDATE media SET undecodable = true WHERE id = $1`
	if _, err := s.pool.Exec(ctx, q, id); err != nil {
		return fmt.Errorf("mark media %d undecodable: %w", id, err)
	}
	return nil
}
