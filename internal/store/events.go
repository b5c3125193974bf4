package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"defus.de/portal/internal/defus"
)

// The host is joined only when published, so an unpublished member never
// shows up as a host.
const eventColumns = `e.id, e.slug, e.title, e.kind, e.starts_at, e.ends_at, e.all_day, e.format,
	e.place_name, e.street, e.postcode, e.city, e.online_url, e.online_url_public,
	e.host_member_id, e.partners, e.summary, e.description, e.registration_note,
	e.registration_url, e.status, e.previous_starts_at, e.published, e.uid, e.sequence,
	e.created_at, e.updated_at, e.version, h.id, h.slug, h.name, h.short_name,
	e.registration_mode, e.capacity, e.registration_deadline, e.places_per_member, e.online_url_members,
	e.show_participants`

const eventFrom = `FROM events e
LEFT JOIN members h ON h.id = e.host_member_id AND h.published`

// scanEvent reads eventColumns and then any extra columns into extra.
func scanEvent(row pgx.Row, extra ...any) (defus.Event, error) {
	var e defus.Event
	var hostID *int64
	var hostSlug, hostName, hostShort *string
	dest := []any{&e.ID, &e.Slug, &e.Title, &e.Kind, &e.StartsAt, &e.EndsAt, &e.AllDay, &e.Format,
		&e.PlaceName, &e.Street, &e.Postcode, &e.City, &e.OnlineURL, &e.OnlineURLPublic,
		&e.HostMemberID, &e.Partners, &e.Summary, &e.Description, &e.RegistrationNote,
		&e.RegistrationURL, &e.Status, &e.PreviousStartsAt, &e.Published, &e.UID, &e.Sequence,
		&e.CreatedAt, &e.UpdatedAt, &e.Version, &hostID, &hostSlug, &hostName, &hostShort,
		&e.Registration.Mode, &e.Registration.Capacity, &e.Registration.Deadline, &e.Registration.PlacesPerMember,
		&e.Registration.OnlineURLMembers, &e.Registration.ShowParticipants}
	err := row.Scan(append(dest, extra...)...)
	if err == nil && hostID != nil {
		e.Host = &defus.EventHost{ID: *hostID, Slug: *hostSlug, Name: *hostName, ShortName: *hostShort}
	}
	return e, err
}

// eventWhere is the condition and order of FindEvents for f.
func eventWhere(f defus.EventFilter) (w where, order string) {
	if !f.WithDrafts {
		w.addRaw("e.published")
	}
	order = "e.starts_at, e.ends_at, e.id"
	switch f.Period {
	case defus.PeriodUpcoming: // as defus.Event.Upcoming
		w.addEndsAfter(f.Now, true)
	case defus.PeriodPast:
		w.addEndsAfter(f.Now, false)
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
		w.addEndsAfter(f.From, true)
	}
	if !f.To.IsZero() {
		w.add("e.starts_at < ?", f.To)
	}
	return w, order
}

