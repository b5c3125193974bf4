package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

const topicColumns = `t.id, t.slug, t.title, t.summary, t.description, t.pillar, t.position,
	t.published, t.created_at, t.updated_at, t.version`

func scanTopic(row pgx.Row) (defus.Topic, error) {
	var t defus.Topic
	err := row.Scan(&t.ID, &t.Slug, &t.Title, &t.Summary, &t.Description, &t.Pillar, &t.Position,
		&t.Published, &t.CreatedAt, &t.UpdatedAt, &t.Version)
	return t, err
}

// findTopics runs a topic query with the given join/where tail, ordered pillars first.
func (s *Store) findTopics(ctx context.Context, tail string, args ...any) ([]defus.Topic, error) {
	q := `
SELECT ` + topicColumns + `
FROM topics t
` + tail + `
ORDER BY t.pillar DESC, t.position, t.title`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Topic, error) { return scanTopic(r) })
}

// FindTopics lists the published topics, pillars first, each with the number
// of published members working on it.
func (s *Store) FindTopics(ctx context.Context) ([]defus.TopicCount, error) {
	const q = `
SELECT ` + topicColumns + `,
       (SELECT count(*) FROM member_topics mt JOIN members m ON m.id = mt.member_id
        WHERE mt.topic_id = t.id AND m.published)
FROM topics t
WHERE t.published
ORDER BY t.pillar DESC, t.position, t.title`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find topics: %w", err)
	}
	topics, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.TopicCount, error) {
		var tc defus.TopicCount
		t := &tc.Topic
		err := r.Scan(&t.ID, &t.Slug, &t.Title, &t.Summary, &t.Description, &t.Pillar, &t.Position,
			&t.Published, &t.CreatedAt, &t.UpdatedAt, &t.Version, &tc.Members)
		return tc, err
	})
	if err != nil {
		return nil, fmt.Errorf("find topics: %w", err)
	}
	return topics, nil
}

// FindTopic returns one published topic.
func (s *Store) FindTopic(ctx context.Context, slug string) (*defus.Topic, error) {
	const q = `
SELECT ` + topicColumns + `
FROM topics t
WHERE t.slug = $1 AND t.published`
	t, err := scanTopic(s.pool.QueryRow(ctx, q, slug))
	if err != nil {
		return nil, notFound(err, "find topic "+slug)
	}
	return &t, nil
}

// FindAllTopics lists every topic, drafts included, pillars first: the
// choices of the office's forms.
func (s *Store) FindAllTopics(ctx context.Context) ([]defus.Topic, error) {
	topics, err := s.findTopics(ctx, "")
	if err != nil {
		return nil, fmt.Errorf("find all topics: %w", err)
	}
	return topics, nil
}
