package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// The host is joined only when published, so an unpublished member never
// shows up as a host.
const eventColumns = `e.id, e.slug, e.title, e.kind, e.starts_at, e.ends_at, e.all_day, e.format,
	e.place_name, e.street, e.postcode, e.city, e.online_url, e.online_url_public,
	e.host_member_id, e.partners, e.summary, e.description, e.registration_note,
	e.registration_url, e.status, e.published, e.uid, e.sequence, e.created_at,
	e.updated_at, e.version, h.id, h.slug, h.name, h.short_name`

const eventFrom = `FROM events e
LEFT JOIN members h ON h.id = e.host_member_id AND h.published`

func scanEvent(row pgx.Row) (defus.Event, error) {
	var e defus.Event
	var hostID *int64
	var hostSlug, hostName, hostShort *string
	err := row.Scan(&e.ID, &e.Slug, &e.Title, &e.Kind, &e.StartsAt, &e.EndsAt, &e.AllDay, &e.Format,
		&e.PlaceName, &e.Street, &e.Postcode, &e.City, &e.OnlineURL, &e.OnlineURLPublic,
		&e.HostMemberID, &e.Partners, &e.Summary, &e.Description, &e.RegistrationNote,
		&e.RegistrationURL, &e.Status, &e.Published, &e.UID, &e.Sequence, &e.CreatedAt,
		&e.UpdatedAt, &e.Version, &hostID, &hostSlug, &hostName, &hostShort)
	if err == nil && hostID != nil {
		e.Host = &defus.EventHost{ID: *hostID, Slug: *hostSlug, Name: *hostName, ShortName: *hostShort}
	}
	return e, err
}

// FindEvents lists events with their host and published topics. Upcoming
// events (not over at f.Now) come soonest first, past ones latest first.
// It runs two queries however many events there are.
func (s *Store) FindEvents(ctx context.Context, f defus.EventFilter) ([]defus.Event, error) {
	var w where
	if !f.WithDrafts {
		w.addRaw("e.published")
	}
	order := "e.starts_at, e.ends_at, e.id"
	switch f.Period {
	case defus.PeriodUpcoming: // as defus.Event.Upcoming
		w.add("(e.ends_at, e.starts_at = e.ends_at) > (?, false)", f.Now)
	case defus.PeriodPast:
		w.add("(e.ends_at, e.starts_at = e.ends_at) <= (?, false)", f.Now)
		order = "e.starts_at DESC, e.ends_at DESC, e.id DESC"
	}
	if f.Kind != "" {
		w.add("e.kind = ?", string(f.Kind))
	}
	if f.HostID != 0 {
		w.add("e.host_member_id = ?", f.HostID)
	}
	if f.TopicID != 0 {
		w.add("EXISTS (SELECT 1 FROM event_topics et WHERE et.event_id = e.id AND et.topic_id = ?)", f.TopicID)
	}
	if !f.From.IsZero() {
		// Overlaps [From, …): ends after From, or is a point in time exactly at
		// From. As a row comparison: (ends_at, zero duration) > (From, false).
		w.add("(e.ends_at, e.starts_at = e.ends_at) > (?, false)", f.From)
	}
	if !f.To.IsZero() {
		w.add("e.starts_at < ?", f.To)
	}
	limit := ""
	if f.Limit > 0 {
		limit = "\nLIMIT " + strconv.Itoa(f.Limit)
	}
	q := `
SELECT ` + eventColumns + `
` + eventFrom + `
` + w.String() + `
ORDER BY ` + order + limit
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Event, error) { return scanEvent(r) })
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	if err := s.loadEventTopics(ctx, events); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return events, nil
}

// loadEventTopics fills the published topics of all events in one query.
func (s *Store) loadEventTopics(ctx context.Context, events []defus.Event) error {
	if len(events) == 0 {
		return nil
	}
	ids := make([]int64, len(events))
	index := make(map[int64]int, len(events))
	for i, e := range events {
		ids[i] = e.ID
		index[e.ID] = i
	}
	const q = `
SELECT et.event_id, ` + topicColumns + `
FROM event_topics et
JOIN topics t ON t.id = et.topic_id
WHERE et.event_id = ANY($1) AND t.published
ORDER BY ` + topicOrder
	rows, err := s.pool.Query(ctx, q, ids)
	if err != nil {
		return fmt.Errorf("topics of events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var eventID int64
		var t defus.Topic
		if err := rows.Scan(&eventID, &t.ID, &t.Slug, &t.Title, &t.Summary, &t.Description, &t.Pillar,
			&t.Position, &t.Published, &t.CreatedAt, &t.UpdatedAt, &t.Version); err != nil {
			return fmt.Errorf("topics of events: %w", err)
		}
		e := &events[index[eventID]]
		e.Topics = append(e.Topics, t)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("topics of events: %w", err)
	}
	return nil
}

// FindEvent returns one published event with its host and topics.
func (s *Store) FindEvent(ctx context.Context, slug string) (*defus.Event, error) {
	const q = `
SELECT ` + eventColumns + `
` + eventFrom + `
WHERE e.slug = $1 AND e.published`
	e, err := scanEvent(s.pool.QueryRow(ctx, q, slug))
	if err != nil {
		return nil, notFound(err, "find event "+slug)
	}
	events := []defus.Event{e}
	if err := s.loadEventTopics(ctx, events); err != nil {
		return nil, fmt.Errorf("find event %s: %w", slug, err)
	}
	return &events[0], nil
}

// FindEventHosts lists the published members that host at least one
// published event, sorted the German way, for the host filter.
func (s *Store) FindEventHosts(ctx context.Context) ([]defus.EventHost, error) {
	const q = `
SELECT m.id, m.slug, m.name, m.short_name
FROM members m
WHERE m.published
  AND EXISTS (SELECT 1 FROM events e WHERE e.host_member_id = m.id AND e.published)
ORDER BY m.short_name, m.id`
	rows, err := s.pool.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("find event hosts: %w", err)
	}
	hosts, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.EventHost, error) {
		var h defus.EventHost
		err := r.Scan(&h.ID, &h.Slug, &h.Name, &h.ShortName)
		return h, err
	})
	if err != nil {
		return nil, fmt.Errorf("find event hosts: %w", err)
	}
	return hosts, nil
}

// FindEventHost returns the published member with slug as a possible host,
// whether or not it hosts anything.
func (s *Store) FindEventHost(ctx context.Context, slug string) (*defus.EventHost, error) {
	const q = `
SELECT id, slug, name, short_name
FROM members
WHERE slug = $1 AND published`
	var h defus.EventHost
	if err := s.pool.QueryRow(ctx, q, slug).Scan(&h.ID, &h.Slug, &h.Name, &h.ShortName); err != nil {
		return nil, notFound(err, "find event host "+slug)
	}
	return &h, nil
}