// CountEvents counts the events FindEvents lists for f (without its Limit).
func (s *Store) CountEvents(ctx context.Context, f defus.EventFilter) (int, error) {
	w, _ := eventWhere(f)
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM events e `+w.String(), w.args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count events: %w", err)
	}
	return n, nil
}

// FindEvents lists events with their host and published topics. Upcoming
// events (not over at f.Now) come soonest first, past ones latest first.
// It runs two queries however many events there are.
func (s *Store) FindEvents(ctx context.Context, f defus.EventFilter) ([]defus.Event, error) {
	w, order := eventWhere(f)
	limit := ""
	if f.Limit > 0 {
		limit = "\nLIMIT " + strconv.Itoa(f.Limit)
	}
	if f.Offset > 0 {
		limit += " OFFSET " + strconv.Itoa(f.Offset)
	}
	q := `
SELECT ` + eventColumns + `
` + eventFrom + `
` + w.String() + `
ORDER BY ` + order + limit
	if limit != "" {
		// A page of a long list: picked in the index of the list's order
		// (events_list_idx) before its rows and hosts are read.
		q = `
WITH pick AS (SELECT e.id FROM events e ` + w.String() + ` ORDER BY ` + order + limit + `)
SELECT ` + eventColumns + `
FROM pick JOIN events e ON e.id = pick.id
LEFT JOIN members h ON h.id = e.host_member_id AND h.published
ORDER BY ` + order
	}
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

// feedColumns are the columns of an event that a calendar (package
// ical) writes, and its host's name.
const feedColumns = `e.id, e.slug, e.title, e.kind, e.starts_at, e.ends_at, e.all_day, e.format,
	e.place_name, e.street, e.postcode, e.city, e.online_url, e.online_url_public, e.partners,
	e.summary, e.registration_note, e.registration_url, e.status, e.uid, e.sequence,
	e.created_at, e.updated_at, h.id, h.name`

// FindFeedEvents lists the events of f, as FindEvents does, with what
// a calendar feed writes of them and nothing more: no topics, no long
// description, no registration settings. A feed holds hundreds of events,
// and reading all of each cost as much as writing the feed.
func (s *Store) FindFeedEvents(ctx context.Context, f defus.EventFilter) ([]defus.Event, error) {
	w, order := eventWhere(f)
	q := `SELECT ` + feedColumns + "\n" + eventFrom + "\n" + w.String() + "\nORDER BY " + order
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, fmt.Errorf("find feed events: %w", err)
	}
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Event, error) {
		var e defus.Event
		var hostID *int64
		var hostName *string
		err := r.Scan(&e.ID, &e.Slug, &e.Title, &e.Kind, &e.StartsAt, &e.EndsAt, &e.AllDay, &e.Format,
			&e.PlaceName, &e.Street, &e.Postcode, &e.City, &e.OnlineURL, &e.OnlineURLPublic, &e.Partners,
			&e.Summary, &e.RegistrationNote, &e.RegistrationURL, &e.Status, &e.UID, &e.Sequence,
			&e.CreatedAt, &e.UpdatedAt, &hostID, &hostName)
		if err == nil && hostID != nil {
			e.Host = &defus.EventHost{ID: *hostID, Name: *hostName}
		}
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("find feed events: %w", err)
	}
	return events, nil
}

// loadEventTopics fills the published topics of all events in one query,
// with what a list of events shows of them: not their texts, which a page
// of events would read as many times as it names each topic.
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
SELECT et.event_id, t.id, t.slug, t.title, t.pillar, t.position, t.published, t.created_at, t.updated_at, t.version
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
		if err := rows.Scan(&eventID, &t.ID, &t.Slug, &t.Title, &t.Pillar,
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
// published event, sorted the German way, for the host filter: the first
// limit of them when limit is above 0.
func (s *Store) FindEventHosts(ctx context.Context, limit int) ([]defus.EventHost, error) {
	q := `
SELECT m.id, m.slug, m.name, m.short_name
FROM members m
WHERE m.published
  AND EXISTS (SELECT 1 FROM events e WHERE e.host_member_id = m.id AND e.published)
ORDER BY m.short_name, m.id`
	if limit > 0 {
		q += "\nLIMIT " + strconv.Itoa(limit)
	}
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

// FindEventHostByName returns the published member whose short name or
// name is name (letter case aside) as a possible host, as the office would
// type it into the host filter.
func (s *Store) FindEventHostByName(ctx context.Context, name string) (*defus.EventHost, error) {
	const q = `
SELECT id, slug, name, short_name
FROM members
WHERE published AND (lower(short_name) = lower($1) OR lower(name) = lower($1))
ORDER BY lower(short_name) <> lower($1), id
LIMIT 1`
	var h defus.EventHost
	if err := s.pool.QueryRow(ctx, q, name).Scan(&h.ID, &h.Slug, &h.Name, &h.ShortName); err != nil {
		return nil, notFound(err, "find event host "+name)
	}
	return &h, nil
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

// FindEventsAdmin lists events for the office, drafts included, and how
// many match in all. Upcoming events come soonest first; past events and
// "all" latest first.
func (s *Store) FindEventsAdmin(ctx context.Context, f defus.EventListFilter) ([]defus.Event, int, error) {
	var w where
	order := "e.starts_at DESC, e.ends_at DESC, e.id DESC"
	switch f.Period {
	case defus.PeriodUpcoming: // as defus.Event.Upcoming
		w.addEndsAfter(f.Now, true)
		order = "e.starts_at, e.ends_at, e.id"
	case defus.PeriodPast:
		w.addEndsAfter(f.Now, false)
	}
	if f.Query != "" {
		w.addFolded(f.Query, "e.title", "e.place_name", "e.city")
	}
	if f.Kind != "" {
		w.add("e.kind = ?", string(f.Kind))
	}
	switch f.State {
	case "published":
		w.addRaw("e.published")
	case "draft":
		w.addRaw("NOT e.published")
	}
	limit := "ALL"
	if f.Limit > 0 {
		limit = fmt.Sprint(f.Limit)
	}
	q := `
SELECT ` + eventColumns + `, count(*) OVER ()
` + eventFrom + `
` + w.String() + `
ORDER BY ` + order + `
LIMIT ` + limit + ` OFFSET ` + fmt.Sprint(max(f.Offset, 0))
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find events for the office: %w", err)
	}
	total := 0
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Event, error) { return scanEvent(r, &total) })
	if err != nil {
		return nil, 0, fmt.Errorf("find events for the office: %w", err)
	}
	return events, total, nil
}

// FindEventByID returns one event, draft or not, with its published host,
// its published topics and the ids of all its topics.
func (s *Store) FindEventByID(ctx context.Context, id int64) (*defus.Event, error) {
	const q = `
SELECT ` + eventColumns + `,
       ARRAY(SELECT et.topic_id FROM event_topics et WHERE et.event_id = e.id ORDER BY et.topic_id)
` + eventFrom + `
WHERE e.id = $1`
	var topicIDs []int64
	e, err := scanEvent(s.pool.QueryRow(ctx, q, id), &topicIDs)
	if err != nil {
		return nil, notFound(err, fmt.Sprintf("find event %d", id))
	}
	e.TopicIDs = topicIDs
	events := []defus.Event{e}
	if err := s.loadEventTopics(ctx, events); err != nil {
		return nil, fmt.Errorf("find event %d: %w", id, err)
	}
	return &events[0], nil
}

// CreateEvent stores a new event with its topics. Topic ids that do not
// exist (any more) are left out, a host that does not exist becomes none:
// the form checks both against what it offered.
func (s *Store) CreateEvent(ctx context.Context, by defus.Actor, e *defus.Event) error {
	const q = `
INSERT INTO events (slug, title, kind, starts_at, ends_at, all_day, format, place_name, street,
                    postcode, city, online_url, online_url_public, host_member_id, partners,
                    summary, description, registration_note, registration_url, status, published, created_at, updated_at,
                    registration_mode, capacity, registration_deadline, places_per_member, online_url_members,
                    show_participants)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13,
        (SELECT id FROM members WHERE id = $14), $15, $16, $17, $18, $19, $20, $21, $22, $22,
        $23, $24, $25, $26, $27, $28)
