package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// stampNews is the change stamp of the news feeds: articles written,
// unpublished or deleted.
const stampNews = "news"

const articleColumns = `a.id, a.slug, a.kind, a.title, a.lead, a.body, a.interview, a.interviewee,
	a.image_media_id, a.image_alt, coalesce(img.name, ''), a.member_id, a.published_at, a.published,
	a.created_at, a.updated_at, a.version,
	am.id, am.slug, am.short_name, am.name`

// articleFrom joins what every article read needs: its picture's name and
// the member it comes from (only when that member is published).
const articleFrom = `
FROM articles a
LEFT JOIN media img ON img.id = a.image_media_id
LEFT JOIN members am ON am.id = a.member_id AND am.published`

func scanArticle(row pgx.Row, extra ...any) (defus.Article, error) {
	var a defus.Article
	var mID *int64
	var mSlug, mShort, mName *string
	dest := []any{&a.ID, &a.Slug, &a.Kind, &a.Title, &a.Lead, &a.Body, &a.Interview, &a.Interviewee,
		&a.ImageID, &a.ImageAlt, &a.ImageName, &a.MemberID, &a.PublishedAt, &a.Published,
		&a.CreatedAt, &a.UpdatedAt, &a.Version, &mID, &mSlug, &mShort, &mName}
	err := row.Scan(append(dest, extra...)...)
	if mID != nil {
		a.Member = &defus.ArticleMember{ID: *mID, Slug: *mSlug, ShortName: *mShort, Name: *mName}
	}
	return a, err
}

// visibleArticle is the condition for an article visitors see at $1.
const visibleArticle = `a.published AND a.published_at <= $1`

// FindArticles lists the articles visitors see at f.Now, newest first, and
// how many match in all. An article dated later appears by itself once the
// clock passes its date.
func (s *Store) FindArticles(ctx context.Context, f defus.ArticleFilter) ([]defus.Article, int, error) {
	w := where{parts: []string{visibleArticle}, args: []any{f.Now}}
	if f.Kind != "" {
		w.add("a.kind = ?", string(f.Kind))
	}
	if f.TopicID != 0 {
		w.add("EXISTS (SELECT 1 FROM article_topics x WHERE x.article_id = a.id AND x.topic_id = ?)", f.TopicID)
	}
	if f.MemberID != 0 {
		n := fmt.Sprint(len(w.args) + 1)
		w.add("(a.member_id = ? OR EXISTS (SELECT 1 FROM article_members x WHERE x.article_id = a.id AND x.member_id = $"+n+"))", f.MemberID)
	}
	if f.Year != 0 {
		from := time.Date(f.Year, 1, 1, 0, 0, 0, 0, defus.Berlin)
		w.add("a.published_at >= ?", from)
		w.add("a.published_at < ?", from.AddDate(1, 0, 0))
	}
	if f.Exclude != 0 {
		w.add("a.id <> ?", f.Exclude)
	}
	return s.listArticles(ctx, w, f.Limit, f.Offset)
}

// listArticles runs an article list with the conditions w, newest first,
// limit rows (0: all) from offset, and says how many match in all.
func (s *Store) listArticles(ctx context.Context, w where, limit, offset int) ([]defus.Article, int, error) {
	lim := "ALL"
	if limit > 0 {
		lim = fmt.Sprint(limit)
	}
	q := `
SELECT ` + articleColumns + `, count(*) OVER ()
` + articleFrom + `
` + w.String() + `
ORDER BY a.published_at DESC, a.id DESC
LIMIT ` + lim + ` OFFSET ` + fmt.Sprint(max(offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find articles: %w", err)
	}
	total := 0
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Article, error) { return scanArticle(r, &total) })
	if err != nil {
		return nil, 0, fmt.Errorf("find articles: %w", err)
	}
	return list, total, nil
}

// FindArticleYears lists the years (Berlin time) that have articles visible at now, newest first.
func (s *Store) FindArticleYears(ctx context.Context, now time.Time) ([]int, error) {
	const q = `
SELECT DISTINCT extract(year FROM a.published_at AT TIME ZONE 'Europe/Berlin')::int AS y
FROM articles a
WHERE ` + visibleArticle + `
ORDER BY y DESC`
	rows, err := s.pool.Query(ctx, q, now)
	if err != nil {
		return nil, fmt.Errorf("find article years: %w", err)
	}
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("find article years: %w", err)
	}
	return years, nil
}

