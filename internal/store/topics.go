package store

import (
	"context"
	"fmt"
	"slices"

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

// topicOrder is the public order of topics: pillars first, then by position.
const topicOrder = `t.pillar DESC, t.position, t.title, t.id`

// findTopics runs a topic query with the given join/where tail, ordered pillars first.
func (s *Store) findTopics(ctx context.Context, tail string, args ...any) ([]defus.Topic, error) {
	q := `
SELECT ` + topicColumns + `
FROM topics t
` + tail + `
ORDER BY ` + topicOrder
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
ORDER BY ` + topicOrder
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

// FindTopicsAdmin lists topics for the office, drafts included, in the
// public order, each with how many members and events use it and its place
// among the topics of its kind; and how many match in all. The places count
// all topics, whatever the filter.
func (s *Store) FindTopicsAdmin(ctx context.Context, f defus.ListFilter) ([]defus.TopicAdmin, int, error) {
	var w where
	if f.Query != "" {
		w.addFolded(f.Query, "t.title", "t.slug")
	}
	switch f.State {
	case "published":
		w.addRaw("t.published")
	case "draft":
		w.addRaw("NOT t.published")
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
WITH ordered AS (
    SELECT t.*,
           row_number() OVER (PARTITION BY t.pillar ORDER BY t.position, t.title, t.id) AS place,
           count(*) OVER (PARTITION BY t.pillar) AS kind_count
    FROM topics t
)
SELECT ` + topicColumns + `,
       (SELECT count(*) FROM member_topics mt WHERE mt.topic_id = t.id),
       (SELECT count(*) FROM event_topics et WHERE et.topic_id = t.id),
       t.place, t.kind_count, count(*) OVER ()
FROM ordered t
` + w.String() + `
ORDER BY ` + topicOrder + `
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find topics: %w", err)
	}
	total := 0
	topics, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.TopicAdmin, error) {
		var ta defus.TopicAdmin
		t := &ta.Topic
		err := r.Scan(&t.ID, &t.Slug, &t.Title, &t.Summary, &t.Description, &t.Pillar, &t.Position,
			&t.Published, &t.CreatedAt, &t.UpdatedAt, &t.Version, &ta.Members, &ta.Events, &ta.Place, &ta.KindCount, &total)
		return ta, err
	})
	if err != nil {
		return nil, 0, fmt.Errorf("find topics: %w", err)
	}
	return topics, total, nil
}

// FindTopicByID returns one topic, draft or not.
func (s *Store) FindTopicByID(ctx context.Context, id int64) (*defus.Topic, error) {
	const q = `SELECT ` + topicColumns + ` FROM topics t WHERE t.id = $1`
	t, err := scanTopic(s.pool.QueryRow(ctx, q, id))
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find topic %d", id))
	}
	return &t, nil
}

// FindTopicDependants lists what refers to topic id: its members and events,
// drafts included, and how many enquiries mention it.
func (s *Store) FindTopicDependants(ctx context.Context, id int64) (defus.TopicDependants, error) {
	const qMembers = `
SELECT m.id, m.name, m.published
FROM member_topics mt
JOIN members m ON m.id = mt.member_id
WHERE mt.topic_id = $1
ORDER BY m.short_name, m.id`
	const qEvents = `
SELECT e.id, e.title, e.starts_at, e.published
FROM event_topics et
JOIN events e ON e.id = et.event_id
WHERE et.topic_id = $1
ORDER BY e.starts_at DESC, e.id`
	const qEnquiries = `SELECT count(*) FROM enquiry_topics WHERE topic_id = $1`
	var d defus.TopicDependants
	rows, err := s.pool.Query(ctx, qMembers, id)
	if err != nil {
		return d, fmt.Errorf("members of topic %d: %w", id, err)
	}
	d.Members, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Member, error) {
		var m defus.Member
		err := r.Scan(&m.ID, &m.Name, &m.Published)
		return m, err
	})
	if err != nil {
		return d, fmt.Errorf("members of topic %d: %w", id, err)
	}
	rows, err = s.pool.Query(ctx, qEvents, id)
	if err != nil {
		return d, fmt.Errorf("events of topic %d: %w", id, err)
	}
	d.Events, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Event, error) {
		var e defus.Event
		err := r.Scan(&e.ID, &e.Title, &e.StartsAt, &e.Published)
		return e, err
	})
	if err != nil {
		return d, fmt.Errorf("events of topic %d: %w", id, err)
	}
	if err := s.pool.QueryRow(ctx, qEnquiries, id).Scan(&d.Enquiries); err != nil {
		return d, fmt.Errorf("enquiries of topic %d: %w", id, err)
	}
	return d, nil
}

// nextTopicPosition is the position after all topics: where a new topic,
// or one that changes between pillar and further topic, goes.
const nextTopicPosition = `(SELECT coalesce(max(position), 0) + 1 FROM topics)`

// CreateTopic stores a new topic at the end of the order.
func (s *Store) CreateTopic(ctx context.Context, by defus.Actor, t *defus.Topic) error {
	const q = `
INSERT INTO topics (slug, title, summary, description, pillar, published, position, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, $6, ` + nextTopicPosition + `, $7, $7)
RETURNING id, position, created_at, updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, t.Slug, t.Title, t.Summary, t.Description, t.Pillar, t.Published, s.now()).
			Scan(&t.ID, &t.Position, &t.CreatedAt, &t.UpdatedAt, &t.Version)
		if err != nil {
			return slugError(err, "create topic "+t.Slug)
		}
		if err := claimSlug(ctx, tx, defus.EntityTopic, t.Slug); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("title", nil, t.Title)
		changes.Set("slug", nil, t.Slug)
		changes.Set("pillar", nil, t.Pillar)
		changes.Set("published", nil, t.Published)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityTopic, EntityID: t.ID, EntityLabel: t.Title, Changes: changes})
	})
}