RETURNING id, uid, sequence, created_at, updated_at, version`
	return s.inTx(ctx, func(tx pgx.Tx) error {
		err := tx.QueryRow(ctx, q, e.Slug, e.Title, e.Kind, e.StartsAt, e.EndsAt, e.AllDay, e.Format,
			e.PlaceName, e.Street, e.Postcode, e.City, e.OnlineURL, e.OnlineURLPublic, e.HostMemberID,
			e.Partners, e.Summary, e.Description, e.RegistrationNote, e.RegistrationURL, e.Status,
			e.Published, s.now(), regMode(e), e.Registration.Capacity, e.Registration.Deadline,
			e.Registration.PlacesPerMember, e.Registration.OnlineURLMembers, e.Registration.ShowParticipants).Scan(&e.ID, &e.UID, &e.Sequence, &e.CreatedAt, &e.UpdatedAt, &e.Version)
		if err != nil {
			return slugError(err, "create event "+e.Slug)
		}
		if err := setEventTopics(ctx, tx, e.ID, e.TopicIDs); err != nil {
			return err
		}
		if err := claimSlug(ctx, tx, defus.EntityEvent, e.Slug); err != nil {
			return err
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		changes := defus.Changes{}
		changes.Set("title", nil, e.Title)
		changes.Set("slug", nil, e.Slug)
		changes.Set("when", nil, e.When())
		changes.Set("published", nil, e.Published)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionCreate,
			Entity: defus.EntityEvent, EntityID: e.ID, EntityLabel: e.Title, Changes: changes})
	})
}

// setEventTopics makes the event's topics exactly ids (unknown ones left out).
func setEventTopics(ctx context.Context, tx pgx.Tx, eventID int64, ids []int64) error {
	const del = `DELETE FROM event_topics WHERE event_id = $1 AND NOT topic_id = ANY($2)`
	const ins = `
INSERT INTO event_topics (event_id, topic_id)
SELECT $1, id FROM topics WHERE id = ANY($2)
ON CONFLICT DO NOTHING`
	if ids == nil {
		ids = []int64{}
	}
	if _, err := tx.Exec(ctx, del, eventID, ids); err != nil {
		return fmt.Errorf("topics of event %d: %w", eventID, err)
	}
	if _, err := tx.Exec(ctx, ins, eventID, ids); err != nil {
		return fmt.Errorf("topics of event %d: %w", eventID, err)
	}
	return nil
}

// lockEvent reads an event for change, locking its row; a version other
// than version gives defus.ErrConflict (and the event as it is now).
func lockEvent(ctx context.Context, tx pgx.Tx, id int64, version int) (defus.Event, error) {
	const q = `