// FindArticle returns the article at slug that visitors see at now, with
// its published topics and members.
func (s *Store) FindArticle(ctx context.Context, slug string, now time.Time) (*defus.Article, error) {
	q := `SELECT ` + articleColumns + articleFrom + ` WHERE a.slug = $2 AND ` + visibleArticle
	a, err := scanArticle(s.pool.QueryRow(ctx, q, now, slug))
	if err != nil {
		return nil, notFound(err, "find article "+slug)
	}
	if a.Topics, err = s.findTopics(ctx, `JOIN article_topics x ON x.topic_id = t.id WHERE x.article_id = $1 AND t.published`, a.ID); err != nil {
		return nil, fmt.Errorf("topics of article %s: %w", slug, err)
	}
	const qMembers = `
SELECT m.id, m.slug, m.short_name, m.name
FROM article_members x JOIN members m ON m.id = x.member_id
WHERE x.article_id = $1 AND m.published
ORDER BY m.short_name, m.id`
	rows, err := s.pool.Query(ctx, qMembers, a.ID)
	if err != nil {
		return nil, fmt.Errorf("members of article %s: %w", slug, err)
	}
	a.Members, err = pgx.CollectRows(rows, pgx.RowToStructByPos[defus.ArticleMember])
	if err != nil {
		return nil, fmt.Errorf("members of article %s: %w", slug, err)
	}
	return &a, nil
}

// FindArticlesAdmin lists articles for the office, drafts and scheduled
// ones included, newest first, and how many match in all. The search looks
// in title and slug, with umlauts folded.
func (s *Store) FindArticlesAdmin(ctx context.Context, f defus.ListFilter) ([]defus.Article, int, error) {
	var w where
	if f.Query != "" {
		w.addFolded(f.Query, "a.title", "a.slug")
	}
	switch f.State {
	case "published":
		w.addRaw("a.published")
	case "draft":
		w.addRaw("NOT a.published")
	}
	return s.listArticles(ctx, w, f.Limit, f.Offset)
}

