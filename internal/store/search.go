package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"defus.de/portal/internal/defus"
)

// searchSources is one SELECT per kind of result over the public records
// that match the query q (a CTE with one row: the query q, and q_or, the
// same with its words joined by "or", that ranks): kind, title,
// path, second line, date, rank and the record's id. The long text a
// snippet comes from is read by Search for the page's hits only: carrying
// it through every hit read every body of every match.
//
// A record matches by the stored column "search" and its GIN index
// (articles, pages and topics: migration 00023; events and members: 00028;
// contact persons and documents, whose texts are short, by expressions).
// It is ranked by its short texts alone: title and lead or summary, or the
// title or name (the stored column "search_head" of migrations 00027 and
// 00028). The words of a search are prefixes, whose GIN matches PostgreSQL
// checks again against the row: against the stored vector, not by
// analysing the texts once more as an expression index made it do. Ranking
// by the long text's vector unpacked it for every match, and so did the
// sequential scan PostgreSQL chose when a word is in a quarter of all texts
// (its costs do not count the unpacking); comparing with (SELECT q FROM q),
// a value it cannot know when planning, makes it take the index. So a title
// match ranks above a lead match above a match in the text alone, and
// among equal ranks Search puts the newest first. The rank reads q_or: of
// a search for two words, a title with one of them still ranks above a
// text with both.
// $1 is the store's clock (articles dated later are not found yet), $2
// whether members-only contact persons and documents count. A document's
// path is its token and its file name as stored (Search escapes it).
const searchSources = `
SELECT 'beitraege' AS kind, a.title, '/aktuelles/' || a.slug AS path, a.kind AS context,
       a.published_at AS at, 0.01 + ts_rank(a.search_head, q.q_or) AS rank,
       a.id AS id
FROM articles a, q
WHERE a.search @@ (SELECT q FROM q) AND a.published AND a.published_at <= $1
UNION ALL
SELECT 'seiten', p.title, CASE WHEN p.slug = 'startseite' THEN '/' ELSE '/' || p.slug END, '',
       NULL, 0.01 + ts_rank(p.search_head, q.q_or), p.id
FROM pages p, q
WHERE p.search @@ (SELECT q FROM q) AND p.published
UNION ALL
SELECT 'termine', e.title, '/termine/' || e.slug, e.city,
       e.starts_at, 0.01 + ts_rank(e.search_head, q.q_or), e.id
FROM events e, q
WHERE e.search @@ (SELECT q FROM q) AND e.published
UNION ALL
SELECT 'mitglieder', m.name, '/mitglieder/' || m.slug, m.state,
       NULL, 0.01 + ts_rank(m.search_head, q.q_or), m.id
FROM members m, q
WHERE m.search @@ (SELECT q FROM q) AND m.published
UNION ALL
SELECT 'ansprechpersonen', c.name, '/mitglieder/' || m.slug, m.short_name,
       NULL, 0.01 + ts_rank(defus_tsv3(c.name, c.function, ''), q.q_or), c.id
FROM member_contacts c JOIN members m ON m.id = c.member_id, q
WHERE defus_tsv3(c.name, c.function, '') @@ q.q AND m.published AND (c.public OR $2)
UNION ALL
SELECT 'dokumente', d.title, '/dokumente/' || d.token || '/' || d.file_name, d.content_type,
       d.dated_on::timestamp AT TIME ZONE 'Europe/Berlin', 0.01 + ts_rank(defus_tsv(d.title, 'A'), q.q_or), d.id
FROM documents d, q
WHERE defus_tsv3(d.title, d.description, '') @@ q.q
  AND (d.visibility = 'public' OR (d.visibility = 'members' AND $2))
UNION ALL
SELECT 'themen', t.title, '/themen/' || t.slug, '',
       NULL, 0.01 + ts_rank(t.search_head, q.q_or), t.id
FROM topics t, q
WHERE t.search @@ (SELECT q FROM q) AND t.published`