SELECT ` + eventColumns + `,
       ARRAY(SELECT et.topic_id FROM event_topics et WHERE et.event_id = e.id ORDER BY et.topic_id)
` + eventFrom + `
WHERE e.id = $1
FOR UPDATE OF e`
	var topicIDs []int64
	e, err := scanEvent(tx.QueryRow(ctx, q, id), &topicIDs)
	e.TopicIDs = topicIDs
	if err != nil {
		return e, notFound(err, fmt.Sprintf("lock event %d", id))
	}
	if e.Version != version {
		return e, fmt.Errorf("event %d: %w", id, defus.ErrConflict)
	}
	return e, nil
}

// eventNames are the host's name and the topics' titles of an event, for
// the audit log, which should read without looking up ids.
func eventNames(ctx context.Context, tx pgx.Tx, e *defus.Event) (host string, topics []string, err error) {
	const q = `
SELECT coalesce((SELECT name FROM members WHERE id = $1), ''),
       ARRAY(SELECT title FROM topics WHERE id = ANY($2) ORDER BY title)`
	ids := e.TopicIDs
	if ids == nil {
		ids = []int64{}
	}
	if err := tx.QueryRow(ctx, q, e.HostMemberID, ids).Scan(&host, &topics); err != nil {
		return "", nil, fmt.Errorf("names of event %d: %w", e.ID, err)
	}
	return host, topics, nil
}

// UpdateEvent saves e if nobody changed it since version e.Version was read;
// otherwise it returns defus.ErrConflict and the event as it is now. A save
// that changes the event itself raises the iCalendar SEQUENCE and
// LAST-MODIFIED (the events_touch trigger), so subscribed calendars take
// the change; publishing, unpublishing and a save without changes do not.
// A new slug keeps the old address as a redirect.
func (s *Store) UpdateEvent(ctx context.Context, by defus.Actor, e *defus.Event) (current *defus.Event, err error) {
	const q = `
UPDATE events
SET slug = $2, title = $3, kind = $4, starts_at = $5, ends_at = $6, all_day = $7, format = $8,
    place_name = $9, street = $10, postcode = $11, city = $12, online_url = $13,
    online_url_public = $14, host_member_id = (SELECT id FROM members WHERE id = $15),
    partners = $16, summary = $17, description = $18, registration_note = $19,
    registration_url = $20, status = $21, published = $22, updated_at = $23, version = version + 1,
    registration_mode = $24, capacity = $25, registration_deadline = $26, places_per_member = $27,
    online_url_members = $28, show_participants = $29
WHERE id = $1
RETURNING uid, sequence, previous_starts_at, created_at, updated_at, version`
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockEvent(ctx, tx, e.ID, e.Version)
		if err != nil {
			current = &old
			return err
		}
		oldHost, oldTopics, err := eventNames(ctx, tx, &old)
		if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, q, e.ID, e.Slug, e.Title, e.Kind, e.StartsAt, e.EndsAt, e.AllDay, e.Format,
			e.PlaceName, e.Street, e.Postcode, e.City, e.OnlineURL, e.OnlineURLPublic, e.HostMemberID,
			e.Partners, e.Summary, e.Description, e.RegistrationNote, e.RegistrationURL, e.Status,
			e.Published, s.now(), regMode(e), e.Registration.Capacity, e.Registration.Deadline,
			e.Registration.PlacesPerMember, e.Registration.OnlineURLMembers, e.Registration.ShowParticipants).Scan(&e.UID, &e.Sequence, &e.PreviousStartsAt, &e.CreatedAt, &e.UpdatedAt, &e.Version)
		if err != nil {
			return slugError(err, fmt.Sprintf("update event %d", e.ID))
		}
		if err := setEventTopics(ctx, tx, e.ID, e.TopicIDs); err != nil {
			return err
		}
		if err := moveSlug(ctx, tx, defus.EntityEvent, e.ID, old.Slug, e.Slug); err != nil {
			return err
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		host, topics, err := eventNames(ctx, tx, e)
		if err != nil {
			return err
		}
		c := defus.Changes{}
		c.Set("title", old.Title, e.Title)
		c.Set("slug", old.Slug, e.Slug)
		c.Set("kind", old.Kind.Label(), e.Kind.Label())
		c.Set("when", old.When(), e.When())
		c.Set("format", old.Format.Label(), e.Format.Label())
		c.Set("place", old.Address(), e.Address())
		c.Set("online_url", old.OnlineURL, e.OnlineURL)
		c.Set("online_url_public", old.OnlineURLPublic, e.OnlineURLPublic)
		c.Set("host", oldHost, host)
		c.Set("partners", old.Partners, e.Partners)
		c.Set("topics", strings.Join(oldTopics, ", "), strings.Join(topics, ", "))
		c.Set("summary", old.Summary, e.Summary)
		c.Set("description", old.Description, e.Description)
		c.Set("registration_note", old.RegistrationNote, e.RegistrationNote)
		c.Set("registration_url", old.RegistrationURL, e.RegistrationURL)
		c.Set("status", statusText(old.Status), statusText(e.Status))
		c.Set("published", old.Published, e.Published)
		setRegistrationChanges(c, old.Registration, e.Registration)
		if err := s.noticeEventChange(ctx, tx, &old, e); err != nil {
			return err
		}
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionUpdate,
			Entity: defus.EntityEvent, EntityID: e.ID, EntityLabel: e.Title, Changes: c})
	})
	return current, err
}

// statusText names an event's status for the audit log.
func statusText(s defus.EventStatus) string {
	if l := s.Label(); l != "" {
		return l
	}
	return "Findet statt"
}

// DeleteEvent removes an event at version, with its topic links.
func (s *Store) DeleteEvent(ctx context.Context, by defus.Actor, id int64, version int) error {
	return s.inTx(ctx, func(tx pgx.Tx) error {
		old, err := lockEvent(ctx, tx, id, version)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM events WHERE id = $1`, id); err != nil {
			return fmt.Errorf("delete event %d: %w", id, err)
		}
		if err := s.touchCalendar(ctx, tx); err != nil {
			return err
		}
		c := defus.Changes{}
		c.Set("when", old.When(), nil)
		return s.auditTx(ctx, tx, defus.AuditEntry{Actor: by, Action: defus.ActionDelete,
			Entity: defus.EntityEvent, EntityID: id, EntityLabel: old.Title, Changes: c})
	})
}

