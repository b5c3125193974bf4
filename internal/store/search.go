package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// searchSources is one SELECT per kind of result over the public records
// that match the query q (a CTE with one row, column q): kind, title,
// path, second line, date, rank and the text the snippet comes from. The
// tsvector expressions are those of the GIN indexes in migration 00023.
// $1 is the store's clock (articles dated later are not found yet), $2
// whether members-only contact persons count.
const searchSources = `
SELECT 'beitraege' AS kind, a.title, '/aktuelles/' || a.slug AS path, a.kind AS context,
       a.published_at AS at, ts_rank(a.search, q.q) AS rank,
       a.lead || ' ' || a.interviewee || ' ' || a.body || ' ' || a.interview AS src
FROM articles a, q
WHERE a.search @@ q.q AND a.published AND a.published_at <= $1
UNION ALL
SELECT 'seiten', p.title, CASE WHEN p.slug = 'startseite' THEN '/' ELSE '/' || p.slug END, '',
       NULL, ts_rank(defus_tsv3(p.title, p.summary, p.body), q.q), p.summary || ' ' || p.body
FROM pages p, q
WHERE defus_tsv3(p.title, p.summary, p.body) @@ q.q AND p.published
UNION ALL
SELECT 'termine', e.title, '/termine/' || e.slug, e.city,
       e.starts_at, ts_rank(defus_tsv3(e.title, e.summary || ' ' || e.place_name || ' ' || e.city, e.description || ' ' || e.partners), q.q),
       e.summary || ' ' || e.description
FROM events e, q
WHERE defus_tsv3(e.title, e.summary || ' ' || e.place_name || ' ' || e.city, e.description || ' ' || e.partners) @@ q.q
  AND e.published
UNION ALL
SELECT 'mitglieder', m.name, '/mitglieder/' || m.slug, m.state,
       NULL, ts_rank(defus_tsv3(m.name || ' ' || m.short_name, m.state, m.description), q.q), m.description
FROM members m, q
WHERE defus_tsv3(m.name || ' ' || m.short_name, m.state, m.description) @@ q.q AND m.published
UNION ALL
SELECT 'ansprechpersonen', c.name, '/mitglieder/' || m.slug, m.short_name,
       NULL, ts_rank(defus_tsv3(c.name, c.function, ''), q.q), c.function
FROM member_contacts c JOIN members m ON m.id = c.member_id, q
WHERE defus_tsv3(c.name, c.function, '') @@ q.q AND m.published AND (c.public OR $2)
UNION ALL
SELECT 'themen', t.title, '/themen/' || t.slug, '',
       NULL, ts_rank(defus_tsv3(t.title, t.summary, t.description), q.q), t.summary || ' ' || t.description
FROM topics t, q
WHERE defus_tsv3(t.title, t.summary, t.description) @@ q.q AND t.published`

// searchCTE reads the query ($3, built by defus.SearchQuery.TSQuery of
// letters and digits only) and gathers the hits.
const searchCTE = `
WITH q AS (SELECT to_tsquery('german', defus_unaccent($3)) AS q),
hits AS (` + searchSources + `)`

// Search finds what visitors (or, with f.Members, logged-in accounts) may
// see that matches f.Query, best first: the page of hits f.Kind selects
// (all kinds when empty) with their matching passages, and how many hits
// each kind has. Drafts, scheduled articles, unpublished records and
// members-only contacts (for visitors) are never found.
func (s *Store) Search(ctx context.Context, f defus.SearchFilter) ([]defus.SearchHit, map[defus.SearchKind]int, error) {
	counts := map[defus.SearchKind]int{}
	if f.Query.Empty() {
		return nil, counts, nil
	}
	args := []any{f.Now, f.Members, f.Query.TSQuery(), string(f.Kind)}
	rows, err := s.pool.Query(ctx, searchCTE+`
SELECT kind, count(*) FROM hits GROUP BY kind`, args[:3]...)
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	type count struct {
		Kind string
		N    int
	}
	cs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[count])
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	for _, c := range cs {
		counts[defus.SearchKind(c.Kind)] = c.N
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	// The snippet is made for the page of hits only. Markdown's marks are
	// taken out of the text, and so are the characters that mark the
	// matching words (defus.SnippetStart, SnippetStop).
	q := searchCTE + `,
page AS (
    SELECT * FROM hits WHERE $4 = '' OR kind = $4
    ORDER BY rank DESC, at DESC NULLS LAST, title, path
    LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0)) + `
)
SELECT kind, title, path, context, at,
       ts_headline('german',
           regexp_replace(translate(src, E'\uE000\uE001', ''), '[*_#>` + "`" + `|]+|\]\([^)]*\)|!?\[', ' ', 'g'),
           q.q, 'StartSel=` + defus.SnippetStart + `, StopSel=` + defus.SnippetStop + `, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "')
FROM page, q
ORDER BY rank DESC, at DESC NULLS LAST, title, path`
	rows, err = s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	hits, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.SearchHit, error) {
		var h defus.SearchHit
		var at *time.Time
		err := r.Scan(&h.Kind, &h.Title, &h.Path, &h.Context, &at, &h.Snippet)
		h.Date = at
		if h.Kind == defus.SearchArticles {
			h.Context = defus.ArticleKind(h.Context).Label()
		}
		return h, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	return hits, counts, nil
}
