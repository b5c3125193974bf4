package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// slugTable names, for a kind of record with a public address (by its audit
// entity name), its table and the table of its old slugs.
type slugTable struct {
	records, redirects, fk string
}

var slugTables = map[string]slugTable{
	defus.EntityEvent:   {"events", "event_slug_redirects", "event_id"},
	defus.EntityMember:  {"members", "member_slug_redirects", "member_id"},
	defus.EntityTopic:   {"topics", "topic_slug_redirects", "topic_id"},
	defus.EntityPage:    {"pages", "page_slug_redirects", "page_id"},
	defus.EntityArticle: {"articles", "article_slug_redirects", "article_id"},
}

func slugTableOf(kind string) slugTable {
	t, ok := slugTables[kind]
	if !ok {
		panic("store: no slug redirects for " + kind)
	}
	return t
}

// FindSlugRedirect returns the slug now of the published record of kind
// (defus.EntityEvent, EntityMember, EntityTopic or EntityPage) that once
// had slug, or defus.ErrNotFound. Callers ask only after the slug found no
// record of its own: a record that has the slug now wins.
func (s *Store) FindSlugRedirect(ctx context.Context, kind, slug string) (string, error) {
	t := slugTableOf(kind)
	q := `
SELECT x.slug
FROM ` + t.redirects + ` r
JOIN ` + t.records + ` x ON x.id = r.` + t.fk + `
WHERE r.slug = $1 AND x.published`
	var now string
	if err := s.pool.QueryRow(ctx, q, slug).Scan(&now); err != nil {
		return "", notFound(err, fmt.Sprintf("find %s redirect %s", kind, slug))
	}
	return now, nil
}

// claimSlug takes slug for a record of kind that gets it now: an old
// address of another record gives way.
func claimSlug(ctx context.Context, tx pgx.Tx, kind, slug string) error {
	t := slugTableOf(kind)
	if _, err := tx.Exec(ctx, `DELETE FROM `+t.redirects+` WHERE slug = $1`, slug); err != nil {
		return fmt.Errorf("claim %s slug %s: %w", kind, slug, err)
	}
	return nil
}

// moveSlug records that record id of kind moved from slug old to slug now,
// so that the old address leads to the new one for as long as the record
// exists (the row goes with it, ON DELETE CASCADE).
func moveSlug(ctx context.Context, tx pgx.Tx, kind string, id int64, old, now string) error {
	if old == now {
		return nil
	}
	if err := claimSlug(ctx, tx, kind, now); err != nil {
		return err
	}
	t := slugTableOf(kind)
	q := `
INSERT INTO ` + t.redirects + ` (slug, ` + t.fk + `) VALUES ($1, $2)
ON CONFLICT (slug) DO UPDATE SET ` + t.fk + ` = EXCLUDED.` + t.fk
	if _, err := tx.Exec(ctx, q, old, id); err != nil {
		return fmt.Errorf("move %s %d from %s to %s: %w", kind, id, old, now, err)
	}
	return nil
}
