package store

import (
	"context"
	"fmt"
	"time"

	"defus.de/portal/internal/defus"
)

// searchSources is one SELECT per kind of result over the public records
// that match the query q (a CTE with one row, column q): kind, title,
// path, second line, date, rank and the text the snippet comes from. The
// vectors are those of the GIN indexes of migration 00023: stored columns
// "search" for articles, pages and topics, expressions for members,
// contact persons and events (see the migration), which are ranked by
// their short texts alone: analysing every matching long text again would
// cost more than the whole search may.
// $1 is the store's clock (articles dated later are not found yet), $2
// whether members-only contact persons count.
const searchSources = `
SELECT 'beitraege' AS kind, a.title, '/aktuelles/' || a.slug AS path, a.kind AS context,
       a.published_at AS at, 0.01 + ts_rank(a.search, q.q) AS rank,
       a.lead || ' ' || a.interviewee || ' ' || a.body || ' ' || a.interview AS src
FROM articles a, q
WHERE a.search @@ q.q AND a.published AND a.published_at <= $1
UNION ALL
SELECT 'seiten', p.title, CASE WHEN p.slug = 'startseite' THEN '/' ELSE '/' || p.slug END, '',
       NULL, 0.01 + ts_rank(p.search, q.q), p.summary || ' ' || p.body
FROM pages p, q
WHERE p.search @@ q.q AND p.published
UNION ALL
SELECT 'termine', e.title, '/termine/' || e.slug, e.city,
       e.starts_at, 0.01 + ts_rank(defus_tsv(e.title, 'A'), q.q),
       e.summary || ' ' || e.description
FROM events e, q
WHERE defus_tsv3(e.title, e.summary || ' ' || e.place_name || ' ' || e.city, e.description || ' ' || e.partners) @@ q.q
  AND e.published
UNION ALL
SELECT 'mitglieder', m.name, '/mitglieder/' || m.slug, m.state,
       NULL, 0.01 + ts_rank(defus_tsv(m.name || ' ' || m.short_name, 'A'), q.q), m.description
FROM members m, q
WHERE defus_tsv3(m.name || ' ' || m.short_name, m.state, m.description) @@ q.q AND m.published
UNION ALL
SELECT 'ansprechpersonen', c.name, '/mitglieder/' || m.slug, m.short_name,
       NULL, 0.01 + ts_rank(defus_tsv3(c.name, c.function, ''), q.q), c.function
FROM member_contacts c JOIN members m ON m.id = c.member_id, q
WHERE defus_tsv3(c.name, c.function, '') @@ q.q AND m.published AND (c.public OR $2)
UNION ALL
SELECT 'themen', t.title, '/themen/' || t.slug, '',
       NULL, 0.01 + ts_rank(t.search, q.q), t.summary || ' ' || t.description
FROM topics t, q
WHERE t.search @@ q.q AND t.published`

// Search finds what visitors (or, with f.Members, logged-in accounts) may
// see that matches f.Query, best first: the page of hits f.Kind selects
// (all kinds when empty) with their matching passages, and how many hits
// each kind has. Drafts, scheduled articles, unpublished records and
// members-only contacts (for visitors) are never found.
//
// One statement: the hits are gathered once ($3 is the query built by
// defus.SearchQuery.TSQuery of letters and digits only), counted by kind,
// and the page of them gets its snippet. Markdown's marks are taken out of
// the text first, and so are the characters that mark the matching words
// (defus.SnippetStart, SnippetStop). Every row carries the counts; a page
// without hits is one row of counts alone.
func (s *Store) Search(ctx context.Context, f defus.SearchFilter) ([]defus.SearchHit, map[defus.SearchKind]int, error) {
	counts := map[defus.SearchKind]int{}
	if f.Query.Empty() {
		return nil, counts, nil
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
WITH q AS (SELECT to_tsquery('german', defus_unaccent($3)) AS q),
hits AS MATERIALIZED (` + searchSources + `),
counts AS (
    SELECT coalesce(jsonb_object_agg(kind, n), '{}') AS counts
    FROM (SELECT kind, count(*) AS n FROM hits GROUP BY kind) k
),
page AS (
    SELECT * FROM hits WHERE $4 = '' OR kind = $4
    ORDER BY rank DESC, at DESC NULLS LAST, title, path
    LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0)) + `
)
SELECT c.counts, p.kind, p.title, p.path, p.context, p.at, p.snippet
FROM counts c
LEFT JOIN LATERAL (
    SELECT page.*, ts_headline('german',
           regexp_replace(translate(src, E'\uE000\uE001', ''), '[*_#>` + "`" + `|]+|\]\([^)]*\)|!?\[', ' ', 'g'),
           q.q, 'StartSel=` + defus.SnippetStart + `, StopSel=` + defus.SnippetStop + `, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
    FROM page, q
) p ON true
ORDER BY p.rank DESC, p.at DESC NULLS LAST, p.title, p.path`
	rows, err := s.pool.Query(ctx, q, f.Now, f.Members, f.Query.TSQuery(), string(f.Kind))
	if err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	defer rows.Close()
	var hits []defus.SearchHit
	for rows.Next() {
		var byKind map[string]int
		var kind, title, path, context, snippet *string
		var at *time.Time
		if err := rows.Scan(&byKind, &kind, &title, &path, &context, &at, &snippet); err != nil {
			return nil, nil, fmt.Errorf("search: %w", err)
		}
		for k, n := range byKind {
			counts[defus.SearchKind(k)] = n
		}
		if kind == nil {
			continue // no hit on this page: the counts alone
		}
		h := defus.SearchHit{Kind: defus.SearchKind(*kind), Title: *title, Path: *path, Context: *context, Date: at, Snippet: *snippet}
		if h.Kind == defus.SearchArticles {
			h.Context = defus.ArticleKind(h.Context).Label()
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	return hits, counts, nil
}