// FindArticleByID returns one article, draft or not, with its topic and member ids.
func (s *Store) FindArticleByID(ctx context.Context, id int64) (*defus.Article, error) {
	a, err := readArticle(ctx, s.pool, id, "")
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// readArticle reads article id with its topic and member ids; lock is ""
// or "FOR UPDATE OF a".
func readArticle(ctx context.Context, db interface {
	QueryRow(context.Context, string, ...any) pgx.Row
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, id int64, lock string) (defus.Article, error) {
	q := `SELECT ` + articleColumns + articleFrom + ` WHERE a.id = $1 ` + lock
	a, err := scanArticle(db.QueryRow(ctx, q, id))
	if err != nil {
		return a, notFound(err, fmt.Sprintf("find article %d", id))
	}
	for _, link := range []struct {
		q    string
		into *[]int64
	}{
		{`SELECT topic_id FROM article_topics WHERE article_id = $1 ORDER BY topic_id`, &a.TopicIDs},
		{`SELECT member_id FROM article_members WHERE article_id = $1 ORDER BY member_id`, &a.MemberIDs},
	} {
		rows, err := db.Query(ctx, link.q, id)
		if err != nil {
			return a, fmt.Errorf("links of article %d: %w", id, err)
		}
		if *link.into, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
			return a, fmt.Errorf("links of article %d: %w", id, err)
		}
	}
	return a, nil
}

// setArticleLinks makes the article's topics and members exactly a's.
func setArticleLinks(ctx context.Context, tx pgx.Tx, a *defus.Article) error {
	for _, l := range []struct {
		table, col string
		ids        []int64
	}{{"article_topics", "topic_id", a.TopicIDs}, {"article_members", "member_id", a.MemberIDs}} {
		if _, err := tx.Exec(ctx, `DELETE FROM `+l.table+` WHERE article_id = $1`, a.ID); err != nil {
			return fmt.Errorf("%s: %w", l.table, err)
		}
		q := `INSERT INTO ` + l.table + ` (article_id, ` + l.col + `) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING`
		if _, err := tx.Exec(ctx, q, a.ID, l.ids); err != nil {
			return fmt.Errorf("%s: %w", l.table, err)
		}
	}
	return nil
}

// memberNames names the members with ids, sorted and joined, for the audit log.
func memberNames(ctx context.Context, tx pgx.Tx, ids []int64) (string, error) {
	if len(ids) == 0 {
		return "", nil
	}
	rows, err := tx.Query(ctx, `SELECT short_name FROM members WHERE id = ANY($1) ORDER BY short_name`, ids)
	if err != nil {
		return "", err
	}
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	return strings.Join(names, ", "), nil
}

// articleChanges lists what differs between old and a for the audit log.
func articleChanges(ctx context.Context, tx pgx.Tx, old, a *defus.Article) (defus.Changes, error) {
	c := defus.Changes{}
	c.Set("kind", old.Kind.Label(), a.Kind.Label())
	c.Set("title", old.Title, a.Title)
	c.Set("slug", old.Slug, a.Slug)
	c.Set("lead", old.Lead, a.Lead)
	c.Set("body", old.Body, a.Body)
	c.Set("interview", old.Interview, a.Interview)
	c.Set("interviewee", old.Interviewee, a.Interviewee)
	c.Set("image_media_id", old.ImageID, a.ImageID)
	c.Set("image_alt", old.ImageAlt, a.ImageAlt)
	c.Set("member_id", old.MemberID, a.MemberID)
	if !old.PublishedAt.Equal(a.PublishedAt) {
		before := ""
		if !old.PublishedAt.IsZero() {
			before = defus.FormatDate(old.PublishedAt) + ", " + defus.FormatTime(old.PublishedAt)
		}
		c.Set("published_at", before, defus.FormatDate(a.PublishedAt)+", "+defus.FormatTime(a.PublishedAt))
	}
	c.Set("published", old.Published, a.Published)
	before, after, err := linkNames(ctx, tx, old.TopicIDs, a.TopicIDs, topicTitles)
	if err != nil {
		return nil, err
	}
	c.Set("topics", before, after)
	before, after, err = linkNames(ctx, tx, old.MemberIDs, a.MemberIDs, memberNames)
	if err != nil {
		return nil, err
	}
	c.Set("members", before, after)
	return c, nil
}

// linkNames names the linked records before and after, or gives "" twice
// when the links did not change.
func linkNames(ctx context.Context, tx pgx.Tx, old, now []int64, names func(context.Context, pgx.Tx, []int64) (string, error)) (string, string, error) {
	o, n := slices.Sorted(slices.Values(old)), slices.Sorted(slices.Values(now))
	if slices.Equal(o, n) {
		return "", "", nil
	}
	before, err := names(ctx, tx, o)
	if err != nil {
		return "", "", err
	}
	after, err := names(ctx, tx, n)
	return before, after, err
}

// CreateArticle stores a new article with its topics and members. A zero
// PublishedAt becomes the store's clock.
func (s *Store) CreateArticle(ctx context.Context, by defus.Actor, a *defus.Article) error {
	const q = `
INSERT INTO articles (slug, kind, title, lead, body, interview, interviewee, image_media_id, image_alt,
                      member_id, published_at, published, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
RETURNING id, created_at, updated_at, version`
	if a.PublishedAt.IsZero() {
		a.PublishedAt = s.now()
	}
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, a.Slug, string(a.Kind), a.Title, a.Lead, a.Body, a.Interview, a.Interviewee,
			a.ImageID, a.ImageAlt, a.MemberID, a.PublishedAt, a.Published, s.now()).
			Scan(&a.ID, &a.CreatedAt, &a.UpdatedAt, &a.Version)
		if err != nil {
			return slugError(err, "create article "+a.Slug)
		}
		if err := setArticleLinks(ctx, tx, a); err != nil {
			return fmt.Errorf("create article %s: %w", a.Slug, err)
		}
		if err := claimSlug(ctx, tx, defus.EntityArticle, a.Slug); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, stampNews); err != nil {
			return err
		}
		changes, err := articleChanges(ctx, tx, &defus.Article{}, a)
		if err != nil {
			return fmt.Errorf("create article %s: %w", a.Slug, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityArticle, EntityID: a.ID, EntityLabel: a.Title, Changes: changes})
	})
}