// lockTopic reads a topic for change, locking its row; a version other than
// version gives defus.ErrConflict.
func lockTopic(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.Topic, error) {
	const q = `SELECT ` + topicColumns + ` FROM topics t WHERE t.id = $1 FOR UPDATE`
	t, err := scanTopic(tx.QueryRow(ctx, q, id))
	if err != nil {
		return t, notFound(err, fmt.Sprintf("lock topic %d", id))
	}
	if t.Version != version {
		return t, fmt.Errorf("topic %d: %w", id, defus.ErrConflict)
	}
	return t, nil
}

// UpdateTopic saves t if nobody changed it since version t.Version was read;
// otherwise it returns defus.ErrConflict and the topic as it is now. A topic
// that becomes a pillar, or stops being one, goes to the end of its new kind.
// The position is not taken from t: MoveTopic changes it. A new slug keeps
// the old address as a redirect. Filtered calendar feeds carry the title.
func (s *Store) UpdateTopic(ctx context.Context, by defus.Actor, t *defus.Topic) (current *defus.Topic, err error) {
	const q = `
UPDATE topics
SET slug = $2, title = $3, summary = $4, description = $5, published = $7,
    position = CASE WHEN pillar = $6 THEN position ELSE ` + nextTopicPosition + ` END,
    pillar = $6, updated_at = $8, version = version + 1
WHERE id = $1
RETURNING position, updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockTopic(ctx, tx, t.ID, t.Version)
		if err != nil {
			current = &old
			return err
		}
		err = tx.QueryRow(ctx, q, t.ID, t.Slug, t.Title, t.Summary, t.Description, t.Pillar, t.Published, s.now()).
			Scan(&t.Position, &t.UpdatedAt, &t.Version)
		if err != nil {
			return slugError(err, fmt.Sprintf("update topic %d", t.ID))
		}
		if err := moveSlug(ctx, tx, defus.EntityTopic, t.ID, old.Slug, t.Slug); err != nil {
			return err
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("title", old.Title, t.Title)
		changes.Set("slug", old.Slug, t.Slug)
		changes.Set("summary", old.Summary, t.Summary)
		changes.Set("description", old.Description, t.Description)
		changes.Set("pillar", old.Pillar, t.Pillar)
		changes.Set("published", old.Published, t.Published)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityTopic, EntityID: t.ID, EntityLabel: t.Title, Changes: changes})
	})
	return current, err
}

// MoveTopic moves topic id one place up or down among the topics of its
// kind (pillars or further topics) and renumbers all positions in the
// public order, in one transaction. It returns the topic's place within its
// kind afterwards (1-based); at the edge of its kind nothing changes.
// Moving does not change the topic's version: the edit form does not
// carry the position, so a move never makes someone's open form stale.
func (s *Store) MoveTopic(ctx context.Context, by defus.Actor, id int64, dir defus.Direction) (place int, err error) {
	const qAll = `SELECT t.id, t.title, t.pillar FROM topics t ORDER BY ` + topicOrder + ` FOR UPDATE`
	const qRenumber = `
UPDATE topics t
SET position = v.position
FROM unnest($1::bigint[]) WITH ORDINALITY AS v(id, position)
WHERE t.id = v.id AND t.position <> v.position`
	type entry struct {
		id     int64
		title  string
		pillar bool
	}
	// placeOf is the 1-based place of order[i] among the topics of its kind.
	placeOf := func(order []entry, i int) int {
		n := 0
		for _, e := range order[:i+1] {
			if e.pillar == order[i].pillar {
				n++
			}
		}
		return n
	}
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, qAll)
		if err != nil {
			return fmt.Errorf("move topic %d: %w", id, err)
		}
		order, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (entry, error) {
			var e entry
			err := r.Scan(&e.id, &e.title, &e.pillar)
			return e, err
		})
		if err != nil {
			return fmt.Errorf("move topic %d: %w", id, err)
		}
		i := slices.IndexFunc(order, func(e entry) bool { return e.id == id })
		if i < 0 {
			return fmt.Errorf("move topic %d: %w", id, defus.ErrNotFound)
		}
		from := placeOf(order, i)
		j := i + int(dir)
		if j < 0 || j >= len(order) || order[j].pillar != order[i].pillar {
			place = from
			return nil
		}
		order[i], order[j] = order[j], order[i]
		place = placeOf(order, j)
		ids := make([]int64, len(order))
		for k, e := range order {
			ids[k] = e.id
		}
		if _, err := tx.Exec(ctx, qRenumber, ids); err != nil {
			return fmt.Errorf("move topic %d: %w", id, err)
		}
		changes := defus.Changes{}
		changes.Set("position", from, place)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionMove,
			Entity: defus.EntityTopic, EntityID: id, EntityLabel: order[j].title, Changes: changes})
	})
	return place, err
}

// DeleteTopic removes a topic at version, and with it its links to
// members, events and enquiries (which stay).
func (s *Store) DeleteTopic(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockTopic(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM topics WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete topic %d: %w", id, err)
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityTopic, EntityID: id, EntityLabel: old.Title})
	})
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