// addEndsAfter adds the condition that an event is not over at t (as
// defus.Event.Upcoming: it ends after t, or is a point in time exactly at
// t), or with upcoming false that it is. It is the row comparison
// (ends_at, starts_at = ends_at) > (t, false) spelled out, so that the
// index on ends_at serves it.
func (w *where) addEndsAfter(t time.Time, upcoming bool) {
	w.args = append(w.args, t)
	n := len(w.args)
	cond := "e.ends_at >= $%[1]d AND (e.ends_at > $%[1]d OR e.starts_at = e.ends_at)"
	if !upcoming {
		cond = "e.ends_at <= $%[1]d AND (e.ends_at < $%[1]d OR e.starts_at <> e.ends_at)"
	}
	w.parts = append(w.parts, fmt.Sprintf(cond, n))
}

// FindRelatedEvents lists, for a member's or topic's page, the next
// upcoming events (soonest first, at most upcoming) and the latest past
// ones (at most past) that f selects (its Period and Limit aside), in one
// query that reads only those; with their topics, two queries in all.
func (s *Store) FindRelatedEvents(ctx context.Context, f defus.EventFilter, upcoming, past int) (next, last []defus.Event, err error) {
	f.Period, f.Limit, f.Offset = defus.PeriodAll, 0, 0
	w, _ := eventWhere(f)
	w.args = append(w.args, f.Now) // the split between upcoming and past, as $n
	n := len(w.args)
	base := w.String()
	if base == "" {
		base = "WHERE true"
	}
	q := fmt.Sprintf(`
(SELECT %[1]s, true %[2]s %[3]s AND e.ends_at >= $%[4]d AND (e.ends_at > $%[4]d OR e.starts_at = e.ends_at)
 ORDER BY e.starts_at, e.ends_at, e.id LIMIT %[5]d)
UNION ALL
(SELECT %[1]s, false %[2]s %[3]s AND e.ends_at <= $%[4]d AND (e.ends_at < $%[4]d OR e.starts_at <> e.ends_at)
 ORDER BY e.starts_at DESC, e.ends_at DESC, e.id DESC LIMIT %[6]d)`, eventColumns, eventFrom, base, n, upcoming, past)
	rows, err := s.pool.Query(ctx, q, w.args...)
	if err != nil {
		return nil, nil, fmt.Errorf("find related events: %w", err)
	}
	var isNext bool
	events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (defus.Event, error) { return scanEvent(r, &isNext) })
	if err != nil {
		return nil, nil, fmt.Errorf("find related events: %w", err)
	}
	if err := s.loadEventTopics(ctx, events); err != nil {
		return nil, nil, err
	}
	for _, e := range events {
		if e.Upcoming(f.Now) {
			next = append(next, e)
		} else {
			last = append(last, e)
		}
	}
	return next, last, nil
}