// UpdateArticle saves a if nobody changed it since version a.Version was
// read; otherwise it returns defus.ErrConflict and the article as it is
// now. A new slug keeps the old address as a redirect. A zero PublishedAt
// keeps the stored one.
func (s *Store) UpdateArticle(ctx context.Context, by defus.Actor, a *defus.Article) (current *defus.Article, err error) {
	const q = `
UPDATE articles
SET slug = $2, kind = $3, title = $4, lead = $5, body = $6, interview = $7, interviewee = $8,
    image_media_id = $9, image_alt = $10, member_id = $11, published_at = $12, published = $13,
    updated_at = $14, version = version + 1
WHERE id = $1
RETURNING updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := readArticle(ctx, tx, a.ID, "FOR UPDATE OF a")
		if err != nil {
			return err
		}
		if old.Version != a.Version {
			current = &old
			return fmt.Errorf("article %d: %w", a.ID, defus.ErrConflict)
		}
		if a.PublishedAt.IsZero() {
			a.PublishedAt = old.PublishedAt
		}
		err = tx.QueryRow(ctx, q, a.ID, a.Slug, string(a.Kind), a.Title, a.Lead, a.Body, a.Interview, a.Interviewee,
			a.ImageID, a.ImageAlt, a.MemberID, a.PublishedAt, a.Published, s.now()).Scan(&a.UpdatedAt, &a.Version)
		if err != nil {
			return slugError(err, fmt.Sprintf("update article %d", a.ID))
		}
		if err := setArticleLinks(ctx, tx, a); err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		if err := moveSlug(ctx, tx, defus.EntityArticle, a.ID, old.Slug, a.Slug); err != nil {
			return err
		}
		if err := s.touch(ctx, tx, stampNews); err != nil {
			return err
		}
		changes, err := articleChanges(ctx, tx, &old, a)
		if err != nil {
			return fmt.Errorf("update article %d: %w", a.ID, err)
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityArticle, EntityID: a.ID, EntityLabel: a.Title, Changes: changes})
	})
	return current, err
}

// DeleteArticle removes an article at version.
func (s *Store) DeleteArticle(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := readArticle(ctx, tx, id, "FOR UPDATE OF a")
		if err != nil {
			return err
		}
		if old.Version != version {
			return fmt.Errorf("article %d: %w", id, defus.ErrConflict)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM articles WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete article %d: %w", id, err)
		}
		if err := s.touch(ctx, tx, stampNews); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityArticle, EntityID: id, EntityLabel: old.Title})
	})
}

// touch moves change stamp kind to the store's clock, by at least a second
// (see touchCalendar).
func (s *Store) touch(ctx context.Context, tx pgx.Tx, kind string) error {
	const q = `
INSERT INTO change_stamps (kind, changed_at) VALUES ($1, $2)
ON CONFLICT (kind) DO UPDATE
SET changed_at = greatest(change_stamps.changed_at + interval '1 second', EXCLUDED.changed_at)`
	if _, err := tx.Exec(ctx, q, kind, s.now()); err != nil {
		return fmt.Errorf("touch %s: %w", kind, err)
	}
	return nil
}

// FindNewsChange is when an article was last written, unpublished or
// deleted through the store; the zero time when never. Articles that
// became visible since by their date are not in it: the feeds take their
// dates as well.
func (s *Store) FindNewsChange(ctx context.Context) (time.Time, error) {
	var t time.Time
	err := s.pool.QueryRow(ctx, `SELECT changed_at FROM change_stamps WHERE kind = $1`, stampNews).Scan(&t)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, fmt.Errorf("find news change: %w", err)
	}
	return t, nil
}

// FindNextScheduled is the next moment after now at which a published
// article becomes visible, or the zero time when none is scheduled. Pages
// that list articles change at that moment without any write: a cache of
// them (which writes invalidate through the audit log) must not outlive it.
func (s *Store) FindNextScheduled(ctx context.Context, now time.Time) (time.Time, error) {
	var t *time.Time
	err := s.pool.QueryRow(ctx, `SELECT min(published_at) FROM articles WHERE published AND published_at > $1`, now).Scan(&t)
	if err != nil {
		return time.Time{}, fmt.Errorf("find next scheduled article: %w", err)
	}
	if t == nil {
		return time.Time{}, nil
	}
	return *t, nil
}
