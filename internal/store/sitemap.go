package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// SitemapEntry is a published record's address part and last change.
type SitemapEntry struct {
	Kind      string // "member", "topic", "event"
	Slug      string
	UpdatedAt time.Time
}

// FindSitemapEntries lists the slugs and times of the published members
// (by address: sorting thousands by short name in German collation cost
// more than the rest of the query), topics (in their order) and events
// (oldest first): all the sitemap prints of them, and nothing more.
func (s *Store) FindSitemapEntries(ctx context.Context) ([]SitemapEntry, error) {
	const q = `
(SELECT 'member', m.slug, m.updated_at FROM members m WHERE m.published ORDER BY m.slug)
UNION ALL
(SELECT 'topic', t.slug, t.updated_at FROM topics t WHERE t.published ORDER BY ` + topicOrder + `)
UNION ALL
(SELECT 'event', e.slug, e.updated_at FROM events e WHERE e.published ORDER BY e.starts_at, e.ends_at, e.id)`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find sitemap entries: %w", err)
	}
	entries, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (SitemapEntry, error) {
		var e SitemapEntry
		err := r.Scan(&e.Kind, &e.Slug, &e.UpdatedAt)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("find sitemap entries: %w", err)
	}
	return entries, nil
}