// A snippet is made from a window of the long text, not from all of it:
// ts_headline analyses every word it is given, and for the 20 hits of a
// page of long articles that was most of a search's time. The window is
// searchWindow characters from searchBefore characters before the first
// word that may match (searchLetters: a regular expression of the query's
// lexemes, where a vowel also stands for its umlaut and accented forms and
// "ss" for "ß", since the text is matched as written, not as folded).
// Without such a word (the title matched, say) it is the text's start.
// A word the window cuts is left out.
const (
	searchWindow = "1500"
	searchBefore = "200"
	// searchLetters turns the lexeme l[1] into such a pattern (of its
	// letters and digits only, whatever unaccent made of a word).
	searchLetters = `replace(replace(replace(replace(replace(replace(replace(replace(replace(regexp_replace(l[1], '[^[:alnum:]]', '', 'g'), 'ss', '§'),
        'a', '[aäáàâÄÁÀÂ]'), 'o', '[oöóòôÖÓÒÔ]'), 'u', '[uüúùûÜÚÙÛ]'), 'e', '[eéèêëÉÈÊË]'), 'i', '[iíìîïÍÌÎÏ]'),
        'c', '[cçÇ]'), 'n', '[nñÑ]'), '§', '(ss|ß)')`
)

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
WITH q AS (
    SELECT q, replace(q::text, ' & ', ' | ')::tsquery AS q_or, (SELECT '\m(' || string_agg(` + searchLetters + `, '|') || ')'
               FROM regexp_matches(q::text, '''([^'']+)''', 'g') l) AS near
    FROM to_tsquery('german', defus_unaccent($3)) q
),
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
           regexp_replace(translate(x.text, E'\uE000\uE001', ''), '[*_#>` + "`" + `|]+|\]\([^)]*\)|!?\[', ' ', 'g'),
           q.q, 'StartSel=` + defus.SnippetStart + `, StopSel=` + defus.SnippetStop + `, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS snippet
    FROM page, q,
    LATERAL (SELECT CASE page.kind
        WHEN 'beitraege' THEN (SELECT a.lead || ' ' || a.interviewee || ' ' || a.body || ' ' ||
                regexp_replace(a.interview, '^\s*(F|Frage|A|Antwort):', '', 'gin') FROM articles a WHERE a.id = page.id)
        WHEN 'seiten' THEN (SELECT p.summary || ' ' || p.body FROM pages p WHERE p.id = page.id)
        WHEN 'termine' THEN (SELECT e.summary || ' ' || e.description FROM events e WHERE e.id = page.id)
        WHEN 'mitglieder' THEN (SELECT m.description FROM members m WHERE m.id = page.id)
        WHEN 'ansprechpersonen' THEN (SELECT c.function FROM member_contacts c WHERE c.id = page.id)
        WHEN 'dokumente' THEN (SELECT d.description FROM documents d WHERE d.id = page.id)
        WHEN 'themen' THEN (SELECT t.summary || ' ' || t.description FROM topics t WHERE t.id = page.id)
    END AS text OFFSET 0) t,
    LATERAL (SELECT length(t.text) AS n,
        greatest(1, least(coalesce(regexp_instr(t.text, q.near, 1, 1, 0, 'i'), 0) - ` + searchBefore + `,
            length(t.text) - ` + searchWindow + ` + 1)) AS start OFFSET 0) w,
    LATERAL (SELECT CASE WHEN w.n <= ` + searchWindow + ` THEN t.text
        ELSE substr(t.text, w.start, ` + searchWindow + `) END AS text OFFSET 0) c,
    LATERAL (SELECT CASE WHEN w.n <= ` + searchWindow + ` THEN c.text ELSE substr(
        left(c.text, CASE WHEN w.start + ` + searchWindow + ` <= w.n THEN length(c.text) - regexp_instr(reverse(c.text), '\s') ELSE length(c.text) END),
        CASE WHEN w.start > 1 THEN regexp_instr(c.text, '\s') + 1 ELSE 1 END) END AS text) x
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
		switch h.Kind {
		case defus.SearchArticles:
			h.Context = defus.ArticleKind(h.Context).Label()
		case defus.SearchDocuments:
			token, name, _ := strings.Cut(strings.TrimPrefix(h.Path, "/dokumente/"), "/")
			d := defus.Document{Token: token, FileName: name, ContentType: h.Context}
			h.Path, h.Context = d.URL(), d.TypeLabel()
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("search: %w", err)
	}
	return hits, counts, nil
}
